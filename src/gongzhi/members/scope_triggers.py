"""The triggers that give an account a new ``scope_version`` (``accounts.scope_version``) whenever what its own
records say about where it belongs changes, on both databases:

- a party-member record or a resident record with an account is added or removed, or changes its account (the old
  account's and the new one's numbers), its branch (``home_org``, a member's) or its community;
- an organization's path changes (a move in the tree: the organization and each one under it, row by row), for the
  accounts of the members held there or living there and of the residents living there.

A record without an account (most of a roster) changes no account. Installed by migration ``members 0010``.
"""

from __future__ import annotations

from gongzhi.accounts.scope_version import LIMIT
from gongzhi.core.trigger_sets import TriggerSet

ACCOUNTS = "accounts_user"
MEMBERS = "members_member"
RESIDENTS = "members_resident"
#: Each record table and the columns of its own that say where it belongs (besides its account).
RECORDS = {MEMBERS: ("home_org_id", "community_id"), RESIDENTS: ("community_id",)}
ORGANIZATIONS = "orgs_organization"


# Every name interpolated into SQL below is a constant of this module (S608 does not apply).
def _bump(vendor: str, where: str) -> str:
    draw = f"(random() * {LIMIT - 1})::bigint" if vendor == "postgresql" else f"abs(random() % {LIMIT - 1})"
    return f"UPDATE {ACCOUNTS} SET scope_version = {draw} WHERE {where};"  # noqa: S608


def _of_organization(vendor: str) -> str:
    accounts = (f"SELECT user_id FROM {MEMBERS} WHERE user_id IS NOT NULL "  # noqa: S608
                "AND (home_org_id = NEW.id OR community_id = NEW.id) "
                f"UNION SELECT user_id FROM {RESIDENTS} WHERE user_id IS NOT NULL AND community_id = NEW.id")
    return _bump(vendor, f"id IN ({accounts})")


def _changed(vendor: str, table: str) -> str:
    differs = "IS DISTINCT FROM" if vendor == "postgresql" else "IS NOT"
    return " OR ".join(f"OLD.{column} {differs} NEW.{column}" for column in ("user_id", *RECORDS[table]))


def _postgres() -> list[str]:
    statements = []
    for table in RECORDS:
        statements += [
            f"""CREATE OR REPLACE FUNCTION {table}_scope_version() RETURNS trigger AS $$
            BEGIN
              IF TG_OP <> 'INSERT' AND OLD.user_id IS NOT NULL THEN
                {_bump("postgresql", "id = OLD.user_id")}
              END IF;
              IF TG_OP <> 'DELETE' AND NEW.user_id IS NOT NULL THEN
                {_bump("postgresql", "id = NEW.user_id")}
              END IF;
              RETURN NULL;
            END; $$ LANGUAGE plpgsql;""",
            f"DROP TRIGGER IF EXISTS {table}_scope_version_insert ON {table};",
            f"CREATE TRIGGER {table}_scope_version_insert AFTER INSERT ON {table} FOR EACH ROW "
            f"WHEN (NEW.user_id IS NOT NULL) EXECUTE FUNCTION {table}_scope_version();",
            f"DROP TRIGGER IF EXISTS {table}_scope_version_delete ON {table};",
            f"CREATE TRIGGER {table}_scope_version_delete AFTER DELETE ON {table} FOR EACH ROW "
            f"WHEN (OLD.user_id IS NOT NULL) EXECUTE FUNCTION {table}_scope_version();",
            f"DROP TRIGGER IF EXISTS {table}_scope_version_update ON {table};",
            f"CREATE TRIGGER {table}_scope_version_update AFTER UPDATE OF {', '.join(('user_id', *RECORDS[table]))} "
            f"ON {table} FOR EACH ROW WHEN ({_changed('postgresql', table)}) "
            f"EXECUTE FUNCTION {table}_scope_version();",
        ]
    return [*statements,
            f"""CREATE OR REPLACE FUNCTION {ORGANIZATIONS}_scope_version() RETURNS trigger AS $$
            BEGIN
              {_of_organization("postgresql")}
              RETURN NULL;
            END; $$ LANGUAGE plpgsql;""",
            f"DROP TRIGGER IF EXISTS {ORGANIZATIONS}_scope_version ON {ORGANIZATIONS};",
            f"CREATE TRIGGER {ORGANIZATIONS}_scope_version AFTER UPDATE OF path ON {ORGANIZATIONS} FOR EACH ROW "
            f"WHEN (OLD.path IS DISTINCT FROM NEW.path) EXECUTE FUNCTION {ORGANIZATIONS}_scope_version();"]


def _sqlite() -> list[str]:
    statements = []
    for table, columns in RECORDS.items():
        old, new = _bump("sqlite", "id = OLD.user_id"), _bump("sqlite", "id = NEW.user_id")
        statements += [
            f"CREATE TRIGGER IF NOT EXISTS {table}_scope_version_insert AFTER INSERT ON {table} "
            f"FOR EACH ROW WHEN NEW.user_id IS NOT NULL BEGIN {new} END;",
            f"CREATE TRIGGER IF NOT EXISTS {table}_scope_version_delete AFTER DELETE ON {table} "
            f"FOR EACH ROW WHEN OLD.user_id IS NOT NULL BEGIN {old} END;",
            f"CREATE TRIGGER IF NOT EXISTS {table}_scope_version_update AFTER UPDATE OF "
            f"{', '.join(('user_id', *columns))} ON {table} FOR EACH ROW WHEN {_changed('sqlite', table)} "
            f"BEGIN {old} {new} END;",  # a NULL account matches no row
        ]
    return [*statements,
            f"CREATE TRIGGER IF NOT EXISTS {ORGANIZATIONS}_scope_version AFTER UPDATE OF path ON {ORGANIZATIONS} "
            f"FOR EACH ROW WHEN OLD.path IS NOT NEW.path BEGIN {_of_organization('sqlite')} END;"]


def _drop(vendor: str) -> list[str]:
    triggers = [(f"{table}_scope_version_{event}", table) for table in RECORDS
                for event in ("insert", "delete", "update")] + [(f"{ORGANIZATIONS}_scope_version", ORGANIZATIONS)]
    if vendor == "sqlite":
        return [f"DROP TRIGGER IF EXISTS {name};" for name, _table in triggers]
    return [*(f"DROP TRIGGER IF EXISTS {name} ON {table};" for name, table in triggers),
            *(f"DROP FUNCTION IF EXISTS {table}_scope_version();" for table in (*RECORDS, ORGANIZATIONS))]


TRIGGERS = TriggerSet(sqlite=_sqlite, postgresql=_postgres, drop=_drop)
#: A migration's forwards and backwards.
install, uninstall = TRIGGERS.install, TRIGGERS.uninstall
