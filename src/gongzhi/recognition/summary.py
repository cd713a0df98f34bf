"""The summary of who served per month (``ServedMonth``): the triggers that keep it, a check against
the service records, and a rebuild.

A member served in a month (local time, ``settings.TIME_ZONE``) when he or she has at least one
service record in it (docs/domain.md's activation): a check-in, a visit of a care pairing of his or
hers, a small wish he or she claimed that is fulfilled or confirmed. The summary holds one row per
member and month with the number of each (``checkins``, ``visits``, ``wishes``); a row exists only
while one of them is above zero, so "served in these months" is one index probe.

Why triggers, and not the services: check-ins, visits and wishes are written by three apps' services,
the admin, imports, the demo data and the bench's bulk loads; a trigger runs inside whichever
transaction writes the row, so the summary can never be ahead of or behind the records. Each trigger
adds or takes away one (``+ 1`` / ``- 1`` in an upsert, never a recount), so two transactions that
record a check-in for the same member and month at once both count (PostgreSQL's ``ON CONFLICT DO
UPDATE`` waits for the other's row and adds to it). A change that moves a record (another member,
another month, a wish fulfilled or sent back to claimed) adds to the new place and takes away from
the old one; a row whose counts all fall to zero is deleted. A care visit's member is its pairing's:
changing a pairing's member moves its visits' counts.

Months of timestamps are local: PostgreSQL converts with ``AT TIME ZONE``; SQLite (which stores UTC
text) adds the zone's fixed offset, so on SQLite the zone must not observe daylight saving time
(Asia/Shanghai does not).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from gongzhi.core.trigger_sets import TriggerSet

SUMMARY = "recognition_servedmonth"
CHECKINS, VISITS, WISHES, PAIRINGS = "service_checkin", "care_visit", "voice_wish", "care_pairing"
WISH_DONE = ("fulfilled", "confirmed")
COLUMNS = ("checkins", "visits", "wishes")

# Every name interpolated into SQL below is a constant of this module or derived from settings.TIME_ZONE
# (checked against the zone database); S608 does not apply.


def _zone() -> str:
    from zoneinfo import ZoneInfo

    from django.conf import settings

    ZoneInfo(settings.TIME_ZONE)  # refuses a name that is not a zone
    return settings.TIME_ZONE


def _sqlite_offset_minutes() -> int:
    """The zone's UTC offset in minutes; refused for a zone with daylight saving time (SQLite has no zones)."""
    from zoneinfo import ZoneInfo

    zone = ZoneInfo(_zone())
    offsets = {zone.utcoffset(datetime(year, month, 15)) for year in (2000, 2025, 2050) for month in (1, 7)}
    if len(offsets) != 1:
        from django.core.exceptions import ImproperlyConfigured

        raise ImproperlyConfigured(f"On SQLite the served summary needs a time zone without daylight saving time; "
                                   f"{_zone()} has several offsets.")
    return int(offsets.pop().total_seconds() // 60)


def month_of_time(vendor: str, column: str) -> str:
    """SQL: the first day of the local month of a timestamp column."""
    if vendor == "sqlite":
        return f"date(datetime({column}, '{_sqlite_offset_minutes():+d} minutes'), 'start of month')"
    return f"date_trunc('month', {column} AT TIME ZONE '{_zone()}')::date"


def month_of_day(vendor: str, column: str) -> str:
    """SQL: the first day of the month of a date column."""
    if vendor == "sqlite":
        return f"date({column}, 'start of month')"
    return f"date_trunc('month', {column})::date"


@dataclass(frozen=True)
class _Source:
    """One kind of service record: its table, the columns whose change moves it, and (for a row ``r``,
    ``NEW`` or ``OLD``) the member it counts for, its month and whether it counts at all."""

    table: str
    column: str  # the summary's column it counts in
    watched: tuple[str, ...]

    def member(self, r: str) -> str:
        if self.table == VISITS:
            return f"(SELECT member_id FROM {PAIRINGS} WHERE id = {r}.pairing_id)"  # noqa: S608
        return f"{r}.claimed_by_id" if self.table == WISHES else f"{r}.member_id"

    def month(self, vendor: str, r: str) -> str:
        if self.table == VISITS:
            return month_of_day(vendor, f"{r}.visited_on")
        return month_of_time(vendor, f"{r}.fulfilled_at" if self.table == WISHES else f"{r}.checked_in_at")

    def counts(self, r: str) -> str:
        if self.table == WISHES:
            done = ", ".join(f"'{s}'" for s in WISH_DONE)
            return f"{r}.status IN ({done}) AND {r}.fulfilled_at IS NOT NULL"
        return "1 = 1"


SOURCES = (
    _Source(CHECKINS, "checkins", ("member_id", "checked_in_at")),
    _Source(VISITS, "visits", ("pairing_id", "visited_on")),
    _Source(WISHES, "wishes", ("claimed_by_id", "status", "fulfilled_at")),
)


def _add(vendor: str, member: str, month: str, column: str, amount: str, where: str, source: str = "") -> str:
    """Upsert ``amount`` into ``column`` of (member, month) when ``where`` holds (``source``: a FROM …
    clause the SELECT reads from, then grouped by the month)."""
    values = ", ".join(amount if c == column else "0" for c in COLUMNS)
    target = f"{SUMMARY}.{column}" if vendor == "postgresql" else column
    excluded = "EXCLUDED" if vendor == "postgresql" else "excluded"
    group = " GROUP BY 2" if source else ""
    return (f"INSERT INTO {SUMMARY} (member_id, month, {', '.join(COLUMNS)}) "  # noqa: S608
            f"SELECT {member}, {month}, {values} {source} WHERE {member} IS NOT NULL AND {where}{group} "
            f"ON CONFLICT (member_id, month) DO UPDATE SET {column} = {target} + {excluded}.{column};")


def _take(member: str, month: str, column: str, amount: str, where: str) -> str:
    """Take ``amount`` from ``column`` of (member, month) when ``where`` holds; delete the row if nothing is left."""
    empty = " AND ".join(f"{c} <= 0" for c in COLUMNS)
    return (f"UPDATE {SUMMARY} SET {column} = {column} - ({amount}) "  # noqa: S608
            f"WHERE member_id = {member} AND month = {month} AND {where}; "
            f"DELETE FROM {SUMMARY} WHERE member_id = {member} AND {empty};")


def _bodies(vendor: str, source: _Source) -> dict[str, list[str]]:
    new = _add(vendor, source.member("NEW"), source.month(vendor, "NEW"), source.column, "1", source.counts("NEW"))
    old = _take(source.member("OLD"), source.month(vendor, "OLD"), source.column, "1", source.counts("OLD"))
    return {"INSERT": [new], "DELETE": [old], "UPDATE": [new, old]}


def _pairing_bodies(vendor: str) -> list[str]:
    """A pairing given to another member takes its visits' counts along, month by month."""
    visits_month = month_of_day(vendor, "v.visited_on")
    add = _add(vendor, "NEW.member_id", visits_month, "visits", "COUNT(*)", "v.pairing_id = NEW.id",
               source=f"FROM {VISITS} v")
    old_month = month_of_day(vendor, "v.visited_on")
    take = (f"UPDATE {SUMMARY} SET visits = visits - (SELECT COUNT(*) FROM {VISITS} v "  # noqa: S608
            f"WHERE v.pairing_id = OLD.id AND {old_month} = {SUMMARY}.month) "
            f"WHERE member_id = OLD.member_id AND month IN (SELECT {old_month} FROM {VISITS} v "
            f"WHERE v.pairing_id = OLD.id); "
            f"DELETE FROM {SUMMARY} WHERE member_id = OLD.member_id AND "
            + " AND ".join(f"{c} <= 0" for c in COLUMNS) + ";")
    return [add, take]


def _changed(columns) -> str:
    return " OR ".join(f"OLD.{c} IS DISTINCT FROM NEW.{c}" for c in columns)


def _triggers() -> list[tuple[str, str, str, tuple[str, ...], list[str]]]:
    """(name, table, event, watched columns, body statements per vendor via a function of the vendor)."""
    out = []
    for source in SOURCES:
        for event in ("INSERT", "DELETE", "UPDATE"):
            out.append((f"{source.table}_served_{event.lower()}", source.table, event, source.watched, source))
    out.append((f"{PAIRINGS}_served_update", PAIRINGS, "UPDATE", ("member_id",), None))
    return out


def _statements(vendor: str, source, event: str) -> list[str]:
    return _pairing_bodies(vendor) if source is None else _bodies(vendor, source)[event]


def _sqlite() -> list[str]:
    out = []
    for name, table, event, watched, source in _triggers():
        on = f"UPDATE OF {', '.join(watched)}" if event == "UPDATE" else event
        when = f" WHEN {_changed(watched).replace('IS DISTINCT FROM', 'IS NOT')}" if event == "UPDATE" else ""
        body = " ".join(_statements("sqlite", source, event))
        out.append(f"CREATE TRIGGER IF NOT EXISTS {name} AFTER {on} ON {table} FOR EACH ROW{when} BEGIN {body} END;")
    return out


def _postgres() -> list[str]:
    out = []
    for name, table, event, watched, source in _triggers():
        body = "\n          ".join(_statements("postgresql", source, event))
        out.append(f"""CREATE OR REPLACE FUNCTION {name}() RETURNS trigger AS $$
        BEGIN
          {body}
          RETURN NULL;
        END; $$ LANGUAGE plpgsql;""")
        on = f"UPDATE OF {', '.join(watched)}" if event == "UPDATE" else event
        when = f" WHEN ({_changed(watched)})" if event == "UPDATE" else ""
        out.append(f"DROP TRIGGER IF EXISTS {name} ON {table};")
        out.append(f"CREATE TRIGGER {name} AFTER {on} ON {table} FOR EACH ROW{when} EXECUTE FUNCTION {name}();")
    return out


def _drop(vendor: str) -> list[str]:
    out = []
    for name, table, _event, _watched, _source in _triggers():
        if vendor == "sqlite":
            out.append(f"DROP TRIGGER IF EXISTS {name};")
        else:
            out += [f"DROP TRIGGER IF EXISTS {name} ON {table};", f"DROP FUNCTION IF EXISTS {name}();"]
    return out


def from_records_sql(vendor: str) -> str:
    """SELECT of (member_id, month, checkins, visits, wishes) computed from the service records."""
    done = ", ".join(f"'{s}'" for s in WISH_DONE)
    return (f"SELECT member_id, month, SUM(c) AS checkins, SUM(v) AS visits, SUM(w) AS wishes FROM ("  # noqa: S608
            f"SELECT member_id, {month_of_time(vendor, 'checked_in_at')} AS month, 1 AS c, 0 AS v, 0 AS w "
            f"FROM {CHECKINS} WHERE member_id IS NOT NULL "
            f"UNION ALL SELECT p.member_id, {month_of_day(vendor, 'x.visited_on')}, 0, 1, 0 "
            f"FROM {VISITS} x JOIN {PAIRINGS} p ON p.id = x.pairing_id WHERE p.member_id IS NOT NULL "
            f"UNION ALL SELECT claimed_by_id, {month_of_time(vendor, 'fulfilled_at')}, 0, 0, 1 FROM {WISHES} "
            f"WHERE claimed_by_id IS NOT NULL AND status IN ({done}) AND fulfilled_at IS NOT NULL"
            f") records GROUP BY member_id, month")


TRIGGERS = TriggerSet(sqlite=_sqlite, postgresql=_postgres, drop=_drop)
#: A migration's forwards and backwards (``install(schema_editor)``, ``uninstall(schema_editor)``); ``switch(connection,
#: on)`` installs or drops the triggers outside a migration, for a bulk load that rebuilds the summary afterwards (the
#: bench does).
install, uninstall, switch = TRIGGERS.install, TRIGGERS.uninstall, TRIGGERS.switch


def ensure_installed(connection) -> bool:
    """(Re)install the triggers, in their current definition, if the summary's table exists. Returns whether
    it exists."""
    if SUMMARY not in connection.introspection.table_names():
        return False
    if connection.vendor == "sqlite":  # CREATE TRIGGER IF NOT EXISTS keeps an older definition
        switch(connection, on=False)
    switch(connection, on=True)
    return True


def rebuild(connection=None) -> int:
    """Recompute the whole summary from the service records (in one transaction); returns the rows written."""
    from django.db import connection as default_connection
    from django.db import transaction

    connection = connection or default_connection
    with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {SUMMARY}")  # noqa: S608
        cursor.execute(f"INSERT INTO {SUMMARY} (member_id, month, {', '.join(COLUMNS)}) "  # noqa: S608
                       f"{from_records_sql(connection.vendor)}")
        return cursor.rowcount


@dataclass(frozen=True)
class Mismatch:
    member_id: int
    month: date
    records: tuple[int, int, int]
    summary: tuple[int, int, int]


def verify(connection=None, limit: int = 100) -> list[Mismatch]:
    """Rows where the summary differs from the service records (at most ``limit``); empty when they agree."""
    from django.db import connection as default_connection

    connection = connection or default_connection
    differs = " OR ".join(f"COALESCE(r.{c}, 0) <> COALESCE(s.{c}, 0)" for c in COLUMNS)
    sql = ("SELECT COALESCE(r.member_id, s.member_id), COALESCE(r.month, s.month), "  # noqa: S608
           + ", ".join(f"COALESCE(r.{c}, 0)" for c in COLUMNS) + ", "
           + ", ".join(f"COALESCE(s.{c}, 0)" for c in COLUMNS)
           + f" FROM ({from_records_sql(connection.vendor)}) r "  # noqa: S608
           f"FULL OUTER JOIN {SUMMARY} s ON s.member_id = r.member_id AND s.month = r.month "
           f"WHERE {differs} LIMIT {int(limit)}")
    with connection.cursor() as cursor:
        cursor.execute(sql)
        rows = cursor.fetchall()
    return [Mismatch(row[0], row[1] if isinstance(row[1], date) else date.fromisoformat(str(row[1])),
                     tuple(int(x) for x in row[2:5]), tuple(int(x) for x in row[5:8])) for row in rows]
