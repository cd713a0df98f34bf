"""The machinery every spreadsheet import shares (the roster today; the organization tree and places next).

An import is a flow with a preview:

1. ``check_upload`` refuses empty, oversized, wrongly named, non-spreadsheet and zip-bomb files
   before anything is parsed; ``read_sheet`` reads the first sheet of an .xlsx, .xls or .ods;
2. ``locate_header`` finds the header row below any title lines and maps the labels as written
   (Chinese or English, with the variants offices use) to keys;
3. the importer checks every row and collects ``Problem`` (the row is refused, the import writes
   nothing) and ``Notice`` (worth a look, the import can go ahead), each with the row number as
   in the spreadsheet, the column as written and the reason in words;
4. ``PendingImports`` keeps the uploaded file between preview and confirmation (under a random
   name, tied to the user's session); on confirmation the file is read and checked again and
   written in one transaction, or not at all;
5. ``report_workbook`` gives the office its own sheet back, row for row, with a column of problems
   and a column of notices beside each row and the refused cells marked: how offices fix a file.

The cell helpers read what offices type: full-width digits, dates as date cells or 1985-03-12,
1985.03.12, 1985/3/12, 1985年3月12日, 19850312, yes/no in Chinese, numbers Excel stored as floats.
"""

from __future__ import annotations

import io
import re
import secrets
import time
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext as _

from .spreadsheets import neutralise, xlsx_book

MAX_BYTES = 10 * 1024 * 1024
MAX_UNCOMPRESSED = 100 * 1024 * 1024
MAX_RATIO = 200
EXTENSIONS = (".xlsx", ".xls", ".ods")
HEADER_SEARCH_ROWS = 10
PENDING_MAX_AGE = 24 * 3600  # seconds an unconfirmed upload is kept
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


class FileRefused(Exception):  # noqa: N818 - a refusal, not a programming error
    """The file cannot be read as this kind of spreadsheet at all (not a problem of one row)."""


@dataclass(frozen=True)
class Problem:
    """A reason the row is refused: nothing is imported until the file is corrected."""

    row: int  # as numbered in the spreadsheet (1 = the first line)
    column: str  # the header as written in the file, or the key when the column is missing
    reason: str


@dataclass(frozen=True)
class Notice:
    """Something worth checking in an accepted row (an area code out of its years, a guessed value)."""

    row: int
    column: str
    message: str


@dataclass
class Checked:
    """What checking a file found: the base of every importer's plan."""

    problems: list[Problem] = field(default_factory=list)
    notices: list[Notice] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    def refuse(self, row: int, column: str, reason) -> None:
        self.problems.append(Problem(row, column, str(reason)))

    def note(self, row: int, column: str, message) -> None:
        self.notices.append(Notice(row, column, str(message)))

    def sort(self) -> None:
        self.problems.sort(key=lambda p: p.row)
        self.notices.sort(key=lambda n: n.row)


# ---------------------------------------------------------------------------------------------
# The file


def check_upload(path: Path, size: int | None = None) -> None:
    """Refuse empty, oversized, wrongly named, non-spreadsheet and zip-bomb files before parsing."""
    size = path.stat().st_size if size is None else size
    if size == 0:
        raise FileRefused(_("The file is empty."))
    if size > MAX_BYTES:
        raise FileRefused(_("The file is larger than 10 MB."))
    suffix = path.suffix.lower()
    if suffix not in EXTENSIONS:
        raise FileRefused(_("Upload a spreadsheet: .xlsx, .xls or .ods."))
    if suffix in (".xlsx", ".ods"):
        if not zipfile.is_zipfile(path):
            raise FileRefused(_("This file is not a spreadsheet."))
        with zipfile.ZipFile(path) as archive:
            total = sum(info.file_size for info in archive.infolist())
        if total > MAX_UNCOMPRESSED or total > MAX_RATIO * max(size, 1):
            raise FileRefused(_("This file expands to an implausible size and was refused."))
    else:
        with path.open("rb") as handle:
            if handle.read(8) != OLE_MAGIC:
                raise FileRefused(_("This file is not a spreadsheet."))


def read_sheet(path: Path) -> list[list]:
    """The first sheet's cells, row by row, empty cells as ``""``, dates as ``date``/``datetime``."""
    from python_calamine import CalamineWorkbook

    try:
        workbook = CalamineWorkbook.from_path(str(path))
        return workbook.get_sheet_by_index(0).to_python(skip_empty_area=False)
    except Exception as exc:  # calamine raises its own error types for every kind of damage
        raise FileRefused(_("This file is not a spreadsheet.")) from exc


# ---------------------------------------------------------------------------------------------
# Cells

FULL_WIDTH = str.maketrans("０１２３４５６７８９ｘＸ－／．：（）　，", "0123456789xX-/.:() ,")
DATE_PATTERNS = [
    re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$"), re.compile(r"^(\d{4})\.(\d{1,2})\.(\d{1,2})$"),
    re.compile(r"^(\d{4})/(\d{1,2})/(\d{1,2})$"), re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日?$"),
    re.compile(r"^(\d{4})(\d{2})(\d{2})$"),
]
#: A date inside a longer text ("是（2023.05.01）", "2023年5月1日失联").
DATE_INSIDE = re.compile(r"(\d{4})\s*(?:[-./年])\s*(\d{1,2})\s*(?:[-./月])\s*(\d{1,2})\s*日?"
                         r"|(?<!\d)(\d{4})(\d{2})(\d{2})(?!\d)")
YES_WORDS = {"是", "有", "y", "yes", "true", "1", "√", "✓", "✔"}
NO_WORDS = {"否", "无", "没有", "n", "no", "false", "0", "×", "-", "—", "/"}


def text(value) -> str:
    """The cell as text: full-width characters folded, runs of spaces as one, integral floats without ".0"."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime):
        value = value.date() if value.time() == datetime.min.time() else value
    if isinstance(value, date):
        return value.isoformat()
    return re.sub(r"[\s\u3000]+", " ", str(value).translate(FULL_WIDTH)).strip()


def compact(value) -> str:
    return text(value).replace(" ", "")


def parse_date(value) -> date | None:
    """A date from a date cell or the ways offices write one; None when empty; ValueError otherwise."""
    if value in (None, ""):
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    raw = compact(value)
    if not raw:
        return None
    for pattern in DATE_PATTERNS:
        match = pattern.match(raw)
        if match:
            year, month, day = (int(part) for part in match.groups())
            try:
                return date(year, month, day)
            except ValueError:
                break
    raise ValueError(raw)


def date_inside(value) -> date | None:
    """The first real date written inside a text, or None."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    for match in DATE_INSIDE.finditer(compact(value)):
        parts = [int(p) for p in match.groups() if p is not None]
        try:
            return date(*parts)
        except ValueError:
            continue
    return None


def yes_no(value) -> bool | None:
    """True for 是/有/Y/√…, False for 否/无/N…, None for anything else (empty included)."""
    if isinstance(value, bool):
        return value
    word = compact(value).lower()
    if word in YES_WORDS:
        return True
    if word in NO_WORDS:
        return False
    return None


def parse_phone(value) -> str:
    """A mobile or landline number in digits; ValueError when the cell holds something else."""
    raw = compact(value).replace("-", "")
    if not raw:
        return ""
    mobile = len(raw) == 11 and raw.startswith("1")
    landline = len(raw) in (7, 8) or (raw.startswith("0") and 10 <= len(raw) <= 12)
    if not raw.isdigit() or not (mobile or landline):
        raise ValueError(raw)
    return raw


def normalise_label(cell) -> str:
    """A header as offices vary it: "*姓名", "姓名（必填）", "入党日期:" → "姓名", "入党日期"."""
    label = compact(cell).lstrip("*").rstrip(":：")
    return re.sub(r"\((必填|选填|必选|可选|required|optional)\)$", "", label, flags=re.IGNORECASE)


# ---------------------------------------------------------------------------------------------
# The header


@dataclass
class Header:
    index: int  # 0-based index of the header row in the sheet
    columns: dict[int, tuple[str, str]]  # column index → (key, label as written)

    @property
    def labels(self) -> dict[str, str]:
        return {key: label for key, label in self.columns.values()}

    def label(self, key: str) -> str:
        return self.labels.get(key, key)

    def column_of(self, key: str) -> int | None:
        for col, (k, _label) in self.columns.items():
            if k == key:
                return col
        return None

    def values(self, row: list) -> dict:
        return {key: (row[col] if col < len(row) else None) for col, (key, _label) in self.columns.items()}


def locate_header(rows: list[list], aliases: dict[str, str], required: Iterable[str], *, min_columns: int = 3,
                  missing_message: str = "") -> Header:
    """The first row (among the first ten) whose cells name ``required`` keys and at least ``min_columns``
    known columns. ``aliases`` maps labels (compared without spaces, case-insensitively for Latin) to keys;
    a label with a bracketed addition ("入党日期（加入党组织日期）") is also tried without it."""
    lowered = {label.lower(): key for label, key in aliases.items()}
    required = set(required)
    for index, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        columns: dict[int, tuple[str, str]] = {}
        taken: set[str] = set()
        for col, cell in enumerate(row):
            label = normalise_label(cell)
            if not label:
                continue
            key = lowered.get(label.lower()) or lowered.get(re.sub(r"\(.*\)$", "", label).lower())
            if key and key not in taken:
                columns[col] = (key, text(cell))
                taken.add(key)
        if len(columns) >= min_columns and required <= taken:
            return Header(index=index, columns=columns)
    raise FileRefused(missing_message or _("No header row found in the first ten rows."))


# ---------------------------------------------------------------------------------------------
# Between preview and confirmation


class PendingImports:
    """The uploaded file of one kind of import, kept between preview and confirmation.

    The file lives under ``MEDIA_ROOT/imports/<kind>/`` with a random name; the token and what the
    preview was for (organization, options) live in the user's session, so only the person who
    uploaded it can confirm it or download its report. A new upload replaces the previous one;
    files left over more than a day are removed whenever a file is stored."""

    def __init__(self, kind: str):
        if not re.fullmatch(r"[a-z_.]+", kind):
            raise ValueError(kind)
        self.kind = kind
        self.session_key = f"import:{kind}"

    def folder(self) -> Path:
        folder = Path(settings.MEDIA_ROOT) / "imports" / self.kind.replace(".", "_")
        folder.mkdir(parents=True, exist_ok=True)
        return folder

    def _sweep(self) -> None:
        limit = time.time() - PENDING_MAX_AGE
        for path in self.folder().iterdir():
            if path.is_file() and path.stat().st_mtime < limit:
                path.unlink(missing_ok=True)

    def store(self, request, upload, **meta) -> Path:
        """Write the upload under a new random name (refusing wrong names and sizes before writing)."""
        suffix = Path(upload.name or "").suffix.lower()
        if suffix not in EXTENSIONS:
            raise FileRefused(_("Upload a spreadsheet: .xlsx, .xls or .ods."))
        if upload.size > MAX_BYTES:
            raise FileRefused(_("The file is larger than 10 MB."))
        self.discard(request)
        self._sweep()
        token = secrets.token_hex(16)
        path = self.folder() / f"{token}{suffix}"
        with path.open("wb") as handle:
            for chunk in upload.chunks():
                handle.write(chunk)
        request.session[self.session_key] = {"token": token, "suffix": suffix, "name": (upload.name or "")[:100],
                                             **meta}
        return path

    def get(self, request, token: str | None = None) -> tuple[Path, dict] | None:
        """The pending file and its meta, when the session holds one (with this token, if given)."""
        pending = request.session.get(self.session_key) or {}
        stored = pending.get("token", "")
        if not re.fullmatch(r"[0-9a-f]{32}", stored) or pending.get("suffix") not in EXTENSIONS:
            return None
        if token is not None and not (re.fullmatch(r"[0-9a-f]{32}", str(token))
                                      and secrets.compare_digest(str(token), stored)):
            return None
        path = self.folder() / f"{stored}{pending['suffix']}"
        return (path, pending) if path.is_file() else None

    def mark(self, request, **meta) -> None:
        pending = request.session.get(self.session_key)
        if pending:
            request.session[self.session_key] = {**pending, **meta}

    def discard(self, request) -> None:
        found = self.get(request)
        if found is not None:
            found[0].unlink(missing_ok=True)
        request.session.pop(self.session_key, None)


# ---------------------------------------------------------------------------------------------
# The report


def report_workbook(rows: list[list], header: Header | None, checked: Checked, *, sheet_name: str = "") -> bytes:
    """The uploaded sheet, row for row (title lines included, so row numbers match), with a column of
    problems and a column of notices at the right of each row and the refused cells marked."""
    buffer = io.BytesIO()
    book = xlsx_book(buffer)
    sheet = book.add_worksheet((sheet_name or _("Import report"))[:31])
    bold = book.add_format({"bold": True, "bg_color": "#EEEEEE", "border": 1})
    refused = book.add_format({"bg_color": "#F8D7DA", "border": 1, "border_color": "#B02A37"})
    refused_date = book.add_format({"bg_color": "#F8D7DA", "border": 1, "border_color": "#B02A37",
                                    "num_format": "yyyy-mm-dd"})
    as_date = book.add_format({"num_format": "yyyy-mm-dd"})
    reason = book.add_format({"font_color": "#B02A37", "text_wrap": True})
    note = book.add_format({"font_color": "#664D03", "text_wrap": True})

    width = max((len(r) for r in rows), default=0)
    if header is not None:
        width = max(width, max(header.columns, default=-1) + 1)
    by_row: dict[int, list[Problem]] = {}
    for problem in checked.problems:
        by_row.setdefault(problem.row, []).append(problem)
    notes_by_row: dict[int, list[Notice]] = {}
    for notice in checked.notices:
        notes_by_row.setdefault(notice.row, []).append(notice)
    column_of_label = {label: col for col, (_key, label) in (header.columns.items() if header else [])}

    for index, row in enumerate(rows):
        number = index + 1
        marked = {column_of_label[p.column] for p in by_row.get(number, []) if p.column in column_of_label}
        is_header = header is not None and index == header.index
        for col, value in enumerate(row):
            fmt = bold if is_header else (refused if col in marked else None)
            _write(sheet, index, col, value, fmt, refused_date if col in marked else as_date)
        for col in marked - set(range(len(row))):
            sheet.write_blank(index, col, None, refused)
        if is_header:
            sheet.write_string(index, width, _("Problems"), bold)
            sheet.write_string(index, width + 1, _("Notices"), bold)
            continue
        if by_row.get(number):
            sheet.write_string(index, width, neutralise("；".join(f"{p.column}: {p.reason}" for p in by_row[number])),
                               reason)
        if notes_by_row.get(number):
            sheet.write_string(index, width + 1,
                               neutralise("；".join(f"{n.column}: {n.message}" for n in notes_by_row[number])), note)
    sheet.set_column(0, max(width - 1, 0), 14)
    sheet.set_column(width, width + 1, 48)
    if header is not None:
        sheet.freeze_panes(header.index + 1, 0)
    book.close()
    return buffer.getvalue()


def _write(sheet, row: int, col: int, value, fmt, date_fmt) -> None:
    if value is None or value == "":
        if fmt is not None:
            sheet.write_blank(row, col, None, fmt)
        return
    if isinstance(value, bool):
        sheet.write_boolean(row, col, value, fmt)
    elif isinstance(value, datetime | date):
        moment = value if isinstance(value, datetime) else datetime(value.year, value.month, value.day)
        sheet.write_datetime(row, col, moment, date_fmt)
    elif isinstance(value, int | float):
        if isinstance(value, float) and not value.is_integer():
            sheet.write_number(row, col, value, fmt)
        else:
            sheet.write_string(row, col, str(int(value)), fmt)  # IDs and phones as text, never 4.1E+17
    else:
        sheet.write_string(row, col, neutralise(str(value)), fmt)
