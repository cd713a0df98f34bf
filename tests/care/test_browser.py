"""A paired party member logs a visit to an elderly resident on a phone and turns the need into a wish."""

import os
from datetime import date

import pytest

from gongzhi.care.models import CareTag, Pairing, Visit
from gongzhi.voice.models import Wish
from tests.conftest import build_world
from tests.factories.core import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def test_a_member_logs_a_visit_and_makes_the_need_a_wish_on_a_phone(live_server):
    from tests.browser import assert_accessible, log_in, open_page

    world = build_world()
    CareTag.objects.create(resident=world.resident_a, kind="alone", note="子女在外地")
    pairing = Pairing.objects.create(member=world.member_a, resident=world.resident_a, frequency_days=14,
                                     started_on=date(2025, 1, 1))
    with open_page() as page:
        log_in(page, live_server.url, "member", PASSWORD)
        page.goto(f"{live_server.url}/care/")
        with page.expect_navigation():
            page.get_by_role("link", name=world.resident_a.name).click()
        assert "子女在外地" in page.content()
        assert_accessible(page)
        form = page.locator(f"[data-pairing='{pairing.pk}'] form")
        form.locator("textarea[name=note]").fill("量血压，聊天")
        form.locator("textarea[name=need]").fill("需要一副老花镜")
        with page.expect_navigation():
            form.locator("button[type=submit]").click()
        visit = Visit.objects.get()
        assert visit.need == "需要一副老花镜"
        with page.expect_navigation():
            page.locator(f"[data-visit='{visit.pk}'] form[action$='/wish/'] button").click()
        assert page.locator(f"[data-visit='{visit.pk}'] [data-wish]").is_visible()
        assert page.evaluate("document.documentElement.scrollWidth") <= 376
        assert_accessible(page)
    assert Wish.objects.get().text == "需要一副老花镜"
