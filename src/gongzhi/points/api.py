"""Points API: one's own ledger; the scoped ledger; the points shop and redeeming (idempotent by key,
the same key as the page's form). Same scoping and permissions as the pages. One's own summary
(``/mine``), rankings and titles are served under the same prefix by ``recognition.api``."""

from datetime import date
from decimal import Decimal
from typing import NamedTuple

from django.db.models import Sum
from django.utils import timezone
from ninja import Field, Query, Router, Schema, Status
from ninja.errors import HttpError
from ninja.pagination import paginate

from gongzhi.core.api_types import ErrorOut, ObjectId, Rows
from gongzhi.core.edge import api_require
from gongzhi.core.periods import parse_month
from gongzhi.core.rows import choice_labels
from gongzhi.core.scoping import get_visible_or_404
from gongzhi.members.models import Member

from . import services
from . import shop as shop_service
from .models import PointEntry, PointTotal, Redemption, Reward, RuleCode
from .permissions import can_read_ledger, can_use_shop

router = Router(tags=["points"])




def _member(user) -> Member:
    member = Member.objects.filter(user=user).select_related("home_org", "community").first()
    api_require(member is not None)
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


class EntryRow(NamedTuple):
    """One ledger entry of the API's lists, read as values: the columns ``EntryOut`` shows, without a model instance
    per entry, member and organization."""

    id: int
    member_id: int
    member_name: str
    organization_id: int
    organization_name: str
    points: Decimal
    code: str
    hours: Decimal | None
    occurred_on: date
    reason: str
    reverses_id: int | None

    model = PointEntry  # the record a row stands for


ENTRY_FIELDS = ("id", "member_id", "member__name", "organization_id", "organization__name", "points", "code", "hours",
                "occurred_on", "reason", "reverses_id")


def _entry_rows(page: list[EntryRow]) -> list[dict]:
    labels = choice_labels(PointEntry, "code")  # translated once per page
    return [{"id": e.id, "member_id": e.member_id, "member": e.member_name, "organization_id": e.organization_id,
             "organization": e.organization_name, "points": e.points, "code": e.code,
             "code_label": labels.get(e.code, e.code), "hours": e.hours, "occurred_on": e.occurred_on,
             "reason": e.reason, "reverses_id": e.reverses_id} for e in page]


def _entries(rows, **kwargs) -> Rows:
    """The ledger ``rows``, newest first, as values (``EntryRow``)."""
    return Rows(rows.values_list(*ENTRY_FIELDS).order_by("-occurred_on", "-id"), _entry_rows, record=EntryRow._make,
                **kwargs)


@router.get("/mine/entries", response=list[EntryOut])
@paginate
def my_entries(request):
    """One's own ledger, newest first."""
    member = _member(request.user)
    return _entries(PointEntry.objects.filter(member=member))


@router.get("/entries", response=list[EntryOut])
@paginate
def entries(request, member_id: ObjectId | None = None, code: RuleCode | None = None,
            month: str = Query("", pattern=r"^(\d{4}-\d{2})?$", description="YYYY-MM")):
    """The ledger the user may read (his or her subtrees), newest first; filters by member, rule and
    month (``YYYY-MM``)."""
    api_require(can_read_ledger(request.user))
    rows = PointEntry.objects.visible_to(request.user)
    if member_id is not None:
        rows = rows.filter(member_id=member_id)
    if code:
        rows = rows.filter(code=code)
    first = None
    if month:
        first = parse_month(month, None)
        if first is None:
            raise HttpError(422, "month must be YYYY-MM, in 2000–2100")
        rows = rows.filter(occurred_on__year=first.year, occurred_on__month=first.month)
    return _entries(rows, at_least=lambda: _entries_at_least(request.user, member_id=member_id, code=code,
                                                             first=first))


#: How many summary rows the lower bound below reads at most (each counts one entry or more).
BOUND_ROWS = 500


def _entries_at_least(user, *, member_id: int | None, code: str | None, first: date | None) -> int:
    """At least how many entries ``entries`` lists: the entries the per-member totals (``PointTotal``, kept
    with the ledger) count for members held in the user's subtrees — the ledger shows every entry of
    theirs —, in the month asked for or in every year, over at most ``BOUND_ROWS`` totals. A community's
    entries are sparse in the date index the count walks (a tenth of a street's); its members' totals
    are not. Nothing for a filter by rule (the totals do not split by rule)."""
    if code:
        return 0
    totals = PointTotal.objects.in_scope_of(user)
    if member_id is not None:
        totals = totals.filter(member_id=member_id)
    totals = totals.filter(year=first.year, month=first.month) if first else totals.filter(month=0)
    return totals.order_by()[:BOUND_ROWS].aggregate(n=Sum("entries"))["n"] or 0


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
    api_require(can_use_shop(request.user) or Member.objects.filter(user=request.user).exists())
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
