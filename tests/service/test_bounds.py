"""Implausible activities are refused with a clear message: a date outside 2000–2100, an activity
longer than a month, a capacity of 0 (empty means no limit). The database refuses capacity 0 too."""

from datetime import datetime, timedelta

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from gongzhi.service.models import Activity
from tests.service.factories import activity, post


@pytest.fixture
def world(world_copy):
    return world_copy


pytestmark = pytest.mark.django_db


def _data(world, start, end, **extra):
    return {"organization": world.branch_a.pk, "title": "政策宣讲", "kind": "policy", "place": "活动室",
            "starts_at": start.strftime("%Y-%m-%dT%H:%M"), "ends_at": end.strftime("%Y-%m-%dT%H:%M"),
            "capacity": "10", "open_to": "members", "requires_signup": "on", **extra}


def _publish(world, client_for, data):
    return post(client_for("branch_secretary_a"), reverse("service:create"), data)


@pytest.mark.parametrize(("start", "hours", "extra", "message"), [
    (datetime(1900, 5, 1, 9), 2, {}, "2000"),
    (datetime(2200, 5, 1, 9), 2, {}, "2100"),
    (None, 24 * 365 * 10, {}, "31"),
    (None, 2, {"capacity": "0"}, "1"),
    (None, 2, {"capacity": "1000000"}, "100000"),
])
def test_an_implausible_activity_is_refused_with_a_message(world, client_for, start, hours, extra, message):
    start = start or (timezone.localtime() + timedelta(days=3)).replace(tzinfo=None)
    response = _publish(world, client_for, _data(world, start, start + timedelta(hours=hours), **extra))
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert errors and message in str(errors)
    assert not Activity.objects.filter(title="政策宣讲").exists()


def test_a_plausible_activity_of_a_few_days_is_published(world, client_for):
    start = (timezone.localtime() + timedelta(days=3)).replace(tzinfo=None)
    response = _publish(world, client_for, _data(world, start, start + timedelta(days=3), capacity=""))
    assert response.status_code == 302 and Activity.objects.get(title="政策宣讲").capacity is None


def test_the_database_refuses_a_capacity_of_zero(world):
    found = activity(world.branch_a)
    with pytest.raises(IntegrityError), transaction.atomic():
        Activity.objects.filter(pk=found.pk).update(capacity=0)


def test_a_series_starting_beyond_2100_is_refused(world, client_for):
    data = {"organization": world.branch_a.pk, "title": "周巡逻", "kind": "patrol", "place": "小区",
            "start_time": "09:00", "end_time": "10:00", "open_to": "members", "requires_signup": "on",
            "frequency": "weekly", "interval": "1", "weekdays": ["1"], "starts_on": "2201-01-01", "count": "3"}
    response = post(client_for("community_secretary"), reverse("service:series_create"), data)
    assert response.status_code == 400 and "2100" in str(response.context["form"].errors)
