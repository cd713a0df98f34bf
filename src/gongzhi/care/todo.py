"""Care to-dos (待办): pairings whose next home visit is overdue, for the carer and the staff in scope."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gongzhi.core.registries import TodoItem, TodoSource
from gongzhi.core.todolist import CompiledCount

from . import selectors
from .permissions import can_use_care


def _today(user) -> dict:
    return {"today": timezone.localdate()}


def _overdue(user, *, today):
    return selectors.overdue(selectors.active_pairings(user), today)


def _items(user, limit: int) -> list[TodoItem]:
    # The resident's name and the carer's, never the care need (a sensitive tag).
    url = reverse("care:index") + "?overdue=1"
    return [TodoItem(title=f"{p.resident.name} · {p.carer_name}", url=url, due=p.due, overdue=True)
            for p in _overdue(user, **_today(user))[:limit]]


SOURCES = [
    TodoSource(key="care.visits_overdue", label=_("Home visits overdue"), icon="heart", url_name="care:index",
               applies=can_use_care, count=CompiledCount(_overdue, _today), items=_items, order=25),
]
