"""Writing spreadsheets (.xlsx and .csv) so that no cell can become a formula.

A text that begins with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is read as a formula
by Excel, WPS and LibreOffice: at once in a .csv, and in an .xlsx as soon as someone edits the cell
or saves the sheet as .csv. A member named ``=HYPERLINK("http://…")`` must stay a name. As OWASP
describes (CSV injection), such a text goes out with a leading apostrophe, which the spreadsheet
shows as text and keeps through editing and saving; numbers are written as numbers. Every export
writes its cells through ``cell_value`` (``write_row``, ``xlsx_book``, ``csv_writer``).
"""

from __future__ import annotations

import csv
import io
from datetime import date, datetime
from decimal import Decimal

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutralise(text: str) -> str:
    """The text, with a leading apostrophe when a spreadsheet would read it as a formula."""
    return f"'{text}" if text.startswith(FORMULA_START) else text


def cell_value(value) -> str | int | float | Decimal:
    """What a cell holds: numbers as numbers, everything else as neutralised text."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int | float | Decimal):
        return value
    if isinstance(value, datetime | date):
        return value.isoformat()
    return neutralise(str(value))


def xlsx_book(buffer: io.BytesIO):
    """An xlsxwriter workbook that never turns a string into a formula, a number or a link."""
    import xlsxwriter

    return xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_formulas": False,
                                        "strings_to_numbers": False, "strings_to_urls": False})


def write_row(sheet, row: int, values, start_col: int = 0) -> None:
    for col, value in enumerate(values, start=start_col):
        value = cell_value(value)
        if isinstance(value, str):
            sheet.write_string(row, col, value)
        else:
            sheet.write_number(row, col, float(value))


class _SafeWriter:
    def __init__(self, writer):
        self._writer = writer

    def writerow(self, values) -> None:
        self._writer.writerow([cell_value(v) for v in values])

    def writerows(self, rows) -> None:
        for values in rows:
            self.writerow(values)


def csv_writer(stream):
    """A csv writer (every field quoted) whose cells go through ``cell_value``."""
    return _SafeWriter(csv.writer(stream, quoting=csv.QUOTE_ALL))
