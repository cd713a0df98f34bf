"""How the dashboards write a figure: its number with its unit, a change with its sign, an area's name; and the
cards and charts of a page (for a snapshot, once: ``selectors.written``)."""

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


def chart_table_rows(series, kiosk=False, write=None) -> str:
    """The rows of the table behind a chart: the label (a link to the organization's dashboard, but on a kiosk)
    and one cell per row of numbers; ``write``: the current language's ``Writer``, when the caller has it."""
    rows = []
    for label, link, values in series.table_text_by(write or writer()):
        rows.append({
            "label": SafeString(f'<a href="{escaped(link)}">{escaped(label)}</a>') if link and not kiosk else label,
            "cells": mark_safe(_cells(values)),  # noqa: S308
        })
    return _TABLE_ROW.join(rows)


def _cells(values) -> str:
    """A table row's cells: each number as written (escaped here)."""
    return "".join([f'<td class="text-end">{escaped(v)}</td>' for v in values])


# One chart and the table behind it (for screen readers and for copying), written as the template
# ``dashboards/_chart.html`` wrote it: a street's page shows a dozen, and an include per chart (its context, its
# ``with``, its loops over the rows' names) cost more than the rest of the page's own work. It is written in three
# parts around the chart's data and the table's rows, which a snapshot's bars fill for each visitor (their links).
_CHART_MARKUP = """
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
"""
_before_data, _after_data = _CHART_MARKUP.split("{data}")
_before_rows, _CHART_TAIL = _after_data.split("{rows}")
_CHART_HEAD, _CHART_TABLE = RowMarkup(_before_data), RowMarkup(_before_rows)


def chart_parts(series, dark=False, write=None) -> tuple[str, str]:
    """A chart card's markup before its data (``json_script``) and between its data and its table's rows (then
    come the rows and ``_CHART_TAIL``); ``write``: the current language's ``Writer``, when the caller has it."""
    write = write or writer()
    fields = {
        "dark_card": mark_safe(" text-bg-dark border-secondary") if dark else "",  # noqa: S308
        "dark_chart": mark_safe(' data-chart-theme="dark"') if dark else "",  # noqa: S308
        "dark_details": mark_safe(" visually-hidden") if dark else "",  # noqa: S308
        "key": series.key, "title": series.title,
        "show": mark_safe(write.show_table), "head": mark_safe(write.heads.get(series.kind, write.group)),  # noqa: S308
        "columns": mark_safe("".join([f'<th scope="col" class="text-end">{escaped(name)}</th>'  # noqa: S308
                                      for name, _values in series.rows])),
    }
    return _CHART_HEAD.join([fields]), _CHART_TABLE.join([fields])


@register.simple_tag
def chart_card(series, kiosk=False, dark=False) -> str:
    """A chart (``Series``) with its table: the card, the chart's data as JSON and the table's rows; ``dark`` on
    the big screen (the table then visually hidden), ``kiosk`` without the rows' links."""
    write = writer()
    head, table = chart_parts(series, dark, write)
    return mark_safe(head + json_script(series.as_chart(), f"{series.key}-data") + table  # noqa: S308
                     + chart_table_rows(series, kiosk, write) + _CHART_TAIL)  # (each part escaped)


# -- a snapshot's page written once, when its figures are computed (selectors.written) ---------------------------

def written_bars(series) -> dict:
    """A bar chart's card for ``bar_card``: its markup around the data and the rows, the chart's data without its
    links and each row's label and cells (escaped), in the current language; JSON (kept in the snapshot)."""
    write = writer()
    head, table = chart_parts(series, write=write)
    chart = series.as_chart()
    # (as lists: a JSON object's keys lose their order in PostgreSQL's jsonb, and the page writes them in order)
    return {"key": series.key, "head": head, "table": table,
            "chart": [chart["kind"], chart["unit"], chart["labels"], [[s["name"], s["data"]] for s in chart["series"]]],
            "rows": [[escaped(label), _cells(values)] for label, _link, values in series.table_text_by(write)]}


def bar_labels(written: dict, links: list | None) -> list[str]:
    """The table's row labels of a bar chart written by ``written_bars``: each a link where ``links`` gives one."""
    labels = [label for label, _cells in written["rows"]]
    if not links:
        return labels
    return [f'<a href="{escaped(link)}">{label}</a>' if link else label for label, link in zip(labels, links,
                                                                                               strict=True)]


def bar_card(written: dict, links: list | None, row_labels: list[str]) -> str:
    """The card ``chart_card`` writes for a bar chart, from ``written_bars``'s parts: the links (one per bar,
    ``None`` where the visitor may not open it) and the rows' labels (``bar_labels``) decided for the visitor."""
    kind, unit, labels, rows = written["chart"]
    data = json_script({"kind": kind, "unit": unit, "labels": labels, "links": links or [],  # as Series.as_chart
                        "series": [{"name": name, "data": values} for name, values in rows]}, f"{written['key']}-data")
    table_rows = _TABLE_ROW.join_escaped([{"label": label, "cells": cells} for label, (_label, cells)
                                          in zip(row_labels, written["rows"], strict=True)])
    return mark_safe(written["head"] + data + written["table"] + table_rows + _CHART_TAIL)  # noqa: S308  (written escaped)
