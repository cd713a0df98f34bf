"""Care to-dos (待办): pairings whose next home visit is overdue, for the carer and the staff in scope."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gongzhi.core.registries import TodoItem, TodoSource

from . import selectors
from .permissions import can_use_care


def _overdue(user):
    return selectors.overdue(selectors.active_pairings(user), timezone.localdate())


def _items(user, limit: int) -> list[TodoItem]:
    # The resident's name and the carer's, never the care need (a sensitive tag).
    url = reverse("care:index") + "?overdue=1"
    return [TodoItem(title=f"{p.resident.name} · {p.carer_name}", url=url, due=p.due, overdue=True)
            for p in _overdue(user)[:limit]]


SOURCES = [
    TodoSource(key="care.visits_overdue", label=_("Home visits overdue"), icon="heart", url_name="care:index",
               applies=can_use_care, count=lambda user: _overdue(user).count(), items=_items, order=25),
]
