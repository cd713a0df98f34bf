"""Pieces of the API's schema every app shares (see docs/api.md).

- One paging shape for every list: ``?limit=`` (1–200, default 50) and ``?offset=`` (0–2³¹), or
  ``?after=`` (the ``next`` cursor of the page before), answered as ``{"items": [...], "count": N,
  "next": "…"}`` (``Paging``, the project's ``NINJA_PAGINATION_CLASS``, so ``@paginate`` means this
  everywhere). ``Rows`` lets an endpoint shape only the page it returns. A list ordered by its own
  columns down to the id pages by key (``core.paging``): ``next`` is the cursor of its last item while
  more follow, and a page fetched ``after`` a cursor reads only that page (``count`` is then
  ``null``: the whole list is not counted again). Such a list counts at most ``COUNT_CAP`` items: past
  that ``count`` is ``null`` (a five-million-entry ledger is not counted; its end is ``next`` being null).
  ``ListStatements`` compiles such a list's first page, the page after a cursor and its count once per process
  (``core.statements``); ``ListStatements.rows`` gives the ``Rows`` an endpoint returns.
- ``Item``: the schema of a list's item that its endpoint builds as a dict (validated by pydantic alone).
- ``ObjectId``: an id in a query or a body, within the database's range, so that ``member_id=2**70``
  is a 422 rather than an overflow deep in a query.
- ``ErrorOut``: the body of every error answer (``{"detail": ...}``).
Years, days and period names: ``core.periods`` (``Year``, ``Day``, ``PeriodName``).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import cached_property
from typing import Annotated, Any

from django.db import connections
from ninja import Field, Schema
from ninja.errors import HttpError
from ninja.pagination import LimitOffsetPagination
from pydantic import BaseModel

from gongzhi.core import paging
from gongzhi.core.statements import Fixed, Statement

DEFAULT_LIMIT = 50
MAX_LIMIT = 200
MAX_OFFSET = 2**31
MAX_ID = 2**63 - 1
COUNT_CAP = 10_000  # a keyset list counts at most this many items; more: ``count`` is null

ObjectId = Annotated[int, Field(ge=1, le=MAX_ID, description="An object's id.")]


class ErrorOut(Schema):
    """``detail`` is a message, or for 422 the list of fields refused and why."""

    detail: str | list[dict[str, Any]]


class Item(BaseModel):
    """The schema of an item of a list whose endpoint builds each item as a dict of its fields (``Rows``'s ``build``):
    validated by pydantic alone. A ninja ``Schema`` wraps every object it validates in a getter that reads each
    field through Python (``DjangoGetter``: about 25 µs a row of a dozen fields, more than building the row); a dict
    needs none of it. The JSON schema and the JSON are a ``Schema``'s."""


class Rows:
    """A queryset whose page is turned into rows by ``build`` (a function of the page's objects):
    an endpoint shapes, annotates or logs exactly the rows it returns, and paging stays in the database.

    ``at_least``, for a keyset list, answers cheaply a number of items the list has at least (from a
    summary table): when it is above ``COUNT_CAP`` the list is not counted (``count`` is null).

    ``record``, for a ``values_list`` queryset: makes each row the item ``build`` receives (a ``NamedTuple``'s
    ``_make``, whose attributes include the order's fields, for the next page's cursor): no model instance per
    item and related row."""

    def __init__(self, queryset, build: Callable[[list], Sequence], *,
                 at_least: Callable[[], int] | None = None, record: Callable | None = None):
        self.queryset, self.build, self.at_least, self.record = queryset, build, at_least, record

    def all(self) -> Rows:
        return self

    def count(self) -> int:
        return self.queryset.count()

    def items(self, rows) -> list:
        """The fetched rows as the items ``build`` receives."""
        return [self.record(row) for row in rows] if self.record is not None else list(rows)

    def __getitem__(self, page: slice) -> Sequence:
        return self.build(self.items(self.queryset[page]))


class ListStatements:
    """An API list's reads compiled once per process, database and shape (``core.statements``): the first page and
    the page after a cursor (``core.paging.KeysetStatement``) and the count up to ``COUNT_CAP``, of ``model``'s rows
    ``build(**values)`` gives — the list's queryset, built with the same scoping as ever for a stand-in viewer
    (``core.scoping.stand_in_viewer``) — read as ``values_list(*fields)`` in ``order`` (the model's own columns down
    to the id: the list pages by key). ``optional``: as ``Statement``'s.

    Building and compiling a list's scoped query costs more CPU than the database spends on a page (0.3–0.9 ms a
    query); an endpoint returns ``statements.rows(values, build, record=Row._make)``, and ``Paging`` runs the
    statements. A page at an offset past the first builds the queryset from the same ``build`` with the request's
    values (each offset would be a shape of its own)."""

    def __init__(self, model, build: Callable[..., Any], *, fields: tuple[str, ...], order: tuple[str, ...],
                 optional: tuple[str, ...] = ()):
        self.model, self.build, self.fields, self.order = model, build, fields, order
        self.pages = paging.KeysetStatement(lambda **values: build(**values).values_list(*fields), order=order,
                                            optional=optional)
        self._ids = Statement(lambda cap, **values: build(**values).order_by().values_list("pk")[:cap],
                              optional=optional)

    def count(self, **values) -> int | None:
        """``capped_count`` of the rows: one ``COUNT`` over at most ``COUNT_CAP + 1`` of them."""
        bound = self._ids.bound(cap=Fixed(COUNT_CAP + 1), **values)
        if bound is None:  # the scope matches nothing
            return 0
        alias, sql, params = bound
        with connections[alias].cursor() as cursor:
            # The statement's own SQL, compiled by the ORM; every value is a parameter.
            cursor.execute(f"SELECT COUNT(*) FROM ({sql}) subquery", params)  # noqa: S608
            found = cursor.fetchone()[0]
        return found if found <= COUNT_CAP else None

    def rows(self, values: dict, build: Callable[[list], Sequence], *, record: Callable,
             at_least: Callable[[], int] | None = None) -> CompiledRows:
        """What the endpoint returns: the rows of ``values`` (the statements' arguments), each made an item by
        ``record`` and the page's items shaped by ``build``."""
        return CompiledRows(self, values, build, record=record, at_least=at_least)


class CompiledRows(Rows):
    """``Rows`` read by a list's ``ListStatements`` with one request's ``values``; ``queryset`` (the same rows as a
    queryset, for a page at an offset past the first) is built only when asked for."""

    def __init__(self, statements: ListStatements, values: dict, build: Callable[[list], Sequence], *,
                 record: Callable, at_least: Callable[[], int] | None = None):
        self.statements, self.values = statements, values
        self.build, self.at_least, self.record = build, at_least, record

    @cached_property
    def queryset(self):
        plain = {name: value.value if isinstance(value, Fixed) else value for name, value in self.values.items()}
        return (self.statements.build(**plain).values_list(*self.statements.fields)
                .order_by(*self.statements.order))

    def page(self, *, limit: int, offset: int, after: str) -> dict:
        """The first page (with the count) or the page after the cursor ``after``, as ``Paging`` answers it."""
        statements = self.statements
        model = statements.model
        if after:
            if offset:
                raise HttpError(422, "Give either offset or after, not both.")
            if paging.parse_cursor(model._default_manager, statements.order, after) is None:
                raise HttpError(422, "after: not a cursor of this list.")
        page = statements.pages.page(model, after=after or None, size=limit, record=self.record, **self.values)
        if after:
            count = None
        elif self.at_least is not None and self.at_least() > COUNT_CAP:
            count = None
        else:
            count = statements.count(**self.values)
        return {"items": self.build(page.items), "count": count, "next": page.next_cursor}


def keyset_order(queryset) -> tuple[str, ...] | None:
    """The ordering of ``queryset`` when it can page by key: the model's own columns (no related or
    annotated ones), the last one the id; otherwise ``None`` (the list pages by offset only)."""
    order = tuple(str(o) for o in queryset.query.order_by) or tuple(queryset.model._meta.ordering or ())
    if not order or order[-1].lstrip("-") not in ("id", "pk"):
        return None
    names = {f.name for f in queryset.model._meta.concrete_fields}
    annotations = set(queryset.query.annotations)
    for name in order:
        if not isinstance(name, str) or name.lstrip("-") in annotations:
            return None
        if name.lstrip("-") not in names and name.lstrip("-") != "pk":
            return None
    return tuple(name.replace("pk", "id") if name.lstrip("-") == "pk" else name for name in order)


def capped_count(queryset, at_least: Callable[[], int] | None = None) -> int | None:
    """The number of items of a keyset list, or ``None`` when it has more than ``COUNT_CAP``: one
    ``COUNT`` over at most ``COUNT_CAP + 1`` rows (``SELECT COUNT(*) FROM (… LIMIT 10001)``), which an
    index walk stops early, instead of counting millions of ledger entries for the first page.
    ``at_least()`` (a lower bound of the count, ``Rows.at_least``) above the cap answers ``None`` without
    counting: a scope whose rows are sparse in the index the count walks would read far more than
    10,001 rows to find them."""
    if at_least is not None and at_least() > COUNT_CAP:
        return None
    found = queryset.order_by()[:COUNT_CAP + 1].count()
    return found if found <= COUNT_CAP else None


class Paging(LimitOffsetPagination):
    """``limit`` 1–200 (default 50), ``offset`` 0–2³¹ or ``after`` (a cursor);
    ``{"items": [...], "count": N, "next": cursor or null}``."""

    class Input(Schema):
        limit: int = Field(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT, description="How many items (1–200).")
        offset: int = Field(0, ge=0, le=MAX_OFFSET, description="How many items to skip (0–2³¹).")
        after: str = Field("", max_length=paging.MAX_CURSOR, pattern=r"^[0-9A-Za-z:+_.-]*$",
                           description="The `next` cursor of the previous page: the items after it, "
                                       "without counting the whole list again (`count` is then null).")

    class Output(Schema):
        items: list[Any]
        count: int | None = Field(description="How many items the whole list has; null on a page fetched "
                                              "with `after`, and on a list that pages by key (`next`) when it "
                                              "has more than 10,000 items.")
        next: str | None = Field(description="The cursor of the next page (pass it as `after`), or null on "
                                             "the last page and on lists that page by offset only.")

    def paginate_queryset(self, queryset, pagination: Input, request, **params):
        offset, limit = pagination.offset, pagination.limit
        if isinstance(queryset, CompiledRows) and (pagination.after or not offset):
            return queryset.page(limit=limit, offset=offset, after=pagination.after)
        rows = queryset if isinstance(queryset, Rows) else None
        base = rows.queryset if rows is not None else queryset
        order = keyset_order(base) if hasattr(base, "query") else None
        if pagination.after:
            if order is None:
                raise HttpError(422, "This list pages by offset only: it has no next cursor.")
            if offset:
                raise HttpError(422, "Give either offset or after, not both.")
            if paging.parse_cursor(base, order, pagination.after) is None:
                raise HttpError(422, "after: not a cursor of this list.")
            page = paging.keyset_page(base, order=order, after=pagination.after, size=limit,
                                      record=rows.record if rows is not None else None)
            return {"items": rows.build(page.items) if rows is not None else page.items, "count": None,
                    "next": page.next_cursor}
        if order is None:
            return {"items": queryset[offset:offset + limit], "count": self._items_count(queryset), "next": None}
        objects = base.order_by(*order)[offset:offset + limit + 1]
        objects = rows.items(objects) if rows is not None else list(objects)
        more, objects = len(objects) > limit, objects[:limit]
        count = capped_count(base, rows.at_least if rows is not None else None)
        return {"items": rows.build(objects) if rows is not None else objects, "count": count,
                "next": paging.cursor_of(objects[-1], order) if more and objects else None}
