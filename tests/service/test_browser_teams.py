"""A secretary forms a patrol team on a phone, adds a member and creates a weekly patrol only the
team may join; the member signs up for the first date, another member is told why he cannot."""

import os
from datetime import timedelta

import pytest
from django.utils import timezone

from gongzhi.service.models import ActivitySeries, ServiceTeam, SignUp
from tests.browser import assert_accessible, log_in, open_page
from tests.conftest import build_world
from tests.factories import UserFactory
from tests.factories.core import PASSWORD

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"


def _fits(page):
    assert page.evaluate("document.documentElement.scrollWidth") <= 375


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_secretary_forms_a_team_and_a_weekly_patrol_the_member_signs_up(live_server):
    world = build_world()
    with open_page() as page:
        log_in(page, live_server.url, "community_staff", PASSWORD)
        page.goto(f"{live_server.url}/service/teams/new/")
        page.select_option("select[name=organization]", str(world.community_a.pk))
        page.fill("input[name=name]", "平安巡逻队")
        page.check("input[name=kinds][value=patrol]")
        page.check(f"input[name=grids][value='{world.grid_a.pk}']")
        _fits(page)
        assert_accessible(page)
        page.click("#team-form button[type=submit]")
        page.wait_for_selector("#member-q")
        page.fill("#member-q", "赵")
        page.click("form[role=search] button[type=submit]")
        page.locator("#candidates form button[type=submit]").first.click()
        page.wait_for_selector("#team-members >> text=赵磊")
        _fits(page)
        assert_accessible(page)

        page.goto(f"{live_server.url}/service/series/new/")
        first = timezone.localdate() + timedelta(days=1)
        page.select_option("select[name=organization]", str(world.community_a.pk))
        page.fill("input[name=title]", "周六夜间巡逻")
        page.select_option("select[name=kind]", "patrol")
        page.fill("input[name=place]", "东门岗亭")
        page.fill("input[name=start_time]", "19:00")
        page.fill("input[name=end_time]", "21:00")
        page.select_option("select[name=open_to]", "team")
        page.select_option("select[name=team]", str(ServiceTeam.objects.get().pk))
        page.check(f"input[name=weekdays][value='{first.weekday()}']")
        page.fill("input[name=starts_on]", first.isoformat())
        page.fill("input[name=count]", "4")
        _fits(page)
        assert_accessible(page)
        page.click("#series-form button[type=submit]")
        page.wait_for_selector("#occurrences")
        _fits(page)
        assert_accessible(page)

    series = ActivitySeries.objects.get()
    occurrence = series.occurrences.order_by("starts_at").first()
    assert series.occurrences.count() == 4

    with open_page() as page:
        log_in(page, live_server.url, "member", PASSWORD)
        page.goto(f"{live_server.url}/service/")
        page.get_by_role("link", name="周六夜间巡逻").first.click()
        page.locator("#my-signup button[type=submit]").click()
        page.wait_for_selector("#my-signup form[action$='/cancel/']")
        _fits(page)
    assert SignUp.objects.filter(activity=occurrence, member=world.member_a, status="signed_up").exists()

    outsider = UserFactory(username="outsider")
    world.member_b.user = outsider
    world.member_b.save(update_fields=["user"])
    from tests.factories import RoleFactory

    RoleFactory(user=outsider, organization=world.branch_b, kind="member", starts_on=timezone.localdate())
    with open_page() as page:
        log_in(page, live_server.url, "outsider", PASSWORD)
        page.goto(f"{live_server.url}/service/{occurrence.pk}/")
        assert "平安巡逻队" in page.locator("#join-refusal").inner_text()
        _fits(page)
        assert_accessible(page)
