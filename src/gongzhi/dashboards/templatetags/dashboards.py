"""How the dashboards write a figure: its number with its unit, a change with its sign, an area's name."""

from __future__ import annotations

from decimal import Decimal

from django import template
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

register = template.Library()

UNIT_SUFFIX = {
    "percent": "%", "people": pgettext_lazy("unit", "people"), "hours": pgettext_lazy("unit", "h"),
    "points": pgettext_lazy("unit", "points"), "yuan": pgettext_lazy("unit", "yuan"),
    "days": pgettext_lazy("unit", "days"), "times": pgettext_lazy("unit", "times"), "count": "",
}
AREA_LABELS = {
    "organization": _("Organization"), "life": _("Party life"), "education": _("Education and training"),
    "service": _("Service"), "residents": _("Residents' voice"), "care": _("Care"), "money": _("Money"),
    "democracy": _("Openness and democracy"), "supervision": _("Supervision"),
}


def _number(value) -> str:
    if isinstance(value, Decimal):
        places = 0 if value == value.to_integral_value() else 1
        return number_format(value.quantize(Decimal(1) if places == 0 else Decimal("0.1")), places,
                             use_l10n=True, force_grouping=True)
    return number_format(value, 0, use_l10n=True, force_grouping=True)


@register.filter
def figure(value, unit: str) -> str:
    """``1,234 h``, ``56.7%``, or "—" where the figure has no meaning (a rate over nobody)."""
    if value is None:
        return "—"
    suffix = str(UNIT_SUFFIX.get(unit, ""))
    if unit == "percent":
        return f"{_number(value)}%"
    return f"{_number(value)} {suffix}".strip()


@register.filter
def change(value, unit: str) -> str:
    """``+12``, ``−3.5 pts`` (a percentage's change is in points), ``±0``."""
    if value is None:
        return ""
    if value == 0:
        return "±0"
    sign = "+" if value > 0 else "−"
    text = _number(abs(value))
    if unit == "percent":
        return f"{sign}{text} {pgettext_lazy('percentage points', 'pts')}"
    return f"{sign}{text}"


@register.filter
def area_label(area: str) -> str:
    return str(AREA_LABELS.get(area, area))
