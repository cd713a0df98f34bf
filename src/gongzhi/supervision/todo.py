"""Supervision's to-dos (待办): rectifications one answers for, those to verify, complaints to handle."""

from __future__ import annotations

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gongzhi.core.registries import TodoItem, TodoSource
from gongzhi.core.todolist import CompiledCount

from . import selectors
from .permissions import REPORT_RECTIFICATION, can_handle_complaints, is_committee

SOON = 7  # days: a rectification due within a week is on the list


def _within_a_week(user) -> dict:
    return {"until": timezone.localdate() + timedelta(days=SOON)}


def _due(user, *, until):
    return (selectors.open_for_owner(user).filter(deadline__lte=until)
            .select_related("organization").order_by("deadline", "id"))


def _due_items(user, limit: int) -> list[TodoItem]:
    today = timezone.localdate()
    return [TodoItem(title=r.requirement[:80], url=reverse("supervision:rectification", args=[r.pk]), due=r.deadline,
                     overdue=r.deadline < today, detail=r.organization.name)
            for r in _due(user, **_within_a_week(user))[:limit]]


def _verify_items(user, limit: int) -> list[TodoItem]:
    return [TodoItem(title=r.requirement[:80], url=reverse("supervision:rectification", args=[r.pk]),
                     due=r.deadline, detail=r.organization.name)
            for r in selectors.to_verify(user).select_related("organization").order_by("reported_on", "id")[:limit]]


def _complaints(user):
    return selectors.complaints_for(user).open().order_by("answer_due", "id")


def _complaint_items(user, limit: int) -> list[TodoItem]:
    today = timezone.localdate()
    return [TodoItem(title=f"{c.reference} · {c.get_kind_display()}", url=reverse("supervision:complaint",
                                                                                   args=[c.pk]),
                     due=c.answer_due, overdue=c.answer_due < today, detail=c.organization.name)
            for c in _complaints(user)[:limit]]


SOURCES = [
    TodoSource(key="supervision.rectifications_due", label=_("Rectifications due"), icon="wrench-adjustable",
               url_name="supervision:rectifications",
               applies=REPORT_RECTIFICATION.anywhere,
               count=CompiledCount(_due, _within_a_week), items=_due_items, order=32),
    TodoSource(key="supervision.rectifications_to_verify", label=_("Rectifications to verify"), icon="patch-check",
               url_name="supervision:rectifications", applies=is_committee,
               count=CompiledCount(selectors.to_verify), items=_verify_items, order=33),
    TodoSource(key="supervision.complaints", label=_("Complaints to handle"), icon="shield-exclamation",
               url_name="supervision:complaints", applies=can_handle_complaints,
               count=CompiledCount(_complaints), items=_complaint_items, order=34),
]
