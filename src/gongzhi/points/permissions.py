"""Who may read and change point rules, the ledger and the shop (declared once; predicates for views,
API and templates)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from gongzhi.accounts.models import RoleKind
from gongzhi.accounts.permissions import MANAGE_SUBTREE, READ_SUBTREE, can_manage_org, can_view_org
from gongzhi.core.capabilities import Capability, can

STAFF = frozenset(RoleKind.staff_kinds())

EDIT_RULES = Capability(
    "points.edit_rules", _("Set point rules, titles and whether members see their rank"), roles=STAFF,
    description=_("Street and community staff, for their subtree."))
RUN_SHOP = Capability(
    "points.run_shop", _("Run the points shop and propose manual awards and deductions"), roles=STAFF)

USE_SHOP = Capability(
    "points.use_shop", _("Open the points shop: run it, or redeem one's own points"),
    roles=STAFF | {RoleKind.MEMBER})


def can_read_ledger(user) -> bool:
    return READ_SUBTREE.anywhere(user)


def can_read_rules(user, organization) -> bool:
    return can_view_org(user, organization)


def can_edit_rules(user, organization) -> bool:
    """Rules are set by staff (street, community) for their subtree."""
    return can(user, EDIT_RULES, organization)


def can_run_shop(user, organization) -> bool:
    return can(user, RUN_SHOP, organization)


def can_reverse(user, entry) -> bool:
    return can_manage_org(user, entry.organization)


def reversible_where(user):
    """``can_reverse`` for a page of the ledger read as values: the function (path, kind of the organization the
    points were earned in) → whether the user may reverse the entry."""
    return MANAGE_SUBTREE.at_each(user)


def can_use_shop(user) -> bool:
    return USE_SHOP.anywhere(user)
