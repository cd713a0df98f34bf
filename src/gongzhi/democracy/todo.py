"""The democracy app's to-dos (待办): probationary members due for the branch's vote, decisions awaiting the upper
organization's approval, secret ballots open for the member."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gongzhi.core.registries import TodoItem, TodoSource
from gongzhi.core.statements import Fixed
from gongzhi.core.todolist import CompiledCount

from . import selectors
from .permissions import APPROVE_CONVERSION, APPROVE_ELECTION, MANAGE_TERMS, RECORD_VOTE


def _day(user) -> dict:
    # The selectors compare with dates derived from the day: the day is part of the statement's shape (compiled
    # once a day).
    return {"today": Fixed(timezone.localdate())}


def _due_items(user, limit: int) -> list[TodoItem]:
    today = timezone.localdate()
    return [TodoItem(title=str(m.name), url=reverse("democracy:conversions"), due=m.probation_ends_on,
                     overdue=m.probation_ends_on < today, detail=m.home_org.name)
            for m in selectors.conversions_due(user, today)[:limit]]


def _approval_items(user, limit: int) -> list[TodoItem]:
    return [TodoItem(title=f"{c.member.name}: {c.get_proposal_display()}",
                     url=reverse("democracy:conversion", args=[c.pk]), detail=c.branch.name)
            for c in selectors.conversions_to_approve(user)[:limit]]


def _ballot_items(user, limit: int) -> list[TodoItem]:
    return [TodoItem(title=r.title, url=reverse("democracy:resolution", args=[r.pk]), detail=r.organization.name)
            for r in selectors.open_ballots_for(user)[:limit]]


def _term_items(user, limit: int) -> list[TodoItem]:
    today = timezone.localdate()
    return [TodoItem(title=t.organization.name, url=reverse("democracy:term", args=[t.pk]), due=t.election_due_on,
                     overdue=t.election_due_on < today)
            for t in selectors.terms_due(user, today)[:limit]]


def _election_list_items(user, limit: int) -> list[TodoItem]:
    return [TodoItem(title=e.organization.name, url=reverse("democracy:election", args=[e.pk]), due=e.submitted_on,
                     detail=str(_("Candidate list awaiting approval")))
            for e in selectors.elections_to_approve(user)[:limit]]


def _election_ballot_items(user, limit: int) -> list[TodoItem]:
    return [TodoItem(title=r.election.organization.name, url=reverse("democracy:election_ballot",
                                                                     args=[r.election_id]),
                     detail=str(_("Election ballot")))
            for r in selectors.open_election_ballots_for(user)[:limit]]


SOURCES = [
    TodoSource(key="democracy.conversions_due", label=_("Probationary members due for conversion"),
               icon="person-check", url_name="democracy:conversions", applies=RECORD_VOTE.anywhere,
               count=CompiledCount(selectors.conversions_due, _day), items=_due_items,
               order=40),
    TodoSource(key="democracy.conversions_to_approve", label=_("Conversions to approve"), icon="patch-check",
               url_name="democracy:conversions", applies=APPROVE_CONVERSION.anywhere,
               count=CompiledCount(selectors.conversions_to_approve), items=_approval_items, order=41),
    TodoSource(key="democracy.elections_due", label=_("Elections due within six months"), icon="calendar-range",
               url_name="democracy:terms", applies=MANAGE_TERMS.anywhere,
               count=CompiledCount(selectors.terms_due, _day), items=_term_items,
               order=43),
    TodoSource(key="democracy.ballots", label=_("Secret ballots to cast"), icon="check2-square",
               url_name="democracy:index", applies=lambda user: getattr(user, "is_authenticated", False),
               count=CompiledCount(selectors.open_ballots_for), items=_ballot_items, order=42),
    TodoSource(key="democracy.election_lists", label=_("Candidate lists to approve"), icon="person-lines-fill",
               url_name="democracy:elections", applies=APPROVE_ELECTION.anywhere,
               count=CompiledCount(selectors.elections_to_approve), items=_election_list_items,
               order=44),
    TodoSource(key="democracy.election_ballots", label=_("Election ballots to cast"), icon="check2-square",
               url_name="democracy:elections", applies=lambda user: getattr(user, "is_authenticated", False),
               count=CompiledCount(selectors.open_election_ballots_for), items=_election_ballot_items,
               order=42),
]
