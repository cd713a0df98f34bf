"""The publicity board's to-dos (待办): items waiting for one's approval, publications overdue."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gongzhi.core.registries import TodoItem, TodoSource
from gongzhi.core.todolist import CompiledCount, CompiledRows

from . import catalogue, selectors
from .permissions import APPROVE_ITEM, PREPARE_ITEM


def _pending_items(user, limit: int) -> list[TodoItem]:
    return [TodoItem(title=item.title, url=reverse("publicity:item", args=[item.pk]),
                     detail=item.organization.name)
            for item in selectors.pending_for(user)[:limit]]


_BOARDS = CompiledRows(lambda user: selectors.boards_for(user, PREPARE_ITEM))


def _overdue(user) -> list:
    return catalogue.overdue(_BOARDS.instances(user), timezone.localdate())


def _overdue_items(user, limit: int) -> list[TodoItem]:
    rows = []
    for due in _overdue(user)[:limit]:
        if due.period is not None:
            url = (reverse("publicity:item_new", args=[due.organization.pk])
                   + f"?catalogue_key={due.entry.key}&period={due.period.kind}:{due.period.start:%Y-%m-%d}:"
                     f"{due.period.end:%Y-%m-%d}")
        else:
            url = reverse("publicity:board", args=[due.organization.pk])
        rows.append(TodoItem(title=due.title, url=url, due=due.due_on, overdue=True, detail=due.organization.name))
    return rows


SOURCES = [
    TodoSource(key="publicity.approve", label=_("Board items to approve"), icon="clipboard-check",
               url_name="publicity:approvals", applies=APPROVE_ITEM.anywhere,
               count=CompiledCount(selectors.pending_for), items=_pending_items, order=30),
    TodoSource(key="publicity.overdue", label=_("Publications overdue"), icon="clipboard-x",
               url_name="publicity:overdue", applies=PREPARE_ITEM.anywhere,
               count=lambda user: len(_overdue(user)), items=_overdue_items, order=31),
]
