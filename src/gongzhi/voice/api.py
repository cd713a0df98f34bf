"""Resident requests API: the handler queue and one request, scoped like the pages; contact details are
masked, and never given for anonymous requests."""

from datetime import date, datetime

from ninja import Router
from ninja.errors import HttpError
from ninja.pagination import paginate

from gongzhi.core.api_types import Item, ListStatements
from gongzhi.core.scoping import VIEWER_OPTIONAL, get_visible_or_404, stand_in_viewer, viewer_values

from .models import Request
from .permissions import can_see_queue
from .selectors import REQUEST_FIELDS, RequestRow, contact_of, contacts_of, queue_for

router = Router(tags=["voice"])


class RequestOut(Item):
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


def _requests_of(status=None, category=None, **viewer):
    queryset = queue_for(stand_in_viewer(**viewer))
    if status is not None:
        queryset = queryset.filter(status=status)
    if category is not None:
        queryset = queryset.filter(category=category)
    return queryset


#: The queue's pages and count, newest first, compiled once (core.statements); a filter given or not is part of the
#: shape (None), its value a value of the statement.
_REQUESTS = ListStatements(Request, _requests_of, fields=REQUEST_FIELDS, order=("-created_at", "-id"),
                           optional=VIEWER_OPTIONAL)


def _rows_out(user, page: list[RequestRow]) -> list[dict]:
    contact = contacts_of(user)
    out = []
    for r in page:
        name, phone = contact(r)
        out.append({"id": r.id, "community_id": r.community_id, "category": r.category, "status": r.status,
                    "text": r.text, "anonymous": r.anonymous, "handler_id": r.handler_id, "created_at": r.created_at,
                    "first_answer_due": r.first_answer_due, "resolution_due": r.resolution_due,
                    "deadline_provisional": r.deadline_provisional, "resident_name": name, "contact_phone": phone})
    return out


@router.get("/requests", response=list[RequestOut])
@paginate
def list_requests(request, status: str = "", category: str = ""):
    if not can_see_queue(request.user):
        raise HttpError(404, "Not found")
    return _REQUESTS.rows({**viewer_values(request.user), "status": status or None, "category": category or None},
                          lambda page: _rows_out(request.user, page), record=RequestRow._make)


@router.get("/requests/{int:request_id}", response=RequestOut)
def get_request(request, request_id: int):
    req = get_visible_or_404(Request.objects.select_related("resident", "community", "handler"), request.user,
                             pk=request_id)
    return _out(request.user, req)
