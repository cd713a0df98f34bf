"""Who may read and change point rules and the ledger."""

from __future__ import annotations

from gongzhi.accounts.models import RoleKind
from gongzhi.accounts.permissions import can_manage_org, has_any_role, is_staff_of
from gongzhi.core.scoping import covers


def can_read_ledger(user) -> bool:
    return has_any_role(user, RoleKind.subtree_kinds())


def can_read_rules(user, organization) -> bool:
    return covers(user, organization)


def can_edit_rules(user, organization) -> bool:
    """Rules are set by staff (street, community) for their subtree."""
    return is_staff_of(user, organization) and can_manage_org(user, organization)


def can_reverse(user, entry) -> bool:
    return can_manage_org(user, entry.organization)


def can_use_shop(user) -> bool:
    return has_any_role(user, RoleKind.staff_kinds() | {RoleKind.MEMBER})
