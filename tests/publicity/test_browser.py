"""A resident reads her community's publicity board on a phone and asks a question about the funds disclosure;
the question reaches the community as a request she follows with its tracking number."""

import os

import pytest
from django.core.cache import cache

from gongzhi.publicity import services
from gongzhi.publicity.models import ItemStatus
from gongzhi.voice.models import Request
from tests.conftest import build_world
from tests.factories.core import PASSWORD

from . import factories

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def test_a_resident_reads_the_board_on_a_phone_and_asks_about_the_funds_disclosure(live_server):
    from tests.browser import assert_accessible, log_in, open_page

    cache.clear()  # other tests in this process may have used up the question limit of 127.0.0.1
    world = build_world()
    draft = factories.item(world, status=ItemStatus.DRAFT, title="2026年第一季度党费和经费使用情况公开",
                           body="一、收缴党费4520元，已全额上缴。\n二、服务群众经费支出3000元，用于走访慰问困难群众。")
    services.add_attachment(item=draft, upload=factories.pdf("经费明细.pdf"), by=world.users["community_staff"])
    services.submit_item(item=draft, by=world.users["community_staff"])
    item = services.approve_item(item=draft, by=world.users["community_secretary"], publish_now=True)
    factories.item(world, status=ItemStatus.PENDING, title="还在审核的事项")
    code = world.community_a.code
    with open_page() as page:
        log_in(page, live_server.url, "resident", PASSWORD)
        page.goto(f"{live_server.url}/publicity/c/{code}/")
        assert page.locator(f"[data-item='{item.pk}']").is_visible()
        assert "还在审核的事项" not in page.content()
        assert page.evaluate("document.documentElement.scrollWidth") <= 376
        assert_accessible(page)
        with page.expect_navigation():
            page.get_by_role("link", name=item.title).click()
        assert "服务群众经费支出3000元" in page.content() and "经费明细.pdf" in page.content()
        assert_accessible(page)
        page.locator("#ask summary").click()
        page.fill("textarea[name=text]", "慰问了哪些困难群众？名单在哪里可以看到？")
        with page.expect_navigation():
            page.locator("#ask button[type=submit]").click()
        number = page.locator("#tracking-number").inner_text().strip()
        assert page.evaluate("document.documentElement.scrollWidth") <= 376
        assert_accessible(page)
        with page.expect_navigation():
            page.get_by_role("link", name="跟踪这个问题").click()
        assert "/voice/track/" in page.url
    req = Request.objects.get(tracking_number=number)
    assert req.community == world.community_a and req.handler == world.community_a
    assert req.resident == world.resident_a and "名单在哪里可以看到" in req.text
    assert item.questions.get().request == req
