"""Named predicates about roles, shared by views, API and templates."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from gongzhi.core.capabilities import Capability, can
from gongzhi.core.scoping import active_roles
from gongzhi.orgs.models import (
    BRANCH_LEVEL,
    COMMUNITY_LEVEL,
    GROUP_LEVEL,
    MEETING_LEVEL,
    UNIT_LEVEL,
    UPPER_LEVEL,
)

from .models import RoleKind


def has_any_role(user, kinds) -> bool:
    """Holds a role of one of ``kinds`` (to-do sources; a predicate uses a ``Capability`` instead)."""
    kinds = set(kinds)
    return getattr(user, "is_superuser", False) or any(r.kind in kinds for r in active_roles(user))


# --- the three ways a role opens its subtree, for the apps whose pages follow them ----------------------------

READ_SUBTREE = Capability(
    "accounts.read_subtree", _("Read the records of one's subtree"), roles=RoleKind.subtree_kinds(),
    description=_("Staff, secretaries, group leaders, the supervisor and the co-building unit's administrator."))
MANAGE_SUBTREE = Capability(
    "accounts.manage_subtree", _("Change the records of one's subtree"), roles=RoleKind.managing_kinds(),
    description=_("Every role that opens a subtree but the supervisor, who only reads."))
STAFF_SUBTREE = Capability(
    "accounts.staff_subtree", _("Run the work of one's community or street"), roles=RoleKind.staff_kinds(),
    description=_("The street administrator, the community secretary and community staff."))


def can_view_org(user, organization) -> bool:
    return can(user, READ_SUBTREE, organization)


def can_manage_org(user, organization) -> bool:
    """May change records of this organization (not a supervisor, not a personal role)."""
    return can(user, MANAGE_SUBTREE, organization)


def is_staff_of(user, organization) -> bool:
    """Community staff or above covering this organization."""
    return can(user, STAFF_SUBTREE, organization)


def can_browse_orgs(user) -> bool:
    return READ_SUBTREE.anywhere(user)


# --- administering accounts and roles ------------------------------------------------------------------------
#
# Staff (the street administrator, a community secretary or staff) and the security administrator create
# accounts and grant roles in their subtree. A role is granted only at an organization the grantor's own
# role covers, only of a kind that fits that organization, and never of a higher rank than the grantor's own
# role there. Nobody grants himself or herself a role, and nobody holds both duty-separated roles (the
# security administrator who manages accounts may not also be the auditor who reviews what he or she did).

GRANTORS = frozenset({RoleKind.STREET_ADMIN, RoleKind.COMMUNITY_SECRETARY, RoleKind.COMMUNITY_STAFF,
                      RoleKind.SECURITY_ADMIN})

MANAGE_ACCOUNTS = Capability(
    "accounts.manage", _("Create accounts, issue activation codes, grant and end roles"), roles=GRANTORS,
    description=_("At or below one's own organization, never a role above one's own."))

#: How high each role reaches: a role of higher rank than one's own is never granted.
RANK = {
    RoleKind.STREET_ADMIN: 6, RoleKind.SECURITY_ADMIN: 6, RoleKind.AUDITOR: 6,
    RoleKind.COMMUNITY_SECRETARY: 5, RoleKind.SUPERVISOR: 5,
    RoleKind.COMMUNITY_STAFF: 4,
    RoleKind.BRANCH_SECRETARY: 3, RoleKind.TREASURER: 3,
    RoleKind.GROUP_LEADER: 2, RoleKind.UNIT_ADMIN: 2,
    RoleKind.MEMBER: 1, RoleKind.RESIDENT: 1,
}

#: The kinds of organization each role is held at.
ROLE_AT = {
    RoleKind.STREET_ADMIN: UPPER_LEVEL,
    RoleKind.SECURITY_ADMIN: UPPER_LEVEL | COMMUNITY_LEVEL,
    RoleKind.AUDITOR: UPPER_LEVEL | COMMUNITY_LEVEL,
    RoleKind.COMMUNITY_SECRETARY: COMMUNITY_LEVEL,
    RoleKind.COMMUNITY_STAFF: COMMUNITY_LEVEL,
    RoleKind.SUPERVISOR: UPPER_LEVEL | COMMUNITY_LEVEL,
    RoleKind.BRANCH_SECRETARY: BRANCH_LEVEL,
    RoleKind.TREASURER: UPPER_LEVEL | COMMUNITY_LEVEL | BRANCH_LEVEL,
    RoleKind.GROUP_LEADER: GROUP_LEVEL,
    RoleKind.UNIT_ADMIN: UNIT_LEVEL,
    RoleKind.MEMBER: MEETING_LEVEL | UNIT_LEVEL,
    RoleKind.RESIDENT: COMMUNITY_LEVEL,
}
SEPARATED = frozenset({RoleKind.SECURITY_ADMIN, RoleKind.AUDITOR})
_ACCOUNT_ROLES = frozenset(GRANTORS)


def can_manage_accounts(user) -> bool:
    """Menus: whether the user administers accounts somewhere."""
    return MANAGE_ACCOUNTS.anywhere(user)


def grant_rank(user, organization) -> int:
    """The highest rank the user may grant at ``organization`` (0: none)."""
    if organization is None or not getattr(user, "is_authenticated", False):
        return 0
    if user.is_superuser:
        return max(RANK.values())
    return max((RANK[r.kind] for r in active_roles(user)
                if r.kind in _ACCOUNT_ROLES and organization.path.startswith(r.organization.path)), default=0)


def role_fits(kind: str, organization) -> bool:
    return organization is not None and organization.kind in ROLE_AT.get(kind, frozenset())


def can_grant(user, kind: str, organization) -> bool:
    """May grant (or end) a role of ``kind`` at ``organization``."""
    return (kind in RANK and role_fits(kind, organization) and can(user, MANAGE_ACCOUNTS, organization)
            and RANK[kind] <= grant_rank(user, organization))


def grantable_kinds(user, organization) -> list[str]:
    return [kind for kind in RoleKind.values if can_grant(user, kind, organization)]


def can_manage_account(user, account, roles=None) -> bool:
    """Issue codes for, deactivate, or change the roles of ``account``: someone else's account in scope, all
    of whose roles in force the user could have granted."""
    if not getattr(user, "is_authenticated", False) or account.pk == user.pk or account.is_superuser:
        return False
    from .models import User

    if not User.objects.managed_by(user).filter(pk=account.pk).exists():
        return False
    roles = active_roles(account) if roles is None else roles
    return all(can_grant(user, r.kind, r.organization) for r in roles)
