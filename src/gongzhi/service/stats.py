"""Service's figures for an organization's subtree and a period (area "service"): activities held, times
members and residents took part (check-ins), and hours served."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

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


FIGURES = [
    Figure(key="service.activities", label=_("Service activities"), unit="count", area="service",
           compute=activities, breakdown=activities_by_kind,
           description=_("Activities held in the period (cancelled ones left out).")),
    Figure(key="service.participations", label=_("Times members and residents served"), unit="times",
           area="service", compute=participations,
           description=_("Check-ins at the activities in the period.")),
    Figure(key="service.hours", label=_("Service hours"), unit="hours", area="service", compute=hours),
]
