"""A set of triggers (with their functions) that keeps something exact in the database: the statements that create
it and drop it on each database, run by a migration or outside one.

``points.totals``, ``points.caps``, ``points.rules`` and ``recognition.summary`` each declare one::

    TRIGGERS = TriggerSet(sqlite=_sqlite, postgresql=_postgres, drop=_drop)
    install, uninstall, switch = TRIGGERS.install, TRIGGERS.uninstall, TRIGGERS.switch

``install(schema_editor)`` and ``uninstall(schema_editor)`` are a migration's forwards and backwards;
``switch(connection, on)`` installs or drops the set outside a migration (a bulk load that rebuilds the summary
afterwards). The statements are built each time they run, not when the set is declared: they may read settings (the
served summary's time zone). They run one by one, in the order given. A row trigger on PostgreSQL's partitioned
ledger is created on the parent, which clones it onto every partition, present and future
(``core.partitions``): a set needs no statement per partition.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class TriggerSet:
    """What creates the set on SQLite (``sqlite()``) and on PostgreSQL (``postgresql()``), and what drops it on
    either (``drop(vendor)``); each gives its statements in the order they run."""

    sqlite: Callable[[], Iterable[str]]
    postgresql: Callable[[], Iterable[str]]
    drop: Callable[[str], Iterable[str]]

    @classmethod
    def postgresql_function(cls, name: str, arguments: Sequence[str], create: Callable[[], str]) -> TriggerSet:
        """A PL/pgSQL function alone, nothing on SQLite (``points.award_statement``, ``service.checkin_statement``):
        ``create()`` gives its CREATE statement, ``arguments`` its parameters as declared (``"p_member bigint"``),
        whose types name it for DROP FUNCTION."""
        types = ", ".join(argument.split()[1] for argument in arguments)
        return cls(sqlite=tuple, postgresql=lambda: (create(),),
                   drop=lambda vendor: (f"DROP FUNCTION IF EXISTS {name}({types});",) if vendor == "postgresql" else ())

    def statements(self, vendor: str, *, on: bool = True) -> list[str]:
        """The statements creating (``on``) or dropping the set on a database of ``vendor``."""
        if not on:
            return list(self.drop(vendor))
        return list(self.sqlite() if vendor == "sqlite" else self.postgresql())

    def install(self, schema_editor) -> None:
        """Create the set (a migration's forwards)."""
        for sql in self.statements(schema_editor.connection.vendor):
            schema_editor.execute(sql)

    def uninstall(self, schema_editor) -> None:
        """Drop the set (a migration's backwards)."""
        for sql in self.statements(schema_editor.connection.vendor, on=False):
            schema_editor.execute(sql)

    def switch(self, connection, on: bool) -> None:
        """Create (``on``) or drop the set outside a migration, on ``connection``."""
        statements = self.statements(connection.vendor, on=on)
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)
