"""Points' figures for an organization's subtree and a period (area "service"): points awarded (net of
corrections, not counting what was spent in the shop) and the activation rate."""

from __future__ import annotations

from decimal import Decimal

from django.db.models import Q, Sum
from django.utils.translation import gettext_lazy as _

from gongzhi.core.figures import percent
from gongzhi.core.registries import Figure

from .models import PointEntry, RuleCode


def awarded(organization, period) -> Decimal:
    total = (PointEntry.objects.filter(organization__path__startswith=organization.path,
                                       occurred_on__gte=period.start, occurred_on__lte=period.end)
             .exclude(Q(code=RuleCode.REDEMPTION) | Q(reverses__code=RuleCode.REDEMPTION))
             .aggregate(total=Sum("points"))["total"])
    return Decimal(str(total or 0)).quantize(Decimal("0.1"))  # SQLite sums decimals as floats


def activation_rate(organization, period):
    """Members (held or residing in the subtree) with at least one service record in the period: the
    rankings page's activation, one query."""
    from .selectors import activation

    row = activation(organization, period.start, period.end)
    return percent(row["active"], row["total"])


FIGURES = [
    Figure(key="points.awarded", label=_("Points awarded"), unit="points", area="service", compute=awarded,
           description=_("Points posted in the period, net of corrections, not counting redemptions.")),
    Figure(key="points.activation_rate", label=_("Activation rate"), unit="percent", area="service",
           compute=activation_rate,
           description=_("Share of the members held or living here with at least one service record in the "
                         "period.")),
]
