"""Who may do what with meetings and appraisals (shared by views, API and templates)."""

from __future__ import annotations

from gongzhi.accounts.models import RoleKind
from gongzhi.accounts.permissions import can_manage_org, has_any_role
from gongzhi.core.scoping import covers
from gongzhi.orgs.models import OrgKind

CONFIRMING_KINDS = {RoleKind.BRANCH_SECRETARY, RoleKind.COMMUNITY_SECRETARY}


def branch_of(organization):
    return organization.parent if organization.kind == OrgKind.GROUP else organization


def can_use_meetings(user) -> bool:
    return has_any_role(user, RoleKind.subtree_kinds() | {RoleKind.MEMBER})


def can_see_compliance(user) -> bool:
    return has_any_role(user, RoleKind.staff_kinds() | {RoleKind.SUPERVISOR})


def can_plan_meeting(user, organization) -> bool:
    return (organization.kind in (OrgKind.BRANCH, OrgKind.GROUP, OrgKind.COMMUNITY, OrgKind.VILLAGE)
            and can_manage_org(user, organization))


def can_record_meeting(user, meeting) -> bool:
    return can_manage_org(user, meeting.organization)


def can_confirm_meeting(user, meeting) -> bool:
    """The branch secretary (or the community secretary above) confirms and locks the record."""
    return covers(user, branch_of(meeting.organization), CONFIRMING_KINDS)


def can_edit_requirements(user, organization) -> bool:
    return covers(user, organization, {RoleKind.STREET_ADMIN})


def can_run_appraisal(user, branch) -> bool:
    """Open an appraisal, propose grades, record the general meeting's confirmation."""
    return covers(user, branch, CONFIRMING_KINDS)


def can_see_stats(user, organization) -> bool:
    """Attendance statistics, tallies and distributions: subtree roles covering the organization."""
    return covers(user, organization)
