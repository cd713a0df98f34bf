"""Retention rules per category of data, and what each rule finds due on a day.

The rules are settings of the deployment (environment variables, see docs/privacy.md):

* ``GONGZHI_RETENTION_REQUEST_YEARS`` — a resident's request (接诉即办) is anonymised this many years after it
  was closed (resolved, or closed after the rating);
* ``GONGZHI_RETENTION_RESIDENT_YEARS`` — a resident who moved away is anonymised this many years after the day
  of moving;
* ``GONGZHI_AUDIT_RETENTION_DAYS`` — the audit log is kept at least this many days; below 180 (the Cybersecurity
  Law's minimum) the deployment refuses to start (system check ``gongzhi.E002``).

A record becomes due on the anniversary of its date: closed on 2023-05-10 with three years, it is anonymised
from 2026-05-10 on, not on 2026-05-09. A record closed on 29 February is due on 1 March.

Party members' records are archives: no rule here selects them, and a resident linked to a party member's
record is kept whatever the rule says.

Anonymising a resident reaches every trace of him or her (:func:`anonymise_traces`): the small wishes, the
opinions on consultations, the care records' notes, and the name and phone left on complaints; what the
statistics count (dates, organizations, status, the option supported) stays.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gongzhi.care.models import CareTag, Visit
from gongzhi.core.models import AuditEvent
from gongzhi.core.partitions import LEGAL_MINIMUM_DAYS as AUDIT_MINIMUM_DAYS
from gongzhi.members.models import Member, Resident
from gongzhi.supervision.models import Complaint
from gongzhi.voice.models import Opinion, Request, RequestEvent, Status, Wish

from .models import ANONYMISED, Anonymisation, Departure


@dataclass(frozen=True)
class Rules:
    request_years: int
    resident_years: int
    audit_days: int


def rules() -> Rules:
    return Rules(
        request_years=int(getattr(settings, "GONGZHI_RETENTION_REQUEST_YEARS", 3)),
        resident_years=int(getattr(settings, "GONGZHI_RETENTION_RESIDENT_YEARS", 2)),
        # The check refuses less than the minimum at start; this guards a setting changed at run time.
        audit_days=max(AUDIT_MINIMUM_DAYS, int(getattr(settings, "GONGZHI_AUDIT_RETENTION_DAYS", 365))),
    )


CATEGORIES = {
    "voice_requests": _("Residents' requests closed longer ago than the rule"),
    "departed_residents": _("Residents who moved away longer ago than the rule"),
    "wishes": _("Small wishes of the residents anonymised"),
    "opinions": _("Opinions on consultations of the residents anonymised"),
    "care_records": _("Care tags' notes and visit notes about the residents anonymised"),
    "complaints": _("Complaints the residents made: their name, phone and account removed"),
    "accounts": _("Accounts only the departed residents used: closed, their name and mobile removed"),
    "kept_party_members": _("Residents kept as party members' records"),
    "audit_past_retention": _("Audit rows older than the audit rule (kept: append-only)"),
}


def years_before(day: date, years: int) -> date:
    """The same calendar day ``years`` earlier (28 February for a 29 February that does not exist)."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


def _start_of(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def _anonymised(model: str):
    return Anonymisation.objects.filter(model=model).values("object_id")


def requests_due(today: date):
    """Closed requests whose closing day is on or before the day the rule's years ago."""
    cutoff = years_before(today, rules().request_years)
    return (Request.objects.filter(status__in=[Status.RESOLVED, Status.CLOSED],
                                   resolved_at__lt=_start_of(cutoff + timedelta(days=1)))
            .exclude(pk__in=_anonymised("voice.request")).order_by("pk"))


def departures_due(today: date):
    cutoff = years_before(today, rules().resident_years)
    return (Departure.objects.filter(moved_on__lte=cutoff)
            .exclude(resident_id__in=_anonymised("members.resident")).order_by("pk"))


def audit_past_retention(today: date) -> int:
    return AuditEvent.objects.filter(created_at__lt=_start_of(today - timedelta(days=rules().audit_days))).count()


def anonymise_request(request: Request) -> None:
    """Keep the category, dates, organizations, status and rating for the statistics; drop who and what."""
    request.text = ANONYMISED
    request.address = ""
    request.contact_phone = ""
    request.resident = None
    request.rating_comment = ""
    request.save()
    for event in RequestEvent.objects.filter(request=request).exclude(note=""):
        event.note = ANONYMISED
        event.save()


def anonymise_resident(resident: Resident) -> None:
    """Keep the community, sex, year of birth and relation for the statistics; drop name, ID number, phone,
    household and the link to an account."""
    resident.name = ANONYMISED
    resident.id_number = None
    resident.phone = ""
    resident.household = None
    resident.user = None
    resident.save()


#: The traces of a resident besides the record and the requests: the model's label → the category counted.
TRACES = {"voice.wish": "wishes", "voice.opinion": "opinions", "care.caretag": "care_records",
          "care.visit": "care_records", "supervision.complaint": "complaints"}


def _left(queryset, label: str) -> list:
    """The rows of ``queryset`` not anonymised yet (each is anonymised once: privacy.Anonymisation)."""
    return list(queryset.exclude(pk__in=_anonymised(label)).order_by("pk"))


def anonymise_traces(resident: Resident, *, user_id: int | None) -> dict[str, list[int]]:
    """Anonymise what else the resident wrote or what was written about him or her, keeping what the
    statistics count; returns the ids per model label (for the Anonymisation rows). ``user_id`` is the
    account the resident record was linked to (read before :func:`anonymise_resident` drops the link).

    * small wishes (``voice.Wish``): text → ``***``, the link to the resident and the photo dropped (and the
      author if it was the resident's account); community, status, the member who claimed it, dates kept;
    * opinions on consultations (``voice.Opinion``): text → ``***``; the option supported stays (the count of
      supporters), and so does the link to the (anonymised) resident that keeps one opinion per resident;
    * care: the tags' notes emptied (the kind stays, sealed), the visits' notes and needs found → ``***``;
    * complaints (``supervision.Complaint``) sent from the resident's account: the name, phone and the link to
      the account dropped; what happened and the case stay (they concern the person complained about, a
      supervision record) — unless the account is also a party member's, whose records are archives.
    """
    done: dict[str, list[int]] = {}
    wishes = _left(Wish.objects.filter(resident=resident), "voice.wish")
    for wish in wishes:
        photo = wish.photo.name
        wish.text, wish.resident, wish.photo, wish.photo_type = ANONYMISED, None, "", ""
        if user_id is not None and wish.created_by_id == user_id:
            wish.created_by = None
        wish.save(update_fields=["text", "resident", "photo", "photo_type", "created_by"])
        if photo:
            storage = wish.photo.storage
            transaction.on_commit(lambda name=photo, storage=storage: storage.delete(name))
    done["voice.wish"] = [w.pk for w in wishes]
    opinions = _left(Opinion.objects.filter(resident=resident).exclude(text=""), "voice.opinion")
    Opinion.objects.filter(pk__in=[o.pk for o in opinions]).update(text=ANONYMISED)
    done["voice.opinion"] = [o.pk for o in opinions]
    tags = _left(CareTag.objects.filter(resident=resident).exclude(note=""), "care.caretag")
    for tag in tags:
        tag.note = ""
        tag.save(update_fields=["note"])
    done["care.caretag"] = [t.pk for t in tags]
    visits = _left(Visit.objects.filter(pairing__resident=resident), "care.visit")
    visits = [v for v in visits if v.note or v.need]
    for visit in visits:
        visit.note = ANONYMISED if visit.note else ""
        visit.need = ANONYMISED if visit.need else ""
        visit.save(update_fields=["note", "need"])
    done["care.visit"] = [v.pk for v in visits]
    complaints = []
    if user_id is not None and not Member.objects.filter(user_id=user_id).exists():
        complaints = _left(Complaint.objects.filter(submitted_by_id=user_id), "supervision.complaint")
        for complaint in complaints:
            complaint.submitted_by, complaint.contact_name, complaint.contact_phone = None, "", ""
            complaint.save(update_fields=["submitted_by", "contact_name", "contact_phone"])
    done["supervision.complaint"] = [c.pk for c in complaints]
    return done


def closable_accounts(user_ids):
    """The accounts among ``user_ids`` that only a resident uses: no party member's record is linked to them and
    they hold no role but a resident's (staff accounts and members' accounts are never closed here)."""
    from gongzhi.accounts.models import Role, RoleKind, User

    ids = set(user_ids)
    keep = set(Member.objects.filter(user_id__in=ids).values_list("user_id", flat=True))
    keep |= set(Role.objects.filter(user_id__in=ids).exclude(kind=RoleKind.RESIDENT).values_list("user_id", flat=True))
    return User.objects.filter(pk__in=ids - keep).exclude(pk__in=_anonymised("accounts.user"))


def close_account(user_id: int | None) -> list[int]:
    """A departed resident's own account, when only he or she used it (:func:`closable_accounts`): it can no
    longer sign in (inactive, no usable password) and keeps no name, e-mail or mobile; the id stays for the
    records that name it as their author. Returns the ids closed (for the Anonymisation rows)."""
    if user_id is None:
        return []
    closed = []
    for account in closable_accounts([user_id]):
        account.username = f"anonymised-{account.pk}"
        account.display_name = account.first_name = account.last_name = account.email = ""
        account.mobile = None
        account.is_active = False
        account.set_unusable_password()
        account.save()
        closed.append(account.pk)
    return closed


def traces_due(residents) -> dict[str, int]:
    """How many traces anonymising ``residents`` would touch, per category (for a dry run)."""
    counts = dict.fromkeys(dict.fromkeys(TRACES.values()), 0)
    ids = [r.pk for r in residents]
    users = [r.user_id for r in residents if r.user_id is not None]
    users = list(set(users) - set(Member.objects.filter(user_id__in=users).values_list("user_id", flat=True)))
    counts["wishes"] = Wish.objects.filter(resident__in=ids).exclude(pk__in=_anonymised("voice.wish")).count()
    counts["opinions"] = (Opinion.objects.filter(resident__in=ids).exclude(text="")
                          .exclude(pk__in=_anonymised("voice.opinion")).count())
    counts["care_records"] = (
        CareTag.objects.filter(resident__in=ids).exclude(note="").exclude(pk__in=_anonymised("care.caretag")).count()
        + Visit.objects.filter(pairing__resident__in=ids).exclude(note="", need="")
        .exclude(pk__in=_anonymised("care.visit")).count())
    counts["complaints"] = (Complaint.objects.filter(submitted_by_id__in=users)
                            .exclude(pk__in=_anonymised("supervision.complaint")).count())
    counts["accounts"] = closable_accounts(users).count()
    return counts
