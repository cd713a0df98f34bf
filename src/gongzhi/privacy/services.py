"""Every write of the privacy app: asking, deciding, recording a departure, running the retention rules.
Each writes its audit row in the same transaction; notifications go out after commit."""

from __future__ import annotations

from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gongzhi.core import audit
from gongzhi.core.idnumber import normalise, parse_id_number
from gongzhi.core.models import Notification
from gongzhi.members import services as member_services
from gongzhi.members.models import Member, Resident
from gongzhi.voice.models import Request

from . import retention
from .models import (
    ANSWER_DAYS,
    Anonymisation,
    Cause,
    DataRequest,
    Departure,
    RequestKind,
    RequestStatus,
    Subject,
)

#: The fields a person may ask to correct, per record (choices and organization links are corrected by staff).
CORRECTABLE = {
    Subject.MEMBER: ("name", "ethnicity", "id_number", "birth_date", "mobile", "address", "employer", "job_post"),
    Subject.RESIDENT: ("name", "birth_year", "id_number", "phone"),
}

PHONE_FIELDS = ("mobile", "phone")

#: Why a party member's record is not erased (shown to the person as the decision's reason).
ARCHIVE_REASON = gettext_lazy(
    "A party member's record is part of the party's archives, which must be kept (PIPL art. 47 para. 2: a "
    "retention period set by the rules has not ended). It is kept, processed only for storage and its "
    "protection, and no longer used for anything else.")


def records_of(user) -> dict[str, Member | Resident]:
    """The person's own records, by subject (one query each)."""
    found: dict[str, Member | Resident] = {}
    member = Member.objects.select_related("home_org", "community").filter(user=user).first()
    if member is not None:
        found[Subject.MEMBER] = member
    resident = Resident.objects.select_related("community").filter(user=user).first()
    if resident is not None:
        found[Subject.RESIDENT] = resident
    return found


def _organization_of(record):
    if isinstance(record, Member):
        return record.home_org or record.community
    return record.community


def _is_party_member(record) -> bool:
    return isinstance(record, Member) or getattr(record, "member_id", None) is not None


def _converted(record, field: str, value: str):
    """The proposed value as the field holds it, checked by the field's own rules (format, check digit)."""
    model_field = record._meta.get_field(field)
    value = (value or "").strip()
    try:
        if field == "id_number":
            return parse_id_number(value).number
        if field in PHONE_FIELDS:
            value = normalise(value)
            if not (value.isdigit() and 7 <= len(value) <= 20):
                raise ValidationError(_("Write the phone number in digits."))
        return model_field.clean(value, record)
    except ValidationError as error:
        raise ValidationError({"proposed_value": error.messages}) from error


@transaction.atomic
def ask(*, person, kind: str, subject: str, reason: str, field: str = "", proposed_value: str = "",
        request=None) -> DataRequest:
    """A person asks to correct a field of, or to erase, his or her own record; due in 30 calendar days."""
    record = records_of(person).get(subject)
    if record is None:
        raise ValidationError({"subject": _("No such record is linked to your account.")})
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why.")})
    if kind == RequestKind.CORRECTION:
        if field not in CORRECTABLE[subject]:
            raise ValidationError({"field": _("This field cannot be corrected on request; ask the staff.")})
        _converted(record, field, proposed_value)
        proposed_value = proposed_value.strip()
    elif kind == RequestKind.ERASURE:
        field, proposed_value = "", ""
    else:
        raise ValidationError({"kind": _("Choose a correction or an erasure.")})
    data_request = DataRequest(
        person=person, kind=kind, subject=subject, member=record if subject == Subject.MEMBER else None,
        resident=record if subject == Subject.RESIDENT else None, organization=_organization_of(record),
        field=field, proposed_value=proposed_value[:200], reason=reason[:500],
        due_on=timezone.localdate() + timedelta(days=ANSWER_DAYS))
    if data_request.organization is None:
        raise ValidationError(_("Your record belongs to no organization on this platform; ask the staff."))
    try:
        with transaction.atomic():
            data_request.save()
    except IntegrityError as exc:  # the same request is already open (a double submission)
        raise ValidationError(_("The same request is already waiting for a decision."), code="duplicate") from exc
    audit.record(actor=person, action="privacy.request.create", obj=data_request, subject_user=person,
                 request=request, detail={"kind": kind, "field": field})
    return data_request


def _notify(data_request: DataRequest) -> None:
    from django.urls import reverse

    title = (_("Your request was accepted") if data_request.status == RequestStatus.ACCEPTED
             else _("Your request was refused"))
    Notification.objects.get_or_create(
        user_id=data_request.person_id, key=f"privacy:{data_request.pk}:decided",
        defaults={"title": f"{title}: {data_request}", "body": data_request.decision_reason,
                  "url": reverse("privacy:mine")})


def _apply_correction(data_request: DataRequest, *, by, request=None) -> None:
    record = data_request.record
    value = _converted(record, data_request.field, data_request.proposed_value)
    if isinstance(record, Member):
        member_services.update_member(member=record, changes={data_request.field: value}, by=by, request=request)
    else:
        setattr(record, data_request.field, value)
        member_services.save_resident(resident=record, by=by, request=request)


def _erase(data_request: DataRequest) -> dict[str, int]:
    """Anonymise the resident's record, the requests he or she made and every other trace (wishes, opinions,
    care notes, complaints' contact: ``retention.anonymise_traces``); returns how many records per model."""
    resident = data_request.resident
    requests = list(Request.objects.filter(resident=resident).exclude(
        pk__in=Anonymisation.objects.filter(model="voice.request").values("object_id")))
    for voice_request in requests:
        retention.anonymise_request(voice_request)
    done = {"voice.request": [r.pk for r in requests],
            **retention.anonymise_traces(resident, user_id=resident.user_id)}
    retention.anonymise_resident(resident)
    done["members.resident"] = [resident.pk]
    Anonymisation.objects.bulk_create([
        Anonymisation(model=label, object_id=pk, cause=Cause.ERASURE, data_request=data_request)
        for label, ids in done.items() for pk in ids])
    return {label: len(ids) for label, ids in done.items() if ids}


@transaction.atomic
def decide(*, data_request: DataRequest, accept: bool, reason: str, by, request=None) -> DataRequest:
    """Accept (the correction applied through the owning app's service; an erasure carried out as an
    anonymisation) or refuse, always with a reason; the person is notified."""
    current = DataRequest.objects.select_for_update(of=("self",)).select_related(
        "member", "resident", "organization").get(pk=data_request.pk)
    if current.status != RequestStatus.OPEN:
        raise ValidationError(_("This request has already been decided."), code="decided")
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason for the decision.")})
    detail = {"kind": current.kind, "accepted": accept}
    if accept and current.kind == RequestKind.ERASURE and _is_party_member(current.record):
        raise ValidationError(
            {"accept": [_("A party member's record cannot be erased: refuse with the legal reason.")]},
            code="archive")
    if accept and current.kind == RequestKind.CORRECTION:
        _apply_correction(current, by=by, request=request)
    elif accept:
        detail["anonymised"] = _erase(current)
    current.status = RequestStatus.ACCEPTED if accept else RequestStatus.REFUSED
    current.decision_reason = reason[:500]
    current.decided_by = by
    current.decided_at = timezone.now()
    current.save(update_fields=["status", "decision_reason", "decided_by", "decided_at"])
    audit.record(actor=by, action="privacy.request.decide", obj=current, subject_user=current.person,
                 request=request, detail=detail)
    transaction.on_commit(lambda: _notify(current))
    return current


@transaction.atomic
def record_departure(*, resident: Resident, moved_on: date, by, request=None) -> Departure:
    """A resident moved away: from ``moved_on`` the retention rule for residents counts."""
    if moved_on > timezone.localdate():
        raise ValidationError({"moved_on": _("The day of moving cannot be in the future.")})
    departure, created = Departure.objects.update_or_create(
        resident=resident, defaults={"moved_on": moved_on, "recorded_by": by})
    audit.record(actor=by, action="privacy.departure.create" if created else "privacy.departure.update",
                 obj=departure, organization=resident.community, request=request,
                 detail={"moved_on": moved_on.isoformat()})
    return departure


def run_retention(*, today: date | None = None, dry_run: bool = False, by=None) -> dict[str, int]:
    """Anonymise what the retention rules find due today — a departed resident with every trace of him or her
    (``retention.anonymise_traces``); idempotent (an anonymised record is never taken again). Party members'
    records are never selected; a resident linked to one is kept. One audit row with the counts per category;
    a dry run writes nothing."""
    today = today or timezone.localdate()
    with transaction.atomic():
        requests = list(retention.requests_due(today))
        departures = list(retention.departures_due(today).select_related("resident"))
        kept = [d for d in departures if d.resident.member_id is not None]
        residents = [d.resident for d in departures if d.resident.member_id is None]
        counts = {"voice_requests": len(requests), "departed_residents": len(residents),
                  **retention.traces_due(residents), "kept_party_members": len(kept),
                  "audit_past_retention": retention.audit_past_retention(today)}
        if dry_run:
            return counts
        for voice_request in requests:
            retention.anonymise_request(voice_request)
        done: dict[str, list[int]] = {"voice.request": [r.pk for r in requests], "members.resident": []}
        for resident in residents:
            for label, ids in retention.anonymise_traces(resident, user_id=resident.user_id).items():
                done.setdefault(label, []).extend(ids)
            closed = retention.close_account(resident.user_id)
            retention.anonymise_resident(resident)
            done["members.resident"].append(resident.pk)
            done.setdefault("accounts.user", []).extend(closed)
        Anonymisation.objects.bulk_create([Anonymisation(model=label, object_id=pk, cause=Cause.RETENTION)
                                           for label, ids in done.items() for pk in ids])
        rules = retention.rules()
        audit.record(actor=by, action="privacy.retention.run",
                     detail={**counts, "day": today.isoformat(), "request_years": rules.request_years,
                             "resident_years": rules.resident_years, "audit_days": rules.audit_days})
    return counts
