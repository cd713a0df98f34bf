"""Manual awards and deductions: one staff member proposes, a second approves or rejects; only an
approval posts to the ledger (idempotent on the proposal)."""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gongzhi.core import audit

from .models import AwardStatus, ManualAward, RuleCode
from .services import PointsError, post_points

MAX_POINTS = Decimal(100)


@transaction.atomic
def propose(*, member, organization, points: Decimal, reason: str, by, request=None) -> ManualAward:
    reason = (reason or "").strip()
    if not reason:
        raise PointsError(_("Give the reason for the award or deduction."))
    if points == 0 or abs(points) > MAX_POINTS:
        raise PointsError(_("Points must be between -%(n)s and %(n)s, and not zero.") % {"n": MAX_POINTS})
    award = ManualAward.objects.create(member=member, organization=organization, points=points, reason=reason[:200],
                                       proposed_by=by)
    audit.record(actor=by, action="points.manual.propose", obj=award, request=request,
                 detail={"points": str(points)})
    return award


@transaction.atomic
def decide(*, award: ManualAward, approve: bool, by, request=None) -> ManualAward:
    award = ManualAward.objects.select_for_update(of=("self",)).select_related("member").get(pk=award.pk)
    if award.status != AwardStatus.PENDING:
        raise PointsError(_("This proposal has already been decided."))
    if award.proposed_by_id == by.pk:
        raise PointsError(_("A second person must approve: you proposed this one."))
    award.status = AwardStatus.APPROVED if approve else AwardStatus.REJECTED
    award.decided_by, award.decided_at = by, timezone.now()
    if approve:
        code = RuleCode.MANUAL_AWARD if award.points > 0 else RuleCode.MANUAL_DEDUCTION
        award.entry = post_points(member=award.member, code=code, key=f"manual:{award.pk}",
                                  occurred_on=timezone.localdate(), by=by, source=award,
                                  organization=award.organization, points=award.points, reason=award.reason)
    award.save()
    audit.record(actor=by, action=f"points.manual.{'approve' if approve else 'reject'}", obj=award, request=request)
    return award
