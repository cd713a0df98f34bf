"""The ledger's one correction form: a secretary gives the reason once and presses Reverse on the row of the
entry to correct; Enter in the reason reverses nothing, and a row already reversed has no button."""

import os
from datetime import date

import pytest

from gongzhi.points.models import PointEntry, PointRule, RuleCode
from gongzhi.points.services import post_points
from tests.conftest import build_world
from tests.factories.core import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def test_a_secretary_reverses_one_entry_from_the_ledger_on_a_phone(live_server):
    from tests.browser import assert_accessible, log_in, open_page

    world = build_world()
    PointRule.objects.create(organization=world.street_a, code=RuleCode.VISIT, points=1,
                             effective_from=date(2020, 1, 1))
    kept = post_points(member=world.member_a, code=RuleCode.VISIT, key="kept", occurred_on=date(2025, 3, 1))
    wrong = post_points(member=world.member_a, code=RuleCode.VISIT, key="wrong", occurred_on=date(2025, 3, 2))
    with open_page() as page:
        page.on("dialog", lambda dialog: dialog.accept())
        log_in(page, live_server.url, "branch_secretary_a", PASSWORD)
        page.goto(f"{live_server.url}/points/")
        assert_accessible(page)
        reason = page.locator("#reverse-reason")
        reason.fill("重复录入")
        reason.press("Enter")  # the form's default button is disabled: nothing is posted
        page.wait_for_timeout(300)
        assert PointEntry.objects.count() == 2
        with page.expect_navigation():
            page.locator(f"#entry-{wrong.pk} button[form=reverse-form]").click()
        assert page.locator(".alert-success").is_visible()
        reversal = PointEntry.objects.get(reverses=wrong)
        assert reversal.reason == "重复录入" and reversal.points == -wrong.points
        assert not PointEntry.objects.filter(reverses=kept).exists()
        assert page.locator(f"#entry-{wrong.pk} .badge").is_visible()
        assert page.locator(f"#entry-{wrong.pk} button").count() == 0
        assert page.locator(f"#entry-{kept.pk} button[form=reverse-form]").is_visible()
        assert page.locator(f"#entry-{reversal.pk} button").count() == 0  # a correction is not reversed
        assert page.evaluate("document.documentElement.scrollWidth") <= 376
        assert_accessible(page)
