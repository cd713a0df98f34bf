"""The whole service story on the demo, through the pages, on a phone-sized screen: the secretary
publishes an activity, a member signs up, checks in and out with the QR link and sees the hours and
points; the secretary sees the entry in the ledger and the member activated; the member redeems in
the points shop and staff hand the item over; the co-building unit downloads its certificates."""

import os
from datetime import datetime, timedelta
from io import BytesIO

import pytest
from django.utils import timezone
from docx import Document

from gongzhi.members.models import Member
from gongzhi.points.models import PointEntry, Redemption, Reward
from gongzhi.points.services import balance
from gongzhi.service.models import Activity, CheckIn
from gongzhi.service.services import checkin_token
from tests.browser import assert_accessible, log_in, open_pages

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def _local(value: datetime) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%dT%H:%M")


def _text(page, selector: str) -> str:
    return page.inner_text(selector).strip()


def test_the_service_story_of_the_demo_on_a_phone(live_server, committed_demo):
    now = timezone.localtime()
    if not (now.hour >= 2 and now < now.replace(hour=23, minute=50)):
        pytest.skip("the story has to fit in one calendar day")
    member = Member.objects.get(user__username="dangyuan")
    community = member.community
    start = now + timedelta(minutes=10)
    with open_pages(3) as (secretary, phone, unit):
        # The secretary publishes an activity of the community for this afternoon.
        log_in(secretary, live_server.url, "shuji")
        secretary.goto(f"{live_server.url}/service/new/")
        secretary.select_option("#id_organization", str(community.pk))
        secretary.fill("#id_title", "垃圾分类桶前值守")
        secretary.select_option("#id_kind", "environment")
        secretary.fill("#id_place", "幸福社区3号楼前")
        secretary.fill("#id_starts_at", _local(start))
        secretary.fill("#id_ends_at", _local(start + timedelta(hours=2)))
        secretary.fill("#id_capacity", "10")
        secretary.click("main form button[type=submit]")
        secretary.wait_for_url(lambda url: "/service/new/" not in url)
        activity = Activity.objects.get(title="垃圾分类桶前值守")
        assert secretary.locator(".qr svg").count() == 1  # the code for the site

        # The member signs up on the phone.
        log_in(phone, live_server.url, "dangyuan")
        phone.goto(f"{live_server.url}/service/")
        phone.get_by_role("link", name="垃圾分类桶前值守").first.click()
        phone.locator("#my-signup button[type=submit]").click()
        phone.wait_for_selector("#my-signup form[action$='/cancel/']")
        phone.goto(f"{live_server.url}/service/mine/")
        hours_before, points_before = _text(phone, "#my-hours"), balance(member, now.year)

        # The day comes: the activity is under way (moved back in the database instead of waiting).
        began = max(now - timedelta(minutes=80), now.replace(hour=0, minute=0, second=0, microsecond=0))
        Activity.objects.filter(pk=activity.pk).update(starts_at=began, ends_at=began + timedelta(hours=2))
        phone.goto(f"{live_server.url}/service/scan/{checkin_token(activity)}/")
        phone.click("#scan-button")
        phone.wait_for_selector("#scan-state[data-state=in]")
        assert_accessible(phone)
        # An hour and more of service later, the member scans the same code again to leave.
        CheckIn.objects.filter(activity=activity, member=member).update(checked_in_at=began)
        phone.click("#scan-button")
        phone.wait_for_selector("#scan-state[data-state=done]")
        checkin = CheckIn.objects.get(activity=activity, member=member)
        assert checkin.hours > 1
        assert str(checkin.hours) in _text(phone, "#scan-state")
        entry = PointEntry.objects.get(member=member, idempotency_key=f"checkin:{checkin.pk}")
        assert entry.points > 0

        phone.goto(f"{live_server.url}/service/mine/")
        assert _text(phone, "#my-hours") != hours_before
        assert _text(phone, "#my-points") == str(balance(member, now.year))
        # Taking part earned the activity point at check-in, the hours their points at check-out.
        taking_part = PointEntry.objects.filter(member=member, idempotency_key=f"activity:{checkin.pk}").first()
        assert balance(member, now.year) == points_before + entry.points + (taking_part.points if taking_part else 0)
        assert "垃圾分类桶前值守" in phone.inner_text("main")
        assert phone.evaluate("document.documentElement.scrollWidth") <= 375

        # The secretary sees the entry in the ledger and the member activated this month.
        secretary.goto(f"{live_server.url}/points/?member={member.name}")
        secretary.wait_for_selector(f"#entry-{entry.pk}")
        secretary.goto(f"{live_server.url}/points/rankings/{community.pk}/?period=month")
        assert "%" in _text(secretary, "#activation")
        inactive = secretary.locator("#not-activated")
        assert member.name not in (inactive.text_content() if inactive.count() else "")

        # The member redeems a reward the balance affords; staff hand it over.
        total = balance(member)
        reward = (Reward.objects.visible_to(member.user).filter(stock__gt=0, price__lte=total)
                  .order_by("price").first())
        assert reward is not None
        phone.goto(f"{live_server.url}/points/shop/")
        phone.locator(f"#reward-{reward.pk} button[type=submit]").click()
        phone.wait_for_load_state()
        redemption = Redemption.objects.get(member=member, reward=reward)
        assert balance(member) == total - reward.price
        secretary.goto(f"{live_server.url}/points/shop/redemptions/")
        secretary.locator(f"[data-redemption='{redemption.pk}'] form[action$='/hand-over/'] button").click()
        secretary.wait_for_load_state()
        redemption.refresh_from_db()
        assert redemption.handed_over_at is not None

        # The co-building unit sees its reported members' service and downloads the certificates.
        unit_org = Member.objects.filter(reportings__status="accepted", home_org__kind="unit").first().home_org
        log_in(unit, live_server.url, "gongjian")
        unit.goto(f"{live_server.url}/orgs/{unit_org.pk}/")
        unit.locator(f"a[href='/service/units/{unit_org.pk}/']").click()
        unit.wait_for_selector("#unit-members")
        assert_accessible(unit)
        assert unit.evaluate("document.documentElement.scrollWidth") <= 375
        with unit.expect_download() as download:
            unit.click("#all-certificates")
        doc = Document(BytesIO(open(download.value.path(), "rb").read()))
        assert doc.tables[0].rows[0].cells[0].text == "姓名" and len(doc.tables) >= 2
