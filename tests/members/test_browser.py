"""Community staff search the roster and reveal a member's record on a phone-sized page."""

import os

import pytest

from gongzhi.core.models import AuditEvent
from tests.conftest import build_world
from tests.factories.core import PASSWORD

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_staff_search_open_and_reveal_a_member_on_a_375px_page(live_server):
    from tests.browser import accessibility_faults, log_in, open_page

    world = build_world()
    with open_page({"width": 375, "height": 800}, locale=None) as page:
        log_in(page, live_server.url, "community_staff", PASSWORD)
        page.goto(f"{live_server.url}/members/")
        page.fill("input[name=q]", "zl")
        page.locator("form[role=search] button[type=submit]").click()
        page.wait_for_load_state()
        assert page.evaluate("document.documentElement.scrollWidth") <= 375
        assert not accessibility_faults(page)
        page.get_by_role("link", name="赵磊").click()
        page.wait_for_load_state()
        assert world.member_a.id_number not in page.content()
        assert not accessibility_faults(page)
        page.locator("form[action$='/reveal/'] button").click()
        page.wait_for_load_state()
        assert page.locator("[data-field=id_number]").inner_text() == world.member_a.id_number
        assert page.evaluate("document.documentElement.scrollWidth") <= 375
    assert AuditEvent.objects.filter(action="members.member.reveal").count() == 1


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_staff_check_a_roster_see_its_problems_then_import_a_good_one_on_a_phone(live_server, tmp_path):
    from gongzhi.members.models import Member
    from tests.browser import assert_accessible, log_in, open_page
    from tests.members.roster_files import ID_1, good_rows, write_roster

    world = build_world()
    bad_rows = good_rows()
    bad_rows[1][2] = ID_1  # the same person twice in the file
    bad = write_roster(tmp_path / "花名册-有误.xlsx", bad_rows)
    good = write_roster(tmp_path / "花名册.xlsx", good_rows())
    before = Member.objects.count()
    with open_page() as page:
        log_in(page, live_server.url, "community_staff", PASSWORD)
        page.goto(f"{live_server.url}/members/import/")
        page.select_option("select[name=organization]", str(world.community_a.pk))
        page.set_input_files("input[name=file]", str(bad))
        page.locator("form[enctype] button[type=submit]").click()
        page.wait_for_load_state()
        report = page.locator("[data-report=problems]")
        assert report.is_visible()
        # The second occurrence, on row 5: a title line, a blank row and the header come first.
        assert report.locator("tbody tr td").first.inner_text() == "5"
        assert page.locator("form[action$='/import/confirm/']").count() == 0
        assert page.evaluate("document.documentElement.scrollWidth") <= 376
        assert_accessible(page)

        page.select_option("select[name=organization]", str(world.community_a.pk))
        page.set_input_files("input[name=file]", str(good))
        page.locator("form[enctype] button[type=submit]").click()
        page.wait_for_load_state()
        assert page.locator("text=张伟").count() >= 1
        assert ID_1 not in page.content()  # the preview masks ID numbers
        assert_accessible(page)
        assert Member.objects.count() == before  # nothing written before the confirmation
        page.locator("form[action$='/import/confirm/'] button").click()
        page.wait_for_url("**/members/")
    assert Member.objects.count() == before + 3


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_staff_fix_a_national_roster_from_its_report_and_import_it_whole_on_a_phone(live_server, tmp_path):
    import io

    import openpyxl

    from gongzhi.members.models import Member
    from tests.browser import assert_accessible, log_in, open_page
    from tests.members.roster_files import LIU, national_rows, write_roster

    world = build_world()
    rows = national_rows()
    rows[3][15] = "是"  # 刘强 is mobile, but the destination is missing
    bad = write_roster(tmp_path / "花名册-有误.xlsx", rows)
    with open_page() as page:
        log_in(page, live_server.url, "community_staff", PASSWORD)
        page.goto(f"{live_server.url}/members/import/")
        page.select_option("select[name=organization]", str(world.community_a.pk))
        page.set_input_files("input[name=file]", str(bad))
        page.locator("form[enctype] button[type=submit]").click()
        page.wait_for_load_state()
        assert page.locator("[data-report=problems] tbody tr").count() == 1
        with page.expect_download() as download:
            page.click("#report-link")
        sheet = openpyxl.load_workbook(io.BytesIO(open(download.value.path(), "rb").read())).active
        header = [cell.value for cell in sheet[3]]
        reason = sheet.cell(row=7, column=header.index("问题") + 1).value
        assert reason.startswith("流动") and "外出流向" in reason
        assert page.evaluate("document.documentElement.scrollWidth") <= 376
        assert_accessible(page)

        rows[3][15] = "是（广东省深圳市宝安区）"  # corrected as the report said
        good = write_roster(tmp_path / "花名册.xlsx", rows)
        page.select_option("select[name=organization]", str(world.community_a.pk))
        page.set_input_files("input[name=file]", str(good))
        page.locator("form[enctype] button[type=submit]").click()
        page.wait_for_load_state()
        assert page.locator("[data-summary=mobile]").inner_text() == "1"
        assert page.locator("[data-summary=lost]").inner_text() == "1"
        assert page.locator("[data-report=notices]").is_visible()  # two area codes younger than their holders
        assert_accessible(page)
        page.locator("#confirm-import").click()
        page.wait_for_url("**/members/")
        page.goto(f"{live_server.url}/members/?away=mobile")
        assert page.get_by_role("link", name="刘强").is_visible()
    assert Member.objects.get(id_number=LIU).mobile_destination == "广东省深圳市宝安区"
