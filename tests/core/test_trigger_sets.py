"""A trigger set (``core.trigger_sets``) installs, drops and switches its triggers on either database; the summaries'
sets (totals, caps, the rules' version, the served months) and the accounts' scope versions' set, dropped and
installed again, are what the migrations left."""

from types import SimpleNamespace

import pytest
from django.db import connection

from gongzhi.core.trigger_sets import TriggerSet
from gongzhi.members import scope_triggers
from gongzhi.points import caps, rules, totals
from gongzhi.recognition import summary

pytestmark = pytest.mark.django_db

PROBE, COUNT = "core_trigger_probe", "core_trigger_probe_count"


def _sqlite():
    return [f"CREATE TRIGGER IF NOT EXISTS {PROBE}_counts AFTER INSERT ON {PROBE} "  # noqa: S608 - constants
            f"BEGIN UPDATE {COUNT} SET n = n + 1; END;"]


def _postgres():
    return [f"""CREATE OR REPLACE FUNCTION {PROBE}_counts() RETURNS trigger AS $$
            BEGIN UPDATE {COUNT} SET n = n + 1; RETURN NULL; END; $$ LANGUAGE plpgsql;""",  # noqa: S608
            f"CREATE TRIGGER {PROBE}_counts AFTER INSERT ON {PROBE} FOR EACH ROW EXECUTE FUNCTION {PROBE}_counts();"]


def _drop(vendor):
    if vendor == "sqlite":
        return [f"DROP TRIGGER IF EXISTS {PROBE}_counts;"]
    return [f"DROP TRIGGER IF EXISTS {PROBE}_counts ON {PROBE};", f"DROP FUNCTION IF EXISTS {PROBE}_counts();"]


PROBE_SET = TriggerSet(sqlite=_sqlite, postgresql=_postgres, drop=_drop)


def _count_after_an_insert() -> int:
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {PROBE} (v) VALUES (1)")  # noqa: S608 - constants
        cursor.execute(f"SELECT n FROM {COUNT}")  # noqa: S608
        return cursor.fetchone()[0]


def _definitions() -> list[tuple]:
    """Every trigger (with its table and definition, on PostgreSQL each partition's clone too) and function."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT name, tbl_name, sql FROM sqlite_master WHERE type = 'trigger' ORDER BY name")
            return cursor.fetchall()
        cursor.execute("SELECT tgrelid::regclass::text, tgname, pg_get_triggerdef(oid) FROM pg_trigger "
                       "WHERE NOT tgisinternal ORDER BY 1, 2")
        found = cursor.fetchall()
        cursor.execute("SELECT proname, pg_get_functiondef(p.oid) FROM pg_proc p JOIN pg_namespace n "
                       "ON n.oid = p.pronamespace WHERE n.nspname = current_schema() ORDER BY 1")
        return found + cursor.fetchall()


def test_a_set_is_installed_dropped_and_switched_with_its_own_statements():
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE TABLE {PROBE} (v integer)")
        cursor.execute(f"CREATE TABLE {COUNT} (n integer)")
        cursor.execute(f"INSERT INTO {COUNT} (n) VALUES (0)")  # noqa: S608
        editor = SimpleNamespace(connection=connection, execute=cursor.execute)
        PROBE_SET.install(editor)
        assert _count_after_an_insert() == 1
        PROBE_SET.uninstall(editor)
        assert _count_after_an_insert() == 1
    PROBE_SET.switch(connection, on=True)
    assert _count_after_an_insert() == 2
    PROBE_SET.switch(connection, on=False)
    assert _count_after_an_insert() == 2
    assert PROBE_SET.statements(connection.vendor, on=False) == _drop(connection.vendor)
    assert PROBE_SET.statements(connection.vendor) == (_sqlite() if connection.vendor == "sqlite" else _postgres())


@pytest.mark.parametrize("module", [totals, caps, rules, summary, scope_triggers], ids=lambda m: m.__name__)
def test_a_summary_set_dropped_and_installed_again_is_what_the_migrations_left(module):
    migrated = _definitions()
    with connection.cursor() as cursor:
        editor = SimpleNamespace(connection=connection, execute=cursor.execute)
        module.uninstall(editor)
        assert len(_definitions()) < len(migrated)
        module.install(editor)
    assert _definitions() == migrated
