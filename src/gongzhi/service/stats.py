"""Service's figures for an organization's subtree and a period (area "service"): activities held, times
members and residents took part (check-ins), and hours served."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from decimal import Decimal

from django.db.models import Count, Sum
from django.db.models.functions import Substr, TruncMonth
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gongzhi.core.figures import child_paths, child_prefix, month_key
from gongzhi.core.registries import Figure

from . import selectors
from .models import Activity, ActivityKind, CheckIn


def _bounds(period):
    """The period's first and last day as a range of local times (so that the indexes on the times serve)."""
    start = timezone.make_aware(datetime.combine(period.start, time.min))
    return start, timezone.make_aware(datetime.combine(period.end + timedelta(days=1), time.min))


def _activities(organization, period):
    start, end = _bounds(period)
    return Activity.objects.not_cancelled().filter(organization__path__startswith=organization.path,
                                                   starts_at__gte=start, starts_at__lt=end)


def activities(organization, period) -> int:
    return _activities(organization, period).count()


def activities_by_kind(organization, period):
    found = dict(_activities(organization, period).values_list("kind").annotate(n=Count("id")).order_by())
    return [(str(label), found.get(value, 0)) for value, label in ActivityKind.choices if found.get(value)]


def _checkins(organization, period):
    start, end = _bounds(period)
    return CheckIn.objects.filter(activity__organization__path__startswith=organization.path,
                                  checked_in_at__gte=start, checked_in_at__lt=end)


def participations(organization, period) -> int:
    return _checkins(organization, period).count()


def hours(organization, period):
    return selectors.hours(_checkins(organization, period))


def _months_bounds(months):
    return _bounds(type(months[0])(months[0].start, months[-1].end, "range"))


def _by_month(rows, months, empty):
    found = {month_key(timezone.localtime(moment) if isinstance(moment, datetime) else moment): value
             for moment, value in rows}
    return [found.get(month_key(m.start), empty) for m in months]


def activities_by_months(organization, months) -> list[int]:
    """``activities`` of each month in one query."""
    start, end = _months_bounds(months)
    rows = (Activity.objects.not_cancelled().filter(organization__path__startswith=organization.path,
                                                    starts_at__gte=start, starts_at__lt=end)
            .annotate(month=TruncMonth("starts_at")).values_list("month").annotate(n=Count("id")).order_by())
    return _by_month(rows, months, 0)


def _hours(total) -> Decimal:
    return Decimal(str(total or 0)).quantize(Decimal("0.01"))  # as selectors.hours: SQLite sums as floats


def hours_by_months(organization, months) -> list[Decimal]:
    """``hours`` of each month in one query."""
    start, end = _months_bounds(months)
    rows = (CheckIn.objects.filter(activity__organization__path__startswith=organization.path,
                                   checked_in_at__gte=start, checked_in_at__lt=end)
            .annotate(month=TruncMonth("checked_in_at")).values_list("month").annotate(total=Sum("hours")).order_by())
    return [_hours(total) for total in _by_month(rows, months, None)]


def hours_by_children(parent, children, period) -> dict[int, Decimal]:
    """``hours`` of each child in one query (grouped by the child the activity's organization lies under)."""
    paths = child_paths(parent, children)
    rows = (_checkins(parent, period).annotate(child=Substr("activity__organization__path", 1, child_prefix(parent)))
            .values_list("child").annotate(total=Sum("hours")).order_by())
    found = {paths[child]: total for child, total in rows if child in paths}
    return {pk: _hours(found.get(pk)) for pk in paths.values()}


FIGURES = [
    Figure(key="service.activities", label=_("Service activities"), unit="count", area="service",
           compute=activities, breakdown=activities_by_kind, by_months=activities_by_months,
           description=_("Activities held in the period (cancelled ones left out).")),
    Figure(key="service.participations", label=_("Times members and residents served"), unit="times",
           area="service", compute=participations,
           description=_("Check-ins at the activities in the period.")),
    Figure(key="service.hours", label=_("Service hours"), unit="hours", area="service", compute=hours,
           by_months=hours_by_months, by_children=hours_by_children),
]
