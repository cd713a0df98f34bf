"""The compliance figure in one grouped statement (``compliance.owed_and_held``) gives the same answers as
``compliance.evaluate`` cell by cell, at the boundaries of months, quarters and years: a branch created
around a period's midpoint, a requirement overridden above and at the branch, a committee seat ending on a
period's first day, a group established on a period's last day, meetings on a period's first and last day,
a meeting of the community (no branch's), an inactive branch, the current period (not owed yet)."""

from datetime import date

import pytest

from gongzhi.core.periods import Period as FigurePeriod
from gongzhi.meetings import compliance
from gongzhi.meetings.models import CommitteeMembership, MeetingKind, MeetingRequirement, MeetingStatus, Period
from gongzhi.orgs.models import OrgKind
from tests.factories import OrganizationFactory

from .factories import held_meeting


@pytest.fixture
def world(world_copy):
    return world_copy


pytestmark = pytest.mark.django_db


def reference(organization, first: date, last: date, today: date) -> dict[str, tuple[int, int]]:
    """Cell by cell with ``compliance.evaluate`` (the grid's rules), as the figure was computed before."""
    branches = compliance.branches_under(organization)
    result = {}
    for kind in compliance.REQUIRED_KINDS:
        requirements = compliance.requirements_for(branches, kind)
        spans = {b.pk: [s for year in range(first.year, last.year + 1)
                        for s in compliance.periods_of_year(requirements[b.pk].period, year)
                        if first <= s.end <= last and s.end < today] for b in branches}
        cells = compliance.evaluate(branches, kind, spans, today).values()
        owed = [c for c in cells if c.required and c.state in (compliance.CellState.HELD,
                                                              compliance.CellState.OVERDUE)]
        if owed:
            result[kind] = (len(owed), sum(1 for c in owed if c.state == compliance.CellState.HELD))
    return result


@pytest.fixture
def street(world):
    w = world
    # A branch created on 14 February 2025 (owes February: the midpoint is the 14th) and one created on
    # 15 February (does not), an inactive branch, a group established on 31 March.
    w.early = OrganizationFactory(code="SA-C1-B7", name="二月十四日支部", kind=OrgKind.BRANCH, parent=w.community_a,
                                  established_on=date(2025, 2, 14))
    w.late = OrganizationFactory(code="SA-C1-B8", name="二月十五日支部", kind=OrgKind.BRANCH, parent=w.community_a,
                                 established_on=date(2025, 2, 15))
    OrganizationFactory(code="SA-C1-B9", name="撤销支部", kind=OrgKind.BRANCH, parent=w.community_a, is_active=False)
    w.late_group = OrganizationFactory(code="SA-C1-B8-P1", name="三月底小组", kind=OrgKind.GROUP, parent=w.late,
                                       established_on=date(2025, 3, 31))
    # The community asks for two committee meetings a quarter; branch B itself for a yearly lesson, none of
    # general meetings; branch A's committee seat ends on 1 April (it still owes the second quarter).
    MeetingRequirement.objects.create(organization=w.community_a, kind=MeetingKind.COMMITTEE, period=Period.QUARTER,
                                      times=2)
    MeetingRequirement.objects.create(organization=w.branch_b, kind=MeetingKind.LESSON, period=Period.YEAR, times=1)
    MeetingRequirement.objects.create(organization=w.branch_b, kind=MeetingKind.GENERAL, period=Period.QUARTER,
                                      times=0)
    CommitteeMembership.objects.create(branch=w.branch_a, member=w.member_a, starts_on=date(2024, 6, 1),
                                       ends_on=date(2025, 4, 1))
    CommitteeMembership.objects.create(branch=w.late, member=w.member_b, starts_on=date(2025, 3, 31))
    for organization, kind, day in [
        (w.branch_a, MeetingKind.COMMITTEE, date(2025, 1, 1)), (w.branch_a, MeetingKind.COMMITTEE, date(2025, 3, 31)),
        (w.branch_a, MeetingKind.COMMITTEE, date(2025, 4, 1)), (w.group_a1, MeetingKind.GROUP, date(2025, 2, 28)),
        (w.group_a1, MeetingKind.GROUP, date(2025, 3, 1)), (w.branch_a, MeetingKind.THEME_DAY, date(2024, 12, 31)),
        (w.branch_a, MeetingKind.THEME_DAY, date(2025, 1, 31)), (w.branch_a, MeetingKind.GENERAL, date(2025, 3, 31)),
        (w.branch_b, MeetingKind.LESSON, date(2025, 12, 31)), (w.branch_b, MeetingKind.THEME_DAY, date(2025, 2, 1)),
        (w.early, MeetingKind.THEME_DAY, date(2025, 2, 14)), (w.late_group, MeetingKind.GROUP, date(2025, 3, 31)),
        (w.late, MeetingKind.COMMITTEE, date(2025, 6, 30)), (w.late, MeetingKind.COMMITTEE, date(2025, 5, 1)),
        (w.community_a, MeetingKind.THEME_DAY, date(2025, 3, 10)),
        (w.branch_x, MeetingKind.THEME_DAY, date(2025, 3, 3)),
    ]:
        held_meeting(organization, kind=kind, day=day)
    held_meeting(w.branch_a, kind=MeetingKind.THEME_DAY, day=date(2025, 3, 15), status=MeetingStatus.PLANNED)
    held_meeting(w.branch_a, kind=MeetingKind.THEME_DAY, day=date(2025, 4, 15), status=MeetingStatus.RECORDED)
    return w


@pytest.mark.parametrize("first, last, today", [
    (date(2025, 1, 1), date(2025, 12, 31), date(2026, 1, 1)),  # the year, closed
    (date(2025, 1, 1), date(2025, 12, 31), date(2025, 12, 31)),  # its last day: December and Q4 not yet owed
    (date(2025, 2, 1), date(2025, 2, 28), date(2025, 3, 1)),  # a month
    (date(2025, 2, 15), date(2025, 5, 31), date(2026, 1, 1)),  # a range: Q1 ends in it, Q2 does not
    (date(2025, 3, 31), date(2025, 3, 31), date(2026, 1, 1)),  # one day closing a month and a quarter
    (date(2024, 7, 1), date(2025, 6, 30), date(2025, 7, 1)),  # across a year's end
    (date(2025, 1, 1), date(2025, 1, 30), date(2026, 1, 1)),  # nothing ends in it
])
@pytest.mark.parametrize("where", ["street_a", "community_a", "branch_a", "late", "group_a1"])
def test_the_grouped_statement_agrees_with_the_cells(street, first, last, today, where):
    organization = getattr(street, where)
    assert compliance.owed_and_held(organization, first, last, today) == reference(organization, first, last, today)


def test_known_answers_at_the_boundaries(street):
    w = street
    # February 2025, community A: theme days owed by A, B and the branch of 14 February (not the one of the
    # 15th): A held none in February, B on the 1st, the early one on the 14th; the group meeting owed by A
    # (its group held on the 28th); committee meetings are quarterly here (not owed in a month).
    february = (date(2025, 2, 1), date(2025, 2, 28), date(2025, 3, 1))
    assert compliance.owed_and_held(w.community_a, *february) == {
        MeetingKind.GROUP: (1, 1), MeetingKind.THEME_DAY: (3, 2)}
    # The first quarter: A's two committee meetings on 1 January and 31 March count; the late branch had a
    # seat from 31 March (it owes Q1, by its midpoint? created 15 February, after 14 February: no).
    q1 = (date(2025, 1, 1), date(2025, 3, 31), date(2025, 4, 1))
    found = compliance.owed_and_held(w.community_a, *q1)
    assert found[MeetingKind.COMMITTEE] == (1, 1)
    # General meetings: A held on 31 March; B owes none (its own requirement: 0 times).
    assert found[MeetingKind.GENERAL] == (2, 1)  # A and the branch of 14 February
    # Q1 is not owed on its last day.
    assert MeetingKind.COMMITTEE not in compliance.owed_and_held(w.community_a, date(2025, 1, 1), date(2025, 3, 31),
                                                                 date(2025, 3, 31))


def test_the_figure_is_one_statement(street, django_assert_num_queries):
    from gongzhi.core.registries import figure

    with django_assert_num_queries(1):
        figure("meetings.compliance").compute(street.street_a, FigurePeriod.year(2025))
