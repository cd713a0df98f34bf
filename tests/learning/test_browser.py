"""A member marks a material studied on a phone; a staff member records attendance on a phone."""

import os

import pytest
from django.urls import reverse

from gongzhi.learning.models import Attendance, StudyRecord
from tests.factories.core import PASSWORD

from .factories import learning_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture
def page(live_server):
    from tests.browser import open_page

    with open_page() as page:
        yield page


def test_a_member_marks_a_material_studied_on_a_phone(live_server, page, world):
    from tests.browser import assert_accessible, log_in

    lw = learning_world(world)
    log_in(page, live_server.url, "member", PASSWORD)
    page.goto(live_server.url + reverse("learning:my_study"))
    assert_accessible(page)
    page.get_by_role("link", name=lw.material.title).first.click()
    page.wait_for_url(f"**/learning/materials/{lw.material.pk}/")
    assert_accessible(page)
    page.get_by_label("学习时长（分钟）").fill("25")
    page.get_by_label("简短心得（选填）").fill("重温党章，收获很大。")
    page.get_by_role("button", name="我已学习").click()
    page.locator("[data-studied=yes]").wait_for()
    assert page.evaluate("document.documentElement.scrollWidth") <= 375 + 1
    record = StudyRecord.objects.get(member=world.member_a)
    assert (record.minutes, record.reflection) == (25, "重温党章，收获很大。")
    page.goto(live_server.url + reverse("learning:quiz", args=[lw.quiz.pk]))
    assert_accessible(page)


def test_staff_record_attendance_on_a_phone(live_server, page, world):
    from tests.browser import assert_accessible, log_in

    lw = learning_world(world)
    log_in(page, live_server.url, "community_staff", PASSWORD)
    page.goto(live_server.url + reverse("learning:session", args=[lw.session.pk]))
    assert_accessible(page)
    page.locator(f"label[for=e{lw.enrol_b.pk}-leave]").click()
    page.get_by_role("button", name="保存考勤").click()
    page.get_by_text("考勤已保存。").wait_for()
    assert Attendance.objects.get(enrolment=lw.enrol_b).status == "leave"
    assert page.evaluate("document.documentElement.scrollWidth") <= 375 + 1
    page.goto(live_server.url + reverse("learning:class", args=[lw.running.pk]))
    assert_accessible(page)
    page.goto(live_server.url + reverse("learning:stats"))
    assert_accessible(page)
