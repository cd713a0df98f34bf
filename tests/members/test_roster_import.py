import zipfile
from datetime import date, timedelta

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from gongzhi.core.models import AuditEvent
from gongzhi.members import roster
from gongzhi.members.models import Education, Member, MemberCategory, MembershipEvent, MemberStatus
from tests.factories import MemberFactory

from .roster_files import ID_1, ID_2, ID_3, good_rows, write_roster

pytestmark = pytest.mark.django_db

ENGLISH_HEADER = ["name", "branch", "id_number", "sex", "ethnicity", "birth_date", "education", "category",
                  "joined_on", "full_member_on", "job_post", "mobile", "address"]


def _import(path, org):
    plan = roster.read_roster(path, org, today=date(2025, 1, 1))
    assert plan.ok, plan.problems
    roster.apply_plan(plan)
    return plan


def test_messy_chinese_roster_is_read_into_exact_records(world, tmp_path):
    path = write_roster(tmp_path / "r.xlsx", good_rows())
    plan = _import(path, world.community_a)
    assert len(plan.new) == 3
    zhang = Member.objects.get(id_number=ID_1)
    assert (zhang.name, zhang.home_org, zhang.sex, zhang.birth_date) == (
        "张伟", world.branch_a, "male", date(1985, 3, 12))
    assert (zhang.education, zhang.category, zhang.status) == (Education.BACHELOR, MemberCategory.IN_SERVICE,
                                                              MemberStatus.FULL)
    assert (zhang.joined_on, zhang.full_member_on, zhang.mobile) == (date(2010, 7, 1), date(2011, 7, 1), "13812345678")
    assert zhang.name_initials == "zw"
    li = Member.objects.get(id_number=ID_2.upper())
    assert (li.home_org, li.sex, li.ethnicity, li.education) == (
        world.branch_b, "female", "回族", Education.POSTGRADUATE)
    assert (li.status, li.probation_ends_on, li.mobile) == (MemberStatus.PROBATIONARY, date(2025, 3, 5), "13900001111")
    wang = Member.objects.get(id_number=ID_3)
    assert (wang.category, wang.full_member_on, wang.joined_on, wang.mobile) == (
        MemberCategory.RETIRED, date(1981, 7, 1), date(1980, 7, 1), "01066001234")
    assert MembershipEvent.objects.filter(kind="created").count() == 3
    assert AuditEvent.objects.get(action="members.import").detail["created"] == 3


def test_english_headers_without_title_line(world, tmp_path):
    path = write_roster(tmp_path / "e.xlsx", good_rows()[:1], header=ENGLISH_HEADER, title=False)
    _import(path, world.community_a)
    assert Member.objects.filter(id_number=ID_1, home_org=world.branch_a).exists()


def test_one_bad_row_writes_nothing_and_reports_row_column_reason(world, tmp_path):
    rows = good_rows()
    rows[1][2] = "410102199007011234"  # wrong check character
    rows[2][1] = "不存在的支部"
    rows[0][8] = "2010-13-45"
    path = write_roster(tmp_path / "bad.xlsx", rows)
    plan = roster.read_roster(path, world.community_a)
    assert [(p.row, p.column) for p in plan.problems] == [(4, "入党日期"), (5, "公民身份号码"), (6, "所在党支部")]
    with pytest.raises(ValueError):
        roster.apply_plan(plan)
    assert Member.objects.count() == 4  # the world's members only


def test_reimport_is_idempotent_and_updates_changed_rows(world, tmp_path):
    path = write_roster(tmp_path / "r.xlsx", good_rows())
    _import(path, world.community_a)
    again = roster.read_roster(path, world.community_a, today=date(2025, 1, 1))
    assert (len(again.new), len(again.updated), len(again.unchanged)) == (0, 0, 3)
    rows = good_rows()
    rows[0][12] = "幸福社区9号楼"
    changed = roster.read_roster(write_roster(tmp_path / "r2.xlsx", rows), world.community_a, today=date(2025, 1, 1))
    assert (len(changed.new), len(changed.updated), len(changed.unchanged)) == (0, 1, 2)
    roster.apply_plan(changed)
    assert Member.objects.get(id_number=ID_1).address == "幸福社区9号楼"
    assert Member.objects.filter(id_number__in=[ID_1, ID_3]).count() == 2


def test_member_registered_elsewhere_is_an_error(world, tmp_path):
    MemberFactory(id_number=ID_1, home_org=world.branch_x)
    plan = roster.read_roster(write_roster(tmp_path / "r.xlsx", good_rows()), world.community_a)
    assert [(p.row, p.column) for p in plan.problems] == [(4, "公民身份号码")]


def test_duplicate_id_in_file_is_an_error(world, tmp_path):
    rows = good_rows()
    rows.append(list(rows[0]))
    plan = roster.read_roster(write_roster(tmp_path / "r.xlsx", rows), world.community_a)
    assert [(p.row, p.column) for p in plan.problems] == [(7, "公民身份号码")]


def test_refuses_empty_non_spreadsheet_and_zip_bomb(tmp_path):
    empty = tmp_path / "e.xlsx"
    empty.write_bytes(b"")
    text = tmp_path / "t.xlsx"
    text.write_text("name,id\n")
    bomb = tmp_path / "b.xlsx"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/big.xml", b"0" * (120 * 1024 * 1024))
    for path in (empty, text, bomb, tmp_path / "x.csv"):
        if not path.exists():
            path.write_text("a")
        with pytest.raises(roster.RosterError):
            roster.check_upload(path)


def test_command_exit_codes(world, tmp_path, capsys):
    good = write_roster(tmp_path / "r.xlsx", good_rows())
    call_command("members", "import", str(good), "--org", "SA-C1", "--dry-run")
    assert Member.objects.count() == 4
    call_command("members", "import", str(good), "--org", "SA-C1")
    assert Member.objects.count() == 7
    rows = good_rows()
    rows[0][0] = ""
    bad = write_roster(tmp_path / "bad.xlsx", rows)
    with pytest.raises(SystemExit) as refused:
        call_command("members", "import", str(bad), "--org", "SA-C1")
    assert refused.value.code == 1
    assert "4" in capsys.readouterr().err
    with pytest.raises(CommandError) as usage:
        call_command("members", "import", str(good), "--org", "NOPE")
    assert usage.value.returncode == 2


def test_probationary_member_due_date_is_a_year_after_joining(world, tmp_path):
    rows = good_rows()[1:2]
    rows[0][8] = (date.today() - timedelta(days=100)).isoformat()
    plan = roster.read_roster(write_roster(tmp_path / "r.xlsx", rows), world.community_a)
    roster.apply_plan(plan)
    assert Member.objects.get(id_number=ID_2.upper()).status == MemberStatus.PROBATIONARY


def _upload(client, path, org):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from .helpers import post

    upload = SimpleUploadedFile(path.name, path.read_bytes())
    return post(client, reverse("members:import"), {"organization": org.pk, "file": upload})


def test_upload_preview_then_confirm_imports_and_leaves_no_file(world, client_for, tmp_path, settings):
    from .helpers import post

    settings.MEDIA_ROOT = tmp_path / "media"
    client = client_for("community_staff")
    response = _upload(client, write_roster(tmp_path / "r.xlsx", good_rows()), world.community_a)
    assert response.status_code == 200
    assert Member.objects.count() == 4
    token = response.context["token"]
    assert ID_1 not in response.content.decode()
    assert list((tmp_path / "media" / "members" / "imports").iterdir())[0].stem == token
    response = post(client, reverse("members:import_confirm"), {"token": token})
    assert response.status_code == 302
    assert Member.objects.count() == 7
    assert not list((tmp_path / "media" / "members" / "imports").iterdir())
    assert AuditEvent.objects.get(action="members.import").actor == world.users["community_staff"]
    again = post(client, reverse("members:import_confirm"), {"token": token})
    assert again.status_code == 302 and Member.objects.count() == 7


def test_upload_with_problems_shows_the_report_and_offers_no_confirm(world, client_for, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    rows = good_rows()
    rows[2][1] = "不存在的支部"
    response = _upload(client_for("community_staff"), write_roster(tmp_path / "r.xlsx", rows), world.community_a)
    body = response.content.decode()
    assert "不存在的支部" not in body or "所在党支部" in body
    assert "token" not in response.context
    assert response.context["plan"].problems[0].row == 6


def test_upload_refuses_a_non_spreadsheet_with_a_message(world, client_for, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    fake = tmp_path / "fake.xlsx"
    fake.write_text("hello")
    response = _upload(client_for("community_staff"), fake, world.community_a)
    assert response.context["form"].errors["file"]
    assert not list((tmp_path / "media" / "members" / "imports").iterdir())


def test_branch_secretary_cannot_import_into_community(world, client_for, tmp_path):
    response = client_for("branch_secretary_a").get(reverse("members:import"))
    assert response.status_code == 404
