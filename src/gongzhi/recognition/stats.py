"""Recognition's figures for an organization's subtree and a period: the activation rate (area "service"),
the same count as the rankings page's activation (check-ins, care visits and fulfilled wishes)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from gongzhi.core.figures import percent
from gongzhi.core.registries import Figure

from .selectors import activation


def activation_rate(organization, period):
    """Members (held or residing in the subtree) with at least one service record in the period; one query."""
    row = activation(organization, period.start, period.end)
    return percent(row["active"], row["total"])


FIGURES = [
    Figure(key="points.activation_rate", label=_("Activation rate"), unit="percent", area="service",
           compute=activation_rate,
           description=_("Share of the members held or living here with at least one service record in the "
                         "period.")),
]
