"""Points' figures for an organization's subtree and a period (area "service"): points awarded (net of
corrections, not counting what was spent in the shop). The activation rate is recognition's
(``recognition/stats.py``)."""

from __future__ import annotations

from decimal import Decimal

from django.db.models import Exists, OuterRef
from django.utils.translation import gettext_lazy as _

from gongzhi.core.exact import ExactSum, tenths
from gongzhi.core.registries import Figure

from .models import PointEntry, RuleCode


def awarded(organization, period) -> Decimal:
    """One query: the entries of the period, redemptions and their reversals left out. The reversed entry is
    asked with NOT EXISTS (a join to the ledger would hash millions of entries to find the few reversals)."""
    reverses_redemption = PointEntry.objects.filter(pk=OuterRef("reverses_id"), code=RuleCode.REDEMPTION)
    total = (PointEntry.objects.filter(organization__path__startswith=organization.path,
                                       occurred_on__gte=period.start, occurred_on__lte=period.end)
             .exclude(code=RuleCode.REDEMPTION).filter(~Exists(reverses_redemption))
             .aggregate(total=ExactSum("points"))["total"])
    return tenths(total)


FIGURES = [
    Figure(key="points.awarded", label=_("Points awarded"), unit="points", area="service", compute=awarded,
           description=_("Points posted in the period, net of corrections, not counting redemptions.")),
]
