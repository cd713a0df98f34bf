"""The to-do list (待办) of one user, gathered from every app's ``todo.py`` (``registries.todo_sources``).

The home page shows each applicable source with its count and its first few items; the menu shows the
counts as badges (loaded after the page, so that no page pays for them). Each source costs at most a
few queries whatever the data size, so the list costs a bounded number of queries.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse

from .registries import TodoItem, TodoSource, todo_sources

ITEMS = 5  # items shown per source on the home page; the source's page lists them all


@dataclass
class TodoGroup:
    source: TodoSource
    count: int
    items: list[TodoItem]

    @property
    def url(self) -> str:
        return reverse(self.source.url_name)

    @property
    def overdue(self) -> int:
        return sum(1 for item in self.items if item.overdue)


def applicable(user) -> list[TodoSource]:
    if not getattr(user, "is_authenticated", False):
        return []
    return [source for source in todo_sources() if source.applies(user)]


def any_applicable(user) -> bool:
    """Whether some source concerns the user (the menu's badges): ``bool(applicable(user))``, stopping at the
    first."""
    return getattr(user, "is_authenticated", False) and any(source.applies(user) for source in todo_sources())


def todo_for(user, limit: int = ITEMS) -> list[TodoGroup]:
    """The sources with something to do, each with its count and first ``limit`` items."""
    groups = []
    for source in applicable(user):
        count = source.count(user)
        if count:
            groups.append(TodoGroup(source, count, source.items(user, limit)))
    return groups


def counts_for(user) -> dict[str, int]:
    """``{url_name: count}`` for the menu's badges (sources sharing a page add up)."""
    counts: dict[str, int] = {}
    for source in applicable(user):
        count = source.count(user)
        if count:
            counts[source.url_name] = counts.get(source.url_name, 0) + count
    return counts
