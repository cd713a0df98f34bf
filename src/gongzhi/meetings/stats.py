"""Party life's figures for an organization's subtree and a period (area "life"): meetings held, 三会一课
compliance (the share of the periods owed that closed within the period in which the branch held its
meeting), and the appraisal grades confirmed in the period."""

from __future__ import annotations

from django.db.models import Count
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gongzhi.core.figures import month_key, percent
from gongzhi.core.registries import Figure

from . import compliance
from .models import GRADE_ORDER, Grade, Meeting, MeetingKind, Participant


def _held(organization, period):
    return Meeting.objects.held().filter(organization__path__startswith=organization.path,
                                         date__gte=period.start, date__lte=period.end)


def held(organization, period) -> int:
    return _held(organization, period).count()


def held_by_months(organization, months) -> list[int]:
    """``held`` of each month in one query."""
    rows = dict(Meeting.objects.held().filter(organization__path__startswith=organization.path,
                                              date__gte=months[0].start, date__lte=months[-1].end)
                .annotate(month=TruncMonth("date")).values_list("month").annotate(n=Count("id")).order_by())
    found = {month_key(month): n for month, n in rows.items()}
    return [found.get(month_key(m.start), 0) for m in months]


def held_by_kind(organization, period):
    found = dict(_held(organization, period).values_list("kind").annotate(n=Count("id")).order_by())
    return [(str(label), found.get(value, 0)) for value, label in MeetingKind.choices if found.get(value)]


def _owed_cells(organization, period) -> dict[str, tuple[int, int]]:
    """For each required kind: (periods owed that closed within the period, of those the ones held).

    A branch's requirement periods (months, quarters, years) count where they end within the period
    and by today; the current one is not owed yet. One grouped statement whatever the number of branches
    (``compliance.owed_and_held``).
    """
    return compliance.owed_and_held(organization, period.start, period.end, timezone.localdate())


def compliance_rate(organization, period):
    cells = _owed_cells(organization, period)
    return percent(sum(h for _o, h in cells.values()), sum(o for o, _h in cells.values()))


def compliance_by_kind(organization, period):
    return [(str(MeetingKind(kind).label), percent(h, o)) for kind, (o, h) in _owed_cells(organization, period).items()]


def _grades(organization, period):
    return (Participant.objects.filter(appraisal__branch__path__startswith=organization.path,
                                       appraisal__status="confirmed", appraisal__confirmed_at__date__gte=period.start,
                                       appraisal__confirmed_at__date__lte=period.end)
            .exclude(grade=""))


def graded(organization, period) -> int:
    return _grades(organization, period).count()


def grades(organization, period):
    found = dict(_grades(organization, period).values_list("grade").annotate(n=Count("id")).order_by())
    return [(str(Grade(g).label), found.get(g, 0)) for g in GRADE_ORDER]


FIGURES = [
    Figure(key="meetings.held", label=_("Meetings held"), unit="count", area="life", compute=held,
           breakdown=held_by_kind, by_months=held_by_months,
           description=_("Meetings of branches and groups recorded as held in the period.")),
    Figure(key="meetings.compliance", label=_("Three meetings and one lesson: compliance"), unit="percent", area="life",
           compute=compliance_rate, breakdown=compliance_by_kind,
           description=_("Of the meetings the branches owed for periods that closed within the period, the share "
                         "they held.")),
    Figure(key="meetings.appraisal_grades", label=_("Members appraised"), unit="people", area="life", compute=graded,
           breakdown=grades, higher_is_better=None,
           description=_("Grades of the democratic appraisal confirmed by the general meeting in the period.")),
]
