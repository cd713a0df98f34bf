"""What a co-building unit sees of its reported members' community service, and their yearly
service certificates (.docx): one page per member, issued in the name of the community each member
reported to (双报到), with the activities, hours and points of the year."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime
from decimal import Decimal
from io import BytesIO

from django.db.models import Count, DecimalField, IntegerField, OuterRef, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.shared import Pt

from gongzhi.members.models import Member, Reporting, ReportingStatus

from .models import CheckIn


def year_bounds(year: int) -> tuple[datetime, datetime]:
    """The local year as an aware datetime range, so the check-in time index serves."""
    zone = timezone.get_current_timezone()
    return datetime(year, 1, 1, tzinfo=zone), datetime(year + 1, 1, 1, tzinfo=zone)


def _served(year: int):
    start, end = year_bounds(year)
    return CheckIn.objects.filter(member=OuterRef("pk"), checked_in_at__gte=start, checked_in_at__lt=end,
                                  hours__isnull=False)


def reported_members(unit, user, year: int):
    """The current members held in the unit's party organization whose dual reporting a community
    accepted, as far as ``user`` may see them, with the community, activities, hours and points of
    the year (one query)."""
    from gongzhi.points.models import PointTotal

    accepted = Reporting.objects.filter(member=OuterRef("pk"), status=ReportingStatus.ACCEPTED)
    served = _served(year).values("member")
    decimal = DecimalField(max_digits=10, decimal_places=2)
    return (Member.objects.visible_to(user).held_in(unit.organization).current()
            .filter(pk__in=Reporting.objects.filter(status=ReportingStatus.ACCEPTED).values("member_id"))
            .annotate(
                reported_to=Subquery(accepted.order_by("-decided_at", "-id").values("community__name")[:1]),
                activities=Coalesce(Subquery(served.annotate(n=Count("id")).values("n")), Value(0),
                                    output_field=IntegerField()),
                hours=Coalesce(Subquery(served.annotate(h=Sum("hours")).values("h")), Value(Decimal(0)),
                               output_field=decimal),
                points=Coalesce(Subquery(PointTotal.objects.filter(member=OuterRef("pk"), year=year, month=0)
                                         .values("points")[:1]), Value(Decimal(0)), output_field=decimal),
            )
            .order_by("-hours", "name", "pk"))


def unit_totals(members, year: int) -> dict:
    """Members, members who served, hours and points of :func:`reported_members` (three queries)."""
    from gongzhi.points.models import PointTotal

    start, end = year_bounds(year)
    ids = members.order_by().values("pk")
    served = CheckIn.objects.filter(member__in=ids, checked_in_at__gte=start, checked_in_at__lt=end,
                                    hours__isnull=False).aggregate(people=Count("member_id", distinct=True),
                                                                   hours=Sum("hours"))
    points = PointTotal.objects.filter(member__in=ids, year=year, month=0).aggregate(points=Sum("points"))
    return {"people": members.count(), "served": served["people"], "hours": served["hours"] or Decimal(0),
            "points": points["points"] or Decimal(0)}


def service_records(members, year: int) -> dict[int, list]:
    """Each member's check-ins of the year with hours, oldest first (one query)."""
    start, end = year_bounds(year)
    records = defaultdict(list)
    for checkin in (CheckIn.objects.filter(member__in=members, checked_in_at__gte=start, checked_in_at__lt=end,
                                           hours__isnull=False)
                    .select_related("activity__organization").order_by("checked_in_at", "id")):
        records[checkin.member_id].append(checkin)
    return records


def _hours(value) -> Decimal:
    return Decimal(str(value or 0)).quantize(Decimal("0.01"))


def _points(value) -> Decimal:
    return Decimal(str(value or 0)).quantize(Decimal("0.1"))


def _heading(doc, text: str) -> None:
    title = doc.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = title.add_run(text)
    run.bold, run.font.size = True, Pt(20)


def _signature(doc, issuer: str) -> None:
    doc.add_paragraph("")
    sign = doc.add_paragraph(f"{issuer}（盖章）\n{timezone.localdate():%Y年%m月%d日}")
    sign.alignment = WD_ALIGN_PARAGRAPH.RIGHT


def _table(doc, header: tuple[str, ...], rows: list[tuple[str, ...]]) -> None:
    table = doc.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, header, strict=True):
        cell.text = text
    for row in rows:
        for cell, text in zip(table.add_row().cells, row, strict=True):
            cell.text = text


def _member_page(doc, unit, member, records: list, year: int) -> None:
    community = member.reported_to
    _heading(doc, "志愿服务证明")
    doc.add_paragraph(
        f"兹证明{member.name}同志（{unit.name}党员）{year}年度在{community}报到服务，"
        f"参加社区志愿服务活动{member.activities}次，累计服务{_hours(member.hours)}小时，"
        f"获得党员积分{_points(member.points)}分。服务记录如下：")
    _table(doc, ("日期", "活动", "组织单位", "服务时长（小时）"), [
        (f"{timezone.localtime(c.checked_in_at):%Y-%m-%d}", c.activity.title, c.activity.organization.name,
         str(_hours(c.hours))) for c in records])
    doc.add_paragraph("特此证明。")
    _signature(doc, community)


def certificate_docx(unit, year: int, members: list, records: dict[int, list], *, summary: bool) -> bytes:
    """The certificates of ``members`` (from :func:`reported_members`), a page each; with
    ``summary`` a first page lists them all with the unit's totals."""
    doc = Document()
    if summary:
        communities = sorted({m.reported_to for m in members if m.reported_to})
        _heading(doc, "共驻共建志愿服务证明")
        total = sum((_hours(m.hours) for m in members), Decimal(0))
        doc.add_paragraph(
            f"兹证明{unit.name}党员于{year}年度积极参加社区志愿服务，共{len(members)}名党员参加，"
            f"累计服务{total}小时。明细如下：")
        _table(doc, ("姓名", "报到社区", "参加活动（次）", "服务时长（小时）", "积分"), [
            (m.name, m.reported_to or "", str(m.activities), str(_hours(m.hours)), str(_points(m.points)))
            for m in members])
        _signature(doc, "、".join(communities) or unit.organization.name)
    for index, member in enumerate(members):
        if summary or index:
            doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
        _member_page(doc, unit, member, records.get(member.pk, []), year)
    out = BytesIO()
    doc.save(out)
    return out.getvalue()
