"""Residents' voice figures for an organization's subtree and a period (area "residents"): requests
received, answered on time, resolved and rated satisfactory (the request figures page's selector), small
wishes fulfilled and consultations opened."""

from __future__ import annotations

from django.db.models import Count
from django.db.models.functions import Substr, TruncMonth
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gongzhi.core.figures import child_paths, child_prefix, month_key, percent, shared
from gongzhi.core.registries import Figure

from . import selectors
from .models import Category, Consultation, ConsultationStatus, Request, Wish


def _requests(organization, period):
    return Request.objects.filter(community__path__startswith=organization.path,
                                  created_at__date__gte=period.start, created_at__date__lte=period.end)


@shared
def _figures(organization, period) -> dict:
    return selectors.figures(_requests(organization, period))


def requests(organization, period) -> int:
    return _requests(organization, period).count()


def requests_by_months(organization, months) -> list[int]:
    """``requests`` of each month in one query (months of local time, as ``created_at__date`` compares)."""
    rows = (Request.objects.filter(community__path__startswith=organization.path,
                                   created_at__date__gte=months[0].start, created_at__date__lte=months[-1].end)
            .annotate(month=TruncMonth("created_at")).values_list("month").annotate(n=Count("id")).order_by())
    found = {month_key(timezone.localtime(moment)): n for moment, n in rows}
    return [found.get(month_key(m.start), 0) for m in months]


def requests_by_children(parent, children, period) -> dict[int, int]:
    """``requests`` of each child in one query (grouped by the child the request's community lies under)."""
    paths = child_paths(parent, children)
    rows = (_requests(parent, period).annotate(child=Substr("community__path", 1, child_prefix(parent)))
            .values_list("child").annotate(n=Count("id")).order_by())
    found = {paths[child]: n for child, n in rows if child in paths}
    return {pk: found.get(pk, 0) for pk in paths.values()}


def requests_by_category(organization, period):
    rows = {row["category"]: row["received"] for row in selectors.figures(_requests(organization, period),
                                                                         by="category")}
    return [(str(label), rows[value]) for value, label in Category.choices if rows.get(value)]


def answered_on_time(organization, period):
    row = _figures(organization, period)
    return percent(row["answered_on_time"], row["received"])


def resolved(organization, period):
    row = _figures(organization, period)
    return percent(row["resolved"], row["received"])


def satisfaction(organization, period):
    row = _figures(organization, period)
    return percent(row["satisfied"], row["rated"])


def wishes_fulfilled(organization, period) -> int:
    return Wish.objects.filter(community__path__startswith=organization.path, fulfilled_at__date__gte=period.start,
                               fulfilled_at__date__lte=period.end).count()


def consultations(organization, period) -> int:
    return (Consultation.objects.filter(community__path__startswith=organization.path, opens_on__gte=period.start,
                                        opens_on__lte=period.end).exclude(status=ConsultationStatus.DRAFT).count())


FIGURES = [
    Figure(key="voice.requests", label=_("Requests received"), unit="count", area="residents", compute=requests,
           breakdown=requests_by_category, higher_is_better=None, by_months=requests_by_months,
           by_children=requests_by_children),
    Figure(key="voice.answered_on_time", label=_("Requests answered on time"), unit="percent", area="residents",
           compute=answered_on_time,
           description=_("Of the requests received in the period, the share first answered by the deadline.")),
    Figure(key="voice.resolved", label=_("Requests resolved"), unit="percent", area="residents", compute=resolved,
           description=_("Of the requests received in the period, the share resolved.")),
    Figure(key="voice.satisfaction", label=_("Residents satisfied"), unit="percent", area="residents",
           compute=satisfaction,
           description=_("Of the rated answers to requests received in the period, the share rated satisfied or "
                         "basically satisfied.")),
    Figure(key="voice.wishes_fulfilled", label=_("Small wishes fulfilled"), unit="count", area="residents",
           compute=wishes_fulfilled),
    Figure(key="voice.consultations", label=_("Consultations opened"), unit="count", area="residents",
           compute=consultations),
]
