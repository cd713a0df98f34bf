"""Named predicates of the learning app, shared by views, API and templates."""

from __future__ import annotations

from gongzhi.accounts.models import RoleKind
from gongzhi.accounts.permissions import READ_SUBTREE, can_manage_org, can_view_org
from gongzhi.core.scoping import role_organizations


def member_of(user):
    """The user's party member record, or None."""
    if not getattr(user, "is_authenticated", False):
        return None
    from gongzhi.members.models import Member

    try:
        return user.member
    except Member.DoesNotExist:
        return None


def has_member_record(user) -> bool:
    """Holds a party member role (checked from the cached roles: the navigation asks on every page)."""
    from gongzhi.accounts.models import RoleKind
    from gongzhi.accounts.permissions import has_any_role

    return has_any_role(user, {RoleKind.MEMBER})


def can_see_learning_figures(user) -> bool:
    """Study and training figures: any role that opens a subtree (the supervisor reads too)."""
    return READ_SUBTREE.anywhere(user)


def managed_organizations(user) -> list:
    """Organizations where the user may publish, open classes and record attendance."""
    return [org for org in role_organizations(user, RoleKind.managing_kinds()) if org.kind != "unit"]


def can_publish(user, organization) -> bool:
    return organization is not None and can_manage_org(user, organization)


def can_manage_class(user, training_class) -> bool:
    return can_manage_org(user, training_class.organization)


def can_view_member_record(user, member) -> bool:
    """Staff covering the member's branch or community; the member himself."""
    if member.user_id is not None and member.user_id == getattr(user, "pk", None):
        return True
    return any(can_view_org(user, org) for org in (member.home_org, member.community))
