"""The rules in force, remembered by each process while the point rules stay the same (the QR check-in's rule).

Every statement that adds, changes or removes point rules gives ``points_rulesversion``'s one row a number never
given before (database triggers, installed by a migration: on PostgreSQL a statement trigger drawing from a
sequence, on SQLite row triggers drawing a random 64-bit number). A caller that read that number with one of its own
statements (``version()``, an expression to annotate a row with: the check-in reads it with its activity) passes it
to ``points.services.post_points(rules_version=…)``, and the rules of a code on an organization's path (every
period, every activity kind) are then read once per process and number, not once per posting: the rule in force is
chosen from them in memory. A
rule added meanwhile changes the number: the next reader reads the rules again. No number (the row missing: an empty
database, a test's flush) means no remembering.
"""

from __future__ import annotations

from collections.abc import Callable

from django.db.models import Subquery

from gongzhi.core.trigger_sets import TriggerSet

TABLE = "points_rulesversion"
RULES = "points_pointrule"
SEQUENCE = "points_rulesversion_seq"
#: The most (organization's path, code) answers kept for one number; past it, they are read again.
MAX_REMEMBERED = 4096

_remembered: tuple[int | None, dict] = (None, {})


def version():
    """The rules' version as an expression (a subquery of the one row; NULL when there is none)."""
    from .models import RulesVersion

    return Subquery(RulesVersion.objects.filter(pk=1).values("version")[:1])


def remembered(number: int | None, key: tuple, read: Callable):
    """``read()``'s answer for ``key`` under the rules' version ``number``: read once per process and number."""
    global _remembered
    if number is None:
        return read()
    current, found = _remembered
    if current != number:
        found = {}
        _remembered = (number, found)
    if key not in found:
        if len(found) >= MAX_REMEMBERED:
            found.clear()
        found[key] = read()
    return found[key]


def forget() -> None:
    """Forget every remembered answer (tests)."""
    global _remembered
    _remembered = (None, {})


# Every name interpolated into SQL below is a constant of this module (S608 does not apply).
def _postgres() -> list[str]:
    return [
        f"CREATE SEQUENCE IF NOT EXISTS {SEQUENCE};",
        f"""CREATE OR REPLACE FUNCTION {RULES}_version() RETURNS trigger AS $$
        BEGIN
          INSERT INTO {TABLE} (id, version) VALUES (1, nextval('{SEQUENCE}'))
          ON CONFLICT (id) DO UPDATE SET version = EXCLUDED.version;
          RETURN NULL;
        END; $$ LANGUAGE plpgsql;""",  # noqa: S608
        f"DROP TRIGGER IF EXISTS {RULES}_version ON {RULES};",
        f"CREATE TRIGGER {RULES}_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {RULES} "
        f"FOR EACH STATEMENT EXECUTE FUNCTION {RULES}_version();",
    ]


def _sqlite() -> list[str]:
    bump = (f"INSERT INTO {TABLE} (id, version) VALUES (1, random()) "  # noqa: S608
            "ON CONFLICT (id) DO UPDATE SET version = excluded.version;")
    return [f"CREATE TRIGGER IF NOT EXISTS {RULES}_version_{event.lower()} AFTER {event} ON {RULES} "
            f"BEGIN {bump} END;" for event in ("INSERT", "UPDATE", "DELETE")]


def _drop(vendor: str) -> list[str]:
    if vendor == "sqlite":
        return [f"DROP TRIGGER IF EXISTS {RULES}_version_{event};" for event in ("insert", "update", "delete")]
    return [f"DROP TRIGGER IF EXISTS {RULES}_version ON {RULES};", f"DROP FUNCTION IF EXISTS {RULES}_version();",
            f"DROP SEQUENCE IF EXISTS {SEQUENCE};"]


TRIGGERS = TriggerSet(sqlite=_sqlite, postgresql=_postgres, drop=_drop)
#: A migration's forwards and backwards.
install, uninstall = TRIGGERS.install, TRIGGERS.uninstall
