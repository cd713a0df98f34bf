"""Working days beyond the package's years: the holiday table, its page, the warning from 1 November,
and the deadlines counted across a year boundary before and after next year's days are entered."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse

from gongzhi.accounts.models import RoleKind
from gongzhi.core import services, workdays
from gongzhi.core.models import AuditEvent, CalendarDay, CalendarSource, CalendarYear, DayKind, Festival
from gongzhi.core.permissions import MANAGE_WORKDAYS, can_manage_workdays
from gongzhi.orgs.models import UPPER_LEVEL
from gongzhi.voice.models import Category, EventKind


@pytest.fixture
def world(world_copy):
    return world_copy


pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")
URL = reverse("core:holidays")


def at(*args) -> datetime:
    return datetime(*args, tzinfo=SHANGHAI)


def post(client, url, data):
    client.get(reverse("home"))
    return client.post(url, {**data, "csrfmiddlewaretoken": client.cookies["csrftoken"].value})


def enter_2027_new_year(admin):
    services.enter_days(first=date(2027, 1, 1), last=date(2027, 1, 3), kind=DayKind.HOLIDAY,
                        festival=Festival.NEW_YEAR, by=admin)


# -- the table ----------------------------------------------------------------------------------

def test_the_package_years_are_seeded_complete_and_2027_is_not():
    assert set(workdays.package_years()) <= set(CalendarYear.objects.values_list("year", flat=True))
    assert CalendarYear.objects.get(year=2026).source == CalendarSource.PACKAGE
    assert not CalendarYear.objects.filter(year=2027).exists()
    spring = CalendarDay.objects.get(day=date(2026, 2, 17))
    assert (spring.kind, spring.festival) == (DayKind.HOLIDAY, Festival.SPRING_FESTIVAL)
    assert not workdays.is_workday(date(2026, 2, 17))  # a Tuesday of the Spring Festival
    assert workdays.is_workday(date(2026, 2, 14))  # the Saturday worked in exchange
    assert workdays.is_workday(date(2026, 3, 2)) and not workdays.is_workday(date(2026, 3, 1))


def test_a_year_nobody_entered_counts_weekends_only_and_never_fails():
    assert workdays.is_workday(date(2099, 2, 3)) and not workdays.is_workday(date(2099, 2, 7))
    deadline = workdays.working_day_deadline(date(2099, 12, 30), 3)
    assert deadline.due == date(2100, 1, 4)
    assert deadline.provisional_years == (2099, 2100)


@pytest.mark.parametrize("start, days", [(date(2026, 2, 10), 5), (date(2026, 9, 28), 10), (date(2026, 12, 30), 5),
                                         (date(2026, 12, 24), 20), (date(2026, 4, 30), 1), (date(2026, 6, 1), 0)])
def test_a_deadline_read_from_a_calendar_passed_in_is_the_deadline_counted_alone(
        start, days, django_assert_num_queries):
    alone = workdays.working_day_deadline(start, days)
    year = workdays.WorkCalendar(date(2026, 1, 1), date(2027, 3, 31))
    with django_assert_num_queries(0):  # the days are all in the calendar passed in
        assert workdays.working_day_deadline(start, days, calendar=year) == alone
    ends_early = workdays.WorkCalendar(start - timedelta(days=3), start + timedelta(days=2))
    assert workdays.working_day_deadline(start, days, calendar=ends_early) == alone  # the rest loaded
    elsewhere = workdays.WorkCalendar(date(2030, 1, 1), date(2030, 1, 31))
    assert workdays.working_day_deadline(start, days, calendar=elsewhere) == alone  # not used at all
    assert alone.provisional == (alone.due.year == 2027)  # 2027 is not complete: the cases reach into it


def test_the_capability_names_the_street_administrator_at_the_upper_level():
    assert MANAGE_WORKDAYS.roles == {RoleKind.STREET_ADMIN}
    assert MANAGE_WORKDAYS.at == {str(kind) for kind in UPPER_LEVEL}


def test_only_a_street_administrator_of_a_top_organization_edits(world):
    from tests.factories import RoleFactory, UserFactory

    assert can_manage_workdays(world.users["street_admin"])
    for persona in ("community_secretary", "community_staff", "supervisor", "security_admin", "foreign_secretary"):
        assert not can_manage_workdays(world.users[persona]), persona
    below = UserFactory(username="below_top")
    RoleFactory(user=below, organization=world.community_a, kind=RoleKind.STREET_ADMIN, starts_on=date(2020, 1, 1))
    assert not can_manage_workdays(below)  # a street administrator's role held at a community does not reach


# -- the year boundary ----------------------------------------------------------------------------

def test_a_deadline_across_the_year_boundary_with_2027_missing_then_entered(world):
    admin = world.users["street_admin"]
    missing = workdays.working_day_deadline(date(2026, 12, 30), 5)
    assert missing.due == date(2027, 1, 6)  # 31 Dec, 1, 4, 5, 6 Jan: New Year's Day counted as a working day
    assert missing.provisional_years == (2027,)
    enter_2027_new_year(admin)
    entered = workdays.working_day_deadline(date(2026, 12, 30), 5)
    assert entered.due == date(2027, 1, 7)
    assert entered.provisional  # the days count, but the year is not declared complete yet
    services.complete_year(year=2027, by=admin)
    assert not workdays.working_day_deadline(date(2026, 12, 30), 5).provisional


def test_the_spring_festival_of_2027_counts_once_entered(world):
    admin = world.users["street_admin"]
    before = workdays.working_day_deadline(date(2027, 2, 3), 5)
    assert before.due == date(2027, 2, 10)
    services.enter_days(first=date(2027, 2, 6), last=date(2027, 2, 14), kind=DayKind.HOLIDAY,
                        festival=Festival.SPRING_FESTIVAL, by=admin)
    services.enter_days(first=date(2027, 2, 20), last=date(2027, 2, 20), kind=DayKind.WORKDAY,
                        festival=Festival.SPRING_FESTIVAL, by=admin)
    after = workdays.working_day_deadline(date(2027, 2, 3), 5)
    assert after.due == date(2027, 2, 17)  # 4, 5 Feb, then 15, 16, 17 after the holiday
    assert workdays.is_workday(date(2027, 2, 20))


def test_a_request_received_on_30_december_is_counted_again_when_2027_is_complete(
        world, django_capture_on_commit_callbacks):
    from tests.voice.factories import request_in

    admin = world.users["street_admin"]
    with time_machine.travel(at(2026, 12, 30, 10), tick=False):
        req = request_in(world, category=Category.ENVIRONMENT)  # 5 working days by default
    assert (req.resolution_due, req.deadline_provisional, req.resolution_days) == (date(2027, 1, 6), True, 5)
    with django_capture_on_commit_callbacks(execute=True):
        enter_2027_new_year(admin)
        services.complete_year(year=2027, by=admin)
    req.refresh_from_db()
    assert (req.resolution_due, req.deadline_provisional) == (date(2027, 1, 7), False)
    step = req.events.get(kind=EventKind.DEADLINE)
    assert "2027-01-06" in step.note and "2027-01-07" in step.note


def test_a_new_request_after_completion_is_not_provisional(world):
    from tests.voice.factories import request_in

    enter_2027_new_year(world.users["street_admin"])
    services.complete_year(year=2027, by=world.users["street_admin"])
    with time_machine.travel(at(2026, 12, 30, 10), tick=False):
        req = request_in(world, category=Category.ENVIRONMENT)
    assert (req.resolution_due, req.deadline_provisional) == (date(2027, 1, 7), False)


# -- the warning ----------------------------------------------------------------------------------

@pytest.mark.parametrize("moment, expected", [
    (at(2026, 10, 31, 23, 59), None), (at(2026, 11, 1, 0, 1), 2027), (at(2026, 12, 31, 9), 2027),
    (at(2027, 1, 4, 9), 2027), (at(2026, 6, 1, 9), None),
])
def test_staff_are_warned_from_1_november_and_all_of_a_missing_year(moment, expected):
    with time_machine.travel(moment, tick=False):
        assert workdays.missing_year(moment.date()) == expected


def test_the_home_page_warns_staff_and_not_members(world, client_for):
    with time_machine.travel(at(2026, 11, 2, 9), tick=False):
        for persona in ("street_admin", "community_secretary", "community_staff", "branch_secretary_a"):
            body = client_for(persona).get(reverse("home")).content.decode()
            assert 'data-notice="workdays-missing" data-year="2027"' in body, persona
        admin_page = client_for("street_admin").get(reverse("home")).content.decode()
        assert f'{URL}?year=2027' in admin_page
        for persona in ("member", "resident", "treasurer_a", "security_admin", "auditor"):
            assert "workdays-missing" not in client_for(persona).get(reverse("home")).content.decode(), persona
        holidays_page = client_for("community_secretary").get(URL).content.decode()
        assert 'data-notice="workdays-missing"' in holidays_page
    with time_machine.travel(at(2026, 10, 20, 9), tick=False):
        assert "workdays-missing" not in client_for("street_admin").get(reverse("home")).content.decode()
    enter_2027_new_year(world.users["street_admin"])
    services.complete_year(year=2027, by=world.users["street_admin"])
    with time_machine.travel(at(2026, 11, 2, 9), tick=False):
        assert "workdays-missing" not in client_for("street_admin").get(reverse("home")).content.decode()


def test_the_activity_calendar_says_when_a_month_has_no_holidays_entered(world, client_for):
    calendar = reverse("service:calendar")
    response = client_for("member").get(calendar, {"month": "2027-02"})
    assert response.context["missing_years"] == [2027]
    assert 'data-notice="workdays-missing"' in response.content.decode()
    services.enter_days(first=date(2027, 2, 6), last=date(2027, 2, 14), kind=DayKind.HOLIDAY,
                        festival=Festival.SPRING_FESTIVAL, by=world.users["street_admin"])
    services.complete_year(year=2027, by=world.users["street_admin"])
    response = client_for("member").get(calendar, {"month": "2027-02"})
    marks = {day: mark for week in response.context["weeks"] for day, _items, mark in week if mark}
    assert marks[date(2027, 2, 8)] == ("rest", "春节")
    assert response.context["missing_years"] == []


# -- the page -------------------------------------------------------------------------------------

def test_the_administrator_enters_a_holiday_range_and_completes_the_year(world, client_for):
    client = client_for("street_admin")
    response = post(client, URL, {"first": "2027-10-01", "last": "2027-10-07", "kind": "holiday",
                                  "festival": "national_day", "name": ""})
    assert response.status_code == 302 and response["Location"].endswith("?year=2027")
    assert CalendarDay.objects.filter(day__year=2027, festival=Festival.NATIONAL_DAY).count() == 7
    page = client.get(URL, {"year": 2027})
    assert [(r["first"], r["last"], r["count"]) for r in page.context["ranges"]] == [
        (date(2027, 10, 1), date(2027, 10, 7), 7)]
    assert 'data-year-state="missing"' in page.content.decode()
    response = post(client, reverse("core:holidays_year", args=[2027]), {"action": "complete"})
    assert response.status_code == 302
    assert CalendarYear.objects.get(year=2027).completed_by == world.users["street_admin"]
    assert 'data-year-state="complete"' in client.get(URL, {"year": 2027}).content.decode()
    assert list(AuditEvent.objects.filter(action__startswith="core.calendar").values_list("action", flat=True)
                .order_by("id")) == ["core.calendar.enter", "core.calendar.complete"]


@pytest.mark.parametrize("data, message", [
    ({"first": "2027-10-04", "kind": "workday", "festival": "national_day"}, "Saturday or a Sunday; 2027-10-04"),
    ({"first": "2027-10-07", "last": "2027-10-01", "kind": "holiday", "festival": "national_day"}, "comes before"),
    ({"first": "2027-01-01", "last": "2027-03-01", "kind": "holiday", "festival": "spring_festival"}, "at most 31"),
    ({"first": "2027-05-04", "kind": "holiday", "festival": "other"}, "Name the holiday"),
    ({"first": "1999-05-04", "kind": "holiday", "festival": "labour_day"}, "between 2000 and 2100"),
    ({"first": "not a date", "kind": "holiday", "festival": "labour_day"}, "Enter a valid date"),
])
def test_bad_entries_are_refused_with_a_message_and_nothing_written(world, client_for, data, message):
    client = client_for("street_admin")
    client.cookies["django_language"] = "en"
    response = post(client, URL, {"last": "", "name": "", **data})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not CalendarDay.objects.filter(day__year__in=[1999, 2027]).exists()


def test_completing_a_year_without_holidays_is_refused(world):
    with pytest.raises(ValidationError):
        services.complete_year(year=2027, by=world.users["street_admin"])
    with pytest.raises(ValidationError):
        services.complete_year(year=2026, by=world.users["street_admin"])  # already complete


def test_reopening_and_taking_a_year_from_the_package(world, client_for):
    client = client_for("street_admin")
    post(client, reverse("core:holidays_year", args=[2026]), {"action": "reopen"})
    assert not CalendarYear.objects.filter(year=2026).exists()
    assert workdays.missing_year(date(2026, 3, 1)) == 2026
    CalendarDay.objects.filter(day__year=2026, festival=Festival.NATIONAL_DAY).delete()
    post(client, reverse("core:holidays_year", args=[2026]), {"action": "package"})
    assert CalendarYear.objects.get(year=2026).source == CalendarSource.PACKAGE
    assert not workdays.is_workday(date(2026, 10, 2))
    response = post(client, reverse("core:holidays_year", args=[2027]), {"action": "package"})
    assert response.status_code == 302 and not CalendarYear.objects.filter(year=2027).exists()


def test_removing_a_range_makes_the_days_ordinary_again(world, client_for):
    client = client_for("street_admin")
    post(client, URL, {"first": "2027-10-01", "last": "2027-10-07", "kind": "holiday", "festival": "national_day",
                       "name": ""})
    post(client, reverse("core:holidays_remove"), {"first": "2027-10-01", "last": "2027-10-07"})
    assert not CalendarDay.objects.filter(day__year=2027).exists()
    assert workdays.is_workday(date(2027, 10, 4))


def test_viewers_cannot_write(world, client_for):
    client = client_for("community_secretary")
    assert client.get(URL).status_code == 200
    response = post(client, URL, {"first": "2027-10-01", "kind": "holiday", "festival": "national_day"})
    assert response.status_code == 404
    assert not CalendarDay.objects.filter(day__year=2027).exists()
    assert "enter-days" not in client.get(URL).content.decode()


def test_a_make_up_day_replaces_an_entered_holiday_on_the_same_day(world):
    admin = world.users["street_admin"]
    services.enter_days(first=date(2027, 2, 6), last=date(2027, 2, 7), kind=DayKind.HOLIDAY,
                        festival=Festival.SPRING_FESTIVAL, by=admin)
    services.enter_days(first=date(2027, 2, 7), last=date(2027, 2, 7), kind=DayKind.WORKDAY,
                        festival=Festival.SPRING_FESTIVAL, by=admin)
    assert CalendarDay.objects.get(day=date(2027, 2, 7)).kind == DayKind.WORKDAY
    assert CalendarDay.objects.filter(day__year=2027).count() == 2


def test_the_holiday_page_costs_the_same_queries_for_a_full_or_an_empty_year(world, client_for):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for("street_admin")

    def count(year):
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(URL, {"year": year}).status_code == 200
        return len(ctx)

    assert count(2027) == count(2026)  # nothing entered for 2027; 2026 complete with 39 days
