"""Community staff search the roster and reveal a member's record on a phone-sized page."""

import os

import pytest

from gongzhi.core.models import AuditEvent
from tests.conftest import build_world
from tests.factories.core import PASSWORD

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"


def _serious(page):
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    return [v["id"] for v in results.response["violations"] if v["impact"] in ("critical", "serious")]


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_staff_search_open_and_reveal_a_member_on_a_375px_page(live_server):
    from playwright.sync_api import sync_playwright

    world = build_world()
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium",
                                    args=["--headless", "--no-sandbox", "--disable-gpu",
                                          "--disable-background-networking"])
        page = browser.new_page(viewport={"width": 375, "height": 800})
        page.goto(f"{live_server.url}/accounts/login/")
        page.fill("input[name=username]", "community_staff")
        page.fill("input[name=password]", PASSWORD)
        page.click("button[type=submit]")
        page.goto(f"{live_server.url}/members/")
        page.fill("input[name=q]", "zl")
        page.locator("form[role=search] button[type=submit]").click()
        page.wait_for_load_state()
        assert page.evaluate("document.documentElement.scrollWidth") <= 375
        assert not _serious(page)
        page.get_by_role("link", name="赵磊").click()
        page.wait_for_load_state()
        assert world.member_a.id_number not in page.content()
        assert not _serious(page)
        page.locator("form[action$='/reveal/'] button").click()
        page.wait_for_load_state()
        assert page.locator("[data-field=id_number]").inner_text() == world.member_a.id_number
        assert page.evaluate("document.documentElement.scrollWidth") <= 375
        browser.close()
    assert AuditEvent.objects.filter(action="members.reveal").count() == 1
