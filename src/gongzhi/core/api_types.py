"""Pieces of the API's schema every app shares (see docs/api.md).

- One paging shape for every list: ``?limit=`` (1–200, default 50) and ``?offset=`` (0–2³¹),
  answered as ``{"items": [...], "count": N}`` (``Paging``, the project's ``NINJA_PAGINATION_CLASS``,
  so ``@paginate`` means this everywhere). ``Rows`` lets an endpoint shape only the page it returns.
- ``ObjectId``: an id in a query or a body, within the database's range, so that ``member_id=2**70``
  is a 422 rather than an overflow deep in a query.
- ``ErrorOut``: the body of every error answer (``{"detail": ...}``).
Years, days and period names: ``core.periods`` (``Year``, ``Day``, ``PeriodName``).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Annotated, Any

from ninja import Field, Schema
from ninja.pagination import LimitOffsetPagination

DEFAULT_LIMIT = 50
MAX_LIMIT = 200
MAX_OFFSET = 2**31
MAX_ID = 2**63 - 1

ObjectId = Annotated[int, Field(ge=1, le=MAX_ID, description="An object's id.")]


class ErrorOut(Schema):
    """``detail`` is a message, or for 422 the list of fields refused and why."""

    detail: str | list[dict[str, Any]]


class Rows:
    """A queryset whose page is turned into rows by ``build`` (a function of the page's objects):
    an endpoint shapes, annotates or logs exactly the rows it returns, and paging stays in the database."""

    def __init__(self, queryset, build: Callable[[list], Sequence]):
        self.queryset, self.build = queryset, build

    def all(self) -> Rows:
        return self

    def count(self) -> int:
        return self.queryset.count()

    def __getitem__(self, page: slice) -> Sequence:
        return self.build(list(self.queryset[page]))


class Paging(LimitOffsetPagination):
    """``limit`` 1–200 (default 50), ``offset`` 0–2³¹; ``{"items": [...], "count": N}``."""

    class Input(Schema):
        limit: int = Field(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT, description="How many items (1–200).")
        offset: int = Field(0, ge=0, le=MAX_OFFSET, description="How many items to skip (0–2³¹).")

    def paginate_queryset(self, queryset, pagination: Input, request, **params):
        offset, limit = pagination.offset, pagination.limit
        return {"items": queryset[offset:offset + limit], "count": self._items_count(queryset)}
