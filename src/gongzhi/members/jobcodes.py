"""The job-position (工作岗位) code tables seeded at installation, and reading a cell against one.

The national party member information system's versions write 工作岗位 differently: the member form
of the current system offers named positions (公务员 … 其他无业人员) and its exports carry those names;
party-statistics software groups members by a code whose first digit is the broad group (0 在岗职工,
1 农牧渔民, 2 军人、武警, 3 学生, 4 离退休人员, 5 其他). Each version is a ``JobCodeTable`` in the database
(an office whose system writes other codes adds its own), chosen per import, ``national-names`` by
default. The category each entry means is the statistics' grouping of occupations.

``SEED`` is plain data so that the migration that loads it does not depend on the models' code.
"""

from __future__ import annotations

import re

IN_SERVICE, RETIRED, STUDENT, RURAL, UNEMPLOYED, OTHER = (
    "in_service", "retired", "student", "rural", "unemployed", "other")

NATIONAL_NAMES = [
    ("公务员", IN_SERVICE), ("参照公务员法管理的工作人员", IN_SERVICE),
    ("事业单位管理岗位", IN_SERVICE), ("事业单位专业技术岗位", IN_SERVICE),
    ("公有经济控制企业管理岗位", IN_SERVICE), ("公有经济控制企业专业技术岗位", IN_SERVICE),
    ("非公有经济控制企业管理岗位", IN_SERVICE), ("非公有经济控制企业专业技术岗位", IN_SERVICE),
    ("民办非企业管理岗位", IN_SERVICE), ("民办非企业专业技术岗位", IN_SERVICE),
    ("公有经济控制单位工勤岗位", IN_SERVICE), ("非公有企业工勤岗位", IN_SERVICE),
    ("民办非企业工勤岗位", IN_SERVICE), ("机关单位工勤岗位", IN_SERVICE), ("事业单位工勤岗位", IN_SERVICE),
    ("农牧渔业生产人员", RURAL), ("乡村医生", RURAL), ("外出务工经商人员", RURAL), ("其他农牧渔民", RURAL),
    ("解放军、武警", IN_SERVICE),
    ("研究生毕业年级学生", STUDENT), ("研究生一年级学生", STUDENT), ("研究生其他年级学生", STUDENT),
    ("大学本科毕业年级学生", STUDENT), ("大学本科一年级学生", STUDENT), ("大学本科其他年级学生", STUDENT),
    ("大学专科毕业年级学生", STUDENT), ("大学专科一年级学生", STUDENT), ("大学专科其他年级学生", STUDENT),
    ("中等专业学校学生", STUDENT), ("高中学生", STUDENT), ("技工学校学生", STUDENT),
    ("离休干部", RETIRED), ("退休人员", RETIRED), ("退职人员", RETIRED), ("内部退养职工", RETIRED),
    ("大学生村官", IN_SERVICE), ("社区工作人员", IN_SERVICE), ("停薪留职人员", IN_SERVICE),
    ("个体工商户中的从业人员", IN_SERVICE), ("自由职业人员", IN_SERVICE),
    ("（转业）待安置、学生毕业未就业的人员", UNEMPLOYED),
    ("公派或因私出国、出境逾期未归的人员", OTHER),
    ("改革后不再保留原机关干部身份，党组织关系仍保留在原单位的人员", OTHER),
    ("企业破产后，领取保险金或被辞退的职工中未重新就业的人员", UNEMPLOYED),
    ("由于各种原因，已经离开本人的生产、工作岗位，并已不在本单位从事其他工作，但仍与单位保留劳动关系的职工（不包括内部退养职工）",
     OTHER),
    ("党组织关系在人才（劳动）服务中心，不明职业的人员", OTHER),
    ("其他从业人员", IN_SERVICE), ("其他无业人员", UNEMPLOYED),
]

STATISTICS_CODES = [
    ("0", "在岗职工", IN_SERVICE),
    ("01", "公有制单位在岗职工", IN_SERVICE), ("011", "党政机关工作人员", IN_SERVICE),
    ("012", "事业单位管理人员", IN_SERVICE), ("013", "事业单位专业技术人员", IN_SERVICE),
    ("014", "公有制单位企业管理人员", IN_SERVICE), ("015", "公有制单位企业专业技术人员", IN_SERVICE),
    ("016", "公有制单位工勤技能人员", IN_SERVICE), ("0164", "公有制单位农民工", IN_SERVICE),
    ("02", "非公有制单位在岗职工", IN_SERVICE), ("021", "非公有制单位企业管理人员", IN_SERVICE),
    ("022", "非公有制单位企业专业技术人员", IN_SERVICE), ("023", "民办非企业单位管理人员", IN_SERVICE),
    ("024", "民办非企业单位专业技术人员", IN_SERVICE), ("025", "非公有制单位工勤技能人员", IN_SERVICE),
    ("0253", "非公有制单位农民工", IN_SERVICE),
    ("1", "农牧渔民", RURAL), ("113", "外出务工经商人员", RURAL),
    ("2", "军人、武警", IN_SERVICE),
    ("3", "学生", STUDENT),
    ("4", "离退休人员", RETIRED),
    ("5", "其他", OTHER),
]

SEED = [
    {"key": "national-names", "is_default": True, "name": "全国党员管理信息系统：工作岗位名称",
     "description": "The positions the national system's member form offers; its exports write these names.",
     "codes": [("", name, category) for name, category in NATIONAL_NAMES]},
    {"key": "statistics-codes", "is_default": False, "name": "党内统计：工作岗位分组代码",
     "description": "Codes grouped by their first digit as in party-statistics software (0 在岗职工, 1 农牧渔民, "
                    "2 军人、武警, 3 学生, 4 离退休人员, 5 其他); a longer code falls under its longest listed prefix.",
     "codes": STATISTICS_CODES},
]

CODE_AND_NAME = re.compile(r"^([0-9A-Za-z]{1,16})(?:[\s、.,:：\-]+|(?=[^0-9A-Za-z]))?(.*)$")


def name_key(name: str) -> str:
    """Names compared without spaces, brackets and punctuation ("解放军、武警" = "解放军武警")."""
    return re.sub(r"[\s\u3000()（）、，,。.·:：\-—]", "", name or "")


def readers(chosen) -> tuple[JobCodeReader, list[tuple[object, JobCodeReader]]]:
    """A reader for the chosen table and one for each other table (to say where a position is listed),
    from one query."""
    from .models import JobCode

    by_table: dict = {}
    tables = {}
    for entry in JobCode.objects.select_related("table"):
        by_table.setdefault(entry.table_id, []).append(entry)
        tables[entry.table_id] = entry.table
    chosen_id = getattr(chosen, "pk", None)
    others = [(table, JobCodeReader(table, by_table[pk])) for pk, table in sorted(tables.items()) if pk != chosen_id]
    return JobCodeReader(chosen, by_table.get(chosen_id, [])), others


class JobCodeReader:
    """One table's entries in memory: ``read(cell)`` → the entry, or None."""

    def __init__(self, table, entries):
        self.table = table
        self.by_code = {e.code.upper(): e for e in entries if e.code}
        self.by_name = {name_key(e.name): e for e in entries}

    def read(self, raw: str, numeric: bool = False):
        raw = (raw or "").strip()
        if not raw:
            return None
        found = self.by_name.get(name_key(raw))
        if found is not None:
            return found
        match = CODE_AND_NAME.match(raw)
        if not match or not self.by_code:
            return None
        code, name = match.group(1).upper(), match.group(2).strip()
        candidates = [code]
        if numeric:  # Excel drops leading zeros of a code typed as a number: 011 → 11
            candidates += [code.zfill(width) for width in range(len(code) + 1, 5)]
        for candidate in candidates:
            if candidate in self.by_code:
                return self.by_code[candidate]
        if name and name_key(name) in self.by_name:
            return self.by_name[name_key(name)]
        for length in range(len(code) - 1, 0, -1):  # a finer code than the table lists
            if code[:length] in self.by_code:
                return self.by_code[code[:length]]
        return None


#: Header labels of a code-table spreadsheet (a new version of 工作岗位 an office's system writes).
TABLE_HEADERS = {"代码": "code", "岗位代码": "code", "code": "code", "名称": "name", "工作岗位": "name",
                 "岗位名称": "name", "name": "name", "党员类别": "category", "类别": "category", "category": "category"}


def read_code_table(path):
    """The entries of a code-table spreadsheet (code, name, category) and what checking them found:
    every problem with row, column and reason; nothing is written here."""
    from django.utils.translation import gettext as _

    from gongzhi.core import imports

    from .models import MemberCategory
    from .roster import CATEGORY_WORDS, _word

    rows = imports.read_sheet(path)
    header = imports.locate_header(rows, TABLE_HEADERS, ("name", "category"), min_columns=2, missing_message=_(
        "No header row found: the sheet needs the columns 名称 (name) and 党员类别 (category), "
        "and may have 代码 (code)."))
    checked = imports.Checked()
    entries, names, codes = [], {}, {}
    for index in range(header.index + 1, len(rows)):
        values, number = header.values(rows[index]), index + 1
        if all(imports.compact(v) == "" for v in values.values()):
            continue
        code, name = imports.compact(values.get("code")), imports.text(values.get("name"))
        raw = imports.compact(values.get("category"))
        category = _word(raw, CATEGORY_WORDS) or (raw.lower() if raw.lower() in MemberCategory.values else None)
        if not name:
            checked.refuse(number, header.label("name"), _("This value is required."))
        elif len(name) > 120:
            checked.refuse(number, header.label("name"), _("The name is longer than 120 characters."))
        elif name_key(name) in names:
            checked.refuse(number, header.label("name"), _("The same position is on row %(row)s.")
                           % {"row": names[name_key(name)]})
        if code and (len(code) > 16 or not code.isalnum()):
            checked.refuse(number, header.label("code"), _("A code has at most 16 letters or digits."))
        elif code and code in codes:
            checked.refuse(number, header.label("code"), _("The same code is on row %(row)s.") % {"row": codes[code]})
        if category is None:
            unknown = _("Unknown category «%(value)s»: write 在职, 离退休, 农民, 学生, 无业 or 其他.")
            checked.refuse(number, header.label("category"), unknown % {"value": raw})
        names.setdefault(name_key(name), number)
        if code:
            codes.setdefault(code, number)
        entries.append((code, name, category))
    if not entries and checked.ok:
        raise imports.FileRefused(_("The sheet has a header row but no positions."))
    checked.sort()
    return entries, checked
