"""Publicity API: boards, items and their steps, the overdue list, the public items of a community,
news and "I have read it". Same scoping and refusals as the pages: a step the state does not allow is a
409 with the reason, bad data a 422."""


from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Router, Schema, Status
from ninja.errors import HttpError
from ninja.pagination import paginate
from pydantic import Field

from gongzhi.core.api_types import ObjectId
from gongzhi.core.edge import api_require
from gongzhi.core.periods import Period
from gongzhi.core.scoping import get_visible_or_404
from gongzhi.orgs.models import COMMUNITY_LEVEL, Organization

from . import catalogue, selectors, services
from .models import Category, Item, ItemStatus, Post
from .permissions import (
    can_approve,
    can_prepare,
    can_publish,
    can_read_board,
    can_read_news,
    can_use_board,
    can_withdraw,
)

router = Router(tags=["publicity"])
STATE_CODES = {"withdrawn", "published", "status", "not_approved", "own_item"}




def _refusal(error: ValidationError) -> HttpError:
    codes = {getattr(e, "code", None) for e in getattr(error, "error_list", [error])}
    return HttpError(409 if codes & STATE_CODES else 422, " ".join(error.messages))


class BoardOut(Schema):
    id: int
    code: str
    name: str
    current: int
    drafts: int
    pending: int
    overdue: int


class ItemOut(Schema):
    id: int
    organization_id: int
    category: str
    title: str
    body: str
    catalogue_key: str
    period_start: date | None
    period_end: date | None
    visible_from: date
    visible_until: date | None
    status: str
    published_at: datetime | None
    withdrawn_at: datetime | None
    withdrawal_reason: str
    replaces_id: int | None


class PublicItemOut(Schema):
    id: int
    category: str
    title: str
    body: str
    period_start: date | None
    period_end: date | None
    visible_from: date
    visible_until: date | None
    published_at: datetime | None


class ItemIn(Schema):
    organization_id: int
    category: str = Field(default=Category.PARTY, max_length=10)
    title: str = Field(min_length=1, max_length=120)
    body: str = Field(min_length=1, max_length=20000)
    visible_from: date
    visible_until: date | None = None
    catalogue_key: str = Field(default="", max_length=40)
    period_start: date | None = Field(default=None, description="First day of the period covered (periodic "
                                                                 "catalogue entries).")


class StepIn(Schema):
    action: str = Field(description="submit, approve, return, publish, withdraw or correct", max_length=10)
    note: str = Field(default="", max_length=500)
    reason: str = Field(default="", max_length=500)
    publish_now: bool = False


class DueOut(Schema):
    organization_id: int
    organization: str
    entry: str
    title: str
    due_on: date
    days_overdue: int


class PostOut(Schema):
    id: int
    organization_id: int
    kind: str
    title: str
    body: str
    published_at: datetime | None
    activity_id: int | None
    needs_ack: bool


class AckOut(Schema):
    post_id: int
    acknowledged_at: datetime
    created: bool


@router.get("/boards", response=list[BoardOut])
@paginate
def boards(request):
    api_require(can_use_board(request.user))
    return [{"id": row["organization"].pk, "code": row["organization"].code, "name": row["organization"].name,
             **{k: row[k] for k in ("current", "drafts", "pending", "overdue")}}
            for row in selectors.board_summaries(request.user, timezone.localdate())]


@router.get("/items", response=list[ItemOut])
@paginate
def items(request, organization_id: ObjectId | None = None, status: str = "", category: str = ""):
    api_require(can_use_board(request.user))
    from .permissions import READ_BOARD

    qs = Item.objects.where_user_can(request.user, READ_BOARD).order_by("-visible_from", "-id")
    if organization_id is not None:
        qs = qs.filter(organization_id=organization_id)
    if status in ItemStatus.values:
        qs = qs.filter(status=status)
    if category in Category.values:
        qs = qs.filter(category=category)
    return qs


def _item(request, item_id: int) -> Item:
    item = get_visible_or_404(Item.objects.select_related("organization"), request.user, pk=item_id)
    api_require(can_read_board(request.user, item.organization))
    return item


@router.get("/items/{int:item_id}", response=ItemOut)
def item_detail(request, item_id: int):
    return _item(request, item_id)


def _period(organization, key: str, start: date | None) -> Period | None:
    if start is None:
        return None
    entry = catalogue.entry_for(organization, key) if key else None
    if entry is None or not entry.periodic:
        raise HttpError(422, "period_start is given only for a periodic catalogue entry")
    return Period.containing(catalogue.PERIOD_KINDS[entry.frequency], start)


@router.post("/items", response={201: ItemOut})
def create_item(request, payload: ItemIn):
    organization = get_visible_or_404(Organization.objects.filter(kind__in=COMMUNITY_LEVEL), request.user,
                                      pk=payload.organization_id)
    api_require(can_prepare(request.user, organization))
    try:
        item = services.create_item(
            organization=organization, category=payload.category, title=payload.title, body=payload.body,
            visible_from=payload.visible_from, visible_until=payload.visible_until,
            catalogue_key=payload.catalogue_key,
            period=_period(organization, payload.catalogue_key, payload.period_start), by=request.user,
            request=request)
    except ValidationError as error:
        raise _refusal(error) from error
    return Status(201, item)


@router.post("/items/{int:item_id}/steps", response=ItemOut)
def item_step(request, item_id: int, payload: StepIn):
    """One step of the item's life; each is refused with the reason when its state does not allow it
    (publishing before approval, changing a withdrawn item, approving one's own item)."""
    item = _item(request, item_id)
    user = request.user
    steps = {
        "submit": (can_prepare(user, item.organization), lambda: services.submit_item(item=item, by=user,
                                                                                      request=request)),
        "approve": (can_approve(user, item) or can_withdraw(user, item),
                    lambda: services.approve_item(item=item, by=user, publish_now=payload.publish_now,
                                                  request=request)),
        "return": (can_withdraw(user, item), lambda: services.return_item(item=item, by=user, note=payload.note,
                                                                          request=request)),
        "publish": (can_publish(user, item), lambda: services.publish_approved(item=item, by=user,
                                                                                request=request)),
        "withdraw": (can_withdraw(user, item), lambda: services.withdraw_item(item=item, by=user,
                                                                              reason=payload.reason,
                                                                              request=request)),
        "correct": (can_prepare(user, item.organization), lambda: services.prepare_correction(
            item=item, by=user, request=request)),
    }
    if payload.action not in steps:
        raise HttpError(422, "Unknown action")
    allowed, run = steps[payload.action]
    api_require(allowed)
    try:
        return run()
    except ValidationError as error:
        raise _refusal(error) from error


@router.get("/overdue", response=list[DueOut])
@paginate
def overdue(request):
    api_require(can_use_board(request.user))
    today = timezone.localdate()
    return [{"organization_id": d.organization.pk, "organization": d.organization.name, "entry": d.entry.key,
             "title": d.title, "due_on": d.due_on, "days_overdue": d.days_overdue}
            for d in selectors.overdue_for(request.user, today)]


@router.get("/public/{code}/items", response=list[PublicItemOut], auth=None)
@paginate
def public_items(request, code: str):
    """The items on a community's or village's board today (no login)."""
    organization = get_object_or_404(Organization, code=code[:32], kind__in=COMMUNITY_LEVEL, is_active=True)
    return Item.objects.current(timezone.localdate()).filter(organization=organization).order_by(
        "-visible_from", "-id")


@router.get("/news", response=list[PostOut])
@paginate
def news(request):
    api_require(can_read_news(request.user))
    return selectors.feed_for(request.user)


@router.post("/news/{int:post_id}/read", response={200: AckOut, 201: AckOut})
def read(request, post_id: int):
    """"I have read it" on a notice that asks for it: 201 the first time, 200 afterwards."""
    post = get_visible_or_404(Post, request.user, pk=post_id)
    try:
        ack, created = services.acknowledge(post=post, user=request.user)
    except ValidationError as error:
        raise HttpError(409, " ".join(error.messages)) from error
    return Status(201 if created else 200, {"post_id": post.pk, "acknowledged_at": ack.created_at,
                                            "created": created})
