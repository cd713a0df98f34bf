"""Statements built with the ORM once per process, database and shape, then run with each request's values.

For a small indexed read, building a queryset and compiling it to SQL costs more CPU than the database spends
answering it (0.3–0.9 ms against tens of microseconds). A hot statement — the reads of a QR check-in, a list
page's scoped rows — is written as a function from its values to a queryset; :class:`Statement` calls that
function once with stand-in values, keeps the SQL and the compiler's description of its columns, notes where
each stand-in went among the parameters, and afterwards runs the same SQL with the real values put there::

    members_of = Statement(lambda org, day: Member.objects.filter(organization_id=org, joined_on__lte=day)
                           .values_list("id", "name"))
    members_of.rows(org=7, day=today)       # [(1, "…"), …], through the columns' converters
    Statement(lambda pk: Member.objects.select_related("organization").filter(pk=pk)).first(pk=3)

What may vary between runs: ``int``, ``str``, ``date``, ``datetime`` and ``time`` values become stand-ins; a tuple or
list of them too (its length is part of the shape: an ``__in`` list, several path prefixes). Booleans,
``None`` and :class:`Fixed` values are part of the shape: the function sees them as they are, and each
different one is compiled apart. A stand-in must reach the parameters unchanged (an exact comparison, a
range, an ``__in`` list) or, for a text, inside a ``LIKE`` pattern (``startswith``, ``contains``: the real
value is escaped as Django escapes it). Anything else — a sealed field's blind index, a value the ORM turns
into something else or writes into the SQL — fails on the first run with an error naming the value, never
running another query than the one written. Not for ``iexact`` on SQLite (its pattern is the bare value) or
``prefetch_related`` (use the queryset itself there). A statement that locks rows (``select_for_update``) is
made with ``locks=True``: it runs on the database for writing and, as Django's, only inside a transaction.

:class:`Insert` is ``create`` for a row written on a hot path, its INSERT compiled once.

``hot=True`` (a statement or an insert every QR check-in runs): on PostgreSQL, psycopg prepares it at its first run
on a connection and runs it prepared afterwards, so the server parses and plans it once per connection instead of on
every run (planning was about half of the database server's CPU for a check-in). Only where the settings allow it
(``GONGZHI_DB_PREPARE_HOT``: ``GONGZHI_DB_PREPARE_THRESHOLD=hot`` or a number, docs/deployment.md "Connections");
other statements are prepared only by a numeric threshold. Mark only statements whose plan does not depend on their
values (a row by its key, a member's lock): a prepared statement may settle on a generic plan.

``optional``: arguments whose stand-ins may be missing from the SQL — a value the built queryset uses in some
shapes and not in others (a viewer's id, which a scope reads only when it matches one's own records). Such a value
is still used only as it is: one the ORM changes (a slice of a path, say) holds a stand-in the statement cannot take
back, and the first run fails as for any argument.

The database is the one the router gives for reading the statement's model, asked on every run (the
replica router may answer differently within one request).
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import EmptyResultSet
from django.db import connections, router
from django.db.models import Count, Model, QuerySet, Value, signals
from django.db.models.query import ModelIterable, ValuesListIterable, get_related_populators
from django.db.models.sql import InsertQuery
from django.db.transaction import TransactionManagementError

#: The most shapes one statement keeps compiled (each different length of a list is one).
MAX_SHAPES = 64

_INT_BASE, _INT_STEP = -918_273_645, 7_919  # within a 32-bit column's range: the ORM drops out-of-range values
_DAY_BASE = date(1901, 2, 3)
_MARK = "\u2063"  # invisible separator: no LIKE wildcard or escape character in a stand-in text


class StatementError(RuntimeError):
    """A statement's values did not reach its parameters as stand-ins can (see the module's docstring)."""


@dataclass(frozen=True)
class Fixed:
    """A value that is part of a statement's shape (e.g. a page size, a choice of ordering): the function
    receives it as it is, and each different value is compiled apart. It must be hashable."""

    value: Any


def _kind(value) -> str | None:
    """The stand-in kind of a value, or None when the value is part of the shape."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, int):
        return "int"
    if isinstance(value, str):
        return "str"
    if isinstance(value, datetime):
        return "datetime"
    if isinstance(value, date):
        return "date"
    if isinstance(value, time):
        return "time"
    return "?"


def _describe(name: str, value) -> tuple:
    """The part of the shape that ``value`` of argument ``name`` decides."""
    if isinstance(value, Fixed):
        return (name, "fixed", value.value)
    if isinstance(value, (tuple, list)):
        kinds = tuple(_kind(item) for item in value)
        if None in kinds or "?" in kinds:
            raise StatementError(f"{name}: a list's items must be ints, texts, dates, datetimes or times")
        return (name, "seq", kinds)
    kind = _kind(value)
    if kind is None:
        return (name, "fixed", value)
    if kind == "?":
        raise StatementError(f"{name}: {type(value).__name__} cannot vary; wrap it in Fixed() to make it part "
                             "of the shape")
    return (name, kind)


def _stand_in(kind: str, number: int):
    if kind == "int":
        return _INT_BASE - _INT_STEP * number
    if kind == "str":
        return f"{_MARK}{number}{_MARK}stand-in{_MARK}"
    if kind == "date":
        return _DAY_BASE + timedelta(days=number)
    if kind == "time":
        return time(4, 5, 6, number)
    return datetime(1901, 2, 3, 4, 5, 6, number, tzinfo=UTC)


def _adapt(kind: str, value, connection):
    """``value`` as the ORM puts a value of its kind among a query's parameters."""
    if kind == "date":
        return connection.ops.adapt_datefield_value(value)
    if kind == "datetime":
        return connection.ops.adapt_datetimefield_value(value)
    if kind == "time":
        return connection.ops.adapt_timefield_value(value)
    return value


@dataclass(frozen=True)
class _Slot:
    index: int  # among the parameters
    name: str
    position: int | None  # within a list argument
    kind: str
    like: tuple[str, str] | None  # the pattern's text before and after the value


@dataclass(frozen=True)
class _Compiled:
    sql: str | None  # None: the query can match nothing (e.g. an empty __in list)
    params: tuple
    slots: tuple[_Slot, ...]
    converters: tuple
    instances: tuple | None  # (model, init_list, start, end, select, klass_info, annotation_col_map)


class Statement:
    """A query compiled once per database and shape from ``build(**values)`` (see the module's docstring);
    ``build`` returns a queryset: a ``values_list`` (``rows`` gives tuples) or of model instances
    (``instances``, with ``select_related`` and annotations as the queryset has them)."""

    def __init__(self, build: Callable[..., QuerySet], *, optional: tuple[str, ...] = (), locks: bool = False,
                 hot: bool = False):
        self._build = build
        self._optional = frozenset(optional)
        self._locks = locks
        self._hot = hot
        self._compiled: dict[tuple, _Compiled] = {}
        self._model = None

    def _prepare(self, alias: str, values: dict) -> _Compiled:
        connection = connections[alias]
        numbers = itertools.count()
        stand_ins, wanted = {}, {}
        for name, value in values.items():
            if isinstance(value, Fixed):
                stand_ins[name] = value.value
            elif isinstance(value, (tuple, list)):
                items = []
                for position, item in enumerate(value):
                    kind = _kind(item)
                    items.append(_stand_in(kind, next(numbers)))
                    wanted[items[-1]] = (name, position, kind)
                stand_ins[name] = type(value)(items)
            elif _kind(value) is None:
                stand_ins[name] = value
            else:
                kind = _kind(value)
                stand_ins[name] = _stand_in(kind, next(numbers))
                wanted[stand_ins[name]] = (name, None, kind)
        queryset = self._build(**stand_ins)
        if queryset._prefetch_related_lookups:
            raise StatementError("a statement cannot prefetch rows: use the queryset")
        if queryset.query.select_for_update != self._locks:
            raise StatementError("a statement locks rows (select_for_update) when made with locks=True, and only then")
        if queryset._iterable_class not in (ModelIterable, ValuesListIterable):
            raise StatementError("a statement's queryset is a values_list() or of model instances")
        adapted = {_adapt(kind, stand_in, connection): (stand_in, *where)
                   for stand_in, where in wanted.items() for kind in [where[2]]}
        texts = {stand_in: where for stand_in, where in wanted.items() if where[2] == "str"}
        compiler = queryset.query.get_compiler(alias)
        try:
            sql, params = compiler.as_sql()
        except EmptyResultSet:
            return _Compiled(sql=None, params=(), slots=(), converters=(), instances=None)
        slots, found, broken = [], set(), []
        for index, param in enumerate(params):
            try:
                hit = adapted.get(param)
            except TypeError:  # an unhashable parameter (a PostgreSQL array)
                hit = None
            if hit is not None:
                stand_in, name, position, kind = hit
                slots.append(_Slot(index, name, position, kind, None))
                found.add(stand_in)
                continue
            if isinstance(param, str) and _MARK in param:
                for stand_in, (name, position, kind) in texts.items():
                    before, marker, after = param.partition(stand_in)
                    if marker and _MARK not in before + after:
                        slots.append(_Slot(index, name, position, kind, (before, after)))
                        found.add(stand_in)
                        break
                else:
                    broken.append(index)
        for stand_in, (name, position, _kind_name) in wanted.items():
            if stand_in not in found and name not in self._optional:
                label = name if position is None else f"{name}[{position}]"
                raise StatementError(f"the value of {label} did not reach the statement's parameters unchanged")
        if broken:
            raise StatementError(f"statement parameters {broken} hold a stand-in they cannot take back")
        columns = [column[0] for column in compiler.select[:compiler.col_count]]
        converters = tuple(compiler.get_converters(columns).items())
        instances = None
        if queryset._iterable_class is ModelIterable:
            select, klass_info = compiler.select, compiler.klass_info
            start, end = klass_info["select_fields"][0], klass_info["select_fields"][-1] + 1
            instances = (klass_info["model"], [column[0].target.attname for column in select[start:end]],
                         start, end, select, klass_info, dict(compiler.annotation_col_map or {}))
        return _Compiled(sql=sql, params=tuple(params), slots=tuple(slots), converters=converters,
                         instances=instances)

    def _bind(self, values: dict) -> tuple[_Compiled, str, list | None]:
        """The compiled statement for the values' shape, its database, and its parameters with the values put in
        (None when the query can match nothing)."""
        shape = tuple(sorted(_describe(name, value) for name, value in values.items()))
        if self._model is None:
            self._model = self._build(**_plain_stand_ins(values)).model
        alias = (router.db_for_write if self._locks else router.db_for_read)(self._model)
        if self._locks and not connections[alias].in_atomic_block:
            raise TransactionManagementError("select_for_update cannot be used outside of a transaction.")
        key = (alias, shape)
        compiled = self._compiled.get(key)
        if compiled is None:
            if len(self._compiled) >= MAX_SHAPES:
                self._compiled.clear()
            compiled = self._compiled[key] = self._prepare(alias, values)
        if compiled.sql is None:
            return compiled, alias, None
        connection = connections[alias]
        params = list(compiled.params)
        for slot in compiled.slots:
            value = values[slot.name]
            if isinstance(value, Fixed):  # pragma: no cover - fixed values have no slots
                continue
            value = _adapt(slot.kind, value if slot.position is None else value[slot.position], connection)
            if slot.like is not None:
                value = slot.like[0] + connection.ops.prep_for_like_query(value) + slot.like[1]
            params[slot.index] = value
        return compiled, alias, params

    def bound(self, **values) -> tuple[str, str, list] | None:
        """The database, the SQL and its parameters the statement would run with ``values`` (None when it can match
        nothing), for running several one-row statements as one query (``core.todolist``: the menu's badges)."""
        compiled, alias, params = self._bind(values)
        return None if params is None else (alias, compiled.sql, params)

    def _run(self, values: dict) -> tuple[_Compiled, list, str]:
        compiled, alias, params = self._bind(values)
        if params is None:
            return compiled, [], alias
        connection = connections[alias]
        with connection.cursor() as cursor:
            _execute(cursor, compiled.sql, params, self._hot)
            rows = cursor.fetchall()
        if compiled.converters:
            converted = []
            for row in rows:
                row = list(row)
                for position, (converters, expression) in compiled.converters:
                    value = row[position]
                    for converter in converters:
                        value = converter(value, expression, connection)
                    row[position] = value
                converted.append(row)
            rows = converted
        return compiled, rows, alias

    def rows(self, **values) -> list[tuple]:
        """The rows of a ``values_list`` statement as tuples."""
        compiled, rows, _alias = self._run(values)
        if compiled.instances is not None:
            raise StatementError("this statement gives model instances: use instances()")
        return [tuple(row) for row in rows]

    def instances(self, **values) -> list:
        """The model instances of a statement built from a queryset of models."""
        compiled, rows, alias = self._run(values)
        if compiled.sql is not None and compiled.instances is None:
            raise StatementError("this statement gives rows: use rows()")
        return _instances(compiled, rows, alias)

    def first(self, **values):
        """The first instance (or row, as a tuple) or None; the queryset should be limited (``[:1]``) or
        unique."""
        compiled, rows, alias = self._run(values)
        if not rows:
            return None
        return _instances(compiled, rows[:1], alias)[0] if compiled.instances else tuple(rows[0])


class Counted:
    """The rows of a ``values_list`` statement as Django's ``Paginator`` reads a queryset: ``bind(**values)`` has
    a ``count()`` (one ``COUNT(*)`` of the same rows, compiled once too) and slices (each page's bounds part of the
    shape: a page compiled once per number). ``optional``: as ``Statement``'s. ``counted``: the same rows without
    the columns a page shows (``build``'s queryset before its ``values_list``), when those columns join other
    tables that cannot change how many rows there are (a non-null foreign key's row, a nullable one's by a LEFT
    JOIN): Django keeps a ``values_list``'s joins in its count, and on a list of tens of thousands of rows they
    made the count a fifth slower."""

    def __init__(self, build: Callable[..., QuerySet], *, optional: tuple[str, ...] = (),
                 counted: Callable[..., QuerySet] | None = None):
        self._rows = Statement(lambda low, high, **values: build(**values)[low:high], optional=optional)
        self._count = Statement(lambda **values: (counted or build)(**values).order_by().annotate(_one=Value(1))
                                .values("_one").annotate(n=Count("*")).values_list("n"), optional=optional)

    def bind(self, **values) -> _CountedRows:
        return _CountedRows(self, values)


class _CountedRows:
    def __init__(self, counted: Counted, values: dict):
        self._counted, self._values = counted, values

    def count(self) -> int:
        found = self._counted._count.first(**self._values)
        return found[0] if found else 0

    def __getitem__(self, bounds: slice) -> list[tuple]:
        if not isinstance(bounds, slice) or bounds.step is not None:
            raise TypeError("a statement's rows are read a slice at a time")
        return self._counted._rows.rows(low=Fixed(bounds.start), high=Fixed(bounds.stop), **self._values)


class Insert:
    """``Model.objects.create(**values)`` for a row written on a hot path (a QR check-in and its points), with the
    INSERT compiled once per database: ``Insert(CheckIn).create(activity=…, member=…)`` gives the saved instance,
    its id read back as ``create`` reads it. Each value goes through its field as in ``save()`` (``pre_save``, then
    ``get_db_prep_save``: ``auto_now_add``, a sealed field's blind index, a foreign key's id). Half the CPU of
    ``create``, which builds and compiles the INSERT anew for every row.

    Only what ``create`` would do alone: a model with its own ``save``, a parent model, a database default or a
    generated field, or one a ``pre_save``/``post_save`` receiver listens to, is saved by ``create`` itself; so is
    a row given an expression as a value. The database is the router's for writing ``model``."""

    def __init__(self, model, *, hot: bool = False):
        self._model = model
        self._hot = hot
        self._compiled: dict[str, tuple] = {}

    def _plain(self) -> bool:
        meta = self._model._meta
        return not (meta.parents or self._model.save is not Model.save or self._model.save_base is not Model.save_base
                    or any(f.generated or f.has_db_default() for f in meta.local_concrete_fields))

    def _listened(self) -> bool:
        return signals.pre_save.has_listeners(self._model) or signals.post_save.has_listeners(self._model)

    def _prepare(self, alias: str, row) -> tuple | None:
        """The INSERT's SQL, its fields (a parameter each, in order), the RETURNING clause's own parameters and the
        returned columns' converters; None where ``create`` must do it (no RETURNING, a field's own placeholder)."""
        meta = self._model._meta
        fields = [f for f in meta.local_concrete_fields if f is not meta.auto_field]
        query = InsertQuery(self._model)
        query.insert_values(fields, [row])
        compiler = query.get_compiler(using=alias)
        compiler.returning_fields = meta.db_returning_fields
        if not compiler.connection.features.can_return_columns_from_insert:
            return None
        [(sql, params)] = compiler.as_sql()
        if len(params) != len(fields) or sql.count("%s") != len(fields) + len(compiler.returning_params):
            return None
        columns = [field.get_col(meta.db_table) for field in meta.db_returning_fields]
        return sql, fields, tuple(compiler.returning_params), tuple(compiler.get_converters(columns).items())

    def create(self, **values):
        row = self._model(**values)
        alias = router.db_for_write(self._model, instance=row)
        compiled = self._compiled.get(alias, ())
        if compiled == ():
            compiled = self._compiled[alias] = self._prepare(alias, row) if self._plain() else None
        if compiled is None or row.pk is not None or self._listened():
            row.save(force_insert=True, using=alias)
            return row
        sql, fields, returning_params, converters = compiled
        connection = connections[alias]
        saved = [field.pre_save(row, True) for field in fields]
        if any(hasattr(value, "resolve_expression") for value in saved):
            row.save(force_insert=True, using=alias)
            return row
        params = [f.get_db_prep_save(value, connection=connection) for f, value in zip(fields, saved, strict=True)]
        with connection.cursor() as cursor:
            _execute(cursor, sql, params, self._hot)
            returned = list(connection.ops.fetch_returned_insert_columns(cursor, returning_params))
        for position, (functions, expression) in converters:
            for function in functions:
                returned[position] = function(returned[position], expression, connection)
        for value, field in zip(returned, self._model._meta.db_returning_fields, strict=True):
            setattr(row, field.attname, value)
        row._state.adding, row._state.db = False, alias
        return row


def _execute(cursor, sql: str, params: list, hot: bool) -> None:
    """``cursor.execute``; a hot statement on PostgreSQL where the settings allow it with psycopg's threshold at 0 for
    this run: prepared at its first run on the connection, run prepared afterwards (psycopg keeps at most 100 per
    connection, the least used dropped first)."""
    if not (hot and settings.GONGZHI_DB_PREPARE_HOT and cursor.db.vendor == "postgresql"):
        cursor.execute(sql, params)
        return
    native = cursor.db.connection
    threshold = native.prepare_threshold
    native.prepare_threshold = 0
    try:
        cursor.execute(sql, params)
    finally:
        native.prepare_threshold = threshold


def _instances(compiled: _Compiled, rows: list, alias: str) -> list:
    """Model instances from a statement's converted rows, as Django's ``ModelIterable`` makes them."""
    if not rows:
        return []
    model, init_list, start, end, select, klass_info, annotations = compiled.instances
    populators = get_related_populators(klass_info, select, alias)
    found = []
    for row in rows:
        obj = model.from_db(alias, init_list, row[start:end])
        for populator in populators:
            populator.populate(row, obj)
        for name, position in annotations.items():
            setattr(obj, name, row[position])
        found.append(obj)
    return found


def _plain_stand_ins(values: dict) -> dict:
    """The arguments as ``build`` receives them (to ask the built queryset its model, once)."""
    return {name: (value.value if isinstance(value, Fixed) else value) for name, value in values.items()}


def execute_hot(cursor, sql: str, params: list) -> None:
    """``cursor.execute`` of a hand-written statement every QR check-in runs (an upsert no queryset writes), prepared
    as a hot statement is (see the module's docstring)."""
    _execute(cursor, sql, params, True)


_SINGLE_LOADS: list = []


def loaded_alone(instance) -> None:
    """Note ``instance`` as read alone, as ``QuerySet.get`` and ``first`` note theirs for the test suite's N+1
    detector (django-zeal, installed by the settings only when testing): a detail page's object read by its id is
    no source of N+1 queries, whichever way it was read."""
    if not _SINGLE_LOADS:
        from django.apps import apps

        listener = None
        if apps.is_installed("zeal"):
            from zeal.listeners import n_plus_one_listener as listener
        _SINGLE_LOADS.append(listener)
    if _SINGLE_LOADS[0] is not None:
        _SINGLE_LOADS[0].ignore(f"{instance._meta.label}:{instance.pk}")
