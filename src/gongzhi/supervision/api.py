"""Supervision API: checks, rectifications and their steps, complaints for those who handle them, the audit
log of a scope and the yearly summary. Same scoping as the pages: a complaint is found only by those who
handle it (never the person it names), and no operation returns who made it; asking for the identity
behind an anonymous complaint is a 409 with the reason."""


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
from gongzhi.core.periods import Year, parse_year
from gongzhi.core.scoping import get_visible_or_404
from gongzhi.orgs.models import Organization

from . import selectors, services
from .models import Area, Complaint, Conclusion, Rectification, SupervisionItem
from .permissions import (
    READ_SUPERVISION,
    RECORD_SUPERVISION,
    SUMMARISE,
    can_handle_complaints,
    can_read_audit_log,
    can_report,
    can_summarise,
    can_use_supervision,
    can_verify,
    is_committee,
)

router = Router(tags=["supervision"])




def _conflict(error: ValidationError) -> HttpError:
    return HttpError(409, " ".join(error.messages))


class SupervisionItemOut(Schema):
    id: int
    organization_id: int
    area: str
    title: str
    finding: str
    conclusion: str
    checked_on: date


class SupervisionItemIn(Schema):
    organization_id: int
    area: str = Field(max_length=10)
    title: str = Field(min_length=1, max_length=200)
    finding: str = Field(min_length=1, max_length=4000)
    conclusion: str = Field(max_length=10)
    checked_on: date


class RectificationOut(Schema):
    id: int
    item_id: int
    organization_id: int
    owner_id: int
    requirement: str
    opened_on: date
    deadline: date
    status: str
    reported_on: date | None
    closed_on: date | None
    overdue: bool

    @staticmethod
    def resolve_overdue(obj) -> bool:
        return obj.is_overdue(timezone.localdate())


class ProgressIn(Schema):
    note: str = Field(min_length=1, max_length=2000)
    done: bool = False


class VerifyIn(Schema):
    accept: bool
    note: str = Field(default="", max_length=2000)


class ComplaintOut(Schema):
    id: int
    reference: str
    community_id: int
    organization_id: int
    person_concerned: str
    post_concerned: str
    kind: str
    text: str
    anonymous: bool
    status: str
    received_on: date
    answer_due: date
    concluded_on: date | None
    conclusion: str

    @staticmethod
    def resolve_person_concerned(obj) -> str:
        return str(obj.subject_user) if obj.subject_user_id else ""

    @staticmethod
    def resolve_post_concerned(obj) -> str:
        from gongzhi.accounts.models import RoleKind

        return str(RoleKind(obj.subject_role).label) if obj.subject_role else ""


class ComplaintStepIn(Schema):
    action: str = Field(description="take_up, note, reply or conclude", max_length=10)
    text: str = Field(default="", max_length=4000)


class ContactOut(Schema):
    name: str
    phone: str


class AuditOut(Schema):
    id: int
    created_at: datetime
    actor: str
    action: str
    object_type: str
    object_id: str
    object_repr: str
    organization_id: int | None
    success: bool

    @staticmethod
    def resolve_actor(obj) -> str:
        return str(obj.actor) if obj.actor_id else ""


@router.get("/items", response=list[SupervisionItemOut])
@paginate
def items(request):
    api_require(can_use_supervision(request.user))
    return SupervisionItem.objects.where_user_can(request.user, READ_SUPERVISION).order_by("-checked_on", "-id")


@router.post("/items", response={201: SupervisionItemOut})
def record_item(request, payload: SupervisionItemIn):
    api_require(is_committee(request.user))
    organization = get_object_or_404(Organization.objects.where_user_can(request.user, RECORD_SUPERVISION),
                                     pk=payload.organization_id)
    if payload.area not in Area.values or payload.conclusion not in Conclusion.values:
        raise HttpError(422, "Unknown area or conclusion")
    try:
        item = services.record_item(organization=organization, area=payload.area, title=payload.title,
                                    finding=payload.finding, conclusion=payload.conclusion,
                                    checked_on=payload.checked_on, by=request.user, request=request)
    except ValidationError as error:
        raise HttpError(422, " ".join(error.messages)) from error
    return Status(201, item)


@router.get("/items/{int:item_id}", response=SupervisionItemOut)
def item_detail(request, item_id: int):
    return get_visible_or_404(SupervisionItem.objects.where_user_can(request.user, READ_SUPERVISION), request.user,
                              pk=item_id)


@router.get("/rectifications", response=list[RectificationOut])
@paginate
def rectifications(request, status: str = "", overdue: bool = False):
    api_require(can_use_supervision(request.user) or selectors.open_for_owner(request.user).exists())
    rows = selectors.rectifications_for(request.user).order_by("deadline", "id")
    if status:
        rows = rows.filter(status=status[:10])
    if overdue:
        rows = rows.overdue(timezone.localdate())
    return rows


def _rectification(request, rectification_id: int) -> Rectification:
    return get_object_or_404(selectors.rectifications_for(request.user), pk=rectification_id)


@router.get("/rectifications/{int:rectification_id}", response=RectificationOut)
def rectification_detail(request, rectification_id: int):
    return _rectification(request, rectification_id)


@router.post("/rectifications/{int:rectification_id}/progress", response=RectificationOut)
def report_progress(request, rectification_id: int, payload: ProgressIn):
    """Progress (or ``done``) reported by the organization; evidence files are uploaded on the page."""
    rectification = _rectification(request, rectification_id)
    api_require(can_report(request.user, rectification))
    try:
        services.report_progress(rectification=rectification, note=payload.note, done=payload.done,
                                 by=request.user, request=request)
    except ValidationError as error:
        raise _conflict(error) from error
    return Rectification.objects.get(pk=rectification.pk)


@router.post("/rectifications/{int:rectification_id}/verify", response=RectificationOut)
def verify(request, rectification_id: int, payload: VerifyIn):
    rectification = _rectification(request, rectification_id)
    api_require(can_verify(request.user, rectification))
    try:
        rectification = services.verify(rectification=rectification, accept=payload.accept, note=payload.note,
                                        by=request.user, request=request)
    except ValidationError as error:
        raise _conflict(error) from error
    return rectification


@router.get("/complaints", response=list[ComplaintOut])
@paginate
def complaints(request, status: str = ""):
    api_require(can_handle_complaints(request.user))
    rows = selectors.complaints_for(request.user).select_related("subject_user").order_by("-received_on", "-id")
    if status:
        rows = rows.filter(status=status[:10])
    return rows


def _complaint(request, complaint_id: int) -> Complaint:
    return get_object_or_404(selectors.complaints_for(request.user).select_related("subject_user"), pk=complaint_id)


@router.get("/complaints/{int:complaint_id}", response=ComplaintOut)
def complaint_detail(request, complaint_id: int):
    return _complaint(request, complaint_id)


@router.post("/complaints/{int:complaint_id}/steps", response=ComplaintOut)
def complaint_step(request, complaint_id: int, payload: ComplaintStepIn):
    complaint = _complaint(request, complaint_id)
    try:
        if payload.action == "take_up":
            services.take_up(complaint=complaint, by=request.user, note=payload.text, request=request)
        elif payload.action in ("note", "reply"):
            services.add_note(complaint=complaint, note=payload.text, reply=payload.action == "reply",
                              by=request.user, request=request)
        elif payload.action == "conclude":
            services.conclude(complaint=complaint, conclusion=payload.text, by=request.user, request=request)
        else:
            raise HttpError(422, "Unknown action")
    except ValidationError as error:
        raise _conflict(error) from error
    return Complaint.objects.select_related("subject_user").get(pk=complaint.pk)


@router.post("/complaints/{int:complaint_id}/reveal", response=ContactOut)
def reveal(request, complaint_id: int):
    """The complainant's contact for a handler who must call back (logged); 409 for an anonymous complaint,
    which holds no identity."""
    complaint = _complaint(request, complaint_id)
    try:
        return services.reveal_contact(complaint=complaint, by=request.user, request=request)
    except ValidationError as error:
        raise _conflict(error) from error


@router.get("/audit", response=list[AuditOut])
@paginate
def audit_log(request, action: str = "", start: str = "", end: str = ""):
    """The audit log of the user's scope, the newest first; ``start`` and ``end`` are ISO dates."""
    api_require(can_read_audit_log(request.user))
    return selectors.audit_events(request.user, action=action[:64], start=_day(start), end=_day(end))


def _day(value: str) -> date | None:
    from gongzhi.core.periods import valid_year

    try:
        day = date.fromisoformat(value[:10]) if value else None
    except ValueError as error:
        raise HttpError(422, "Dates are written YYYY-MM-DD") from error
    if day is not None and not valid_year(day.year):
        raise HttpError(422, "Dates lie between 2000 and 2100")
    return day


class SummaryOut(Schema):
    organization_id: int
    year: int
    checks: int
    checks_by_area: dict[str, int]
    rectifications_ordered: int
    rectifications_closed: int
    rectifications_closed_on_time: int
    rectifications_open: int
    complaints_received: int
    complaints_concluded: int
    complaints_concluded_on_time: int
    publications_on_time_percent: float | None


@router.get("/summary", response=SummaryOut)
def summary(request, organization_id: ObjectId, year: Year | None = None):
    """The committee's yearly work for the work summary (numbers only)."""
    organization = get_object_or_404(Organization.objects.where_user_can(request.user, SUMMARISE),
                                     pk=organization_id)
    api_require(can_summarise(request.user, organization))
    s = selectors.yearly_summary(organization, parse_year(year, timezone.localdate().year))
    on_time = s["publications_on_time"]
    return {"organization_id": organization.pk, "year": s["year"], "checks": s["checks"],
            "checks_by_area": {row["area"]: row["n"] for row in s["by_area"]},
            "rectifications_ordered": s["rectifications"]["ordered"],
            "rectifications_closed": s["rectifications"]["closed"],
            "rectifications_closed_on_time": s["rectifications"]["on_time"],
            "rectifications_open": s["rectifications"]["still_open"],
            "complaints_received": s["complaints"]["received"], "complaints_concluded": s["complaints"]["concluded"],
            "complaints_concluded_on_time": s["complaints"]["on_time"],
            "publications_on_time_percent": float(on_time) if on_time is not None else None}
