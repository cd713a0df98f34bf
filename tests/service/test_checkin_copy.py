"""The QR check-in from the process's copy of its activity (``services.check_in_from_copy``, PostgreSQL): a member's
post after the page writes the same rows without reading the activity again; a copy the database finds changed in
anything the check-in decides by, or a user who cannot see the activity, writes nothing and takes the path that reads
it (its refusal, its 404); team and sign-up activities are never copied."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from gongzhi.accounts import scope_version
from gongzhi.points import caps, totals
from gongzhi.points.models import PointRule, RulesVersion
from gongzhi.service import services
from gongzhi.service.models import ActivityKind, CheckIn, OpenTo
from tests.factories.core import MemberFactory

from .factories import activity, activity_points, activity_rule, post, team, under_way

pytestmark = pytest.mark.django_db
on_postgresql = pytest.mark.skipif(connection.vendor != "postgresql", reason="the copy is used on PostgreSQL only")


@pytest.fixture(autouse=True)
def _nothing_kept(mid_morning):
    services.forget_copies()
    scope_version.forget()
    yield
    services.forget_copies()


def _post(client, url, **extra) -> tuple[object, list[str]]:
    with CaptureQueriesContext(connection) as queries:
        response = post(client, url, **extra)
    return response, [q["sql"] for q in queries.captured_queries]


def _reads_activity(sql: list[str]) -> bool:
    return any(q.startswith('SELECT "service_activity"') for q in sql)


@on_postgresql
def test_a_check_in_after_the_page_is_written_from_the_copy_and_a_second_tap_checks_out(world, client_for):
    activity_rule(world, points=Decimal(3), monthly_cap=Decimal(10))
    a = under_way(world.branch_a)
    url = reverse("service:scan", args=[services.checkin_token(a)])
    phone = client_for("member")
    phone.get(url)
    response, sql = _post(phone, url)
    assert response.status_code == 302
    assert not _reads_activity(sql) and len([q for q in sql if "service_check_in_if(EXISTS" in q]) == 1
    checkin = CheckIn.objects.get(activity=a, member=world.member_a)
    assert checkin.checked_out_at is None and checkin.recorded_by == world.users["member"]
    assert activity_points(world.member_a) == [Decimal(3)]
    response, sql = _post(phone, url)  # the second tap, from the copy too: checked out
    assert response.status_code == 302 and len([q for q in sql if "service_check_in_if(EXISTS" in q]) == 1
    checkin.refresh_from_db()
    assert checkin.checked_out_at is not None and checkin.hours is not None
    assert CheckIn.objects.filter(activity=a).count() == 1 and activity_points(world.member_a) == [Decimal(3)]
    assert caps.verify() == [] and totals.verify() == []


@on_postgresql
def test_with_no_rules_version_the_copy_is_used_until_a_rule_appears(world, client_for):
    """No number (no rule ever written, or a flush): the condition asks for none, and the first rule breaks it."""
    RulesVersion.objects.all().delete()
    phone = client_for("member")
    first, second = under_way(world.branch_a), under_way(world.branch_a)
    for a in (first, second):
        phone.get(reverse("service:scan", args=[services.checkin_token(a)]))
    response, sql = _post(phone, reverse("service:scan", args=[services.checkin_token(first)]))
    assert response.status_code == 302 and not _reads_activity(sql) and activity_points(world.member_a) == []
    activity_rule(world, points=Decimal(3))
    response, sql = _post(phone, reverse("service:scan", args=[services.checkin_token(second)]))
    assert response.status_code == 302 and _reads_activity(sql) and activity_points(world.member_a) == [Decimal(3)]
    assert CheckIn.objects.filter(member=world.member_a).count() == 2


def _cancel(world, a):
    a.cancelled_at = timezone.now()


def _move_to_tomorrow(world, a):
    a.starts_at, a.ends_at = a.starts_at + timedelta(days=1), a.ends_at + timedelta(days=1)


def _change_kind(world, a):
    a.kind = ActivityKind.OTHER


def _require_sign_up(world, a):
    a.requires_signup = True


def _hold_elsewhere(world, a):
    a.organization = world.branch_b  # out of the member's sight


def _open_to_a_team(world, a):
    a.open_to, a.team = OpenTo.TEAM, team(world.community_a, members=[])


@on_postgresql
@pytest.mark.parametrize("change, status, checked_in", [
    (_cancel, 200, False), (_move_to_tomorrow, 200, False), (_open_to_a_team, 200, False),  # the page, refusing
    (_require_sign_up, 302, False), (_hold_elsewhere, 404, False),
    (_change_kind, 302, True),  # checked in, without the points of the old kind's rule
])
def test_a_copy_the_database_finds_changed_writes_nothing_and_the_activity_is_read(world, client_for, change,
                                                                                     status, checked_in):
    activity_rule(world, points=Decimal(3), activity_kind=ActivityKind.ENVIRONMENT)  # this kind only
    a = under_way(world.branch_a, kind=ActivityKind.ENVIRONMENT)
    url = reverse("service:scan", args=[services.checkin_token(a)])
    phone = client_for("member")
    phone.get(url)
    change(world, a)
    a.save()
    response, sql = _post(phone, url)
    assert response.status_code == status
    # The guarded statement found the copy stale and wrote nothing; the activity was then read (and answered).
    assert len([q for q in sql if "service_check_in_if(EXISTS" in q]) == 1 and _reads_activity(sql)
    assert CheckIn.objects.filter(activity=a).exists() == checked_in and activity_points(world.member_a) == []


@on_postgresql
def test_a_rule_changed_after_the_page_is_applied_to_the_check_in(world, client_for):
    rule = activity_rule(world, points=Decimal(3))
    a = under_way(world.branch_a)
    url = reverse("service:scan", args=[services.checkin_token(a)])
    phone = client_for("member")
    phone.get(url)
    PointRule.objects.filter(pk=rule.pk).update(points=Decimal(5))  # a new rules' version
    response, sql = _post(phone, url)
    assert response.status_code == 302 and _reads_activity(sql)
    assert activity_points(world.member_a) == [Decimal(5)]


@on_postgresql
def test_someone_who_cannot_see_the_activity_gets_404_and_nothing_is_written_from_anothers_copy(world, client_for):
    a = under_way(world.branch_a)
    url = reverse("service:scan", args=[services.checkin_token(a)])
    client_for("member").get(url)  # the copy, kept by this process
    assert a.pk in services._COPIES
    outsider = get_user_model().objects.create_user(username="outsider", password="x")  # noqa: S106
    member = MemberFactory(home_org=world.branch_x, community=world.community_x, user=outsider)
    phone = client_for("member")
    phone.force_login(outsider)
    response, sql = _post(phone, url)
    assert response.status_code == 404
    assert len([q for q in sql if "service_check_in_if(EXISTS" in q]) == 1 and _reads_activity(sql)
    assert not CheckIn.objects.filter(member=member).exists()


def test_team_and_sign_up_activities_and_residents_pages_are_never_copied(world, client_for):
    kept = []
    for persona, a in [("member", under_way(world.branch_a, open_to=OpenTo.TEAM,
                                             team=team(world.community_a, members=[world.member_a]))),
                       ("member", activity(world.branch_a, starts_in=-timedelta(minutes=10), requires_signup=True)),
                       ("resident", under_way(world.community_a, open_to=OpenTo.RESIDENTS)),
                       ("member", under_way(world.branch_a))]:
        client_for(persona).get(reverse("service:scan", args=[services.checkin_token(a)]))
        kept.append(a.pk in services._COPIES)
    assert kept == [False, False, False, True]
