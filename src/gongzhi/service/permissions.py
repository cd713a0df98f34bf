"""Who may do what with service activities (declared once; predicates for views, API and templates)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from gongzhi.accounts.models import RoleKind
from gongzhi.accounts.permissions import can_manage_org, can_view_org
from gongzhi.core.capabilities import Capability, can
from gongzhi.core.scoping import role_organizations
from gongzhi.orgs.models import OrgKind

PUBLISHING_KINDS = RoleKind.staff_kinds() | {RoleKind.BRANCH_SECRETARY}

USE_SERVICE = Capability(
    "service.use", _("Open service: activities, one's sign-ups and service record"),
    roles=RoleKind.subtree_kinds() | {RoleKind.MEMBER, RoleKind.RESIDENT})
PUBLISH_ACTIVITY = Capability(
    "service.publish_activity", _("Publish and cancel activities, run teams and series"), roles=PUBLISHING_KINDS,
    description=_("Staff, and the branch secretary for the branch."))
TAKE_PART = Capability(
    "service.take_part", _("Sign up for activities and check in"), roles={RoleKind.MEMBER, RoleKind.RESIDENT})
READ_TEAMS = Capability(
    "service.read_teams", _("Read the service teams"), roles=RoleKind.subtree_kinds() | {RoleKind.MEMBER})


def can_use_service(user) -> bool:
    return USE_SERVICE.anywhere(user)


def publishing_orgs(user) -> list:
    return [o for o in role_organizations(user, PUBLISHING_KINDS)
            if o.kind not in (OrgKind.GROUP,) and can_manage_org(user, o)]


def can_publish(user) -> bool:
    return PUBLISH_ACTIVITY.anywhere(user)


def can_publish_for(user, organization) -> bool:
    return can(user, PUBLISH_ACTIVITY, organization)


def can_organise(user, activity) -> bool:
    """See sign-ups and attendance, record check-ins by hand."""
    return can_manage_org(user, activity.organization)


def can_view_roster(user, activity) -> bool:
    return can_view_org(user, activity.organization)


def can_take_part(user) -> bool:
    """Party members, and residents (who join activities open to residents)."""
    return TAKE_PART.anywhere(user)


def can_view_teams(user) -> bool:
    """Teams are for those who run service and for party members (residents do not see them)."""
    return READ_TEAMS.anywhere(user)


def can_manage_team(user, team) -> bool:
    """Edit a team and its members: those who may publish activities for its organization."""
    return can_publish_for(user, team.organization)


def can_manage_series(user, series) -> bool:
    return can_publish_for(user, series.organization)


def can_cancel_activity(user, activity) -> bool:
    return can_publish_for(user, activity.organization)


def can_see_unit_service(user, unit) -> bool:
    """A co-building unit's reported members and their certificates: those whose roles cover the unit, or a
    community it has an agreement with."""
    return can_view_org(user, unit.organization) or any(can_view_org(user, agreement.community)
                                                       for agreement in unit.agreements.select_related("community"))


def can_see_team_members(user, team) -> bool:
    """The names on a team: those whose roles cover its organization (its members see them too)."""
    return can_view_org(user, team.organization)
