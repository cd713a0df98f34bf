"""Importing a party-member roster (.xlsx, .xls, .ods) into an organization.

``check_upload`` refuses empty files, non-spreadsheets and zip bombs before anything is parsed;
``read_roster`` finds the header row (below any title lines), maps Chinese national or English
headers, normalises every cell and validates each row; ``apply_plan`` writes all rows in one
transaction, or nothing when the report has a single problem. Re-importing the same file changes
nothing: rows are matched on the ID number.
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from gongzhi.core import audit
from gongzhi.core.idnumber import parse_id_number
from gongzhi.core.pinyin import initials
from gongzhi.orgs.models import Organization, OrgKind

from .models import Education, Member, MemberCategory, MembershipEvent, MembershipEventKind, MemberStatus, Sex

MAX_BYTES = 10 * 1024 * 1024
MAX_UNCOMPRESSED = 100 * 1024 * 1024
MAX_RATIO = 200
EXTENSIONS = {".xlsx", ".xls", ".ods"}
HEADER_SEARCH_ROWS = 10

HEADERS = {
    "姓名": "name", "name": "name",
    "所在党支部": "branch", "党支部": "branch", "branch": "branch",
    "公民身份号码": "id_number", "身份证号码": "id_number", "身份证号": "id_number", "id_number": "id_number",
    "性别": "sex", "sex": "sex",
    "民族": "ethnicity", "ethnicity": "ethnicity",
    "出生日期": "birth_date", "birth_date": "birth_date",
    "学历": "education", "education": "education",
    "人员类别": "category", "category": "category",
    "入党日期": "joined_on", "joined_on": "joined_on",
    "转正日期": "full_member_on", "full_member_on": "full_member_on",
    "工作岗位": "job_post", "job_post": "job_post",
    "联系电话": "mobile", "手机号码": "mobile", "mobile": "mobile",
    "家庭住址": "address", "address": "address",
}
REQUIRED = ("name", "id_number", "joined_on")
# Fields an import may change on an existing member of the same organization.
UPDATABLE = ("name", "ethnicity", "education", "category", "job_post", "mobile", "address", "joined_on",
             "full_member_on", "status", "probation_ends_on", "home_org_id")

FULL_WIDTH = str.maketrans("０１２３４５６７８９ｘＸ－／．：（）", "0123456789xX-/.:()")
SEX_WORDS = {"男": Sex.MALE, "male": Sex.MALE, "m": Sex.MALE, "女": Sex.FEMALE, "female": Sex.FEMALE,
             "f": Sex.FEMALE}
EDUCATION_WORDS = [
    ("研究生", Education.POSTGRADUATE), ("硕士", Education.POSTGRADUATE), ("博士", Education.POSTGRADUATE),
    ("本科", Education.BACHELOR), ("大学", Education.BACHELOR), ("大专", Education.COLLEGE),
    ("专科", Education.COLLEGE), ("高中", Education.SENIOR), ("中专", Education.SENIOR),
    ("中技", Education.SENIOR), ("技校", Education.SENIOR), ("职高", Education.SENIOR),
    ("初中", Education.JUNIOR), ("小学", Education.PRIMARY), ("文盲", Education.PRIMARY),
]
CATEGORY_WORDS = [
    ("离退休", MemberCategory.RETIRED), ("退休", MemberCategory.RETIRED), ("离休", MemberCategory.RETIRED),
    ("流动", MemberCategory.MOBILE), ("学生", MemberCategory.STUDENT), ("农", MemberCategory.RURAL),
    ("无业", MemberCategory.UNEMPLOYED), ("失业", MemberCategory.UNEMPLOYED), ("在职", MemberCategory.IN_SERVICE),
]
STATUS_WORDS = {"正式党员": MemberStatus.FULL, "正式": MemberStatus.FULL, "预备党员": MemberStatus.PROBATIONARY,
                "预备": MemberStatus.PROBATIONARY}
DATE_PATTERNS = [
    re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$"), re.compile(r"^(\d{4})\.(\d{1,2})\.(\d{1,2})$"),
    re.compile(r"^(\d{4})/(\d{1,2})/(\d{1,2})$"), re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日?$"),
    re.compile(r"^(\d{4})(\d{2})(\d{2})$"),
]


class RosterError(Exception):
    """The file cannot be read as a roster at all (not a row problem)."""


@dataclass
class Problem:
    row: int
    column: str
    reason: str


@dataclass
class Plan:
    organization: Organization
    new: list[Member] = field(default_factory=list)
    updated: list[Member] = field(default_factory=list)
    unchanged: list[Member] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def rows(self) -> list[Member]:
        return [*self.new, *self.updated, *self.unchanged]


# ---------------------------------------------------------------------------------------------
# The file


def check_upload(path: Path, size: int | None = None) -> None:
    """Refuse empty, oversized, wrongly named, non-spreadsheet and zip-bomb files before parsing."""
    size = path.stat().st_size if size is None else size
    if size == 0:
        raise RosterError(_("The file is empty."))
    if size > MAX_BYTES:
        raise RosterError(_("The file is larger than 10 MB."))
    suffix = path.suffix.lower()
    if suffix not in EXTENSIONS:
        raise RosterError(_("Upload a spreadsheet: .xlsx, .xls or .ods."))
    if suffix in (".xlsx", ".ods"):
        if not zipfile.is_zipfile(path):
            raise RosterError(_("This file is not a spreadsheet."))
        with zipfile.ZipFile(path) as archive:
            total = sum(info.file_size for info in archive.infolist())
        if total > MAX_UNCOMPRESSED or total > MAX_RATIO * max(size, 1):
            raise RosterError(_("This file expands to an implausible size and was refused."))
    else:
        with path.open("rb") as handle:
            if handle.read(8) != b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
                raise RosterError(_("This file is not a spreadsheet."))


def sheet_rows(path: Path) -> list[list]:
    from python_calamine import CalamineWorkbook

    try:
        workbook = CalamineWorkbook.from_path(str(path))
        return workbook.get_sheet_by_index(0).to_python(skip_empty_area=False)
    except Exception as exc:  # calamine raises its own error types for every kind of damage
        raise RosterError(_("This file is not a spreadsheet.")) from exc


# ---------------------------------------------------------------------------------------------
# Cells


def text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return re.sub(r"[\s\u3000]+", " ", str(value).translate(FULL_WIDTH)).strip()


def compact(value) -> str:
    return text(value).replace(" ", "")


def parse_date(value) -> date | None:
    if value in (None, ""):
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    raw = compact(value)
    for pattern in DATE_PATTERNS:
        match = pattern.match(raw)
        if match:
            year, month, day = (int(part) for part in match.groups())
            try:
                return date(year, month, day)
            except ValueError:
                break
    raise ValueError(raw)


def parse_phone(value) -> str:
    raw = compact(value).replace("-", "")
    if not raw:
        return ""
    mobile = len(raw) == 11 and raw.startswith("1")
    landline = len(raw) in (7, 8) or (raw.startswith("0") and 10 <= len(raw) <= 12)
    if not raw.isdigit() or not (mobile or landline):
        raise ValueError(raw)
    return raw


def _word(raw: str, table) -> str | None:
    lowered = raw.lower()
    for word, value in table:
        if word in lowered:
            return value
    return None


# ---------------------------------------------------------------------------------------------
# Reading and validating


def find_header(rows: list[list]) -> tuple[int, dict[int, tuple[str, str]]]:
    for index, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        columns = {}
        for col, cell in enumerate(row):
            label = compact(cell)
            key = HEADERS.get(label) or HEADERS.get(label.lower())
            if key and key not in {k for k, _label in columns.values()}:
                columns[col] = (key, label)
        if len(columns) >= 3 and {"name", "id_number"} <= {k for k, _label in columns.values()}:
            return index, columns
    raise RosterError(_("No header row found: the sheet needs at least the columns 姓名 (name) and "
                        "公民身份号码 (id_number)."))


def branches_under(organization) -> dict[str, list[Organization]]:
    found: dict[str, list[Organization]] = {}
    candidates = Organization.objects.filter(path__startswith=organization.path,
                                             kind__in=[OrgKind.BRANCH, OrgKind.GROUP], is_active=True)
    for org in candidates:
        found.setdefault(compact(org.name), []).append(org)
    return found


def read_roster(path: Path, organization, today: date | None = None) -> Plan:
    """Parse and validate the whole file against the organization; nothing is written."""
    today = today or date.today()
    rows = sheet_rows(path)
    header_index, columns = find_header(rows)
    labels = {key: label for key, label in columns.values()}
    plan = Plan(organization=organization)
    branches = branches_under(organization)
    parsed: list[tuple[int, dict]] = []
    seen: dict[str, int] = {}

    for index in range(header_index + 1, len(rows)):
        row = rows[index]
        values = {key: (row[col] if col < len(row) else None) for col, (key, _label) in columns.items()}
        if all(compact(v) == "" for v in values.values()):
            continue
        number = index + 1
        problems_before = len(plan.problems)

        def problem(key, reason, number=number):
            plan.problems.append(Problem(number, labels.get(key, key), str(reason)))

        record: dict = {}
        for key in REQUIRED:
            if key not in labels or compact(values.get(key)) == "":
                problem(key, _("This value is required."))
        name = compact(values.get("name"))
        if len(name) > 50:
            problem("name", _("The name is longer than 50 characters."))
        record["name"] = name
        raw_id = compact(values.get("id_number"))
        if raw_id:
            try:
                info = parse_id_number(raw_id)
            except ValidationError as exc:
                problem("id_number", exc.messages[0])
                info = None
            if info is not None:
                record["id_number"] = info.number
                record["birth_date"] = info.birth_date
                record["sex"] = info.sex
                if info.number in seen:
                    problem("id_number", _("The same ID number is on row %(row)s.") % {"row": seen[info.number]})
                seen.setdefault(info.number, number)
        sex = compact(values.get("sex"))
        if sex:
            chosen = SEX_WORDS.get(sex.lower())
            if chosen is None:
                problem("sex", _("Write 男 or 女."))
            elif record.get("sex") and chosen != record["sex"]:
                problem("sex", _("The sex does not match the ID number."))
        for key in ("birth_date", "joined_on", "full_member_on"):
            try:
                record[f"_{key}"] = parse_date(values.get(key))
            except ValueError:
                problem(key, _("Not a date: write it as 1985-03-12."))
                record[f"_{key}"] = None
        if record.get("_birth_date") and record.get("birth_date") and record["_birth_date"] != record["birth_date"]:
            problem("birth_date", _("The date of birth does not match the ID number."))
        joined = record.pop("_joined_on")
        full_on = record.pop("_full_member_on")
        record.pop("_birth_date", None)
        if joined and joined > today:
            problem("joined_on", _("The date joined is in the future."))
        if joined and full_on and full_on < joined:
            problem("full_member_on", _("A member is made full after joining."))
        record["joined_on"] = joined
        record["full_member_on"] = full_on

        raw_category = text(values.get("category"))
        status = STATUS_WORDS.get(compact(raw_category))
        category = None if status else _word(raw_category, CATEGORY_WORDS) or (
            raw_category.lower() if raw_category.lower() in MemberCategory.values else None)
        if category is None:
            category = _word(text(values.get("job_post")), CATEGORY_WORDS)
        if raw_category and not status and category is None:
            problem("category", _("Unknown category: use 在职, 离退休, 流动, 学生, 农民 or 无业."))
        record["category"] = category or MemberCategory.IN_SERVICE
        if status is None:
            one_year = joined and (joined.replace(year=joined.year + 1) if not (joined.month == 2 and joined.day == 29)
                                   else joined + timedelta(days=365))
            status = MemberStatus.FULL if full_on or (one_year and one_year <= today) else MemberStatus.PROBATIONARY
        record["status"] = status
        record["probation_ends_on"] = None
        if status == MemberStatus.PROBATIONARY and joined:
            record["probation_ends_on"] = joined + timedelta(days=365)
            record["full_member_on"] = None

        raw_education = compact(values.get("education"))
        education = ""
        if raw_education:
            education = _word(raw_education, EDUCATION_WORDS) or (
                raw_education.lower() if raw_education.lower() in Education.values else None)
            if education is None:
                problem("education", _("Unknown education level."))
        record["education"] = education or ""
        record["ethnicity"] = compact(values.get("ethnicity"))[:20] or "汉族"
        record["job_post"] = text(values.get("job_post"))[:100]
        record["address"] = text(values.get("address"))[:200]
        try:
            record["mobile"] = parse_phone(values.get("mobile"))
        except ValueError:
            problem("mobile", _("Not a phone number."))

        branch_name = compact(values.get("branch"))
        if branch_name:
            matches = branches.get(branch_name, [])
            if len(matches) != 1:
                problem("branch", _("No branch of this name under %(org)s.") % {"org": organization.name}
                        if not matches else _("Several branches have this name."))
            else:
                record["home_org_id"] = matches[0].pk
        elif organization.kind in (OrgKind.BRANCH, OrgKind.GROUP):
            record["home_org_id"] = organization.pk
        else:
            problem("branch", _("This value is required."))
        if len(plan.problems) == problems_before:
            parsed.append((number, record))

    if not parsed and not plan.problems:
        raise RosterError(_("The sheet has a header row but no members."))
    existing = {m.id_number: m for m in Member.objects.select_related("home_org")
                .filter(id_number__in=[r["id_number"] for _n, r in parsed])}
    for number, record in parsed:
        member = existing.get(record["id_number"])
        if member is None:
            plan.new.append(Member(**record))
            continue
        inside = member.home_org is not None and member.home_org.path.startswith(organization.path)
        if not inside:
            plan.problems.append(Problem(number, labels["id_number"],
                                         _("This member is registered with another organization.")))
            continue
        changed = [key for key in UPDATABLE if getattr(member, key) != record[key]]
        if changed:
            for key in changed:
                setattr(member, key, record[key])
            plan.updated.append(member)
        else:
            plan.unchanged.append(member)
    plan.problems.sort(key=lambda p: p.row)
    return plan


@transaction.atomic
def apply_plan(plan: Plan, *, by=None, request=None, source: str = "") -> None:
    """Write the validated plan: bulk inserts and updates, a history row per new member, one audit row."""
    if not plan.ok:
        raise ValueError("a roster with problems is never written")
    for member in plan.new:
        member.name_initials = initials(member.name)
    Member.objects.bulk_create(plan.new)
    now = timezone.now()
    for member in plan.updated:
        member.name_initials = initials(member.name)
        member.updated_at = now
    if plan.updated:
        Member.objects.bulk_update(plan.updated, [*UPDATABLE, "name_initials", "updated_at"])
    created = Member.objects.filter(id_number__in=[m.id_number for m in plan.new]).select_related("home_org")
    today = date.today()
    note = _("Imported from a roster")
    MembershipEvent.objects.bulk_create(
        [MembershipEvent(member=m, kind=MembershipEventKind.CREATED, to_value=m.home_org.name,
                         effective_on=today, note=note, by=by if getattr(by, "is_authenticated", False) else None)
         for m in created])
    audit.record(actor=by, action="members.import", organization=plan.organization, request=request,
                 detail={"created": len(plan.new), "updated": len(plan.updated),
                         "unchanged": len(plan.unchanged), "source": source})


def importable_orgs(user):
    from gongzhi.accounts.models import RoleKind
    from gongzhi.core.scoping import scope_paths, subtree_q

    paths = scope_paths(user, RoleKind.staff_kinds())
    if getattr(user, "is_superuser", False):
        query = Q()
    else:
        query = subtree_q("path", paths)
    return Organization.objects.filter(query, kind__in=[OrgKind.STREET, OrgKind.COMMUNITY, OrgKind.BRANCH],
                                       is_active=True).order_by("path")
