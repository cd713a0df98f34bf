"""Recruitment's to-dos (待办) for whoever records a branch's steps: talks not held within a month of the
application, quarterly assessments not recorded, approvals late."""

from __future__ import annotations

from types import SimpleNamespace

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gongzhi.core.registries import TodoItem, TodoSource
from gongzhi.core.todolist import CompiledRows

from . import selectors, services
from .models import Assessment, Candidate, Step, StepNumber
from .permissions import RECORD_STEPS

#: As many people as the list of ``selectors.overdue_rows`` weighs.
LIMIT = selectors.overdue_rows.__kwdefaults__["limit"]


def _candidates(user):
    """The people of ``selectors.overdue_rows``: in the pipeline of a branch where the user records steps, before
    the probation's assessment."""
    return (Candidate.objects.where_user_can(user, RECORD_STEPS).in_pipeline()
            .exclude(last_step__gte=StepNumber.PROBATION_ASSESSMENT))


# The badge reads the three lists as plain rows (compiled once, no model instances), and asks the same
# ``services.overdue`` as the list.
_PEOPLE = CompiledRows(lambda user: _candidates(user).order_by("id").values_list("id", "standing")[:LIMIT])
_STEPS = CompiledRows(lambda user: Step.objects.filter(candidate__in=_candidates(user).values("pk"))
                      .order_by("candidate_id", "number").values_list("candidate_id", "number", "on"))
_ASSESSMENTS = CompiledRows(lambda user: Assessment.objects.filter(candidate__in=_candidates(user).values("pk"))
                            .order_by("candidate_id", "on", "id").values_list("candidate_id", "on"))


def _count(user) -> int:
    """How many people have something overdue (``len(selectors.overdue_rows(user, today))``)."""
    people = _PEOPLE(user)
    if not people:
        return 0
    steps: dict[int, dict] = {}
    for candidate_id, number, on in _STEPS(user):
        steps.setdefault(candidate_id, {})[number] = SimpleNamespace(on=on)
    assessments: dict[int, list] = {}
    for candidate_id, on in _ASSESSMENTS(user):
        assessments.setdefault(candidate_id, []).append(SimpleNamespace(on=on))
    today = timezone.localdate()
    return sum(1 for pk, standing in people
               if services.overdue(SimpleNamespace(standing=standing), today, steps.get(pk, {}),
                                   assessments.get(pk, [])))


def _items(user, limit: int) -> list[TodoItem]:
    rows = selectors.overdue_rows(user, timezone.localdate())[:limit]
    return [TodoItem(title=f"{row.candidate.name}: {row.overdue[0].reason}",
                     url=reverse("recruitment:person", args=[row.candidate.pk]), due=row.overdue[0].due, overdue=True,
                     detail=row.candidate.branch.name) for row in rows]


SOURCES = [
    TodoSource(key="recruitment.overdue", label=_("Recruitment steps overdue"), icon="person-plus",
               url_name="recruitment:index", applies=RECORD_STEPS.anywhere,
               count=_count, items=_items, order=44),
]
