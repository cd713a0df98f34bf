"""A rule's award for a new source: on PostgreSQL posted by ``points_post_award()`` (``points.award_statement``), on
SQLite by ``post_points(new_source=True)``. The same known answers on both: the caps cut the last award and then leave
nothing, month first and then the year, and the rule groups' totals and the ledger agree."""

from datetime import date
from decimal import Decimal

import pytest
from django.db import connection, transaction
from django.utils import timezone

from gongzhi.points import caps, totals
from gongzhi.points.models import PointEntry, PointRule, RuleCode, RuleGroupTotal
from gongzhi.points.services import post_points, rule_award

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(world_copy):
    return world_copy


def _award(world, key: str, on: date) -> Decimal | None:
    """Post the study rule's award for ``key`` the database's way; the points posted (None: nothing)."""
    member = world.member_a
    if connection.vendor != "postgresql":
        with transaction.atomic():
            entry = post_points(member=member, code=RuleCode.STUDY, key=key, occurred_on=on, new_source=True)
        return entry.points if entry is not None else None
    award = rule_award(member=member, code=RuleCode.STUDY, occurred_on=on, organization=world.community_a)
    with connection.cursor() as cursor:
        cursor.execute("SELECT entry_id, awarded FROM points_post_award(%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, "
                       "%s, %s, %s, %s, %s)",
                       [member.pk, *award.parameters(), key, "", "", None, on, "", None, timezone.now()])
        entry_id, awarded = cursor.fetchone()
    assert (entry_id is None) == (awarded is None)
    if entry_id is not None:
        assert PointEntry.objects.get(pk=entry_id).points == awarded
    return awarded


def test_a_monthly_and_a_yearly_cap_cut_the_awards_as_post_points_does(world):
    PointRule.objects.create(organization=world.community_a, code=RuleCode.STUDY, points=Decimal("1.5"),
                             monthly_cap=Decimal(4), yearly_cap=Decimal(5), effective_from=date(2025, 1, 1))
    may = [_award(world, f"study:{n}", date(2025, 5, 1 + n)) for n in range(4)]
    june = [_award(world, f"study:june:{n}", date(2025, 6, 1 + n)) for n in range(2)]
    assert may == [Decimal("1.5"), Decimal("1.5"), Decimal("1.0"), None]
    assert june == [Decimal("1.0"), None]  # the year's cap leaves 1 after May's 4
    assert {t.month: t.points for t in RuleGroupTotal.objects.filter(member=world.member_a)} == {
        5: Decimal(4), 6: Decimal(1), 0: Decimal(5)}
    assert PointEntry.objects.filter(member=world.member_a).count() == 4
    assert caps.verify() == [] and totals.verify() == []


def test_a_deduction_is_posted_whole_and_the_same_key_twice_is_refused(world):
    from django.db import IntegrityError

    PointRule.objects.create(organization=world.community_a, code=RuleCode.STUDY, points=Decimal(-2),
                             monthly_cap=Decimal(1), effective_from=date(2025, 1, 1))
    assert _award(world, "study:minus", date(2025, 5, 5)) == Decimal(-2)
    with pytest.raises(IntegrityError), transaction.atomic():
        _award(world, "study:minus", date(2025, 5, 6))  # a new source's key: its unique key refuses a second
    assert list(PointEntry.objects.filter(member=world.member_a).values_list("points", flat=True)) == [Decimal(-2)]
    assert caps.verify() == [] and totals.verify() == []
