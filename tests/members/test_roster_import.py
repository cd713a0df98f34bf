"""Rosters as they really are: the national layout read whole, every column kept, every refused row
with its reason in words, all or nothing, idempotent, and the report offices fix a file with."""

import zipfile
from datetime import date, timedelta

import openpyxl
import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from gongzhi.core.models import AuditEvent
from gongzhi.members import roster
from gongzhi.members.models import (
    Education,
    JobCodeTable,
    Member,
    MemberCategory,
    MembershipEvent,
    MemberStatus,
    PartyStatus,
    Standing,
)
from tests.factories import MemberFactory

from .roster_files import (
    CHEN,
    ID_1,
    ID_2,
    ID_3,
    LI,
    LIU,
    OFFICE_HEADER,
    WANG,
    ZHANG,
    ZHAO,
    genuine,
    good_rows,
    national_rows,
    office_rows,
    write_ods,
    write_roster,
    write_xlsxwriter,
)


@pytest.fixture
def world(world_copy):
    return world_copy


pytestmark = pytest.mark.django_db
TODAY = date(2026, 6, 1)

ENGLISH_HEADER = ["name", "branch", "id_number", "sex", "ethnicity", "birth_date", "education", "status",
                  "joined_on", "full_member_on", "job_post", "mobile", "address"]


def _import(path, org, **kwargs):
    plan = roster.read_roster(path, org, today=TODAY, **kwargs)
    assert plan.ok, plan.problems
    roster.apply_plan(plan)
    return plan


def _problems(path, org, **kwargs):
    plan = roster.read_roster(path, org, today=TODAY, **kwargs)
    return [(p.row, p.column, p.reason) for p in plan.problems]


def _state(id_number):
    m = Member.objects.select_related("job_code", "home_org").get(id_number=id_number)
    return {"category": m.category, "status": m.status, "party_status": m.party_status, "standing": m.standing,
            "lost_since": m.lost_contact_since, "mobile": m.is_mobile_member, "destination": m.mobile_destination,
            "job": m.job_post, "code": m.job_code.name if m.job_code else None, "branch": m.home_org.name}


NATIONAL_EXPECTED = {
    ZHANG: {"category": MemberCategory.IN_SERVICE, "status": MemberStatus.FULL, "party_status": PartyStatus.NORMAL,
            "standing": Standing.NORMAL, "lost_since": None, "mobile": False, "destination": "",
            "job": "公有经济控制企业管理岗位", "code": "公有经济控制企业管理岗位", "branch": "第一网格党支部"},
    WANG: {"category": MemberCategory.RETIRED, "status": MemberStatus.FULL, "party_status": PartyStatus.NORMAL,
           "standing": Standing.NORMAL, "lost_since": None, "mobile": False, "destination": "", "job": "退休人员",
           "code": "退休人员", "branch": "第一网格党支部"},
    LI: {"category": MemberCategory.STUDENT, "status": MemberStatus.PROBATIONARY, "party_status": PartyStatus.NORMAL,
         "standing": Standing.NORMAL, "lost_since": None, "mobile": False, "destination": "",
         "job": "研究生一年级学生", "code": "研究生一年级学生", "branch": "第二网格党支部"},
    LIU: {"category": MemberCategory.RURAL, "status": MemberStatus.FULL, "party_status": PartyStatus.NORMAL,
          "standing": Standing.NORMAL, "lost_since": None, "mobile": True, "destination": "广东省深圳市宝安区",
          "job": "外出务工经商人员", "code": "外出务工经商人员", "branch": "第二网格党支部"},
    CHEN: {"category": MemberCategory.UNEMPLOYED, "status": MemberStatus.FULL, "party_status": PartyStatus.SUSPENDED,
           "standing": Standing.LOST_CONTACT, "lost_since": date(2023, 5, 1), "mobile": False, "destination": "",
           "job": "其他无业人员", "code": "其他无业人员", "branch": "第一网格党支部"},
    ZHAO: {"category": MemberCategory.RETIRED, "status": MemberStatus.FULL, "party_status": PartyStatus.RETAINED,
           "standing": Standing.NORMAL, "lost_since": None, "mobile": False, "destination": "", "job": "离休干部",
           "code": "离休干部", "branch": "第二网格党支部"},
}


# -- the national layout --------------------------------------------------------------------------

@pytest.mark.parametrize("writer, suffix", [(write_roster, "xlsx"), (write_xlsxwriter, "xlsx"), (write_ods, "ods")])
def test_a_national_roster_imports_whole_with_every_column_kept(world, tmp_path, writer, suffix):
    path = writer(tmp_path / f"national.{suffix}", national_rows())
    plan = _import(path, world.community_a)
    assert len(plan.new) == 6
    for number, expected in NATIONAL_EXPECTED.items():
        assert _state(number) == expected, number
    zhang = Member.objects.get(id_number=ZHANG)
    assert (zhang.name, zhang.sex, zhang.birth_date, zhang.education) == ("张伟", "male", date(1985, 3, 12),
                                                                          Education.BACHELOR)
    assert (zhang.joined_on, zhang.full_member_on, zhang.mobile) == (date(2010, 7, 1), date(2011, 7, 1), "13812345678")
    wang = Member.objects.get(id_number=WANG)
    assert (wang.joined_on, wang.full_member_on, wang.mobile) == (date(1972, 5, 1), date(1972, 5, 1), "01066001234")
    li = Member.objects.get(id_number=LI)
    assert (li.ethnicity, li.probation_ends_on, li.mobile) == ("回族", date(2026, 9, 1), "13900001111")
    assert Member.objects.get(id_number=CHEN).id_number.endswith("X")


def test_counties_created_after_the_birth_year_are_accepted_with_a_notice(world, tmp_path):
    plan = roster.read_roster(write_roster(tmp_path / "r.xlsx", national_rows()), world.community_a, today=TODAY)
    assert plan.ok
    area_notices = {(n.row, n.column): n.message for n in plan.notices if n.column == "公民身份号码"}
    assert set(area_notices) == {(5, "公民身份号码"), (7, "公民身份号码")}  # 王建国 (411302), 刘强 (110112)
    assert "411302" in area_notices[(5, "公民身份号码")] and "1950" in area_notices[(5, "公民身份号码")]


def test_the_preview_counts_each_category_and_state(world, tmp_path):
    plan = roster.read_roster(write_roster(tmp_path / "r.xlsx", national_rows()), world.community_a, today=TODAY)
    summary = plan.summary()
    assert {str(label): n for label, n in summary["category"]} == {"在职": 1, "离退休": 2, "学生": 1, "农牧渔民": 1,
                                                                   "无业": 1}
    assert (summary["mobile"], summary["lost_contact"]) == (1, 1)
    assert sum(n for _label, n in summary["party_status"]) == 6 and len(summary["party_status"]) == 3


def test_the_office_variant_with_its_own_category_column_and_separate_dates(world, tmp_path):
    path = write_roster(tmp_path / "office.xlsx", office_rows(), header=OFFICE_HEADER)
    _import(path, world.community_a)
    assert _state(ZHANG)["category"] == MemberCategory.IN_SERVICE
    wang = _state(WANG)
    assert (wang["category"], wang["job"], wang["code"]) == (MemberCategory.RETIRED, "原纺织厂工人", None)
    liu = _state(LIU)
    assert (liu["category"], liu["mobile"], liu["destination"]) == (MemberCategory.RURAL, True, "浙江省杭州市")
    chen = _state(CHEN)
    assert (chen["standing"], chen["lost_since"], chen["category"]) == (
        Standing.LOST_CONTACT, date(2023, 5, 1), MemberCategory.IN_SERVICE)


def test_history_records_who_is_away_from_when(world, tmp_path):
    _import(write_roster(tmp_path / "r.xlsx", national_rows()), world.community_a)
    chen = Member.objects.get(id_number=CHEN)
    lost = MembershipEvent.objects.get(member=chen, kind="standing")
    assert lost.effective_on == date(2023, 5, 1)
    liu = Member.objects.get(id_number=LIU)
    assert MembershipEvent.objects.get(member=liu, kind="mobile").to_value == "是"  # where to: masked on the record
    assert MembershipEvent.objects.filter(kind="created").count() == 6


# -- refused rows, in words -------------------------------------------------------------------------

def _one(rows_change, world, tmp_path, **kwargs):
    rows = national_rows()
    rows_change(rows)
    return _problems(write_roster(tmp_path / "bad.xlsx", rows), world.community_a, **kwargs)


@pytest.mark.parametrize("change, column, words", [
    (lambda r: r[0].__setitem__(9, "2010-07-01"), "转正日期", "April 1969"),  # joined = full in 2010
    (lambda r: r[0].__setitem__(7, "入党积极分子"), "人员类别", "正式党员 or 预备党员"),
    (lambda r: r[0].__setitem__(10, "公司职员"), "工作岗位", "党员类别"),
    (lambda r: r[0].__setitem__(10, "离退休人员"), "工作岗位", "choose that version"),
    (lambda r: r[0].__setitem__(14, "是"), "失联", "date contact was lost"),
    (lambda r: r[0].__setitem__(14, "不清楚"), "失联", "是 or 否"),
    (lambda r: r[0].__setitem__(15, "是"), "流动", "destination"),
    (lambda r: r[0].__setitem__(13, "开除"), "党籍状态", "正常, 停止党籍 or 保留党籍"),
    (lambda r: r[0].__setitem__(2, ZHANG[:-1] + ("1" if ZHANG[-1] != "1" else "2")), "公民身份号码", "check character"),
    (lambda r: r[0].__setitem__(2, 110101198503120210.0), "公民身份号码", "stored as a number"),
    (lambda r: r[0].__setitem__(5, "1985-03-13"), "出生日期", "does not match"),
    (lambda r: r[0].__setitem__(3, "女"), "性别", "does not match"),
    (lambda r: r[0].__setitem__(8, "2010-13-45"), "入党日期", "1985年3月12日"),
    (lambda r: r[2].__setitem__(9, "2026-01-01"), "转正日期", "probationary member has no"),
    (lambda r: r[4].__setitem__(14, "是（2030.01.01）"), "失联", "future"),
    (lambda r: r[0].__setitem__(1, "不存在的支部"), "所在党支部", "不存在的支部"),
])
def test_a_refused_row_says_what_is_wrong_and_nothing_is_written(world, tmp_path, change, column, words):
    from django.utils import translation

    with translation.override("en"):
        problems = _one(change, world, tmp_path)
    assert problems, "the row should be refused"
    assert any(col == column and words in reason for _row, col, reason in problems), problems
    assert Member.objects.count() == 4  # the world's members only


def test_the_reasons_are_in_the_users_language(world, tmp_path):
    from django.utils import translation

    rows = national_rows()
    rows[0][7] = "入党积极分子"
    path = write_roster(tmp_path / "bad.xlsx", rows)
    with translation.override("zh-hans"):
        (row, column, reason), = _problems(path, world.community_a)
    assert reason.isascii() is False and "正式党员" in reason


def test_lost_contact_stated_in_either_column_and_mobile_contradictions(world, tmp_path):
    rows = national_rows()
    rows[0][15] = "否"
    rows[0][14] = "2023年5月1日"  # a date alone says lost contact since then
    rows[1][15] = "四川省成都市"  # a destination alone says mobile
    path = write_roster(tmp_path / "r.xlsx", rows)
    _import(path, world.community_a)
    assert _state(ZHANG)["lost_since"] == date(2023, 5, 1)
    assert (_state(WANG)["mobile"], _state(WANG)["destination"]) == (True, "四川省成都市")
    header = [*OFFICE_HEADER]
    office = office_rows()
    office[0][16], office[0][17] = "否", "上海市"
    assert any("否" in reason for _r, _c, reason in _problems(write_roster(tmp_path / "o.xlsx", office, header=header),
                                                             world.community_x))


def test_joining_and_full_on_the_same_day_is_accepted_only_between_1969_04_and_1977_08(world, tmp_path):
    for joined, accepted in (("1969-04-01", True), ("1977-08-31", True), ("1969-03-31", False), ("1977-09-01", False)):
        rows = national_rows()[1:2]
        rows[0][8] = rows[0][9] = joined
        problems = _problems(write_roster(tmp_path / f"{joined}.xlsx", rows), world.community_a)
        assert (not problems) == accepted, (joined, problems)


def test_the_code_table_version_is_chosen_per_import(world, tmp_path):
    statistics = JobCodeTable.objects.get(key="statistics-codes")
    rows = national_rows()[:2]
    rows[0][10], rows[1][10] = 11.0, "4"  # 011 typed as a number loses its zero; 4 离退休人员
    path = write_roster(tmp_path / "codes.xlsx", rows)
    assert _problems(path, world.community_a)  # not in the default table of names
    _import(path, world.community_a, table=statistics)
    assert (_state(ZHANG)["category"], _state(ZHANG)["code"]) == (MemberCategory.IN_SERVICE, "党政机关工作人员")
    assert (_state(WANG)["category"], _state(WANG)["code"]) == (MemberCategory.RETIRED, "离退休人员")
    rows[0][10] = "0111 某机关科员"  # a finer code than the table lists falls under its longest prefix
    plan = roster.read_roster(write_roster(tmp_path / "fine.xlsx", rows), world.community_a, today=TODAY,
                              table=statistics)
    assert plan.ok and plan.unchanged and not plan.problems


def test_one_bad_row_writes_nothing_and_reports_row_column_reason(world, tmp_path):
    rows = good_rows()
    rows[1][2] = rows[1][2][:-1] + "0"  # wrong check character
    rows[2][1] = "不存在的支部"
    rows[0][8] = "2010-13-45"
    plan = roster.read_roster(write_roster(tmp_path / "bad.xlsx", rows), world.community_a, today=TODAY)
    assert [(p.row, p.column) for p in plan.problems] == [(4, "入党日期"), (5, "公民身份号码"), (6, "所在党支部")]
    with pytest.raises(ValueError):
        roster.apply_plan(plan)
    assert Member.objects.count() == 4


# -- idempotence and updates ---------------------------------------------------------------------

def test_reimport_is_idempotent_and_changes_keep_their_history(world, tmp_path):
    path = write_roster(tmp_path / "r.xlsx", national_rows())
    _import(path, world.community_a)
    again = roster.read_roster(path, world.community_a, today=TODAY)
    assert (len(again.new), len(again.updated), len(again.unchanged)) == (0, 0, 6)
    rows = national_rows()
    rows[1][14] = "是（2024.02.01）"  # the retiree has since lost contact
    rows[0][15] = "是（江苏省苏州市）"
    rows[0][12] = "幸福社区9号楼"
    changed = roster.read_roster(write_roster(tmp_path / "r2.xlsx", rows), world.community_a, today=TODAY)
    assert (len(changed.new), len(changed.updated), len(changed.unchanged)) == (0, 2, 4)
    roster.apply_plan(changed, by=world.users["community_staff"])
    wang = Member.objects.get(id_number=WANG)
    assert (wang.standing, wang.lost_contact_since, wang.category) == (Standing.LOST_CONTACT, date(2024, 2, 1),
                                                                       MemberCategory.RETIRED)
    event = MembershipEvent.objects.get(member=wang, kind="standing")
    assert (event.from_value, event.to_value, event.by) == ("正常", "失联", world.users["community_staff"])
    zhang = Member.objects.get(id_number=ZHANG)
    assert (zhang.address, zhang.is_mobile_member, zhang.mobile_destination) == ("幸福社区9号楼", True, "江苏省苏州市")
    assert MembershipEvent.objects.get(member=zhang, kind="mobile").to_value == "是"


def test_member_registered_elsewhere_or_transferred_out_is_an_error(world, tmp_path):
    MemberFactory(id_number=ID_1, home_org=world.branch_x)
    MemberFactory(id_number=ID_3, home_org=world.branch_a, standing=Standing.TRANSFERRED_OUT)
    plan = roster.read_roster(write_roster(tmp_path / "r.xlsx", good_rows()), world.community_a, today=TODAY)
    assert [(p.row, p.column) for p in plan.problems] == [(4, "公民身份号码"), (6, "公民身份号码")]
    assert "转入" in plan.problems[1].reason and "已转出" in plan.problems[1].reason


def test_duplicate_id_in_file_is_an_error(world, tmp_path):
    rows = good_rows()
    rows.append(list(rows[0]))
    plan = roster.read_roster(write_roster(tmp_path / "r.xlsx", rows), world.community_a, today=TODAY)
    assert [(p.row, p.column) for p in plan.problems] == [(7, "公民身份号码")]


def test_english_headers_without_title_line(world, tmp_path):
    row = ["张伟", "第一网格党支部", ZHANG, "男", "汉族", "", "bachelor", "full", "2010-07-01", "2011-07-01",
           "公务员", "", ""]
    _import(write_roster(tmp_path / "e.xlsx", [row], header=ENGLISH_HEADER, title=False), world.community_a)
    assert Member.objects.filter(id_number=ZHANG, home_org=world.branch_a).exists()


# -- files ----------------------------------------------------------------------------------------

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
    call_command("members", "import", str(good), "--org", "SA-C1", "--table", "national-names")
    assert Member.objects.count() == 7
    assert "411302" in capsys.readouterr().out  # the notice about 王建国's area code
    rows = good_rows()
    rows[0][0] = ""
    bad = write_roster(tmp_path / "bad.xlsx", rows)
    with pytest.raises(SystemExit) as refused:
        call_command("members", "import", str(bad), "--org", "SA-C1")
    assert refused.value.code == 1
    assert "4" in capsys.readouterr().err
    for args in (["--org", "NOPE"], ["--org", "SA-C1", "--table", "nope"]):
        with pytest.raises(CommandError) as usage:
            call_command("members", "import", str(good), *args)
        assert usage.value.returncode == 2


def test_probationary_member_due_date_is_a_year_after_joining(world, tmp_path):
    rows = national_rows()[2:3]
    rows[0][7] = ""
    rows[0][8] = (date.today() - timedelta(days=100)).isoformat()
    plan = roster.read_roster(write_roster(tmp_path / "r.xlsx", rows), world.community_a)
    roster.apply_plan(plan)
    assert Member.objects.get(id_number=ID_2).status == MemberStatus.PROBATIONARY


def test_reading_takes_the_same_number_of_queries_for_ten_rows_or_a_hundred(world, tmp_path):
    def rows(n):
        return [["成员", "第一网格党支部", genuine("110101", date(1970, 1, 1) + timedelta(days=i), 10 + i % 80),
                 "", "汉族", "", "", "正式党员", "2000-07-01", "2001-07-01", "退休人员", "", "", "正常", "否", "否"]
                for i in range(n)]

    def count(n):
        path = write_roster(tmp_path / f"{n}.xlsx", rows(n))
        with CaptureQueriesContext(connection) as ctx:
            plan = roster.read_roster(path, world.community_a, today=TODAY)
        assert plan.ok, plan.problems[:3]
        return len(ctx)

    assert count(10) == count(100)


# -- the pages ------------------------------------------------------------------------------------

def _upload(client, path, org, table=None):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from .helpers import post

    data = {"organization": org.pk, "file": SimpleUploadedFile(path.name, path.read_bytes()),
            "table": (table or JobCodeTable.default()).pk}
    return post(client, reverse("members:import"), data)


def _pending_files(tmp_path):
    folder = tmp_path / "media" / "imports" / "members_roster"
    return list(folder.iterdir()) if folder.exists() else []


def test_upload_preview_then_confirm_imports_and_leaves_no_file(world, client_for, tmp_path, settings):
    from .helpers import post

    settings.MEDIA_ROOT = tmp_path / "media"
    client = client_for("community_staff")
    response = _upload(client, write_roster(tmp_path / "r.xlsx", national_rows()), world.community_a)
    assert response.status_code == 200
    assert Member.objects.count() == 4
    body = response.content.decode()
    token = response.context["token"]
    assert ZHANG not in body and "1101**********021X" in body
    assert 'data-summary="mobile">1<' in body and 'data-summary="lost">1<' in body
    assert "411302" in body  # the notice is shown before confirming
    assert [p.stem for p in _pending_files(tmp_path)] == [token]
    response = post(client, reverse("members:import_confirm"), {"token": token})
    assert response.status_code == 302
    assert Member.objects.count() == 10
    assert not _pending_files(tmp_path)
    assert AuditEvent.objects.get(action="members.roster.import").actor == world.users["community_staff"]
    again = post(client, reverse("members:import_confirm"), {"token": token})
    assert again.status_code == 302 and Member.objects.count() == 10


def test_a_refused_file_offers_its_report_and_no_confirmation(world, client_for, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    client = client_for("community_staff")
    rows = national_rows()
    rows[2][1] = "不存在的支部"
    rows[0][14] = "是"
    response = _upload(client, write_roster(tmp_path / "r.xlsx", rows), world.community_a)
    body = response.content.decode()
    assert "confirm-import" not in body and reverse("members:import_report") in body
    assert [(p.row, p.column) for p in response.context["plan"].problems] == [(4, "失联"), (6, "所在党支部")]
    report = client.get(reverse("members:import_report"))
    assert report.status_code == 200 and report["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = openpyxl.load_workbook(__import__("io").BytesIO(report.content)).active
    assert sheet["A1"].value.startswith("幸福社区党委党员花名册")  # the title line stays: row numbers match
    header = [c.value for c in sheet[3]]
    problems_col = header.index("问题") + 1
    assert sheet.cell(row=6, column=problems_col).value.startswith("所在党支部")
    assert "不存在的支部" in sheet.cell(row=6, column=problems_col).value
    assert sheet.cell(row=4, column=problems_col).value.startswith("失联")
    assert sheet.cell(row=5, column=problems_col).value is None
    assert sheet.cell(row=6, column=2).fill.fgColor.rgb.endswith("F8D7DA")  # the refused cell is marked
    assert sheet.cell(row=4, column=3).value == national_rows()[0][2]  # the office's own cell, as it wrote it
    notices_col = header.index("提示") + 1
    assert "411302" in sheet.cell(row=5, column=notices_col).value
    logged = AuditEvent.objects.get(action="members.import.report")
    assert (logged.actor, logged.detail["problems"]) == (world.users["community_staff"], 2)
    assert ZHANG not in str(logged.detail)


def test_the_report_is_the_uploaders_only(world, client_for, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    _upload(client_for("community_staff"), write_roster(tmp_path / "r.xlsx", national_rows()), world.community_a)
    other = client_for("community_secretary")
    response = other.get(reverse("members:import_report"))
    assert response.status_code == 302
    assert not AuditEvent.objects.filter(action="members.import.report").exists()


def test_upload_refuses_a_non_spreadsheet_with_a_message(world, client_for, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    fake = tmp_path / "fake.xlsx"
    fake.write_text("hello")
    response = _upload(client_for("community_staff"), fake, world.community_a)
    assert response.status_code == 400
    assert response.context["form"].errors["file"]
    assert not _pending_files(tmp_path)


def test_the_preview_takes_the_same_number_of_queries_for_few_or_many_rows(world, client_for, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    client = client_for("community_staff")

    def count(n):
        rows = [["成员", "第一网格党支部", genuine("110101", date(1960, 1, 1) + timedelta(days=i), 10 + i % 80), "",
                 "汉族", "", "", "正式党员", "2000-07-01", "2001-07-01", "退休人员", "", "", "正常", "否", "否"]
                for i in range(n)]
        path = write_roster(tmp_path / f"{n}.xlsx", rows)
        with CaptureQueriesContext(connection) as ctx:
            assert _upload(client, path, world.community_a).status_code == 200
        return len(ctx)

    assert count(5) == count(60)


def test_branch_secretary_cannot_import_into_community(world, client_for):
    response = client_for("branch_secretary_a").get(reverse("members:import"))
    assert response.status_code == 404


def test_the_code_tables_page_lists_each_version_with_its_categories(world, client_for):
    response = client_for("community_staff").get(reverse("members:job_codes"))
    body = response.content.decode()
    assert 'data-table="national-names"' in body and 'data-table="statistics-codes"' in body
    assert "离休干部" in body and "外出务工经商人员" in body


# -- a new version of the code table ---------------------------------------------------------------

def test_an_office_adds_its_systems_code_table_and_imports_with_it(world, tmp_path, capsys):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["某省党员信息系统工作岗位代码（2024版）"])
    sheet.append(["代码", "名称", "党员类别"])
    for row in (["A01", "机关干部", "在职"], ["B07", "退休职工", "离退休"], ["C02", "种养殖户", "农民"]):
        sheet.append(row)
    good = tmp_path / "codes.xlsx"
    book.save(good)
    call_command("members", "job-codes", str(good), "--key", "province-2024", "--name", "某省2024版")
    table = JobCodeTable.objects.get(key="province-2024")
    assert not table.is_default and table.codes.count() == 3
    assert AuditEvent.objects.get(action="members.job_codes.add").detail["entries"] == 3
    rows = national_rows()[:2]
    rows[0][10], rows[1][10] = "A01", "B07 退休职工"
    _import(write_roster(tmp_path / "r.xlsx", rows), world.community_a, table=table)
    assert (_state(ZHANG)["category"], _state(WANG)["category"]) == (MemberCategory.IN_SERVICE, MemberCategory.RETIRED)
    with pytest.raises(CommandError) as again:  # a version is never rewritten
        call_command("members", "job-codes", str(good), "--key", "province-2024", "--name", "再来")
    assert again.value.returncode == 2


def test_a_code_table_file_with_problems_adds_nothing(world, tmp_path, capsys):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["代码", "名称", "党员类别"])
    for row in (["A01", "机关干部", "在职"], ["A01", "另一个", "在职"], ["A03", "机关干部", "在职"],
                ["A04", "某岗位", "神仙"]):
        sheet.append(row)
    bad = tmp_path / "bad.xlsx"
    book.save(bad)
    with pytest.raises(SystemExit) as refused:
        call_command("members", "job-codes", str(bad), "--key", "bad-2024", "--name", "坏表")
    assert refused.value.code == 1
    err = capsys.readouterr().err
    assert all(f"第{n}行" in err or f"Row {n}" in err for n in (3, 4, 5))
    assert not JobCodeTable.objects.filter(key="bad-2024").exists()


@pytest.mark.parametrize("token", ["", "é" * 32, "0" * 32, "../../etc/passwd"])
def test_a_wrong_or_hostile_token_confirms_nothing(world, client_for, tmp_path, settings, token):
    from .helpers import post

    settings.MEDIA_ROOT = tmp_path / "media"
    client = client_for("community_staff")
    _upload(client, write_roster(tmp_path / "r.xlsx", national_rows()), world.community_a)
    response = post(client, reverse("members:import_confirm"), {"token": token})
    assert response.status_code == 302 and Member.objects.count() == 4
