"""Feedback to employer and co-building units (双报到反馈): for each member whose membership is held in the unit
and whose dual reporting a community accepted, the member's service in that community over a quarter or a
half-year — activities served, hours, points earned there, posts held — and the community's evaluation of
the year. A few queries for all the members, whatever their number."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime, time, timedelta
from decimal import Decimal

from django.conf import settings
from django.db.models import Count, Q, Sum
from django.utils import timezone

from gongzhi.core.periods import Period
from gongzhi.members.models import Member, Post, Reporting, ReportingStatus

from .models import MemberEvaluation


#: How often communities report back to units: "quarter" (default) or "half".
def feedback_period_kind() -> str:
    kind = getattr(settings, "GONGZHI_UNIT_FEEDBACK_PERIOD", "quarter")
    return kind if kind in ("quarter", "half") else "quarter"


def reported_members(unit, community):
    """Current members held in the unit's organization whose reporting to ``community`` was accepted."""
    return (Member.objects.held_in(unit.organization).current()
            .filter(pk__in=Reporting.objects.filter(community=community, status=ReportingStatus.ACCEPTED)
                    .values("member_id"))
            .order_by("name_initials", "pk"))


def _bounds(period: Period):
    zone = timezone.get_current_timezone()
    return (timezone.make_aware(datetime.combine(period.start, time.min), zone),
            timezone.make_aware(datetime.combine(period.end + timedelta(days=1), time.min), zone))


def rows(unit, community, period: Period) -> list[dict]:
    """One row per reported member: name, activities, hours, points, posts, the year's evaluation."""
    from gongzhi.points.models import PointEntry
    from gongzhi.service.models import CheckIn

    members = list(reported_members(unit, community))
    ids = [m.pk for m in members]
    start, end = _bounds(period)
    served = {r["member_id"]: r for r in CheckIn.objects.filter(
        member_id__in=ids, checked_in_at__gte=start, checked_in_at__lt=end, hours__isnull=False,
        activity__organization__path__startswith=community.path).values("member_id").annotate(
        n=Count("id"), h=Sum("hours")).order_by()}
    points = dict(PointEntry.objects.filter(member_id__in=ids, occurred_on__gte=period.start,
                                            occurred_on__lte=period.end,
                                            organization__path__startswith=community.path)
                  .values_list("member_id").annotate(p=Sum("points")).order_by())
    posts = defaultdict(list)
    for post in Post.objects.filter(member_id__in=ids, organization__path__startswith=community.path,
                                    starts_on__lte=period.end).filter(
            Q(ends_on__isnull=True) | Q(ends_on__gt=period.start)).order_by("starts_on", "pk"):
        posts[post.member_id].append(post.title)
    evaluations = {e.member_id: e for e in MemberEvaluation.objects.filter(
        member_id__in=ids, community=community, year=period.end.year)}
    result = []
    for member in members:
        evaluation = evaluations.get(member.pk)
        result.append({
            "member_id": member.pk, "name": member.name,
            "activities": served.get(member.pk, {}).get("n", 0),
            "hours": str(Decimal(served.get(member.pk, {}).get("h") or 0).quantize(Decimal("0.01"))),
            "points": str(Decimal(points.get(member.pk) or 0).quantize(Decimal("0.1"))),
            "posts": posts.get(member.pk, []),
            "evaluation": evaluation.grade if evaluation else "",
            "evaluation_label": str(evaluation.get_grade_display()) if evaluation else "",
            "comment": evaluation.comment if evaluation else "",
        })
    return result


def feedback_docx(feedback) -> bytes:
    """The feedback as a Word document for the unit: a letter with one table."""
    from io import BytesIO

    from django.utils import translation
    from django.utils.translation import gettext as _
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    from . import wordfonts

    document = Document()
    title = document.add_heading(_("Feedback on the community service of your reported members"), level=1)
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    document.add_paragraph(_("To %(unit)s: the service in %(community)s of your members who reported there, "
                             "%(period)s.") % {"unit": feedback.unit.name, "community": feedback.community.name,
                                               "period": feedback.period.label})
    table = document.add_table(rows=1, cols=6)
    table.style = "Table Grid"
    header = [_("Name of the member"), _("Activities"), _("Hours"), _("Points earned"), _("Posts held"),
              _("Evaluation of the year")]
    for cell, text in zip(table.rows[0].cells, header, strict=True):
        cell.text = text
    for row in feedback.rows:
        cells = table.add_row().cells
        cells[0].text = row["name"]
        cells[1].text = str(row["activities"])
        cells[2].text = row["hours"]
        cells[3].text = row["points"]
        cells[4].text = "、".join(row["posts"])
        cells[5].text = " ".join(t for t in (row["evaluation_label"], row["comment"]) if t)
    signed = document.add_paragraph(f"{feedback.community.name}  {timezone.localtime(feedback.sent_at):%Y-%m-%d}")
    signed.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    wordfonts.apply(document, chinese=translation.get_language().startswith("zh"))
    buffer = BytesIO()
    document.save(buffer)
    return buffer.getvalue()
