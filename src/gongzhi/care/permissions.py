from __future__ import annotations

from gongzhi.accounts.models import RoleKind
from gongzhi.accounts.permissions import has_any_role
from gongzhi.core.scoping import covers


def can_use_care(user) -> bool:
    return has_any_role(user, RoleKind.staff_kinds() | {RoleKind.MEMBER, RoleKind.UNIT_ADMIN})


def can_manage_care(user, community) -> bool:
    """Tag residents and pair members: community staff and above (not the supervisor)."""
    return covers(user, community, RoleKind.staff_kinds())


def is_carer(user, pairing) -> bool:
    """The paired member himself, or a user of the paired co-building unit."""
    if pairing.member_id is not None:
        return pairing.member.user_id is not None and pairing.member.user_id == user.pk
    return covers(user, pairing.unit.organization, {RoleKind.UNIT_ADMIN})


def can_log_visit(user, pairing) -> bool:
    return pairing.ended_on is None and (is_carer(user, pairing) or can_manage_care(user, pairing.resident.community))


def can_see_registry(user) -> bool:
    """The care registry (every tagged resident in scope): staff of a community or street."""
    return has_any_role(user, RoleKind.staff_kinds())
