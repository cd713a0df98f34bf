"""Party members' figures for an organization's subtree and a period (area "organization").

"At the period's end" figures count the members whose membership is held in the subtree now (not
transferred out, not deceased) and who had joined the party by the period's end: the record keeps a
member's current branch, not where he or she was on a past day.
"""

from __future__ import annotations

from django.db.models import Count, Q, Sum
from django.db.models.functions import Coalesce, Substr
from django.utils.translation import gettext_lazy as _

from gongzhi.core.figures import child_paths, child_prefix, percent
from gongzhi.core.registries import Figure

from .models import Member, MemberCategory, MemberStatus, ReportingStatus, Transfer, TransferStatus
from .selectors import AGE_BANDS, age_band_q


def _held(organization, period):
    return Member.objects.current().held_in(organization).filter(joined_on__lte=period.end)


def total(organization, period) -> int:
    return _held(organization, period).count()


def total_by_children(parent, children, period) -> dict[int, int]:
    """``total`` of each child in one query (grouped by the child the home branch lies under)."""
    paths = child_paths(parent, children)
    rows = (_held(parent, period).annotate(child=Substr("home_org__path", 1, child_prefix(parent)))
            .values_list("child").annotate(n=Count("id")).order_by())
    found = {paths[child]: n for child, n in rows if child in paths}
    return {pk: found.get(pk, 0) for pk in paths.values()}


def by_category(organization, period):
    found = dict(_held(organization, period).values_list("category").annotate(n=Count("id")).order_by())
    return [(str(label), found.get(value, 0)) for value, label in MemberCategory.choices]


def probationary(organization, period) -> int:
    """Probationary at the period's end: joined by then, not yet full members then."""
    return (_held(organization, period).filter(Q(full_member_on__isnull=True) | Q(full_member_on__gt=period.end))
            .filter(Q(status=MemberStatus.PROBATIONARY) | Q(full_member_on__isnull=False)).count())


def share_of_residents(organization, period):
    """Members held in the subtree per hundred residents of its households (the places' population)."""
    from gongzhi.orgs.models import Household

    population = Household.objects.filter(building__grid__community__path__startswith=organization.path).aggregate(
        n=Coalesce(Sum("resident_count"), 0))["n"]
    return percent(total(organization, period), population)


def age_bands(organization, period):
    """Ages on the period's end, in the member statistics' bands (one query)."""
    found = _held(organization, period).aggregate(**{key: Count("id", filter=age_band_q(key, period.end))
                                                     for key, *_rest in AGE_BANDS})
    return [(str(label), found[key]) for key, label, *_rest in AGE_BANDS]


def _in_service_residing(organization, period):
    """In-service members residing in the subtree whose membership is held elsewhere (they report here)."""
    return (Member.objects.current().filter(community__path__startswith=organization.path,
                                            category=MemberCategory.IN_SERVICE, joined_on__lte=period.end)
            .exclude(home_org__path__startswith=organization.path))


def dual_reporting(organization, period) -> int:
    """Of those, the ones whose reporting was accepted by the period's end (or at an unrecorded date)."""
    accepted = (Q(reportings__status=ReportingStatus.ACCEPTED)
                & (Q(reportings__decided_at__isnull=True) | Q(reportings__decided_at__date__lte=period.end)))
    return _in_service_residing(organization, period).filter(accepted).distinct().count()


def dual_reporting_rate(organization, period):
    return percent(dual_reporting(organization, period), _in_service_residing(organization, period).count())


def joined(organization, period) -> int:
    return (Member.objects.held_in(organization)
            .filter(joined_on__gte=period.start, joined_on__lte=period.end).count())


def _transfers(organization, period):
    return Transfer.objects.filter(status=TransferStatus.ACCEPTED, decided_at__date__gte=period.start,
                                   decided_at__date__lte=period.end)


def transfers_in(organization, period) -> int:
    """Accepted transfers into the subtree from outside it (another subtree or outside the platform)."""
    inside = organization.path
    return (_transfers(organization, period).filter(to_org__path__startswith=inside)
            .exclude(from_org__path__startswith=inside).count())


def transfers_out(organization, period) -> int:
    inside = organization.path
    return (_transfers(organization, period).filter(from_org__path__startswith=inside)
            .exclude(to_org__path__startswith=inside).count())


FIGURES = [
    Figure(key="members.total", label=_("Party members"), unit="people", area="organization", compute=total,
           breakdown=by_category, at_date=True, higher_is_better=None, by_children=total_by_children,
           description=_("Members whose membership is held in the organization, at the period's end.")),
    Figure(key="members.probationary", label=_("Probationary members"), unit="people", area="organization",
           compute=probationary, at_date=True, higher_is_better=None),
    Figure(key="members.share_of_residents", label=_("Party members per hundred residents"), unit="percent",
           area="organization", compute=share_of_residents, at_date=True, higher_is_better=None,
           description=_("Members held in the organization as a share of the residents of its households.")),
    Figure(key="members.age_bands", label=_("Party members by age"), unit="people", area="organization",
           compute=total, breakdown=age_bands, at_date=True, higher_is_better=None),
    Figure(key="members.dual_reporting", label=_("In-service members reported to the community"), unit="people",
           area="organization", compute=dual_reporting, at_date=True),
    Figure(key="members.dual_reporting_rate", label=_("Dual-reporting rate"), unit="percent", area="organization",
           compute=dual_reporting_rate, at_date=True,
           description=_("Reported in-service members ÷ in-service members living here whose membership is held "
                         "elsewhere.")),
    Figure(key="members.joined", label=_("Members who joined the party"), unit="people", area="organization",
           compute=joined),
    Figure(key="members.transfers_in", label=_("Members transferred in"), unit="people", area="organization",
           compute=transfers_in, higher_is_better=None),
    Figure(key="members.transfers_out", label=_("Members transferred out"), unit="people", area="organization",
           compute=transfers_out, higher_is_better=None),
]
