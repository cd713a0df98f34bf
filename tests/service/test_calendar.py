"""The activity calendar: a month of activities by day, scoped, with filters, holidays and a fixed
number of queries."""

from datetime import datetime, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from gongzhi.service.models import ActivityKind, SignUp

from .factories import activity


@pytest.fixture
def world(world_copy):
    return world_copy


pytestmark = pytest.mark.django_db
URL = reverse("service:calendar")


def _at(day: int, hour: int = 9, month: int = 10, year: int = 2026):
    return timezone.make_aware(datetime(year, month, day, hour))


def _on(org, day, title, *, month=10, kind=ActivityKind.ENVIRONMENT, hour=9):
    start = _at(day, hour, month)
    return activity(org, title=title, starts_at=start, ends_at=start + timedelta(hours=2), kind=kind)


def _days(response):
    return {day.day: [a.title for a in items] for day, items, _mark in response.context["days"]}


def test_the_month_places_each_activity_on_its_day_and_hides_other_streets(world, client_for):
    _on(world.branch_a, 14, "楼道清理")
    _on(world.community_a, 14, "政策宣讲", kind=ActivityKind.POLICY, hour=15)
    _on(world.branch_a, 31, "月末巡逻", hour=23)  # late evening stays on the 31st, local time
    _on(world.branch_a, 1, "下月活动", month=11)
    _on(world.branch_x, 14, "外街活动")
    response = client_for("member").get(URL, {"month": "2026-10"})
    assert response.status_code == 200
    assert _days(response) == {14: ["楼道清理", "政策宣讲"], 31: ["月末巡逻"]}
    assert response.context["count"] == 3
    assert (response.context["previous"], response.context["next"]) == ("2026-09", "2026-11")
    assert "外街活动" not in response.content.decode()
    assert "外街活动" in client_for("foreign_secretary").get(URL, {"month": "2026-10"}).content.decode()
    filtered = client_for("member").get(URL, {"month": "2026-10", "kind": ActivityKind.POLICY})
    assert _days(filtered) == {14: ["政策宣讲"]}


def test_only_mine_and_my_status(world, client_for):
    joined = _on(world.branch_a, 14, "楼道清理")
    _on(world.branch_a, 15, "政策宣讲")
    SignUp.objects.create(activity=joined, member=world.member_a)
    response = client_for("member").get(URL, {"month": "2026-10", "mine": "1"})
    assert _days(response) == {14: ["楼道清理"]}
    assert response.context["days"][0][1][0].my_status == "signed_up"


def test_holidays_and_weekend_working_days_are_marked(world, client_for):
    with translation.override("zh-hans"):
        response = client_for("member").get(URL, {"month": "2026-10"}, HTTP_ACCEPT_LANGUAGE="zh-hans")
    marks = {day: mark for week in response.context["weeks"] for day, _items, mark in week if mark}
    assert marks[datetime(2026, 10, 1).date()][0] == "rest"
    assert all(mark[0] in ("rest", "work") for mark in marks.values())
    assert "国庆节" in {mark[1] for mark in marks.values()}


@pytest.mark.parametrize("month", ["", "nonsense", "2026-13", "1900-01", "9999-01"])
def test_a_bad_month_shows_this_month(world, client_for, month):
    response = client_for("member").get(URL, {"month": month})
    assert response.status_code == 200
    assert response.context["month"] == timezone.localdate().replace(day=1)


def test_the_month_issues_a_fixed_number_of_queries(world, client_for):
    client = client_for("member")

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(URL, {"month": "2026-10"}).status_code == 200
        return len(ctx)

    joined = _on(world.branch_a, 3, "第一次")
    SignUp.objects.create(activity=joined, member=world.member_b)
    few = count()
    for day in range(4, 28):
        made = _on(world.branch_a, day, f"活动{day}")
        SignUp.objects.create(activity=made, member=world.member_a)
    assert count() == few
