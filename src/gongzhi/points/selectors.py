"""Rankings for an organization's subtree (points only); each figure is one aggregate query. The
activation rate, which reads the domain apps' service records, lives in ``recognition.selectors``.

"Members of the subtree" are current members held (home_org) or living (community) there.
Points for a whole month, quarter or year are read from the totals summary (``PointTotal``,
one row per member and month or year); any other period is summed from the ledger.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from django.db.models import Count, DecimalField, FilteredRelation, OuterRef, Q, Value
from django.db.models.functions import Coalesce

from gongzhi.core.exact import ExactSum
from gongzhi.members.models import Member

from .models import PointEntry, PointTotal

PERIODS = ("month", "quarter", "year")


def period_bounds(kind: str, on: date) -> tuple[date, date]:
    """First and last day of the month, quarter or year containing ``on``."""
    if kind == "year":
        return date(on.year, 1, 1), date(on.year, 12, 31)
    if kind == "quarter":
        first_month = (on.month - 1) // 3 * 3 + 1
        start = date(on.year, first_month, 1)
        months = 3
    elif kind == "month":
        start, months = date(on.year, on.month, 1), 1
    else:
        raise ValueError(kind)
    year, month = divmod(start.month - 1 + months, 12)
    return start, date(start.year + year, month + 1, 1) - timedelta(days=1)


def summary_period(start: date, end: date) -> tuple[int, list[int]] | None:
    """(year, months) when [start, end] is a whole month, quarter or year (month 0 = the year row
    of the summary); None for any other period."""
    if start.year != end.year or start.day != 1 or (end + timedelta(days=1)).day != 1:
        return None
    if (start.month, end.month) == (1, 12):
        return start.year, [0]
    return start.year, list(range(start.month, end.month + 1))


def subtree_members(organization, *, joined: bool = False):
    return Member.objects.in_subtree(organization, joined=joined).current()


def member_totals(organization, start: date, end: date):
    """Members of the subtree with their points in the period, highest first (one query)."""
    decimal = DecimalField(max_digits=10, decimal_places=1)
    summary = summary_period(start, end)
    if summary is not None and len(summary[1]) == 1:
        # A whole month or year is one summary row per member (unique): read, not grouped and summed.
        (year, (month,)) = summary
        relation = FilteredRelation("point_totals", condition=Q(point_totals__year=year, point_totals__month=month))
        return (subtree_members(organization)
                .annotate(period_points=relation)
                .values("pk", "name", "home_org__name")
                .annotate(total=Coalesce("period_points__points", Value(Decimal(0)), output_field=decimal))
                .order_by("-total", "name", "pk"))
    if summary is not None:
        year, months = summary
        relation = FilteredRelation("point_totals", condition=Q(point_totals__year=year,
                                                                 point_totals__month__in=months))
    else:
        relation = FilteredRelation("point_entries", condition=Q(point_entries__occurred_on__gte=start,
                                                                  point_entries__occurred_on__lte=end))
    return (subtree_members(organization, joined=summary is None)  # the ledger's entries: see ``in_subtree``
            .annotate(period_points=relation)
            .values("pk", "name", "home_org__name")  # group by these only
            .annotate(total=Coalesce(ExactSum("period_points__points"), Value(Decimal(0)), output_field=decimal))
            .order_by("-total", "name", "pk"))


def _points_in(start: date, end: date):
    """Rows carrying ``member`` and ``points`` for the period: summary rows when it is a whole
    month, quarter or year, ledger entries otherwise."""
    summary = summary_period(start, end)
    if summary is not None:
        return PointTotal.objects.filter(year=summary[0], month__in=summary[1])
    return PointEntry.objects.filter(occurred_on__gte=start, occurred_on__lte=end)


def _members_counted(start: date, end: date) -> Count:
    """How many members the rows of ``_points_in`` count: a whole month or year has one summary row per member,
    counted as they are (no DISTINCT, which would sort every row of the group)."""
    summary = summary_period(start, end)
    return Count("member_id", distinct=summary is None or len(summary[1]) > 1)


def branch_totals(organization, start: date, end: date):
    """Points in the period per member's home branch within the subtree, highest first (one query)."""
    return (_points_in(start, end)
            .filter(member__home_org__path__startswith=organization.path)
            .values("member__home_org_id", "member__home_org__name")
            .annotate(total=ExactSum("points"), members=_members_counted(start, end))
            .order_by("-total", "member__home_org__name"))


def group_totals(organization, start: date, end: date):
    """Points in the period per building party group (the group of the member's building), highest first
    (one query)."""
    return (_points_in(start, end)
            .filter(member__building__group__path__startswith=organization.path)
            .values("member__building__group_id", "member__building__group__name")
            .annotate(total=ExactSum("points"), members=_members_counted(start, end))
            .order_by("-total", "member__building__group__name"))


def unit_totals(organization, start: date, end: date):
    """Co-building units with an agreement in the subtree, with the points their reported members
    (membership held in the unit, dual reporting accepted by a community of the subtree) earned in
    the period, highest first (one query)."""
    from django.db.models import Subquery

    from gongzhi.members.models import Reporting, ReportingStatus
    from gongzhi.orgs.models import CoBuildingUnit

    reported = Reporting.objects.filter(status=ReportingStatus.ACCEPTED,
                                        community__path__startswith=organization.path).values("member_id")
    points = (_points_in(start, end)
              .filter(member__home_org__path__startswith=OuterRef("organization__path"), member_id__in=reported)
              .order_by().annotate(one=Value(1)).values("one").annotate(total=ExactSum("points")).values("total"))
    members = (Member.objects.filter(home_org__path__startswith=OuterRef("organization__path"), pk__in=reported)
               .order_by().annotate(one=Value(1)).values("one").annotate(n=Count("pk")).values("n"))
    decimal = DecimalField(max_digits=10, decimal_places=1)
    return (CoBuildingUnit.objects
            .filter(organization__isnull=False,
                    pk__in=CoBuildingUnit.objects.filter(agreements__community__path__startswith=organization.path)
                    .values("pk"))
            .annotate(total=Coalesce(Subquery(points, output_field=decimal), Value(Decimal(0)), output_field=decimal),
                      members=Coalesce(Subquery(members), Value(0)))
            .order_by("-total", "name")
            .values("pk", "name", "total", "members"))


def member_rank(member, organization, start: date, end: date) -> tuple[int, int] | None:
    """(rank, of how many) for one member among the subtree's members (ties share a rank); three
    queries whatever the subtree's size."""
    totals = member_totals(organization, start, end)
    own = totals.filter(pk=member.pk).first()
    if own is None:
        return None
    return 1 + totals.filter(total__gt=own["total"]).count(), subtree_members(organization).count()


def rankings_visible(member) -> bool:
    """Whether an organization on the member's branch or community path lets members see their rank."""
    from gongzhi.core.scoping import ancestor_paths
    from gongzhi.orgs.models import STEP

    from .models import OrgPointsSettings

    paths = set()
    for org in (member.home_org, member.community):
        if org is not None:
            paths.update(ancestor_paths(org.path, STEP))
    return OrgPointsSettings.objects.filter(organization__path__in=paths, rankings_visible_to_members=True).exists()
