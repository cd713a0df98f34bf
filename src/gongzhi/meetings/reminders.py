"""Reminders: a few useful notifications, not a stream. For every branch and required kind,
one "due soon" notice in the last days of the period and one "overdue" notice after the
period ended unheld, to the branch's secretaries. Idempotent: the notification key names
branch, kind and period, and (user, key) is unique. New notices go on to the senders named
in ``GONGZHI_REMINDER_SENDERS`` (email, SMS; none by default)."""

from __future__ import annotations

from datetime import date, timedelta

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from gongzhi.core.models import Notification
from gongzhi.orgs.models import Organization, OrgKind

from . import compliance
from .models import MeetingKind
from .services import branch_secretaries

DAYS_BEFORE_DEADLINE = 7


def senders() -> list:
    return [import_string(path)() for path in getattr(settings, "GONGZHI_REMINDER_SENDERS", [])]


def run_reminders(today: date | None = None) -> dict:
    today = today or timezone.localdate()
    branches = list(Organization.objects.filter(kind=OrgKind.BRANCH, is_active=True).order_by("path"))
    secretaries = branch_secretaries([b.pk for b in branches])
    url = reverse("meetings:calendar")
    notes: list[Notification] = []
    for kind in compliance.REQUIRED_KINDS:
        label = MeetingKind(kind).label
        requirements = compliance.requirements_for(branches, kind)
        spans = {}
        for branch in branches:
            period = requirements[branch.pk].period
            spans[branch.pk] = [compliance.period_containing(period, today), compliance.previous_period(period, today)]
        cells = compliance.evaluate(branches, kind, spans, today)
        for branch in branches:
            current, previous = spans[branch.pk]
            due = cells[(branch.pk, current.key)]
            late = cells[(branch.pk, previous.key)]
            for user_id in secretaries.get(branch.pk, []):
                if due.state == compliance.CellState.DUE and (current.end - today) <= timedelta(DAYS_BEFORE_DEADLINE):
                    notes.append(Notification(
                        user_id=user_id, url=url, key=f"meetings:due:{branch.pk}:{kind}:{current.key}",
                        title=_("%(kind)s due by %(day)s") % {"kind": label, "day": current.end},
                        body=branch.name))
                if late.state == compliance.CellState.OVERDUE:
                    notes.append(Notification(
                        user_id=user_id, url=url, key=f"meetings:overdue:{branch.pk}:{kind}:{previous.key}",
                        title=_("%(kind)s overdue for %(period)s") % {"kind": label, "period": previous.key},
                        body=branch.name))
    existing = set(Notification.objects.filter(key__startswith="meetings:", key__in=[n.key for n in notes])
                   .values_list("user_id", "key"))
    new = [n for n in notes if (n.user_id, n.key) not in existing]
    Notification.objects.bulk_create(new, ignore_conflicts=True)
    delivered = 0
    for sender in senders():
        for note in new:
            sender.send(note)
            delivered += 1
    return {"checked": len(notes), "created": len(new), "delivered": delivered}
