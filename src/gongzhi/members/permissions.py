"""Who may do what with member records (declared once; predicates for views, API and templates)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from gongzhi.accounts.models import RoleKind
from gongzhi.accounts.permissions import READ_SUBTREE, can_manage_org, can_view_org, is_staff_of
from gongzhi.core.capabilities import Capability, can
from gongzhi.orgs.models import BRANCH_LEVEL, COMMUNITY_LEVEL, GROUP_LEVEL

STAFF = frozenset(RoleKind.staff_kinds())
MANAGING = frozenset(RoleKind.managing_kinds())

REGISTER_MEMBERS = Capability(
    "members.register", _("Register and correct party members"), roles=STAFF)
REGISTER_REPORTING = Capability(
    "members.register_reporting", _("Register and decide dual reporting"), roles=STAFF, at=COMMUNITY_LEVEL,
    description=_("In a community or a village, where the member lives."))
REGISTER_RESIDENTS = Capability(
    "members.register_residents", _("Register residents"), roles=STAFF, at=COMMUNITY_LEVEL)
TRANSFER_MEMBERS = Capability(
    "members.transfer", _("Request the transfer of a membership"), roles=MANAGING)
READ_RESIDENTS = Capability(
    "members.read_residents", _("Read the register of residents"), roles=STAFF | {RoleKind.SUPERVISOR})
READ_REPORTING = Capability(
    "members.read_reporting", _("Read the members who report to a community"),
    roles=STAFF | {RoleKind.SUPERVISOR, RoleKind.UNIT_ADMIN})
READ_TRANSFERS = Capability(
    "members.read_transfers", _("Read the transfers of memberships and the posts"),
    roles=MANAGING | {RoleKind.SUPERVISOR})
ASSIGN_POST = Capability(
    "members.assign_post", _("Assign posts with defined responsibilities"), roles=MANAGING,
    at=BRANCH_LEVEL | GROUP_LEVEL)


def can_list_members(user) -> bool:
    """Subtree roles (staff, secretaries, supervisor, co-building unit) browse the roster."""
    return READ_SUBTREE.anywhere(user)


def can_reveal_member(user, member) -> bool:
    """Community staff or above covering the membership or the residence see plain values."""
    return any(org is not None and is_staff_of(user, org) for org in (member.home_org, member.community))


def can_edit_member(user, member) -> bool:
    """Correcting a record shows its personal data in full: the same people who may reveal it."""
    return can_reveal_member(user, member)


def can_register_members(user) -> bool:
    return REGISTER_MEMBERS.anywhere(user)


def can_list_residents(user) -> bool:
    return READ_RESIDENTS.anywhere(user)


def can_edit_resident(user, resident) -> bool:
    return can(user, REGISTER_RESIDENTS, resident.community)


def can_import_roster(user, organization) -> bool:
    return is_staff_of(user, organization)


def can_use_import(user) -> bool:
    return REGISTER_MEMBERS.anywhere(user)


def can_see_stats(user, organization) -> bool:
    return can_view_org(user, organization)


def can_handle_reporting(user, community) -> bool:
    """Community staff or above register reported members and accept or return them, in a community
    or a village."""
    return can(user, REGISTER_REPORTING, community)


def can_see_reported(user) -> bool:
    return READ_REPORTING.anywhere(user)


def can_request_transfer(user, member) -> bool:
    """The sending side: whoever manages the branch holding the membership."""
    return member.home_org is not None and can_manage_org(user, member.home_org)


def can_accept_transfer(user, transfer) -> bool:
    """The receiving side: whoever manages the receiving branch."""
    return can_manage_org(user, transfer.to_org)


def can_use_transfers(user) -> bool:
    return READ_TRANSFERS.anywhere(user)
