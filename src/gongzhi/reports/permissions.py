"""Who may write reports (declared once; predicates for views, API and templates).

The work summary and the statistical tables are written by the staff of a community or village and by the
street above it, for the subtree they run; a report is opened by those who may write one for its organization.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from gongzhi.accounts.models import RoleKind
from gongzhi.core.capabilities import Capability, can
from gongzhi.orgs.models import COMMUNITY_LEVEL, UPPER_LEVEL

REPORTED_ORGANIZATIONS = UPPER_LEVEL | COMMUNITY_LEVEL

WRITE_SUMMARY = Capability(
    "reports.write_summary", _("Write the work summary"), roles=RoleKind.staff_kinds(), at=REPORTED_ORGANIZATIONS)
STATISTICS = Capability(
    "reports.statistics", _("Produce the statistical tables"), roles=RoleKind.staff_kinds(),
    at=REPORTED_ORGANIZATIONS)


def can_use_reports(user) -> bool:
    return WRITE_SUMMARY.anywhere(user) or STATISTICS.anywhere(user)


def can_write_summary(user, organization) -> bool:
    return can(user, WRITE_SUMMARY, organization)


def can_produce_statistics(user, organization) -> bool:
    return can(user, STATISTICS, organization)
