"""Writing the audit log. Call inside the transaction of the action it records,
so that if the audit write fails the action does not happen either.

Action codes are ``app.object.verb`` (tests/core/test_audit_codes.py). Rows written before the convention keep
their codes (the table is append-only); ``RENAMED`` maps each old code to the current one, and
``action_label`` gives the code the audit log, its export and "My data" show for old and new rows alike.
"""

from __future__ import annotations

from typing import Any

from .clients import client_ip
from .models import AuditEvent

#: Codes written before the ``app.object.verb`` convention → the code the same action writes now.
RENAMED = {
    "accounts.download_own_data": "accounts.own_data.download",
    "care.pair": "care.pairing.create",
    "care.visit": "care.visit.log",
    "care.need_to_wish": "care.need.to_wish",
    "care.need_to_request": "care.need.to_request",
    "meetings.plan": "meetings.meeting.plan",
    "meetings.attendance": "meetings.attendance.record",
    "meetings.minutes": "meetings.minutes.record",
    "meetings.attach": "meetings.meeting.attach",
    "meetings.confirm": "meetings.meeting.confirm",
    "meetings.amend": "meetings.meeting.amend",
    "meetings.requirement": "meetings.requirement.set",
    "appraisal.open": "meetings.appraisal.open",
    "appraisal.self_assessment": "meetings.appraisal.self_assess",
    "appraisal.close_voting": "meetings.appraisal.close_voting",
    "appraisal.propose": "meetings.appraisal.propose",
    "appraisal.confirm": "meetings.appraisal.confirm",
    "appraisal.vote": "meetings.appraisal.vote",
    "members.create": "members.member.create",
    "members.update": "members.member.update",
    "members.import": "members.roster.import",
    "members.reveal": "members.member.reveal",
    "members.export": "members.roster.export",
    "orgs.setup": "orgs.tree.set_up",
    "points.reverse": "points.entry.reverse",
    "points.rule_add": "points.rule.add",
    "points.hand_over": "points.redemption.hand_over",
    "points.redemption_cancel": "points.redemption.cancel",
    "points.redeem": "points.reward.redeem",
    "publicity.obligation": "publicity.obligation.create",
    "service.activity_cancelled": "service.activity.cancel",
    "service.team_created": "service.team.create",
    "service.team_changed": "service.team.update",
    "service.team_member_removed": "service.team_member.remove",
    "service.team_member_added": "service.team_member.add",
    "service.series_created": "service.series.create",
    "service.series_changed": "service.series.update",
    "service.series_cancelled": "service.series.cancel",
    "service.checkin_by_hand": "service.checkin.check_in_by_hand",
    "service.checkout_by_hand": "service.checkin.check_out_by_hand",
    "service.certificate": "service.certificate.download",
    "voice.submit": "voice.request.submit",
}


def action_label(code: str) -> str:
    """The current code of an action, for rows written under an old code as for new ones."""
    return RENAMED.get(code, code)


def codes_starting_with(prefix: str) -> list[str]:
    """The old codes whose current code starts with ``prefix`` (the audit log's filter finds both)."""
    return sorted(old for old, new in RENAMED.items() if new.startswith(prefix))


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
                subject_user_id=None, organization_id=None) -> int:
    """Append one audit row per object in one INSERT (a page listing many records that are each
    logged when viewed); ``subject_user_id(obj)`` names the user each record is about.

    ``objs`` are model instances, or a list's rows read as values (a ``NamedTuple`` with ``pk``, the ``model`` it
    stands for and the record's ``str``), whose organization ``organization_id(obj)`` names by id instead of their
    ``audit_organization``."""
    ip = client_ip(request)
    rows = []
    for obj in objs:
        meta = obj._meta if hasattr(obj, "_meta") else type(obj).model._meta
        where = ({"organization_id": organization_id(obj)} if organization_id
                 else {"organization": getattr(obj, "audit_organization", None)})
        rows.append(AuditEvent(
            actor=actor if getattr(actor, "is_authenticated", False) else None, action=action,
            object_type=meta.label_lower, object_id=str(obj.pk), object_repr=str(obj)[:200],
            subject_user_id=subject_user_id(obj) if subject_user_id else None, ip_address=ip, success=True,
            detail=detail or {}, **where))
    AuditEvent.objects.bulk_create(rows)
    return len(rows)
