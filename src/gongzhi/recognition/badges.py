"""Titles and badges, and the nomination list for the outstanding party member selection.

A badge holds for a year when the member's figure for that year (points from the totals summary,
service hours and activities from the check-ins) reaches its threshold: nothing is stored per
member, so a reversal or a corrected check-out changes who holds it at once. Badges of an
organization apply to its whole subtree; a member sees those of the organizations above his or
her branch and community. Every function here issues a fixed number of queries.
"""

from __future__ import annotations

import operator
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from functools import reduce

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q, Sum
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from gongzhi.core import audit
from gongzhi.core.exact import tenths
from gongzhi.core.scoping import ancestor_paths
from gongzhi.orgs.models import STEP
from gongzhi.points.models import PointEntry, PointTotal, RuleCode
from gongzhi.points.selectors import member_totals, subtree_members

from .models import Badge, BadgeMetric

ZERO = Decimal(0)
DEDUCTIONS = (RuleCode.NO_SHOW, RuleCode.MEETING_ABSENCE, RuleCode.MANUAL_DEDUCTION)


@dataclass
class Figures:
    points: Decimal = ZERO
    hours: Decimal = ZERO
    activities: int = 0

    def value(self, metric: str):
        return getattr(self, metric)


@dataclass
class Holder:
    member_id: int
    name: str
    branch: str
    value: Decimal | int


@dataclass
class BadgeHolders:
    badge: Badge
    holders: list[Holder] = field(default_factory=list)


def badges_in_force(*organizations) -> list[Badge]:
    """Active badges of the organizations and of those above them (one query)."""
    paths = set()
    for org in organizations:
        if org is not None:
            paths.update(ancestor_paths(org.path, STEP))
    return list(Badge.objects.filter(organization__path__in=sorted(paths), is_active=True)
                .select_related("organization").order_by("organization__path", "metric", "threshold", "name"))


def add_badge(badge: Badge, *, by, request=None) -> Badge:
    if badge.threshold is None or badge.threshold <= 0:
        raise ValidationError({"threshold": _("The threshold must be above zero.")})
    if badge.metric == BadgeMetric.ACTIVITIES and badge.threshold != badge.threshold.to_integral_value():
        raise ValidationError({"threshold": _("A number of activities is a whole number.")})
    if Badge.objects.filter(organization=badge.organization, name=badge.name).exists():
        raise ValidationError({"name": _("This organization already has a title of that name.")})
    with transaction.atomic():
        badge.created_by = by
        badge.save()
        audit.record(actor=by, action="recognition.badge.add", obj=badge, organization=badge.organization,
                     request=request, detail={"metric": badge.metric, "threshold": str(badge.threshold)})
    return badge


def set_badge_active(badge: Badge, active: bool, *, by, request=None) -> None:
    with transaction.atomic():
        Badge.objects.filter(pk=badge.pk).update(is_active=active)
        audit.record(actor=by, action="recognition.badge.award" if active else "recognition.badge.withdraw", obj=badge,
                     organization=badge.organization, request=request)


def _service_figures(members, year: int):
    from gongzhi.service.models import CheckIn

    return (CheckIn.objects.filter(member__in=members, checked_in_at__year=year).order_by()
            .values("member_id").annotate(hours=Sum("hours"), activities=Count("pk")))


def _tenth(value) -> Decimal:
    return tenths(value)


def member_figures(member, year: int) -> Figures:
    """One member's points, service hours and activities in a year (two queries)."""
    total = PointTotal.objects.filter(member=member, year=year, month=0).values_list("points", flat=True).first()
    service = next(iter(_service_figures([member.pk], year)), None) or {}
    return Figures(points=_tenth(total), hours=_tenth(service.get("hours")),
                   activities=service.get("activities", 0))


def earned(badges: list[Badge], figures: Figures) -> list[Badge]:
    return [b for b in badges if figures.value(b.metric) >= b.threshold]


def member_badges(member, year: int) -> list[Badge]:
    """The titles a member holds for a year (three queries)."""
    badges = badges_in_force(member.home_org, member.community)
    return earned(badges, member_figures(member, year)) if badges else []


def holders(organization, year: int) -> list[BadgeHolders]:
    """Each badge in force at the organization with the subtree's members who hold it for the year,
    highest figure first (at most four queries)."""
    badges = badges_in_force(organization)
    if not badges:
        return []
    members = subtree_members(organization).values("pk")
    lowest = {metric: min((b.threshold for b in badges if b.metric == metric), default=None)
              for metric in BadgeMetric.values}
    figures: dict[int, Figures] = {}
    if lowest["points"] is not None:
        for member_id, points in (PointTotal.objects.filter(member__in=members, year=year, month=0,
                                                            points__gte=lowest["points"])
                                  .values_list("member_id", "points")):
            figures.setdefault(member_id, Figures()).points = _tenth(points)
    if lowest["hours"] is not None or lowest["activities"] is not None:
        reach = [Q(**{f"{metric}__gte": lowest[metric]}) for metric in ("hours", "activities")
                 if lowest[metric] is not None]
        for row in _service_figures(members, year).filter(reduce(operator.or_, reach)):
            found = figures.setdefault(row["member_id"], Figures())
            found.hours, found.activities = _tenth(row["hours"]), row["activities"]
    names = {}
    if figures:
        from gongzhi.members.models import Member

        names = {pk: (name, branch or home_name) for pk, name, branch, home_name in
                 Member.objects.filter(pk__in=list(figures)).values_list("pk", "name", "home_org__name",
                                                                          "home_org_name")}
    result = []
    for badge in badges:
        found = [Holder(member_id, *names[member_id], value=f.value(badge.metric))
                 for member_id, f in figures.items() if f.value(badge.metric) >= badge.threshold and member_id in names]
        found.sort(key=lambda h: (-h.value, h.name, h.member_id))
        result.append(BadgeHolders(badge, found))
    return result


@dataclass
class Nominee:
    rank: int
    member_id: int
    name: str
    branch: str
    status: str
    category: str
    mobile: str
    points: Decimal
    hours: Decimal
    activities: int
    grade: str
    deductions: int
    badges: list[str]


def nominations(organization, year: int, *, limit: int = 50, full_members_only: bool = True,
                exclude_low_grades: bool = True) -> list[Nominee]:
    """The nomination list for the outstanding party member selection of a year: the subtree's
    members with points, highest first, with their service, their appraisal grade and their
    deductions (at most seven queries, whatever the subtree's size).

    By default it leaves out probationary members and members graded "basically qualified" or
    "unqualified" in that year's appraisal; those rules are the selection's usual practice.
    """
    from gongzhi.meetings.models import Grade, Participant
    from gongzhi.members.models import Member, MemberStatus

    start, end = date(year, 1, 1), date(year, 12, 31)
    rows = member_totals(organization, start, end).filter(total__gt=0)
    if full_members_only:
        rows = rows.filter(status=MemberStatus.FULL)
    if exclude_low_grades:
        low = Participant.objects.filter(appraisal__year=year, grade__in=[Grade.BASIC, Grade.UNQUALIFIED])
        rows = rows.exclude(pk__in=low.values("member_id"))
    rows = list(rows[:limit])
    if not rows:
        return []
    ids = [row["pk"] for row in rows]
    service = {row["member_id"]: row for row in _service_figures(ids, year)}
    grades = dict(Participant.objects.filter(appraisal__year=year, member_id__in=ids).exclude(grade="")
                  .values_list("member_id", "grade"))
    reversed_ids = PointEntry.objects.filter(reverses__isnull=False).values("reverses_id")
    deductions = dict(PointEntry.objects.filter(member_id__in=ids, code__in=DEDUCTIONS, occurred_on__year=year)
                      .exclude(pk__in=reversed_ids).order_by().values("member_id").annotate(n=Count("pk"))
                      .values_list("member_id", "n"))
    details = {m.pk: m for m in Member.objects.filter(pk__in=ids).only("status", "category", "mobile")}
    badges = badges_in_force(organization)
    grade_labels = dict(Grade.choices)
    result, rank, previous = [], 0, None
    for position, row in enumerate(rows, start=1):
        if row["total"] != previous:
            rank, previous = position, row["total"]
        s = service.get(row["pk"], {})
        figures = Figures(points=_tenth(row["total"]), hours=_tenth(s.get("hours")),
                          activities=s.get("activities", 0))
        member = details[row["pk"]]
        result.append(Nominee(
            rank=rank, member_id=row["pk"], name=row["name"], branch=row["home_org__name"] or "",
            status=member.get_status_display(), category=member.get_category_display(), mobile=member.mobile,
            points=figures.points, hours=figures.hours, activities=figures.activities,
            grade=str(grade_labels.get(grades.get(row["pk"], ""), "")), deductions=deductions.get(row["pk"], 0),
            badges=[b.name for b in earned(badges, figures)]))
    return result


def nominations_workbook(organization, year: int, nominees: list[Nominee]) -> bytes:
    """The nomination list as .xlsx, mobile numbers masked, every cell written as text."""
    import io

    from gongzhi.core.personal import mask_phone
    from gongzhi.core.spreadsheets import xlsx_book
    from gongzhi.members.export import write_cell

    buffer = io.BytesIO()
    book = xlsx_book(buffer)
    sheet = book.add_worksheet(str(year))
    write_cell(sheet, 0, 0, _("Nomination list for outstanding party members, %(org)s, %(year)s")
               % {"org": organization.name, "year": year})
    headers = [_("Rank"), pgettext("person", "Name"), _("Branch"), _("Status"), pgettext("member", "Category"),
               _("Mobile number"), _("Points"), _("Service hours"), pgettext("count", "Activities"),
               _("Appraisal grade"), _("Deductions"), _("Titles")]
    for col, header in enumerate(headers):
        write_cell(sheet, 1, col, header)
    for row, n in enumerate(nominees, start=2):
        values = [n.rank, n.name, n.branch, n.status, n.category, mask_phone(n.mobile), n.points, n.hours,
                  n.activities, n.grade, n.deductions, "、".join(n.badges)]
        for col, value in enumerate(values):
            write_cell(sheet, row, col, value)
    book.close()
    return buffer.getvalue()
