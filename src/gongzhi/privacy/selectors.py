"""Reads of the privacy app, scoped: one's own requests, the staff's queue, departures, masked values."""

from __future__ import annotations

from gongzhi.core import personal
from gongzhi.members.models import Member, Resident

from .models import DataRequest, Departure, RequestStatus, Subject
from .permissions import DECIDE_REQUEST

_MODELS = {Subject.MEMBER: Member, Subject.RESIDENT: Resident}


def own_requests(user):
    return DataRequest.objects.filter(person=user).select_related("organization")


def queue(user, status: str = RequestStatus.OPEN):
    """The requests the user may decide, the nearest deadline first."""
    rows = (DataRequest.objects.in_scope_of(user).where_user_can(user, DECIDE_REQUEST)
            .select_related("organization", "person", "member", "resident"))
    if status in RequestStatus.values:
        rows = rows.filter(status=status)
    return rows.order_by("due_on", "pk") if status == RequestStatus.OPEN else rows.order_by("-decided_at", "-pk")


def field_label(data_request: DataRequest) -> str:
    if not data_request.field:
        return ""
    return str(_MODELS[data_request.subject]._meta.get_field(data_request.field).verbose_name)


def shown_value(data_request: DataRequest, *, own: bool) -> str:
    """The proposed value as the person sees it (in full) and as staff see it (masked as the field is)."""
    if own or not data_request.proposed_value:
        return data_request.proposed_value
    entry = personal.lookup(_MODELS[data_request.subject]._meta.label_lower, data_request.field)
    return entry.apply(data_request.proposed_value) if entry else data_request.proposed_value


def departures(user):
    return Departure.objects.visible_to(user).select_related("resident", "resident__community")


def residents_found(user, text: str, limit: int = 20):
    """Residents in the user's scope whose name contains ``text`` (who may be marked as moved away)."""
    text = (text or "").strip()[:50]
    if not text:
        return Resident.objects.none()
    return (Resident.objects.in_scope_of(user).filter(name__contains=text)
            .select_related("community", "household__building")[:limit])
