"""The points shop: redeeming an item costs its price in points and one unit of stock.

Locks are taken in a fixed order — the member row, then the item row — so two
redemptions never wait on each other crosswise; the idempotency key makes a double
tap or a retry return the first redemption.
"""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from gongzhi.core import audit
from gongzhi.members.models import Member

from .models import PointEntry, Redemption, Reward, RuleCode
from .services import PointsError, balance


@transaction.atomic
def add_reward(*, reward: Reward, by, request=None) -> Reward:
    """Put an item on offer in an organization's shop (built by the form, not yet saved), audited."""
    reward.full_clean()
    reward.save()
    audit.record(actor=by, action="points.reward.add", obj=reward, organization=reward.organization,
                 request=request)
    return reward


def redeem(*, member, reward: Reward, key: str, by, request=None) -> tuple[Redemption, bool]:
    """The redemption for ``key`` and whether this call wrote it: ``False`` for a repeated key,
    also when a parallel call with the same key won the race (the unique key refused this one)."""
    existing = Redemption.objects.filter(idempotency_key=key).first()
    if existing is not None:
        return existing, False
    try:
        with transaction.atomic():
            Member.objects.select_for_update().only("pk").get(pk=member.pk)
            item = Reward.objects.select_for_update().get(pk=reward.pk)
            if not item.is_active or item.stock < 1:
                raise PointsError(_("This item is out of stock."))
            if balance(member) < item.price:
                raise PointsError(_("Not enough points."))
            Reward.objects.filter(pk=item.pk).update(stock=F("stock") - 1)
            entry = PointEntry.objects.create(
                member=member, organization=item.organization, points=-item.price, code=RuleCode.REDEMPTION,
                source_type="points.reward", source_id=str(item.pk), idempotency_key=f"redeem:{key}",
                occurred_on=timezone.localdate(), reason=item.name[:200], posted_by=by)
            redemption = Redemption.objects.create(member=member, reward=item, points=item.price,
                                                   idempotency_key=key, entry=entry)
            audit.record(actor=by, action="points.reward.redeem", obj=redemption, organization=item.organization,
                         request=request, detail={"points": str(item.price)})
    except IntegrityError:
        found = Redemption.objects.filter(idempotency_key=key).first()
        if found is None:
            raise
        return found, False
    return redemption, True


@transaction.atomic
def hand_over(*, redemption: Redemption, by, request=None) -> Redemption:
    """Staff hand the item over and mark it; marking twice changes nothing."""
    redemption = Redemption.objects.select_for_update().get(pk=redemption.pk)
    if redemption.cancelled_at is not None:
        raise PointsError(_("This redemption was cancelled."))
    if redemption.handed_over_at is None:
        redemption.handed_over_at, redemption.handed_over_by = timezone.now(), by
        redemption.save(update_fields=["handed_over_at", "handed_over_by"])
        audit.record(actor=by, action="points.redemption.hand_over", obj=redemption,
                     organization=redemption.reward.organization, request=request)
    return redemption


@transaction.atomic
def cancel(*, redemption: Redemption, reason: str, by, request=None) -> Redemption:
    """Cancel an item not yet handed over: a reversing entry gives the points back and the unit returns
    to stock. Cancelling twice changes nothing."""
    from .services import reverse_entry

    if not (reason or "").strip():
        raise PointsError(_("Give the reason for cancelling."))
    redemption = Redemption.objects.select_for_update().select_related("entry", "reward").get(pk=redemption.pk)
    if redemption.handed_over_at is not None:
        raise PointsError(_("The item was handed over: it cannot be cancelled."))
    if redemption.cancelled_at is None:
        reverse_entry(entry=redemption.entry, reason=reason, by=by, request=request)
        Reward.objects.filter(pk=redemption.reward_id).update(stock=F("stock") + 1)
        redemption.cancelled_at = timezone.now()
        redemption.save(update_fields=["cancelled_at"])
        audit.record(actor=by, action="points.redemption.cancel", obj=redemption,
                     organization=redemption.reward.organization, request=request, detail={"reason": reason[:200]})
    return redemption
