"""The roster as an Excel workbook, masked, with formula-looking cells neutralised (core.spreadsheets)."""

from __future__ import annotations

import io

from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from gongzhi.core.personal import mask_address, mask_id_number, mask_phone
from gongzhi.core.spreadsheets import neutralise, xlsx_book


def write_cell(sheet, row: int, col: int, value) -> None:
    """One cell as text, a formula-looking text with a leading apostrophe."""
    sheet.write_string(row, col, neutralise("" if value is None else str(value)))


def roster_workbook(members) -> tuple[bytes, int]:
    buffer = io.BytesIO()
    book = xlsx_book(buffer)
    sheet = book.add_worksheet(_("Party members")[:31])
    headers = [pgettext("person", "Name"), _("Sex"), _("Branch"), _("ID number"), _("Date of birth"), _("Education"),
               pgettext("member", "Category"), _("Status"), _("Date joined"), _("Mobile number"), _("Home address")]
    for col, header in enumerate(headers):
        write_cell(sheet, 0, col, header)
    rows = 0
    for rows, m in enumerate(members, start=1):
        values = [m.name, m.get_sex_display(), m.home_org.name if m.home_org else m.home_org_name,
                  mask_id_number(m.id_number), m.birth_date.isoformat(), m.get_education_display(),
                  m.get_category_display(), m.get_status_display(), m.joined_on.isoformat(),
                  mask_phone(m.mobile), mask_address(m.address)]
        for col, value in enumerate(values):
            write_cell(sheet, rows, col, value)
    book.close()
    return buffer.getvalue(), rows
