"""Who may do what with meetings and appraisals (shared by views, API and templates)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from gongzhi.accounts.models import RoleKind
from gongzhi.accounts.permissions import can_manage_org, can_view_org
from gongzhi.core.capabilities import Capability, can
from gongzhi.core.scoping import VIEWER_OPTIONAL, stand_in_viewer, viewer_values
from gongzhi.core.statements import Statement
from gongzhi.orgs.models import BRANCH_LEVEL, COMMUNITY_LEVEL, GROUP_LEVEL, Organization, OrgKind

CONFIRMING_KINDS = {RoleKind.BRANCH_SECRETARY, RoleKind.COMMUNITY_SECRETARY}

USE_MEETINGS = Capability(
    "meetings.use", _("Open meetings: those of one's subtree, or one's own"),
    roles=RoleKind.subtree_kinds() | {RoleKind.MEMBER})
READ_COMPLIANCE = Capability(
    "meetings.read_compliance", _("Read whether the organizations below hold their meetings"),
    roles=RoleKind.staff_kinds() | {RoleKind.SUPERVISOR})
PLAN_MEETING = Capability(
    "meetings.plan", _("Plan the meetings of a branch or a party group, and the party members' meeting of a "
                       "community or a village"), roles=RoleKind.managing_kinds(),
    at=BRANCH_LEVEL | GROUP_LEVEL | COMMUNITY_LEVEL)
CONFIRM = Capability(
    "meetings.confirm", _("Confirm and lock meeting records, run the appraisal of members"), roles=CONFIRMING_KINDS,
    description=_("The branch secretary, or the community secretary above."))
EDIT_REQUIREMENTS = Capability(
    "meetings.edit_requirements", _("Set how often each kind of meeting must be held"), roles={RoleKind.STREET_ADMIN})


def branch_of(organization):
    return organization.parent if organization.kind == OrgKind.GROUP else organization


def can_use_meetings(user) -> bool:
    return USE_MEETINGS.anywhere(user)


def can_plan_somewhere(user) -> bool:
    """Whether the user may plan a meeting at some active organization (the calendar's "Plan" button). A role
    held at an active organization where meetings are planned answers without a query (the organization
    itself qualifies); otherwise its subtree is asked."""
    if PLAN_MEETING.held_at_an_allowed_organization(user):
        return True
    if not getattr(user, "is_authenticated", False):
        return False
    return _PLANNABLE_SOMEWHERE.first(**viewer_values(user)) is not None


def _plannable(**viewer):
    return (Organization.objects.where_user_can(stand_in_viewer(**viewer), PLAN_MEETING).filter(is_active=True)
            .order_by().values_list("pk")[:1])


_PLANNABLE_SOMEWHERE = Statement(_plannable, optional=VIEWER_OPTIONAL)  # compiled once (core.statements)


def can_see_compliance(user) -> bool:
    return READ_COMPLIANCE.anywhere(user)


def can_record_meeting(user, meeting) -> bool:
    return can_manage_org(user, meeting.organization)


def can_confirm_meeting(user, meeting) -> bool:
    """The branch secretary (or the community secretary above) confirms and locks the record (of the branch
    or of one of its groups: no confirming role is held at a group)."""
    return can(user, CONFIRM, meeting.organization)


def can_edit_requirements(user, organization) -> bool:
    return can(user, EDIT_REQUIREMENTS, organization)


def can_run_appraisal(user, branch) -> bool:
    """Open an appraisal, propose grades, record the general meeting's confirmation."""
    return can(user, CONFIRM, branch)


def can_see_stats(user, organization) -> bool:
    """Attendance statistics, tallies and distributions: subtree roles covering the organization."""
    return can_view_org(user, organization)
