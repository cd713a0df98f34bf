"""Points API: one's own balance, titles and history; the scoped ledger; rankings and activation of
an organization; titles and who holds them; the points shop and redeeming (idempotent by key, the
same key as the page's form). Same scoping and permissions as the pages."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.utils import timezone
from ninja import Router, Schema, Status
from ninja.errors import HttpError

from gongzhi.core.scoping import get_visible_or_404
from gongzhi.members.models import Member
from gongzhi.orgs.models import Organization

from . import badges as badge_service
from . import selectors, services
from . import shop as shop_service
from .models import PointEntry, Redemption, Reward, RuleCode
from .permissions import can_read_ledger, can_read_rules, can_use_shop

router = Router(tags=["points"])
PAGE = 50


def _refuse_unless(allowed: bool) -> None:
    if not allowed:
        raise HttpError(404, "Not found")


def _member(user) -> Member:
    member = Member.objects.filter(user=user).select_related("home_org", "community").first()
    _refuse_unless(member is not None)
    return member


def _page(offset: int, limit: int) -> tuple[int, int]:
    offset, limit = max(offset, 0), min(max(limit, 1), 200)
    return offset, offset + limit


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
def mine(request, year: int | None = None):
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


@router.get("/mine/entries", response=list[EntryOut])
def my_entries(request, offset: int = 0, limit: int = PAGE):
    """One's own ledger, newest first."""
    member = _member(request.user)
    start, end = _page(offset, limit)
    rows = (PointEntry.objects.filter(member=member).select_related("member", "organization")
            .order_by("-occurred_on", "-id")[start:end])
    return [_entry_row(e) for e in rows]


@router.get("/entries", response=list[EntryOut])
def entries(request, member_id: int | None = None, code: str = "", month: str = "", offset: int = 0,
            limit: int = PAGE):
    """The ledger the user may read (his or her subtrees), newest first; filters by member, rule and
    month (``YYYY-MM``)."""
    _refuse_unless(can_read_ledger(request.user))
    rows = PointEntry.objects.visible_to(request.user).select_related("member", "organization")
    if member_id is not None:
        rows = rows.filter(member_id=member_id)
    if code:
        if code not in RuleCode.values:
            raise HttpError(422, "Unknown rule code")
        rows = rows.filter(code=code)
    if month:
        try:
            first = date.fromisoformat(f"{month}-01")
        except ValueError as exc:
            raise HttpError(422, "month must be YYYY-MM") from exc
        rows = rows.filter(occurred_on__year=first.year, occurred_on__month=first.month)
    start, end = _page(offset, limit)
    return [_entry_row(e) for e in rows.order_by("-occurred_on", "-id")[start:end]]


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
def rankings(request, org_id: int, period: str = "year", on: date | None = None, limit: int = 100):
    """Rankings of an organization's subtree for the month, quarter or year containing ``on``
    (default today): members (top ``limit``, ties share a rank), branches, party groups and
    co-building units; and the activation rate."""
    org = get_visible_or_404(Organization, request.user, pk=org_id)
    _refuse_unless(can_read_rules(request.user, org))
    if period not in selectors.PERIODS:
        raise HttpError(422, "period must be month, quarter or year")
    start, end = selectors.period_bounds(period, on or timezone.localdate())
    limit = min(max(limit, 1), 500)
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
def titles(request, org_id: int, year: int | None = None):
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
def rewards(request):
    """Items of the points shops the user may use."""
    _refuse_unless(can_use_shop(request.user) or Member.objects.filter(user=request.user).exists())
    rows = Reward.objects.visible_to(request.user).filter(is_active=True).select_related("organization")
    return [{"id": r.pk, "name": r.name, "organization": r.organization.name, "price": r.price, "stock": r.stock}
            for r in rows]


class RedeemIn(Schema):
    key: str


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


@router.post("/rewards/{int:reward_id}/redeem", response={200: RedemptionOut, 201: RedemptionOut})
def redeem(request, reward_id: int, payload: RedeemIn):
    """Redeem an item: 201 the first time, 200 with the same redemption for a repeated ``key``
    (a double tap or a retry); 409 with the reason when the balance or the stock is short."""
    reward = get_visible_or_404(Reward, request.user, pk=reward_id)
    member = _member(request.user)
    key = payload.key.strip()[:60]
    if not key:
        raise HttpError(422, "key is required")
    full_key = f"{member.pk}:{key}"
    existed = Redemption.objects.filter(idempotency_key=full_key).exists()
    try:
        redemption = shop_service.redeem(member=member, reward=reward, key=full_key, by=request.user,
                                         request=request)
    except services.PointsError as exc:
        raise HttpError(409, str(exc)) from exc
    return Status(200 if existed else 201, _redemption_row(redemption, services.balance(member)))


@router.get("/redemptions/mine", response=list[RedemptionOut])
def my_redemptions(request, offset: int = 0, limit: int = PAGE):
    """One's own redemptions, newest first, with their state (waiting, handed over, cancelled)."""
    member = _member(request.user)
    start, end = _page(offset, limit)
    rows = Redemption.objects.filter(member=member).select_related("reward").order_by("-created_at", "-id")
    return [_redemption_row(r) for r in rows[start:end]]
