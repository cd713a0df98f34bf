"""Recruitment's figures for an organization's subtree: the people in recruitment by standing at the period's end
(from the dated steps, not today's state), the people admitted in the period, and the overdue steps."""

from __future__ import annotations

from django.db.models import Max, Prefetch, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gongzhi.core.registries import Figure

from . import services
from .models import Assessment, Candidate, Standing, Step, StepNumber

#: The highest step reached → where the person stands (steps 23 and 24 live in the democracy app).
_STANDING_FROM = ((StepNumber.APPROVAL, Standing.PROBATIONARY), (StepNumber.CANDIDATE, Standing.CANDIDATE),
                  (StepNumber.ACTIVIST, Standing.ACTIVIST), (StepNumber.APPLICATION, Standing.APPLICANT))


def standings_on(organization, day) -> dict[str, int]:
    """How many people of the subtree stood where on ``day``: by the highest step dated on or before it, full once
    the conversion took effect; those closed by then are left out. One query."""
    rows = (Candidate.objects.filter(branch__path__startswith=organization.path)
            .exclude(closed_on__lte=day)
            .annotate(reached=Max("steps__number", filter=Q(steps__on__lte=day)))
            .filter(reached__isnull=False).values_list("reached", "member__full_member_on"))
    counts = dict.fromkeys((Standing.APPLICANT, Standing.ACTIVIST, Standing.CANDIDATE, Standing.PROBATIONARY,
                            Standing.FULL), 0)
    for reached, full_on in rows:
        if reached >= StepNumber.ARCHIVED or (full_on is not None and full_on <= day):
            counts[Standing.FULL] += 1
            continue
        counts[next(standing for number, standing in _STANDING_FROM if reached >= number)] += 1
    return counts


def _day(period):
    return min(period.end, timezone.localdate())


def in_recruitment(organization, period) -> int:
    counts = standings_on(organization, _day(period))
    return sum(n for standing, n in counts.items() if standing != Standing.FULL)


def _by_standing(organization, period):
    counts = standings_on(organization, _day(period))
    return [(str(Standing(s).label), n) for s, n in counts.items() if s != Standing.FULL]


def admitted(organization, period) -> int:
    """People the upper committee admitted as probationary members in the period (step 17)."""
    return Step.objects.filter(candidate__branch__path__startswith=organization.path, number=StepNumber.APPROVAL,
                               on__gte=period.start, on__lte=period.end).count()


def overdue_steps(organization, period) -> int:
    """Overdue talks, assessments and approvals in the subtree on the period's end (or today). Three queries."""
    day = _day(period)
    people = (Candidate.objects.filter(branch__path__startswith=organization.path).exclude(closed_on__lte=day)
              .filter(steps__number=StepNumber.APPLICATION, steps__on__lte=day)
              .prefetch_related(Prefetch("steps", queryset=Step.objects.filter(on__lte=day)),
                                Prefetch("assessments", queryset=Assessment.objects.filter(on__lte=day))))
    total = 0
    for candidate in people:
        candidate.standing = Standing.APPLICANT  # judged on the steps dated by then, not today's closing
        total += len(services.overdue(candidate, day))
    return total


FIGURES = [
    Figure(key="recruitment.by_stage", label=_("People in recruitment"), unit="people", area="organization",
           compute=in_recruitment, breakdown=_by_standing, at_date=True, higher_is_better=None,
           description=_("Applicants, activists, development candidates and probationary members on the period's "
                         "last day, by the steps recorded with their dates.")),
    Figure(key="recruitment.admitted", label=_("New probationary members"), unit="people", area="organization",
           compute=admitted,
           description=_("People admitted as probationary members by the upper party committee in the period.")),
    Figure(key="recruitment.overdue", label=_("Overdue recruitment steps"), unit="count", area="organization",
           compute=overdue_steps, at_date=True, higher_is_better=False,
           description=_("Talks not held within a month of the application, quarterly assessments not recorded, "
                         "approvals not given within three months of the branch general meeting.")),
]
