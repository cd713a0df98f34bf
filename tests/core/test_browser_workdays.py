"""A street administrator on a phone is warned that next year's holidays are missing, enters them and
completes the year; the warning goes and a provisional request deadline is counted again."""

import os
from datetime import date, timedelta

import pytest
from django.utils import timezone

from tests.conftest import build_world
from tests.factories.core import PASSWORD

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"


def _log_in(page, base, username):
    page.goto(f"{base}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(lambda url: "/accounts/login/" not in url)


def _first_weekday(year: int, month: int, weekday: int) -> date:
    day = date(year, month, 1)
    return day + timedelta(days=(weekday - day.weekday()) % 7)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_administrator_enters_next_years_holidays_on_a_phone(live_server):
    from gongzhi.core import workdays
    from gongzhi.core.models import CalendarYear
    from gongzhi.voice.models import Category, EventKind
    from tests.browser import assert_accessible, open_page
    from tests.voice.factories import request_in

    world = build_world()
    year = workdays.missing_year(timezone.localdate())
    if year is None:  # before 1 November of a year the package covers: nothing to warn about
        pytest.skip("no year is missing today")
    # A request received the last working day before New Year is counted into the missing year.
    received = timezone.make_aware(timezone.datetime(year - 1, 12, 30, 10)) if year > timezone.localdate().year \
        else timezone.now()
    req = request_in(world, category=Category.ENVIRONMENT, now=received)
    assert req.deadline_provisional
    with open_page() as page:
        _log_in(page, live_server.url, "street_admin")
        notice = page.locator(f"[data-notice=workdays-missing][data-year='{year}']")
        assert notice.is_visible()
        notice.get_by_role("link").click()
        page.wait_for_load_state()
        assert page.locator("[data-year-state=missing]").is_visible()
        assert page.evaluate("document.documentElement.scrollWidth") <= 376
        assert_accessible(page)

        page.fill("#id_first", f"{year}-01-01")
        page.fill("#id_last", f"{year}-01-03")
        page.select_option("select[name=kind]", "holiday")
        page.select_option("select[name=festival]", "new_year")
        page.click("#enter-days")
        page.wait_for_load_state()
        assert page.locator("#holiday-table tbody tr[data-kind=holiday]").count() == 1

        monday = _first_weekday(year, 2, 0)
        page.fill("#id_first", monday.isoformat())
        page.select_option("select[name=kind]", "workday")
        page.click("#enter-days")
        page.wait_for_load_state()
        assert page.locator(".alert-danger").is_visible()  # a make-up day must be a weekend day
        assert monday.isoformat() in page.locator(".alert-danger").inner_text()
        assert_accessible(page)

        page.goto(f"{live_server.url}/core/holidays/?year={year}")
        page.click("#complete-year")
        page.wait_for_load_state()
        assert page.locator("[data-year-state=complete]").is_visible()
        page.goto(f"{live_server.url}/")
        assert page.locator(f"[data-notice=workdays-missing][data-year='{year}']").count() == 0
    assert CalendarYear.objects.filter(year=year).exists()
    req.refresh_from_db()
    assert not req.deadline_provisional
    if year > timezone.localdate().year:  # counted across New Year's Day, which now is a holiday
        assert req.events.filter(kind=EventKind.DEADLINE).exists()
