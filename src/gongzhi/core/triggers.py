"""Append-only tables: database triggers that refuse UPDATE, DELETE and (PostgreSQL) TRUNCATE.

Used by migrations of the audit log and of every ledger (points, funds, votes).
``delete_after_days`` lets a retention purge delete rows older than that floor.

On a table partitioned by year (``core.partitions``) the row trigger is created on the parent and
PostgreSQL clones it onto every partition, present and future; the TRUNCATE trigger is per table,
so every partition gets its own ``<partition>_no_truncate`` (``partitioned_append_only``).

Row triggers do not see TRUNCATE, so PostgreSQL also gets a statement trigger ``<table>_no_truncate``
(SQLite has no TRUNCATE: its ``DELETE FROM`` meets the row trigger). A role that owns the table can
still disable triggers: production runs the application as a role that owns nothing (see
docs/deployment.md; ``check --deploy`` warns otherwise).
"""

from __future__ import annotations


def _sqlite(table: str, delete_after_days: int | None) -> list[str]:
    delete_when = ""
    if delete_after_days is not None:
        delete_when = f" WHEN OLD.created_at > datetime('now', '-{int(delete_after_days)} days')"
    return [
        f"CREATE TRIGGER IF NOT EXISTS {table}_no_update BEFORE UPDATE ON {table} "
        f"BEGIN SELECT RAISE(ABORT, '{table} is append-only'); END;",
        f"CREATE TRIGGER IF NOT EXISTS {table}_no_delete BEFORE DELETE ON {table}{delete_when} "
        f"BEGIN SELECT RAISE(ABORT, '{table} is append-only'); END;",
    ]


def _postgres(table: str, delete_after_days: int | None) -> list[str]:
    delete_check = "TRUE"
    if delete_after_days is not None:
        delete_check = f"OLD.created_at > now() - interval '{int(delete_after_days)} days'"
    return [
        f"""CREATE OR REPLACE FUNCTION {table}_append_only() RETURNS trigger AS $$
        BEGIN
          IF TG_OP = 'UPDATE' OR ({delete_check}) THEN
            RAISE EXCEPTION '{table} is append-only';
          END IF;
          RETURN OLD;
        END; $$ LANGUAGE plpgsql;""",
        f"DROP TRIGGER IF EXISTS {table}_append_only ON {table};",
        f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
        f"FOR EACH ROW EXECUTE FUNCTION {table}_append_only();",
    ]


def _postgres_no_truncate(table: str) -> list[str]:
    return [
        f"""CREATE OR REPLACE FUNCTION {table}_no_truncate() RETURNS trigger AS $$
        BEGIN
          RAISE EXCEPTION '{table} is append-only: TRUNCATE is refused';
        END; $$ LANGUAGE plpgsql;""",
        f"DROP TRIGGER IF EXISTS {table}_no_truncate ON {table};",
        f"CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} "
        f"FOR EACH STATEMENT EXECUTE FUNCTION {table}_no_truncate();",
    ]


def _drop_no_truncate(table: str) -> list[str]:
    return [f"DROP TRIGGER IF EXISTS {table}_no_truncate ON {table};",
            f"DROP FUNCTION IF EXISTS {table}_no_truncate();"]


def _drop(vendor: str, table: str) -> list[str]:
    if vendor == "sqlite":
        return [f"DROP TRIGGER IF EXISTS {table}_no_update;", f"DROP TRIGGER IF EXISTS {table}_no_delete;"]
    return [f"DROP TRIGGER IF EXISTS {table}_append_only ON {table};",
            f"DROP FUNCTION IF EXISTS {table}_append_only();"]


def append_only_statements(vendor: str, table: str, delete_after_days: int | None = None) -> list[str]:
    """The statements ``append_only`` runs, for code that installs triggers itself."""
    if vendor == "sqlite":
        return _sqlite(table, delete_after_days)
    return _postgres(table, delete_after_days) + _postgres_no_truncate(table)


def append_only(table: str, delete_after_days: int | None = None):
    """A migration operation making ``table`` append-only on SQLite and PostgreSQL."""
    from django.db import migrations

    def forwards(apps, schema_editor):
        for sql in append_only_statements(schema_editor.connection.vendor, table, delete_after_days):
            schema_editor.execute(sql)

    def backwards(apps, schema_editor):
        vendor = schema_editor.connection.vendor
        for sql in _drop(vendor, table) + (_drop_no_truncate(table) if vendor == "postgresql" else []):
            schema_editor.execute(sql)

    return migrations.RunPython(forwards, backwards, elidable=False)


def refuse_truncate(table: str):
    """A migration operation adding the TRUNCATE trigger to a table made append-only before
    ``append_only`` added it (PostgreSQL; nothing to do on SQLite)."""
    from django.db import migrations

    def forwards(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for sql in _postgres_no_truncate(table):
                schema_editor.execute(sql)

    def backwards(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for sql in _drop_no_truncate(table):
                schema_editor.execute(sql)

    return migrations.RunPython(forwards, backwards, elidable=False)


def partition_no_truncate(table: str, partition: str) -> list[str]:
    """The TRUNCATE trigger of one partition of ``table`` (PostgreSQL does not clone statement triggers)."""
    return [f"DROP TRIGGER IF EXISTS {partition}_no_truncate ON {partition};",
            f"CREATE TRIGGER {partition}_no_truncate BEFORE TRUNCATE ON {partition} "
            f"FOR EACH STATEMENT EXECUTE FUNCTION {table}_no_truncate();"]


def install_partitioned_append_only(schema_editor, table: str, delete_after_days: int | None = None) -> None:
    """Make a table partitioned on PostgreSQL append-only: the row trigger on the parent (cloned to
    every partition), the TRUNCATE trigger on the parent and on each of its partitions."""
    from .partitions import partitions

    statements = _postgres(table, delete_after_days) + _postgres_no_truncate(table)
    for partition in partitions(schema_editor.connection, table):
        statements += partition_no_truncate(table, partition.name)
    for sql in statements:
        schema_editor.execute(sql)
