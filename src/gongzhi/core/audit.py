"""Writing the audit log. Call inside the transaction of the action it records,
so that if the audit write fails the action does not happen either."""

from __future__ import annotations

from typing import Any

from .clients import client_ip
from .models import AuditEvent


def record(
    *,
    actor,
    action: str,
    obj: Any = None,
    organization=None,
    subject_user=None,
    request=None,
    detail: dict | None = None,
    success: bool = True,
) -> AuditEvent:
    """Append one audit row. ``detail`` must never hold plain personal data."""
    if organization is None and obj is not None:
        organization = getattr(obj, "audit_organization", None)
    return AuditEvent.objects.create(
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        action=action,
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        object_repr=str(obj)[:200] if obj is not None else "",
        organization=organization,
        subject_user=subject_user,
        ip_address=client_ip(request),
        success=success,
        detail=detail or {},
    )


def record_many(*, actor, action: str, objs, request=None, detail: dict | None = None,
                subject_user_id=None) -> int:
    """Append one audit row per object in one INSERT (a page listing many records that are each
    logged when viewed); ``subject_user_id(obj)`` names the user each record is about."""
    rows = [AuditEvent(
        actor=actor if getattr(actor, "is_authenticated", False) else None, action=action,
        object_type=obj._meta.label_lower, object_id=str(obj.pk), object_repr=str(obj)[:200],
        organization=getattr(obj, "audit_organization", None),
        subject_user_id=subject_user_id(obj) if subject_user_id else None, ip_address=client_ip(request), success=True,
        detail=detail or {}) for obj in objs]
    AuditEvent.objects.bulk_create(rows)
    return len(rows)
