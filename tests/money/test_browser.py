"""A branch secretary marks a month's dues on a phone: one tap per member, the row turns "paid" in place,
a second tap on a stale page records nothing more; then the member sees the month paid on his own page."""

import os
from datetime import date

import pytest
from django.utils import timezone

from gongzhi.members.models import MemberCategory
from gongzhi.money import services
from gongzhi.money.models import Basis, DuesPayment
from tests.conftest import build_world
from tests.factories import MemberFactory
from tests.factories.core import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def test_a_branch_secretary_marks_a_months_dues_on_a_phone(live_server):
    from importlib import import_module

    from django.apps import apps

    from tests.browser import assert_accessible, log_in, open_page

    import_module("gongzhi.money.migrations.0003_seed_rates").seed(apps, None)  # flushed by earlier tests
    world = build_world()
    today = timezone.localdate()
    services.declare_base(member=world.member_a, year=today.year, basis=Basis.SALARY, amount="4200.00",
                          by=world.users["branch_secretary_a"])
    student = MemberFactory(name="周小雨", home_org=world.branch_a, category=MemberCategory.STUDENT,
                            joined_on=date(2024, 5, 1), full_member_on=date(2025, 5, 1))
    with open_page() as page:
        log_in(page, live_server.url, "branch_secretary_a", PASSWORD)
        page.goto(f"{live_server.url}/money/dues/{world.branch_a.pk}/?month={today:%Y-%m}")
        assert page.evaluate("document.documentElement.scrollWidth") <= 376
        assert_accessible(page)
        for member in (world.member_a, student):
            row = page.locator(f"#dues-{member.pk}")
            assert row.get_attribute("data-paid") == "no"
            row.get_by_role("button").click()
            page.locator(f"#dues-{member.pk}[data-paid='yes']").wait_for()
        assert "42.00" in page.locator(f"#dues-{world.member_a.pk}").inner_text()
        assert "0.20" in page.locator(f"#dues-{student.pk}").inner_text()
        assert page.evaluate("document.documentElement.scrollWidth") <= 376
        assert_accessible(page)
    assert DuesPayment.objects.filter(month=today.replace(day=1)).count() == 2
    with open_page() as page:
        log_in(page, live_server.url, "member", PASSWORD)
        page.goto(f"{live_server.url}/money/mine/")
        assert "42.00" in page.locator(f"tr[data-month='{today:%Y-%m}']").inner_text()
        assert "4200" not in page.content()
        assert_accessible(page)
