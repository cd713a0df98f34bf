"""Who may do what with the publicity board and the news (declared once; predicates for views, API
and templates)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from gongzhi.accounts.models import RoleKind
from gongzhi.core.capabilities import Capability, can
from gongzhi.orgs.models import COMMUNITY_LEVEL, UPPER_LEVEL

STAFF = frozenset(RoleKind.staff_kinds())
LEADERS = frozenset({RoleKind.STREET_ADMIN, RoleKind.COMMUNITY_SECRETARY})

READ_BOARD = Capability(
    "publicity.read_board", _("Read the publicity board with its drafts and overdue list"),
    roles=STAFF | {RoleKind.SUPERVISOR}, at=COMMUNITY_LEVEL)
PREPARE_ITEM = Capability(
    "publicity.prepare_item", _("Prepare and publish board items"), roles=STAFF, at=COMMUNITY_LEVEL)
APPROVE_ITEM = Capability(
    "publicity.approve_item", _("Approve and withdraw board items"), roles=LEADERS, at=COMMUNITY_LEVEL,
    description=_("The approver is never the item's author."))
CONFIGURE_CATALOGUE = Capability(
    "publicity.configure_catalogue", _("Set what must be published and how often"), roles=LEADERS,
    at=UPPER_LEVEL | COMMUNITY_LEVEL)
PUBLISH_POST = Capability(
    "publicity.publish_post", _("Publish news and notices"), roles=STAFF, at=COMMUNITY_LEVEL)

#: Everyone who reads news and notices addressed to him or her (the feed filters what each may read).
READER_KINDS = RoleKind.subtree_kinds() | {RoleKind.MEMBER, RoleKind.RESIDENT}
READ_NEWS = Capability("publicity.read_news", _("Read the news and notices addressed to one"), roles=READER_KINDS)


def can_use_board(user) -> bool:
    return READ_BOARD.anywhere(user)


def can_read_board(user, organization) -> bool:
    return can(user, READ_BOARD, organization)


def can_prepare(user, organization) -> bool:
    return can(user, PREPARE_ITEM, organization)


def can_approve(user, item) -> bool:
    """The organization approves an item: a secretary or the street, never the item's own author."""
    return can(user, APPROVE_ITEM, item.organization) and item.created_by_id != user.pk


def can_withdraw(user, item) -> bool:
    return can(user, APPROVE_ITEM, item.organization)


def can_publish(user, item) -> bool:
    return can(user, PREPARE_ITEM, item.organization) or can(user, APPROVE_ITEM, item.organization)


def can_configure(user, organization) -> bool:
    return can(user, CONFIGURE_CATALOGUE, organization)


def can_configure_anywhere(user) -> bool:
    return CONFIGURE_CATALOGUE.anywhere(user)


def can_publish_posts(user, organization) -> bool:
    return can(user, PUBLISH_POST, organization)


def can_read_news(user) -> bool:
    return READ_NEWS.anywhere(user)


def can_manage_news(user) -> bool:
    return PUBLISH_POST.anywhere(user)
