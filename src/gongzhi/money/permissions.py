"""Who may do what with dues and funds (declared once; predicates for views, API and templates).

The branch's dues staff (its secretary and its dues and funds clerk) record dues and alone see the members'
income bases, with the member himself or herself. Community staff and the supervision committee read the
dues sheets, arrears and hand-overs of their subtree. The level above confirms the hand-overs it receives.
Community staff and the clerk record expenditures; an expenditure above the approval amount counts only
once a second person (the secretary or the street, never the one who entered it) has approved it.
The dues rates are national rules kept for the whole deployment: the administrator of the top organization
enters a change from the month it takes effect; everyone who deals with dues reads them.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from gongzhi.accounts.models import RoleKind
from gongzhi.core.capabilities import Capability, can, can_any
from gongzhi.core.scoping import active_roles
from gongzhi.orgs.models import BRANCH_LEVEL, COMMUNITY_LEVEL, UPPER_LEVEL

DUES_STAFF = frozenset({RoleKind.BRANCH_SECRETARY, RoleKind.TREASURER})
STAFF = frozenset(RoleKind.staff_kinds())
LEADERS = frozenset({RoleKind.STREET_ADMIN, RoleKind.COMMUNITY_SECRETARY})
#: Where dues are collected: branches, and communities or villages that hold members directly.
COLLECTING = BRANCH_LEVEL | COMMUNITY_LEVEL

RECORD_DUES = Capability(
    "money.record_dues", _("Record dues and see the members' income bases"), roles=DUES_STAFF, at=COLLECTING,
    description=_("The branch's dues staff: its secretary and its dues and funds clerk."))
READ_DUES = Capability(
    "money.read_dues", _("Read dues sheets, arrears and hand-overs"),
    roles=DUES_STAFF | STAFF | {RoleKind.SUPERVISOR}, at=COLLECTING)
CONFIRM_HANDOVER = Capability(
    "money.confirm_handover", _("Confirm receipt of dues handed over"),
    roles=STAFF | {RoleKind.TREASURER}, at=COMMUNITY_LEVEL | UPPER_LEVEL,
    description=_("Never by the person who handed them over."))
READ_FUNDS = Capability(
    "money.read_funds", _("Read the activity funds"), roles=STAFF | {RoleKind.TREASURER, RoleKind.SUPERVISOR},
    at=COMMUNITY_LEVEL)
RECORD_FUNDS = Capability(
    "money.record_funds", _("Record budget lines and expenditures, publish the disclosure"),
    roles=STAFF | {RoleKind.TREASURER}, at=COMMUNITY_LEVEL)
CHANGE_RATES = Capability(
    "money.change_rates", _("Change the dues rates"), roles={RoleKind.STREET_ADMIN}, at=UPPER_LEVEL,
    description=_("Held at the top organization of the deployment: the rates apply to every member in it."))
PASS_ON_DUES = Capability(
    "money.pass_on_dues", _("Pass on the dues a community or a village received"), roles=CONFIRM_HANDOVER.roles,
    at=COMMUNITY_LEVEL)
APPROVE_EXPENDITURE = Capability(
    "money.approve_expenditure", _("Approve expenditures and set the approval amount"), roles=LEADERS,
    at=COMMUNITY_LEVEL, description=_("Never the person who entered the expenditure."))


def can_use_money(user) -> bool:
    return READ_DUES.anywhere(user) or READ_FUNDS.anywhere(user) or CONFIRM_HANDOVER.anywhere(user)


def can_change_rates(user) -> bool:
    """The rates are one schedule for the whole deployment: only its top organization's administrator
    changes them."""
    from gongzhi.orgs.models import Organization

    return (CHANGE_RATES.anywhere(user)
            and Organization.objects.where_user_can(user, CHANGE_RATES).filter(parent__isnull=True).exists())


def has_own_dues(user) -> bool:
    return any(role.kind == RoleKind.MEMBER for role in active_roles(user))


def can_record_dues(user, organization) -> bool:
    return can(user, RECORD_DUES, organization)


def can_read_dues(user, organization) -> bool:
    return can(user, READ_DUES, organization)


def can_see_base(user, member) -> bool:
    """The income base: the member, and the dues staff of the branch holding the membership."""
    return member.user_id == user.pk or can(user, RECORD_DUES, member.home_org)


def can_confirm(user, handover) -> bool:
    return can(user, CONFIRM_HANDOVER, handover.receiver) and handover.handed_by_id != user.pk


def can_hand_over(user, organization) -> bool:
    """A branch's dues staff hand its dues over; a community's staff pass on what they received."""
    return can_any(user, (RECORD_DUES, PASS_ON_DUES), organization)


def can_read_funds(user, organization) -> bool:
    return can(user, READ_FUNDS, organization)


def can_record_funds(user, organization) -> bool:
    return can(user, RECORD_FUNDS, organization)


def can_approve(user, expenditure) -> bool:
    return can(user, APPROVE_EXPENDITURE, expenditure.organization) and expenditure.entered_by_id != user.pk


def can_set_approval(user, organization) -> bool:
    return can(user, APPROVE_EXPENDITURE, organization)
