"""Who may do what with resident requests, wishes and consultations (declared once; predicates for
views, API and templates)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from gongzhi.accounts.models import RoleKind
from gongzhi.accounts.permissions import has_any_role
from gongzhi.core.capabilities import Capability, can
from gongzhi.core.scoping import covers
from gongzhi.orgs.models import COMMUNITY_LEVEL

HANDLER_KINDS = RoleKind.managing_kinds()

MANAGE_COMMUNITY_VOICE = Capability(
    "voice.manage_community", _("Enter requests, set routing and deadlines, run wishes and consultations"),
    roles=RoleKind.staff_kinds(), at=COMMUNITY_LEVEL,
    description=_("In a community or a village."))


def can_see_queue(user) -> bool:
    return has_any_role(user, RoleKind.subtree_kinds())


def can_submit_as_resident(user) -> bool:
    return has_any_role(user, {RoleKind.RESIDENT})


def can_enter_requests(user) -> bool:
    """Staff record phone calls and visits."""
    return has_any_role(user, RoleKind.staff_kinds())


def can_handle(user, req) -> bool:
    """Accept, reply, resolve, transfer: the handling organization's managers, or community staff above."""
    return covers(user, req.handler, HANDLER_KINDS) or covers(user, req.community, RoleKind.staff_kinds())


def can_see_contact(user, req) -> bool:
    """Never for anonymous requests; otherwise to those who may handle it."""
    return not req.anonymous and can_handle(user, req)


def can_manage_community(user, community) -> bool:
    return can(user, MANAGE_COMMUNITY_VOICE, community)


def can_use_wishes(user) -> bool:
    return has_any_role(user, RoleKind.staff_kinds() | {RoleKind.MEMBER, RoleKind.RESIDENT, RoleKind.SUPERVISOR})


def can_use_consultations(user) -> bool:
    return has_any_role(user, RoleKind.staff_kinds() | {RoleKind.RESIDENT, RoleKind.SUPERVISOR})


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
