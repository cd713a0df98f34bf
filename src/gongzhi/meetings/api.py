"""Meetings API: the same scoping as the pages (visible_to, get_visible_or_404)."""

from datetime import date
from typing import Literal

from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils import timezone
from ninja import Field, Router, Schema
from ninja.errors import HttpError
from ninja.pagination import paginate

from gongzhi.core.api_types import ObjectId, Rows
from gongzhi.core.periods import Year
from gongzhi.core.scoping import get_visible_or_404
from gongzhi.orgs.models import Organization, OrgKind

from . import compliance, services
from .models import Appraisal, AppraisalStatus, AttendanceStatus, Meeting, MeetingKind
from .permissions import can_record_meeting, can_see_compliance

router = Router(tags=["meetings"])

#: The kinds whose frequency the compliance grid follows.
ComplianceKind = Literal[tuple(str(kind) for kind in compliance.REQUIRED_KINDS)]
#: What the API may record: present, on leave (with the reason) or absent.
RecordedStatus = Literal[tuple(str(s) for s in AttendanceStatus if s != AttendanceStatus.EXPECTED)]


class MeetingOut(Schema):
    id: int
    organization_id: int
    kind: str
    topic: str
    date: date
    # Local wall-clock time, without an offset: a JSON Schema "time" would demand one.
    start_time: str = Field(pattern=r"^\d{2}:\d{2}:\d{2}$", description="Local time, HH:MM:SS.")
    place: str
    online: bool
    status: str

    @staticmethod
    def resolve_start_time(meeting):
        return meeting.start_time.strftime("%H:%M:%S")


class AttendanceOut(Schema):
    member_id: int
    member_name: str
    status: str


class AttendanceIn(Schema):
    member_id: ObjectId
    status: RecordedStatus
    leave_reason: str = Field("", max_length=200)


class CellOut(Schema):
    period: str
    state: str
    held: int
    required: int


class GridRowOut(Schema):
    branch_id: int
    branch_name: str
    cells: list[CellOut]


class ComplianceGridOut(Schema):
    organization_id: int
    kind: str
    year: int
    period: str
    shares: list[float | None]
    rows: list[GridRowOut]


class ResultOut(Schema):
    member_id: int
    member_name: str
    grade: str


@router.get("/", response=list[MeetingOut])
@paginate
def list_meetings(request, year: Year | None = None, kind: MeetingKind | None = None):
    qs = Meeting.objects.visible_to(request.user)
    if year:
        qs = qs.filter(date__year=year)
    if kind:
        qs = qs.filter(kind=kind)
    return qs.order_by("-date", "-id")


@router.get("/{int:meeting_id}", response=MeetingOut)
def get_meeting(request, meeting_id: int):
    return get_visible_or_404(Meeting, request.user, pk=meeting_id)


@router.get("/{int:meeting_id}/attendance", response=list[AttendanceOut])
@paginate
def meeting_attendance(request, meeting_id: int):
    meeting = get_visible_or_404(Meeting, request.user, pk=meeting_id)
    return Rows(meeting.attendances.select_related("member").order_by("member__name_initials", "id"),
                lambda page: [{"member_id": a.member_id, "member_name": a.member.name, "status": a.status}
                              for a in page])


@router.post("/{int:meeting_id}/attendance", response=AttendanceOut)
def post_attendance(request, meeting_id: int, payload: AttendanceIn):
    meeting = get_visible_or_404(Meeting.objects.select_related("organization"), request.user, pk=meeting_id)
    if not can_record_meeting(request.user, meeting):
        raise Http404
    try:
        row = services.record_attendance(meeting=meeting, member_id=payload.member_id, status=payload.status,
                                         leave_reason=payload.leave_reason, by=request.user, request=request)
    except ValidationError as exc:
        raise HttpError(400, " ".join(exc.messages)) from exc
    return {"member_id": row.member_id, "member_name": row.member.name, "status": row.status}


@router.get("/compliance/{int:org_id}", response=ComplianceGridOut)
def compliance_grid(request, org_id: int, kind: ComplianceKind = "theme_day", year: Year | None = None):
    if not can_see_compliance(request.user):
        raise Http404
    org = get_visible_or_404(Organization.objects.filter(
        kind__in=[OrgKind.STREET, OrgKind.TOWNSHIP, OrgKind.COMMUNITY, OrgKind.VILLAGE, OrgKind.DISTRICT]),
        request.user, pk=org_id)
    today = timezone.localdate()
    grid = compliance.compliance_grid(org, kind=kind, year=year or today.year, today=today)
    return {"organization_id": org.pk, "kind": kind, "year": grid.year, "period": grid.period, "shares": grid.shares,
            "rows": [{"branch_id": b.pk, "branch_name": b.name,
                      "cells": [{"period": c.period.key, "state": c.state, "held": c.held, "required": c.required}
                                for c in cells]} for b, cells in grid.rows]}


@router.get("/appraisals/{int:appraisal_id}/results", response=list[ResultOut])
@paginate
def appraisal_results(request, appraisal_id: int):
    """Confirmed grades, reported upward. Never ballots: no operation returns how anyone voted."""
    appraisal = get_visible_or_404(Appraisal, request.user, pk=appraisal_id)
    if appraisal.status != AppraisalStatus.CONFIRMED:
        return appraisal.participants.none()
    participants = appraisal.participants.select_related("member").order_by("member__name_initials", "id")
    mine = services.participant_of(appraisal, request.user)
    from .permissions import can_see_stats

    if not can_see_stats(request.user, appraisal.branch):
        participants = participants.filter(pk=mine.pk) if mine else participants.none()
    return Rows(participants, lambda page: [{"member_id": p.member_id, "member_name": p.member.name,
                                             "grade": p.grade} for p in page])
