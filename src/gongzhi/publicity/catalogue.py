"""The catalogue of what a community or village must publish, and how often, and the publications owed.

Defaults are declared in code, here for the common ones and by other modules for their own: an app
above publicity registers an entry when it starts (``catalogue.register(CatalogueDefault(...))`` in its
``AppConfig.ready``); registering an existing key replaces that default (the dues and funds disclosure
is declared here until the money module declares it with its own drafter). Streets and communities set
their own frequency and days, switch an entry off or add entries of their own (``CatalogueRule``); the
rule nearest to the community wins.

A periodic entry owes one publication per ended period (month, quarter, half year, year) from the
day the board's obligations are counted (``Board.opened_on``; without a board: 1 January of the
current year), due ``due_days`` after the period; an event entry owes one per ``Obligation`` that
another module registered. A publication is met by a published item naming the entry and the period
(or the obligation's source); it is on time when the item stood on the board by the due date.
Withdrawn items meet nothing: the obligation is open again until the correction is published.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gongzhi.core.periods import Period
from gongzhi.core.statements import Statement
from gongzhi.orgs.models import COMMUNITY_LEVEL, STEP

from .models import Board, CatalogueRule, Category, Frequency, Item, ItemStatus, Obligation

PERIOD_KINDS = {Frequency.MONTH: "month", Frequency.QUARTER: "quarter", Frequency.HALF: "half",
                Frequency.YEAR: "year"}
CUSTOM_PREFIX = "custom-"


@dataclass(frozen=True)
class CatalogueDefault:
    """A common entry of the catalogue.

    ``applies_to(organizations)`` (optional) returns the ids of the organizations the entry concerns, in
    one query (points rankings: only where the organization turned rankings on). ``draft(organization,
    period)`` (optional) writes the text of the item from the records, so that nothing is typed twice.
    """

    key: str
    title: str
    category: str
    frequency: str
    due_days: int
    description: str = ""
    applies_to: Callable[[list], set[int]] | None = None
    draft: Callable[[object, Period | None], str] | None = None
    kinds: frozenset = field(default=COMMUNITY_LEVEL)


DEFAULTS: dict[str, CatalogueDefault] = {}


def register(default: CatalogueDefault) -> None:
    """Declare (or replace) a default entry; called by an app when it starts."""
    if default.frequency not in Frequency.values or default.category not in Category.values:
        raise ValueError(f"catalogue entry {default.key!r}: unknown frequency or category")
    if default.key.startswith(CUSTOM_PREFIX):
        raise ValueError("keys starting with 'custom-' are kept for organizations' own entries")
    DEFAULTS[default.key] = default


@dataclass(frozen=True)
class Entry:
    """A catalogue entry as it applies to one organization."""

    key: str
    title: str
    category: str
    frequency: str
    due_days: int
    description: str = ""
    set_by: str = ""  # the organization whose setting applies; "" for the platform's default
    custom: bool = False
    draft: Callable | None = None
    active: bool = True

    @property
    def periodic(self) -> bool:
        return self.frequency in PERIOD_KINDS

    def frequency_label(self) -> str:
        return str(Frequency(self.frequency).label)


def _ancestor_paths(path: str) -> list[str]:
    return [path[:i] for i in range(STEP, len(path) + 1, STEP)]


# The catalogue's reads, compiled once (``core.statements``): the menu's to-do badges ask for the overdue
# publications on every page a community's staff open.
_RULES = Statement(lambda paths: CatalogueRule.objects.filter(organization__path__in=paths)
                   .select_related("organization"))
_BOARDS = Statement(lambda ids: Board.objects.filter(organization_id__in=ids)
                    .values_list("organization_id", "opened_on"))
_PUBLISHED = Statement(lambda ids: Item.objects.filter(organization_id__in=ids, status=ItemStatus.PUBLISHED)
                       .values_list("pk", "organization_id", "catalogue_key", "period_start", "period_end", "source",
                                    "published_at", "visible_from"))
_OBLIGATIONS = Statement(lambda ids: Obligation.objects.filter(organization_id__in=ids).order_by("due_on", "pk"))


def entries_for(organizations, *, include_inactive: bool = False) -> dict[int, list[Entry]]:
    """The catalogue of each organization (community or village), in a bounded number of queries.

    For a street or township it is the catalogue its settings give the communities below it."""
    organizations = list(organizations)
    if not organizations:
        return {}
    paths = {p for org in organizations for p in _ancestor_paths(org.path)}
    rules: dict[str, dict[str, CatalogueRule]] = {}
    for rule in _RULES.instances(paths=tuple(sorted(paths))):
        rules.setdefault(rule.key, {})[rule.organization.path] = rule
    applies = {key: default.applies_to(organizations) for key, default in DEFAULTS.items() if default.applies_to}
    keys = list(DEFAULTS) + sorted(k for k in rules if k.startswith(CUSTOM_PREFIX))
    result: dict[int, list[Entry]] = {}
    for org in organizations:
        chain = _ancestor_paths(org.path)
        kind = org.kind if org.kind in COMMUNITY_LEVEL else "community"
        entries = []
        for key in keys:
            default = DEFAULTS.get(key)
            if default is not None and (kind not in default.kinds
                                        or (key in applies and org.pk not in applies[key])):
                continue
            by_path = rules.get(key, {})
            nearest = next((by_path[p] for p in reversed(chain) if p in by_path), None)
            if default is None and nearest is None:
                continue
            if nearest is not None and not nearest.active and not include_inactive:
                continue
            entries.append(Entry(
                key=key,
                title=(nearest.title if nearest and nearest.title else str(default.title if default else key)),
                category=(nearest.category if nearest and nearest.category else default.category),
                frequency=nearest.frequency if nearest else default.frequency,
                due_days=nearest.due_days if nearest else default.due_days,
                description=str(default.description) if default else "",
                set_by=nearest.organization.name if nearest else "",
                custom=default is None,
                draft=default.draft if default else None,
                active=nearest.active if nearest else True,
            ))
        result[org.pk] = entries
    return result


def entry_for(organization, key: str) -> Entry | None:
    return next((e for e in entries_for([organization])[organization.pk] if e.key == key), None)


# --- what is owed ----------------------------------------------------------------------------------


@dataclass
class Due:
    """One publication owed by one organization, as it stands on ``as_of``."""

    organization: object
    entry: Entry
    due_on: date
    as_of: date
    period: Period | None = None
    obligation_title: str = ""
    source: str = ""
    item_id: int | None = None
    met_on: date | None = None

    @property
    def title(self) -> str:
        if self.period is not None:
            return f"{self.entry.title} · {self.period.label}"
        return self.obligation_title or self.entry.title

    @property
    def met(self) -> bool:
        return self.met_on is not None

    @property
    def on_time(self) -> bool:
        return self.met_on is not None and self.met_on <= self.due_on

    @property
    def is_overdue(self) -> bool:
        return self.met_on is None and self.due_on < self.as_of

    @property
    def days_overdue(self) -> int:
        return (self.as_of - self.due_on).days if self.is_overdue else 0

    @property
    def status(self) -> str:
        """on_time, late (met after the due date), overdue, or open (not yet due)."""
        if self.met_on is not None:
            return "on_time" if self.on_time else "late"
        return "overdue" if self.due_on < self.as_of else "open"


def counted_from(boards: dict[int, date], organization, today: date) -> date:
    return boards.get(organization.pk) or date(today.year, 1, 1)


def _periods(kind: str, start: date, today: date) -> list[Period]:
    """The periods of ``kind`` that ended before ``today`` and did not end before ``start``."""
    periods, period = [], Period.containing(kind, start)
    while period.end < today:
        periods.append(period)
        period = Period.containing(kind, period.end + timedelta(days=1))
    return periods


def dues_for(organizations, today: date | None = None) -> list[Due]:
    """Every publication owed by the organizations (communities and villages), met or not, with the
    item that met it: five queries whatever the number of organizations."""
    today = today or timezone.localdate()
    organizations = [o for o in organizations if o.kind in COMMUNITY_LEVEL]
    if not organizations:
        return []
    ids = [o.pk for o in organizations]
    catalogue = entries_for(organizations)
    boards = dict(_BOARDS.rows(ids=tuple(ids)))
    met_period: dict[tuple, tuple[int, date]] = {}
    met_source: dict[tuple, tuple[int, date]] = {}
    for pk, org_id, key, start, end, source, published_at, visible_from in _PUBLISHED.rows(ids=tuple(ids)):
        since = max(timezone.localdate(published_at), visible_from)
        if key and start is not None:
            slot = (org_id, key, start, end)
            if slot not in met_period or since < met_period[slot][1]:
                met_period[slot] = (pk, since)
        if source:
            met_source[(org_id, source)] = (pk, since)
    obligations: dict[int, list[Obligation]] = {}
    for obligation in _OBLIGATIONS.instances(ids=tuple(ids)):
        obligations.setdefault(obligation.organization_id, []).append(obligation)
    dues: list[Due] = []
    for org in organizations:
        start = counted_from(boards, org, today)
        entries = {e.key: e for e in catalogue.get(org.pk, [])}
        for entry in entries.values():
            if not entry.periodic:
                continue
            for period in _periods(PERIOD_KINDS[entry.frequency], start, today):
                found = met_period.get((org.pk, entry.key, period.start, period.end))
                dues.append(Due(organization=org, entry=entry, period=period, as_of=today,
                                due_on=period.end + timedelta(days=entry.due_days),
                                item_id=found[0] if found else None, met_on=found[1] if found else None))
        for obligation in obligations.get(org.pk, []):
            entry = entries.get(obligation.catalogue_key)
            if entry is None:  # switched off by the organization
                continue
            found = met_source.get((org.pk, obligation.source))
            dues.append(Due(organization=org, entry=entry, due_on=obligation.due_on, as_of=today,
                            obligation_title=obligation.title, source=obligation.source,
                            item_id=found[0] if found else None, met_on=found[1] if found else None))
    dues.sort(key=lambda d: (d.due_on, d.organization.path, d.entry.key))
    return dues


def overdue(organizations, today: date | None = None) -> list[Due]:
    today = today or timezone.localdate()
    return [d for d in dues_for(organizations, today) if d.is_overdue]


def open_periods(organization, entry: Entry, today: date | None = None) -> list[Period]:
    """The periods of a periodic entry an item may cover: those owed and not yet met, the latest first,
    then the current period (published ahead of time)."""
    today = today or timezone.localdate()
    if not entry.periodic:
        return []
    owed = [d.period for d in dues_for([organization], today)
            if d.entry.key == entry.key and not d.met and d.period is not None]
    current = Period.containing(PERIOD_KINDS[entry.frequency], today)
    return sorted(owed, key=lambda p: p.start, reverse=True) + [current]


# --- the common defaults ---------------------------------------------------------------------------


def _rankings_settings():
    from gongzhi.points.models import OrgPointsSettings

    return OrgPointsSettings.objects.filter(rankings_visible_to_members=True).values_list("organization__path")


_RANKINGS_ON = Statement(_rankings_settings)


def _rankings_on(organizations) -> set[int]:
    """Organizations that turned rankings on (for themselves or from above)."""
    paths = {path for (path,) in _RANKINGS_ON.rows()}
    return {o.pk for o in organizations if any(o.path.startswith(p) for p in paths)}


def appraisal_draft(organization, period: Period | None) -> str:
    """The grades of the democratic appraisal confirmed in the organization's branches for the year:
    numbers only, no names (an item's text is public)."""
    from gongzhi.meetings.models import AppraisalStatus, Grade, Participant

    year = (period or Period.containing("year", timezone.localdate())).start.year
    rows = (Participant.objects.filter(appraisal__branch__path__startswith=organization.path,
                                       appraisal__year=year, appraisal__status=AppraisalStatus.CONFIRMED)
            .exclude(grade="").values_list("appraisal__branch__name", "grade").annotate(n=Count("id"))
            .order_by("appraisal__branch__path"))
    by_branch: dict[str, dict[str, int]] = {}
    for branch, grade, n in rows:
        by_branch.setdefault(branch, {})[grade] = n
    for branch, grades in by_branch.items():  # excellent, qualified, basically qualified, unqualified
        by_branch[branch] = {g: grades[g] for g in Grade.values if g in grades}
    if not by_branch:
        return _("No appraisal of %(year)s has been confirmed yet.") % {"year": year}
    lines = [_("Results of the democratic appraisal of party members, %(year)s") % {"year": year}]
    for branch, grades in by_branch.items():
        parts = ", ".join(f"{Grade(g).label} {n}" for g, n in grades.items())
        lines.append(_("%(branch)s: %(total)s appraised (%(grades)s)")
                     % {"branch": branch, "total": sum(grades.values()), "grades": parts})
    return "\n".join(lines)


register(CatalogueDefault(
    key="finance.dues_funds", title=gettext_lazy("Dues and funds disclosure"), category=Category.FINANCE,
    frequency=Frequency.QUARTER, due_days=15,
    description=gettext_lazy("Membership dues collected and the funds for serving the masses spent, each "
                             "quarter.")))
register(CatalogueDefault(
    key="meetings.appraisal", title=gettext_lazy("Democratic appraisal results"), category=Category.PARTY,
    frequency=Frequency.YEAR, due_days=31,
    description=gettext_lazy("The grades of the year's democratic appraisal of party members."),
    draft=appraisal_draft))
register(CatalogueDefault(
    key="democracy.four_two", title=gettext_lazy("Four deliberations and two disclosures: decisions and results"),
    category=Category.AFFAIRS, frequency=Frequency.EVENT, due_days=7,
    description=gettext_lazy("Each decision once taken, and its results once carried out.")))
register(CatalogueDefault(
    key="democracy.election", title=gettext_lazy("Election results"), category=Category.PARTY,
    frequency=Frequency.EVENT, due_days=7,
    description=gettext_lazy("The result of each election, within days of the vote.")))
register(CatalogueDefault(
    key="points.rankings", title=gettext_lazy("Service points rankings"), category=Category.PARTY,
    frequency=Frequency.QUARTER, due_days=15, applies_to=_rankings_on,
    description=gettext_lazy("Only where the organization turned rankings on (they are off by default).")))
