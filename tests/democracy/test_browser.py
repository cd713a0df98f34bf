"""A branch general meeting converts a probationary member, recorded by the branch secretary on a phone, and the
community secretary approves it on hers."""

import os

import pytest

from gongzhi.democracy.models import Conversion
from gongzhi.members.models import MemberStatus
from tests.browser import assert_accessible, log_in, open_pages
from tests.conftest import build_world
from tests.factories.core import PASSWORD

from .factories import full_members, general_meeting, probationary

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_branch_general_meeting_converts_a_probationary_member_on_a_phone(live_server):
    world = build_world()
    members = [world.member_a, *full_members(world.branch_a, 6)]  # 7 entitled
    trainee = probationary(world.branch_a, name="林晓雯")
    ends_on = trainee.probation_ends_on
    meeting = general_meeting(world.branch_a, present=[*members[:5], trainee], absent=members[5:6],
                              leave=members[6:])
    with open_pages(2) as (secretary, leader):
        log_in(secretary, live_server.url, "branch_secretary_a", PASSWORD)
        secretary.goto(f"{live_server.url}/democracy/")
        assert "林晓雯" in secretary.locator("body").inner_text()
        secretary.goto(f"{live_server.url}/democracy/meetings/{meeting.pk}/?subject={trainee.pk}")
        assert secretary.locator("#no-quorum").count() == 0  # 5 of 7 present
        secretary.select_option("select[name=kind]", "conversion")
        secretary.select_option("select[name=subject]", str(trainee.pk))
        secretary.select_option("select[name=proposal]", "convert")
        secretary.check("input[name=method][value=hands]")
        secretary.fill("input[name=in_favour]", "5")
        secretary.fill("input[name=against]", "0")
        secretary.fill("input[name=abstained]", "0")
        assert secretary.evaluate("document.documentElement.scrollWidth") <= 375
        assert_accessible(secretary)
        secretary.click("#vote-form button[type=submit]")
        secretary.wait_for_url("**/democracy/votes/*/")
        assert secretary.locator("#tally").is_visible()
        assert secretary.evaluate("document.documentElement.scrollWidth") <= 375
        conversion = Conversion.objects.get(member=trainee)

        log_in(leader, live_server.url, "community_secretary", PASSWORD)
        leader.goto(f"{live_server.url}/democracy/conversions/")
        leader.click(f"a[href='/democracy/conversions/{conversion.pk}/']")
        leader.check("input[name=decision][value=approve]")
        assert_accessible(leader)
        leader.click("#approval-form button[type=submit]")
        leader.wait_for_selector("#conversion-status.text-bg-success")
        assert leader.evaluate("document.documentElement.scrollWidth") <= 375
    trainee.refresh_from_db()
    assert trainee.status == MemberStatus.FULL and trainee.full_member_on == ends_on
    assert trainee.history.filter(kind="status").exists()
