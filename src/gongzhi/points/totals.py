"""The points totals summary (``PointTotal``): the trigger that keeps it, a check against the
ledger, and a rebuild.

Every insert into the ledger adds its points to two rows of ``points_pointtotal``: the member's
month and the member's year (month 0). The trigger runs inside the inserting transaction, so
the summary can never be ahead of or behind the ledger, whichever code inserted the entry.

SQLite stores the decimal columns as doubles: its trigger rounds each new total to the tenth, and
its sums add whole tenths (``core.exact``), so no float noise accumulates in the summary.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from gongzhi.core.exact import year_month_sum_sql
from gongzhi.core.trigger_sets import TriggerSet

LEDGER = "points_pointentry"
TOTALS = "points_pointtotal"

# Every name interpolated into SQL below is a constant of this module (S608 does not apply).
_SQLITE_UPSERT = (
    f"INSERT INTO {TOTALS} (member_id, year, month, points, entries) "  # noqa: S608
    "VALUES (NEW.member_id, CAST(strftime('%Y', NEW.occurred_on) AS INTEGER), {month}, NEW.points, 1) "
    "ON CONFLICT (member_id, year, month) DO UPDATE SET points = ROUND(points + excluded.points, 1), "
    "entries = entries + 1;"
)


def _sqlite() -> list[str]:
    month = "CAST(strftime('%m', NEW.occurred_on) AS INTEGER)"
    return [
        f"CREATE TRIGGER IF NOT EXISTS {LEDGER}_totals AFTER INSERT ON {LEDGER} BEGIN "
        + _SQLITE_UPSERT.replace("{month}", month) + " "
        + _SQLITE_UPSERT.replace("{month}", "0") + " END;",
    ]


def _postgres() -> list[str]:
    return [
        f"""CREATE OR REPLACE FUNCTION {LEDGER}_totals() RETURNS trigger AS $$
        BEGIN
          INSERT INTO {TOTALS} (member_id, year, month, points, entries)
          VALUES (NEW.member_id, EXTRACT(YEAR FROM NEW.occurred_on), EXTRACT(MONTH FROM NEW.occurred_on),
                  NEW.points, 1),
                 (NEW.member_id, EXTRACT(YEAR FROM NEW.occurred_on), 0, NEW.points, 1)
          ON CONFLICT (member_id, year, month) DO UPDATE
            SET points = {TOTALS}.points + EXCLUDED.points, entries = {TOTALS}.entries + 1;
          RETURN NULL;
        END; $$ LANGUAGE plpgsql;""",  # noqa: S608
        f"DROP TRIGGER IF EXISTS {LEDGER}_totals ON {LEDGER};",
        f"CREATE TRIGGER {LEDGER}_totals AFTER INSERT ON {LEDGER} FOR EACH ROW EXECUTE FUNCTION {LEDGER}_totals();",
    ]


def _drop(vendor: str) -> list[str]:
    if vendor == "sqlite":
        return [f"DROP TRIGGER IF EXISTS {LEDGER}_totals;"]
    return [f"DROP TRIGGER IF EXISTS {LEDGER}_totals ON {LEDGER};", f"DROP FUNCTION IF EXISTS {LEDGER}_totals();"]


def _from_ledger_sql(vendor: str) -> str:
    """SELECT of (member_id, year, month, points, entries) computed from the ledger."""
    year, month, total = year_month_sum_sql(vendor, "occurred_on", "points")
    return (f"SELECT member_id, {year} AS year, {month} AS month, {total} AS points, COUNT(*) AS entries "  # noqa: S608
            f"FROM {LEDGER} GROUP BY member_id, {year}, {month} "
            f"UNION ALL SELECT member_id, {year}, 0, {total}, COUNT(*) FROM {LEDGER} GROUP BY member_id, {year}")


TRIGGERS = TriggerSet(sqlite=_sqlite, postgresql=_postgres, drop=_drop)
#: A migration's forwards and backwards (``install(schema_editor)``, ``uninstall(schema_editor)``); ``switch(connection,
#: on)`` installs or drops the trigger outside a migration, for a bulk load that rebuilds the summary afterwards (the
#: bench does).
install, uninstall, switch = TRIGGERS.install, TRIGGERS.uninstall, TRIGGERS.switch


def rebuild(connection=None) -> int:
    """Recompute the whole summary from the ledger (in one transaction); returns the rows written."""
    from django.db import connection as default_connection
    from django.db import transaction

    connection = connection or default_connection
    with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {TOTALS}")  # noqa: S608
        cursor.execute(f"INSERT INTO {TOTALS} (member_id, year, month, points, entries) "  # noqa: S608
                       f"{_from_ledger_sql(connection.vendor)}")
        return cursor.rowcount


@dataclass(frozen=True)
class Mismatch:
    member_id: int
    year: int
    month: int
    ledger: Decimal
    summary: Decimal


def verify(connection=None, limit: int = 100) -> list[Mismatch]:
    """Rows where the summary differs from the ledger (at most ``limit``); empty when they agree."""
    from django.db import connection as default_connection

    connection = connection or default_connection
    sql = (f"SELECT COALESCE(l.member_id, t.member_id), COALESCE(l.year, t.year), "  # noqa: S608
           f"COALESCE(l.month, t.month), COALESCE(l.points, 0), COALESCE(t.points, 0) "
           f"FROM ({_from_ledger_sql(connection.vendor)}) l "
           f"FULL OUTER JOIN {TOTALS} t ON t.member_id = l.member_id AND t.year = l.year AND t.month = l.month "
           f"WHERE l.member_id IS NULL OR t.member_id IS NULL "
           f"OR ROUND(l.points, 1) <> ROUND(t.points, 1) OR l.entries <> t.entries "
           f"LIMIT {int(limit)}")
    with connection.cursor() as cursor:
        cursor.execute(sql)
        rows = cursor.fetchall()
    tenth = Decimal("0.1")
    return [Mismatch(m, int(y), int(mo), Decimal(str(a)).quantize(tenth), Decimal(str(b)).quantize(tenth))
            for m, y, mo, a, b in rows]
