"""What each branch owed and held, period by period.

Periods are calendar months, quarters and years. A period is owed when the kind is
required for the branch (a committee meeting only where the branch has a committee, a
party group meeting only where it has groups) and the branch existed for at least half
of the period (a branch created on 20 March owes nothing for March, but owes the first
quarter's general meeting if it was created by mid-February). A meeting held by a party
group counts for its branch. Every figure is computed with a fixed number of queries,
whatever the number of branches.
"""

from __future__ import annotations

from calendar import monthrange
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from gongzhi.core.scoping import ancestor_paths
from gongzhi.orgs.models import STEP, Organization, OrgKind

from .models import (
    DEFAULT_REQUIREMENTS,
    HELD_STATUSES,
    CommitteeMembership,
    Meeting,
    MeetingKind,
    MeetingRequirement,
    Period,
)

REQUIRED_KINDS = [k for k in MeetingKind if k in DEFAULT_REQUIREMENTS]


class CellState:
    HELD = "held"
    OVERDUE = "overdue"
    DUE = "due"  # current period, not held yet: not yet due
    FUTURE = "future"
    NOT_REQUIRED = "none"


STATE_LABELS = {
    CellState.HELD: _("Held"),
    CellState.OVERDUE: pgettext_lazy("meeting", "Overdue"),
    CellState.DUE: _("Not yet due"),
    CellState.FUTURE: _("Later"),
    CellState.NOT_REQUIRED: _("Not required"),
}


@dataclass(frozen=True)
class PeriodSpan:
    key: str
    label: str
    start: date
    end: date

    @property
    def midpoint(self) -> date:
        return self.start + timedelta(days=(self.end - self.start).days // 2)


def period_containing(period: str, day: date) -> PeriodSpan:
    if period == Period.MONTH:
        end = date(day.year, day.month, monthrange(day.year, day.month)[1])
        return PeriodSpan(f"{day:%Y-%m}", f"{day.month}", date(day.year, day.month, 1), end)
    if period == Period.QUARTER:
        quarter = (day.month - 1) // 3 + 1
        first = 3 * quarter - 2
        end_month = first + 2
        return PeriodSpan(f"{day.year}-Q{quarter}", f"Q{quarter}", date(day.year, first, 1),
                          date(day.year, end_month, monthrange(day.year, end_month)[1]))
    return PeriodSpan(f"{day.year}", f"{day.year}", date(day.year, 1, 1), date(day.year, 12, 31))


def periods_of_year(period: str, year: int) -> list[PeriodSpan]:
    if period == Period.MONTH:
        return [period_containing(period, date(year, m, 1)) for m in range(1, 13)]
    if period == Period.QUARTER:
        return [period_containing(period, date(year, m, 1)) for m in (1, 4, 7, 10)]
    return [period_containing(period, date(year, 1, 1))]


def previous_period(period: str, day: date) -> PeriodSpan:
    return period_containing(period, period_containing(period, day).start - timedelta(days=1))


@dataclass
class Requirement:
    period: str
    times: int


def requirements_for(branches, kind: str) -> dict[int, Requirement]:
    """The requirement in force for each branch: the deepest organization on its path wins (1 query)."""
    rows = list(MeetingRequirement.objects.filter(kind=kind).values("organization__path", "period", "times"))
    default_period, default_times = DEFAULT_REQUIREMENTS.get(kind, (Period.YEAR, 0))
    result = {}
    for branch in branches:
        best, best_depth = Requirement(default_period, default_times), -1
        for row in rows:
            path = row["organization__path"]
            if branch.path.startswith(path) and len(path) > best_depth:
                best, best_depth = Requirement(row["period"], row["times"]), len(path)
        result[branch.pk] = best
    return result


def requirement_at(organization, kind: str) -> Requirement:
    """The requirement in force at an organization (for the grid's columns)."""
    paths = ancestor_paths(organization.path, STEP)
    row = (MeetingRequirement.objects.filter(kind=kind, organization__path__in=paths)
           .order_by("-organization__depth").values("period", "times").first())
    if row:
        return Requirement(row["period"], row["times"])
    period, times = DEFAULT_REQUIREMENTS.get(kind, (Period.YEAR, 0))
    return Requirement(period, times)


@dataclass
class Cell:
    state: str
    held: int
    required: int
    period: PeriodSpan
    kind: str = ""

    @property
    def label(self):
        return STATE_LABELS[self.state]

    @property
    def kind_label(self):
        return MeetingKind(self.kind).label if self.kind else ""


def _branch_of_path(branch_paths: dict[str, int], path: str) -> int | None:
    for end in range(len(path), 0, -STEP):
        branch_id = branch_paths.get(path[:end])
        if branch_id is not None:
            return branch_id
    return None


def _applicability(branches, kind: str, first: date, last: date) -> dict[int, list[tuple[date, date | None]]] | None:
    """For kinds that depend on the branch's make-up: when each branch qualified (1 query)."""
    ids = [b.pk for b in branches]
    if kind == MeetingKind.COMMITTEE:
        spans = defaultdict(list)
        seats = CommitteeMembership.objects.filter(branch_id__in=ids, starts_on__lte=last).filter(
            Q(ends_on__isnull=True) | Q(ends_on__gte=first)).values_list("branch_id", "starts_on", "ends_on")
        for branch_id, starts, ends in seats:
            spans[branch_id].append((starts, ends))
        return spans
    if kind == MeetingKind.GROUP:
        spans = defaultdict(list)
        groups = Organization.objects.filter(parent_id__in=ids, kind=OrgKind.GROUP, is_active=True).values_list(
            "parent_id", "established_on")
        for branch_id, established in groups:
            spans[branch_id].append((established or date.min, None))
        return spans
    return None


def _qualifies(spans, span: PeriodSpan) -> bool:
    return any(start <= span.end and (end is None or end >= span.start) for start, end in spans)


def evaluate(branches, kind: str, spans_by_branch: dict[int, list[PeriodSpan]], today: date,
             *, meetings=None) -> dict[tuple[int, str], Cell]:
    """The state of every (branch, period) asked for, in four queries."""
    all_spans = [s for spans in spans_by_branch.values() for s in spans]
    if not all_spans or not branches:
        return {}
    first, last = min(s.start for s in all_spans), max(s.end for s in all_spans)
    requirements = requirements_for(branches, kind)
    applicability = _applicability(branches, kind, first, last)
    branch_paths = {b.path: b.pk for b in branches}
    held: Counter = Counter()
    qs = meetings if meetings is not None else Meeting.objects.all()
    rows = qs.filter(kind=kind, status__in=HELD_STATUSES, date__gte=first, date__lte=last).values_list(
        "organization__path", "date")
    dates_by_branch = defaultdict(list)
    for path, day in rows:
        branch_id = _branch_of_path(branch_paths, path)
        if branch_id is not None:
            dates_by_branch[branch_id].append(day)
    result = {}
    for branch in branches:
        req = requirements[branch.pk]
        for span in spans_by_branch.get(branch.pk, []):
            count = sum(1 for d in dates_by_branch.get(branch.pk, ()) if span.start <= d <= span.end)
            held[(branch.pk, span.key)] = count
            owed = req.times > 0 and (branch.established_on is None or branch.established_on <= span.midpoint)
            if owed and applicability is not None:
                owed = _qualifies(applicability.get(branch.pk, ()), span)
            if not owed:
                state = CellState.HELD if count else CellState.NOT_REQUIRED
            elif count >= req.times:
                state = CellState.HELD
            elif span.start > today:
                state = CellState.FUTURE
            elif span.end < today:
                state = CellState.OVERDUE
            else:
                state = CellState.DUE
            result[(branch.pk, span.key)] = Cell(state, count, req.times if owed else 0, span)
    return result


def branches_under(organization):
    """Active branches in an organization's subtree (the organization itself if it is one)."""
    return list(Organization.objects.filter(path__startswith=organization.path, kind=OrgKind.BRANCH,
                                            is_active=True).select_related("parent").order_by("path"))


@dataclass
class Grid:
    organization: object
    kind: str
    year: int
    period: str
    columns: list[PeriodSpan]
    rows: list[tuple[object, list[Cell]]] = field(default_factory=list)
    shares: list[float | None] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)


def compliance_grid(organization, *, kind: str, year: int, today: date) -> Grid:
    """Branches × periods of one kind for a community or street, with the share compliant per column."""
    requirement = requirement_at(organization, kind)
    columns = periods_of_year(requirement.period, year)
    branches = branches_under(organization)
    cells = evaluate(branches, kind, {b.pk: columns for b in branches}, today,
                     meetings=Meeting.objects.filter(organization__path__startswith=organization.path))
    grid = Grid(organization, kind, year, requirement.period, columns)
    counts: Counter = Counter()
    for branch in branches:
        row = [cells[(branch.pk, c.key)] for c in columns]
        grid.rows.append((branch, row))
        counts.update(cell.state for cell in row)
    for index, _column in enumerate(columns):
        owed = [row[index] for _b, row in grid.rows if row[index].required and row[index].state != CellState.FUTURE]
        grid.shares.append(sum(1 for c in owed if c.state == CellState.HELD) / len(owed) if owed else None)
    grid.counts = dict(counts)
    return grid


def due_next(branch, today: date) -> list[Cell]:
    """For a branch secretary: each required kind's current period, what was held and the deadline."""
    result = []
    for kind in REQUIRED_KINDS:
        req = requirements_for([branch], kind)[branch.pk]
        span = period_containing(req.period, today)
        cell = evaluate([branch], kind, {branch.pk: [span]}, today)[(branch.pk, span.key)]
        if cell.required:
            cell.kind = kind
            result.append(cell)
    return sorted(result, key=lambda c: (c.state == CellState.HELD, c.period.end))
