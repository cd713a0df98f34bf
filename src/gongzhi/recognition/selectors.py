"""The activation rate (docs/domain.md): the share of a subtree's members with at least one service
record in a period — a check-in, a care visit or a fulfilled small wish — and who is not yet
activated. Each figure is one query.

Whole months of a period are read from the summary of who served per month (``ServedMonth``, kept by
triggers: ``recognition.summary``), one index probe per member; only the days of a period that do not
fill a month (a week, a range starting mid-month) are looked up in the records themselves. Both give
the same answer (tests/recognition/test_served_summary.py)."""

from __future__ import annotations

from datetime import date, timedelta

from django.db.models import Count, Exists, OuterRef

from gongzhi.points.selectors import subtree_members


def _day_start(day: date):
    from datetime import datetime, time

    from django.utils import timezone

    return timezone.make_aware(datetime.combine(day, time.min))


def served_in_records(start: date, end: date):
    """Whether the member has a service record between the first and the last day (local time), read
    from the records: a check-in, a care visit to a paired resident or a small wish fulfilled
    (docs/domain.md's activation). Times are compared as ranges so that their indexes serve."""
    from gongzhi.care.models import Visit
    from gongzhi.service.models import CheckIn
    from gongzhi.voice.models import Wish, WishStatus

    since, until = _day_start(start), _day_start(end + timedelta(days=1))
    return (Exists(CheckIn.objects.filter(member=OuterRef("pk"), checked_in_at__gte=since, checked_in_at__lt=until))
            | Exists(Visit.objects.filter(pairing__member=OuterRef("pk"), visited_on__gte=start, visited_on__lte=end))
            | Exists(Wish.objects.filter(claimed_by=OuterRef("pk"), status__in=[WishStatus.FULFILLED,
                                                                                 WishStatus.CONFIRMED],
                                         fulfilled_at__gte=since, fulfilled_at__lt=until)))


def whole_months(start: date, end: date) -> tuple[date, date] | None:
    """The first days of the first and the last whole month within ``start``–``end``, or ``None``."""
    first = start if start.day == 1 else (start.replace(day=28) + timedelta(days=4)).replace(day=1)
    after_end = end + timedelta(days=1)
    last = (after_end.replace(day=1) - timedelta(days=1)).replace(day=1)  # the month that ends by ``end``
    return (first, last) if first <= last else None


def served(start: date, end: date):
    """Whether the member has a service record between the first and the last day (local time): the
    summary for the whole months of the period, the records for the days before and after them. A
    member with no summary row in such an edge month served on none of its days, so the records are
    probed only for members with a row there (the summary's probe comes first)."""
    from .models import ServedMonth

    def in_summary(first: date, last: date):
        return Exists(ServedMonth.objects.filter(member=OuterRef("pk"), month__gte=first, month__lte=last))

    def month_of(day: date) -> date:
        return day.replace(day=1)

    months = whole_months(start, end)
    if months is None:
        return in_summary(month_of(start), month_of(end)) & served_in_records(start, end)
    first, last = months
    condition = in_summary(first, last)
    if start < first:
        condition |= in_summary(month_of(start), month_of(start)) & served_in_records(start, first - timedelta(days=1))
    last_day = (last + timedelta(days=31)).replace(day=1) - timedelta(days=1)
    if end > last_day:
        condition |= in_summary(month_of(end), month_of(end)) & served_in_records(last_day + timedelta(days=1), end)
    return condition


def activation(organization, start: date, end: date) -> dict:
    """Share of the subtree's members with at least one service record in the period (one query)."""
    figures = subtree_members(organization).aggregate(
        total=Count("pk"), active=Count("pk", filter=served(start, end)))
    total, active = figures["total"], figures["active"]
    return {"total": total, "active": active, "rate": (active / total) if total else None}


def not_activated(organization, start: date, end: date, *, limit: int = 200) -> list:
    """The first ``limit`` members of the subtree without a service record in the period, by branch (its path),
    then name; members whose membership is held outside the platform (no branch here) come last.

    Those held by a branch are read through an inner join to it, which lets the database walk the branches in
    path order and stop at ``limit`` (an outer join sorts every member of the subtree first); the others only
    when there is room left. The columns the list shows only (no sealed personal data read); "served" is a
    condition, not a column."""
    members = subtree_members(organization).filter(~served(start, end)).only(
        "id", "name", "home_org_name", "home_org__id", "home_org__name")
    held = list(members.filter(home_org__path__isnull=False).select_related("home_org")
                .order_by("home_org__path", "name")[:limit])
    if len(held) < limit:
        held += members.filter(home_org__isnull=True).order_by("name")[: limit - len(held)]
    return held


