"""Who may do what with votes, conversions and village matters (declared once; predicates for views, API and
templates)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from gongzhi.accounts.models import RoleKind
from gongzhi.core.capabilities import Capability, anywhere, can
from gongzhi.orgs.models import BRANCH_LEVEL, COMMUNITY_LEVEL, UPPER_LEVEL, OrgKind

STAFF = frozenset(RoleKind.staff_kinds())
LEADERS = frozenset({RoleKind.STREET_ADMIN, RoleKind.COMMUNITY_SECRETARY})
VILLAGE = frozenset({OrgKind.VILLAGE})

READ_VOTES = Capability(
    "democracy.read_votes", _("Read the votes and conversions of branches"),
    roles=STAFF | {RoleKind.BRANCH_SECRETARY, RoleKind.SUPERVISOR}, at=BRANCH_LEVEL)
RECORD_VOTE = Capability(
    "democracy.record_vote", _("Put resolutions to the vote of a branch's meetings and record the result"),
    roles=STAFF | {RoleKind.BRANCH_SECRETARY}, at=BRANCH_LEVEL)
APPROVE_CONVERSION = Capability(
    "democracy.approve_conversion", _("Approve a branch's decision on a probationary member"),
    roles=LEADERS, at=BRANCH_LEVEL,
    description=_("The upper organization approves: a community secretary or the street, never the branch."))
READ_MATTERS = Capability(
    "democracy.read_matters", _("Read village matters under 四议两公开"), roles=STAFF | {RoleKind.SUPERVISOR},
    at=VILLAGE)
RUN_MATTERS = Capability(
    "democracy.run_matters", _("Record the steps of village matters under 四议两公开"), roles=STAFF, at=VILLAGE)


TAKE_PART = Capability(
    "democracy.take_part", _("Follow the votes and the probation of one's own branch"), roles={RoleKind.MEMBER})


def can_use_democracy(user) -> bool:
    return anywhere(user, READ_VOTES, READ_MATTERS, MANAGE_TERMS, READ_ELECTIONS, TAKE_PART)


def can_read_votes(user, organization) -> bool:
    return can(user, READ_VOTES, organization)


def can_record_vote(user, organization) -> bool:
    return can(user, RECORD_VOTE, organization)


def can_approve_conversion(user, conversion) -> bool:
    return can(user, APPROVE_CONVERSION, conversion.branch)


def can_read_matters(user, organization) -> bool:
    return can(user, READ_MATTERS, organization)


def can_run_matters(user, organization) -> bool:
    return can(user, RUN_MATTERS, organization)


MANAGE_TERMS = Capability(
    "democracy.manage_terms", _("Record the terms of the organizations below and approve postponed elections"),
    roles=LEADERS, at=UPPER_LEVEL | COMMUNITY_LEVEL,
    description=_("Held at the upper organization: the street for communities and villages, the community for its "
                  "branches."))


def can_manage_terms_of(user, organization) -> bool:
    """The upper organization (the parent) records an organization's term and approves its postponement."""
    return organization.parent is not None and can(user, MANAGE_TERMS, organization.parent)


ELECTION_LEVEL = BRANCH_LEVEL | COMMUNITY_LEVEL
READ_ELECTIONS = Capability(
    "democracy.read_elections", _("Read the elections of committees"),
    roles=STAFF | {RoleKind.BRANCH_SECRETARY, RoleKind.SUPERVISOR}, at=ELECTION_LEVEL)
RUN_ELECTION = Capability(
    "democracy.run_election", _("Prepare a committee's election: seats, candidates, monitors, rounds of voting"),
    roles=STAFF | {RoleKind.BRANCH_SECRETARY}, at=ELECTION_LEVEL)
APPROVE_ELECTION = Capability(
    "democracy.approve_election", _("Approve the candidate list of the committees below and install the elected "
                                    "committee"),
    roles=LEADERS, at=UPPER_LEVEL | COMMUNITY_LEVEL,
    description=_("Held at the upper organization: the street for communities and villages, the community for its "
                  "branches; never the organization electing its own committee."))


def can_read_election(user, election) -> bool:
    return can(user, READ_ELECTIONS, election.organization) or can_approve_election(user, election)


def can_run_election(user, organization) -> bool:
    return can(user, RUN_ELECTION, organization)


def can_approve_election(user, election) -> bool:
    """The upper organization (the parent) approves the list and installs the committee."""
    parent = election.organization.parent
    return parent is not None and can(user, APPROVE_ELECTION, parent)
