"""Adopting Gongzhi, as a street office does it: from `gongzhi setup`, a new street administrator imports the
organization tree and a roster from spreadsheets, creates a secretary's account and grants the role, and the
secretary activates the account on a phone."""

import os
from io import StringIO

import openpyxl
import pytest
from django.core.management import call_command

from gongzhi.accounts.models import Role, RoleKind, User
from gongzhi.members.models import Member
from gongzhi.orgs.models import Organization

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

ADMIN_PASSWORD = "Qing-shan-2026!"
SECRETARY_PASSWORD = "Hong-qi-2026!"


def _tree(path):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["幸福街道党组织架构"])
    sheet.append(["组织代码", "组织名称", "组织类型", "上级组织代码", "书记姓名", "支部类别"])
    sheet.append(["ST-C1", "幸福社区党委", "社区党委", "ST", "", ""])
    sheet.append(["ST-C1-B1", "第一网格党支部", "党支部", "ST-C1", "张伟", "网格"])
    sheet.append(["ST-C1-B2", "第二网格党支部", "党支部", "ST-C1", "", "网格"])
    book.save(path)
    return path


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_new_street_sets_up_from_spreadsheets_and_a_secretary_activates_on_a_phone(live_server, tmp_path,
                                                                                      monkeypatch):
    from tests.browser import PHONE, assert_accessible, log_in, open_pages
    from tests.members.roster_files import national_rows, write_roster

    monkeypatch.setenv("FIRST_PASSWORD", ADMIN_PASSWORD)
    call_command("setup", "--no-input", "--kind", "street", "--code", "ST", "--name", "幸福街道党工委",
                 "--username", "jiedao", "--display-name", "周建国", "--password-env", "FIRST_PASSWORD",
                 stdout=StringIO())
    assert not User.objects.filter(is_superuser=True).exists()
    tree = _tree(tmp_path / "组织架构.xlsx")
    roster = write_roster(tmp_path / "花名册.xlsx", national_rows())

    with open_pages(2) as (admin, phone):
        base = live_server.url
        log_in(admin, base, "jiedao", ADMIN_PASSWORD)
        # The tree: check, then confirm.
        admin.goto(f"{base}/orgs/setup/import/")
        admin.select_option("select[name=kind]", "tree")
        admin.set_input_files("input[name=file]", str(tree))
        admin.click("#check-file")
        admin.wait_for_selector("#confirm-import")
        assert_accessible(admin)
        admin.click("#confirm-import")
        admin.wait_for_url("**/orgs/")
        community = Organization.objects.get(code="ST-C1")
        branch = Organization.objects.get(code="ST-C1-B1")
        assert branch.parent == community and community.parent.code == "ST"

        # The roster, as the national system exports it, into the new community.
        admin.goto(f"{base}/members/import/")
        admin.select_option("select[name=organization]", str(community.pk))
        admin.set_input_files("input[name=file]", str(roster))
        admin.locator("form[enctype] button[type=submit]").click()
        admin.wait_for_selector("#confirm-import")
        admin.click("#confirm-import")
        admin.wait_for_url("**/members/")
        assert Member.objects.filter(home_org__path__startswith=community.path).count() == len(national_rows())

        # The secretary's account, from the registry (no typing twice), and the role.
        admin.goto(f"{base}/accounts/manage/new/?q=张")
        admin.locator("[data-found=registry] li", has_text="张").locator("button").first.click()
        admin.wait_for_selector("[data-code]")
        assert_accessible(admin)
        username = admin.locator("[data-username]").inner_text()
        code = admin.locator("[data-code]").inner_text()
        account = User.objects.get(username=username)
        assert account.display_name in ("张 伟", "张伟") and not account.has_usable_password()
        admin.goto(f"{base}/accounts/manage/{account.pk}/")
        admin.select_option("select[name=kind]", "branch_secretary")
        admin.select_option("select[name=organization]", str(branch.pk))
        admin.click("#grant-role")
        admin.wait_for_selector("[data-roles]")
        assert Role.objects.filter(user=account, kind=RoleKind.BRANCH_SECRETARY, organization=branch).exists()

        # The secretary, on a phone.
        phone.goto(f"{base}/accounts/activate/")
        assert_accessible(phone)
        phone.fill("input[name=login]", username)
        phone.fill("input[name=code]", code.lower())
        phone.fill("input[name=password1]", SECRETARY_PASSWORD)
        phone.fill("input[name=password2]", SECRETARY_PASSWORD)
        phone.get_by_role("button", name="设置密码").click()
        phone.wait_for_url(f"{base}/")
        assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        phone.goto(f"{base}/orgs/{branch.pk}/")
        assert "第一网格党支部" in phone.content()
        assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        assert_accessible(phone)
    account.refresh_from_db()
    assert account.check_password(SECRETARY_PASSWORD)
