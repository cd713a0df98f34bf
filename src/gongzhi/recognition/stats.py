"""Recognition's figures for an organization's subtree and a period: the activation rate (area "service"),
the same count as the rankings page's activation (check-ins, care visits and fulfilled wishes)."""

from __future__ import annotations

from collections import Counter

from django.db.models import BooleanField, Count, ExpressionWrapper
from django.db.models.functions import Substr
from django.utils.translation import gettext_lazy as _

from gongzhi.core.figures import child_paths, child_prefix, percent
from gongzhi.core.registries import Figure
from gongzhi.points.selectors import subtree_members

from .selectors import activation, served


def activation_rate(organization, period):
    """Members (held or residing in the subtree) with at least one service record in the period; one query."""
    row = activation(organization, period.start, period.end)
    return percent(row["active"], row["total"])


def activation_rate_by_children(parent, children, period) -> dict:
    """``activation_rate`` of each child in one query: the subtree's members grouped by the child their home
    branch and the child their community lie under, and whether they served; a member counts once in each
    child he or she belongs to (both, when they differ)."""
    paths = child_paths(parent, children)
    width = child_prefix(parent)
    rows = (subtree_members(parent)
            .annotate(home_child=Substr("home_org__path", 1, width),
                      community_child=Substr("community__path", 1, width),
                      active=ExpressionWrapper(served(period.start, period.end), output_field=BooleanField()))
            .values_list("home_child", "community_child", "active").annotate(n=Count("pk")).order_by())
    total, active = Counter(), Counter()
    for home_child, community_child, served_any, n in rows:
        for child in {home_child, community_child} & paths.keys():
            total[paths[child]] += n
            active[paths[child]] += n if served_any else 0
    return {pk: percent(active[pk], total[pk]) for pk in paths.values()}


FIGURES = [
    Figure(key="points.activation_rate", label=_("Activation rate"), unit="percent", area="service",
           compute=activation_rate, by_children=activation_rate_by_children,
           description=_("Share of the members held or living here with at least one service record in the "
                         "period.")),
]
