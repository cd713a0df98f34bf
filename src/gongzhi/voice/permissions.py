"""Who may do what with resident requests, wishes and consultations (declared once; predicates for
views, API and templates)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from gongzhi.accounts.models import RoleKind
from gongzhi.accounts.permissions import READ_SUBTREE
from gongzhi.core.capabilities import Capability, can
from gongzhi.orgs.models import COMMUNITY_LEVEL

HANDLER_KINDS = RoleKind.managing_kinds()

MANAGE_COMMUNITY_VOICE = Capability(
    "voice.manage_community", _("Enter requests, set routing and deadlines, run wishes and consultations"),
    roles=RoleKind.staff_kinds(), at=COMMUNITY_LEVEL,
    description=_("In a community or a village."))
HANDLE_REQUEST = Capability(
    "voice.handle_request", _("Accept, answer, resolve and transfer the requests an organization handles"),
    roles=HANDLER_KINDS)
SUBMIT_REQUEST = Capability(
    "voice.submit_request", _("Submit requests as a resident"), roles={RoleKind.RESIDENT})
USE_WISHES = Capability(
    "voice.use_wishes", _("Open the wishes"),
    roles=RoleKind.staff_kinds() | {RoleKind.MEMBER, RoleKind.RESIDENT, RoleKind.SUPERVISOR})
USE_CONSULTATIONS = Capability(
    "voice.use_consultations", _("Open the consultations"),
    roles=RoleKind.staff_kinds() | {RoleKind.RESIDENT, RoleKind.SUPERVISOR})


def can_see_queue(user) -> bool:
    return READ_SUBTREE.anywhere(user)


def can_submit_as_resident(user) -> bool:
    return SUBMIT_REQUEST.anywhere(user)


def can_enter_requests(user) -> bool:
    """Staff record phone calls and visits."""
    return MANAGE_COMMUNITY_VOICE.anywhere(user)


def can_handle(user, req) -> bool:
    """Accept, reply, resolve, transfer: the handling organization's managers, or community staff above."""
    return can(user, HANDLE_REQUEST, req.handler) or can(user, MANAGE_COMMUNITY_VOICE, req.community)


def can_see_contact(user, req) -> bool:
    """Never for anonymous requests; otherwise to those who may handle it."""
    return not req.anonymous and can_handle(user, req)


def contact_visible_where(user):
    """``can_see_contact`` for a page of requests read as values: the function (anonymous, handler's path and kind
    — None for none —, community's path and kind) → whether the user may see the request's contact details. The
    user's paths are found once (``Capability.at_each``)."""
    handles, manages = HANDLE_REQUEST.at_each(user), MANAGE_COMMUNITY_VOICE.at_each(user)

    def visible(anonymous: bool, handler_path: str | None, handler_kind: str | None, community_path: str,
                community_kind: str) -> bool:
        return not anonymous and ((handler_path is not None and handles(handler_path, handler_kind))
                                  or manages(community_path, community_kind))

    return visible


def can_manage_community(user, community) -> bool:
    return can(user, MANAGE_COMMUNITY_VOICE, community)


def can_use_wishes(user) -> bool:
    return USE_WISHES.anywhere(user)


def can_use_consultations(user) -> bool:
    return USE_CONSULTATIONS.anywhere(user)


def resident_in_place(user, consultation):
    """The user's resident record in the topic's place, or None."""
    from gongzhi.members.models import Resident

    residents = Resident.objects.filter(user=user, community=consultation.community).select_related(
        "household__building")
    for resident in residents:
        building = resident.household.building if resident.household_id else None
        if consultation.grid_id and (building is None or building.grid_id != consultation.grid_id):
            continue
        if consultation.building_id and (building is None or building.pk != consultation.building_id):
            continue
        return resident
    return None
