"""Writes of the dashboards app: creating and revoking kiosk links, each with its audit row."""

from __future__ import annotations

import secrets

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gongzhi.core import audit

from .models import KioskToken, token_hash

MAX_ACTIVE = 10  # active links per organization: a hall or two, not one per person


@transaction.atomic
def create_kiosk_token(*, organization, label: str, by, request=None) -> tuple[KioskToken, str]:
    """A new kiosk link; returns the record and the token, which is shown once and never stored."""
    label = (label or "").strip()
    if not label:
        raise ValidationError(_("Say where the screen is shown."), code="label")
    active = KioskToken.objects.select_for_update().filter(organization=organization, revoked_at__isnull=True)
    if active.count() >= MAX_ACTIVE:
        raise ValidationError(_("Revoke an old link first: an organization keeps at most %(n)s.") % {"n": MAX_ACTIVE},
                              code="too_many")
    token = secrets.token_urlsafe(24)
    kiosk = KioskToken.objects.create(organization=organization, label=label[:60], token_hash=token_hash(token),
                                      created_by=by)
    audit.record(actor=by, action="dashboards.kiosk.create", obj=kiosk, request=request)
    return kiosk, token


@transaction.atomic
def revoke_kiosk_token(*, kiosk: KioskToken, by, request=None) -> KioskToken:
    kiosk = KioskToken.objects.select_for_update().get(pk=kiosk.pk)
    if kiosk.revoked_at is not None:
        raise ValidationError(_("This link was already revoked."), code="revoked")
    kiosk.revoked_at, kiosk.revoked_by = timezone.now(), by
    kiosk.save(update_fields=["revoked_at", "revoked_by"])
    audit.record(actor=by, action="dashboards.kiosk.revoke", obj=kiosk, request=request)
    return kiosk
