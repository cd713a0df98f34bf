"""Recruitment's to-dos (待办) for whoever records a branch's steps: talks not held within a month of the
application, quarterly assessments not recorded, approvals late."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gongzhi.core.registries import TodoItem, TodoSource

from . import selectors
from .permissions import RECORD_STEPS


def _items(user, limit: int) -> list[TodoItem]:
    rows = selectors.overdue_rows(user, timezone.localdate())[:limit]
    return [TodoItem(title=f"{row.candidate.name}: {row.overdue[0].reason}",
                     url=reverse("recruitment:person", args=[row.candidate.pk]), due=row.overdue[0].due, overdue=True,
                     detail=row.candidate.branch.name) for row in rows]


SOURCES = [
    TodoSource(key="recruitment.overdue", label=_("Recruitment steps overdue"), icon="person-plus",
               url_name="recruitment:index", applies=RECORD_STEPS.anywhere,
               count=lambda user: len(selectors.overdue_rows(user, timezone.localdate())), items=_items, order=44),
]
