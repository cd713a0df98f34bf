"""Members API: the roster, a member's record, dual reportings (list, accept, return) and residents.

Same scoping as the pages; ID numbers, phones and addresses leave masked (a plain value only through
the audited reveal on the member page).
"""

from datetime import date
from typing import Literal

from django.core.exceptions import ValidationError
from django.utils import timezone
from ninja import Router, Schema
from ninja.errors import HttpError
from ninja.pagination import paginate

from gongzhi.core.api_types import ErrorOut, ObjectId, Rows
from gongzhi.core.edge import api_require
from gongzhi.core.personal import mask_address, mask_id_number, mask_phone
from gongzhi.core.scoping import get_visible_or_404

from . import reporting as reporting_services
from . import selectors
from .models import Member, Reporting, ReportingStatus
from .permissions import can_handle_reporting, can_list_members, can_list_residents, can_see_reported

router = Router(tags=["members"])




class MemberOut(Schema):
    id: int
    name: str
    sex: str
    birth_year: int
    status: str
    category: str
    standing: str
    party_status: str
    is_mobile_member: bool
    home_org_id: int | None
    home_org_name: str
    community_id: int | None
    serving_org_id: int | None
    id_number: str
    mobile: str

    @staticmethod
    def resolve_birth_year(member):
        return member.birth_date.year

    @staticmethod
    def resolve_home_org_name(member):
        return member.home_org.name if member.home_org_id else member.home_org_name

    @staticmethod
    def resolve_id_number(member):
        return mask_id_number(member.id_number)

    @staticmethod
    def resolve_mobile(member):
        return mask_phone(member.mobile)


class MemberDetailOut(MemberOut):
    ethnicity: str
    education: str
    joined_on: date
    full_member_on: date | None
    probation_ends_on: date | None
    employer: str
    job_post: str
    address: str
    grid_id: int | None
    building_id: int | None
    lost_contact_since: date | None
    mobile_destination: str

    @staticmethod
    def resolve_address(member):
        return mask_address(member.address)

    @staticmethod
    def resolve_mobile_destination(member):
        return mask_address(member.mobile_destination)


class ReportingOut(Schema):
    id: int
    member_id: int
    member_name: str
    home_org_name: str
    community_id: int
    skills: str
    services: str
    status: str
    serving_org_id: int | None
    created_at: str

    @staticmethod
    def resolve_member_name(reporting):
        return reporting.member.name

    @staticmethod
    def resolve_home_org_name(reporting):
        member = reporting.member
        return member.home_org.name if member.home_org_id else member.home_org_name

    @staticmethod
    def resolve_created_at(reporting):
        return timezone.localtime(reporting.created_at).isoformat()


class DecisionIn(Schema):
    decision: Literal["accept", "return"]
    serving_org_id: ObjectId | None = None
    note: str = ""


class ResidentOut(Schema):
    id: int
    name: str
    sex: str
    birth_year: int
    community_id: int
    household_id: int | None
    relation: str
    political_status: str
    member_id: int | None
    phone: str
    id_number: str

    @staticmethod
    def resolve_phone(resident):
        return mask_phone(resident.phone)

    @staticmethod
    def resolve_id_number(resident):
        return mask_id_number(resident.id_number)


@router.get("/", response=list[MemberOut])
@paginate
def list_members(request, q: str = "", category: str = "", status: str = "", standing: str = ""):
    api_require(can_list_members(request.user))
    data = {"q": q[:50], "category": category[:16], "status": status[:16], "standing": standing[:16]}
    # The list is sorted and paged on its sort key alone; the page's members are then read whole (to mask
    # their ID numbers and mobiles) with their branch: the sort does not carry every column of every member
    # of a street, nor their organizations.
    rows = selectors.filtered_members(request.user, data, timezone.localdate())
    return Rows(rows.select_related(None).only("id", "name_initials"), _whole_members)


def _whole_members(page) -> list[Member]:
    found = Member.objects.select_related("home_org").in_bulk([m.pk for m in page])
    return [found[m.pk] for m in page]


@router.get("/{int:member_id}", response=MemberDetailOut)
def get_member(request, member_id: int):
    return get_visible_or_404(Member.objects.select_related("home_org"), request.user, pk=member_id)


@router.get("/reportings", response=list[ReportingOut])
@paginate
def list_reportings(request, status: str = ""):
    api_require(can_see_reported(request.user))
    items = Reporting.objects.visible_to(request.user).select_related("member__home_org")
    if status in ReportingStatus.values:
        items = items.filter(status=status)
    return items


@router.post("/reportings/{int:reporting_id}/decision", response={200: ReportingOut, 409: ErrorOut})
def decide_reporting(request, reporting_id: int, payload: DecisionIn):
    reporting = get_visible_or_404(Reporting.objects.select_related("community"), request.user, pk=reporting_id)
    api_require(can_handle_reporting(request.user, reporting.community))
    serving_org = None
    if payload.serving_org_id is not None:
        serving_org = reporting_services.serving_orgs(reporting.community).filter(pk=payload.serving_org_id).first()
    try:
        reporting_services.decide(reporting, accept=payload.decision == "accept", serving_org=serving_org,
                                  note=payload.note[:200], by=request.user, request=request)
    except ValidationError as exc:
        raise HttpError(409, exc.messages[0]) from exc
    return Reporting.objects.select_related("member__home_org").get(pk=reporting.pk)


@router.get("/residents", response=list[ResidentOut])
@paginate
def list_residents(request, q: str = ""):
    api_require(can_list_residents(request.user))
    return selectors.residents_for(request.user, {"q": q[:50]})
