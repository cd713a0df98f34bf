"""Who may do what in recruitment (declared once; predicates for views, API and templates).

The branch handling a person records the branch's steps (its secretary, or the staff above); the upper party
committee's steps (filing, pre-review, its talk, approval) belong to the community secretary or the street, never
to the branch."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from gongzhi.accounts.models import RoleKind
from gongzhi.core.capabilities import Capability, anywhere, can
from gongzhi.orgs.models import BRANCH_LEVEL

from .models import UPPER_STEPS, CandidateQuerySet

STAFF = frozenset(RoleKind.staff_kinds())
LEADERS = frozenset({RoleKind.STREET_ADMIN, RoleKind.COMMUNITY_SECRETARY})

READ_RECRUITMENT = Capability(
    "recruitment.read", _("Read the applicants, activists and development candidates of branches"),
    roles=CandidateQuerySet.scope_roles, at=BRANCH_LEVEL)
RECORD_STEPS = Capability(
    "recruitment.record_steps", _("Register applicants and record a branch's recruitment steps"),
    roles=STAFF | {RoleKind.BRANCH_SECRETARY}, at=BRANCH_LEVEL)
RECORD_UPPER_STEPS = Capability(
    "recruitment.record_upper_steps", _("Record the upper party committee's recruitment steps (filing, pre-review, "
                                        "talk, approval)"),
    roles=LEADERS, at=BRANCH_LEVEL,
    description=_("Held at the upper organization: a community secretary or the street, never the branch."))
REVEAL_RECRUITMENT = Capability(
    "recruitment.reveal", _("Reveal an applicant's ID number and phone"), roles=STAFF | {RoleKind.BRANCH_SECRETARY},
    at=BRANCH_LEVEL)


def can_use_recruitment(user) -> bool:
    return anywhere(user, READ_RECRUITMENT)


def can_read_candidates(user, branch) -> bool:
    return can(user, READ_RECRUITMENT, branch)


def can_register_applicant(user, branch) -> bool:
    return can(user, RECORD_STEPS, branch)


def can_record_step(user, candidate, number: int) -> bool:
    """The branch's steps by the branch and the staff above; the upper committee's steps by the upper committee."""
    capability = RECORD_UPPER_STEPS if number in UPPER_STEPS else RECORD_STEPS
    return can(user, capability, candidate.branch)


def can_assess(user, candidate) -> bool:
    return can(user, RECORD_STEPS, candidate.branch)


def can_reveal_candidate(user, candidate) -> bool:
    return can(user, REVEAL_RECRUITMENT, candidate.branch)
