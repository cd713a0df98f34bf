"""How the dashboards write a figure: its number with its unit, a change with its sign, an area's name."""

from __future__ import annotations

from decimal import Decimal

from django import template
from django.utils.formats import number_format
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from gongzhi.core.rows import RowMarkup, escaped

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


# The figure cards and the charts' table rows are many (a street's page: some fifty cards and a thousand
# cells): they are written from one markup string each (core.rows.RowMarkup), the same HTML the template's
# loops wrote, without a template variable's resolution, localization and escaping per value.
_CARD = RowMarkup("""
    <div class="col-6 col-md-4 col-xl-3">
      <div class="card figure-card h-100" data-figure-key="{key}"><div class="card-body">
        <div class="small text-body-secondary"{title}>{label}{at_date}</div>
        <div class="figure-value" data-value>{value}</div>
        {change}
      </div></div>
    </div>
    """)


@register.simple_tag
def figure_cards(values) -> str:
    """An area's figure cards (``FigureValue``s)."""
    # As {% translate %} wrote them: a translated text as it is.
    at_end = gettext("(at the period's end)")
    at_date = mark_safe(f' <span class="visually-hidden">{at_end}</span>')  # noqa: S308
    before = gettext("(before: %(value)s)")
    rows = []
    for v in values:
        f, t = v.figure, v.shown
        change = ""
        if t["change"]:
            # As {% blocktranslate %} wrote it: the translated text as it is, the value escaped.
            change = format_html('<div class="small figure-change {}">{} <span class="text-body-secondary">{}</span>'
                                 '</div>', t["tone"], t["change"],
                                 mark_safe(before % {"value": escaped(t["previous"])}))  # noqa: S308
        rows.append({"key": f.key, "title": format_html(' title="{}"', f.description) if f.description else "",
                     "label": f.label, "at_date": at_date if f.at_date else "", "value": t["value"], "change": change})
    return _CARD.join(rows)


_TABLE_ROW = RowMarkup("""
            <tr><th scope="row">{label}</th>{cells}</tr>
            """)


@register.simple_tag
def chart_table_rows(series, kiosk=False) -> str:
    """The rows of the table behind a chart: the label (a link to the organization's dashboard, but on a kiosk)
    and one cell per row of numbers."""
    rows = []
    for label, link, values in series.table_text:
        rows.append({
            "label": format_html('<a href="{}">{}</a>', link, label) if link and not kiosk else label,
            "cells": mark_safe("".join([f'<td class="text-end">{escaped(v)}</td>' for v in values])),  # noqa: S308
        })
    return _TABLE_ROW.join(rows)
