"""The figures of a work summary, taken from the registry (``core.registries.figures()``) and frozen.

Nothing here computes a figure of another app: each registered ``Figure`` that applies to the
organization's kind is asked for the period and for the previous one (and its breakdown), and the
apps' ``ReportSection`` s for their own paragraphs. The result is plain JSON (numbers as strings, so
that a ``Decimal`` keeps its digits) that a saved summary keeps with the time it was computed.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gongzhi.core.periods import Period
from gongzhi.core.registries import AREAS, figures, report_sections

#: The work summary's sections, in the order offices write them (areas of ``core.registries.AREAS``).
AREA_TITLES = {
    "organization": _("Organization building"),
    "life": _("Organizational life"),
    "education": _("Education and training"),
    "service": _("Service to residents"),
    "residents": _("Residents' requests, wishes and consultations"),
    "care": _("Care for people in need"),
    "money": _("Dues and funds"),
    "democracy": _("Democracy and publicity"),
    "supervision": _("Supervision"),
}


def number_text(value) -> str | None:
    """A figure's number as text: integers without decimals, decimals as computed."""
    if value is None:
        return None
    if isinstance(value, Decimal):
        return str(value)
    return str(int(value)) if float(value).is_integer() else str(value)


def as_number(text: str | None) -> Decimal | None:
    return None if text in (None, "") else Decimal(text)


def applicable(organization) -> list:
    return [f for f in figures() if not f.kinds or organization.kind in f.kinds]


def freeze(organization, period: Period, progress: Callable[[int, int], None] | None = None) -> dict:
    """Compute every applicable figure for ``period`` and the previous period, grouped by area, and
    the apps' sections; ``progress(done, total)`` is told after each figure."""
    items = applicable(organization)
    sections = report_sections()
    previous = period.previous()
    total = len(items) + len(sections)
    by_area: dict[str, list] = {}
    for done, item in enumerate(items, start=1):
        value = item.compute(organization, period)
        before = item.compute(organization, previous)
        breakdown = [[str(label), number_text(n)] for label, n in item.breakdown(organization, period)] \
            if item.breakdown else []
        by_area.setdefault(item.area, []).append({
            "key": item.key, "label": str(item.label), "unit": item.unit, "at_date": item.at_date,
            "higher_is_better": item.higher_is_better, "value": number_text(value),
            "previous": number_text(before), "breakdown": breakdown})
        if progress:
            progress(done, total)
    built = []
    for done, section in enumerate(sections, start=len(items) + 1):
        content = section.build(organization, period)
        built.append({"key": section.key, "title": str(content.get("title") or section.title),
                      "paragraphs": [str(p) for p in content.get("paragraphs", [])],
                      "rows": [[str(label), number_text(n) if isinstance(n, int | Decimal) else str(n)]
                               for label, n in content.get("rows", [])]})
        if progress:
            progress(done, total)
    ordered = [a for a in AREAS if a in by_area] + sorted(a for a in by_area if a not in AREAS)
    return {"period": period.as_dict(), "previous": previous.as_dict(),
            "areas": [{"area": a, "title": str(AREA_TITLES.get(a, a)), "figures": by_area[a]} for a in ordered],
            "sections": built, "computed_at": timezone.now().isoformat()}


def values(frozen: dict) -> dict[str, dict]:
    """The frozen figures by key."""
    return {f["key"]: f for area in frozen.get("areas", []) for f in area["figures"]}
