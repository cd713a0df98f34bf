"""Writes to core records: the table of public holidays and make-up working days; and
``model_update``, the one helper every app's services use to change fields of a record.

Each write checks the rules of the arrangement, runs in one transaction with its audit row, and
tells the apps after commit when a year becomes complete (``signals.workdays_completed``), so that
deadlines counted on weekends only are counted again.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from . import audit, workdays
from .models import CalendarDay, CalendarSource, CalendarYear, DayKind
from .periods import valid_year
from .signals import workdays_completed

MAX_SPAN_DAYS = 31


def model_update(*, instance, fields: list[str] | tuple[str, ...], data: dict, clean: bool = True):
    """Set ``fields`` of ``instance`` from ``data`` (only those present), validate them with
    ``full_clean()`` (the changed fields' validators, the model's ``clean()`` and the constraints on
    them; fields left alone are not judged again: a row written before a rule existed stays updatable)
    and save only the fields that changed. Returns ``(instance, changed)``; nothing is written when
    nothing changed. Call it inside the service's transaction, next to its audit row (HackSoft's
    ``model_update``)."""
    changed = []
    for name in fields:
        if name in data and getattr(instance, name) != data[name]:
            setattr(instance, name, data[name])
            changed.append(name)
    if changed:
        if clean:
            instance.full_clean(exclude=[f.name for f in instance._meta.concrete_fields if f.name not in changed])
        if any(f.name == "updated_at" for f in instance._meta.concrete_fields):
            changed.append("updated_at")
        instance.save(update_fields=changed)
    return instance, changed


def mark_notifications_read(*, user) -> int:
    """Mark all of one's unread notifications read; returns how many. One's own inbox: no audit row."""
    from django.utils import timezone

    from .models import Notification

    return Notification.objects.for_user(user).unread().update(read_at=timezone.now())


def _by(user):
    return user if getattr(user, "is_authenticated", False) else None


def _announce(years: list[int]) -> None:
    if years:
        transaction.on_commit(lambda: workdays_completed.send(sender=CalendarYear, years=sorted(years)))


@transaction.atomic
def enter_days(*, first: date, last: date, kind: str, festival: str, name: str = "", by,
               request=None) -> list[CalendarDay]:
    """Record ``first``..``last`` as public holidays or make-up working days; days already in the table
    are replaced (the administrator's entry wins over the package's)."""
    if last < first:
        raise ValidationError(_("The last day comes before the first."))
    if (last - first).days >= MAX_SPAN_DAYS:
        raise ValidationError(_("Enter at most %(n)s days at a time.") % {"n": MAX_SPAN_DAYS})
    if not (valid_year(first.year) and valid_year(last.year)):
        raise ValidationError(_("Choose a date between 2000 and 2100."))
    span = [first + timedelta(days=i) for i in range((last - first).days + 1)]
    if kind == DayKind.WORKDAY:
        weekdays = [d for d in span if d.weekday() < 5]
        if weekdays:
            raise ValidationError(
                _("A make-up working day is a Saturday or a Sunday; %(days)s are working days anyway.")
                % {"days": ", ".join(d.isoformat() for d in weekdays)})
    existing = {d.day: d for d in CalendarDay.objects.select_for_update().filter(day__range=(first, last))}
    saved = []
    for day in span:
        row = existing.get(day) or CalendarDay(day=day)
        row.kind, row.festival, row.name = kind, festival, (name or "").strip()[:60]
        row.source, row.created_by = CalendarSource.ENTERED, _by(by)
        row.full_clean(exclude=["day"] if row.pk else None)
        row.save()
        saved.append(row)
    audit.record(actor=by, action="core.calendar.enter", request=request,
                 detail={"first": first.isoformat(), "last": last.isoformat(), "kind": kind,
                         "festival": festival, "days": len(saved), "replaced": len(existing)})
    return saved


@transaction.atomic
def remove_days(*, first: date, last: date, by, request=None) -> int:
    """Remove the special days from ``first`` to ``last`` (they become ordinary days again)."""
    if last < first or (last - first).days >= 366:
        raise ValidationError(_("The last day comes before the first."))
    rows = CalendarDay.objects.filter(day__range=(first, last))
    count = rows.count()
    if not count:
        raise ValidationError(_("There is nothing to remove on these days."))
    audit.record(actor=by, action="core.calendar.remove", request=request,
                 detail={"first": first.isoformat(), "last": last.isoformat(), "days": count})
    rows.delete()
    return count


@transaction.atomic
def complete_year(*, year: int, by, request=None, source: str = CalendarSource.ENTERED) -> CalendarYear:
    """Declare the arrangement of ``year`` complete: from now on its holidays count, and deadlines counted
    on weekends only for it are counted again after commit."""
    if not valid_year(year):
        raise ValidationError(_("Choose a year between 2000 and 2100."))
    if CalendarYear.objects.select_for_update().filter(year=year).exists():
        raise ValidationError(_("The arrangement for %(year)s is already complete.") % {"year": year})
    if not CalendarDay.objects.filter(day__year=year, kind=DayKind.HOLIDAY).exists():
        raise ValidationError(_("Enter the public holidays of %(year)s first: every year has some.")
                              % {"year": year})
    row = CalendarYear(year=year, source=source, completed_by=_by(by))
    row.full_clean()
    row.save()
    audit.record(actor=by, action="core.calendar.complete", request=request, detail={"year": year, "source": source})
    _announce([year])
    return row


@transaction.atomic
def reopen_year(*, year: int, by, request=None) -> None:
    """Take back "complete" (entered by mistake): counting for the year falls back to weekends only
    and staff are warned again."""
    deleted, _rows = CalendarYear.objects.filter(year=year).delete()
    if not deleted:
        raise ValidationError(_("The arrangement for %(year)s is not marked complete.") % {"year": year})
    audit.record(actor=by, action="core.calendar.reopen", request=request, detail={"year": year})


@transaction.atomic
def take_from_package(*, year: int, by=None, request=None) -> CalendarYear:
    """Copy ``year`` from the installed chinese-calendar package (days already entered are kept) and mark
    it complete."""
    if year not in workdays.package_years():
        raise ValidationError(_("The installed chinese-calendar package has no arrangement for %(year)s.")
                              % {"year": year})
    present = set(CalendarDay.objects.filter(day__year=year).values_list("day", flat=True))
    rows = [CalendarDay(day=day, kind=kind, festival=festival, name=name, source=CalendarSource.PACKAGE)
            for day, kind, festival, name in workdays.package_days(year) if day not in present]
    CalendarDay.objects.bulk_create(rows)
    audit.record(actor=by, action="core.calendar.package", request=request, detail={"year": year, "days": len(rows)})
    return complete_year(year=year, by=by, request=request, source=CalendarSource.PACKAGE)


def create_partitions_ahead(*, years: int = 1, by=None, today: date | None = None) -> dict:
    """PostgreSQL: the history tables' partitions for this year and ``years`` ahead, and those the
    rows waiting in a default partition need (moved there); one audit row per table that changed.
    Idempotent; on SQLite nothing to do (returns {})."""
    from django.db import connection

    from . import partitions

    if connection.vendor != "postgresql":
        return {}
    if not 1 <= years <= 10:
        raise ValueError("years must be between 1 and 10")
    done = {}
    with transaction.atomic():
        for table, result in partitions.ahead(connection, years=years, today=today).items():
            done[table] = {"created": result.created, "moved_years": result.moved_years}
            if result.created:
                audit.record(actor=by, action="core.partition.create",
                             detail={"table": table, "created": result.created, "moved_years": result.moved_years})
    return done


def detach_old_audit_partitions(*, by=None, dry_run: bool = False, now=None) -> dict:
    """PostgreSQL: detach the audit log's year partitions whose every row is older than the retention
    period (``GONGZHI_AUDIT_RETENTION_DAYS``, never under 180 days). The ledger is never detached.
    Each detachment is audited in the log that stays. Needs the owner role (DDL)."""
    from django.db import connection

    from . import partitions

    if connection.vendor != "postgresql" or not partitions.is_partitioned(connection, "core_auditevent"):
        return {"detached": [], "kept": [], "cutoff": None}
    cutoff = partitions.retention_cutoff(now)
    with transaction.atomic():
        ready, kept = partitions.detachable(connection, "core_auditevent", now=now)
        if not dry_run:
            for part in ready:
                partitions.detach(connection, "core_auditevent", part.partition)
                audit.record(actor=by, action="core.partition.detach",
                             detail={"table": "core_auditevent", "partition": part.partition, "year": part.year,
                                     "rows": part.rows, "newest": part.newest.isoformat() if part.newest else None,
                                     "cutoff": cutoff.isoformat()})
    return {"detached": [p.partition for p in ready], "rows": {p.partition: p.rows for p in ready},
            "kept": kept, "cutoff": cutoff}
