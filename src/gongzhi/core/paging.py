"""Keyset ("seek") pagination for the lists that grow without bound (the points ledger).

``Paginator`` counts the whole list and skips ``OFFSET`` rows: both read every row before the page, so
page 50 of a five-million-row ledger costs seconds. A keyset page instead starts *after* the last row
shown, by its sort key: ``WHERE (occurred_on, id) < (last date, last id) ORDER BY occurred_on DESC,
id DESC LIMIT 50`` walks an index from that point and reads only the page. Rows added while someone
pages (a check-in posting points) never shift the pages after: no row is skipped or shown twice.

The cursor is the sort key of a row as text (``2025-03-01_12345``), so a link stays readable and
bookmarkable; a malformed cursor is the first page, never an error. ``keyset_page(queryset, order=…,
after=…, before=…)`` returns a ``KeysetPage`` with ``has_next``/``next_cursor`` and
``has_previous``/``previous_cursor``; the template ``includes/keyset_pagination.html`` shows the links
(parameters ``after`` and ``before``, every other parameter kept), and ``links_html(request, page)`` writes the
same markup in Python for a hot list page (``/service/``). The API uses the same cursors
(``core.api_types.Paging``: ``after`` in, ``next`` out).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db.models import Q

SEPARATOR = "_"
MAX_CURSOR = 80


@dataclass
class KeysetPage:
    items: list
    next_cursor: str | None = None
    previous_cursor: str | None = None
    first: bool = True
    extra: dict = field(default_factory=dict)

    @property
    def has_next(self) -> bool:
        return self.next_cursor is not None

    @property
    def has_previous(self) -> bool:
        return self.previous_cursor is not None

    @property
    def has_other_pages(self) -> bool:
        return self.has_next or self.has_previous

    @property
    def object_list(self) -> list:
        return self.items

    def __iter__(self):
        return iter(self.items)

    def __len__(self) -> int:
        return len(self.items)


def _fields(queryset, order: tuple[str, ...]):
    model = queryset.model
    return [(name.lstrip("-"), name.startswith("-"), model._meta.get_field(name.lstrip("-"))) for name in order]


def cursor_of(obj, order: tuple[str, ...]) -> str:
    """The cursor that designates ``obj``'s place in the list ordered by ``order``."""
    values = []
    for name in order:
        value = getattr(obj, name.lstrip("-"))
        values.append(value.isoformat() if hasattr(value, "isoformat") else str(value))
    return SEPARATOR.join(values)


def parse_cursor(queryset, order: tuple[str, ...], cursor: str | None) -> list | None:
    """The sort-key values in a cursor, or ``None`` for a missing or malformed one."""
    if not cursor or len(cursor) > MAX_CURSOR:
        return None
    parts = cursor.split(SEPARATOR)
    if len(parts) != len(order):
        return None
    values = []
    for part, (_name, _desc, model_field) in zip(parts, _fields(queryset, order), strict=True):
        try:
            value = model_field.to_python(part)
            if model_field.get_internal_type() in ("AutoField", "BigAutoField", "IntegerField", "BigIntegerField"):
                if not 0 < int(value) < 2**63:
                    return None
        except (ValidationError, ValueError, TypeError, OverflowError):
            return None
        if value is None:
            return None
        values.append(value)
    return values


def seek_q(queryset, order: tuple[str, ...], values: list, *, forward: bool = True) -> Q:
    """Rows strictly after (``forward``) or before the key ``values`` in the order ``order``.

    ``(a, b) < (x, y)`` is written ``a <= x AND (a < x OR b < y)`` (for two columns): the first
    condition is a range an index on ``(a, b)`` starts its scan from."""
    fields = _fields(queryset, order)

    def op(desc: bool, strict: bool) -> str:
        later = "lt" if desc == forward else "gt"
        return later if strict else later + "e"

    name0, desc0, _f = fields[0]
    query = Q(**{f"{name0}__{op(desc0, False)}": values[0]})
    tail = Q(pk__in=[])
    for i, (name, desc, _f) in enumerate(fields):
        equal = {f"{fields[j][0]}": values[j] for j in range(i)}
        tail |= Q(**equal, **{f"{name}__{op(desc, True)}": values[i]})
    return query & tail


def keyset_page(queryset, *, order: tuple[str, ...], after: str | None = None, before: str | None = None,
                size: int = 50, record=None) -> KeysetPage:
    """One page of ``queryset`` ordered by ``order`` (whose last field is unique, e.g. ``-id``): the
    first page, the page after the cursor ``after`` or the page before the cursor ``before``. Two
    One query: the page and one row more, to know whether another follows (for a page after a cursor,
    the cursor's row precedes it). ``record``: a function making each fetched row (of a ``values_list``) the
    page's item, which must have the order's fields as attributes (a ``NamedTuple``'s ``_make``)."""

    def read(key, forward):
        if key is None:
            return list(queryset.order_by(*order)[:size + 1])
        if forward:
            return list(queryset.order_by(*order).filter(seek_q(queryset, order, key))[:size + 1])
        return list(queryset.filter(seek_q(queryset, order, key, forward=False)).order_by(*_reversed(order))[:size + 1])

    return _page(queryset, read, order=order, after=after, before=before, size=size, record=record)


class KeysetStatement:
    """``keyset_page`` of the queryset ``build(**values)`` gives, each of its three queries (the first page, after a
    cursor, before one) compiled once per database and shape (``core.statements``): the cursor's values are the
    statement's arguments, the page's size part of its shape. ``optional``: as ``Statement``'s."""

    def __init__(self, build, *, order: tuple[str, ...], optional: tuple[str, ...] = ()):
        from gongzhi.core.statements import Statement

        self.order = order

        def first(page_size, **values):
            return build(**values).order_by(*order)[:page_size]

        def following(page_size, key, **values):
            queryset = build(**values)
            return queryset.order_by(*order).filter(seek_q(queryset, order, list(key)))[:page_size]

        def preceding(page_size, key, **values):
            queryset = build(**values)
            return (queryset.filter(seek_q(queryset, order, list(key), forward=False))
                    .order_by(*_reversed(order))[:page_size])

        self._first, self._following, self._preceding = (Statement(first, optional=optional),
                                                         Statement(following, optional=optional),
                                                         Statement(preceding, optional=optional))

    def page(self, model, *, after: str | None = None, before: str | None = None, size: int = 50, record=None,
             **values) -> KeysetPage:
        """The page of ``model``'s rows the statement's queryset gives for ``values`` (``keyset_page``'s
        arguments otherwise)."""
        from gongzhi.core.statements import Fixed

        def read(key, forward):
            if key is None:
                return self._first.rows(page_size=Fixed(size + 1), **values)
            statement = self._following if forward else self._preceding
            return statement.rows(page_size=Fixed(size + 1), key=tuple(key), **values)

        return _page(model._default_manager, read, order=self.order, after=after, before=before, size=size,
                     record=record)


def _reversed(order: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(name[1:] if name.startswith("-") else f"-{name}" for name in order)


def _page(queryset, read, *, order, after, before, size, record) -> KeysetPage:
    """``keyset_page`` with its rows from ``read(key, forward)`` (``key`` None: the first page)."""
    after_key = parse_cursor(queryset, order, after)
    before_key = None if after_key is not None else parse_cursor(queryset, order, before)
    if before_key is not None:
        rows = read(before_key, False)
        if record is not None:
            rows = [record(row) for row in rows]
        more_before = len(rows) > size
        rows = rows[:size][::-1]
        return KeysetPage(
            items=rows, first=not more_before,
            previous_cursor=cursor_of(rows[0], order) if more_before and rows else None,
            next_cursor=cursor_of(rows[-1], order) if rows else None,
        )
    rows = read(after_key, True)
    if record is not None:
        rows = [record(row) for row in rows]
    more = len(rows) > size
    rows = rows[:size]
    previous = None
    if after_key is not None and rows:
        previous = cursor_of(rows[0], order)
    elif after_key is not None:
        previous = after  # past the end: back to where the reader came from
    return KeysetPage(items=rows, first=after_key is None, previous_cursor=previous,
                      next_cursor=cursor_of(rows[-1], order) if more else None)


_LINK = '<li class="page-item"><a class="page-link" href="{href}"{rel}>{label}</a></li>'
#: The include's own messages, translated from the catalog that holds the include's (the project's).
_PAGES, _FIRST, _PREVIOUS, _NEXT = "Pages", "First", "Previous", "Next"


def links_html(request, page: KeysetPage) -> str:
    """``{% include "includes/keyset_pagination.html" with page=page %}`` written in Python, the same markup (tests/
    core/test_paging_links.py renders both): the links to the first, previous and next pages, every other parameter
    of the request kept (the ``query`` tag's own function), the labels in the language in force. The include costs
    a template, three ``query`` tags and four translations on every page of a list."""
    from django.utils.html import conditional_escape
    from django.utils.safestring import mark_safe
    from django.utils.translation import gettext

    from gongzhi.core.templatetags.gongzhi import query

    if not page.has_other_pages:
        return mark_safe("\n")  # noqa: S308  (the include's own newline)
    context = {"request": request}

    def link(label: str, rel: str, **changes) -> str:
        return _LINK.format(href=conditional_escape(query(context, **changes)), rel=rel,
                            label=conditional_escape(gettext(label)))

    first = "" if page.first else link(_FIRST, "", after=None, before=None)
    previous = link(_PREVIOUS, ' rel="prev"', after=None, before=page.previous_cursor) if page.has_previous else ""
    following = link(_NEXT, ' rel="next"', before=None, after=page.next_cursor) if page.has_next else ""
    return mark_safe(  # noqa: S308  (every part above escaped)
        f'\n<nav aria-label="{conditional_escape(gettext(_PAGES))}">\n'
        f'  <ul class="pagination pagination-sm flex-wrap">\n    {first}\n    {previous}\n    {following}\n'
        "  </ul>\n</nav>\n\n")
