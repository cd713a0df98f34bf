"""Reads of recruitment, scoped: the pipeline of an organization's subtree (where each person stands, the counts
by standing, what is overdue and why) and one person's timeline. A bounded number of queries whatever the size."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Case, CharField, Count, F, Prefetch, Value, When

from gongzhi.orgs.models import Organization

from . import services
from .models import Assessment, Candidate, Standing, Step, StepNumber
from .permissions import READ_RECRUITMENT, RECORD_STEPS


def candidates(user):
    """Everyone the user may read in recruitment (the handling branch in one of his or her subtrees)."""
    return Candidate.objects.where_user_can(user, READ_RECRUITMENT).select_related("branch", "member")


def with_progress(queryset):
    return queryset.prefetch_related(
        Prefetch("steps", queryset=Step.objects.order_by("number")),
        Prefetch("assessments", queryset=Assessment.objects.order_by("on", "id")))


def standing_expression():
    """The standing in SQL: the stored one, or "full" once the democracy app converted the member."""
    return Case(When(member__status="full", then=Value(Standing.FULL)), default=F("standing"),
                output_field=CharField())


def counts_by_standing(queryset) -> dict[str, int]:
    rows = queryset.order_by().annotate(now=standing_expression()).values("now").annotate(n=Count("id"))
    found = {row["now"]: row["n"] for row in rows}
    return {value: found.get(value, 0) for value in Standing.values}


@dataclass
class Row:
    candidate: Candidate
    next_step: int | None
    overdue: list = field(default_factory=list)

    @property
    def next_label(self) -> str:
        return StepNumber(self.next_step).label if self.next_step else ""


def pipeline(user, *, organization: Organization | None, today: date, standing: str = "", limit: int = 200):
    """The people in recruitment below ``organization`` (or everywhere the user reads): rows with their next step
    and what is overdue, the counts by standing, and the overdue rows first."""
    queryset = candidates(user)
    if organization is not None:
        queryset = queryset.filter(branch__path__startswith=organization.path)
    counts = counts_by_standing(queryset)
    shown = queryset.annotate(now=standing_expression())
    if standing in Standing.values:
        shown = shown.filter(now=standing)
    else:
        shown = shown.exclude(now__in=[Standing.CLOSED, Standing.FULL])
    rows = [Row(c, services.next_step(c), services.overdue(c, today))
            for c in with_progress(shown.order_by("branch__path", "-last_step", "name", "id"))[:limit]]
    rows.sort(key=lambda r: (not r.overdue,))
    return rows, counts


def overdue_rows(user, today: date, *, limit: int = 500) -> list[Row]:
    """People with something overdue in the branches where the user records steps (the secretary's to-do)."""
    queryset = (Candidate.objects.where_user_can(user, RECORD_STEPS).in_pipeline().select_related("branch", "member")
                .exclude(last_step__gte=StepNumber.PROBATION_ASSESSMENT))
    rows = [Row(c, services.next_step(c), services.overdue(c, today))
            for c in with_progress(queryset.order_by("id"))[:limit]]
    return [r for r in rows if r.overdue]


def timeline(candidate: Candidate) -> list[dict]:
    """The 25 steps with their records (or what is still to come), the conversion's two steps read from the
    democracy app."""
    steps = {s.number: s for s in candidate.steps.select_related(
        "recorded_by", "first_member", "second_member", "resolution", "group").prefetch_related("documents")}
    conversion = services.conversion_of(candidate)
    rows = []
    for number in StepNumber.values:
        row = {"number": number, "label": StepNumber(number).label, "step": steps.get(number), "stage": None}
        if number == StepNumber.CONVERSION_VOTE and conversion is not None:
            row["democracy_on"], row["conversion"] = conversion.resolution.held_on, conversion
        if number == StepNumber.CONVERSION_APPROVAL and conversion is not None:
            row["democracy_on"], row["conversion"] = conversion.decided_on, conversion
        rows.append(row)
    return rows
