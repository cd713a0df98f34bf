"""Who may administer organizations and places (declared once; predicates for views, API and templates).

A street (or district, township) administrator manages the communities and villages below it and the
party organizations of its co-building units; a community secretary or community staff manages the
community's branches and groups, its grids, buildings and households and its co-building agreements.
The street administrator may do everything the community staff may, in all its communities.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from gongzhi.accounts.models import RoleKind
from gongzhi.core.capabilities import Capability, can, can_any

from .models import BRANCH_LEVEL, COMMUNITY_LEVEL, GROUP_LEVEL, UNIT_LEVEL, UPPER_LEVEL, Organization

STREET = frozenset({RoleKind.STREET_ADMIN})
COMMUNITY_MANAGERS = frozenset({RoleKind.STREET_ADMIN, RoleKind.COMMUNITY_SECRETARY, RoleKind.COMMUNITY_STAFF})

ADMINISTER_TOP = Capability(
    "orgs.administer_top", _("Rename the street, township or district organization"), roles=STREET,
    at=UPPER_LEVEL)
ADMINISTER_COMMUNITIES = Capability(
    "orgs.administer_communities", _("Create, rename, move and close communities, villages and co-building units"),
    roles=STREET, at=COMMUNITY_LEVEL | UNIT_LEVEL)
ADMINISTER_BRANCHES = Capability(
    "orgs.administer_branches", _("Create, rename, move and close branches and party groups"),
    roles=COMMUNITY_MANAGERS, at=BRANCH_LEVEL | GROUP_LEVEL)
ADMINISTER_PLACES = Capability(
    "orgs.administer_places", _("Manage grids, buildings, households and co-building agreements"),
    roles=COMMUNITY_MANAGERS, at=COMMUNITY_LEVEL)
IMPORT_SETUP = Capability(
    "orgs.import_setup", _("Import the organization tree and the places from spreadsheets"),
    roles=COMMUNITY_MANAGERS, at=UPPER_LEVEL | COMMUNITY_LEVEL)

#: The capability that governs an organization of each kind.
BY_KIND = {kind: cap for cap in (ADMINISTER_TOP, ADMINISTER_COMMUNITIES, ADMINISTER_BRANCHES)
           for kind in cap.at}


def capability_for(kind: str) -> Capability | None:
    return BY_KIND.get(kind)


def can_administer(user, organization: Organization) -> bool:
    """Rename, move, close, set the secretary of ``organization``."""
    return can_any(user, (ADMINISTER_TOP, ADMINISTER_COMMUNITIES, ADMINISTER_BRANCHES), organization)


def can_create(user, kind: str, parent: Organization | None) -> bool:
    """Create an organization of ``kind`` under ``parent`` (never at the top: that is ``gongzhi setup``)."""
    cap = capability_for(kind)
    return cap is not None and parent is not None and cap.reaches(user, parent.path)


def creatable_kinds(user, parent: Organization) -> list[str]:
    from .models import PARENT_KINDS

    return [kind for kind, parents in PARENT_KINDS.items()
            if parent.kind in parents and can_create(user, kind, parent)]


def can_administer_places(user, community: Organization) -> bool:
    return can(user, ADMINISTER_PLACES, community)


def can_import_setup(user, organization: Organization) -> bool:
    return can(user, IMPORT_SETUP, organization)


def can_manage_here(user, organization: Organization) -> bool:
    """Whether the organization's administration page has anything for the user."""
    return (can_administer(user, organization) or bool(creatable_kinds(user, organization))
            or can_administer_places(user, organization) or can_import_setup(user, organization))
