"""Points API: one's own balance, titles and history; the scoped ledger; rankings and activation of
an organization; titles and who holds them; the points shop and redeeming (idempotent by key, the
same key as the page's form). Same scoping and permissions as the pages."""

from datetime import date
from decimal import Decimal
from typing import Literal

from django.utils import timezone
from ninja import Field, Query, Router, Schema, Status
from ninja.errors import HttpError
from ninja.pagination import paginate

from gongzhi.core.api_types import ErrorOut, ObjectId, Rows
from gongzhi.core.periods import Day, Year, parse_month
from gongzhi.core.scoping import get_visible_or_404
from gongzhi.members.models import Member
from gongzhi.orgs.models import Organization

from . import badges as badge_service
from . import selectors, services
from . import shop as shop_service
from .models import PointEntry, Redemption, Reward, RuleCode
from .permissions import can_read_ledger, can_read_rules, can_use_shop

router = Router(tags=["points"])


def _refuse_unless(allowed: bool) -> None:
    if not allowed:
        raise HttpError(404, "Not found")


def _member(user) -> Member:
    member = Member.objects.filter(user=user).select_related("home_org", "community").first()
    _refuse_unless(member is not None)
    return member


class EntryOut(Schema):
    id: int
    member_id: int
    member: str
    organization_id: int
    organization: str
    points: Decimal
    code: str
    code_label: str
    hours: Decimal | None
    occurred_on: date
    reason: str
    reverses_id: int | None


def _entry_row(e: PointEntry) -> dict:
    return {"id": e.pk, "member_id": e.member_id, "member": e.member.name, "organization_id": e.organization_id,
            "organization": e.organization.name, "points": e.points, "code": e.code,
            "code_label": str(e.get_code_display()), "hours": e.hours, "occurred_on": e.occurred_on,
            "reason": e.reason, "reverses_id": e.reverses_id}


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
    figures = badge_service.member_figures(member, year)
    rank = None
    if member.community is not None and selectors.rankings_visible(member):
        found = selectors.member_rank(member, member.community, date(year, 1, 1), date(year, 12, 31))
        if found is not None:
            rank = {"rank": found[0], "of": found[1], "organization": member.community.name}
    return {"year": year, "points_this_year": figures.points, "points_in_all": services.balance(member),
            "service_hours": figures.hours, "activities": figures.activities, "rank": rank,
            "titles": [b.name for b in badge_service.earned(badge_service.badges_in_force(
                member.home_org, member.community), figures)]}


def _entry_rows(page) -> list[dict]:
    return [_entry_row(e) for e in page]


@router.get("/mine/entries", response=list[EntryOut])
@paginate
def my_entries(request):
    """One's own ledger, newest first."""
    member = _member(request.user)
    return Rows(PointEntry.objects.filter(member=member).select_related("member", "organization")
                .order_by("-occurred_on", "-id"), _entry_rows)


@router.get("/entries", response=list[EntryOut])
@paginate
def entries(request, member_id: ObjectId | None = None, code: RuleCode | None = None,
            month: str = Query("", pattern=r"^(\d{4}-\d{2})?$", description="YYYY-MM")):
    """The ledger the user may read (his or her subtrees), newest first; filters by member, rule and
    month (``YYYY-MM``)."""
    _refuse_unless(can_read_ledger(request.user))
    rows = PointEntry.objects.visible_to(request.user).select_related("member", "organization")
    if member_id is not None:
        rows = rows.filter(member_id=member_id)
    if code:
        rows = rows.filter(code=code)
    if month:
        first = parse_month(month, None)
        if first is None:
            raise HttpError(422, "month must be YYYY-MM, in 2000–2100")
        rows = rows.filter(occurred_on__year=first.year, occurred_on__month=first.month)
    return Rows(rows.order_by("-occurred_on", "-id"), _entry_rows)


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


def _tenth(value) -> Decimal:
    return Decimal(str(value or 0)).quantize(Decimal("0.1"))


@router.get("/rankings/{int:org_id}", response=RankingsOut)
def rankings(request, org_id: int, period: Literal["month", "quarter", "year"] = "year", on: Day | None = None,
             limit: int = Query(100, ge=1, le=500)):
    """Rankings of an organization's subtree for the month, quarter or year containing ``on``
    (default today): members (top ``limit``, ties share a rank), branches, party groups and
    co-building units; and the activation rate."""
    org = get_visible_or_404(Organization, request.user, pk=org_id)
    _refuse_unless(can_read_rules(request.user, org))
    start, end = selectors.period_bounds(period, on or timezone.localdate())
    members, rank, previous = [], 0, None
    for position, row in enumerate(selectors.member_totals(org, start, end)[:limit], start=1):
        if row["total"] != previous:
            rank, previous = position, row["total"]
        members.append({"rank": rank, "member_id": row["pk"], "name": row["name"], "branch": row["home_org__name"],
                        "points": _tenth(row["total"])})
    activation = selectors.activation(org, start, end)
    return {
        "organization_id": org.pk, "period": period, "start": start, "end": end, "members": members,
        "branches": [{"id": r["member__home_org_id"], "name": r["member__home_org__name"], "members": r["members"],
                      "points": _tenth(r["total"])} for r in selectors.branch_totals(org, start, end)],
        "groups": [{"id": r["member__building__group_id"], "name": r["member__building__group__name"],
                    "members": r["members"], "points": _tenth(r["total"])}
                   for r in selectors.group_totals(org, start, end)[:limit]],
        "units": [{"id": r["pk"], "name": r["name"], "members": r["members"], "points": _tenth(r["total"])}
                  for r in selectors.unit_totals(org, start, end)[:limit]],
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
    _refuse_unless(can_read_rules(request.user, org))
    year = year or timezone.localdate().year
    return [{"id": item.badge.pk, "name": item.badge.name, "icon": item.badge.icon, "metric": item.badge.metric,
             "threshold": item.badge.threshold, "description": item.badge.description,
             "organization": item.badge.organization.name,
             "holders": [{"member_id": h.member_id, "name": h.name, "branch": h.branch, "value": Decimal(h.value)}
                         for h in item.holders]}
            for item in badge_service.holders(org, year)]


class RewardOut(Schema):
    id: int
    name: str
    organization: str
    price: Decimal
    stock: int


@router.get("/rewards", response=list[RewardOut])
@paginate
def rewards(request):
    """Items of the points shops the user may use."""
    _refuse_unless(can_use_shop(request.user) or Member.objects.filter(user=request.user).exists())
    rows = (Reward.objects.visible_to(request.user).filter(is_active=True).select_related("organization")
            .order_by("organization__path", "price", "id"))
    return Rows(rows, lambda page: [{"id": r.pk, "name": r.name, "organization": r.organization.name,
                                     "price": r.price, "stock": r.stock} for r in page])


class RedeemIn(Schema):
    key: str = Field(min_length=1, max_length=60, description="Chosen once per tap: a retry sends it again.")


class RedemptionOut(Schema):
    id: int
    reward_id: int
    reward: str
    points: Decimal
    state: str
    created_at: date
    balance: Decimal | None = None


def _redemption_row(r: Redemption, balance: Decimal | None = None) -> dict:
    return {"id": r.pk, "reward_id": r.reward_id, "reward": r.reward.name, "points": r.points, "state": r.state,
            "created_at": timezone.localtime(r.created_at).date(), "balance": balance}


@router.post("/rewards/{int:reward_id}/redeem", response={200: RedemptionOut, 201: RedemptionOut, 409: ErrorOut})
def redeem(request, reward_id: int, payload: RedeemIn):
    """Redeem an item: 201 the first time, 200 with the same redemption for a repeated ``key``
    (a double tap or a retry); 409 with the reason when the balance or the stock is short."""
    reward = get_visible_or_404(Reward, request.user, pk=reward_id)
    member = _member(request.user)
    key = payload.key.strip()[:60]
    if not key:
        raise HttpError(422, "key is required")
    try:
        redemption, created = shop_service.redeem(member=member, reward=reward, key=f"{member.pk}:{key}",
                                                  by=request.user, request=request)
    except services.PointsError as exc:
        raise HttpError(409, str(exc)) from exc
    return Status(201 if created else 200, _redemption_row(redemption, services.balance(member)))


@router.get("/redemptions/mine", response=list[RedemptionOut])
@paginate
def my_redemptions(request):
    """One's own redemptions, newest first, with their state (waiting, handed over, cancelled)."""
    member = _member(request.user)
    rows = Redemption.objects.filter(member=member).select_related("reward").order_by("-created_at", "-id")
    return Rows(rows, lambda page: [_redemption_row(r) for r in page])
