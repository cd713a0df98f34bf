"""Bulk set-up from the office's own spreadsheets, on ``core.imports``: the organization tree (code, name,
kind, parent code, secretary's name) and the places (grid → building → household with resident counts).

Both read an .xlsx, .xls or .ods with the roster import's flow: check every row first (the row number, the
column as written and the reason in words), write nothing if any row is refused, write everything in one
transaction on confirmation. Idempotent: a row that matches what is recorded (by code; a building by grid
and name; a household by building, entrance and door number) changes nothing; a changed name or count is
updated. Each row is also checked against what the importing person may do (``orgs.permissions``)."""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from pathlib import Path

from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from gongzhi.accounts.models import User
from gongzhi.core import imports
from gongzhi.core.imports import Checked, FileRefused, compact, text
from gongzhi.core.spreadsheets import write_row, xlsx_book

from .models import COMMUNITY_LEVEL, PARENT_KINDS, BranchCategory, Building, Grid, Household, Organization, OrgKind
from .permissions import can_administer, can_administer_places, capability_for

KINDS = ("tree", "places")

TREE_HEADERS = {
    "组织代码": "code", "代码": "code", "党组织代码": "code", "编码": "code", "code": "code",
    "组织名称": "name", "名称": "name", "党组织名称": "name", "name": "name",
    "组织类型": "kind", "类型": "kind", "党组织类别": "kind", "组织类别": "kind", "kind": "kind", "type": "kind",
    "上级组织代码": "parent", "上级代码": "parent", "上级党组织代码": "parent", "parentcode": "parent",
    "parent": "parent",
    "书记": "secretary", "书记姓名": "secretary", "secretary": "secretary",
    "支部类别": "category", "category": "category",
    "成立日期": "established_on", "established": "established_on",
}
PLACES_HEADERS = {
    "社区代码": "community", "所属社区代码": "community", "村代码": "community", "community": "community",
    "网格代码": "grid_code", "网格编码": "grid_code", "gridcode": "grid_code",
    "网格名称": "grid_name", "网格": "grid_name", "grid": "grid_name",
    "楼栋": "building", "楼栋名称": "building", "楼号": "building", "building": "building",
    "单元数": "entrances", "entrances": "entrances",
    "层数": "floors", "总层数": "floors", "floors": "floors",
    "单元": "entrance", "单元号": "entrance", "entrance": "entrance",
    "楼层": "floor", "所在楼层": "floor", "floor": "floor",
    "门牌号": "number", "户号": "number", "房号": "number", "door": "number", "number": "number",
    "居住人数": "resident_count", "人数": "resident_count", "常住人数": "resident_count",
    "residents": "resident_count",
}
#: What offices write in the type column, to kinds (the first word found decides: 网格党支部 is a branch, a
#: community's 党总支 a community-level organization).
KIND_WORDS = [
    ("党工委", OrgKind.STREET), ("街道", OrgKind.STREET), ("乡镇", OrgKind.TOWNSHIP), ("镇党委", OrgKind.TOWNSHIP),
    ("乡党委", OrgKind.TOWNSHIP), ("区委", OrgKind.DISTRICT), ("县委", OrgKind.DISTRICT),
    ("党小组", OrgKind.GROUP), ("小组", OrgKind.GROUP), ("党支部", OrgKind.BRANCH), ("支部", OrgKind.BRANCH),
    ("党总支", OrgKind.COMMUNITY), ("社区", OrgKind.COMMUNITY), ("村", OrgKind.VILLAGE),
    ("共建", OrgKind.UNIT), ("单位", OrgKind.UNIT),
]
CATEGORY_WORDS = {"网格": BranchCategory.GRID, "离退休": BranchCategory.RETIREES, "退休": BranchCategory.RETIREES,
                  "行业": BranchCategory.INDUSTRY, "流动": BranchCategory.MOBILE, "楼栋": BranchCategory.BUILDING}

TEMPLATES = {
    "tree": (["组织代码", "组织名称", "组织类型", "上级组织代码", "书记姓名", "支部类别"],
             [["SA-C01", "幸福社区党委", "社区党委", "SA", "张华", ""],
              ["SA-C01-B01", "幸福社区第一网格党支部", "党支部", "SA-C01", "", "网格"]]),
    "places": (["社区代码", "网格代码", "网格名称", "楼栋", "单元数", "层数", "单元", "楼层", "门牌号", "居住人数"],
               [["SA-C01", "SA-C01-G01", "第一网格", "1号楼", 2, 6, 1, 3, "301", 3]]),
}


def read_kind(value) -> str | None:
    word = compact(value)
    if not word:
        return None
    if word in OrgKind.values:
        return word
    for label_kind in OrgKind:
        if word == str(label_kind.label) or word.lower() == str(label_kind.label).lower():
            return label_kind.value
    for key, kind in KIND_WORDS:
        if key in word:
            return kind
    return None


def _category(value) -> str:
    word = compact(value)
    if not word:
        return ""
    if word in BranchCategory.values:
        return word
    for key, category in CATEGORY_WORDS.items():
        if key in word:
            return category
    return ""


def _int(value) -> int | None:
    raw = compact(value)
    if raw == "":
        return None
    try:
        number = float(raw)
    except ValueError:
        raise ValueError(raw) from None
    if not number.is_integer():
        raise ValueError(raw)
    return int(number)


@dataclass
class SetupPlan(Checked):
    kind: str = "tree"
    sheet: list = field(default_factory=list)
    header: imports.Header | None = None
    new: list = field(default_factory=list)
    updated: list = field(default_factory=list)
    unchanged: list = field(default_factory=list)

    def summary(self) -> dict:
        return {"new": len(self.new), "updated": len(self.updated), "unchanged": len(self.unchanged)}


def template_workbook(kind: str) -> bytes:
    headers, examples = TEMPLATES[kind]
    buffer = io.BytesIO()
    book = xlsx_book(buffer)
    sheet = book.add_worksheet(_("Organization tree") if kind == "tree" else pgettext("setup", "Places"))
    write_row(sheet, 0, headers)
    for index, example in enumerate(examples, start=1):
        write_row(sheet, index, example)
    sheet.set_column(0, len(headers) - 1, 16)
    book.close()
    return buffer.getvalue()


def read_setup(path: Path, kind: str, user) -> SetupPlan:
    """Parse and check the whole file for ``user``; nothing is written."""
    rows = imports.read_sheet(path)
    if kind == "tree":
        header = imports.locate_header(rows, TREE_HEADERS, ("code", "name", "kind", "parent"), missing_message=_(
            "No header row found: the sheet needs the columns 组织代码, 组织名称, 组织类型 and 上级组织代码 in one of "
            "its first ten rows."))
    else:
        header = imports.locate_header(rows, PLACES_HEADERS, ("community", "grid_code"), min_columns=2,
                                       missing_message=_("No header row found: the sheet needs at least the columns "
                                                         "社区代码 and 网格代码 in one of its first ten rows."))
    plan = SetupPlan(kind=kind, sheet=rows, header=header)
    records = []
    for index in range(header.index + 1, len(rows)):
        values = header.values(rows[index])
        if all(compact(v) == "" for v in values.values()):
            continue
        records.append((index + 1, values))
    if not records:
        raise FileRefused(_("The sheet has a header row but no rows below it."))
    (_check_tree if kind == "tree" else _check_places)(plan, records, user)
    plan.sort()
    return plan


# --- the organization tree -------------------------------------------------------------------------------


def _check_tree(plan: SetupPlan, records, user) -> None:
    label = plan.header.label
    seen: dict[str, int] = {}
    rows: dict[str, dict] = {}
    for number, values in records:
        code, name = compact(values.get("code")), text(values.get("name"))
        kind, parent = read_kind(values.get("kind")), compact(values.get("parent"))
        ok = True
        if not code:
            plan.refuse(number, label("code"), _("The code is empty."))
            ok = False
        elif code in seen:
            plan.refuse(number, label("code"), _("The code %(code)s is also on row %(row)s.") % {
                "code": code, "row": seen[code]})
            ok = False
        else:
            seen[code] = number
        if not name:
            plan.refuse(number, label("name"), _("The name is empty."))
            ok = False
        if kind is None:
            plan.refuse(number, label("kind"), _("«%(value)s» is not a type of organization (e.g. 社区党委, 村党组织, "
                                                 "党支部, 党小组, 共建单位).") % {"value": text(values.get("kind"))})
            ok = False
        if not parent:
            plan.refuse(number, label("parent"), _("The parent code is empty: the top organization is created by "
                                                   "`gongzhi setup`, everything else names its parent."))
            ok = False
        elif parent == code:
            plan.refuse(number, label("parent"), _("An organization cannot be its own parent."))
            ok = False
        if ok:
            rows[code] = {"row": number, "code": code, "name": name[:100], "kind": kind, "parent": parent,
                          "secretary": text(values.get("secretary"))[:50],
                          "category": _category(values.get("category"))}
    existing = {o.code: o for o in Organization.objects.filter(
        code__in=list(rows) + [r["parent"] for r in rows.values()]).select_related("parent")}
    # Parents before children: a row waits until its parent is recorded or placed.
    placed: dict[str, dict] = {}
    pending = dict(rows)
    while pending:
        progress = False
        for code, row in list(pending.items()):
            parent_code = row["parent"]
            if parent_code in pending and parent_code not in placed:
                continue
            del pending[code]
            progress = True
            if _check_tree_row(plan, row, existing, placed, user):
                placed[code] = row
        if not progress:
            for row in pending.values():
                plan.refuse(row["row"], label("parent"), _("The parent codes of these rows go round in a circle."))
            break
    _secretaries(plan, placed, user)


def _kind_label(kind) -> str:
    return str(OrgKind(kind).label) if kind else _("nothing (the top)")


def _check_tree_row(plan: SetupPlan, row: dict, existing: dict, placed: dict, user) -> bool:
    label = plan.header.label
    number, code, kind = row["row"], row["code"], row["kind"]
    parent_code = row["parent"]
    if parent_code in placed:
        parent_kind, parent_org = placed[parent_code]["kind"], placed[parent_code].get("org")
    elif parent_code in existing:
        parent_org = existing[parent_code]
        parent_kind = parent_org.kind
    else:
        plan.refuse(number, label("parent"), _("No organization has the code %(code)s, in the file or recorded "
                                               "(or its own row is refused).") % {"code": parent_code})
        return False
    if parent_kind not in PARENT_KINDS[kind]:
        plan.refuse(number, label("kind"), _("A %(kind)s cannot be placed under a %(parent)s.") % {
            "kind": _kind_label(kind), "parent": _kind_label(parent_kind)})
        return False
    # Whether the user may act here: under a recorded parent, the capability's paths; under a parent created by
    # the file, the same as for that parent's own ancestor that is recorded.
    anchor = parent_org if parent_org is not None else _recorded_ancestor(parent_code, placed, existing)
    cap = capability_for(kind)
    allowed = cap is not None and anchor is not None and (
        user.is_superuser or any(anchor.path.startswith(root) for root in cap.paths(user)))
    current = existing.get(code)
    if current is not None:
        if current.kind != kind:
            plan.refuse(number, label("kind"), _("%(code)s is recorded as a %(kind)s.") % {
                "code": code, "kind": _kind_label(current.kind)})
            return False
        if current.parent is None or current.parent.code != parent_code:
            plan.refuse(number, label("parent"), _("%(code)s is recorded under %(parent)s: move it on its page "
                                                   "first.") % {"code": code, "parent": current.parent.code
                                                                if current.parent else "—"})
            return False
        if not can_administer(user, current):
            plan.refuse(number, label("code"), _("You may not change %(name)s.") % {"name": current.name})
            return False
        row["org"] = current
        changed = current.name != row["name"] or (row["category"] and current.category != row["category"])
        (plan.updated if changed else plan.unchanged).append(row)
        return True
    if not allowed:
        plan.refuse(number, label("parent"), _("You may not create a %(kind)s there.") % {"kind": _kind_label(kind)})
        return False
    plan.new.append(row)
    return True


def _recorded_ancestor(code: str, placed: dict, existing: dict):
    seen = set()
    while code in placed and code not in seen:
        seen.add(code)
        if placed[code].get("org") is not None:
            return placed[code]["org"]
        code = placed[code]["parent"]
    return existing.get(code)


def _secretaries(plan: SetupPlan, placed: dict, user) -> None:
    """Match the secretary's name to one account (in the file's subtree or holding a role there); otherwise a
    notice: the secretary is set on the organization's page once the account exists."""
    names = {row["secretary"] for row in placed.values() if row["secretary"]}
    if not names:
        return
    accounts: dict[str, list] = {}
    for account in User.objects.filter(is_active=True, display_name__in=names):
        accounts.setdefault(account.display_name, []).append(account)
    label = plan.header.label("secretary")
    for row in placed.values():
        name = row["secretary"]
        if not name:
            continue
        found = accounts.get(name, [])
        if len(found) == 1:
            row["secretary_user"] = found[0]
        else:
            plan.note(row["row"], label, _("No single account named %(name)s yet: set the secretary on the "
                                           "organization's page once the account exists.") % {"name": name})


# --- places ----------------------------------------------------------------------------------------------


def _check_places(plan: SetupPlan, records, user) -> None:
    label = plan.header.label
    codes = {compact(v.get("community")) for _n, v in records}
    communities = {o.code: o for o in Organization.objects.filter(code__in=codes, kind__in=COMMUNITY_LEVEL)}
    grids = {g.code: g for g in Grid.objects.filter(code__in={compact(v.get("grid_code")) for _n, v in records})
             .select_related("community")}
    buildings = {(b.grid.code, b.name): b for b in Building.objects.filter(grid__code__in=list(grids))
                 .select_related("grid__community")}
    households = {(h.building.grid.code, h.building.name, h.entrance, h.number): h for h in Household.objects.filter(
        building__grid__code__in=list(grids)).select_related("building__grid__community")}
    planned_grids: dict[str, dict] = {}
    planned_buildings: dict[tuple, dict] = {}
    planned_households: dict[tuple, int] = {}
    for number, values in records:
        community_code, grid_code = compact(values.get("community")), compact(values.get("grid_code"))
        community = communities.get(community_code)
        if community is None:
            plan.refuse(number, label("community"), _("No community or village has the code %(code)s.") % {
                "code": community_code or "—"})
            continue
        if not can_administer_places(user, community):
            plan.refuse(number, label("community"), _("You may not manage the places of %(name)s.") % {
                "name": community.name})
            continue
        if not grid_code:
            plan.refuse(number, label("grid_code"), _("The grid code is empty."))
            continue
        numbers, bad = {}, False
        for key in ("entrances", "floors", "entrance", "floor", "resident_count"):
            try:
                numbers[key] = _int(values.get(key))
            except ValueError as exc:
                plan.refuse(number, label(key), _("«%(value)s» is not a whole number.") % {"value": exc})
                bad = True
        if bad:
            continue
        grid_name = text(values.get("grid_name"))[:100]
        known = grids.get(grid_code)
        if known is not None and known.community_id != community.pk:
            plan.refuse(number, label("grid_code"), _("The grid %(code)s belongs to %(name)s.") % {
                "code": grid_code, "name": known.community.name})
            continue
        grid_row = planned_grids.get(grid_code)
        if grid_row is not None and grid_row["community"].pk != community.pk:
            plan.refuse(number, label("community"), _("The grid %(code)s is given another community on row "
                                                      "%(row)s.") % {"code": grid_code, "row": grid_row["row"]})
            continue
        if grid_row is None:
            if known is None and not grid_name:
                plan.refuse(number, label("grid_name"), _("A new grid needs a name."))
                continue
            grid_row = {"row": number, "code": grid_code, "name": grid_name or known.name, "community": community,
                        "grid": known}
            planned_grids[grid_code] = grid_row
            _sort(plan, grid_row, known is None, known is not None and grid_name and grid_name != known.name)
        building_name = text(values.get("building"))[:100]
        if not building_name:
            if any(numbers[k] is not None for k in ("entrance", "floor")) or compact(values.get("number")):
                plan.refuse(number, label("building"), _("A household needs its building."))
            continue
        key = (grid_code, building_name)
        known_building = buildings.get(key)
        building_row = planned_buildings.get(key)
        entrances = numbers["entrances"] or (building_row or {}).get("entrances") or (
            known_building.entrances if known_building else 1)
        floors = numbers["floors"] or (building_row or {}).get("floors") or (
            known_building.floors if known_building else 6)
        if not 1 <= entrances <= 50 or not 1 <= floors <= 200:
            plan.refuse(number, label("entrances" if not 1 <= entrances <= 50 else "floors"),
                        _("A building has 1 to 50 entrances and 1 to 200 floors."))
            continue
        if building_row is None:
            building_row = {"row": number, "grid_code": grid_code, "name": building_name, "entrances": entrances,
                            "floors": floors, "building": known_building}
            planned_buildings[key] = building_row
            changed = known_building is not None and (known_building.entrances, known_building.floors) != (
                entrances, floors)
            _sort(plan, building_row, known_building is None, changed)
        elif (numbers["entrances"] and numbers["entrances"] != building_row["entrances"]) or (
                numbers["floors"] and numbers["floors"] != building_row["floors"]):
            plan.refuse(number, label("entrances"), _("The building %(name)s is given other entrances or floors on "
                                                      "row %(row)s.") % {"name": building_name,
                                                                         "row": building_row["row"]})
            continue
        door = compact(values.get("number"))[:16]
        if not door:
            continue
        entrance, floor = numbers["entrance"] or 1, numbers["floor"]
        if floor is None:
            plan.refuse(number, label("floor"), _("The floor is empty."))
            continue
        if not 1 <= entrance <= building_row["entrances"]:
            plan.refuse(number, label("entrance"), _("%(name)s has entrances 1 to %(n)s.") % {
                "name": building_name, "n": building_row["entrances"]})
            continue
        if floor == 0 or not -5 <= floor <= building_row["floors"]:
            plan.refuse(number, label("floor"), _("%(name)s has floors 1 to %(n)s (basements -1 to -5).") % {
                "name": building_name, "n": building_row["floors"]})
            continue
        residents = numbers["resident_count"] or 0
        if not 0 <= residents <= 99:
            plan.refuse(number, label("resident_count"), _("Between 0 and 99 residents in one household."))
            continue
        door_key = (grid_code, building_name, entrance, door)
        if door_key in planned_households:
            plan.refuse(number, label("number"), _("The same door is also on row %(row)s.") % {
                "row": planned_households[door_key]})
            continue
        planned_households[door_key] = number
        known_household = households.get(door_key)
        household_row = {"row": number, "building_key": key, "entrance": entrance, "floor": floor, "number": door,
                         "resident_count": residents, "household": known_household}
        changed = known_household is not None and (known_household.floor, known_household.resident_count) != (
            floor, residents)
        _sort(plan, household_row, known_household is None, changed)


def _sort(plan: SetupPlan, row: dict, new: bool, changed) -> None:
    (plan.new if new else plan.updated if changed else plan.unchanged).append(row)


def rows_of(plan: SetupPlan, level: str) -> list:
    return [r for r in plan.new + plan.updated if _level(r) == level]


def _level(row: dict) -> str:
    if "building_key" in row:
        return "household"
    if "grid_code" in row:
        return "building"
    if "community" in row and "kind" not in row:
        return "grid"
    return "organization"



def preview(plan: SetupPlan, limit: int) -> list[dict]:
    """What the confirmation would write, row by row, for the preview table."""
    levels = {"organization": _("Organization"), "grid": _("Grid"), "building": _("Building"),
              "household": _("Household")}
    shown = []
    for action, rows in ((_("new"), plan.new), (_("updated"), plan.updated)):
        for row in rows:
            level = _level(row)
            if level == "household":
                grid_code, building = row["building_key"]
                what = f"{building} {row['entrance']}-{row['number']}"
                code = grid_code
            elif level == "building":
                what, code = row["name"], row["grid_code"]
            else:
                what, code = row["name"], row["code"]
            shown.append({"row": row["row"], "level": levels[level], "code": code, "name": what, "action": action})
    shown.sort(key=lambda r: r["row"])
    return shown[:limit]
