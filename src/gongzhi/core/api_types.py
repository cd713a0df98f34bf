"""Pieces of the API's schema every app shares (see docs/api.md).

- One paging shape for every list: ``?limit=`` (1–200, default 50) and ``?offset=`` (0–2³¹), or
  ``?after=`` (the ``next`` cursor of the page before), answered as ``{"items": [...], "count": N,
  "next": "…"}`` (``Paging``, the project's ``NINJA_PAGINATION_CLASS``, so ``@paginate`` means this
  everywhere). ``Rows`` lets an endpoint shape only the page it returns. A list ordered by its own
  columns down to the id pages by key (``core.paging``): ``next`` is the cursor of its last item while
  more follow, and a page fetched ``after`` a cursor reads only that page (``count`` is then
  ``null``: the whole list is not counted again). Such a list counts at most ``COUNT_CAP`` items: past
  that ``count`` is ``null`` (a five-million-entry ledger is not counted; its end is ``next`` being null).
- ``ObjectId``: an id in a query or a body, within the database's range, so that ``member_id=2**70``
  is a 422 rather than an overflow deep in a query.
- ``ErrorOut``: the body of every error answer (``{"detail": ...}``).
Years, days and period names: ``core.periods`` (``Year``, ``Day``, ``PeriodName``).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Annotated, Any

from ninja import Field, Schema
from ninja.errors import HttpError
from ninja.pagination import LimitOffsetPagination

from gongzhi.core import paging

DEFAULT_LIMIT = 50
MAX_LIMIT = 200
MAX_OFFSET = 2**31
MAX_ID = 2**63 - 1
COUNT_CAP = 10_000  # a keyset list counts at most this many items; more: ``count`` is null

ObjectId = Annotated[int, Field(ge=1, le=MAX_ID, description="An object's id.")]


class ErrorOut(Schema):
    """``detail`` is a message, or for 422 the list of fields refused and why."""

    detail: str | list[dict[str, Any]]


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
