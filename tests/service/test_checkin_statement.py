"""A check-in and its activity points: on PostgreSQL written by one statement (``service_check_in()``, which posts
through ``points_post_award()``), on SQLite by ``services.check_in``'s Python path. The same known answers on both
databases: the entries, the caps' totals and the check-ins; a second submission recorded once."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from gongzhi.points import caps, totals
from gongzhi.points.models import PointEntry, PointRule, RuleGroupTotal
from gongzhi.service import services
from gongzhi.service.models import CheckIn, OpenTo

from .factories import activity_points, activity_rule, post, under_way


@pytest.fixture
def world(world_copy):
    return world_copy


pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("mid_morning")]


def _check_in_to(world, count: int) -> list[tuple[CheckIn, bool]]:
    return [services.check_in(under_way(world.branch_a), world.member_a, by=world.users["member"], earlier=None)
            for _n in range(count)]


def test_each_check_in_posts_the_rules_points_with_its_own_key_and_source(world):
    activity_rule(world, points=Decimal(3))
    [(checkin, created)] = _check_in_to(world, 1)
    assert created and checkin.pk == CheckIn.objects.get().pk
    entry = PointEntry.objects.get()
    assert (entry.points, entry.idempotency_key, entry.source_type, entry.source_id) == (
        Decimal(3), f"activity:{checkin.pk}", "service.checkin", str(checkin.pk))
    assert (entry.member, entry.organization, entry.posted_by, entry.hours) == (
        world.member_a, world.branch_a, world.users["member"], None)
    assert entry.occurred_on == timezone.localdate()
    row = CheckIn.objects.get()
    assert (row.recorded_by, row.by_hand_reason, row.checked_out_at, row.hours) == (world.users["member"], "", None,
                                                                                  None)
    assert totals.verify() == [] and caps.verify() == []


def test_a_monthly_cap_leaves_a_partial_last_award_and_then_nothing(world):
    activity_rule(world, points=Decimal("1.5"), monthly_cap=Decimal(4))
    results = _check_in_to(world, 4)
    assert all(created for _c, created in results) and CheckIn.objects.count() == 4
    assert activity_points(world.member_a) == [Decimal("1.5"), Decimal("1.5"), Decimal("1.0")]
    month = timezone.localdate().month
    assert RuleGroupTotal.objects.get(member=world.member_a, month=month).points == Decimal(4)
    assert RuleGroupTotal.objects.get(member=world.member_a, month=0).points == Decimal(4)
    assert totals.verify() == [] and caps.verify() == []


def test_the_smaller_of_a_monthly_and_a_yearly_cap_decides(world):
    activity_rule(world, points=Decimal(2), monthly_cap=Decimal(10), yearly_cap=Decimal(3))
    _check_in_to(world, 3)
    assert activity_points(world.member_a) == [Decimal(2), Decimal(1)]
    assert caps.verify() == []


def test_a_rule_that_gives_nothing_posts_no_entry_and_no_rule_posts_none(world):
    _check_in_to(world, 1)  # no rule of the code on the path
    rule = activity_rule(world, points=Decimal(0))
    _check_in_to(world, 1)
    assert CheckIn.objects.count() == 2 and not PointEntry.objects.exists()
    PointRule.objects.filter(pk=rule.pk).update(points=Decimal(-1), monthly_cap=Decimal(1))
    _check_in_to(world, 1)  # a deduction: the caps do not apply (it locks the member's row instead)
    assert activity_points(world.member_a) == [Decimal(-1)]
    assert totals.verify() == [] and caps.verify() == []


def test_a_second_submission_is_recorded_once(world):
    activity_rule(world, points=Decimal(3), yearly_cap=Decimal(100))
    a = under_way(world.branch_a)
    first, created = services.check_in(a, world.member_a, by=None, earlier=None)
    # The page read no check-in before either tap (earlier=None): the second insert finds the first.
    again, created_again = services.check_in(a, world.member_a, by=None, earlier=None)
    assert (created, created_again) == (True, False)
    assert again.pk == first.pk and again.checked_in_at == CheckIn.objects.get().checked_in_at
    assert activity_points(world.member_a) == [Decimal(3)]
    assert RuleGroupTotal.objects.get(member=world.member_a, month=0).points == Decimal(3)


def test_a_resident_checks_in_once_without_points(world):
    activity_rule(world, points=Decimal(3))
    a = under_way(world.community_a, open_to=OpenTo.RESIDENTS)
    first, created = services.check_in(a, world.resident_a, by=None, earlier=None)
    again, created_again = services.check_in(a, world.resident_a, by=None, earlier=None)
    assert (created, created_again, again.pk) == (True, False, first.pk)
    row = CheckIn.objects.get()
    assert (row.resident, row.member) == (world.resident_a, None)
    assert not PointEntry.objects.exists()


def test_a_check_in_by_hand_keeps_its_reason_and_audit_row(world):
    from gongzhi.core.models import AuditEvent

    activity_rule(world, points=Decimal(3))
    a = under_way(world.branch_a)
    checkin, created = services.check_in(a, world.member_a, by=world.users["branch_secretary_a"], reason="手机没电")
    assert created and CheckIn.objects.get().by_hand_reason == "手机没电"
    assert AuditEvent.objects.filter(action="service.checkin.check_in_by_hand", object_id=str(checkin.pk)).exists()
    assert activity_points(world.member_a) == [Decimal(3)]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the one statement is PostgreSQL's")
def test_on_postgresql_the_qr_check_in_writes_in_one_statement(world, client_for):
    activity_rule(world, points=Decimal(3), monthly_cap=Decimal(10), yearly_cap=Decimal(20))
    a = under_way(world.branch_a)
    url = reverse("service:scan", args=[services.checkin_token(a)])
    client = client_for("member")
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        assert post(client, url).status_code == 302
    sql = [q["sql"] for q in queries.captured_queries]
    # The user with roles, the rule in force (the first time this process sees the rules' version), then the
    # check-in, its caps and its entry in one, which reads the activity copied by the page (unchanged, in sight)
    # first: the participant's scope is remembered, and the activity not read again.
    assert len(sql) <= 3
    assert len([q for q in sql if "service_check_in_if(EXISTS" in q]) == 1
    assert not [q for q in sql if q.startswith(("INSERT", "UPDATE", "SAVEPOINT"))]
    assert activity_points(world.member_a) == [Decimal(3)]
    assert caps.verify() == [] and totals.verify() == []


def test_the_check_ins_have_no_index_of_their_own_for_the_member_or_the_resident():
    """Every check-in maintains every index: the member's and the resident's lookups are served by the unique
    constraints that lead with them (service 0006)."""
    with connection.cursor() as cursor:
        found = connection.introspection.get_constraints(cursor, "service_checkin")
    leading = [tuple(c["columns"]) for c in found.values() if c["index"] or c["unique"]]
    assert ("member_id",) not in leading and ("resident_id",) not in leading
    assert ("member_id", "activity_id") in leading and ("resident_id", "activity_id") in leading
