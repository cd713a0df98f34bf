"""Care API: the care registry (tags only for staff and the paired member), pairings with their next
visit, overdue visits, and logging a visit from a phone (idempotent by key). Same scoping as the pages."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.utils import timezone
from ninja import Router, Schema, Status
from ninja.errors import HttpError
from ninja.pagination import paginate
from pydantic import Field

from gongzhi.core.api_types import Rows
from gongzhi.core.edge import api_require
from gongzhi.core.periods import Day
from gongzhi.core.scoping import get_visible_or_404
from gongzhi.members.models import Resident

from . import selectors, services
from .models import CareTag, Pairing
from .permissions import can_log_visit, can_use_care

router = Router(tags=["care"])




class RegistryOut(Schema):
    resident_id: int
    name: str
    community_id: int
    birth_year: int
    needs: list[str]


class PairingOut(Schema):
    id: int
    resident_id: int
    resident_name: str
    carer: str
    frequency_days: int
    last_visit: date | None
    next_due: date
    overdue: bool


class VisitIn(Schema):
    visited_on: Day
    note: str = Field(default="", max_length=1000)
    need: str = Field(default="", max_length=500)
    key: str | None = Field(default=None, max_length=64)


class VisitOut(Schema):
    id: int
    pairing_id: int
    visited_on: date
    note: str
    need: str
    created: bool


@router.get("/registry", response=list[RegistryOut])
@paginate
def registry(request):
    """Residents with care needs the user may know of; a child's record read here is logged (only
    the records of the page returned)."""
    api_require(can_use_care(request.user))
    tags = CareTag.objects.visible_to(request.user)
    residents = (Resident.objects.filter(pk__in=tags.values("resident"))
                 .prefetch_related(Prefetch("care_tags", queryset=tags, to_attr="visible_tags"))
                 .order_by("community__path", "name", "id"))

    def rows(page):
        result = []
        selectors.tags_in_order(page)
        for resident in page:
            if services.is_child_record(resident.birth_year, [t.kind for t in resident.visible_tags]):
                services.log_child_record_view(resident=resident, by=request.user, request=request, via="api")
            result.append({"resident_id": resident.pk, "name": resident.name,
                           "community_id": resident.community_id, "birth_year": resident.birth_year,
                           "needs": [t.kind for t in resident.visible_tags]})
        return result

    return Rows(residents, rows)


def _pairing_rows(page) -> list[dict]:
    today = timezone.localdate()
    return [{"id": p.pk, "resident_id": p.resident_id, "resident_name": p.resident.name, "carer": p.carer_name,
             "frequency_days": p.frequency_days, "last_visit": p.last_visit, "next_due": p.due,
             "overdue": p.due < today} for p in page]


@router.get("/pairings", response=list[PairingOut])
@paginate
def pairings(request):
    """Current pairings the user may see, the most urgent visit first (paged)."""
    api_require(can_use_care(request.user))
    return Rows(selectors.active_pairings(request.user), _pairing_rows)


@router.get("/pairings/overdue", response=list[PairingOut])
@paginate
def overdue(request):
    """Pairings whose next visit is overdue, the longest overdue first (filtered and paged in the
    database)."""
    api_require(can_use_care(request.user))
    return Rows(selectors.overdue(selectors.active_pairings(request.user), timezone.localdate()), _pairing_rows)


@router.post("/pairings/{int:pairing_id}/visits", response={200: VisitOut, 201: VisitOut})
def log_visit(request, pairing_id: int, payload: VisitIn):
    pairing = get_visible_or_404(Pairing.objects.select_related("member", "unit__organization",
                                                                "resident__community"), request.user, pk=pairing_id)
    api_require(can_log_visit(request.user, pairing))
    try:
        visit, created = services.log_visit(pairing=pairing, visited_on=payload.visited_on, note=payload.note,
                                            need=payload.need, key=payload.key, by=request.user, request=request)
    except ValidationError as exc:
        raise HttpError(422, exc.messages[0]) from exc
    body = {"id": visit.pk, "pairing_id": pairing.pk, "visited_on": visit.visited_on, "note": visit.note,
            "need": visit.need, "created": created}
    return Status(201 if created else 200, body)
