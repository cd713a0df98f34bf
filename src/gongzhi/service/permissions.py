"""Who may do what with service activities."""

from __future__ import annotations

from gongzhi.accounts.models import RoleKind
from gongzhi.accounts.permissions import can_manage_org, has_any_role
from gongzhi.core.scoping import covers, role_organizations
from gongzhi.orgs.models import OrgKind

PUBLISHING_KINDS = RoleKind.staff_kinds() | {RoleKind.BRANCH_SECRETARY}


def can_use_service(user) -> bool:
    return has_any_role(user, RoleKind.subtree_kinds() | {RoleKind.MEMBER, RoleKind.RESIDENT})


def publishing_orgs(user) -> list:
    return [o for o in role_organizations(user, PUBLISHING_KINDS)
            if o.kind not in (OrgKind.GROUP,) and can_manage_org(user, o)]


def can_publish(user) -> bool:
    return getattr(user, "is_superuser", False) or bool(publishing_orgs(user))


def can_publish_for(user, organization) -> bool:
    return covers(user, organization, PUBLISHING_KINDS)


def can_organise(user, activity) -> bool:
    """See sign-ups and attendance, record check-ins by hand."""
    return can_manage_org(user, activity.organization)


def can_view_roster(user, activity) -> bool:
    return covers(user, activity.organization)


def can_take_part(user) -> bool:
    """Party members, and residents (who join activities open to residents)."""
    return has_any_role(user, {RoleKind.MEMBER, RoleKind.RESIDENT})


def can_view_teams(user) -> bool:
    """Teams are for those who run service and for party members (residents do not see them)."""
    return has_any_role(user, RoleKind.subtree_kinds() | {RoleKind.MEMBER})


def can_manage_team(user, team) -> bool:
    """Edit a team and its members: those who may publish activities for its organization."""
    return can_publish_for(user, team.organization)


def can_manage_series(user, series) -> bool:
    return can_publish_for(user, series.organization)


def can_cancel_activity(user, activity) -> bool:
    return can_publish_for(user, activity.organization)


def can_see_team_members(user, team) -> bool:
    """The names on a team: those whose roles cover its organization (its members see them too)."""
    return covers(user, team.organization)
