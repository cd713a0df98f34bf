"""Resident requests API: the handler queue and one request, scoped like the pages; contact details are
masked, and never given for anonymous requests."""

from datetime import date, datetime

from ninja import Router, Schema
from ninja.errors import HttpError
from ninja.pagination import paginate

from gongzhi.core.api_types import Rows
from gongzhi.core.scoping import get_visible_or_404

from .models import Request
from .permissions import can_see_queue
from .selectors import contact_of, queue_for

router = Router(tags=["voice"])


class RequestOut(Schema):
    id: int
    community_id: int
    category: str
    status: str
    text: str
    anonymous: bool
    handler_id: int | None
    created_at: datetime
    first_answer_due: datetime
    resolution_due: date
    deadline_provisional: bool
    resident_name: str
    contact_phone: str


def _out(user, req) -> dict:
    name, phone = contact_of(user, req)
    return {"id": req.pk, "community_id": req.community_id, "category": req.category, "status": req.status,
            "text": req.text, "anonymous": req.anonymous, "handler_id": req.handler_id,
            "created_at": req.created_at, "first_answer_due": req.first_answer_due,
            "resolution_due": req.resolution_due,
            "deadline_provisional": req.deadline_provisional, "resident_name": name, "contact_phone": phone}


@router.get("/requests", response=list[RequestOut])
@paginate
def list_requests(request, status: str = "", category: str = ""):
    if not can_see_queue(request.user):
        raise HttpError(404, "Not found")
    qs = queue_for(request.user).select_related("resident", "community", "handler")
    if status:
        qs = qs.filter(status=status)
    if category:
        qs = qs.filter(category=category)
    return Rows(qs.order_by("-created_at", "-id"), lambda page: [_out(request.user, r) for r in page])


@router.get("/requests/{int:request_id}", response=RequestOut)
def get_request(request, request_id: int):
    req = get_visible_or_404(Request.objects.select_related("resident", "community", "handler"), request.user,
                             pk=request_id)
    return _out(request.user, req)
