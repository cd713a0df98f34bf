"""Named predicates about roles, shared by views, API and templates."""

from __future__ import annotations

from gongzhi.core.scoping import active_roles, covers, scope_paths

from .models import RoleKind


def has_any_role(user, kinds) -> bool:
    kinds = set(kinds)
    return getattr(user, "is_superuser", False) or any(r.kind in kinds for r in active_roles(user))


def can_view_org(user, organization) -> bool:
    return covers(user, organization)


def can_manage_org(user, organization) -> bool:
    """May change records of this organization (not a supervisor, not a personal role)."""
    return covers(user, organization, RoleKind.managing_kinds())


def is_staff_of(user, organization) -> bool:
    """Community staff or above covering this organization."""
    return covers(user, organization, RoleKind.staff_kinds())


def can_browse_orgs(user) -> bool:
    return getattr(user, "is_superuser", False) or bool(scope_paths(user))
