"""The organization tree's figures: party branches and party groups in a subtree at the period's end."""

from __future__ import annotations

from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from gongzhi.core.registries import Figure

from .models import Organization, OrgKind


def _count(kind: str):
    def compute(organization, period) -> int:
        """Active organizations of the kind in the subtree, established by the period's end (or undated)."""
        return (Organization.objects.filter(path__startswith=organization.path, kind=kind, is_active=True)
                .filter(Q(established_on__isnull=True) | Q(established_on__lte=period.end)).count())
    return compute


FIGURES = [
    Figure(key="orgs.branches", label=pgettext_lazy("figure", "Party branches"), unit="count", area="organization",
           compute=_count(OrgKind.BRANCH), at_date=True, higher_is_better=None,
           kinds=(OrgKind.DISTRICT, OrgKind.STREET, OrgKind.TOWNSHIP, OrgKind.COMMUNITY, OrgKind.VILLAGE)),
    Figure(key="orgs.groups", label=_("Party groups"), unit="count", area="organization",
           compute=_count(OrgKind.GROUP), at_date=True, higher_is_better=None),
]
