"""The publicity board's figures for an organization's subtree and a period: items published, the share of
the catalogue's publications made on time, and those overdue at the period's end."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gongzhi.core.figures import shared
from gongzhi.core.registries import Figure
from gongzhi.orgs.models import COMMUNITY_LEVEL, Organization

from . import catalogue, selectors


def _communities(organization) -> list:
    return list(Organization.objects.filter(path__startswith=organization.path, kind__in=COMMUNITY_LEVEL,
                                            is_active=True))


@shared
def _dues(organization, day):
    return catalogue.dues_for(_communities(organization), day)


def items_published(organization, period) -> int:
    return sum(selectors.item_counts(organization, period).values())


def _by_category(organization, period):
    from .models import Category

    counts = selectors.item_counts(organization, period)
    return [(str(Category(c).label), counts.get(c, 0)) for c in Category.values]


def published_on_time(organization, period) -> Decimal | None:
    """Of the publications the catalogue made due within the period, the share on the board by their due date."""
    due = [d for d in _dues(organization, timezone.localdate())
           if period.start <= d.due_on <= period.end]
    if not due:
        return None
    return (Decimal(100) * sum(1 for d in due if d.on_time) / len(due)).quantize(Decimal("0.1"))


def overdue_at_end(organization, period) -> int:
    """Publications overdue on the period's last day (or today, for the current period)."""
    day = min(period.end, timezone.localdate()) + timedelta(days=1)
    return sum(1 for d in _dues(organization, day)
               if d.due_on < day and (d.met_on is None or d.met_on >= day))


FIGURES = [
    Figure(key="publicity.items_published", label=_("Board items published"), unit="count", area="democracy",
           compute=items_published, breakdown=_by_category,
           description=_("Items put on the publicity boards in the period (corrections included).")),
    Figure(key="publicity.published_on_time", label=_("Publications made on time"), unit="percent",
           area="democracy", compute=published_on_time,
           description=_("Of the publications the catalogue made due in the period, the share on the board by the "
                         "due date.")),
    Figure(key="publicity.overdue", label=_("Publications overdue"), unit="count", area="democracy",
           compute=overdue_at_end, at_date=True, higher_is_better=False,
           description=_("Publications of the catalogue not on the board although their due date has passed.")),
]
