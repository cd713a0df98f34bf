"""The work summary as a Word document (.docx) in the form offices use: title, basic situation (基本情况), a
section per area with its narrative, a table of figures against the previous period and a bar chart, the
problems (存在问题) and the next steps (下一步打算). Written from a saved summary only: its frozen figures,
the secretary's narrative and the problems kept, in the summary's language."""

from __future__ import annotations

from collections import Counter
from datetime import datetime
from io import BytesIO

from django.utils import timezone, translation
from django.utils.translation import gettext as _
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Cm, Pt

from . import wordfonts
from .charts import bar_chart
from .figures import as_number
from .narrative import unit_text

CHINESE_NUMBERS = "一二三四五六七八九十"


def change_text(figure: dict) -> str:
    """This period's value minus the previous period's (percentage points for a share)."""
    now, before = as_number(figure["value"]), as_number(figure["previous"])
    if now is None or before is None:
        return ""
    difference = now - before
    return f"{'+' if difference > 0 else ''}{difference}"


def slots(summary) -> list[dict]:
    """The sections of the summary between the title and the problems: the basic situation, then one per
    area with its figures and the rows of the apps' own sections that belong to it."""
    frozen = summary.figures
    areas = {a["area"]: a for a in frozen.get("areas", [])}
    organization = areas.get("organization", {"figures": []})["figures"]
    result = [{"key": "basic", "title": _("Basic situation"), "figures": [f for f in organization if f["at_date"]],
               "rows": [], "chart": False}]
    for area in frozen.get("areas", []):
        shown = [f for f in area["figures"] if not (area["area"] == "organization" and f["at_date"])]
        result.append({"key": area["area"], "title": area["title"], "figures": shown, "rows": [], "chart": True,
                       "chart_figures": area["figures"]})
    for section in frozen.get("sections", []):
        home = section["key"].split(".", 1)[0]
        slot = next((s for s in result if s["key"] == home), None)
        if slot is None:
            slot = {"key": section["key"], "title": section["title"], "figures": [], "rows": [], "chart": False}
            result.append(slot)
        slot["rows"].extend(section["rows"])
    return result


def _chart(slot: dict, frozen: dict) -> bytes | None:
    figures = [f for f in slot.get("chart_figures", []) if f["value"] is not None]
    with_breakdown = next((f for f in figures if f["breakdown"]), None)
    if with_breakdown is not None:
        labels = [row[0] for row in with_breakdown["breakdown"]]
        return bar_chart(f"{slot['title']}: {with_breakdown['label']}", labels,
                         [[as_number(row[1]) for row in with_breakdown["breakdown"]]], [frozen["period"]["label"]])
    if not figures:
        return None
    unit = Counter(f["unit"] for f in figures).most_common(1)[0][0]
    chosen = [f for f in figures if f["unit"] == unit]
    suffix = unit_text(unit)
    return bar_chart(f"{slot['title']}" + (f" ({suffix})" if suffix else ""), [f["label"] for f in chosen],
                     [[as_number(f["value"]) for f in chosen], [as_number(f["previous"]) for f in chosen]],
                     [frozen["period"]["label"], frozen["previous"]["label"]])


def chinese_number(number: int) -> str:
    """1–99 as a section number is written in Chinese: 一 … 十, 十一 … 十九, 二十, 二十一 …"""
    tens, units = divmod(number, 10)
    if tens == 0:
        return CHINESE_NUMBERS[units - 1]
    head = "" if tens == 1 else CHINESE_NUMBERS[tens - 1]
    return head + "十" + (CHINESE_NUMBERS[units - 1] if units else "")


def _heading(document, number: int, title: str, chinese: bool) -> None:
    text = f"{chinese_number(number)}、{title}" if chinese and number < 100 else f"{number}. {title}"
    document.add_heading(text, level=1)


def _paragraphs(document, text: str) -> None:
    for line in (text or "").splitlines():
        if line.strip():
            paragraph = document.add_paragraph(line.strip())
            paragraph.paragraph_format.first_line_indent = Pt(24)


def _figure_table(document, slot: dict, frozen: dict) -> None:
    table = document.add_table(rows=1, cols=5)
    table.style = "Table Grid"
    header = [_("Indicator"), _("Unit"), frozen["period"]["label"], frozen["previous"]["label"],
              _("Increase or decrease")]
    for cell, text in zip(table.rows[0].cells, header, strict=True):
        cell.text = text
    for figure in slot["figures"]:
        cells = table.add_row().cells
        cells[0].text = figure["label"]
        cells[1].text = unit_text(figure["unit"])
        cells[2].text = figure["value"] if figure["value"] is not None else "—"
        cells[3].text = figure["previous"] if figure["previous"] is not None else "—"
        cells[4].text = change_text(figure)
        for label, number in figure["breakdown"]:
            cells = table.add_row().cells
            cells[0].text = f"    {label}"
            cells[1].text = unit_text(figure["unit"])
            cells[2].text = number or ""
    for label, number in slot["rows"]:
        cells = table.add_row().cells
        cells[0].text = label
        cells[2].text = number or ""


def _set_fonts(document) -> None:
    document.styles["Normal"].font.size = Pt(12)


def summary_docx(summary) -> bytes:
    with translation.override(summary.language):
        return _render(summary)


def _render(summary) -> bytes:
    frozen = summary.figures
    chinese = summary.language.startswith("zh")
    document = Document()
    _set_fonts(document)
    title = document.add_heading(_("%(organization)s: work summary for %(period)s") % {
        "organization": summary.organization.name, "period": frozen["period"]["label"]}, level=0)
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    computed = timezone.localtime(datetime.fromisoformat(frozen["computed_at"]))
    note = document.add_paragraph(_("Figures from the platform's records, computed on %(date)s; compared with "
                                    "%(previous)s.") % {"date": computed.strftime("%Y-%m-%d %H:%M"),
                                                        "previous": frozen["previous"]["label"]})
    note.alignment = WD_ALIGN_PARAGRAPH.CENTER
    number = 0
    for slot in slots(summary):
        text = summary.narrative.get(slot["key"], "")
        if not (text or slot["figures"] or slot["rows"]):
            continue
        number += 1
        _heading(document, number, slot["title"], chinese)
        _paragraphs(document, text)
        if slot["figures"] or slot["rows"]:
            _figure_table(document, slot, frozen)
        if slot["chart"]:
            image = _chart(slot, frozen)
            if image:
                document.add_picture(BytesIO(image), width=Cm(15.5))
    number += 1
    _heading(document, number, _("Existing problems"), chinese)
    kept = [p["text"] for p in summary.problems if p.get("kept")]
    for index, text in enumerate(kept, start=1):
        document.add_paragraph(f"{index}. {text}")
    if not kept:
        document.add_paragraph(_("None recorded."))
    number += 1
    _heading(document, number, _("Next steps"), chinese)
    _paragraphs(document, summary.narrative.get("plans", ""))
    signature = document.add_paragraph(summary.organization.name)
    signature.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    dated = document.add_paragraph(timezone.localdate().isoformat())
    dated.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    wordfonts.apply(document, chinese=chinese)
    buffer = BytesIO()
    document.save(buffer)
    return buffer.getvalue()
