"""History tables partitioned by year on PostgreSQL: the points ledger and the audit log.

Each is a declaratively partitioned table (``PARTITION BY RANGE`` on its date or time column) with one
partition per year, ``<table>_y<YYYY>``, and a DEFAULT partition, ``<table>_default``, that takes a
row no year partition covers, so that no write is ever refused for want of a partition. Rows in the
default partition are a warning, not a place to stay: ``gongzhi partitions ahead`` (run every month by
the task ``core.tasks.partitions_ahead``) creates the current and next years' partitions and moves
any row of the default partition into its year's partition; ``check --deploy`` warns while the
default partition holds rows or next year's partition is missing (``gongzhi.W006``).

Append-only holds on every partition: the row triggers of the parent (append-only, the points
totals) are cloned by PostgreSQL onto every partition, present and future; the TRUNCATE statement
trigger is not (TRUNCATE of a partition does not fire the parent's), so every partition gets its own
``<partition>_no_truncate`` trigger when it is created.

Partitions are created by the database function ``gongzhi_year_partition(table, year, time zone)``
(``SECURITY DEFINER``, owned by the role that ran the migrations), so that the application role,
which owns nothing (docs/deployment.md), can create next year's partition from its task worker
without being able to alter the table otherwise. Detaching an audit partition (``gongzhi partitions
retain``) is not offered to it: it runs as the owner role.

SQLite keeps plain tables; there is nothing to partition.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta

# Every name interpolated into SQL below is a constant of this module or of a registration (S608
# does not apply); values are passed as parameters.

_YEAR_PARTITION_FUNCTION = r"""
CREATE OR REPLACE FUNCTION gongzhi_year_partition(parent text, year int, zone text) RETURNS boolean
LANGUAGE plpgsql SECURITY DEFINER SET search_path FROM CURRENT AS $$
DECLARE
  part text := parent || '_y' || year;
  fallback text := parent || '_default';
  moving text := parent || '_default_moving';
  key text;
  key_type text;
  lo text;
  hi text;
  columns text;
  waiting bigint;
  before_count bigint;
  after_count bigint;
BEGIN
  IF year < 1900 OR year > 9998 THEN
    RAISE EXCEPTION 'year % is out of range', year;
  END IF;
  SELECT a.attname, format_type(a.atttypid, a.atttypmod) INTO key, key_type
    FROM pg_partitioned_table p JOIN pg_attribute a ON a.attrelid = p.partrelid AND a.attnum = p.partattrs[0]
    WHERE p.partrelid = to_regclass(parent) AND p.partstrat = 'r';
  IF key IS NULL THEN
    RAISE EXCEPTION '% is not a table partitioned by range', parent;
  END IF;
  IF to_regclass(part) IS NOT NULL THEN
    RETURN false;
  END IF;
  IF key_type = 'date' THEN
    lo := make_date(year, 1, 1)::text;
    hi := make_date(year + 1, 1, 1)::text;
  ELSE
    lo := make_timestamptz(year, 1, 1, 0, 0, 0, zone)::text;
    hi := make_timestamptz(year + 1, 1, 1, 0, 0, 0, zone)::text;
  END IF;
  waiting := 0;
  IF to_regclass(fallback) IS NOT NULL THEN
    EXECUTE format('SELECT count(*) FROM %I WHERE %I >= %L AND %I < %L', fallback, key, lo, key, hi) INTO waiting;
  END IF;
  IF waiting = 0 THEN
    EXECUTE format('CREATE TABLE %I PARTITION OF %I FOR VALUES FROM (%L) TO (%L)', part, parent, lo, hi);
  ELSE
    -- Rows of that year wait in the default partition: PostgreSQL refuses a new partition while the
    -- default one holds its rows. Take the default partition out, copy its rows into two plain tables
    -- (the year's and a new default; no trigger fires, so the totals are not counted twice), drop the
    -- old one and attach both: the triggers, indexes and foreign keys of the parent come with them.
    EXECUTE format('LOCK TABLE %I IN ACCESS EXCLUSIVE MODE', parent);
    -- Foreign keys checked at commit (Django's are deferred) would still hold events on rows written
    -- earlier in this transaction: check them now, so the old default partition can be dropped.
    SET CONSTRAINTS ALL IMMEDIATE;
    EXECUTE format('SELECT count(*) FROM %I', parent) INTO before_count;
    SELECT string_agg(quote_ident(attname), ', ' ORDER BY attnum) INTO columns
      FROM pg_attribute WHERE attrelid = to_regclass(parent) AND attnum > 0 AND NOT attisdropped;
    EXECUTE format('ALTER TABLE %I DETACH PARTITION %I', parent, fallback);
    EXECUTE format('ALTER TABLE %I RENAME TO %I', fallback, moving);
    EXECUTE format('CREATE TABLE %I (LIKE %I INCLUDING DEFAULTS INCLUDING CONSTRAINTS)', part, parent);
    EXECUTE format('CREATE TABLE %I (LIKE %I INCLUDING DEFAULTS INCLUDING CONSTRAINTS)', fallback, parent);
    EXECUTE format('INSERT INTO %I (%s) SELECT %s FROM %I WHERE %I >= %L AND %I < %L',
                   part, columns, columns, moving, key, lo, key, hi);
    EXECUTE format('INSERT INTO %I (%s) SELECT %s FROM %I WHERE NOT (%I >= %L AND %I < %L)',
                   fallback, columns, columns, moving, key, lo, key, hi);
    EXECUTE format('DROP TABLE %I', moving);
    EXECUTE format('ALTER TABLE %I ATTACH PARTITION %I FOR VALUES FROM (%L) TO (%L)', parent, part, lo, hi);
    EXECUTE format('ALTER TABLE %I ATTACH PARTITION %I DEFAULT', parent, fallback);
    EXECUTE format('CREATE TRIGGER %I BEFORE TRUNCATE ON %I FOR EACH STATEMENT EXECUTE FUNCTION %I()',
                   fallback || '_no_truncate', fallback, parent || '_no_truncate');
    EXECUTE format('SELECT count(*) FROM %I', parent) INTO after_count;
    IF after_count <> before_count THEN
      RAISE EXCEPTION '% rows before moving the default partition, % after', before_count, after_count;
    END IF;
    SET CONSTRAINTS ALL DEFERRED;  -- as every foreign key of the schema is (INITIALLY DEFERRED)
  END IF;
  EXECUTE format('CREATE TRIGGER %I BEFORE TRUNCATE ON %I FOR EACH STATEMENT EXECUTE FUNCTION %I()',
                 part || '_no_truncate', part, parent || '_no_truncate');
  RETURN true;
END; $$;
"""


@dataclass(frozen=True)
class History:
    """A table partitioned by year on ``column`` (a date, or a time stamp cut at midnight local time)."""

    table: str
    column: str
    detachable: bool = False  # the retention command may detach its old partitions (the audit log only)


HISTORIES: dict[str, History] = {}
_BOUND = re.compile(r"FROM \('([^']*)'\) TO \('([^']*)'\)")


def register(table: str, column: str, *, detachable: bool = False) -> None:
    """An app declares its partitioned table (from its AppConfig.ready())."""
    HISTORIES[table] = History(table, column, detachable)


@dataclass(frozen=True)
class Partition:
    name: str
    year: int | None  # None: the default partition
    lower: datetime | date | None
    upper: datetime | date | None
    rows: int | None = None


def _zone() -> str:
    from django.conf import settings

    return settings.TIME_ZONE


def is_partitioned(connection, table: str) -> bool:
    if connection.vendor != "postgresql":
        return False
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_partitioned_table WHERE partrelid = to_regclass(%s)", [table])
        return cursor.fetchone() is not None


def partitions(connection, table: str, *, count_rows: bool = False) -> list[Partition]:
    """The partitions attached to ``table`` (year partitions by year, then the default one)."""
    if not is_partitioned(connection, table):
        return []
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname, pg_get_expr(c.relpartbound, c.oid) FROM pg_inherits i "
            "JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = to_regclass(%s) ORDER BY c.relname", [table])
        found = cursor.fetchall()
        result = []
        for name, bound in found:
            rows = None
            if count_rows:
                cursor.execute(f'SELECT count(*) FROM "{name}"')  # noqa: S608 - a partition's own name
                rows = cursor.fetchone()[0]
            if bound == "DEFAULT":
                result.append(Partition(name, None, None, None, rows))
                continue
            match = _BOUND.search(bound)
            lo, hi = (match.group(1), match.group(2)) if match else (None, None)
            year = int(name.rsplit("_y", 1)[1]) if "_y" in name else None
            result.append(Partition(name, year, lo, hi, rows))
    return sorted(result, key=lambda p: (p.year is None, p.year or 0))


def install_function(schema_editor) -> None:
    if schema_editor.connection.vendor == "postgresql":
        with schema_editor.connection.cursor() as cursor:
            cursor.execute(_YEAR_PARTITION_FUNCTION)  # no parameters: its '%' are format()'s


def ensure_year(connection, table: str, year: int) -> bool:
    """Create ``table``'s partition for ``year`` (moving its rows out of the default partition);
    False when it exists already."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT gongzhi_year_partition(%s, %s, %s)", [table, year, _zone()])
        return bool(cursor.fetchone()[0])


def default_rows(connection, table: str) -> int:
    if not is_partitioned(connection, table):
        return 0
    with connection.cursor() as cursor:
        cursor.execute(f'SELECT count(*) FROM "{table}_default"')  # noqa: S608 - a registered table's partition
        return cursor.fetchone()[0]


def years_in_default(connection, table: str) -> list[int]:
    history = HISTORIES.get(table) or History(table, _column(connection, table))
    with connection.cursor() as cursor:
        if _is_timestamp(connection, table):
            cursor.execute(f'SELECT DISTINCT EXTRACT(YEAR FROM "{history.column}" AT TIME ZONE %s)::int '  # noqa: S608
                           f'FROM "{table}_default"', [_zone()])
        else:
            cursor.execute(f'SELECT DISTINCT EXTRACT(YEAR FROM "{history.column}")::int '  # noqa: S608
                           f'FROM "{table}_default"')
        return sorted(row[0] for row in cursor.fetchall())


def _column(connection, table: str) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT a.attname FROM pg_partitioned_table p JOIN pg_attribute a ON a.attrelid = p.partrelid "
                       "AND a.attnum = p.partattrs[0] WHERE p.partrelid = to_regclass(%s)", [table])
        return cursor.fetchone()[0]


def _is_timestamp(connection, table: str) -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT format_type(a.atttypid, a.atttypmod) FROM pg_partitioned_table p JOIN pg_attribute a "
                       "ON a.attrelid = p.partrelid AND a.attnum = p.partattrs[0] WHERE p.partrelid = to_regclass(%s)",
                       [table])
        return cursor.fetchone()[0] != "date"


@dataclass
class AheadResult:
    created: list[str]
    moved_years: list[int]


def ahead(connection, *, years: int = 1, today: date | None = None) -> dict[str, AheadResult]:
    """For every registered table: partitions for this year and ``years`` years ahead, and for any
    year whose rows wait in the default partition (they are moved). Idempotent."""
    from django.utils import timezone

    today = today or timezone.localdate()
    done = {}
    for table in sorted(HISTORIES):
        if not is_partitioned(connection, table):
            continue
        moved = years_in_default(connection, table)
        wanted = sorted(set(range(today.year, today.year + years + 1)) | set(moved))
        created = [f"{table}_y{year}" for year in wanted if ensure_year(connection, table, year)]
        done[table] = AheadResult(created, moved)
    return done


def missing_ahead(connection, *, today: date | None = None) -> list[str]:
    """Registered tables without next year's partition (for ``check --deploy``)."""
    from django.utils import timezone

    today = today or timezone.localdate()
    missing = []
    for table in sorted(HISTORIES):
        if is_partitioned(connection, table):
            names = {p.name for p in partitions(connection, table)}
            missing += [f"{table}_y{year}" for year in (today.year, today.year + 1) if f"{table}_y{year}" not in names]
    return missing


def retention_cutoff(now: datetime | None = None) -> datetime:
    """Audit rows older than this may leave the live log (the configured period, never under 180 days)."""
    from django.conf import settings
    from django.utils import timezone

    days = max(LEGAL_MINIMUM_DAYS, int(settings.GONGZHI_AUDIT_RETENTION_DAYS))
    return (now or timezone.now()) - timedelta(days=days)


LEGAL_MINIMUM_DAYS = 180  # Cybersecurity Law art. 21: network logs are kept at least six months


@dataclass(frozen=True)
class Retained:
    partition: str
    year: int
    rows: int
    newest: datetime | None


def detachable(connection, table: str, *, now: datetime | None = None) -> tuple[list[Retained], list[str]]:
    """Year partitions of ``table`` whose every row is older than the retention cutoff (by the
    partition's upper bound and by its newest row), and the reasons the others stay."""
    from django.utils.dateparse import parse_datetime

    history = HISTORIES.get(table)
    if history is None or not history.detachable:
        raise ValueError(f"{table} is not a table whose partitions may be detached")
    cutoff = retention_cutoff(now)
    ready, kept = [], []
    with connection.cursor() as cursor:
        for part in partitions(connection, table):
            if part.year is None:
                continue
            upper = parse_datetime(str(part.upper))
            cursor.execute(f'SELECT count(*), max("{history.column}") FROM "{part.name}"')  # noqa: S608
            rows, newest = cursor.fetchone()
            if upper is None or upper > cutoff or (newest is not None and newest >= cutoff):
                kept.append(part.name)
                continue
            ready.append(Retained(part.name, part.year, rows, newest))
    return ready, kept


def detach(connection, table: str, partition: str) -> None:
    """Detach one partition (it stays in the database as a plain table, still refusing UPDATE,
    DELETE and TRUNCATE, for the operator to archive with pg_dump and drop)."""
    with connection.cursor() as cursor:
        cursor.execute(f'ALTER TABLE "{table}" DETACH PARTITION "{partition}"')
        # The cloned row trigger leaves with the detachment: the archive keeps refusing changes.
        cursor.execute(f'CREATE TRIGGER "{partition}_append_only" BEFORE UPDATE OR DELETE ON "{partition}" '
                       f'FOR EACH ROW EXECUTE FUNCTION "{table}_append_only"()')


# -- converting a plain table (migrations) -------------------------------------------------------------

def convert(schema_editor, table: str, column: str) -> int:
    """Turn the plain ``table`` into a table partitioned by year on ``column``, keeping its rows, ids,
    sequence, indexes, check constraints and foreign keys; partitions for every year present, this
    year and next, and the default one. Triggers are installed by the caller. Returns the rows moved.

    The primary key becomes (id, column): PostgreSQL requires the partition key in every unique
    constraint, so the table must have no other unique constraint when this runs."""
    from django.utils import timezone

    connection = schema_editor.connection
    if is_partitioned(connection, table):
        return 0
    old = f"{table}_unpartitioned"
    run = schema_editor.execute
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_schema()")
        schema = cursor.fetchone()[0]
        cursor.execute(f'SELECT count(*) FROM "{table}"')  # noqa: S608
        count = cursor.fetchone()[0]
        cursor.execute("SELECT format_type(atttypid, atttypmod) FROM pg_attribute WHERE attrelid = to_regclass(%s) "
                       "AND attname = %s", [table, column])
        timestamp = cursor.fetchone()[0] != "date"
        if timestamp:
            cursor.execute(f'SELECT DISTINCT EXTRACT(YEAR FROM "{column}" AT TIME ZONE %s)::int FROM "{table}"',  # noqa: S608
                           [_zone()])
        else:
            cursor.execute(f'SELECT DISTINCT EXTRACT(YEAR FROM "{column}")::int FROM "{table}"')  # noqa: S608
        years = {row[0] for row in cursor.fetchall()}
        cursor.execute("SELECT conname, contype, pg_get_constraintdef(oid) FROM pg_constraint "
                       "WHERE conrelid = to_regclass(%s) AND contype IN ('p', 'u', 'f')", [table])
        constraints = cursor.fetchall()
        unique = [name for name, kind, _definition in constraints if kind == "u"]
        if unique:
            raise RuntimeError(f"{table} has unique constraints {unique}: drop them before partitioning")
        primary = next(name for name, kind, _definition in constraints if kind == "p")
        foreign = [(name, definition) for name, kind, definition in constraints if kind == "f"]
        cursor.execute("SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = %s AND tablename = %s "
                       "AND indexname <> %s", [schema, table, primary])
        indexes = cursor.fetchall()
        cursor.execute("SELECT pg_get_serial_sequence(%s, 'id')", [table])
        sequence = cursor.fetchone()[0]
        cursor.execute("SELECT string_agg(quote_ident(attname), ', ' ORDER BY attnum) FROM pg_attribute "
                       "WHERE attrelid = to_regclass(%s) AND attnum > 0 AND NOT attisdropped", [table])
        columns = cursor.fetchone()[0]

    run(f'ALTER TABLE "{table}" RENAME TO "{old}"')
    run(f'CREATE TABLE "{table}" (LIKE "{old}" INCLUDING DEFAULTS INCLUDING IDENTITY INCLUDING CONSTRAINTS '
        f'INCLUDING STORAGE INCLUDING COMMENTS) PARTITION BY RANGE ("{column}")')
    run(f'CREATE TABLE "{table}_default" PARTITION OF "{table}" DEFAULT')
    this_year = timezone.localdate().year
    for year in sorted(years | {this_year, this_year + 1}):
        lo, hi = _bounds(connection, year, timestamp)
        run(f'CREATE TABLE "{table}_y{year}" PARTITION OF "{table}" FOR VALUES FROM (\'{lo}\') TO (\'{hi}\')')
    run(f'INSERT INTO "{table}" ({columns}) SELECT {columns} FROM "{old}"')  # noqa: S608
    run(f'DROP TABLE "{old}"')  # no CASCADE: a foreign key still pointing here must fail the migration
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_get_serial_sequence(%s, 'id')", [table])
        new_sequence = cursor.fetchone()[0]
    if sequence and new_sequence and new_sequence != sequence:
        run(f"ALTER SEQUENCE {new_sequence} RENAME TO {sequence.rsplit('.', 1)[-1]}")
    run(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "  # noqa: S608
        f'COALESCE((SELECT max(id) FROM "{table}"), 0) + 1, false)')
    run(f'ALTER TABLE "{table}" ADD CONSTRAINT "{primary}" PRIMARY KEY (id, "{column}")')
    for _name, definition in indexes:
        run(definition.replace(f" ON {schema}.{old} ", f" ON {schema}.{table} ")
                      .replace(f' ON {schema}."{old}" ', f' ON {schema}."{table}" '))
    for name, definition in foreign:
        run(f'ALTER TABLE "{table}" ADD CONSTRAINT "{name}" {definition}')
    with connection.cursor() as cursor:
        cursor.execute(f'SELECT count(*) FROM "{table}"')  # noqa: S608
        if cursor.fetchone()[0] != count:
            raise RuntimeError(f"{table}: rows lost while partitioning")
    return count


def _bounds(connection, year: int, timestamp: bool) -> tuple[str, str]:
    if not timestamp:
        return date(year, 1, 1).isoformat(), date(year + 1, 1, 1).isoformat()
    with connection.cursor() as cursor:
        cursor.execute("SELECT make_timestamptz(%s, 1, 1, 0, 0, 0, %s)::text, "
                       "make_timestamptz(%s, 1, 1, 0, 0, 0, %s)::text", [year, _zone(), year + 1, _zone()])
        return cursor.fetchone()
