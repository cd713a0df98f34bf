"""Who may write reports (declared once; predicates for views, API and templates).

The work summary and the statistical tables are written by the staff of a community or village and by the
street above it, for the subtree they run; a report is opened by those who may write one for its organization.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from gongzhi.accounts.models import RoleKind
from gongzhi.core.capabilities import Capability, can
from gongzhi.orgs.models import COMMUNITY_LEVEL, UNIT_LEVEL, UPPER_LEVEL

REPORTED_ORGANIZATIONS = UPPER_LEVEL | COMMUNITY_LEVEL

WRITE_SUMMARY = Capability(
    "reports.write_summary", _("Write the work summary"), roles=RoleKind.staff_kinds(), at=REPORTED_ORGANIZATIONS)
STATISTICS = Capability(
    "reports.statistics", _("Produce the statistical tables"), roles=RoleKind.staff_kinds(),
    at=REPORTED_ORGANIZATIONS)


def can_use_reports(user) -> bool:
    return WRITE_SUMMARY.anywhere(user) or STATISTICS.anywhere(user) or READ_UNIT_FEEDBACK.anywhere(user)


UNIT_FEEDBACK = Capability(
    "reports.unit_feedback", _("Send co-building units the feedback on their members and evaluate the members"),
    roles={RoleKind.COMMUNITY_SECRETARY, RoleKind.COMMUNITY_STAFF, RoleKind.STREET_ADMIN}, at=COMMUNITY_LEVEL)
READ_UNIT_FEEDBACK = Capability(
    "reports.read_unit_feedback", _("Read the communities' feedback on the unit's members"),
    roles={RoleKind.UNIT_ADMIN}, at=UNIT_LEVEL)


def can_send_feedback(user, community) -> bool:
    return can(user, UNIT_FEEDBACK, community)


def can_read_unit_feedback(user, unit) -> bool:
    """The unit's own users, or staff of a community the unit has an agreement with."""
    if can(user, READ_UNIT_FEEDBACK, unit.organization):
        return True
    return any(can(user, UNIT_FEEDBACK, agreement.community) for agreement in unit.agreements.all())
