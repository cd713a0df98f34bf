"""Bar charts for the work summary, drawn on the server with Pillow (no plotting library is a dependency).

The labels are drawn with a CJK font, so the glyphs are in the image whatever fonts the reader's Word
has. The font is ``GONGZHI_CJK_FONT`` (a .ttf/.otf/.ttc path) or the first of the usual system places;
without one, Pillow's own font draws the numbers and Latin labels.
"""

from __future__ import annotations

from decimal import Decimal
from functools import lru_cache
from io import BytesIO
from pathlib import Path

from django.conf import settings
from PIL import Image, ImageDraw, ImageFont

FONT_CANDIDATES = (
    ("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc", 2),  # Debian fonts-noto-cjk: index 2 is SC
    ("/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc", 2),
    ("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc", 0),
    ("/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf", 0),
    ("C:/Windows/Fonts/msyh.ttc", 0),
    ("/System/Library/Fonts/PingFang.ttc", 0),
)
WIDTH, HEIGHT = 1200, 560
COLOURS = ("#c8102e", "#9aa5b1")  # this period, the previous one


@lru_cache(maxsize=8)
def font(size: int):
    configured = getattr(settings, "GONGZHI_CJK_FONT", "")
    candidates = ((configured, 2 if configured.endswith(".ttc") else 0),) if configured else FONT_CANDIDATES
    for path, index in candidates:
        if Path(path).exists():
            return ImageFont.truetype(path, size, index=index)
    return ImageFont.load_default(size)


def _fit(draw, text: str, width: int, face) -> str:
    if draw.textlength(text, font=face) <= width:
        return text
    while text and draw.textlength(text + "…", font=face) > width:
        text = text[:-1]
    return text + "…"


def bar_chart(title: str, labels: list[str], series: list[list[Decimal | None]], legend: list[str]) -> bytes:
    """A PNG of grouped bars: one group per label, one bar per series (at most two: this period and the
    previous one); a missing value draws no bar."""
    image = Image.new("RGB", (WIDTH, HEIGHT), "white")
    draw = ImageDraw.Draw(image)
    title_font, label_font, small = font(30), font(22), font(20)
    draw.text((40, 20), title, fill="#222222", font=title_font)
    left, right, top, bottom = 90, WIDTH - 40, 110, HEIGHT - 90
    numbers = [Decimal(v) for s in series for v in s if v is not None]
    peak = max(numbers + [Decimal(1)])
    draw.line((left, bottom, right, bottom), fill="#444444", width=2)
    for step in range(1, 5):
        y = bottom - (bottom - top) * step / 4
        draw.line((left, y, right, y), fill="#e5e5e5", width=1)
        draw.text((10, y - 12), f"{(peak * step / 4):.4g}", fill="#666666", font=small)
    for index, name in enumerate(legend):
        x = WIDTH - 40 - (len(legend) - index) * 260
        draw.rectangle((x, 30, x + 24, 54), fill=COLOURS[index % len(COLOURS)])
        draw.text((x + 32, 28), _fit(draw, name, 220, small), fill="#222222", font=small)
    groups = max(len(labels), 1)
    slot = (right - left) / groups
    bar = min(slot * 0.8 / max(len(series), 1), 90)
    for g, label in enumerate(labels):
        start = left + g * slot + (slot - bar * len(series)) / 2
        for s, values in enumerate(series):
            value = values[g]
            if value is None:
                continue
            height = (bottom - top) * float(Decimal(value) / peak)
            x0 = start + s * bar
            draw.rectangle((x0, bottom - height, x0 + bar - 4, bottom), fill=COLOURS[s % len(COLOURS)])
            text = f"{Decimal(value).normalize():f}"
            draw.text((x0, bottom - height - 26), text, fill="#222222", font=small)
        draw.text((left + g * slot + 4, bottom + 10), _fit(draw, label, slot - 8, label_font), fill="#222222",
                  font=label_font)
    buffer = BytesIO()
    image.save(buffer, format="PNG", compress_level=3)  # "optimize" costs half a second a chart
    return buffer.getvalue()
