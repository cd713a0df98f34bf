"""A branch secretary records attendance on the spot on a phone-sized page."""

import os
from datetime import timedelta

import pytest
from django.utils import timezone

from gongzhi.meetings.models import Attendance
from tests.conftest import build_world
from tests.factories.core import PASSWORD

from .factories import planned_meeting

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_branch_secretary_records_attendance_on_a_375px_page(live_server):
    from tests.browser import accessibility_faults, log_in, open_page

    world = build_world()
    meeting = planned_meeting(world.branch_a, by=world.users["branch_secretary_a"],
                              day=timezone.localdate() - timedelta(days=0))
    with open_page({"width": 375, "height": 800}, locale="en-US") as page:  # the buttons' English names
        log_in(page, live_server.url, "branch_secretary_a", PASSWORD)
        page.goto(f"{live_server.url}/meetings/{meeting.pk}/")
        row = page.locator(f"#att-{world.member_a.pk}")
        row.get_by_role("button", name=f"{world.member_a.name}: Present", exact=True).click()
        page.wait_for_selector(f"#att-{world.member_a.pk}[data-status=present]")
        other = page.locator(f"#att-{world.member_reported.pk}")
        other.locator("input[name=leave_reason]").fill("外出就医")
        other.get_by_role("button", name=f"{world.member_reported.name}: On leave", exact=True).click()
        page.wait_for_selector(f"#att-{world.member_reported.pk}[data-status=leave]")
        assert page.evaluate("document.documentElement.scrollWidth") <= 375
        serious = accessibility_faults(page)
        assert not serious, serious
    statuses = dict(Attendance.objects.filter(meeting=meeting).values_list("member_id", "status"))
    assert statuses == {world.member_a.pk: "present", world.member_reported.pk: "leave"}
