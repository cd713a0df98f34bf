"""Rankings and activation on a hand-built data set with known answers."""

from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone

from gongzhi.points import selectors
from gongzhi.points.models import OrgPointsSettings, PointEntry, RuleCode
from gongzhi.recognition import selectors as recognition
from gongzhi.service.models import CheckIn
from tests.factories import MemberFactory
from tests.service.factories import activity, post


@pytest.fixture
def world(world_copy):
    return world_copy


pytestmark = pytest.mark.django_db
TZ = ZoneInfo("Asia/Shanghai")


def _award(member, org, points, day, n=[0]):  # noqa: B006 - a counter for unique keys
    n[0] += 1
    return PointEntry.objects.create(member=member, organization=org, points=Decimal(points),
                                     code=RuleCode.MANUAL_AWARD, idempotency_key=f"t{n[0]}", occurred_on=day)


@pytest.fixture
def ledger(world):
    """member_a: 5 (Mar) + 3 (Jul); member_b: 6 (Apr); member_reported: 2 (Mar); member_x: 50 (foreign)."""
    _award(world.member_a, world.branch_a, 5, date(2025, 3, 10))
    _award(world.member_a, world.branch_a, 3, date(2025, 7, 1))
    _award(world.member_b, world.branch_b, 6, date(2025, 4, 2))
    _award(world.member_reported, world.branch_a, 2, date(2025, 3, 20))
    _award(world.member_x, world.branch_x, 50, date(2025, 3, 1))
    return world


def test_period_bounds():
    assert selectors.period_bounds("month", date(2025, 12, 5)) == (date(2025, 12, 1), date(2025, 12, 31))
    assert selectors.period_bounds("quarter", date(2025, 5, 5)) == (date(2025, 4, 1), date(2025, 6, 30))
    assert selectors.period_bounds("year", date(2024, 2, 29)) == (date(2024, 1, 1), date(2024, 12, 31))


def test_member_totals_per_period(ledger, django_assert_num_queries):
    w = ledger
    with django_assert_num_queries(1):
        year = [(r["name"], r["total"]) for r in selectors.member_totals(w.community_a, date(2025, 1, 1),
                                                                         date(2025, 12, 31))]
    assert year == [("赵磊", Decimal(8)), ("钱明", Decimal(6)), ("孙红", Decimal(2))]
    q1 = {r["name"]: r["total"] for r in selectors.member_totals(w.community_a, date(2025, 1, 1), date(2025, 3, 31))}
    assert q1 == {"赵磊": Decimal(5), "钱明": Decimal(0), "孙红": Decimal(2)}


def test_a_period_read_from_the_ledger_matches_the_subtree_through_joins(ledger, django_assert_num_queries):
    """A week is summed from the ledger's entries: the members are matched through the organizations' paths
    (joins, which PostgreSQL judges well; by two id lists it sorted every entry of the period), with the same
    rows as the ids would give; whole months and years keep the ids (the summary's plans)."""
    w = ledger
    week = (date(2025, 3, 8), date(2025, 3, 21))
    with django_assert_num_queries(1):
        rows = [(r["name"], r["total"]) for r in selectors.member_totals(w.community_a, *week)]
    assert rows == [("赵磊", Decimal(5)), ("孙红", Decimal(2)), ("钱明", Decimal(0))]
    by_ids = {m.pk for m in selectors.subtree_members(w.community_a)}
    assert {m.pk for m in selectors.subtree_members(w.community_a, joined=True)} == by_ids
    assert w.member_x.pk not in by_ids
    week_sql = str(selectors.member_totals(w.community_a, *week).query)
    assert "LIKE" in week_sql and 'IN (SELECT U0."id"' not in week_sql
    year_sql = str(selectors.member_totals(w.community_a, date(2025, 1, 1), date(2025, 12, 31)).query)
    assert 'IN (SELECT U0."id"' in year_sql


def test_branch_totals_count_points_by_the_members_home_branch(ledger, django_assert_num_queries):
    w = ledger
    with django_assert_num_queries(1):
        rows = list(selectors.branch_totals(w.community_a, date(2025, 1, 1), date(2025, 12, 31)))
    assert [(r["member__home_org__name"], r["total"], r["members"]) for r in rows] == [
        ("第一网格党支部", Decimal(8), 1), ("第二网格党支部", Decimal(6), 1)]


def test_activation_rate_and_the_not_yet_activated(world, django_assert_num_queries):
    extra = MemberFactory(name="周静", home_org=world.branch_b, community=world.community_a)
    a = activity(world.branch_a, starts_in=timedelta(days=1))
    a.starts_at = datetime(2025, 3, 8, 9, tzinfo=TZ)
    a.ends_at = datetime(2025, 3, 8, 11, tzinfo=TZ)
    a.save()
    CheckIn.objects.create(activity=a, member=world.member_a, checked_in_at=a.starts_at)
    CheckIn.objects.create(activity=a, member=world.member_x, checked_in_at=a.starts_at)
    with django_assert_num_queries(1):
        figures = recognition.activation(world.community_a, date(2025, 3, 1), date(2025, 3, 31))
    # community A: member_a, member_b, member_reported (lives there), extra
    assert figures == {"total": 4, "active": 1, "rate": 0.25}
    names = {m.name for m in recognition.not_activated(world.community_a, date(2025, 3, 1), date(2025, 3, 31))}
    assert names == {"钱明", "孙红", extra.name}
    assert recognition.activation(world.community_a, date(2025, 4, 1), date(2025, 4, 30))["active"] == 0


def test_the_not_yet_activated_by_branch_then_name_those_held_outside_the_platform_last(world):
    outside = MemberFactory(name="阿外", home_org=None, home_org_name="外省某支部", community=world.community_a)
    extra = MemberFactory(name="周静", home_org=world.branch_b, community=world.community_a)
    march = (date(2025, 3, 1), date(2025, 3, 31))
    everyone = recognition.not_activated(world.community_a, *march)
    paths = [m.home_org.path for m in everyone if m.home_org_id]
    assert paths == sorted(paths) and extra in everyone
    assert everyone[-1] == outside
    assert recognition.not_activated(world.community_a, *march, limit=len(everyone) - 1) == everyone[:-1]
    assert recognition.not_activated(world.community_a, *march, limit=1) == everyone[:1]


def test_rankings_page_for_staff(ledger, client_for, django_assert_max_num_queries):
    url = reverse("recognition:rankings", args=[ledger.community_a.pk])
    client = client_for("community_staff")
    with django_assert_max_num_queries(16):
        body = client.get(url, {"period": "year", "on": "2025-06-01"}).content.decode()
    assert "赵磊" in body and "李外" not in body
    for n in range(20):
        MemberFactory(name=f"成员{n}", home_org=ledger.branch_a, community=ledger.community_a)
    with django_assert_max_num_queries(16):
        assert client.get(url, {"period": "year", "on": "2025-06-01"}).status_code == 200


def test_members_see_their_rank_only_when_the_organization_enables_it(ledger, client_for):
    w = ledger
    year = timezone.localdate().year
    _award(w.member_b, w.branch_b, 9, date(year, 1, 2))
    _award(w.member_a, w.branch_a, 4, date(year, 1, 2))
    client = client_for("member")
    assert client.get(reverse("service:mine")).context["rank"] is None
    post(client_for("street_admin"), reverse("recognition:ranking_settings", args=[w.street_a.pk]),
         {"rankings_visible_to_members": "on"})
    assert OrgPointsSettings.objects.get(organization=w.street_a).rankings_visible_to_members
    assert client.get(reverse("service:mine")).context["rank"] == (2, 3)


def test_group_and_co_building_unit_totals(ledger, django_assert_num_queries):
    from gongzhi.members.models import Reporting, ReportingStatus

    start, end = date(2025, 1, 1), date(2025, 12, 31)
    groups = {g["member__building__group__name"]: g["total"]
              for g in selectors.group_totals(ledger.community_a, start, end)}
    in_group = [m for m in (ledger.member_a, ledger.member_b, ledger.member_reported)
                if m.building_id and m.building.group_id == ledger.group_a1.pk]
    expected = {ledger.member_a.pk: 8, ledger.member_b.pk: 6, ledger.member_reported.pk: 2}
    assert groups == {ledger.group_a1.name: Decimal(sum(expected[m.pk] for m in in_group))}
    with django_assert_num_queries(1):
        units = list(selectors.unit_totals(ledger.community_a, start, end))
    assert [(u["name"], u["total"], u["members"]) for u in units] == [(ledger.unit.name, Decimal(0), 0)]
    Reporting.objects.create(member=ledger.member_reported, community=ledger.community_a,
                             status=ReportingStatus.ACCEPTED)
    units = list(selectors.unit_totals(ledger.community_a, start, end))
    assert [(u["name"], u["total"], u["members"]) for u in units] == [(ledger.unit.name, Decimal(2), 1)]
    assert list(selectors.unit_totals(ledger.community_x, start, end)) == []
