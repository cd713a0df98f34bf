"""Who may do what with requests about personal data and departures (declared once; predicates for views,
API and templates)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from gongzhi.accounts.models import RoleKind
from gongzhi.core.capabilities import Capability, can
from gongzhi.orgs.models import COMMUNITY_LEVEL

STAFF = frozenset(RoleKind.staff_kinds())

DECIDE_REQUEST = Capability(
    "privacy.decide_request", _("Decide people's requests to correct or erase their data"), roles=STAFF,
    description=_("Where the person's membership is held or where the resident lives."))
ASK = Capability(
    "privacy.ask", _("Ask for a correction or an erasure of one's own data"),
    roles={RoleKind.MEMBER, RoleKind.RESIDENT})
RECORD_DEPARTURE = Capability(
    "privacy.record_departure", _("Record that a resident moved away"), roles=STAFF, at=COMMUNITY_LEVEL)


def can_ask(user) -> bool:
    """Members and residents find their requests in the menu (no query: the role kinds); anyone whose account
    is linked to a record may ask, from "my data"."""
    return ASK.anywhere(user)


def can_use_queue(user) -> bool:
    return DECIDE_REQUEST.anywhere(user)


def can_decide(user, data_request) -> bool:
    return can(user, DECIDE_REQUEST, data_request.organization)


def can_use_departures(user) -> bool:
    return RECORD_DEPARTURE.anywhere(user)


def can_record_departure(user, resident) -> bool:
    return can(user, RECORD_DEPARTURE, resident.community)
