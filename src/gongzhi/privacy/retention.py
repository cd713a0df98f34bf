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
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gongzhi.core.models import AuditEvent
from gongzhi.core.partitions import LEGAL_MINIMUM_DAYS as AUDIT_MINIMUM_DAYS
from gongzhi.members.models import Resident
from gongzhi.voice.models import Request, RequestEvent, Status

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
