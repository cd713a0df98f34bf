"""Append-only tables: database triggers that refuse UPDATE and DELETE.

Used by migrations of the audit log and of every ledger (points, funds, votes).
``delete_after_days`` lets a retention purge delete rows older than that floor.
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


def _drop(vendor: str, table: str) -> list[str]:
    if vendor == "sqlite":
        return [f"DROP TRIGGER IF EXISTS {table}_no_update;", f"DROP TRIGGER IF EXISTS {table}_no_delete;"]
    return [f"DROP TRIGGER IF EXISTS {table}_append_only ON {table};",
            f"DROP FUNCTION IF EXISTS {table}_append_only();"]


def append_only(table: str, delete_after_days: int | None = None):
    """A migration operation making ``table`` append-only on SQLite and PostgreSQL."""
    from django.db import migrations

    def forwards(apps, schema_editor):
        vendor = schema_editor.connection.vendor
        statements = _sqlite(table, delete_after_days) if vendor == "sqlite" else _postgres(table, delete_after_days)
        for sql in statements:
            schema_editor.execute(sql)

    def backwards(apps, schema_editor):
        for sql in _drop(schema_editor.connection.vendor, table):
            schema_editor.execute(sql)

    return migrations.RunPython(forwards, backwards, elidable=False)
