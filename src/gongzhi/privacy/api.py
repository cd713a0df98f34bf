"""Privacy API: one's own requests about one's data (list, ask, read) and the staff's queue (list, decide).
Same scoping and refusals as the pages: a request already decided is a 409, bad data a 422."""


from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.utils import timezone
from ninja import Router, Schema, Status
from ninja.errors import HttpError
from ninja.pagination import paginate
from pydantic import Field

from gongzhi.core.api_types import Rows
from gongzhi.core.edge import api_error, api_require, messages_of
from gongzhi.core.scoping import get_visible_or_404

from . import selectors, services
from .models import DataRequest, RequestKind, RequestStatus, Subject
from .permissions import can_decide, can_use_queue

router = Router(tags=["privacy"])


class DataRequestOut(Schema):
    id: int
    kind: str
    subject: str
    organization_id: int
    field: str
    field_label: str
    proposed_value: str = Field(description="In full for the person; masked as the field is for the staff.")
    reason: str
    status: str
    due_on: date
    overdue: bool
    decision_reason: str
    decided_at: datetime | None


class DataRequestIn(Schema):
    kind: RequestKind
    subject: Subject
    field: str = Field("", max_length=30)
    proposed_value: str = Field("", max_length=200)
    reason: str = Field(..., min_length=1, max_length=500)


class DataDecisionIn(Schema):
    accept: bool
    reason: str = Field(..., min_length=1, max_length=500)


def _out(data_request: DataRequest, user, today: date) -> dict:
    return {
        "id": data_request.pk, "kind": data_request.kind, "subject": data_request.subject,
        "organization_id": data_request.organization_id, "field": data_request.field,
        "field_label": selectors.field_label(data_request),
        "proposed_value": selectors.shown_value(data_request, own=data_request.person_id == user.pk),
        "reason": data_request.reason, "status": data_request.status, "due_on": data_request.due_on,
        "overdue": data_request.is_overdue(today), "decision_reason": data_request.decision_reason,
        "decided_at": data_request.decided_at,
    }


def _rows(request, queryset) -> Rows:
    today = timezone.localdate()
    return Rows(queryset, lambda page: [_out(r, request.user, today) for r in page])


@router.get("/requests", response=list[DataRequestOut])
@paginate
def own_requests(request):
    """The requests I sent about my own data, the latest first."""
    return _rows(request, selectors.own_requests(request.user))


@router.post("/requests", response={201: DataRequestOut})
def ask(request, payload: DataRequestIn):
    try:
        data_request = services.ask(person=request.user, request=request, **payload.dict())
    except ValidationError as error:
        raise api_error(error) from error
    return Status(201, _out(data_request, request.user, timezone.localdate()))


@router.get("/requests/{int:request_id}", response=DataRequestOut)
def request_detail(request, request_id: int):
    data_request = get_visible_or_404(DataRequest, request.user, pk=request_id)
    return _out(data_request, request.user, timezone.localdate())


@router.get("/queue", response=list[DataRequestOut])
@paginate
def queue(request, status: RequestStatus = RequestStatus.OPEN):
    """The requests the staff member may decide (open: the nearest deadline first)."""
    api_require(can_use_queue(request.user))
    return _rows(request, selectors.queue(request.user, status))


@router.post("/requests/{int:request_id}/decision", response=DataRequestOut)
def decide(request, request_id: int, payload: DataDecisionIn):
    data_request = get_visible_or_404(DataRequest.objects.select_related("organization"), request.user,
                                      pk=request_id)
    api_require(can_decide(request.user, data_request))
    try:
        decided = services.decide(data_request=data_request, accept=payload.accept, reason=payload.reason,
                                  by=request.user, request=request)
    except ValidationError as error:
        if getattr(error, "code", None) == "decided":
            raise HttpError(409, messages_of(error)) from error
        raise api_error(error) from error
    return _out(decided, request.user, timezone.localdate())
