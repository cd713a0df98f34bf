"""(PG) Double taps, retries and two phones: parallel check-ins of one member with one token write
one record; parallel check-outs post the points once; parallel series generation and team joins
add nothing twice."""

import threading
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db import connection, connections
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from gongzhi.points.models import PointEntry, PointRule, RuleCode
from gongzhi.service import services
from gongzhi.service.models import Activity, CheckIn, TeamMembership

from .factories import activity, series, team

pytestmark = [
    pytest.mark.pg,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL's concurrency"),
]
THREADS = 8


def _parallel(target, n=THREADS):
    barrier = threading.Barrier(n)
    errors, results = [], []

    def run():
        try:
            barrier.wait()
            results.append(target())
        except Exception as exc:  # noqa: BLE001 - collected and asserted below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(n)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return errors, results


def _under_way(world, **extra):
    now = timezone.localtime()
    since_midnight = now - now.replace(hour=0, minute=0, second=0, microsecond=0)
    return activity(world.branch_a, starts_in=-min(timedelta(minutes=40), since_midnight), hours=2,
                    requires_signup=False, **extra)


def test_parallel_check_ins_with_the_same_token_write_one_record(world):
    a = _under_way(world)
    activity_id, day = services.read_token(services.checkin_token(a))

    def check_in():
        found = Activity.objects.get(pk=activity_id)
        return services.check_in_by_token(activity=found, day=day, member=world.member_a, by=None)

    errors, results = _parallel(check_in)
    assert not errors
    assert CheckIn.objects.count() == 1
    assert sum(1 for _c, created in results if created) == 1
    assert len({c.pk for c, _created in results}) == 1


def _activity_rule(world):
    return PointRule.objects.create(organization=world.street_a, code=RuleCode.ACTIVITY, points=Decimal(3),
                                    effective_from=date(2020, 1, 1))


def test_parallel_check_ins_that_each_read_none_earlier_write_one_record_and_one_entry(world):
    """The QR page reads the member's check-in with the activity and tells the service it found none: taps
    that all read none before any wrote still write one check-in and one activity entry."""
    _activity_rule(world)
    a = _under_way(world)
    activity_id, day = services.read_token(services.checkin_token(a))
    found = Activity.objects.with_check_in_of(world.member_a).get(pk=activity_id)
    assert found.check_in_id is None  # as every tap's page read it

    def check_in():
        return services.check_in_by_token(activity=found, day=day, member=world.member_a, by=None,
                                          earlier=found.check_in_id)

    errors, results = _parallel(check_in)
    assert not errors
    assert CheckIn.objects.count() == 1
    assert sum(1 for _c, created in results if created) == 1
    assert len({c.pk for c, _created in results}) == 1
    assert PointEntry.objects.filter(code=RuleCode.ACTIVITY).count() == 1


def test_parallel_check_ins_of_one_member_at_several_activities_stop_at_the_cap(world):
    """Each check-in posts its activity points with its caps' rows locked (on PostgreSQL inside
    ``service_check_in()``): eight parallel check-ins at eight activities pass a yearly cap of 3 exactly."""
    from gongzhi.points import caps, totals

    PointRule.objects.create(organization=world.street_a, code=RuleCode.ACTIVITY, points=Decimal(1),
                             monthly_cap=Decimal(5), yearly_cap=Decimal(3), effective_from=date(2020, 1, 1))
    activities = iter([_under_way(world) for _n in range(THREADS)])
    lock = threading.Lock()

    def check_in():
        with lock:
            found = next(activities)
        return services.check_in(found, world.member_a, by=None, earlier=None)

    errors, results = _parallel(check_in)
    assert not errors
    assert CheckIn.objects.count() == THREADS and all(created for _c, created in results)
    assert PointEntry.objects.filter(code=RuleCode.ACTIVITY).count() == 3
    assert caps.verify() == [] and totals.verify() == []


def _member_phones(world) -> list:
    """One signed-in client per thread, all the same member's (several phones, or one tapped twice)."""
    clients = []
    for _n in range(THREADS):
        client = Client()
        client.force_login(world.users["member"])
        clients.append(client)
    return clients


def test_parallel_qr_page_taps_write_one_record_and_one_entry(world):
    _activity_rule(world)
    a = _under_way(world)
    url = reverse("service:scan", args=[services.checkin_token(a)])
    clients, lock = _member_phones(world), threading.Lock()

    def tap():
        with lock:
            client = clients.pop()
        return client.post(url).status_code

    errors, statuses = _parallel(tap)
    assert not errors
    assert statuses == [302] * THREADS  # checked in, or (a later tap) checked out
    assert CheckIn.objects.count() == 1
    assert PointEntry.objects.filter(code=RuleCode.ACTIVITY).count() == 1


def test_parallel_api_check_ins_from_two_phones_write_one_record(world):
    a = _under_way(world)
    url = f"/api/service/scan/{services.checkin_token(a)}/checkin"
    clients, lock = _member_phones(world), threading.Lock()

    def post():
        with lock:
            client = clients.pop()
        return client.post(url, {}, content_type="application/json").status_code

    errors, statuses = _parallel(post)
    assert not errors
    assert sorted(statuses) == [200] * (THREADS - 1) + [201]
    assert CheckIn.objects.count() == 1


def test_parallel_check_outs_post_the_points_once(world, service_rule):
    a = _under_way(world)
    checkin, _created = services.check_in(a, world.member_a, by=None, at=a.starts_at)

    def check_out():
        return services.check_out(CheckIn.objects.get(pk=checkin.pk), by=None, at=a.starts_at + timedelta(hours=1))

    errors, results = _parallel(check_out)
    assert not errors
    assert sum(1 for _c, changed in results if changed) == 1
    assert PointEntry.objects.filter(code=RuleCode.SERVICE_HOUR).count() == 1


def test_parallel_generation_of_a_series_adds_each_date_once(world):
    s = series(world.branch_a)
    Activity.objects.filter(series=s).delete()
    errors, _results = _parallel(lambda: services.generate_occurrences(s))
    assert not errors
    assert Activity.objects.filter(series=s).count() == 16


def test_parallel_joins_open_one_membership(world):
    t = team(world.branch_a)
    errors, _results = _parallel(lambda: services.add_team_member(team=t, member=world.member_a, by=None))
    assert not errors
    assert TeamMembership.objects.filter(team=t, member=world.member_a).count() == 1
