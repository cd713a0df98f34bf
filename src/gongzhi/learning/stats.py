"""Education's figures for an organization's subtree and a period (area "education"): completion of the
training classes that ended in the period, and the training sessions held. Study time is never a figure
(no "formalism at the fingertips")."""

from __future__ import annotations

from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from gongzhi.core.figures import percent
from gongzhi.core.registries import Figure

from .models import Enrolment, Session, TraineeCategory


def _enrolments(organization, period):
    return Enrolment.objects.filter(training_class__organization__path__startswith=organization.path,
                                    training_class__ends_on__gte=period.start, training_class__ends_on__lte=period.end)


def completion(organization, period):
    """Of the members enrolled in classes that ended in the period, the share who completed them."""
    row = _enrolments(organization, period).aggregate(
        enrolled=Count("id"), completed=Count("id", filter=Q(completed_on__isnull=False)))
    return percent(row["completed"], row["enrolled"])


def completion_by_category(organization, period):
    rows = (_enrolments(organization, period).values_list("training_class__category")
            .annotate(enrolled=Count("id"), completed=Count("id", filter=Q(completed_on__isnull=False))).order_by())
    found = {category: percent(completed, enrolled) for category, enrolled, completed in rows}
    return [(str(label), found[value]) for value, label in TraineeCategory.choices if value in found]


def sessions(organization, period) -> int:
    return Session.objects.filter(training_class__organization__path__startswith=organization.path,
                                  held_on__gte=period.start, held_on__lte=period.end).count()


FIGURES = [
    Figure(key="learning.training_completion", label=_("Training completion"), unit="percent", area="education",
           compute=completion, breakdown=completion_by_category,
           description=_("Of the members enrolled in training classes that ended in the period, the share who "
                         "completed the 2+X programme.")),
    Figure(key="learning.sessions", label=_("Training sessions held"), unit="count", area="education",
           compute=sessions),
]
