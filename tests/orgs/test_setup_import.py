"""Bulk set-up from the office's spreadsheets: the organization tree and the places, preview → confirm, all or
nothing with row, column and reason, idempotent on re-import, with downloadable templates."""

from __future__ import annotations

import io
import re
from types import SimpleNamespace

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from gongzhi.core.models import AuditEvent
from gongzhi.orgs.models import Building, Grid, Household, Organization, OrgKind
from tests.factories import UserFactory
from tests.members.helpers import post

TREE_HEADER = ["组织代码", "组织名称", "组织类型", "上级组织代码", "书记姓名", "支部类别"]
TREE = [
    ["SA-C5", "和谐社区党委", "社区党委", "SA", "林书记", ""],
    ["SA-C5-B1", "和谐社区第一网格党支部", "网格党支部", "SA-C5", "", "网格"],
    ["SA-C5-B1-P1", "3号楼党小组", "党小组", "SA-C5-B1", "", ""],
    ["SA-V1", "红旗村党组织", "村党组织", "SA", "", ""],
]
PLACES_HEADER = ["社区代码", "网格代码", "网格名称", "楼栋", "单元数", "层数", "单元", "楼层", "门牌号", "居住人数"]
PLACES = [
    ["SA-C1", "SA-C1-G7", "第七网格", "7号楼", 2, 6, 1, 1, "101", 3],
    ["SA-C1", "SA-C1-G7", "第七网格", "7号楼", 2, 6, 2, 6, "602", 2],
    ["SA-C1", "SA-C1-G7", "第七网格", "8号楼", 1, 5, "", "", "", ""],
]


@pytest.fixture
def world(module_world, db):
    return SimpleNamespace(**vars(module_world))


def xlsx(header, rows, title="幸福街道 组织架构 2026") -> SimpleUploadedFile:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append([title])
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return SimpleUploadedFile("setup.xlsx", buffer.getvalue())


def upload(client, kind, file):
    return post(client, "/orgs/setup/import/", {"kind": kind, "file": file})


def confirm(client, preview):
    token = re.search(r'name="token" value="([0-9a-f]{32})"', preview.content.decode()).group(1)
    return post(client, "/orgs/setup/import/confirm/", {"token": token})


def test_the_tree_imports_whole_and_again_changes_nothing(world, client_for):
    secretary = UserFactory(display_name="林书记")
    client = client_for("street_admin")
    preview = upload(client, "tree", xlsx(TREE_HEADER, TREE))
    assert preview.status_code == 200 and 'data-report="problems"' not in preview.content.decode()
    assert confirm(client, preview).status_code == 302
    community = Organization.objects.get(code="SA-C5")
    branch = Organization.objects.get(code="SA-C5-B1")
    group = Organization.objects.get(code="SA-C5-B1-P1")
    assert (community.kind, community.parent, community.secretary) == (OrgKind.COMMUNITY, world.street_a, secretary)
    assert (branch.kind, branch.category, branch.parent) == (OrgKind.BRANCH, "grid", community)
    assert group.kind == OrgKind.GROUP and group.path.startswith(branch.path)
    assert Organization.objects.get(code="SA-V1").kind == OrgKind.VILLAGE
    count = Organization.objects.count()
    again = upload(client, "tree", xlsx(TREE_HEADER, TREE))
    assert "0 new" in again.content.decode() or "新增 0" in again.content.decode() or "0 个新增" in \
        again.content.decode() or again.context["summary"] == {"new": 0, "updated": 0, "unchanged": 4}
    confirm(client, again)
    assert Organization.objects.count() == count
    assert AuditEvent.objects.filter(action="orgs.import.tree").count() == 2


def test_a_renamed_row_updates_the_name(world, client_for):
    client = client_for("street_admin")
    confirm(client, upload(client, "tree", xlsx(TREE_HEADER, TREE)))
    renamed = [list(TREE[0]), *TREE[1:]]
    renamed[0][1] = "和谐社区党总支"
    preview = upload(client, "tree", xlsx(TREE_HEADER, renamed))
    assert preview.context["summary"] == {"new": 0, "updated": 1, "unchanged": 3}
    confirm(client, preview)
    assert Organization.objects.get(code="SA-C5").name == "和谐社区党总支"


def test_a_missing_parent_a_duplicate_code_and_a_wrong_kind_refuse_the_whole_file(world, client_for):
    bad = [*TREE,
           ["SA-C6-B1", "孤儿支部", "党支部", "SA-C6", "", ""],
           ["SA-C5", "重复社区", "社区党委", "SA", "", ""],
           ["SA-C5-P9", "挂错的小组", "党小组", "SA-C5", "", ""],
           ["SA-X1", "不明组织", "协会", "SA", "", ""]]
    client = client_for("street_admin")
    preview = upload(client, "tree", xlsx(TREE_HEADER, bad))
    problems = {(p.row, p.column) for p in preview.context["plan"].problems}
    # Rows as numbered in the sheet: the title line is 1, the header 2, the first data row 3.
    assert problems == {(7, "上级组织代码"), (8, "组织代码"), (9, "组织类型"), (10, "组织类型")}
    body = preview.content.decode()
    assert "SA-C6" in body and 'id="confirm-import"' not in body
    assert not Organization.objects.filter(code__in=["SA-C5", "SA-V1"]).exists()
    report = client.get("/orgs/setup/import/report.xlsx")
    assert report.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(report.content)).active
    assert "SA-C6" in str(sheet.cell(row=7, column=7).value)


def test_a_cycle_inside_the_file_is_refused(world, client_for):
    rows = [["SA-B7", "甲", "党支部", "SA-B8", "", ""], ["SA-B8", "乙", "党支部", "SA-B7", "", ""]]
    preview = upload(client_for("street_admin"), "tree", xlsx(TREE_HEADER, rows))
    assert len(preview.context["plan"].problems) == 2


def test_community_staff_cannot_create_a_community_by_import(world, client_for):
    rows = [["SA-C8", "新社区", "社区党委", "SA", "", ""], ["SA-C1-B8", "新支部", "党支部", "SA-C1", "", ""]]
    preview = upload(client_for("community_staff"), "tree", xlsx(TREE_HEADER, rows))
    problems = preview.context["plan"].problems
    assert [(p.row, p.column) for p in problems] == [(3, "上级组织代码")]


def test_the_places_import_whole_and_again_changes_nothing(world, client_for):
    client = client_for("community_staff")
    preview = upload(client, "places", xlsx(PLACES_HEADER, PLACES))
    assert preview.context["plan"].ok, preview.context["plan"].problems
    confirm(client, preview)
    grid = Grid.objects.get(code="SA-C1-G7")
    assert grid.community == world.community_a
    building = Building.objects.get(grid=grid, name="7号楼")
    assert (building.entrances, building.floors) == (2, 6)
    assert Building.objects.filter(grid=grid, name="8号楼", floors=5).exists()
    assert Household.objects.filter(building=building).count() == 2
    assert Household.objects.get(building=building, number="602").resident_count == 2
    again = upload(client, "places", xlsx(PLACES_HEADER, PLACES))
    assert again.context["summary"]["new"] == 0 and again.context["summary"]["updated"] == 0
    confirm(client, again)
    assert Household.objects.filter(building__grid=grid).count() == 2


def test_places_with_problems_write_nothing(world, client_for):
    rows = [*PLACES,
            ["SA-C1", "SA-C1-G7", "第七网格", "7号楼", "", "", 3, 2, "201", 2],
            ["SB-C1", "SB-G9", "外街网格", "", "", "", "", "", "", ""],
            ["SA-C1", "SA-C1-G7", "第七网格", "7号楼", "", "", 1, 1, "101", 4],
            ["SA-C1", "SA-C1-G7", "第七网格", "7号楼", "", "", 1, "三", "301", 2]]
    preview = upload(client_for("community_staff"), "places", xlsx(PLACES_HEADER, rows))
    problems = {(p.row, p.column) for p in preview.context["plan"].problems}
    assert problems == {(6, "单元"), (7, "社区代码"), (8, "门牌号"), (9, "楼层")}
    assert not Grid.objects.filter(code="SA-C1-G7").exists()


def test_the_templates_have_one_example_row_and_import_as_they_are(world, client_for):
    client = client_for("street_admin")
    for kind in ("tree", "places"):
        response = client.get(f"/orgs/setup/template/{kind}.xlsx")
        assert response.status_code == 200
        sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
        assert sheet.max_row >= 2 and sheet.cell(row=1, column=1).value in ("组织代码", "社区代码")
    template = client.get("/orgs/setup/template/tree.xlsx").content
    preview = upload(client, "tree", SimpleUploadedFile("tree.xlsx", template))
    assert preview.context["plan"].ok and preview.context["summary"]["new"] == 2


def test_a_file_that_is_not_a_spreadsheet_is_refused_in_words(world, client_for):
    response = upload(client_for("street_admin"), "tree", SimpleUploadedFile("tree.xlsx", b"not a spreadsheet"))
    assert response.status_code == 400
    assert not Organization.objects.filter(code="SA-C5").exists()
