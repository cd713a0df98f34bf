"""Importing a party-member roster (.xlsx, .xls, .ods) as the national party member information system
exports it, into an organization.

The national member form has 16 fields: 姓名, 所在党支部, 公民身份号码, 性别, 民族, 出生日期, 学历,
人员类别, 入党日期 (加入党组织日期), 转正日期, 工作岗位, 联系电话, 家庭住址, 党籍状态, 失联 (with its date)
and 流动 (with the destination). Every one is read and kept:

* 人员类别 is the membership status (正式党员 / 预备党员);
* the category (in-service, retired, rural, student, unemployed, other) comes from an office's own
  column (党员类别, 党员类型) when the file has one, else from 工作岗位 through the job-position code
  table of the version the file was exported with (``jobcodes``);
* 党籍状态 (正常 / 停止党籍 / 保留党籍); 失联 with the date contact was lost (in the cell or in a
  失联日期 column); 流动 with the destination (in the cell or in a 外出流向 column).

``read_roster`` checks every row without writing (``core.imports`` reads the file, finds the header
below any title lines and folds what offices type); any ``Problem`` refuses the whole file, a
``Notice`` is shown and the import can go ahead. ``services.import_roster`` writes a checked plan in
one transaction with the history of every change. Re-importing the same file changes nothing: rows
are matched on the ID number.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext as _

from gongzhi.core import imports
from gongzhi.core.crypto import normalise_id
from gongzhi.core.fields import lookup_many
from gongzhi.core.idnumber import parse_id_number
from gongzhi.core.imports import FileRefused, compact, parse_date, parse_phone, text, yes_no
from gongzhi.orgs.models import BRANCH_LEVEL, GROUP_LEVEL, Organization, OrgKind

from .jobcodes import JobCodeReader, name_key, readers
from .models import (
    Education,
    JobCodeTable,
    Member,
    MemberCategory,
    MemberStatus,
    PartyStatus,
    Sex,
    Standing,
    membership_dates_problem,
)

# Kept for callers of the former roster module.
RosterError = FileRefused
check_upload = imports.check_upload
EXTENSIONS = imports.EXTENSIONS
MAX_BYTES = imports.MAX_BYTES

#: Header labels (as the national system and offices write them, and in English) → keys.
HEADERS = {
    "姓名": "name", "name": "name",
    "所在党支部": "branch", "党支部": "branch", "所在支部": "branch", "所在党组织": "branch", "branch": "branch",
    "公民身份号码": "id_number", "身份证号码": "id_number", "身份证号": "id_number", "公民身份证号码": "id_number",
    "公民身份证号": "id_number", "id_number": "id_number",
    "性别": "sex", "sex": "sex",
    "民族": "ethnicity", "ethnicity": "ethnicity",
    "出生日期": "birth_date", "birth_date": "birth_date",
    "学历": "education", "最高学历": "education", "education": "education",
    "人员类别": "membership", "党员状态": "membership", "status": "membership",
    "入党日期": "joined_on", "加入党组织日期": "joined_on", "入党时间": "joined_on", "joined_on": "joined_on",
    "转正日期": "full_member_on", "转为正式党员日期": "full_member_on", "转正时间": "full_member_on",
    "full_member_on": "full_member_on",
    "工作岗位": "job_post", "工作岗位(职业)": "job_post", "job_post": "job_post",
    "联系电话": "mobile", "手机号码": "mobile", "手机号": "mobile", "mobile": "mobile",
    "家庭住址": "address", "现居住地": "address", "家庭地址": "address", "address": "address",
    "党籍状态": "party_status", "party_status": "party_status",
    "失联": "lost_contact", "是否失联": "lost_contact", "是否失联党员": "lost_contact", "失联党员": "lost_contact",
    "失联情况": "lost_contact", "lost_contact": "lost_contact",
    "失联日期": "lost_contact_since", "失去联系日期": "lost_contact_since", "失联时间": "lost_contact_since",
    "lost_contact_since": "lost_contact_since",
    "流动": "mobile_member", "是否流动党员": "mobile_member", "流动党员": "mobile_member",
    "流动情况": "mobile_member", "mobile_member": "mobile_member",
    "外出流向": "mobile_destination", "流向": "mobile_destination", "流动去向": "mobile_destination",
    "流入地": "mobile_destination", "流动目的地": "mobile_destination", "mobile_destination": "mobile_destination",
    "党员类别": "category", "党员类型": "category", "category": "category",
}
REQUIRED = ("name", "id_number", "joined_on")
#: The national name of each column, for a problem in a column the file does not have.
NATIONAL_LABELS = {key: label for label, key in reversed(HEADERS.items()) if not label.isascii()}
#: Where a value lives when its own column is absent (the date in the 失联 cell, the destination in 流动).
FOLDED_INTO = {"lost_contact_since": "lost_contact", "mobile_destination": "mobile_member"}

# Fields an import may change on an existing member of the organization's subtree.
UPDATABLE = ("name", "ethnicity", "education", "category", "job_post", "job_code_id", "mobile", "address",
             "joined_on", "full_member_on", "status", "probation_ends_on", "home_org_id", "standing", "party_status",
             "lost_contact_since", "is_mobile_member", "mobile_destination")

SEX_WORDS = {"男": Sex.MALE, "male": Sex.MALE, "m": Sex.MALE, "女": Sex.FEMALE, "female": Sex.FEMALE,
             "f": Sex.FEMALE}
EDUCATION_WORDS = [
    ("研究生", Education.POSTGRADUATE), ("硕士", Education.POSTGRADUATE), ("博士", Education.POSTGRADUATE),
    ("本科", Education.BACHELOR), ("大学", Education.BACHELOR), ("大专", Education.COLLEGE),
    ("专科", Education.COLLEGE), ("高中", Education.SENIOR), ("中专", Education.SENIOR),
    ("中等专科", Education.SENIOR), ("中技", Education.SENIOR), ("技校", Education.SENIOR),
    ("技工学校", Education.SENIOR), ("职高", Education.SENIOR), ("职业高中", Education.SENIOR),
    ("初中", Education.JUNIOR), ("小学", Education.PRIMARY), ("文盲", Education.PRIMARY),
]
STATUS_WORDS = {"正式党员": MemberStatus.FULL, "正式": MemberStatus.FULL, "预备党员": MemberStatus.PROBATIONARY,
                "预备": MemberStatus.PROBATIONARY, "full": MemberStatus.FULL,
                "probationary": MemberStatus.PROBATIONARY}
#: Words of an office's own category column (党员类别, 党员类型), most specific first.
CATEGORY_WORDS = [
    ("离退休", MemberCategory.RETIRED), ("退休", MemberCategory.RETIRED), ("离休", MemberCategory.RETIRED),
    ("学生", MemberCategory.STUDENT), ("农民", MemberCategory.RURAL), ("农村", MemberCategory.RURAL),
    ("农牧渔", MemberCategory.RURAL), ("无业", MemberCategory.UNEMPLOYED), ("失业", MemberCategory.UNEMPLOYED),
    ("待业", MemberCategory.UNEMPLOYED), ("下岗", MemberCategory.UNEMPLOYED), ("在职", MemberCategory.IN_SERVICE),
    ("在岗", MemberCategory.IN_SERVICE), ("其他", MemberCategory.OTHER),
]
#: Words in a category column that speak of mobility or contact, not of occupation.
MOBILE_WORDS = ("流动",)
LOST_WORDS = ("失联", "失去联系")
PARTY_STATUS_WORDS = {"正常": PartyStatus.NORMAL, "正常党籍": PartyStatus.NORMAL, "normal": PartyStatus.NORMAL,
                      "停止党籍": PartyStatus.SUSPENDED, "停止": PartyStatus.SUSPENDED,
                      "suspended": PartyStatus.SUSPENDED, "保留党籍": PartyStatus.RETAINED,
                      "保留": PartyStatus.RETAINED, "retained": PartyStatus.RETAINED}
LOST_CONTACT_MONTHS = 6


@dataclass
class Plan(imports.Checked):
    organization: Organization | None = None
    table: JobCodeTable | None = None
    new: list[Member] = field(default_factory=list)
    updated: list[Member] = field(default_factory=list)
    unchanged: list[Member] = field(default_factory=list)
    #: For each updated member's pk: [(field, value before, value after)].
    changes: dict[int, list[tuple[str, object, object]]] = field(default_factory=dict)
    header: imports.Header | None = None
    sheet: list[list] = field(default_factory=list, repr=False)

    @property
    def rows(self) -> list[Member]:
        return [*self.new, *self.updated, *self.unchanged]

    def summary(self) -> dict:
        """What the roster holds once imported: members by category, status, party status, and how many
        are mobile or out of contact (shown before confirming)."""
        rows = self.rows
        return {
            "category": _counted(Counter(m.category for m in rows), MemberCategory),
            "status": _counted(Counter(m.status for m in rows), MemberStatus),
            "party_status": _counted(Counter(m.party_status for m in rows), PartyStatus),
            "mobile": sum(m.is_mobile_member for m in rows),
            "lost_contact": sum(m.standing == Standing.LOST_CONTACT for m in rows),
        }


def _counted(counter: Counter, choices) -> list[tuple[str, int]]:
    return [(label, counter[value]) for value, label in choices.choices if counter.get(value)]


def _word(raw: str, table) -> str | None:
    lowered = raw.lower()
    for word, value in table:
        if word in lowered:
            return value
    return None


def one_year_after(day: date) -> date:
    try:
        return day.replace(year=day.year + 1)
    except ValueError:  # 29 February
        return day + timedelta(days=365)


def branches_under(organization) -> dict[str, list[Organization]]:
    found: dict[str, list[Organization]] = {}
    candidates = Organization.objects.filter(path__startswith=organization.path, is_active=True,
                                             kind__in=BRANCH_LEVEL | GROUP_LEVEL)
    for org in candidates:
        found.setdefault(name_key(compact(org.name)), []).append(org)
    return found


# ---------------------------------------------------------------------------------------------
# One row


class RowReader:
    """Reads one row of the sheet into the fields of a member, refusing or noting as it goes."""

    def __init__(self, plan: Plan, header: imports.Header, number: int, values: dict, *, today: date,
                 jobs: JobCodeReader, others: list[tuple[JobCodeTable, JobCodeReader]], branches, seen: dict):
        self.plan, self.header, self.number, self.values, self.today = plan, header, number, values, today
        self.jobs, self.others, self.branches, self.seen = jobs, others, branches, seen
        self.record: dict = {}
        self.before = len(plan.problems)

    def cell(self, key):
        return self.values.get(key)

    def label(self, key) -> str:
        labels = self.header.labels
        if key not in labels and FOLDED_INTO.get(key) in labels:
            key = FOLDED_INTO[key]
        return labels.get(key) or NATIONAL_LABELS.get(key, key)

    def refuse(self, key, reason) -> None:
        self.plan.refuse(self.number, self.label(key), reason)

    def note(self, key, message) -> None:
        self.plan.note(self.number, self.label(key), message)

    @property
    def refused(self) -> bool:
        return len(self.plan.problems) > self.before

    def date(self, key) -> date | None:
        try:
            return parse_date(self.cell(key))
        except ValueError:
            self.refuse(key, _("Not a date: write it as 1985-03-12, 1985.03.12, 1985/3/12 or 1985年3月12日."))
            return None

    def read(self) -> dict | None:
        for key in REQUIRED:
            if key not in self.header.labels or compact(self.cell(key)) == "":
                self.refuse(key, _("This value is required."))
        self.identity()
        self.dates_and_status()
        self.category()
        self.standing()
        self.details()
        self.branch()
        return None if self.refused else self.record

    def identity(self) -> None:
        name = compact(self.cell("name"))
        if len(name) > 50:
            self.refuse("name", _("The name is longer than 50 characters."))
        self.record["name"] = name
        raw = self.cell("id_number")
        if isinstance(raw, float) and raw >= 1e16:
            self.refuse("id_number", _("The ID number was stored as a number and the spreadsheet has rounded its "
                                       "last digits: format the column as text and type the number again."))
            return
        if compact(raw):
            try:
                info = parse_id_number(compact(raw), today=self.today)
            except ValidationError as exc:
                self.refuse("id_number", exc.messages[0])
                return
            for warning in info.warnings:
                self.note("id_number", warning)
            self.record.update(id_number=info.number, birth_date=info.birth_date, sex=info.sex)
            if info.number in self.seen:
                self.refuse("id_number", _("The same ID number is on row %(row)s.") % {"row": self.seen[info.number]})
            self.seen.setdefault(info.number, self.number)
        sex = compact(self.cell("sex"))
        if sex:
            chosen = SEX_WORDS.get(sex.lower())
            if chosen is None:
                self.refuse("sex", _("Write 男 or 女."))
            elif self.record.get("sex") and chosen != self.record["sex"]:
                self.refuse("sex", _("The sex does not match the ID number (its 17th digit)."))
        birth = self.date("birth_date")
        if birth and self.record.get("birth_date") and birth != self.record["birth_date"]:
            self.refuse("birth_date", _("The date of birth %(cell)s does not match the ID number (%(id)s).")
                        % {"cell": birth.isoformat(), "id": self.record["birth_date"].isoformat()})

    def dates_and_status(self) -> None:
        joined, full_on = self.date("joined_on"), self.date("full_member_on")
        if joined and joined > self.today:
            self.refuse("joined_on", _("The date joined is in the future."))
        birth = self.record.get("birth_date")
        if joined and birth and joined <= birth:
            self.refuse("joined_on", _("The date joined is before the date of birth."))
        elif joined and birth and joined < date(birth.year + 18, birth.month, 28 if birth.month == 2 else birth.day):
            self.note("joined_on", _("Joined before the age of 18: check the dates."))
        problem = membership_dates_problem(joined, full_on)
        if problem:
            self.refuse("full_member_on", problem)
        if full_on and full_on > self.today:
            self.refuse("full_member_on", _("The date made full member is in the future."))
        self.record["joined_on"], self.record["full_member_on"] = joined, full_on

        raw = text(self.cell("membership"))
        status = STATUS_WORDS.get(compact(raw).lower())
        if raw and status is None:
            if _word(raw, CATEGORY_WORDS) or any(w in raw for w in MOBILE_WORDS + LOST_WORDS):
                self.record["_category_from_membership"] = raw
                self.note("membership", _("人员类别 is the membership status (正式党员 or 预备党员); "
                                          "«%(value)s» was read as the category.") % {"value": raw})
            else:
                self.refuse("membership", _("«%(value)s» is not a membership status: write 正式党员 or 预备党员.")
                            % {"value": raw})
        if status == MemberStatus.PROBATIONARY and full_on:
            self.refuse("full_member_on", _("A probationary member has no date made full member (转正日期)."))
        if status is None and joined:
            status = MemberStatus.FULL if full_on or one_year_after(joined) <= self.today else MemberStatus.PROBATIONARY
            if not raw and not full_on:
                self.note("membership", _("No 人员类别 and no 转正日期: counted as %(status)s from the date joined.")
                          % {"status": MemberStatus(status).label})
        self.record["status"] = status or MemberStatus.FULL
        self.record["probation_ends_on"] = None
        if status == MemberStatus.PROBATIONARY and joined:
            self.record["probation_ends_on"] = one_year_after(joined)
            if one_year_after(one_year_after(joined)) < self.today:
                self.note("membership", _("Probationary for more than two years: probation is one year, extended "
                                          "by at most one more."))

    def category(self) -> None:
        own = text(self.cell("category")) or self.record.pop("_category_from_membership", "")
        job = text(self.cell("job_post"))
        self.record["job_post"] = job[:100]
        self.record["job_code"] = None
        flags = {"mobile": any(w in own for w in MOBILE_WORDS), "lost": any(w in own for w in LOST_WORDS)}
        self.record["_flags"] = flags
        chosen = _word(own, CATEGORY_WORDS) if own else None
        if own and chosen is None and not (flags["mobile"] or flags["lost"]):
            self.refuse("category", _("Unknown category «%(value)s»: write 在职, 离退休, 农民, 学生, 无业 or 其他.")
                        % {"value": own})
        entry = self.jobs.read(job, numeric=isinstance(self.cell("job_post"), int | float)) if job else None
        if entry is not None:
            self.record["job_code"] = entry
        if chosen:
            self.record["category"] = chosen
            return
        if entry is not None:
            self.record["category"] = entry.category
            return
        if job:
            elsewhere = [(table, found) for table, reader in self.others if (found := reader.read(job))]
            if elsewhere:
                table, found = elsewhere[0]
                self.refuse("job_post", _("«%(job)s» is not in the code table «%(table)s» chosen for this import, but "
                                          "is in «%(other)s» (%(entry)s → %(category)s): choose that version.")
                            % {"job": job, "table": self.jobs.table, "other": table, "entry": found,
                               "category": found.get_category_display()})
            else:
                self.refuse("job_post", _("«%(job)s» is not in the code table «%(table)s» and says nothing of the "
                                          "category: choose the version the file was exported with, or add a column "
                                          "党员类别 (在职, 离退休, 农民, 学生, 无业 or 其他).")
                            % {"job": job, "table": self.jobs.table})
            return
        self.record["category"] = MemberCategory.IN_SERVICE
        self.note("job_post", _("No 工作岗位 and no 党员类别: counted as in-service."))

    def standing(self) -> None:
        flags = self.record.pop("_flags")
        raw_status = compact(self.cell("party_status"))
        party_status = PARTY_STATUS_WORDS.get(raw_status.lower(), None) if raw_status else PartyStatus.NORMAL
        if party_status is None:
            self.refuse("party_status", _("«%(value)s» is not a party membership status: "
                                          "write 正常, 停止党籍 or 保留党籍.") % {"value": raw_status})
        self.record["party_status"] = party_status or PartyStatus.NORMAL

        # 失联: yes/no, a date, or both ("是（2023.05.01）"); the date may also be in its own column.
        raw = self.cell("lost_contact")
        said = yes_no(raw)
        since_in_cell = imports.date_inside(raw)
        if compact(raw) and said is None and since_in_cell is None and not any(w in compact(raw) for w in LOST_WORDS):
            self.refuse("lost_contact", _("Write 是 or 否, or the date contact was lost."))
        lost = bool(said or since_in_cell or any(w in compact(raw) for w in LOST_WORDS) or flags["lost"])
        since = self.date("lost_contact_since") or since_in_cell
        if said is False and (since or flags["lost"]):
            self.refuse("lost_contact", _("失联 says 否 but a date contact was lost is given."))
        if lost and not since:
            self.refuse("lost_contact_since", _("A member out of contact needs the date contact was lost (失联日期)."))
        if since and since > self.today:
            self.refuse("lost_contact_since", _("The date contact was lost is in the future."))
        joined = self.record.get("joined_on")
        if since and joined and since < joined:
            self.refuse("lost_contact_since", _("Contact was lost before the member joined."))
        if lost and since and since > self.today - timedelta(days=LOST_CONTACT_MONTHS * 30):
            self.note("lost_contact_since", _("Contact was lost less than six months ago; a member counts as lost "
                                              "contact after six months. Recorded as given."))
        self.record["standing"] = Standing.LOST_CONTACT if lost else Standing.NORMAL
        self.record["lost_contact_since"] = since if lost else None

        # 流动: yes/no, the destination itself, or both ("是（广东省深圳市）"); or a 外出流向 column.
        raw = text(self.cell("mobile_member"))
        said = yes_no(raw)
        destination = text(self.cell("mobile_destination"))
        if raw and said is None:
            inside = re.sub(r"^(是|流动党员|流动)[\s,:：()（）]*", "", raw).strip(" ()（）")
            said = True
            destination = destination or inside
        if said is False and destination:
            self.refuse("mobile_member", _("流动 says 否 but a destination is given."))
        mobile = bool(said or flags["mobile"])
        if mobile and not destination:
            self.refuse("mobile_destination", _("A mobile member needs the destination (外出流向)."))
        if len(destination) > 100:
            self.refuse("mobile_destination", _("The destination is longer than 100 characters."))
        self.record["is_mobile_member"] = mobile
        self.record["mobile_destination"] = destination if mobile else ""

    def details(self) -> None:
        raw_education = compact(self.cell("education"))
        education = ""
        if raw_education:
            education = _word(raw_education, EDUCATION_WORDS) or (
                raw_education.lower() if raw_education.lower() in Education.values else None)
            if education is None:
                self.refuse("education", _("Unknown education level «%(value)s».") % {"value": raw_education})
        self.record["education"] = education or ""
        self.record["ethnicity"] = compact(self.cell("ethnicity"))[:20] or "汉族"
        self.record["address"] = text(self.cell("address"))[:200]
        try:
            self.record["mobile"] = parse_phone(self.cell("mobile"))
        except ValueError:
            self.refuse("mobile", _("Not a phone number: a mobile number has 11 digits, a landline its area code "
                                    "and 7 or 8 digits."))

    def branch(self) -> None:
        organization = self.plan.organization
        branch_name = compact(self.cell("branch"))
        if branch_name:
            matches = self.branches.get(name_key(branch_name), [])
            if len(matches) == 1:
                self.record["home_org_id"] = matches[0].pk
            elif matches:
                self.refuse("branch", _("Several branches under %(org)s have this name.") % {"org": organization.name})
            elif name_key(branch_name) == name_key(organization.name) and organization.kind in BRANCH_LEVEL:
                self.record["home_org_id"] = organization.pk
            else:
                self.refuse("branch", _("No branch or group named «%(name)s» under %(org)s.")
                            % {"name": branch_name, "org": organization.name})
        elif organization.kind in (OrgKind.BRANCH, OrgKind.GROUP):
            self.record["home_org_id"] = organization.pk
        else:
            self.refuse("branch", _("This value is required."))


# ---------------------------------------------------------------------------------------------
# The file


def read_roster(path: Path, organization, *, table: JobCodeTable | None = None, today: date | None = None,
                lock: bool = False) -> Plan:
    """Parse and check the whole file against the organization; nothing is written.

    ``lock`` (inside the confirming transaction) locks the existing records the file matches."""
    today = today or date.today()
    table = table or JobCodeTable.default()
    rows = imports.read_sheet(path)
    header = imports.locate_header(rows, HEADERS, ("name", "id_number"), missing_message=_(
        "No header row found: the sheet needs at least the columns 姓名 (name) and 公民身份号码 (id_number) "
        "in one of its first ten rows."))
    plan = Plan(organization=organization, table=table, header=header, sheet=rows)
    jobs, others = readers(table)
    branches = branches_under(organization)
    seen: dict[str, int] = {}
    parsed: list[tuple[int, dict]] = []
    for index in range(header.index + 1, len(rows)):
        values = header.values(rows[index])
        if all(compact(v) == "" for v in values.values()):
            continue
        record = RowReader(plan, header, index + 1, values, today=today, jobs=jobs, others=others,
                           branches=branches, seen=seen).read()
        if record is not None:
            parsed.append((index + 1, record))
    if not parsed and not plan.problems:
        raise FileRefused(_("The sheet has a header row but no members."))
    # Matched by ID number through its blind index (the numbers are stored encrypted).
    existing_qs = Member.objects.select_related("home_org").filter(
        lookup_many(Member, "id_number", [r["id_number"] for _n, r in parsed])[0])
    if lock:
        existing_qs = existing_qs.select_for_update(of=("self",)).order_by("pk")
    existing = {normalise_id(m.id_number): m for m in existing_qs}
    for number, record in parsed:
        _plan_row(plan, number, record, existing.get(normalise_id(record["id_number"])))
    plan.sort()
    return plan


def _plan_row(plan: Plan, number: int, record: dict, member: Member | None) -> None:
    job_code = record.pop("job_code")
    record["job_code_id"] = job_code.pk if job_code else None
    if member is None:
        new = Member(**record)
        new.job_code = job_code
        plan.new.append(new)
        return
    label = plan.header.label("id_number")
    inside = member.home_org is not None and member.home_org.path.startswith(plan.organization.path)
    if not inside:
        plan.refuse(number, label, _("This member is registered with another organization: ask it for a transfer."))
        return
    if member.standing in (Standing.TRANSFERRED_OUT, Standing.DECEASED):
        plan.refuse(number, label, _("This member is recorded as %(standing)s: register a return with a transfer in.")
                    % {"standing": member.get_standing_display()})
        return
    changed = [(key, getattr(member, key), record[key]) for key in UPDATABLE if getattr(member, key) != record[key]]
    if not changed:
        plan.unchanged.append(member)
        return
    for key, _before, after in changed:
        setattr(member, key, after)
    member.job_code = job_code
    plan.changes[member.pk] = changed
    plan.updated.append(member)


def importable_orgs(user):
    """The organizations a user may import a roster into (community staff or above, their subtree)."""
    from gongzhi.accounts.models import RoleKind
    from gongzhi.core.scoping import scope_paths, subtree_q

    paths = scope_paths(user, RoleKind.staff_kinds())
    query = Q() if getattr(user, "is_superuser", False) else subtree_q("path", paths)
    return Organization.objects.filter(query, kind__in=[OrgKind.STREET, OrgKind.COMMUNITY, OrgKind.VILLAGE,
                                                        OrgKind.BRANCH], is_active=True).order_by("path")


def apply_plan(plan: Plan, *, by=None, request=None, source: str = "") -> None:
    """Write a checked plan (``services.import_roster``)."""
    from .services import import_roster

    import_roster(plan=plan, by=by, request=request, source=source)
