"""A member signs up on a phone, then checks in and out through the QR link."""

import os
from datetime import timedelta

import pytest
from django.utils import timezone

from gongzhi.service.models import CheckIn, SignUp
from gongzhi.service.services import checkin_token
from tests.browser import assert_accessible, log_in, open_page
from tests.conftest import build_world
from tests.factories.core import PASSWORD

from .factories import activity

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_member_signs_up_and_checks_in_via_the_qr_link_on_a_375px_page(live_server):
    world = build_world()
    upcoming = activity(world.branch_a, title="敬老院探访", starts_in=timedelta(days=1))
    now = activity(world.branch_a, title="楼道清理", starts_in=-timedelta(minutes=5), requires_signup=False)
    with open_page() as page:
        log_in(page, live_server.url, "member", PASSWORD)
        page.goto(f"{live_server.url}/service/")
        page.get_by_role("link", name="敬老院探访").click()
        page.locator("#my-signup button[type=submit]").click()
        page.wait_for_selector("#my-signup form[action$='/cancel/']")
        assert page.evaluate("document.documentElement.scrollWidth") <= 375
        assert_accessible(page)
        page.goto(f"{live_server.url}/service/scan/{checkin_token(now)}/")
        page.click("#scan-button")
        page.wait_for_selector("#scan-state[data-state=in]")
        assert page.evaluate("document.documentElement.scrollWidth") <= 375
        assert_accessible(page)
    assert SignUp.objects.filter(activity=upcoming, member=world.member_a, status="signed_up").exists()
    checkin = CheckIn.objects.get(activity=now, member=world.member_a)
    assert checkin.checked_in_at <= timezone.now()
