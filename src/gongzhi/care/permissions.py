"""Who may do what with care records (declared once; predicates for views, API and templates)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from gongzhi.accounts.models import RoleKind
from gongzhi.core.capabilities import Capability, can
from gongzhi.orgs.models import COMMUNITY_LEVEL

MANAGE_CARE = Capability(
    "care.manage", _("Tag residents in need, pair carers and read the care registry"),
    roles=RoleKind.staff_kinds(), at=COMMUNITY_LEVEL,
    description=_("Community staff and above (not the supervisor), for residents of a community or a village."))


USE_CARE = Capability(
    "care.use", _("Open care: the registry, or one's own pairings"),
    roles=RoleKind.staff_kinds() | {RoleKind.MEMBER, RoleKind.UNIT_ADMIN})
VISIT_FOR_UNIT = Capability(
    "care.visit_for_unit", _("Log the care visits of one's co-building unit"), roles={RoleKind.UNIT_ADMIN})


def can_use_care(user) -> bool:
    return USE_CARE.anywhere(user)


def can_manage_care(user, community) -> bool:
    """Tag residents and pair members: community staff and above (not the supervisor)."""
    return can(user, MANAGE_CARE, community)


def is_carer(user, pairing) -> bool:
    """The paired member himself, or a user of the paired co-building unit."""
    if pairing.member_id is not None:
        return pairing.member.user_id is not None and pairing.member.user_id == user.pk
    return can(user, VISIT_FOR_UNIT, pairing.unit.organization)


def can_log_visit(user, pairing) -> bool:
    return pairing.ended_on is None and (is_carer(user, pairing) or can_manage_care(user, pairing.resident.community))


def can_see_registry(user) -> bool:
    """The care registry (every tagged resident in scope): staff of a community or street."""
    return MANAGE_CARE.anywhere(user)
