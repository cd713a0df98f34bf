"""Recurring series: creating generates ordinary activities (unique per series and date); editing
changes only future dates nobody signed up for; cancelling cancels the dates to come."""

from datetime import time, timedelta

import pytest
import time_machine
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from gongzhi.core.models import Notification
from gongzhi.service import services
from gongzhi.service.models import Activity, ActivitySeries, CheckIn, SignUp, SignUpStatus

from .factories import activity, post, series


@pytest.fixture
def world(world_copy):
    return world_copy


pytestmark = pytest.mark.django_db


def _weekly(world, **extra):
    return series(world.branch_a, by=world.users["branch_secretary_a"], **extra)


def test_creating_a_series_generates_each_date_as_an_ordinary_activity(world):
    s = _weekly(world)
    occurrences = list(s.occurrences.order_by("starts_at"))
    assert len(occurrences) == 16
    assert {timezone.localtime(a.starts_at).weekday() for a in occurrences} == {2, 5}
    first = occurrences[0]
    assert (first.title, first.organization, first.kind) == ("每周平安巡逻", world.branch_a, "patrol")
    assert timezone.localtime(first.starts_at).time() == time(19, 0)
    assert timezone.localtime(first.ends_at).time() == time(21, 0)
    # each date has its own sign-ups and its own check-in code
    services.sign_up(first, world.member_a)
    assert not SignUp.objects.filter(activity=occurrences[1]).exists()
    assert services.checkin_token(first) != services.checkin_token(occurrences[1])


def test_generating_again_adds_nothing(world):
    s = _weekly(world)
    assert services.generate_occurrences(s) == 0
    assert s.occurrences.count() == 16


def test_the_database_refuses_a_second_activity_for_the_same_series_date(world):
    s = _weekly(world)
    first = s.occurrences.first()
    with pytest.raises(IntegrityError), transaction.atomic():
        Activity.objects.create(organization=world.branch_a, title="重复", place="x", series=s,
                                occurs_on=first.occurs_on, starts_at=first.starts_at, ends_at=first.ends_at)


def test_a_repeated_submission_with_the_same_key_creates_one_series(world):
    by = world.users["branch_secretary_a"]
    values = {"title": "包饺子宴", "kind": "elderly", "place": "党群服务中心", "start_time": time(10, 0),
              "end_time": time(13, 0), "frequency": "monthly", "interval": 6, "month_day": 25,
              "starts_on": timezone.localdate() + timedelta(days=1), "count": 2}
    first, created = services.create_series(organization=world.community_a, by=by, request_key="k1", **values)
    again, created_again = services.create_series(organization=world.community_a, by=by, request_key="k1", **values)
    assert created and not created_again and first == again
    assert ActivitySeries.objects.count() == 1 and first.occurrences.count() == 2


def test_a_series_cannot_start_in_the_past(world):
    with pytest.raises(services.ServiceError):
        _weekly(world, starts_on=timezone.localdate() - timedelta(days=1))
    assert not ActivitySeries.objects.exists()


def test_editing_changes_future_dates_without_sign_ups_only(world):
    s = _weekly(world)
    occurrences = list(s.occurrences.order_by("starts_at"))
    signed = occurrences[2]
    SignUp.objects.create(activity=signed, member=world.member_a)
    counts = services.update_series(series=s, by=None, place="西门岗亭", start_time=time(18, 30))
    assert counts == {"updated": 15, "created": 0, "removed": 0, "kept": 1}
    signed.refresh_from_db()
    assert signed.place == "东门岗亭" and timezone.localtime(signed.starts_at).time() == time(19, 0)
    other = Activity.objects.get(pk=occurrences[3].pk)
    assert other.place == "西门岗亭" and timezone.localtime(other.starts_at).time() == time(18, 30)


def test_editing_never_touches_dates_already_past(world):
    s = _weekly(world)
    first = s.occurrences.order_by("starts_at").first()
    with time_machine.travel(first.ends_at + timedelta(hours=1)):
        services.update_series(series=s, by=None, place="西门岗亭")
    first.refresh_from_db()
    assert first.place == "东门岗亭"


def test_changing_the_weekdays_moves_free_dates_and_keeps_booked_ones(world):
    s = _weekly(world)
    booked = s.occurrences.filter(occurs_on__week_day=7).order_by("starts_at").first()  # a Saturday
    SignUp.objects.create(activity=booked, member=world.member_a)
    cancelled_only = s.occurrences.filter(occurs_on__week_day=7).order_by("starts_at")[1]
    SignUp.objects.create(activity=cancelled_only, member=world.member_b, status=SignUpStatus.CANCELLED)
    counts = services.update_series(series=s, by=None, weekdays="24")  # Wednesday and Friday
    active = s.occurrences.filter(cancelled_at__isnull=True)
    weekdays = {timezone.localtime(a.starts_at).weekday() for a in active.exclude(pk=booked.pk)}
    assert weekdays == {2, 4}
    assert active.filter(pk=booked.pk).exists()  # members signed up for it: it stays
    cancelled_only.refresh_from_db()
    assert cancelled_only.cancelled_at is not None  # kept for the history of the cancelled sign-up
    assert counts["kept"] == 1 and counts["created"] >= 1 and counts["removed"] >= 1
    assert s.occurrences.values("occurs_on").distinct().count() == s.occurrences.count()


def test_cancelling_the_series_cancels_the_dates_to_come_and_tells_those_signed_up(world):
    s = _weekly(world)
    first = s.occurrences.order_by("starts_at").first()
    SignUp.objects.create(activity=first, member=world.member_a)
    assert services.cancel_series(series=s, by=None) == 16
    assert not s.occurrences.filter(cancelled_at__isnull=True).exists()
    note = Notification.objects.get(user=world.users["member"])
    assert first.title in note.title and note.url == reverse("service:detail", args=[first.pk])
    assert services.cancel_series(series=s, by=None) == 0
    with pytest.raises(services.ServiceError, match="取消|cancelled"):
        services.sign_up(first, world.member_b)


def test_cancelling_keeps_past_dates_and_their_check_ins(world):
    s = _weekly(world, requires_signup=False)
    first = s.occurrences.order_by("starts_at").first()
    CheckIn.objects.create(activity=first, member=world.member_a, checked_in_at=first.starts_at)
    with time_machine.travel(first.ends_at + timedelta(hours=1)):
        assert services.cancel_series(series=s, by=None) == 15
    first.refresh_from_db()
    assert first.cancelled_at is None and first.checkins.count() == 1


def test_a_cancelled_activity_refuses_check_in(world):
    a = activity(world.branch_a, starts_in=timedelta(hours=2), requires_signup=False)
    services.cancel_activity(activity=a, by=None)
    a.refresh_from_db()
    with pytest.raises(services.ServiceError):
        services.check_in(a, world.member_a, by=None)


# --- pages -----------------------------------------------------------------------------------------

def _form(world, **changes):
    start = timezone.localdate() + timedelta(days=1)
    data = {"organization": world.branch_a.pk, "title": "每周平安巡逻", "kind": "patrol", "place": "东门岗亭",
            "start_time": "19:00", "end_time": "21:00", "open_to": "members", "requires_signup": "on",
            "frequency": "weekly", "interval": "1", "weekdays": ["2", "5"], "starts_on": start.isoformat(),
            "ends_on": (start + timedelta(days=27)).isoformat(), "key": "form-key-1"}
    data.update(changes)
    return data


def test_branch_secretary_creates_a_weekly_patrol_on_the_page(world, client_for):
    client = client_for("branch_secretary_a")
    assert client.get(reverse("service:series_create")).status_code == 200
    response = post(client, reverse("service:series_create"), _form(world))
    s = ActivitySeries.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("service:series_detail", args=[s.pk])
    assert 7 <= s.occurrences.count() <= 9
    # a double submission of the same form adds nothing
    post(client, reverse("service:series_create"), _form(world))
    assert ActivitySeries.objects.count() == 1
    body = client.get(reverse("service:series_detail", args=[s.pk])).content.decode()
    assert "每周平安巡逻" in body and body.count('href="/service/') >= s.occurrences.count()


@pytest.mark.parametrize(("changes", "message"), [
    ({"weekdays": []}, "至少选择一个星期"),
    ({"ends_on": ""}, "最后日期或次数"),
    ({"ends_on": "", "count": "61"}, "60"),
    ({"end_time": "18:00"}, "结束时间"),
    ({"open_to": "team"}, "团队"),
])
def test_bad_series_input_is_refused_with_a_reason(world, client_for, changes, message):
    response = post(client_for("branch_secretary_a"), reverse("service:series_create"), _form(world, **changes))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not ActivitySeries.objects.exists()


def test_a_series_longer_than_a_year_is_refused(world, client_for):
    start = timezone.localdate() + timedelta(days=1)
    response = post(client_for("branch_secretary_a"), reverse("service:series_create"),
                    _form(world, weekdays=["5"], ends_on=(start + timedelta(days=400)).isoformat()))
    assert response.status_code == 400 and not ActivitySeries.objects.exists()


def test_editing_and_cancelling_on_the_page(world, client_for):
    s = _weekly(world)
    client = client_for("branch_secretary_a")
    url = reverse("service:series_edit", args=[s.pk])
    assert client.get(url).status_code == 200
    data = _form(world, place="西门岗亭", count="16", ends_on="", starts_on=s.starts_on.isoformat())
    data.pop("organization")
    response = post(client, url, data, follow=True)
    assert "西门岗亭" in response.content.decode()
    assert set(s.occurrences.values_list("place", flat=True)) == {"西门岗亭"}
    post(client, reverse("service:series_cancel", args=[s.pk]))
    assert not s.occurrences.filter(cancelled_at__isnull=True).exists()
    assert client.get(url).status_code == 404  # a cancelled series is not edited


def test_the_activity_page_links_its_series_for_the_organiser_only(world, client_for):
    s = _weekly(world)
    url = reverse("service:detail", args=[s.occurrences.first().pk])
    series_url = reverse("service:series_detail", args=[s.pk])
    assert series_url in client_for("branch_secretary_a").get(url).content.decode()
    assert series_url not in client_for("member").get(url).content.decode()


def test_organiser_cancels_one_date_and_the_member_sees_it(world, client_for):
    a = activity(world.branch_a, starts_in=timedelta(days=2))
    SignUp.objects.create(activity=a, member=world.member_a)
    post(client_for("branch_secretary_a"), reverse("service:activity_cancel", args=[a.pk]))
    a.refresh_from_db()
    assert a.cancelled_at is not None
    assert Notification.objects.filter(user=world.users["member"]).count() == 1
    assert "已取消" in client_for("member").get(reverse("service:detail", args=[a.pk])).content.decode()


def test_series_page_queries_are_bounded(world, client_for, django_assert_max_num_queries):
    client = client_for("community_staff")
    small = _weekly(world, count=2, title="两次")
    with django_assert_max_num_queries(12):
        client.get(reverse("service:series_detail", args=[small.pk]))
    large = _weekly(world, count=40, title="四十次")
    with django_assert_max_num_queries(12):
        assert client.get(reverse("service:series_detail", args=[large.pk])).status_code == 200
