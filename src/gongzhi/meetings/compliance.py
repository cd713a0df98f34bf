"""What each branch owed and held, period by period.

Periods are calendar months, quarters and years. A period is owed when the kind is
required for the branch (a committee meeting only where the branch has a committee, a
party group meeting only where it has groups) and the branch existed for at least half
of the period (a branch created on 20 March owes nothing for March, but owes the first
quarter's general meeting if it was created by mid-February). A meeting held by a party
group counts for its branch. Every figure is computed with a fixed number of queries,
whatever the number of branches: the grid and a secretary's "due next" cell by cell (``evaluate``), the
figures of a whole subtree in one grouped statement (``owed_and_held``), with the same rules.
"""

from __future__ import annotations

from calendar import monthrange
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db import connection
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
    return _requirements_from(branches, kind, rows)


def _requirements_from(branches, kind: str, rows) -> dict[int, Requirement]:
    """``requirements_for`` from the kind's requirement rows, read already."""
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
    qs = meetings if meetings is not None else Meeting.objects.all()
    rows = qs.filter(kind=kind, status__in=HELD_STATUSES, date__gte=first, date__lte=last).values_list(
        "organization__path", "date")
    return _cells(branches, requirements, applicability, _held_dates(branches, rows), spans_by_branch, today)


def _held_dates(branches, rows) -> dict[int, list[date]]:
    """The dates of the meetings held (``rows``: organization path, date) by branch, a group's for its branch."""
    branch_paths = {b.path: b.pk for b in branches}
    dates_by_branch = defaultdict(list)
    for path, day in rows:
        branch_id = _branch_of_path(branch_paths, path)
        if branch_id is not None:
            dates_by_branch[branch_id].append(day)
    return dates_by_branch


def _cells(branches, requirements, applicability, dates_by_branch, spans_by_branch,
           today) -> dict[tuple[int, str], Cell]:
    """``evaluate``'s cells from what it read: no query."""
    result = {}
    for branch in branches:
        req = requirements[branch.pk]
        for span in spans_by_branch.get(branch.pk, []):
            count = sum(1 for d in dates_by_branch.get(branch.pk, ()) if span.start <= d <= span.end)
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
    """For a branch secretary: each required kind's current period, what was held and the deadline. The cells
    ``evaluate`` gives, for every kind at once: four queries (the requirements, the meetings the branch and its
    groups held, and when it had a committee and groups) instead of three or four for each kind."""
    rows = list(MeetingRequirement.objects.filter(kind__in=REQUIRED_KINDS).values(
        "kind", "organization__path", "period", "times"))
    requirements, spans = {}, {}
    for kind in REQUIRED_KINDS:
        requirements[kind] = _requirements_from([branch], kind, [row for row in rows if row["kind"] == kind])
        spans[kind] = period_containing(requirements[kind][branch.pk].period, today)
    first, last = min(s.start for s in spans.values()), max(s.end for s in spans.values())
    held = defaultdict(list)
    for kind, path, day in Meeting.objects.filter(
            organization__path__startswith=branch.path, kind__in=REQUIRED_KINDS, status__in=HELD_STATUSES,
            date__gte=first, date__lte=last).values_list("kind", "organization__path", "date"):
        held[kind].append((path, day))
    result = []
    for kind in REQUIRED_KINDS:
        span = spans[kind]
        applicability = _applicability([branch], kind, span.start, span.end)
        cell = _cells([branch], requirements[kind], applicability, _held_dates([branch], held[kind]),
                      {branch.pk: [span]}, today)[(branch.pk, span.key)]
        if cell.required:
            cell.kind = kind
            result.append(cell)
    return sorted(result, key=lambda c: (c.state == CellState.HELD, c.period.end))


def _span_rows(first: date, last: date, today: date) -> list[tuple]:
    """Every month, quarter and year that ends within [first, last] and before today, as SQL rows."""
    rows = []
    for year in range(first.year, last.year + 1):
        for every in (Period.MONTH, Period.QUARTER, Period.YEAR):
            for span in periods_of_year(every, year):
                if first <= span.end <= last and span.end < today:
                    rows.append((str(every), span.key, span.start, span.end, span.midpoint))
    return rows


def _owed_sql(spans: int, kinds: int) -> str:
    """One statement: the cells (branch, kind, requirement period) owed, and those held, counted by kind.

    The requirement in force is the deepest on the branch's path (else the kind's default); a cell is owed
    when the requirement asks for it, the branch existed at the period's midpoint, and — for committee and
    group meetings — the branch had a committee seat or an active group during the period; it is held when
    the branch and its groups held the meeting at least the required number of times within it.
    """
    org, requirement = Organization._meta.db_table, MeetingRequirement._meta.db_table
    meeting, seat = Meeting._meta.db_table, CommitteeMembership._meta.db_table
    values = ", ".join(["(%s, %s, %s, %s, %s)"] * spans)
    kind_values = ", ".join(["(%s, %s, %s)"] * kinds)

    def rule(column: str) -> str:
        return (f"(SELECT r.{column} FROM {requirement} r JOIN {org} o ON o.id = r.organization_id "  # noqa: S608
                "WHERE r.kind = k.kind AND SUBSTR(b.path, 1, LENGTH(o.path)) = o.path "
                "ORDER BY LENGTH(o.path) DESC, r.id DESC LIMIT 1)")

    return f"""
WITH spans (period, span_key, span_start, span_end, span_mid) AS (VALUES {values}),
kinds (kind, default_period, default_times) AS (VALUES {kind_values}),
branches AS (
  SELECT id, path, established_on FROM {org} WHERE kind = %s AND is_active = %s AND path LIKE %s
),
rules AS (
  SELECT b.id AS branch_id, b.established_on, k.kind,
         COALESCE({rule("period")}, k.default_period) AS period,
         COALESCE({rule("times")}, k.default_times) AS times
  FROM branches b CROSS JOIN kinds k
),
owed AS (
  SELECT u.branch_id, u.kind, u.times, s.span_key
  FROM rules u JOIN spans s ON s.period = u.period
  WHERE u.times > 0 AND (u.established_on IS NULL OR u.established_on <= s.span_mid)
    AND (u.kind <> %s OR EXISTS (
      SELECT 1 FROM {seat} c WHERE c.branch_id = u.branch_id AND c.starts_on <= s.span_end
        AND (c.ends_on IS NULL OR c.ends_on >= s.span_start)))
    AND (u.kind <> %s OR EXISTS (
      SELECT 1 FROM {org} g WHERE g.parent_id = u.branch_id AND g.kind = %s AND g.is_active = %s
        AND (g.established_on IS NULL OR g.established_on <= s.span_end)))
),
held AS (
  SELECT CASE WHEN o.kind = %s THEN o.id ELSE o.parent_id END AS branch_id, m.kind, s.span_key, COUNT(*) AS n
  FROM {meeting} m JOIN {org} o ON o.id = m.organization_id
  JOIN spans s ON m.date >= s.span_start AND m.date <= s.span_end
  WHERE m.status IN (%s, %s) AND m.date >= %s AND m.date <= %s AND o.path LIKE %s
  GROUP BY 1, m.kind, s.span_key  -- by position: parameters bound on the server make two CASEs unequal
)
SELECT owed.kind, COUNT(*), SUM(CASE WHEN COALESCE(held.n, 0) >= owed.times THEN 1 ELSE 0 END)
FROM owed LEFT JOIN held ON held.branch_id = owed.branch_id AND held.kind = owed.kind
  AND held.span_key = owed.span_key
GROUP BY owed.kind
"""  # noqa: S608 (table names are the models' own; every value is a parameter)


def owed_and_held(organization, first: date, last: date, today: date) -> dict[str, tuple[int, int]]:
    """For each required kind with anything owed: (periods owed, of those the ones held), over the active
    branches of the organization's subtree and the requirement periods (months, quarters, years) that end
    within [first, last] and before today (the current period is not owed yet). One statement whatever the
    number of branches; the same answers as ``evaluate`` cell by cell."""
    spans = _span_rows(first, last, today)
    if not spans:
        return {}
    kinds = [(str(kind), str(DEFAULT_REQUIREMENTS[kind][0]), DEFAULT_REQUIREMENTS[kind][1]) for kind in REQUIRED_KINDS]
    like = organization.path + "%"
    params = [value for row in spans for value in row] + [value for row in kinds for value in row]
    params += [OrgKind.BRANCH, True, like, MeetingKind.COMMITTEE, MeetingKind.GROUP, OrgKind.GROUP, True,
               OrgKind.BRANCH, *HELD_STATUSES, min(s[2] for s in spans), max(s[3] for s in spans), like]
    with connection.cursor() as cursor:
        cursor.execute(_owed_sql(len(spans), len(kinds)), [str(p) if isinstance(p, str) else p for p in params])
        found = {kind: (owed, int(held or 0)) for kind, owed, held in cursor.fetchall() if owed}
    return {kind: found[kind] for kind in REQUIRED_KINDS if kind in found}
