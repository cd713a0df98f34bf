"""What a rule's caps count (``RuleGroupTotal``): the trigger that keeps it, the read that locks it, a check against
the ledger and a rebuild.

A cap limits the points a member earns from the rules of one code at one organization (the rule's *group*: every
period and activity kind of that code there), in a month and in a year. Every insert into the ledger of an entry
with a rule adds its points to two rows of ``points_rulegrouptotal``: the member's month and year (month 0) of the
rule's group; a reversing entry of such an entry takes its points off the same rows (a reversed entry gives its
cap back). The trigger runs inside the inserting statement, so the summary is never ahead of or behind the ledger,
whichever code inserted the entry (``post_points``, a bulk load, a reversal).

A capped posting reads its group's rows with ``used()``, which writes them first (an upsert adding nothing): the
rows are then locked until the posting's transaction ends, so a parallel posting for the same member and group
waits there and reads the total with this one's entry in it (PostgreSQL); on SQLite the transaction holds the
database's write lock from its start (BEGIN IMMEDIATE, settings). Rows are written month first, then the year, in
the statement and in the trigger alike: two postings of one member in different months of a year queue on the year
row, never in a cycle.

SQLite stores the decimal column as a double: its trigger rounds each new total to the tenth, as ``totals`` does.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db import connections, router

from gongzhi.core.exact import tenths, year_month_sum_sql
from gongzhi.core.statements import execute_hot
from gongzhi.core.trigger_sets import TriggerSet

LEDGER = "points_pointentry"
RULES = "points_pointrule"
TABLE = "points_rulegrouptotal"
_KEY = "member_id, organization_id, code, year, month"

# Every name interpolated into SQL below is a constant of this module (S608 does not apply).


def _sqlite() -> list[str]:
    # An entry with a rule counts under its rule's group and its own day; a reversal under its reversed entry's.
    def upserts(day: str, tables: str, condition: str) -> str:
        return " ".join(
            f"INSERT INTO {TABLE} ({_KEY}, points) "  # noqa: S608
            f"SELECT NEW.member_id, r.organization_id, r.code, CAST(strftime('%Y', {day}) AS INTEGER), {month}, "
            f"NEW.points FROM {tables} WHERE {condition} "
            f"ON CONFLICT ({_KEY}) DO UPDATE SET points = ROUND(points + excluded.points, 1);"
            for month in (f"CAST(strftime('%m', {day}) AS INTEGER)", "0"))

    rule = upserts("NEW.occurred_on", f"{RULES} r", "r.id = NEW.rule_id")
    reversal = upserts("e.occurred_on", f"{LEDGER} e JOIN {RULES} r ON r.id = e.rule_id", "e.id = NEW.reverses_id")
    return [f"CREATE TRIGGER IF NOT EXISTS {LEDGER}_rule_groups AFTER INSERT ON {LEDGER} "
            f"WHEN NEW.rule_id IS NOT NULL BEGIN {rule} END;",
            f"CREATE TRIGGER IF NOT EXISTS {LEDGER}_rule_groups_reversal AFTER INSERT ON {LEDGER} "
            f"WHEN NEW.rule_id IS NULL AND NEW.reverses_id IS NOT NULL BEGIN {reversal} END;"]


def _postgres() -> list[str]:
    # One statement a row (the rule's group read in it): the month's row, then the year's.
    periods = "LATERAL (VALUES (EXTRACT(MONTH FROM {day})), (0)) AS p (month)"
    add = (f"INSERT INTO {TABLE} ({_KEY}, points) "  # noqa: S608
           f"SELECT NEW.member_id, r.organization_id, r.code, EXTRACT(YEAR FROM {{day}}), p.month, NEW.points ")
    upsert = f"ON CONFLICT ({_KEY}) DO UPDATE SET points = {TABLE}.points + EXCLUDED.points;"
    return [
        f"""CREATE OR REPLACE FUNCTION {LEDGER}_rule_groups() RETURNS trigger AS $$
        BEGIN
          IF NEW.rule_id IS NOT NULL THEN
            {add.format(day="NEW.occurred_on")}
            FROM {RULES} r CROSS JOIN {periods.format(day="NEW.occurred_on")} WHERE r.id = NEW.rule_id
            {upsert}
          ELSE
            {add.format(day="e.occurred_on")}
            FROM {LEDGER} e JOIN {RULES} r ON r.id = e.rule_id CROSS JOIN {periods.format(day="e.occurred_on")}
            WHERE e.id = NEW.reverses_id
            {upsert}
          END IF;
          RETURN NULL;
        END; $$ LANGUAGE plpgsql;""",  # noqa: S608
        f"DROP TRIGGER IF EXISTS {LEDGER}_rule_groups ON {LEDGER};",
        f"CREATE TRIGGER {LEDGER}_rule_groups AFTER INSERT ON {LEDGER} FOR EACH ROW "
        f"WHEN (NEW.rule_id IS NOT NULL OR NEW.reverses_id IS NOT NULL) EXECUTE FUNCTION {LEDGER}_rule_groups();",
    ]


def _drop(vendor: str) -> list[str]:
    if vendor == "sqlite":
        return [f"DROP TRIGGER IF EXISTS {LEDGER}_rule_groups{kind};" for kind in ("", "_reversal")]
    return [f"DROP TRIGGER IF EXISTS {LEDGER}_rule_groups ON {LEDGER};",
            f"DROP FUNCTION IF EXISTS {LEDGER}_rule_groups();"]


TRIGGERS = TriggerSet(sqlite=_sqlite, postgresql=_postgres, drop=_drop)
#: A migration's forwards and backwards (``install(schema_editor)``, ``uninstall(schema_editor)``); ``switch(connection,
#: on)`` installs or drops the trigger outside a migration, for a bulk load that rebuilds the summary afterwards.
install, uninstall, switch = TRIGGERS.install, TRIGGERS.uninstall, TRIGGERS.switch


def _from_ledger_sql(vendor: str) -> str:
    """SELECT of (member_id, organization_id, code, year, month, points) computed from the ledger: the entries with
    a rule, and the reversals of such entries, counted in their reversed entry's group and period."""
    year, month, total = year_month_sum_sql(vendor, "c.occurred_on", "c.points")
    # Each counted entry with the rule and the day it counts under (a reversal: its reversed entry's).
    counted = (f"(SELECT member_id, points, occurred_on, rule_id FROM {LEDGER} WHERE rule_id IS NOT NULL "  # noqa: S608
               f"UNION ALL SELECT x.member_id, x.points, e.occurred_on, e.rule_id FROM {LEDGER} x "
               f"JOIN {LEDGER} e ON e.id = x.reverses_id WHERE x.rule_id IS NULL AND e.rule_id IS NOT NULL) c "
               f"JOIN {RULES} r ON r.id = c.rule_id")
    group = f"c.member_id, r.organization_id, r.code, {year}"
    return (f"SELECT {group} AS year, {month} AS month, {total} AS points FROM {counted} "  # noqa: S608
            f"GROUP BY {group}, {month} "
            f"UNION ALL SELECT {group}, 0, {total} FROM {counted} GROUP BY {group}")


def rebuild(connection=None) -> int:
    """Recompute the whole summary from the ledger (in one transaction); returns the rows written."""
    from django.db import connection as default_connection
    from django.db import transaction

    connection = connection or default_connection
    with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {TABLE}")  # noqa: S608
        cursor.execute(f"INSERT INTO {TABLE} ({_KEY}, points) {_from_ledger_sql(connection.vendor)}")  # noqa: S608
        return cursor.rowcount


@dataclass(frozen=True)
class Mismatch:
    member_id: int
    organization_id: int
    code: str
    year: int
    month: int
    ledger: Decimal
    summary: Decimal


def verify(connection=None, limit: int = 100) -> list[Mismatch]:
    """Rows where the summary differs from the ledger (at most ``limit``); empty when they agree. A summary row of
    zero points without entries behind it (a capped posting that read its group and then posted nothing) agrees."""
    from django.db import connection as default_connection

    connection = connection or default_connection
    on = " AND ".join(f"t.{column} = l.{column}" for column in _KEY.split(", "))
    sql = (f"SELECT {', '.join(f'COALESCE(l.{c}, t.{c})' for c in _KEY.split(', '))}, "  # noqa: S608
           f"COALESCE(l.points, 0), COALESCE(t.points, 0) "
           f"FROM ({_from_ledger_sql(connection.vendor)}) l FULL OUTER JOIN {TABLE} t ON {on} "
           f"WHERE ROUND(COALESCE(l.points, 0), 1) <> ROUND(COALESCE(t.points, 0), 1) LIMIT {int(limit)}")
    with connection.cursor() as cursor:
        cursor.execute(sql)
        rows = cursor.fetchall()
    return [Mismatch(m, o, c, int(y), int(mo), tenths(a), tenths(b)) for m, o, c, y, mo, a, b in rows]


#: The upsert that reads a group's rows, per number of rows asked (one or two).
_USED: dict[int, str] = {}


def used(*, member_id: int, organization_id: int, code: str, on: date, months: tuple[int, ...]) -> dict[int, Decimal]:
    """The member's points from the rule group (``organization_id``, ``code``) in ``on``'s month (1-12) and year (0)
    as asked in ``months`` (the month first), its rows written first (created at zero when missing) and so locked
    until the transaction ends: what the caps leave cannot change before this transaction's entry is in."""
    from .models import RuleGroupTotal

    sql = _USED.get(len(months))
    if sql is None:
        values = ", ".join(["(%s, %s, %s, %s, %s, 0)"] * len(months))
        sql = _USED[len(months)] = (
            f"INSERT INTO {TABLE} ({_KEY}, points) VALUES {values} "  # noqa: S608
            f"ON CONFLICT ({_KEY}) DO UPDATE SET points = {TABLE}.points RETURNING month, points")
    params = []
    for month in months:
        params += [member_id, organization_id, code, on.year, month]
    with connections[router.db_for_write(RuleGroupTotal)].cursor() as cursor:
        execute_hot(cursor, sql, params)
        return {month: tenths(points) for month, points in cursor.fetchall()}
