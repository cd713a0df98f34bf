"""The ledger's unique keys (``PointEntryKey``): the trigger that writes one key row per ledger
insert, and the integrity the partitioned ledger cannot hold itself.

PostgreSQL partitions the ledger by year (``core.partitions``) and refuses a unique constraint or a
referenced key without the year, so:

- ``idempotency_key`` and ``reverses`` are unique in ``points_pointentrykey``, written by an AFTER
  INSERT trigger of the ledger in the same statement: a second entry with a taken key (or a second
  reversal of one entry) fails with an IntegrityError, as the unique column did;
- redemptions and manual awards reference ``points_pointentrykey.entry_id`` with real foreign keys,
  and so does a reversal's ``reverses_id`` (an entry that exists);
- the key table is append-only, like the ledger.

SQLite keeps a plain ledger; the same key table and trigger make posting behave the same, and
triggers check what PostgreSQL's foreign keys check.
"""

from __future__ import annotations

from gongzhi.core import triggers

LEDGER = "points_pointentry"
KEYS = "points_pointentrykey"
REFERENCING = ("points_redemption", "points_manualaward")  # each has an ``entry_id``

_INSERT_KEY = (f"INSERT INTO {KEYS} (entry_id, idempotency_key, reverses_id) "  # noqa: S608 - constants
               "VALUES (NEW.id, NEW.idempotency_key, NEW.reverses_id);")


def _sqlite() -> list[str]:
    statements = [
        f"CREATE TRIGGER IF NOT EXISTS {LEDGER}_key AFTER INSERT ON {LEDGER} BEGIN {_INSERT_KEY} END;",
        f"CREATE TRIGGER IF NOT EXISTS {LEDGER}_reverses_exists BEFORE INSERT ON {LEDGER} "  # noqa: S608
        f"WHEN NEW.reverses_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM {KEYS} WHERE entry_id = NEW.reverses_id) "
        f"BEGIN SELECT RAISE(ABORT, 'FOREIGN KEY constraint failed: {LEDGER}.reverses_id'); END;",
    ]
    for table in REFERENCING:
        for event in ("INSERT", "UPDATE OF entry_id"):
            name = f"{table}_entry_exists" + ("" if event == "INSERT" else "_on_update")
            statements.append(
                f"CREATE TRIGGER IF NOT EXISTS {name} BEFORE {event} ON {table} "  # noqa: S608
                f"WHEN NEW.entry_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM {KEYS} WHERE entry_id = NEW.entry_id) "
                f"BEGIN SELECT RAISE(ABORT, 'FOREIGN KEY constraint failed: {table}.entry_id'); END;")
    return statements


def _postgres() -> list[str]:
    statements = [
        f"""CREATE OR REPLACE FUNCTION {LEDGER}_key() RETURNS trigger AS $$
        BEGIN
          {_INSERT_KEY}
          RETURN NULL;
        END; $$ LANGUAGE plpgsql;""",
        f"DROP TRIGGER IF EXISTS {LEDGER}_key ON {LEDGER};",
        f"CREATE TRIGGER {LEDGER}_key AFTER INSERT ON {LEDGER} FOR EACH ROW EXECUTE FUNCTION {LEDGER}_key();",
        f"ALTER TABLE {KEYS} DROP CONSTRAINT IF EXISTS {KEYS}_reverses_fk;",
        f"ALTER TABLE {KEYS} ADD CONSTRAINT {KEYS}_reverses_fk FOREIGN KEY (reverses_id) "
        f"REFERENCES {KEYS} (entry_id) DEFERRABLE INITIALLY DEFERRED;",
    ]
    for table in REFERENCING:
        statements += [
            f"ALTER TABLE {table} DROP CONSTRAINT IF EXISTS {table}_entry_key_fk;",
            f"ALTER TABLE {table} ADD CONSTRAINT {table}_entry_key_fk FOREIGN KEY (entry_id) "
            f"REFERENCES {KEYS} (entry_id) DEFERRABLE INITIALLY DEFERRED;",
        ]
    return statements


def fill(connection) -> None:
    """Key rows for the entries already in the ledger (the migration that added the table)."""
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {KEYS} (entry_id, idempotency_key, reverses_id) "  # noqa: S608
                       f"SELECT id, idempotency_key, reverses_id FROM {LEDGER} ORDER BY id")


def install(schema_editor) -> None:
    """The key trigger, the integrity checks and the key table's own append-only triggers."""
    vendor = schema_editor.connection.vendor
    for sql in _sqlite() if vendor == "sqlite" else _postgres():
        schema_editor.execute(sql)
    for sql in triggers.append_only_statements(vendor, KEYS):
        schema_editor.execute(sql)
