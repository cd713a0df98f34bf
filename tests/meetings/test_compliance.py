"""Due and held, per branch and period, for every kind; the compliance grid and its figures."""

from datetime import date

import pytest

from gongzhi.meetings import compliance
from gongzhi.meetings.compliance import CellState
from gongzhi.meetings.models import CommitteeMembership, MeetingKind, MeetingRequirement, MeetingStatus, Period
from gongzhi.orgs.models import OrgKind
from tests.factories import OrganizationFactory

from .factories import held_meeting


@pytest.fixture
def world(world_copy):
    return world_copy


pytestmark = pytest.mark.django_db


def state(branch, kind, span, today):
    return compliance.evaluate([branch], kind, {branch.pk: [span]}, today)[(branch.pk, span.key)]


def test_periods_cross_month_quarter_and_year_boundaries():
    assert compliance.period_containing(Period.MONTH, date(2024, 2, 29)).end == date(2024, 2, 29)
    q = compliance.period_containing(Period.QUARTER, date(2025, 12, 31))
    assert (q.key, q.start, q.end) == ("2025-Q4", date(2025, 10, 1), date(2025, 12, 31))
    assert compliance.previous_period(Period.QUARTER, date(2026, 1, 1)).key == "2025-Q4"
    assert compliance.previous_period(Period.MONTH, date(2026, 1, 15)).key == "2025-12"
    assert compliance.previous_period(Period.YEAR, date(2026, 3, 1)).key == "2025"


@pytest.mark.parametrize("kind, period", [
    (MeetingKind.THEME_DAY, Period.MONTH), (MeetingKind.COMMITTEE, Period.MONTH), (MeetingKind.GROUP, Period.MONTH),
    (MeetingKind.GENERAL, Period.QUARTER), (MeetingKind.LESSON, Period.QUARTER), (MeetingKind.LIFE, Period.YEAR),
])
def test_every_kind_is_held_overdue_or_not_yet_due_across_its_period(world, kind, period):
    branch = world.branch_a
    CommitteeMembership.objects.create(branch=branch, member=world.member_a, starts_on=date(2020, 1, 1))
    holder = world.group_a1 if kind == MeetingKind.GROUP else branch
    span = compliance.period_containing(period, date(2025, 12, 31))
    # Last day of the period, nothing held: not yet due; the day after: overdue.
    assert state(branch, kind, span, span.end).state == CellState.DUE
    assert state(branch, kind, span, date(2026, 1, 1)).state == CellState.OVERDUE
    # A meeting on the first day of the next period does not count for this one.
    held_meeting(holder, kind=kind, day=date(2026, 1, 1))
    assert state(branch, kind, span, date(2026, 1, 2)).state == CellState.OVERDUE
    # A planned (not held) meeting does not count either; a held one on the last day does.
    held_meeting(holder, kind=kind, day=span.end, status=MeetingStatus.PLANNED)
    assert state(branch, kind, span, date(2026, 1, 2)).state == CellState.OVERDUE
    held_meeting(holder, kind=kind, day=span.end)
    cell = state(branch, kind, span, date(2026, 1, 2))
    assert (cell.state, cell.held, cell.required) == (CellState.HELD, 1, 1)
    next_span = compliance.period_containing(period, date(2026, 1, 1))
    assert state(branch, kind, next_span, date(2026, 1, 2)).state == CellState.HELD


def test_a_branch_created_mid_period_owes_only_periods_it_existed_for_at_least_half_of(world):
    branch = OrganizationFactory(kind=OrgKind.BRANCH, parent=world.community_a, established_on=date(2025, 3, 20))
    today = date(2026, 1, 10)
    march = compliance.period_containing(Period.MONTH, date(2025, 3, 1))
    april = compliance.period_containing(Period.MONTH, date(2025, 4, 1))
    q1 = compliance.period_containing(Period.QUARTER, date(2025, 1, 1))
    year = compliance.period_containing(Period.YEAR, date(2025, 1, 1))
    assert state(branch, MeetingKind.THEME_DAY, march, today).state == CellState.NOT_REQUIRED
    assert state(branch, MeetingKind.THEME_DAY, april, today).state == CellState.OVERDUE
    assert state(branch, MeetingKind.GENERAL, q1, today).state == CellState.NOT_REQUIRED
    assert state(branch, MeetingKind.LIFE, year, today).state == CellState.OVERDUE
    early = OrganizationFactory(kind=OrgKind.BRANCH, parent=world.community_a, established_on=date(2025, 2, 10))
    assert state(early, MeetingKind.GENERAL, q1, today).state == CellState.OVERDUE


def test_committee_and_group_meetings_are_owed_only_where_there_is_a_committee_or_a_group(world):
    span = compliance.period_containing(Period.MONTH, date(2025, 5, 1))
    today = date(2025, 7, 1)
    assert state(world.branch_b, MeetingKind.COMMITTEE, span, today).state == CellState.NOT_REQUIRED
    assert state(world.branch_b, MeetingKind.GROUP, span, today).state == CellState.NOT_REQUIRED
    assert state(world.branch_a, MeetingKind.GROUP, span, today).state == CellState.OVERDUE
    CommitteeMembership.objects.create(branch=world.branch_b, member=world.member_b, starts_on=date(2025, 6, 1))
    assert state(world.branch_b, MeetingKind.COMMITTEE, span, today).state == CellState.NOT_REQUIRED
    june = compliance.period_containing(Period.MONTH, date(2025, 6, 1))
    assert state(world.branch_b, MeetingKind.COMMITTEE, june, today).state == CellState.OVERDUE


def test_frequencies_are_data_and_the_deepest_organization_wins(world):
    MeetingRequirement.objects.create(organization=world.street_a, kind=MeetingKind.LESSON, period=Period.MONTH,
                                      times=2)
    MeetingRequirement.objects.create(organization=world.community_a, kind=MeetingKind.THEME_DAY,
                                      period=Period.MONTH, times=0)
    span = compliance.period_containing(Period.MONTH, date(2025, 5, 1))
    held_meeting(world.branch_a, kind=MeetingKind.LESSON, day=date(2025, 5, 3))
    cell = state(world.branch_a, MeetingKind.LESSON, span, date(2025, 7, 1))
    assert (cell.state, cell.held, cell.required) == (CellState.OVERDUE, 1, 2)
    assert state(world.branch_a, MeetingKind.THEME_DAY, span, date(2025, 7, 1)).state == CellState.NOT_REQUIRED
    assert state(world.branch_x, MeetingKind.LESSON, compliance.period_containing(Period.QUARTER, date(2025, 5, 1)),
                 date(2025, 7, 1)).required == 1


def test_compliance_grid_figures_on_a_hand_built_data_set(world):
    # Three branches in community A; theme days in 2025 as of 15 April 2025.
    branch_c = OrganizationFactory(kind=OrgKind.BRANCH, parent=world.community_a, established_on=date(2025, 3, 1))
    for month in (1, 2, 3):
        held_meeting(world.branch_a, day=date(2025, month, 10))
    held_meeting(world.branch_b, day=date(2025, 1, 10))
    held_meeting(world.branch_b, day=date(2025, 3, 10))
    held_meeting(branch_c, day=date(2025, 4, 2))
    grid = compliance.compliance_grid(world.community_a, kind=MeetingKind.THEME_DAY, year=2025,
                                      today=date(2025, 4, 15))
    states = {b.name: [c.state for c in cells[:5]] for b, cells in grid.rows}
    assert states[world.branch_a.name] == ["held", "held", "held", "due", "future"]
    assert states[world.branch_b.name] == ["held", "overdue", "held", "due", "future"]
    assert states[branch_c.name] == ["none", "none", "overdue", "held", "future"]
    # January: 2 of 2 owed held; February: 1 of 2; March: 2 of 3; April: 1 of 3; May: not owed yet.
    assert grid.shares[:5] == [1.0, 0.5, pytest.approx(2 / 3), pytest.approx(1 / 3), None]
    assert world.branch_x.pk not in {b.pk for b, _cells in grid.rows}


def test_due_next_lists_the_current_periods_with_their_deadlines(world):
    held_meeting(world.branch_b, kind=MeetingKind.GENERAL, day=date(2025, 4, 2))
    cells = compliance.due_next(world.branch_b, date(2025, 5, 20))
    by_kind = {c.kind: c for c in cells}
    assert set(by_kind) == {"general", "lesson", "theme_day", "life"}
    assert by_kind["general"].state == CellState.HELD
    assert by_kind["theme_day"].period.end == date(2025, 5, 31)
    assert by_kind["lesson"].period.end == date(2025, 6, 30)
    assert cells[-1].kind == "general"  # held items last


def test_due_next_gives_each_kinds_evaluated_cell_in_four_queries(world, django_assert_num_queries):
    """The cells of every kind read at once are those ``evaluate`` gives kind by kind: a deeper requirement, a
    committee seat, a group's meeting counting for its branch, a planned meeting not counting, another
    branch's held meeting not counting; four queries, not three or four for each of the six kinds."""
    branch, today = world.branch_a, date(2025, 5, 20)
    MeetingRequirement.objects.create(organization=world.community_a, kind=MeetingKind.LESSON, period=Period.MONTH,
                                      times=2)
    CommitteeMembership.objects.create(branch=branch, member=world.member_a, starts_on=date(2025, 1, 1))
    held_meeting(world.group_a1, kind=MeetingKind.GROUP, day=date(2025, 5, 2))
    held_meeting(branch, kind=MeetingKind.LESSON, day=date(2025, 5, 3))
    held_meeting(branch, kind=MeetingKind.LIFE, day=date(2025, 1, 9))
    held_meeting(branch, kind=MeetingKind.COMMITTEE, day=date(2025, 5, 30), status=MeetingStatus.PLANNED)
    held_meeting(world.branch_b, kind=MeetingKind.GENERAL, day=date(2025, 4, 2))
    expected = []
    for kind in compliance.REQUIRED_KINDS:
        span = compliance.period_containing(compliance.requirements_for([branch], kind)[branch.pk].period, today)
        cell = state(branch, kind, span, today)
        if cell.required:
            expected.append((kind, cell.state, cell.held, cell.required, span.key))
    with django_assert_num_queries(4):
        cells = compliance.due_next(branch, today)
    assert sorted((c.kind, c.state, c.held, c.required, c.period.key) for c in cells) == sorted(expected)
    assert {c.kind: (c.state, c.held) for c in cells} == {
        "general": (CellState.DUE, 0), "committee": (CellState.DUE, 0), "group": (CellState.HELD, 1),
        "lesson": (CellState.DUE, 1), "theme_day": (CellState.DUE, 0), "life": (CellState.HELD, 1)}
