"""Points are exact on both databases: sums add whole tenths, the totals summary holds no float noise."""

from datetime import date
from decimal import Decimal

import pytest
from django.db import connection

from gongzhi.points import selectors, totals
from gongzhi.points.models import PointRule, PointTotal, RuleCode
from gongzhi.points.services import balance, post_points

pytestmark = pytest.mark.django_db


def _post_tenths(member, n, *, on=date(2025, 3, 3)):
    for i in range(n):
        post_points(member=member, code=RuleCode.MANUAL_AWARD, key=f"tenth:{i}", occurred_on=on,
                    points=Decimal("0.1"))


def test_ten_tenths_make_exactly_one_point_in_the_balance_the_summary_and_the_rankings(world):
    _post_tenths(world.member_a, 10)
    assert str(balance(world.member_a)) == "1.0"
    with connection.cursor() as cursor:  # the stored value itself, not a rounded reading of it
        cursor.execute("SELECT points FROM points_pointtotal WHERE member_id = %s AND month = 0",
                       [world.member_a.pk])
        stored = cursor.fetchone()[0]
    assert Decimal(str(stored)) == Decimal("1.0")
    year = PointTotal.objects.get(member=world.member_a, year=2025, month=0)
    assert year.points == Decimal("1.0")
    for start, end in ((date(2025, 1, 1), date(2025, 12, 31)), (date(2025, 3, 1), date(2025, 3, 10))):
        rows = {r["pk"]: r["total"] for r in selectors.member_totals(world.community_a, start, end)}
        assert rows[world.member_a.pk] == Decimal("1.0")  # no 0.9999999999999999
    assert totals.verify() == []


def test_a_cap_of_tenths_is_reached_exactly(world):
    PointRule.objects.create(organization=world.community_a, code=RuleCode.STUDY, points=Decimal("0.3"),
                             yearly_cap=Decimal("1.0"), effective_from=date(2025, 1, 1))
    posted = [post_points(member=world.member_a, code=RuleCode.STUDY, key=f"study:{i}",
                          occurred_on=date(2025, 4, 1)) for i in range(5)]
    assert [e.points if e else None for e in posted] == [Decimal("0.3")] * 3 + [Decimal("0.1"), None]
    assert str(balance(world.member_a)) == "1.0"


def test_rebuilding_the_summary_keeps_it_exact(world):
    _post_tenths(world.member_a, 7)
    totals.rebuild()
    assert str(PointTotal.objects.get(member=world.member_a, year=2025, month=0).points) == "0.7"
    assert totals.verify() == []
