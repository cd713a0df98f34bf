"""QR check-in: a signed token bound to the activity and its day; check-out posts service points."""

from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
import time_machine
from django.core import signing
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from gongzhi.points.models import PointEntry, PointRule, RuleCode
from gongzhi.service import services
from gongzhi.service.models import CheckIn, SignUp

from .factories import activity, post


@pytest.fixture
def world(world_copy):
    return world_copy


pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("mid_morning")]


def _under_way(world, **extra):
    a = activity(world.branch_a, starts_in=-timedelta(minutes=10), hours=2, **extra)
    return a


def test_detail_page_shows_the_qr_code_to_the_organiser_only(world, client_for):
    a = _under_way(world)
    url = reverse("service:detail", args=[a.pk])
    assert "<svg" in client_for("branch_secretary_a").get(url).content.decode()
    assert "<svg" not in client_for("member").get(url).content.decode()


def test_member_checks_in_then_out_with_the_same_link_and_earns_points(world, client_for, service_rule):
    a = _under_way(world)
    SignUp.objects.create(activity=a, member=world.member_a)
    url = reverse("service:scan", args=[services.checkin_token(a)])
    client = client_for("member")
    assert "确认签到" in client.get(url).content.decode() or "Confirm check-in" in client.get(url).content.decode()
    post(client, url)
    checkin = CheckIn.objects.get()
    assert checkin.checked_out_at is None
    later = timezone.now() + timedelta(minutes=90)
    with time_machine.travel(later):
        client.force_login(world.users["member"])  # the idle session has expired meanwhile
        post(client, url)
    checkin.refresh_from_db()
    assert checkin.hours == Decimal("1.50")
    entry = PointEntry.objects.get()
    assert (entry.code, entry.points, entry.idempotency_key) == (RuleCode.SERVICE_HOUR, Decimal("3.0"),
                                                                 f"checkin:{checkin.pk}")
    # a third tap changes nothing
    with time_machine.travel(later):
        post(client, url)
    assert CheckIn.objects.count() == 1 and PointEntry.objects.count() == 1


def test_the_page_says_what_was_recorded_and_a_success_sets_no_messages_cookie(world, client_for, service_rule,
                                                                             settings):
    """A check-in and a check-out return to the code's page, which states them from the check-in itself: no flash
    message, so the street-wide event's check-ins write no messages cookie (and the next page reads none)."""
    a = _under_way(world, requires_signup=False)
    url = reverse("service:scan", args=[services.checkin_token(a)])
    client = client_for("member")
    client.get(url)
    response = post(client, url)
    assert response.status_code == 302 and "messages" not in response.cookies
    checkin = CheckIn.objects.get()
    page = client.get(url).content.decode()
    at = timezone.localtime(checkin.checked_in_at).strftime("%H:%M")
    assert f"已于 {at} 签到。离开时请再扫同一个码签退。" in page and 'data-state="in"' in page and "确认签退" in page
    later = timezone.now() + timedelta(minutes=90)
    with time_machine.travel(later):
        client.force_login(world.users["member"])
        response = post(client, url)
        assert response.status_code == 302 and "messages" not in response.cookies
        page = client.get(url).content.decode()
    checkin.refresh_from_db()
    out = timezone.localtime(checkin.checked_out_at).strftime("%H:%M")
    assert f"已于 {out} 签退，本次服务 {checkin.hours} 小时。" in page and 'data-state="done"' in page
    assert "确认签" not in page  # nothing left to confirm
    english = client_for("member")
    english.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    text = english.get(url).content.decode()
    assert f"Checked out at {out}: you served {checkin.hours} hours." in text


def test_hours_are_capped_by_the_activity_span(world):
    a = _under_way(world)
    start = a.starts_at - timedelta(hours=1)
    assert services.hours_between(a, start, a.ends_at + timedelta(hours=3)) == Decimal("2.00")


def test_a_second_tap_creates_no_second_record(world, client_for):
    a = _under_way(world, requires_signup=False)
    url = reverse("service:scan", args=[services.checkin_token(a)])
    client = client_for("member")
    post(client, url)
    first = CheckIn.objects.get()
    services.check_in(a, world.member_a, by=None)
    assert CheckIn.objects.get() == first


def test_a_forged_token_is_refused(world, client_for):
    a = _under_way(world)
    forged = signing.dumps({"a": a.pk, "d": timezone.localdate().isoformat()}, salt="other")
    response = client_for("member").get(reverse("service:scan", args=[forged]))
    assert response.status_code == 400
    assert post(client_for("member"), reverse("service:scan", args=[forged])).status_code == 400
    assert not CheckIn.objects.exists()


def test_a_photo_of_the_code_is_useless_another_day(world, client_for):
    a = _under_way(world, requires_signup=False)
    url = reverse("service:scan", args=[services.checkin_token(a)])
    with time_machine.travel(timezone.now() + timedelta(days=1)):
        response = post(client_for("member"), url, follow=True)
    assert not CheckIn.objects.exists()
    assert response.status_code == 200


def test_an_activity_past_midnight_is_checked_in_and_out_after_midnight(world, client_for, service_rule):
    """A New Year's Eve watch, 23:00 to 01:00: its code scanned at 00:20 and 00:50 on New Year's Day."""
    eve = timezone.make_aware(datetime(timezone.localdate().year, 12, 31, 23, 0))
    with time_machine.travel(eve):
        a = activity(world.branch_a, starts_in=timedelta(0), hours=2, requires_signup=False)
        url = reverse("service:scan", args=[services.checkin_token(a)])
    client = client_for("member")
    with time_machine.travel(eve + timedelta(minutes=80)):
        client.force_login(world.users["member"])  # signed in that night
        post(client, url)
    checkin = CheckIn.objects.get()
    with time_machine.travel(eve + timedelta(minutes=110)):
        client.force_login(world.users["member"])
        post(client, url)
    checkin.refresh_from_db()
    assert checkin.hours == Decimal("0.50")
    with time_machine.travel(eve + timedelta(hours=2, minutes=31)):  # the window and its grace are over
        with pytest.raises(services.ServiceError):
            services.check_token(a, timezone.localtime(a.starts_at).date().isoformat())


def test_a_code_made_for_another_day_of_the_activity_is_refused(world):
    a = _under_way(world)
    yesterday = (timezone.localtime(a.starts_at).date() - timedelta(days=1)).isoformat()
    with pytest.raises(services.ServiceError):
        services.check_token(a, yesterday)


def test_check_in_outside_the_window_is_refused(world, client_for):
    a = activity(world.branch_a, starts_in=timedelta(hours=3), requires_signup=False)
    if timezone.localtime(a.starts_at).date() != timezone.localdate():
        pytest.skip("the activity falls on tomorrow at this hour")
    post(client_for("member"), reverse("service:scan", args=[services.checkin_token(a)]))
    assert not CheckIn.objects.exists()


def test_a_member_who_did_not_sign_up_cannot_check_in_when_sign_up_is_required(world, client_for):
    a = _under_way(world)
    response = post(client_for("member"), reverse("service:scan", args=[services.checkin_token(a)]), follow=True)
    assert not CheckIn.objects.exists()
    body = response.content.decode()
    assert "报名" in body or "not signed up" in body


def test_a_token_for_an_activity_the_user_cannot_see_answers_404(world, client_for):
    a = activity(world.branch_b, starts_in=-timedelta(minutes=10), requires_signup=False)
    assert client_for("member").get(reverse("service:scan", args=[services.checkin_token(a)])).status_code == 404


def test_a_qr_check_in_reads_the_check_in_once_and_its_queries_are_bounded(world, client_for, service_rule,
                                                                           django_assert_max_num_queries):
    a = _under_way(world, requires_signup=False)
    url = reverse("service:scan", args=[services.checkin_token(a)])
    client = client_for("member")
    with CaptureQueriesContext(connection) as page:
        client.get(url)
    # The activity is open to the member by where it is held, tested before the member's own sign-ups and
    # check-ins (PostgreSQL runs an OR's subqueries in the order written, and only while no earlier term held).
    [read] = [q["sql"] for q in page.captured_queries if q["sql"].startswith('SELECT "service_activity"."id"')]
    where = read.split(" WHERE ", 1)[1]
    assert where.index('"orgs_organization"."path" IN') < where.index('FROM "service_signup"')
    assert where.index('"orgs_organization"."path" IN') < where.index('FROM "service_checkin"')
    # The session from the cache; the user with his or her roles; the ids and organizations' paths of his or her
    # member and resident records (the scope and the participant: remembered since the page); the activity with the
    # look for an earlier check-in; then the check-in and its activity points (the rule, none here) in a savepoint:
    # at most 8. On PostgreSQL the activity copied when the page was read is not read again: the check-in's one
    # statement finds it unchanged (services.check_in_from_copy), and looks for the earlier check-in itself.
    with django_assert_max_num_queries(8) as queries:
        assert post(client, url).status_code == 302
    looks = [q["sql"] for q in queries.captured_queries
             if q["sql"].startswith("SELECT") and '"service_checkin"' in q["sql"].split("FROM", 1)[1][:40]]
    activity_reads = [q["sql"] for q in queries.captured_queries if q["sql"].startswith('SELECT "service_activity"')]
    assert (len(looks), len(activity_reads)) == ((0, 0) if connection.vendor == "postgresql" else (1, 1))
    # The participant is known by id: his or her record is not read (nor its organizations joined to it).
    assert not [q["sql"] for q in queries.captured_queries if '"members_member"."name"' in q["sql"]]
    assert CheckIn.objects.filter(activity=a, member=world.member_a).count() == 1


@pytest.mark.parametrize("caps", [{}, {"monthly_cap": Decimal(10)}], ids=["uncapped", "capped"])
def test_a_qr_check_in_that_earns_activity_points_stays_bounded(world, client_for, caps,
                                                                django_assert_max_num_queries):
    PointRule.objects.create(organization=world.street_a, code=RuleCode.ACTIVITY, points=Decimal(3),
                             effective_from=date(2020, 1, 1), **caps)
    a = _under_way(world, requires_signup=False)
    url = reverse("service:scan", args=[services.checkin_token(a)])
    client = client_for("member")
    client.get(url)
    # As above, and the entry (not looked for first: the check-in is new); no lock for an uncapped rule's
    # award. A capped rule adds one upsert that reads (and locks) its rule group's totals (points.caps).
    with django_assert_max_num_queries(8 if not caps else 9):
        assert post(client, url).status_code == 302
    entry = PointEntry.objects.get(member=world.member_a, code=RuleCode.ACTIVITY)
    assert entry.points == 3 and entry.idempotency_key == f"activity:{CheckIn.objects.get(activity=a).pk}"
    assert post(client, url).status_code == 302  # checked out: no second entry for taking part
    assert PointEntry.objects.filter(member=world.member_a, code=RuleCode.ACTIVITY).count() == 1


def test_a_qr_check_in_finds_its_rule_remembered_while_the_rules_stay_the_same(world, client_for,
                                                                              django_assert_max_num_queries):
    rule = PointRule.objects.create(organization=world.street_a, code=RuleCode.ACTIVITY, points=Decimal(3),
                                    effective_from=date(2020, 1, 1))
    client = client_for("member")
    urls = [reverse("service:scan", args=[services.checkin_token(_under_way(world, requires_signup=False))])
            for _ in range(3)]
    for url in urls:
        client.get(url)
    assert post(client, urls[0]).status_code == 302  # reads the rule in force; the process remembers it
    # The point rules' version comes with the activity: the next check-in reads no rule (7 queries, not 8).
    with django_assert_max_num_queries(7) as queries:
        assert post(client, urls[1]).status_code == 302
    assert not [q["sql"] for q in queries.captured_queries if 'FROM "points_pointrule"' in q["sql"]]
    PointRule.objects.filter(pk=rule.pk).update(points=Decimal(5))  # a changed rule counts from the next check-in
    assert post(client, urls[2]).status_code == 302
    points = PointEntry.objects.filter(member=world.member_a, code=RuleCode.ACTIVITY).order_by("id")
    assert list(points.values_list("points", flat=True)) == [3, 3, 5]


def test_a_capped_rule_reads_its_groups_totals_in_one_statement_without_locking_the_member_or_reading_the_rules(
        world, client_for, django_assert_max_num_queries):
    PointRule.objects.create(organization=world.street_a, code=RuleCode.ACTIVITY, points=Decimal(3),
                             effective_from=date(2020, 1, 1), yearly_cap=Decimal(10))
    client = client_for("member")
    urls = [reverse("service:scan", args=[services.checkin_token(_under_way(world, requires_signup=False))])
            for _ in range(4)]
    for url in urls:
        client.get(url)
    for url in urls[:3]:
        assert post(client, url).status_code == 302
    with django_assert_max_num_queries(8) as queries:
        assert post(client, urls[3]).status_code == 302
    # The cap reads (and locks) its rule group's year row with one upsert (points.caps), on both databases: no
    # lock on the member, no sum over the ledger; the rules in force are remembered, not read.
    sql = [q["sql"] for q in queries.captured_queries]
    assert not [q for q in sql if q.startswith('SELECT "members_member"."id"')]
    assert not [q for q in sql if "SUM(" in q]
    if connection.vendor == "postgresql":  # the check-in, its caps and entry in one, from the page's copy
        assert len([q for q in sql if "service_check_in_if(EXISTS" in q]) == 1 and not [q for q in sql if "INSERT" in q]
    else:
        assert len([q for q in sql if q.startswith("INSERT INTO points_rulegrouptotal")]) == 1
    assert not [q for q in sql if 'FROM "points_pointrule"' in q]
    points = PointEntry.objects.filter(member=world.member_a, code=RuleCode.ACTIVITY).order_by("id")
    assert list(points.values_list("points", flat=True)) == [3, 3, 3, 1]  # the cap leaves 1 to the fourth


def test_a_qr_check_out_is_bounded_as_the_check_in(world, client_for, service_rule, settings,
                                                   django_assert_max_num_queries):
    settings.GONGZHI_SESSION_REFRESH_SECONDS = 3600  # the session's row does not move on meanwhile
    a = _under_way(world, requires_signup=False)
    url = reverse("service:scan", args=[services.checkin_token(a)])
    client = client_for("member")
    client.get(url)
    assert post(client, url).status_code == 302
    # The session from the cache; the user with his or her roles; his or her member and resident records; the
    # activity with the check-in's id (not read again); then, in one transaction (a savepoint here), the check-in
    # locked, its departure, the rule and the service points' entry (not looked for first: the departure is
    # recorded just now, under the lock): 9 with the savepoint's two, as the check-in's 8.
    with time_machine.travel(timezone.now() + timedelta(minutes=20)), django_assert_max_num_queries(9):
        assert post(client, url).status_code == 302
    checkin = CheckIn.objects.get(activity=a, member=world.member_a)
    assert checkin.checked_out_at is not None and checkin.hours > 0
    entry = PointEntry.objects.get(member=world.member_a, code=RuleCode.SERVICE_HOUR)
    assert entry.idempotency_key == f"checkin:{checkin.pk}" and entry.points == service_rule.points_for(checkin.hours)
    with time_machine.travel(timezone.now() + timedelta(minutes=25)):
        assert post(client, url).status_code == 302
        assert "您已经签退了。" in client.get(url).content.decode()  # a third tap changes nothing
    assert PointEntry.objects.filter(member=world.member_a, code=RuleCode.SERVICE_HOUR).count() == 1
    assert CheckIn.objects.get(pk=checkin.pk).checked_out_at == checkin.checked_out_at


def test_a_token_is_read_once_per_process_and_still_expires(world, monkeypatch):
    a = _under_way(world)
    token = services.checkin_token(a)
    assert services.read_token(token) == (a.pk, timezone.localdate().isoformat())
    checked = []
    real = signing.loads
    monkeypatch.setattr(signing, "loads", lambda *args, **kwargs: checked.append(1) or real(*args, **kwargs))
    assert services.read_token(token) == (a.pk, timezone.localdate().isoformat())
    assert checked == []  # the same token again: its signature is not checked again
    with time_machine.travel(timezone.now() + services.TOKEN_MAX_AGE + timedelta(minutes=1)):
        with pytest.raises(services.ServiceError):
            services.read_token(token)  # remembered, but too old: checked again, and refused
    assert checked == [1]
    forged = token[:-1] + ("A" if token[-1] != "A" else "B")
    with pytest.raises(services.ServiceError):
        services.read_token(forged)
    with pytest.raises(services.ServiceError):
        services.read_token(forged)  # a refused token is not remembered
