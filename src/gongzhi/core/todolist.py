"""The to-do list (待办) of one user, gathered from every app's ``todo.py`` (``registries.todo_sources``).

The home page shows each applicable source with its count and its first few items; the menu shows the
counts as badges (fetched after every page: ``core.views.todo_counts``). Each source costs at most a
few queries whatever the data size, so the list costs a bounded number of queries.

The badges are asked for on every page a staff member opens, so a source's count is best a
:class:`CompiledCount`: its queryset, built through the app's own selectors and scoping, compiled once per
database and shape (``core.statements``) and run with the user's values (``viewer``, computed once for all the
sources), instead of built and compiled anew for each source on each page.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import ExitStack
from dataclasses import dataclass

from django.db import connections
from django.db.models import Count, QuerySet, Value
from django.urls import reverse

from .registries import TodoItem, TodoSource, todo_sources
from .scoping import VIEWER_OPTIONAL, active_roles, stand_in_viewer, viewer_values
from .statements import Fixed, Statement, StatementError

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
    """``{url_name: count}`` for the menu's badges (sources sharing a page add up). The compiled counts
    (``CompiledCount``) run as one query."""
    sources = applicable(user)
    compiled = [source for source in sources if isinstance(source.count, CompiledCount)]
    found = dict(zip((source.key for source in compiled), count_together(user, [s.count for s in compiled]),
                     strict=True))
    counts: dict[str, int] = {}
    for source in sources:
        count = found[source.key] if source.key in found else source.count(user)
        if count:
            counts[source.url_name] = counts.get(source.url_name, 0) + count
    return counts


# -- counts compiled once ------------------------------------------------------------------------------------------

_VIEWER_ATTR = "_gongzhi_todo_viewer"
_VIEWER_KEYS = ("viewer_signed_in", "viewer_id", "viewer_superuser", "viewer_roles", "viewer_organizations",
                "viewer_paths")


def viewer(user) -> dict:
    """``core.scoping.viewer_values(user)``: what every compiled count reads of the user, found once per user
    object and list of roles."""
    roles = active_roles(user)
    cached = getattr(user, _VIEWER_ATTR, None)
    if cached is None or cached[0] is not roles:
        cached = (roles, viewer_values(user))
        setattr(user, _VIEWER_ATTR, cached)
    return cached[1]


def _no_query(execute, sql, params, many, context):
    raise StatementError("a compiled to-do queryset ran a query while it was built: its answer would be kept in the "
                         "statement for every user (count that source with a plain function)")


class CompiledRows:
    """``build(user, **values)``'s rows (a ``values_list``) or model instances, compiled once per database and
    shape with a stand-in user (``core.scoping.stand_in_viewer``) and run with the user's ``viewer`` values and the
    call's ``values`` (``core.statements``: the day, the moment, a date derived from them — the ORM must receive
    each one as it is given —, a list of paths decided in Python from the real ones; a ``Fixed`` value is part of
    the shape). A day read inside ``build`` would be the day the statement was compiled: every such value comes
    as a value. Building must not run a query (a scope that looks the user's records up first cannot be
    compiled): it fails loudly if it does."""

    def __init__(self, build: Callable[..., QuerySet]):
        self.build = build
        self._statement = Statement(self._query, optional=VIEWER_OPTIONAL)

    def _query(self, **values) -> QuerySet:
        user = stand_in_viewer(**{name: values.pop(name) for name in _VIEWER_KEYS})
        with ExitStack() as stack:
            for alias in connections:
                stack.enter_context(connections[alias].execute_wrapper(_no_query))
            return self._finish(self.build(user, **values))

    def _finish(self, queryset: QuerySet) -> QuerySet:
        return queryset

    def __call__(self, user, **values) -> list[tuple]:
        return self._statement.rows(**viewer(user), **values)

    def instances(self, user, **values) -> list:
        """The model instances of a queryset of models (with its ``select_related``)."""
        return self._statement.instances(**viewer(user), **values)


class CompiledCount(CompiledRows):
    """A source's ``count``: how many rows ``build(user, **values(user))`` holds — the queryset of the source's
    items, through the app's selectors and scoping —, compiled once (``CompiledRows``)."""

    def __init__(self, build: Callable[..., QuerySet], values: Callable[[object], dict] | None = None):
        super().__init__(build)
        self.values = values or (lambda user: {})

    def _finish(self, queryset: QuerySet) -> QuerySet:
        return count_query(queryset)

    def plain(self, user) -> int:
        """The count through Django's ``count()``, built and compiled for this call (what the statement must
        answer)."""
        values = {name: value.value if isinstance(value, Fixed) else value
                  for name, value in self.values(user).items()}
        return self.build(user, **values).count()

    def __call__(self, user) -> int:
        row = self._statement.first(**viewer(user), **self.values(user))
        return row[0] if row else 0

    def bound(self, user) -> tuple[str, str, list] | None:
        """The database, SQL and parameters of the user's count (None: nothing to count)."""
        return self._statement.bound(**viewer(user), **self.values(user))


def count_together(user, counts: list[CompiledCount]) -> list[int]:
    """Each compiled count for the user, the counts of one database asked in one query: ``SELECT (count 1),
    (count 2), …`` (each a scalar subquery), the parameters in the same order."""
    found = [0] * len(counts)
    by_alias: dict[str, list[tuple[int, str, list]]] = {}
    for position, count in enumerate(counts):
        bound = count.bound(user)
        if bound is not None:
            alias, sql, params = bound
            by_alias.setdefault(alias, []).append((position, sql, params))
    for alias, statements in by_alias.items():
        sql = "SELECT " + ", ".join(f"({statement})" for _position, statement, _params in statements)
        with connections[alias].cursor() as cursor:
            cursor.execute(sql, [param for _position, _statement, params in statements for param in params])
            row = cursor.fetchone()
        for (position, _statement, _params), value in zip(statements, row, strict=True):
            found[position] = value or 0
    return found


def count_query(queryset: QuerySet) -> QuerySet:
    """``SELECT COUNT(*)`` of the queryset's rows as a one-row ``values_list`` (what ``count()`` runs), distinct
    rows counted once."""
    queryset = queryset.prefetch_related(None).order_by()
    if queryset.query.distinct:
        queryset = queryset.model._base_manager.filter(pk__in=queryset.values("pk"))
    return queryset.annotate(_one=Value(1)).values("_one").annotate(n=Count("*")).values_list("n")
