"""A co-building unit's service certificate (.docx): its members' volunteer hours in a year."""

from __future__ import annotations

from decimal import Decimal
from io import BytesIO

from django.db.models import Count, Sum
from django.utils import timezone
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt

from .models import CheckIn


def unit_service(unit, year: int) -> list[dict]:
    """Per member held in the unit's party organization: activities attended and hours (one query)."""
    return list(CheckIn.objects.filter(member__home_org__path__startswith=unit.organization.path,
                                       checked_in_at__year=year, hours__isnull=False)
                .values("member_id", "member__name")
                .annotate(hours=Sum("hours"), activities=Count("id"))
                .order_by("-hours", "member__name"))


def _hours(value) -> Decimal:
    return Decimal(str(value or 0)).quantize(Decimal("0.01"))


def certificate_docx(unit, year: int, rows: list[dict], issuer: str) -> bytes:
    doc = Document()
    title = doc.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = title.add_run("共驻共建志愿服务证明")
    run.bold, run.font.size = True, Pt(20)
    total = sum((_hours(r["hours"]) for r in rows), Decimal(0))
    doc.add_paragraph(
        f"兹证明{unit.name}党员于{year}年度积极参加社区志愿服务，共{len(rows)}名党员参加，"
        f"累计服务{total}小时。明细如下：")
    table = doc.add_table(rows=1, cols=3)
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, ("姓名", "参加活动（次）", "服务时长（小时）"), strict=True):
        cell.text = text
    for r in rows:
        cells = table.add_row().cells
        cells[0].text, cells[1].text, cells[2].text = r["member__name"], str(r["activities"]), str(_hours(r["hours"]))
    doc.add_paragraph("")
    sign = doc.add_paragraph(f"{issuer}\n{timezone.localdate():%Y年%m月%d日}")
    sign.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    out = BytesIO()
    doc.save(out)
    return out.getvalue()
