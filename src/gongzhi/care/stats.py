"""Care's figures for an organization's subtree and a period (area "care"): pairings in force at the
period's end, home visits made, and the share of them made on time (within the pairing's interval since
the previous visit, or since the pairing began)."""

from __future__ import annotations

from django.db.models import F, Q, Window
from django.db.models.functions import Lag
from django.utils.translation import gettext_lazy as _

from gongzhi.core.figures import percent
from gongzhi.core.registries import Figure

from .models import Pairing, Visit


def pairings(organization, period) -> int:
    return Pairing.objects.filter(resident__community__path__startswith=organization.path,
                                  started_on__lte=period.end).filter(
        Q(ended_on__isnull=True) | Q(ended_on__gt=period.end)).count()


def _visits(organization):
    return Visit.objects.filter(pairing__resident__community__path__startswith=organization.path)


def visits(organization, period) -> int:
    return _visits(organization).filter(visited_on__gte=period.start, visited_on__lte=period.end).count()


def visits_on_time(organization, period):
    """One query: each visit of the period with the one before it (a window over all the pairing's visits)."""
    rows = (_visits(organization).filter(visited_on__lte=period.end)
            .annotate(previous=Window(Lag("visited_on"), partition_by=[F("pairing_id")],
                                      order_by=[F("visited_on").asc(), F("id").asc()]))
            .values_list("visited_on", "previous", "pairing__started_on", "pairing__frequency_days"))
    counted = on_time = 0
    for visited_on, previous, started_on, every in rows:
        if visited_on < period.start:
            continue
        counted += 1
        on_time += (visited_on - (previous or started_on)).days <= every
    return percent(on_time, counted)


FIGURES = [
    Figure(key="care.pairings", label=_("Pairings in force"), unit="count", area="care", compute=pairings,
           at_date=True, description=_("Members and co-building units paired with residents in need.")),
    Figure(key="care.visits", label=_("Home visits"), unit="count", area="care", compute=visits),
    Figure(key="care.visits_on_time", label=_("Home visits on time"), unit="percent", area="care",
           compute=visits_on_time,
           description=_("Of the visits in the period, the share made within the pairing's interval since the "
                         "previous visit.")),
]
