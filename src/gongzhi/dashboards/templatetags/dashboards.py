"""How the dashboards write a figure: its number with its unit, a change with its sign, an area's name."""

from __future__ import annotations

from decimal import Decimal

from django import template
from django.utils import numberformat
from django.utils.formats import get_format
from django.utils.html import json_script
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, gettext, pgettext, pgettext_lazy
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


class Writer:
    """How the figures are written in one language: the locale's separators and grouping (``formats.number_format``
    asks for each at every call) and the units' and the change's translated texts (a lazy text is translated again
    at each use), looked up once per language (``writer()``): a street's page writes some two hundred numbers.
    Translations and formats do not change while the process runs."""

    def __init__(self, language: str):
        self.decimal_sep = get_format("DECIMAL_SEPARATOR", language, use_l10n=True)
        self.grouping = get_format("NUMBER_GROUPING", language, use_l10n=True)
        self.thousand_sep = get_format("THOUSAND_SEPARATOR", language, use_l10n=True)
        self.suffixes = {unit: str(suffix) for unit, suffix in UNIT_SUFFIX.items()}
        self.points = str(pgettext_lazy("percentage points", "pts"))
        self.labels: dict[str, tuple[str, str]] = {}  # a figure's label and description, by key
        # The cards' and charts' own texts (as {% translate %} wrote them: a translated text as it is).
        self.at_end, self.before = gettext("(at the period's end)"), gettext("(before: %(value)s)")
        self.show_table, self.group = gettext("Show the table"), pgettext("chart", "Group")
        self.heads = {"bar": gettext("Organization"), "line": gettext("Month")}

    def number(self, value) -> str:
        """The number as ``number_format(value, places, use_l10n=True, force_grouping=True)`` writes it (places: 0,
        or 1 for a decimal with a fraction)."""
        if type(value) is int and self.grouping == 3:  # an integer: Python's grouping by thousands is the locale's
            return f"{value:,}".replace(",", self.thousand_sep)
        if type(value) is int and not self.thousand_sep:  # grouped with nothing between the groups (Chinese)
            return str(value)
        if isinstance(value, Decimal):
            places = 0 if value == value.to_integral_value() else 1
            value = value.quantize(Decimal(1) if places == 0 else Decimal("0.1"))
            if self.grouping == 3 or not self.thousand_sep:  # Python's grouping by thousands is the locale's (or
                # the groups are joined by nothing, as in Chinese); a zero is written unsigned
                whole, _point, fraction = f"{value if value else Decimal(0):,.{places}f}".partition(".")
                whole = whole.replace(",", self.thousand_sep)
                return f"{whole}{self.decimal_sep}{fraction}" if fraction else whole
        else:
            places = 0
        return numberformat.format(value, self.decimal_sep, places, self.grouping, self.thousand_sep,
                                   force_grouping=True, use_l10n=True)

    def figure(self, value, unit: str) -> str:
        """``1,234 h``, ``56.7%``, or "—" where the figure has no meaning (a rate over nobody)."""
        if value is None:
            return "—"
        if unit == "percent":
            return f"{self.number(value)}%"
        return f"{self.number(value)} {self.suffixes.get(unit, '')}".strip()

    def change(self, value, unit: str) -> str:
        """``+12``, ``−3.5 pts`` (a percentage's change is in points), ``±0``."""
        if value is None:
            return ""
        if value == 0:
            return "±0"
        sign = "+" if value > 0 else "−"
        text = self.number(abs(value))
        if unit == "percent":
            return f"{sign}{text} {self.points}"
        return f"{sign}{text}"

    def label(self, item) -> tuple[str, str]:
        """A figure's label and description (or "") in this language."""
        found = self.labels.get(item.key)
        if found is None:
            found = self.labels[item.key] = (str(item.label), str(item.description) if item.description else "")
        return found


_WRITERS: dict[str, Writer] = {}


def writer() -> Writer:
    """The ``Writer`` of the current language."""
    language = get_language()
    found = _WRITERS.get(language)
    if found is None:
        found = _WRITERS[language] = Writer(language)
    return found


@register.filter
def figure(value, unit: str) -> str:
    """``1,234 h``, ``56.7%``, or "—" where the figure has no meaning (a rate over nobody)."""
    return writer().figure(value, unit)


@register.filter
def change(value, unit: str) -> str:
    """``+12``, ``−3.5 pts`` (a percentage's change is in points), ``±0``."""
    return writer().change(value, unit)


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
    write = writer()
    at_date = mark_safe(f' <span class="visually-hidden">{write.at_end}</span>')  # noqa: S308
    before = write.before
    rows = []
    for v in values:
        f, t = v.figure, v.shown_by(write)
        label, description = write.label(f)
        change = ""
        if t["change"]:
            # As {% blocktranslate %} wrote it: the translated text as it is, the value escaped (and each field as
            # format_html escapes it, without its lazy-text checks per argument).
            change = SafeString(f'<div class="small figure-change {escaped(t["tone"])}">{escaped(t["change"])} '
                                f'<span class="text-body-secondary">{before % {"value": escaped(t["previous"])}}'
                                '</span></div>')
        rows.append({"key": f.key, "title": SafeString(f' title="{escaped(description)}"') if description else "",
                     "label": label, "at_date": at_date if f.at_date else "", "value": t["value"], "change": change})
    return _CARD.join(rows)


_TABLE_ROW = RowMarkup("""
            <tr><th scope="row">{label}</th>{cells}</tr>
            """)


@register.simple_tag
def chart_table_rows(series, kiosk=False, write=None) -> str:
    """The rows of the table behind a chart: the label (a link to the organization's dashboard, but on a kiosk)
    and one cell per row of numbers; ``write``: the current language's ``Writer``, when the caller has it."""
    rows = []
    for label, link, values in series.table_text_by(write or writer()):
        rows.append({
            "label": SafeString(f'<a href="{escaped(link)}">{escaped(label)}</a>') if link and not kiosk else label,
            "cells": mark_safe("".join([f'<td class="text-end">{escaped(v)}</td>' for v in values])),  # noqa: S308
        })
    return _TABLE_ROW.join(rows)


# One chart and the table behind it (for screen readers and for copying), written as the template
# ``dashboards/_chart.html`` wrote it: a street's page shows a dozen, and an include per chart (its context, its
# ``with``, its loops over the rows' names) cost more than the rest of the page's own work.
_CHART = RowMarkup("""
<figure class="card h-100 mb-0 chart-card{dark_card}">
  <div class="card-body">
    <figcaption class="h6" id="{key}-title">{title}</figcaption>
    <div class="chart" data-chart="{key}-data"{dark_chart} aria-hidden="true"></div>
    {data}
    <details class="mt-2 small{dark_details}">
      <summary>{show}</summary>
      <div class="table-responsive">
        <table class="table table-sm mb-0" aria-labelledby="{key}-title">
          <thead><tr><th scope="col">{head}</th>{columns}</tr></thead>
          <tbody>
            {rows}
          </tbody>
        </table>
      </div>
    </details>
  </div>
</figure>
""")


@register.simple_tag
def chart_card(series, kiosk=False, dark=False) -> str:
    """A chart (``Series``) with its table: the card, the chart's data as JSON and the table's rows; ``dark`` on
    the big screen (the table then visually hidden), ``kiosk`` without the rows' links."""
    write = writer()
    head = write.heads.get(series.kind, write.group)
    return _CHART.join([{
        "dark_card": mark_safe(" text-bg-dark border-secondary") if dark else "",  # noqa: S308
        "dark_chart": mark_safe(' data-chart-theme="dark"') if dark else "",  # noqa: S308
        "dark_details": mark_safe(" visually-hidden") if dark else "",  # noqa: S308
        "key": series.key, "title": series.title, "data": json_script(series.as_chart(), f"{series.key}-data"),
        "show": mark_safe(write.show_table), "head": mark_safe(head),  # noqa: S308
        "columns": mark_safe("".join([f'<th scope="col" class="text-end">{escaped(name)}</th>'  # noqa: S308
                                      for name, _values in series.rows])),
        "rows": chart_table_rows(series, kiosk, write),
    }])
