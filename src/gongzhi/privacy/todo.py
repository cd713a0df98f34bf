"""The privacy app's to-dos (待办): requests about personal data waiting for a decision, overdue first."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gongzhi.core.registries import TodoItem, TodoSource
from gongzhi.core.todolist import CompiledCount

from . import selectors
from .permissions import DECIDE_REQUEST


def _items(user, limit: int) -> list[TodoItem]:
    today = timezone.localdate()
    return [TodoItem(title=f"{r.get_kind_display()} · {r.person}", url=reverse("privacy:request", args=[r.pk]),
                     due=r.due_on, overdue=r.is_overdue(today), detail=r.organization.name)
            for r in selectors.queue(user)[:limit]]


SOURCES = [
    TodoSource(key="privacy.requests", label=_("Requests about personal data"), icon="shield-check",
               url_name="privacy:queue", applies=DECIDE_REQUEST.anywhere,
               count=CompiledCount(selectors.queue), items=_items, order=60),
]
