"""The democracy app's figures for an organization's subtree and a period: conversions approved and the share
voted on time, probationary members overdue for their vote, votes taken, village matters with published
results."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gongzhi.core.registries import Figure
from gongzhi.members.models import Member, MemberStatus
from gongzhi.orgs.models import UPPER_LEVEL

from .models import Conversion, ConversionProposal, ConversionStatus, Matter, MatterStatus, MatterStep, Resolution
from .services import ON_TIME_DAYS


def _conversions(organization, period):
    return Conversion.objects.filter(branch__path__startswith=organization.path, status=ConversionStatus.APPROVED,
                                     proposal=ConversionProposal.CONVERT, decided_on__gte=period.start,
                                     decided_on__lte=period.end)


def conversions_approved(organization, period) -> int:
    return _conversions(organization, period).count()


def conversions_on_time(organization, period) -> Decimal | None:
    """Of the conversions approved in the period, the share the branch voted on no later than a month after the
    probation ended."""
    approved = _conversions(organization, period)
    total = approved.count()
    if not total:
        return None
    on_time = approved.filter(resolution__held_on__lte=F("probation_ended_on") + timedelta(days=ON_TIME_DAYS)).count()
    return (Decimal(100) * on_time / total).quantize(Decimal("0.1"))


def conversions_overdue(organization, period) -> int:
    """Probationary members whose probation ended more than a month before the period's end (or today) and who
    have not been voted on."""
    day = min(period.end, timezone.localdate())
    return (Member.objects.current().held_in(organization)
            .filter(status=MemberStatus.PROBATIONARY, probation_ends_on__lt=day - timedelta(days=ON_TIME_DAYS))
            .exclude(conversions__status=ConversionStatus.AWAITING).count())


def votes_taken(organization, period) -> int:
    return Resolution.objects.filter(organization__path__startswith=organization.path, held_on__gte=period.start,
                                     held_on__lte=period.end, status="decided").count()


def matters_published(organization, period) -> int:
    """Village matters whose results were made public in the period (四议两公开 completed)."""
    return MatterStep.objects.filter(matter__organization__path__startswith=organization.path, number=6,
                                     held_on__gte=period.start, held_on__lte=period.end,
                                     matter__status=MatterStatus.IMPLEMENTED).count()


def _matters_by_status(organization, period):
    counts = {s: Matter.objects.filter(organization__path__startswith=organization.path, status=s,
                                       created_at__date__lte=period.end).count() for s in MatterStatus.values}
    return [(str(MatterStatus(s).label), n) for s, n in counts.items()]


def elections_due(organization, period) -> int:
    """Committees in the subtree whose election falls due within six months of the period's end (or today), or is
    overdue."""
    from django.db.models import Q

    from .models import Term
    from .services import EXPIRY_NOTICE_MONTHS, add_months

    horizon = add_months(min(period.end, timezone.localdate()), EXPIRY_NOTICE_MONTHS)
    return (Term.objects.current().filter(organization__path__startswith=organization.path)
            .exclude(organization=organization)
            .filter(Q(postponed_until__isnull=True, ends_on__lte=horizon) | Q(postponed_until__lte=horizon)).count())


def _installed(organization, period):
    from .models import Election, ElectionStatus

    return Election.objects.filter(organization__path__startswith=organization.path,
                                   status=ElectionStatus.INSTALLED, held_on__gte=period.start,
                                   held_on__lte=period.end)


def elections_held(organization, period) -> int:
    """Committees of the subtree (the organization's own included) elected and installed, by the day of the
    vote."""
    return _installed(organization, period).count()


def elections_on_time(organization, period) -> Decimal | None:
    """Of the elections held in the period, the share held no later than the expiring term's end (or the approved
    postponement); an election without a recorded term is not counted."""
    from django.db.models import Q

    held = _installed(organization, period).filter(term__isnull=False)
    total = held.count()
    if not total:
        return None
    on_time = held.filter(Q(term__postponed_until__isnull=True, held_on__lte=F("term__ends_on"))
                          | Q(held_on__lte=F("term__postponed_until"))).count()
    return (Decimal(100) * on_time / total).quantize(Decimal("0.1"))


FIGURES = [
    Figure(key="democracy.conversions", label=_("Probationary members converted"), unit="people", area="democracy",
           compute=conversions_approved,
           description=_("Conversions to full membership approved by the upper organization in the period.")),
    Figure(key="democracy.conversions_on_time", label=_("Conversions voted on time"), unit="percent",
           area="democracy", compute=conversions_on_time,
           description=_("Of the conversions approved in the period, the share the branch general meeting voted "
                         "no later than a month after the probation ended.")),
    Figure(key="democracy.conversions_overdue", label=_("Conversions overdue"), unit="people", area="democracy",
           compute=conversions_overdue, at_date=True, higher_is_better=False,
           description=_("Probationary members whose probation ended more than a month ago without a vote.")),
    Figure(key="democracy.elections_due", label=_("Elections due"), unit="count", area="democracy",
           compute=elections_due, at_date=True, higher_is_better=None,
           description=_("Committees below the organization whose term ends (or whose postponed election falls "
                         "due) within six months, or has passed.")),
    Figure(key="democracy.votes", label=_("Votes taken"), unit="count", area="democracy", compute=votes_taken,
           description=_("Resolutions decided by branch meetings and party members' meetings in the period.")),
    Figure(key="democracy.matters_published", label=_("Village matters with published results"), unit="count",
           area="democracy", compute=matters_published, breakdown=_matters_by_status,
           kinds=tuple(UPPER_LEVEL | {"village"}),
           description=_("Village matters taken through 四议两公开 whose results were made public in the period.")),
    Figure(key="democracy.elections_held", label=_("Elections held"), unit="count", area="democracy",
           compute=elections_held,
           description=_("Committees elected (the vote held in the period) and installed with their new term.")),
    Figure(key="democracy.elections_on_time", label=_("Elections held on time"), unit="percent", area="democracy",
           compute=elections_on_time,
           description=_("Of the elections held in the period, the share held no later than the end of the expiring "
                         "term (or the approved postponement).")),
]
