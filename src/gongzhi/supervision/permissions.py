"""Who may do what in supervision (declared once; predicates for views, API and templates).

The committee (role *supervisor*) reads everything in its scope and writes only its own records: what
it checked, the rectifications it orders and verifies, the handling of complaints. The organization
checked reports its rectification's progress with evidence. Complaints are handled by the committee
and the leaders strictly above the organization concerned, never by the person named (see
``ComplaintQuerySet.handled_by``).
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from gongzhi.accounts.models import RoleKind
from gongzhi.core.capabilities import Capability, can
from gongzhi.orgs.models import BRANCH_LEVEL, COMMUNITY_LEVEL, GROUP_LEVEL, UPPER_LEVEL

#: The organizations the committee oversees: communities and villages, their branches and groups.
OVERSEEN = COMMUNITY_LEVEL | BRANCH_LEVEL | GROUP_LEVEL
MANAGERS = frozenset(RoleKind.managing_kinds() - {RoleKind.UNIT_ADMIN})

RECORD_SUPERVISION = Capability(
    "supervision.record", _("Record checks and order rectifications"), roles={RoleKind.SUPERVISOR}, at=OVERSEEN)
READ_SUPERVISION = Capability(
    "supervision.read", _("Read checks and rectifications"),
    roles=RoleKind.staff_kinds() | {RoleKind.SUPERVISOR, RoleKind.BRANCH_SECRETARY, RoleKind.GROUP_LEADER},
    at=OVERSEEN)
REPORT_RECTIFICATION = Capability(
    "supervision.report_rectification", _("Report a rectification's progress with evidence"), roles=MANAGERS,
    at=OVERSEEN)
HANDLE_COMPLAINT = Capability(
    "supervision.handle_complaint", _("Handle complaints and reports"),
    roles={RoleKind.SUPERVISOR, RoleKind.STREET_ADMIN, RoleKind.COMMUNITY_SECRETARY}, at=OVERSEEN,
    description=_("The committee, and the leaders strictly above the organization concerned; never the person "
                  "named."))
READ_AUDIT_LOG = Capability(
    "supervision.read_audit_log", _("Read the audit log"), roles={RoleKind.SUPERVISOR, RoleKind.AUDITOR},
    at=UPPER_LEVEL | OVERSEEN)
SUMMARISE = Capability(
    "supervision.summarise", _("Read the committee's yearly summary"),
    roles={RoleKind.SUPERVISOR, RoleKind.STREET_ADMIN}, at=UPPER_LEVEL | OVERSEEN)


def is_committee(user) -> bool:
    return RECORD_SUPERVISION.anywhere(user)


def can_use_supervision(user) -> bool:
    return READ_SUPERVISION.anywhere(user)


def can_record(user, organization) -> bool:
    return can(user, RECORD_SUPERVISION, organization)


def can_verify(user, rectification) -> bool:
    """Close or send back a rectification: the committee covering it."""
    return can(user, RECORD_SUPERVISION, rectification.organization)


def can_report(user, rectification) -> bool:
    """Report progress: the person responsible, or the organization's managers."""
    return rectification.owner_id == user.pk or can(user, REPORT_RECTIFICATION, rectification.organization)


def can_handle_complaints(user) -> bool:
    """Whether the user handles complaints somewhere (menus): a committee member, or a leader with an
    organization below the role."""
    return HANDLE_COMPLAINT.anywhere(user)


def can_handle(user, complaint) -> bool:
    from .models import Complaint

    return Complaint.objects.handled_by(user).filter(pk=complaint.pk).exists()


def can_read_audit_log(user) -> bool:
    return READ_AUDIT_LOG.anywhere(user)


def can_summarise(user, organization) -> bool:
    return can(user, SUMMARISE, organization)

