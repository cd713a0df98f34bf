"""Recognition API, under the points prefix it had before: one's own summary (points, service,
rank when shown to members, titles); rankings and activation of an organization; titles and who
holds them. Same scoping and permissions as the pages."""

from datetime import date
from decimal import Decimal
from typing import Literal

from django.utils import timezone
from ninja import Query, Router, Schema
from ninja.pagination import paginate

from gongzhi.core.edge import api_require
from gongzhi.core.exact import tenths
from gongzhi.core.periods import Day, Year
from gongzhi.core.scoping import get_visible_or_404
from gongzhi.members.models import Member
from gongzhi.orgs.models import Organization
from gongzhi.points import selectors as points_selectors
from gongzhi.points import services as points_services
from gongzhi.points.permissions import can_read_rules

from . import badges, selectors

router = Router(tags=["points"])


def _member(user) -> Member:
    member = Member.objects.filter(user=user).select_related("home_org", "community").first()
    api_require(member is not None)
    return member


class RankOut(Schema):
    rank: int
    of: int
    organization: str


class MineOut(Schema):
    year: int
    points_this_year: Decimal
    points_in_all: Decimal
    service_hours: Decimal
    activities: int
    rank: RankOut | None
    titles: list[str]


@router.get("/mine", response=MineOut)
def mine(request, year: Year | None = None):
    """One's own points for a year (default: this year), in all, service, rank (when the
    community shows members their rank) and titles."""
    member = _member(request.user)
    year = year or timezone.localdate().year
    figures = badges.member_figures(member, year)
    rank = None
    if member.community is not None and points_selectors.rankings_visible(member):
        found = points_selectors.member_rank(member, member.community, date(year, 1, 1), date(year, 12, 31))
        if found is not None:
            rank = {"rank": found[0], "of": found[1], "organization": member.community.name}
    return {"year": year, "points_this_year": figures.points, "points_in_all": points_services.balance(member),
            "service_hours": figures.hours, "activities": figures.activities, "rank": rank,
            "titles": [b.name for b in badges.earned(badges.badges_in_force(
                member.home_org, member.community), figures)]}




class MemberTotalOut(Schema):
    rank: int
    member_id: int
    name: str
    branch: str | None
    points: Decimal


class GroupTotalOut(Schema):
    id: int | None
    name: str | None
    members: int
    points: Decimal


class ActivationOut(Schema):
    members: int
    active: int
    rate: float | None


class RankingsOut(Schema):
    organization_id: int
    period: str
    start: date
    end: date
    members: list[MemberTotalOut]
    branches: list[GroupTotalOut]
    groups: list[GroupTotalOut]
    units: list[GroupTotalOut]
    activation: ActivationOut


@router.get("/rankings/{int:org_id}", response=RankingsOut)
def rankings(request, org_id: int, period: Literal["month", "quarter", "year"] = "year", on: Day | None = None,
             limit: int = Query(100, ge=1, le=500)):
    """Rankings of an organization's subtree for the month, quarter or year containing ``on``
    (default today): members (top ``limit``, ties share a rank), branches, party groups and
    co-building units; and the activation rate."""
    org = get_visible_or_404(Organization, request.user, pk=org_id)
    api_require(can_read_rules(request.user, org))
    start, end = points_selectors.period_bounds(period, on or timezone.localdate())
    members, rank, previous = [], 0, None
    for position, row in enumerate(points_selectors.member_totals(org, start, end)[:limit], start=1):
        if row["total"] != previous:
            rank, previous = position, row["total"]
        members.append({"rank": rank, "member_id": row["pk"], "name": row["name"], "branch": row["home_org__name"],
                        "points": tenths(row["total"])})
    activation = selectors.activation(org, start, end)
    return {
        "organization_id": org.pk, "period": period, "start": start, "end": end, "members": members,
        "branches": [{"id": r["member__home_org_id"], "name": r["member__home_org__name"], "members": r["members"],
                      "points": tenths(r["total"])} for r in points_selectors.branch_totals(org, start, end)],
        "groups": [{"id": r["member__building__group_id"], "name": r["member__building__group__name"],
                    "members": r["members"], "points": tenths(r["total"])}
                   for r in points_selectors.group_totals(org, start, end)[:limit]],
        "units": [{"id": r["pk"], "name": r["name"], "members": r["members"], "points": tenths(r["total"])}
                  for r in points_selectors.unit_totals(org, start, end)[:limit]],
        "activation": {"members": activation["total"], "active": activation["active"], "rate": activation["rate"]},
    }


class HolderOut(Schema):
    member_id: int
    name: str
    branch: str | None
    value: Decimal


class TitleOut(Schema):
    id: int
    name: str
    icon: str
    metric: str
    threshold: Decimal
    description: str
    organization: str
    holders: list[HolderOut]


@router.get("/titles/{int:org_id}", response=list[TitleOut])
@paginate
def titles(request, org_id: int, year: Year | None = None):
    """Titles in force at an organization and the members of its subtree who hold them in ``year``."""
    org = get_visible_or_404(Organization, request.user, pk=org_id)
    api_require(can_read_rules(request.user, org))
    year = year or timezone.localdate().year
    return [{"id": item.badge.pk, "name": item.badge.name, "icon": item.badge.icon, "metric": item.badge.metric,
             "threshold": item.badge.threshold, "description": item.badge.description,
             "organization": item.badge.organization.name,
             "holders": [{"member_id": h.member_id, "name": h.name, "branch": h.branch, "value": Decimal(h.value)}
                         for h in item.holders]}
            for item in badges.holders(org, year)]


