"""A resident scans the QR code, submits a request on a phone-sized page and follows it by its tracking number."""

import os

import pytest

from gongzhi.voice.models import Request
from tests.browser import assert_accessible, open_page
from tests.conftest import build_world

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_resident_submits_on_a_375px_page_and_follows_the_tracking_number(live_server):
    world = build_world()
    with open_page() as page:
        page.goto(f"{live_server.url}/voice/c/{world.community_a.code}/new/")
        assert_accessible(page)
        page.select_option("select[name=category]", "safety")
        page.fill("textarea[name=text]", "3号楼消防通道被电动车堵住了")
        page.select_option("select[name=grid]", str(world.grid_a.pk))
        page.fill("input[name=contact_phone]", "13912340000")
        assert page.evaluate("document.documentElement.scrollWidth") <= 375
        page.click("button[type=submit]")
        number = page.locator("#tracking-number").inner_text().strip()
        assert_accessible(page)
        page.click(f"a[href$='{number}']")
        page.wait_for_selector("#tracked")
        assert page.locator("[data-status=received]").count() == 1
        assert "13912340000" not in page.content()
        assert page.evaluate("document.documentElement.scrollWidth") <= 375
        assert_accessible(page)
    assert Request.objects.get().tracking_number == number
