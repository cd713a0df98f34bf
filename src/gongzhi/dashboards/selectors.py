"""What a dashboard and the big screen show, read from the figures registry (``core.registries.figures``).

Nothing here computes a figure of its own: each number is a ``Figure.compute`` of an app's ``stats.py``.
A dashboard costs a bounded number of queries whatever the data size: the figures for the period and the
one before, a twelve-month trend of a few figures, the sub-organizations' bars of a few figures (at most
``MAX_CHILDREN`` of them) and a few distributions. Each value is cached for a few minutes, so that the big
screen's refresh and a second visitor cost little.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from functools import cached_property

from django.core.cache import cache
from django.utils import timezone
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

from gongzhi.core.capabilities import can
from gongzhi.core.figures import sharing
from gongzhi.core.periods import Period
from gongzhi.core.registries import AREAS, Figure, figures
from gongzhi.core.statements import Statement
from gongzhi.orgs.models import Organization

from .models import KioskToken, token_hash
from .permissions import DASHBOARD_KINDS, VIEW_DASHBOARD

CACHE_SECONDS = 300
MAX_CHILDREN = 40
TREND_MONTHS = 12
TREND_KEYS = ("service.hours", "service.activities", "voice.requests", "meetings.held")
BAR_KEYS = ("members.total", "points.activation_rate", "service.hours", "voice.requests")
DISTRIBUTION_KEYS = ("members.total", "members.age_bands", "meetings.appraisal_grades", "service.activities")
BY_CATEGORY = _("Party members by category")
SCREEN_KEYS = ("members.total", "members.share_of_residents", "points.activation_rate", "service.hours",
               "meetings.compliance", "voice.answered_on_time", "voice.satisfaction", "care.visits_on_time")


# Inside ``fresh()`` (a snapshot's computation) every value is computed from the database, never read from the
# cache, so that the time a snapshot says it was computed is the time of every number in it.
_fresh: ContextVar[bool] = ContextVar("dashboards_fresh", default=False)


@contextmanager
def fresh():
    token = _fresh.set(True)
    try:
        yield
    finally:
        _fresh.reset(token)


def applicable(organization) -> list[Figure]:
    return [f for f in figures() if not f.kinds or organization.kind in f.kinds]


def _cache_key(kind: str, item: Figure, organization, period: Period) -> str:
    return f"dashboards:{kind}:{item.key}:{organization.pk}:{period.start:%Y%m%d}:{period.end:%Y%m%d}"


def value(item: Figure, organization, period: Period):
    key = _cache_key("value", item, organization, period)
    found = "missing" if _fresh.get() else cache.get(key, "missing")
    if found == "missing":
        found = item.compute(organization, period)
        cache.set(key, found, CACHE_SECONDS)
    return found


def breakdown(item: Figure, organization, period: Period) -> list[tuple[str, int | Decimal]]:
    key = _cache_key("breakdown", item, organization, period)
    found = None if _fresh.get() else cache.get(key)
    if found is None:
        found = [(str(label), n) for label, n in item.breakdown(organization, period)]
        cache.set(key, found, CACHE_SECONDS)
    return found


@dataclass
class FigureValue:
    figure: Figure
    value: int | Decimal | None
    previous: int | Decimal | None

    @cached_property
    def change(self) -> Decimal | None:
        if self.value is None or self.previous is None:
            return None
        return Decimal(self.value) - Decimal(self.previous)

    @cached_property
    def shown(self) -> dict[str, str]:
        """The card's text: the value, the change and the value before, each with its unit, and the tone's CSS
        class (formatted once here rather than by template filters)."""
        from .templatetags.dashboards import writer

        return self.shown_by(writer())

    def shown_by(self, write) -> dict[str, str]:
        """``shown`` written by ``write`` (the current language's ``Writer``, found once for a page's cards)."""
        unit = self.figure.unit
        return {"value": write.figure(self.value, unit), "change": write.change(self.change, unit),
                "previous": write.figure(self.previous, unit),
                "tone": {"good": "text-success", "bad": "text-danger"}.get(self.tone, "text-body-secondary")}

    @cached_property
    def tone(self) -> str:
        """"good", "bad" or "" (no change, or a figure that is neither better high nor low)."""
        change = self.change
        if not change or self.figure.higher_is_better is None:
            return ""
        return "good" if (change > 0) == self.figure.higher_is_better else "bad"


@dataclass
class Series:
    """A chart and the table behind it: ``labels`` and one or more named rows of numbers."""

    key: str
    title: str
    unit: str
    kind: str  # bar, line, pie
    labels: list[str]
    rows: list[tuple[str, list]] = field(default_factory=list)
    links: list[str | None] = field(default_factory=list)  # drill-down per label (bars)

    @property
    def table_text(self) -> list[tuple[str, str | None, list[str]]]:
        """``table`` with each number written with its unit (what the page shows): formatted here once, not by
        a template filter per cell."""
        from .templatetags.dashboards import writer

        return self.table_text_by(writer())

    def table_text_by(self, write) -> list[tuple[str, str | None, list[str]]]:
        """``table_text`` written by ``write`` (the current language's ``Writer``)."""
        written, unit = write.figure, self.unit
        return [(label, link, [written(v, unit) for v in values]) for label, link, values in self.table]

    @property
    def table(self) -> list[tuple[str, str | None, list]]:
        """(label, drill-down link, [one number per row]) per label: the chart as a table."""
        links = self.links or [None] * len(self.labels)
        return [(label, links[i], [values[i] for _name, values in self.rows]) for i, label in enumerate(self.labels)]

    def as_chart(self) -> dict:
        def number(n):
            return None if n is None else float(n)

        return {"kind": self.kind, "unit": self.unit, "labels": self.labels, "links": self.links,
                "series": [{"name": name, "data": [number(n) for n in values]} for name, values in self.rows]}


def figure_values(organization, period: Period, keys=None) -> list[FigureValue]:
    previous = period.previous()
    chosen = [f for f in applicable(organization) if keys is None or f.key in keys]
    if keys is not None:
        chosen.sort(key=lambda f: list(keys).index(f.key))
    return [FigureValue(f, value(f, organization, period), value(f, organization, previous)) for f in chosen]


def by_area(values: list[FigureValue]) -> list[tuple[str, list[FigureValue]]]:
    return [(area, [v for v in values if v.figure.area == area]) for area in AREAS
            if any(v.figure.area == area for v in values)]


def trend_months(period: Period, today: date | None = None) -> list[Period]:
    """The twelve calendar months up to the period's last month (or this month, for the current period)."""
    last = min(period.end, today or timezone.localdate())
    months, year, month = [], last.year, last.month
    for _i in range(TREND_MONTHS):
        months.append(Period.month(year, month))
        year, month = (year - 1, 12) if month == 1 else (year, month - 1)
    return list(reversed(months))


def _many(kind: str, item: Figure, pairs: list[tuple[object, Period]], grouped) -> list:
    """The values of one figure for several (organization, period) pairs: from the cache, or all at once from
    ``grouped()`` (the figure's grouped form: one query instead of one per pair) when any is missing."""
    keys = [_cache_key(kind, item, organization, period) for organization, period in pairs]
    found = {} if _fresh.get() else cache.get_many(keys)
    if len(found) < len(keys):
        values = grouped()
        cache.set_many(dict(zip(keys, values, strict=True)), CACHE_SECONDS)
        return values
    return [found[key] for key in keys]


def trend(organization, period: Period, keys=TREND_KEYS) -> list[Series]:
    months = trend_months(period)
    labels = [f"{m.start:%Y-%m}" for m in months]
    result = []
    for f in applicable(organization):
        if f.key not in keys:
            continue
        if f.by_months is not None:
            values = _many("value", f, [(organization, m) for m in months],
                           lambda f=f: f.by_months(organization, months))
        else:
            values = [value(f, organization, m) for m in months]
        result.append(Series(f"trend-{f.key}", str(f.label), f.unit, "line", labels, [(str(f.label), values)]))
    return result


def children(organization) -> list[Organization]:
    return _CHILDREN.instances(parent_id=organization.pk)


_CHILDREN = Statement(lambda parent_id: Organization.objects.filter(parent_id=parent_id, is_active=True)
                      .exclude(kind="unit").order_by("path")[:MAX_CHILDREN])  # compiled once (core.statements)


def comparisons(organization, period: Period, user=None, keys=BAR_KEYS, link=None, subs=None) -> list[Series]:
    """Bars of the sub-organizations for a few figures; each bar links to that sub-organization's dashboard
    where ``link(child)`` gives one (the user may open it)."""
    subs = children(organization) if subs is None else subs
    if not subs:
        return []
    labels = [c.name for c in subs]
    links = [link(c) if link and c.kind in DASHBOARD_KINDS and (user is None or can(user, VIEW_DASHBOARD, c))
             else None for c in subs]
    result = []
    for f in figures():
        if f.key not in keys:
            continue
        counted = [c for c in subs if not f.kinds or c.kind in f.kinds]
        if f.by_children is not None and counted:
            def grouped(f=f, counted=counted):
                found = f.by_children(organization, counted, period)
                return [found[c.pk] for c in counted]

            values = dict(zip([c.pk for c in counted], _many("value", f, [(c, period) for c in counted], grouped),
                              strict=True))
        else:
            values = {c.pk: value(f, c, period) for c in counted}
        result.append(Series(f"bars-{f.key}", str(f.label), f.unit, "bar", labels,
                             [(str(f.label), [values.get(c.pk) for c in subs])], links))
    return result


def distributions(organization, period: Period, keys=DISTRIBUTION_KEYS) -> list[Series]:
    result = []
    for f in applicable(organization):
        if f.key in keys and f.breakdown is not None:
            rows = breakdown(f, organization, period)
            title = str(BY_CATEGORY) if f.key == "members.total" else str(f.label)
            result.append(Series(f"dist-{f.key}", title, f.unit, "pie", [label for label, _n in rows],
                                 [(str(f.label), [n for _label, n in rows])]))
    return result


# -- snapshots: the figures computed in the background, read by the page -----------------------------------

def _encode(n):
    """A figure's number in JSON: a Decimal as its text (no figure's value is otherwise a string)."""
    return str(n) if isinstance(n, Decimal) else n


def _decode(n):
    return Decimal(n) if isinstance(n, str) else n


def _series_data(series: Series) -> dict:
    return {"key": series.key, "title": series.title, "unit": series.unit, "kind": series.kind,
            "labels": list(series.labels),
            "rows": [[name, [_encode(n) for n in values]] for name, values in series.rows]}


def _series(data: dict) -> Series:
    return Series(data["key"], data["title"], data["unit"], data["kind"], data["labels"],
                  [(name, [_decode(n) for n in values]) for name, values in data["rows"]])


def compute(organization, period: Period, progress: Callable[[int, int], None] | None = None) -> dict:
    """Everything a dashboard and its big screen show, computed from the database now (the cache is not read):
    every applicable figure for the period and the one before, the trend, the sub-organizations' bars and the
    distributions, as JSON (``DashboardSnapshot.data``), with the page they make (``written``, in the current
    language). ``progress(done, total)`` is told after each step."""
    chosen = applicable(organization)
    total, done = len(chosen) + 3, 0

    def step():
        nonlocal done
        done += 1
        if progress is not None:
            progress(done, total)

    previous = period.previous()
    values = {}
    with fresh(), sharing():
        for f in chosen:
            values[f.key] = [_encode(value(f, organization, period)), _encode(value(f, organization, previous))]
            step()
        trend_series = trend(organization, period)
        step()
        subs = children(organization)
        bars = comparisons(organization, period, subs=subs)
        step()
        dists = distributions(organization, period)
        step()
    data = {"values": values, "trend": [_series_data(s) for s in trend_series],
            "children": [[c.pk, c.kind] for c in subs], "bars": [_series_data(s) for s in bars],
            "distributions": [_series_data(s) for s in dists]}
    return {**data, "written": written(organization, data)}


def present(organization, data: dict, screen: bool = False) -> dict:
    """A snapshot's ``data`` as figures and charts: ``areas`` (or the big screen's ``values``), ``trend``, ``bars``
    (without links) and ``distributions``. No figure is computed here, and no query."""
    found = data.get("values", {})  # (a JSON object: in PostgreSQL's jsonb its keys lose their order)
    values = [FigureValue(f, _decode(found[f.key][0]), _decode(found[f.key][1])) for f in applicable(organization)
              if f.key in found]
    trend_data, bar_data, dist_data = data.get("trend", []), data.get("bars", []), data.get("distributions", [])
    if screen:
        order = {key: i for i, key in enumerate(SCREEN_KEYS)}
        values = sorted([v for v in values if v.figure.key in order], key=lambda v: order[v.figure.key])
        trend_data = [s for s in trend_data if s["key"] in {f"trend-{k}" for k in TREND_KEYS[:2]}]
        bar_data = [s for s in bar_data if s["key"] in {f"bars-{k}" for k in BAR_KEYS[:2]}]
        dist_data = [s for s in dist_data if s["key"] in {f"dist-{k}" for k in DISTRIBUTION_KEYS[1:3]}]
    return {("values" if screen else "areas"): values if screen else by_area(values),
            "trend": [_series(s) for s in trend_data], "bars": [_series(s) for s in bar_data],
            "distributions": [_series(s) for s in dist_data]}


#: The version of ``written``'s shape and markup: a snapshot written by another has its page written again when
#: read (``services.snapshot_for``). Raise it when the shape changes, or when a change of the cards' or charts'
#: markup must not wait for each snapshot's next computation (at most ``services.STALE_SECONDS`` after a visit).
WRITTEN_VERSION = 1


def written(organization, data: dict) -> dict:
    """The dashboard page's cards and charts as HTML, written from a snapshot's ``data`` in the current language
    (the snapshot's): kept in the snapshot (``data["written"]``) when its figures are computed, so that a visit
    only fills in the bars' links (``page``) instead of writing some two hundred numbers and a thousand cells
    again. JSON: ``areas`` ([area, its label, its cards]), ``trend`` and ``distributions`` (each chart's card),
    ``bars`` (their parts, ``written_bars``)."""
    from .templatetags.dashboards import area_label, chart_card, figure_cards, written_bars

    shown = present(organization, data)
    return {"version": WRITTEN_VERSION,
            "areas": [[area, area_label(area), figure_cards(values)] for area, values in shown["areas"]],
            "trend": [chart_card(s) for s in shown["trend"]], "bars": [written_bars(s) for s in shown["bars"]],
            "distributions": [chart_card(s) for s in shown["distributions"]]}


def is_written(data: dict) -> bool:
    """Whether a snapshot's ``data`` holds the page as ``written`` writes it now."""
    return data.get("written", {}).get("version") == WRITTEN_VERSION


def page(organization, data: dict, user, link) -> dict:
    """A snapshot's page (its ``data``, ``is_written``) as the page's context: ``areas`` ((area, label, cards)),
    ``trend``, ``bars`` and ``distributions`` (each chart's card), and ``links``: the bars' drill-down, decided now
    for this user (``link(child)`` where he or she may open the child's dashboard; ``None`` without bars). At most
    one query (the children, for the links)."""
    from .templatetags.dashboards import bar_card, bar_labels

    shown = data["written"]
    links, bars = None, []
    if shown["bars"]:
        alive = {c.pk: c for c in children(organization)}
        links = []
        for pk, kind in data.get("children", []):
            child = alive.get(pk)
            links.append(link(child) if child is not None and kind in DASHBOARD_KINDS
                         and can(user, VIEW_DASHBOARD, child) else None)
        labels = bar_labels(shown["bars"][0], links)  # (every bar chart has the same children)
        bars = [bar_card(s, links, labels) for s in shown["bars"]]
    return {"areas": [(area, label, SafeString(cards)) for area, label, cards in shown["areas"]],
            "trend": [SafeString(card) for card in shown["trend"]], "bars": bars,
            "distributions": [SafeString(card) for card in shown["distributions"]], "links": links}


def organization_of_token(token: str):
    """The organization of an active kiosk link, or None (a revoked or unknown token opens nothing)."""
    if not token or len(token) > 64:
        return None
    kiosk = (KioskToken.objects.active().select_related("organization")
             .filter(token_hash=token_hash(token), organization__is_active=True).first())
    return kiosk.organization if kiosk else None
