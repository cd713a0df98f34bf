"""Dues and funds to-dos (待办): this month's dues still to record, expenditures waiting for one's approval,
dues handed over to one's organization waiting for confirmation of receipt."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gongzhi.core.registries import TodoItem, TodoSource
from gongzhi.core.statements import Fixed
from gongzhi.core.todolist import CompiledCount

from . import selectors
from .permissions import APPROVE_EXPENDITURE, CONFIRM_HANDOVER, RECORD_DUES


def _to_record(user):
    return selectors.months_to_record(user, timezone.localdate())


def _day(user) -> dict:
    # The selector compares with the month of the day: the day is part of the statement's shape (compiled once a
    # day).
    return {"today": Fixed(timezone.localdate())}


def _to_record_items(user, limit: int) -> list[TodoItem]:
    today = timezone.localdate()
    members = _to_record(user).select_related("home_org").order_by("home_org__path", "name_initials")[:limit]
    return [TodoItem(title=member.name, url=f"{reverse('money:sheet', args=[member.home_org_id])}?month={today:%Y-%m}",
                     detail=member.home_org.name) for member in members]


def _approval_items(user, limit: int) -> list[TodoItem]:
    return [TodoItem(title=f"{e.purpose} · {e.amount}", url=reverse("money:expenditure", args=[e.pk]),
                     due=e.spent_on, detail=e.organization.name)
            for e in selectors.expenditures_to_approve(user)[:limit]]


def _handover_items(user, limit: int) -> list[TodoItem]:
    return [TodoItem(title=f"{h.organization.name} · {h.amount}", url=reverse("money:handovers"), due=h.handed_on,
                     detail=h.receiver.name)
            for h in selectors.handovers_to_confirm(user)[:limit]]


SOURCES = [
    TodoSource(key="money.dues_to_record", label=_("Dues of this month to record"), icon="cash-coin",
               url_name="money:index", applies=RECORD_DUES.anywhere,
               count=CompiledCount(selectors.months_to_record, _day), items=_to_record_items, order=40),
    TodoSource(key="money.expenditures_to_approve", label=_("Expenditures to approve"), icon="piggy-bank",
               url_name="money:index", applies=APPROVE_EXPENDITURE.anywhere,
               count=CompiledCount(selectors.expenditures_to_approve), items=_approval_items, order=41),
    TodoSource(key="money.handovers_to_confirm", label=_("Dues hand-overs to confirm"), icon="arrow-up-right-square",
               url_name="money:handovers", applies=CONFIRM_HANDOVER.anywhere,
               count=CompiledCount(selectors.handovers_to_confirm), items=_handover_items, order=42),
]
