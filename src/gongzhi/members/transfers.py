"""Transfers of membership between branches of the platform: request, then accept or reject."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gongzhi.core import audit

from .models import Member, MembershipEvent, MembershipEventKind, Transfer, TransferStatus


@transaction.atomic
def request_transfer(*, member: Member, to_org, reason="", by=None, request=None) -> Transfer:
    if member.home_org_id is None:
        raise ValidationError(_("This membership is held outside the platform."))
    if to_org.pk == member.home_org_id:
        raise ValidationError(_("The member already belongs to this branch."))
    try:
        with transaction.atomic():
            transfer = Transfer.objects.create(member=member, from_org=member.home_org, to_org=to_org,
                                               reason=reason, requested_by=by)
    except IntegrityError as exc:
        raise ValidationError(_("This member already has a transfer awaiting acceptance.")) from exc
    audit.record(actor=by, action="members.transfer.request", obj=transfer, subject_user=member.user,
                 request=request)
    return transfer


@transaction.atomic
def decide_transfer(transfer: Transfer, *, accept: bool, by=None, request=None) -> Transfer:
    transfer = (Transfer.objects.select_for_update(of=("self",)).select_related("member", "from_org", "to_org")
                .get(pk=transfer.pk))
    if transfer.status != TransferStatus.PENDING:
        raise ValidationError(_("This transfer has already been decided."))
    transfer.status = TransferStatus.ACCEPTED if accept else TransferStatus.REJECTED
    transfer.decided_by, transfer.decided_at = by, timezone.now()
    transfer.save()
    if accept:
        member = transfer.member
        if member.home_org_id != transfer.from_org_id:
            raise ValidationError(_("The member's branch has changed since the transfer was requested."))
        member.home_org = transfer.to_org
        member.save(update_fields=["home_org", "updated_at"])
        MembershipEvent.objects.create(member=member, kind=MembershipEventKind.ORGANIZATION,
                                       from_value=transfer.from_org.name, to_value=transfer.to_org.name,
                                       effective_on=timezone.localdate(), note=_("Transfer accepted"), by=by)
    audit.record(actor=by, action=f"members.transfer.{'accept' if accept else 'reject'}", obj=transfer,
                 organization=transfer.to_org, subject_user=transfer.member.user, request=request)
    return transfer
