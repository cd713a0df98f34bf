"""The cast of personas and the small world they live in.

world: street A → community A → branch A (→ group A1) and branch B; a co-building unit
whose party organization sits under street A and has an agreement with community A;
and a foreign street B → community X → branch X (→ group X1). Each persona holds one
role; ``client_for(name)`` gives a CSRF-enforcing client logged in as that persona.
"""

from __future__ import annotations

import copy
import os
import sys
from contextlib import contextmanager, nullcontext
from datetime import date
from types import SimpleNamespace

import pytest
from django.test import Client

from gongzhi.accounts.models import RoleKind
from gongzhi.members.models import MemberCategory
from gongzhi.orgs.models import OrgKind
from tests.factories import (
    BuildingFactory,
    CoBuildingAgreementFactory,
    CoBuildingUnitFactory,
    GridFactory,
    HouseholdFactory,
    MemberFactory,
    OrganizationFactory,
    ResidentFactory,
    RoleFactory,
    UserFactory,
)

pytest_plugins = ["tests.ordering", "tests.template_db"]

PERSONAS = [
    "street_admin", "community_secretary", "community_staff", "branch_secretary_a", "branch_secretary_b",
    "member", "resident", "supervisor", "unit_admin", "treasurer_a", "security_admin", "auditor", "anonymous",
]


@pytest.fixture(autouse=True)
def _english_off(settings):
    settings.LANGUAGE_CODE = "zh-hans"


def build_world() -> SimpleNamespace:
    w = SimpleNamespace()
    w.street_a = OrganizationFactory(code="SA", name="甲街道党工委", kind=OrgKind.STREET)
    w.community_a = OrganizationFactory(code="SA-C1", name="幸福社区党委", kind=OrgKind.COMMUNITY,
                                        parent=w.street_a)
    w.branch_a = OrganizationFactory(code="SA-C1-B1", name="第一网格党支部", kind=OrgKind.BRANCH,
                                     parent=w.community_a, category="grid")
    w.group_a1 = OrganizationFactory(code="SA-C1-B1-P1", name="1号楼党小组", kind=OrgKind.GROUP, parent=w.branch_a)
    w.branch_b = OrganizationFactory(code="SA-C1-B2", name="第二网格党支部", kind=OrgKind.BRANCH,
                                     parent=w.community_a, category="grid")
    w.unit_org = OrganizationFactory(code="SA-U1", name="区税务局党支部", kind=OrgKind.UNIT, parent=w.street_a)
    w.unit = CoBuildingUnitFactory(name="区税务局", organization=w.unit_org)
    w.agreement = CoBuildingAgreementFactory(unit=w.unit, community=w.community_a)
    w.grid_a = GridFactory(community=w.community_a, code="SA-G1", name="第一网格", branch=w.branch_a)
    w.building_a = BuildingFactory(grid=w.grid_a, name="1号楼", group=w.group_a1)
    w.household_a = HouseholdFactory(building=w.building_a, number="101", resident_count=3)
    w.grid_b = GridFactory(community=w.community_a, code="SA-G2", name="第二网格", branch=w.branch_b)
    w.building_b = BuildingFactory(grid=w.grid_b, name="2号楼")
    w.household_b = HouseholdFactory(building=w.building_b, number="201", resident_count=2)

    w.street_b = OrganizationFactory(code="SB", name="乙街道党工委", kind=OrgKind.STREET)
    w.community_x = OrganizationFactory(code="SB-C1", name="外街社区党委", kind=OrgKind.COMMUNITY, parent=w.street_b)
    w.branch_x = OrganizationFactory(code="SB-C1-B1", name="外街党支部", kind=OrgKind.BRANCH, parent=w.community_x)
    w.group_x = OrganizationFactory(code="SB-C1-B1-P1", name="外街党小组", kind=OrgKind.GROUP, parent=w.branch_x)
    w.grid_x = GridFactory(community=w.community_x, code="SB-G1", name="外街网格", branch=w.branch_x)
    w.building_x = BuildingFactory(grid=w.grid_x, name="外街1号楼", group=w.group_x)
    w.household_x = HouseholdFactory(building=w.building_x, number="301", resident_count=4)

    w.users = {}
    roles = {
        "street_admin": (w.street_a, RoleKind.STREET_ADMIN),
        "community_secretary": (w.community_a, RoleKind.COMMUNITY_SECRETARY),
        "community_staff": (w.community_a, RoleKind.COMMUNITY_STAFF),
        "branch_secretary_a": (w.branch_a, RoleKind.BRANCH_SECRETARY),
        "branch_secretary_b": (w.branch_b, RoleKind.BRANCH_SECRETARY),
        "member": (w.branch_a, RoleKind.MEMBER),
        "resident": (w.community_a, RoleKind.RESIDENT),
        "supervisor": (w.community_a, RoleKind.SUPERVISOR),
        "unit_admin": (w.unit_org, RoleKind.UNIT_ADMIN),
        "treasurer_a": (w.branch_a, RoleKind.TREASURER),
        "security_admin": (w.street_a, RoleKind.SECURITY_ADMIN),
        "auditor": (w.street_a, RoleKind.AUDITOR),
        "foreign_secretary": (w.community_x, RoleKind.COMMUNITY_SECRETARY),
    }
    for persona, (org, kind) in roles.items():
        user = UserFactory(username=persona)
        RoleFactory(user=user, organization=org, kind=kind, starts_on=date(2020, 1, 1))
        w.users[persona] = user
    w.users["anonymous"] = None

    w.member_a = MemberFactory(name="赵磊", home_org=w.branch_a, community=w.community_a, grid=w.grid_a,
                               building=w.building_a, household=w.household_a, user=w.users["member"],
                               category=MemberCategory.IN_SERVICE)
    w.member_b = MemberFactory(name="钱明", home_org=w.branch_b, community=w.community_a, grid=w.grid_b,
                               building=w.building_b, household=w.household_b)
    w.member_reported = MemberFactory(name="孙红", home_org=w.unit_org, community=w.community_a, grid=w.grid_a,
                                      category=MemberCategory.IN_SERVICE, serving_org=w.branch_a)
    w.member_x = MemberFactory(name="李外", home_org=w.branch_x, community=w.community_x, grid=w.grid_x)
    w.resident_a = ResidentFactory(name="孙丽", community=w.community_a, household=w.household_a,
                                   user=w.users["resident"])
    w.resident_x = ResidentFactory(name="周外", community=w.community_x, household=w.household_x)
    return w


@pytest.fixture
def world(db) -> SimpleNamespace:
    return build_world()


@contextmanager
def shared_data(django_db_blocker):
    """Data built once for a whole module and rolled back after it, as Django's
    ``TestCase.setUpTestData``: the module's tests each run in a savepoint inside this
    transaction, so what one test writes is gone before the next. Only for modules whose
    tests need no real commit (no ``transaction=True``, no live server)."""
    from django.db import transaction

    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            yield
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


@pytest.fixture(scope="module")
def module_world(django_db_setup, django_db_blocker) -> SimpleNamespace:
    """The cast's world built once per module (see ``shared_data``). A module whose tests only
    read the world, or write only what a savepoint rolls back, opts in by overriding ``world``
    with ``world_copy`` (each test its own copy of the instances), or, where no test changes an
    instance in memory, with ``SimpleNamespace(**vars(module_world))``."""
    with shared_data(django_db_blocker):
        yield build_world()


@pytest.fixture
def world_copy(module_world, db) -> SimpleNamespace:
    """The module's world for one test, each model instance copied (as Django's ``TestCase`` copies what
    ``setUpTestData`` made for each test): what a test changes in memory or in the database is gone
    before the next. A module whose tests need no real commit opts in, instead of building the world
    (about 50 ms of CPU) for every test::

        @pytest.fixture
        def world(world_copy):
            return world_copy
    """
    return copy.deepcopy(module_world)


@pytest.fixture
def client_for(world):
    def make(persona: str) -> Client:
        client = Client(enforce_csrf_checks=True)
        user = world.users[persona]
        if user is not None:
            client.force_login(user)
        return client

    return make


@pytest.fixture(autouse=True)
def _rate_limits_start_afresh():
    """Rate-limit counters live in the cache (one process's memory in tests): each test starts at zero."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture(scope="session", autouse=True)
def _no_connection_outlives_the_session(django_db_setup, django_db_blocker):
    """Before pytest-django drops the test database, close this process's connections and end any
    other session still attached to it (a thread of a concurrency test, a live server's worker), so
    that the drop never fails with "database … is being accessed by other users" and no stray
    connection is left to trouble the next run."""
    yield
    from django.db import connections

    for connection in connections.all(initialized_only=True):
        if connection.vendor == "postgresql":
            with django_db_blocker.unblock(), connection.cursor() as cursor:
                cursor.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                               " WHERE datname = current_database() AND pid <> pg_backend_pid()")
    connections.close_all()


@pytest.fixture(scope="session")
def live_server(request):
    """pytest-django's live server, whose requests a switch of the worker's database waits for
    (tests/live_server.py)."""
    from tests.live_server import GatedLiveServer

    server = GatedLiveServer(request.config.getvalue("liveserver")
                             or os.getenv("DJANGO_LIVE_TEST_SERVER_ADDRESS") or "localhost")
    yield server
    server.stop()


@pytest.fixture(scope="module")
def module_demo(django_db_setup, django_db_blocker):
    """The demo street for a whole module (see ``shared_data``); tests that use it also need
    ``db`` (e.g. ``pytestmark = pytest.mark.django_db``) so that each runs in its own savepoint.
    With pytest-xdist the demo is loaded once per run and each module gets a copy of it
    (``tests.template_db.demo_copy``); without, the module loads it."""
    from django.core.management import call_command

    from tests.template_db import demo_copy

    with demo_copy(django_db_blocker) as copied, shared_data(django_db_blocker):
        if copied is None:
            call_command("demo", verbosity=0)
        yield


@pytest.fixture
def committed_demo(transactional_db, django_db_blocker):
    """The demo street, committed, for one test (``transaction=True``: a live server's, or one that reads
    what the demo's services leave for after the commit), as if the test had run `gongzhi demo`: with
    pytest-xdist a copy of the run's committed demo template (``tests.template_db.demo_copy``), gone after
    the test; without, the test loads it."""
    from django.core.management import call_command

    from tests.template_db import demo_copy

    with demo_copy(django_db_blocker, committed=True) as copied:
        if copied is None:
            with django_db_blocker.unblock():
                call_command("demo", verbosity=0)
        yield


_SQLITE_TRIGGERS: dict[str, str] = {}
_FLUSHED = pytest.StashKey[bool]()  # the test ran with a real commit, and Django flushed the tables after it
_POSTGRES_TRUNCATE_TRIGGERS: dict[str, str] = {}


def _is_transactional(request_or_item) -> bool:
    node = getattr(request_or_item, "node", request_or_item)
    marker = node.get_closest_marker("django_db")
    return ("transactional_db" in node.fixturenames or "live_server" in node.fixturenames
            or bool(marker and marker.kwargs.get("transaction")))


def _sqlite_triggers(cursor, restore: bool) -> None:
    if restore:
        if not _SQLITE_TRIGGERS:
            cursor.execute("SELECT name, sql FROM sqlite_master WHERE type = 'trigger'")
            _SQLITE_TRIGGERS.update(cursor.fetchall())
        cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
        present = {row[0] for row in cursor.fetchall()}
        for name, sql in _SQLITE_TRIGGERS.items():
            if name not in present:
                cursor.execute(sql)
    else:
        for name in _SQLITE_TRIGGERS:
            cursor.execute(f"DROP TRIGGER IF EXISTS {name}")


def _postgres_truncate_triggers(cursor, restore: bool) -> None:
    find = ("SELECT t.tgname, t.tgrelid::regclass::text, pg_get_triggerdef(t.oid) FROM pg_trigger t "
            "WHERE right(t.tgname, 12) = '_no_truncate' AND NOT t.tgisinternal")
    if restore:
        cursor.execute(find)
        present = {name for name, _table, _sql in cursor.fetchall()}
        if not _POSTGRES_TRUNCATE_TRIGGERS:
            cursor.execute(find)
            _POSTGRES_TRUNCATE_TRIGGERS.update({f"{name} ON {table}": sql for name, table, sql in cursor.fetchall()})
        for key, sql in _POSTGRES_TRUNCATE_TRIGGERS.items():
            if key.split(" ON ")[0] not in present:
                cursor.execute(sql)
    else:
        for key in _POSTGRES_TRUNCATE_TRIGGERS:
            cursor.execute(f"DROP TRIGGER IF EXISTS {key}")


def _postgres_flush_by_delete(connection) -> bool:
    """Django's flush empties every table with one TRUNCATE, which on PostgreSQL before 16 rebuilds the
    indexes of each of ~150 tables and syncs every file to disk (DataFileImmediateSync): seconds of
    waiting after each transactional test. The harness's flush DELETEs instead, in one transaction with
    the triggers off (``session_replication_role``: the foreign keys, the append-only triggers, the
    served summary's), which is what TRUNCATE skipped too. Only a superuser may turn triggers off so; for
    any other user Django's TRUNCATE stays (and the append-only TRUNCATE triggers are dropped around it)."""
    if getattr(connection.ops, "_flush_by_delete", None) is None:
        with connection.cursor() as cursor:
            cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
            superuser = cursor.fetchone()[0]
        truncate = connection.ops.sql_flush

        def sql_flush(style, tables, *, reset_sequences=False, allow_cascade=False):
            if reset_sequences or not tables:
                return truncate(style, tables, reset_sequences=reset_sequences, allow_cascade=allow_cascade)
            return ["SET LOCAL session_replication_role = replica",
                    *(f"DELETE FROM {connection.ops.quote_name(table)}" for table in tables)]  # noqa: S608

        if superuser:
            connection.ops.sql_flush = sql_flush
        connection.ops._flush_by_delete = superuser
    return connection.ops._flush_by_delete


#: The migrated SQLite template (tests/template_db.py) that a transactional test's database is restored from after it,
#: instead of Django's flush: set for the session by ``_sqlite_restored_after_transactional_tests``.
_SQLITE_TEMPLATE: list[str] = []


@pytest.fixture(scope="session", autouse=True)
def _sqlite_restored_after_transactional_tests(django_db_setup):
    """After a test with a real commit, an in-memory SQLite database is restored whole from the run's migrated
    template (SQLite's backup API: a few milliseconds), where there is one (pytest-xdist's workers), instead of
    Django's flush: a flush deleted every table's rows, then post_migrate created the content types and ~600
    permissions again and the harness seeded the reference tables again (``_seed_after_flush``: ~8,000 calendar
    days), ~120 ms of CPU a test, now ~17. The restored database is the one every worker starts from, as the
    migrations left it (their seeds, content types, permissions and triggers), with nothing of the test's. The live
    server answers nothing meanwhile (``pytest_runtest_teardown``), and the connections a test's Playwright block
    opened are closed first (tests/template_db.py). PostgreSQL, and a run without a template, keep the flush."""
    from django.db import connection
    from django.test.testcases import TransactionTestCase

    from tests import template_db

    made = os.environ.get(template_db.ENV, "")
    if connection.vendor != "sqlite" or not made.startswith("sqlite:"):
        yield
        return
    template = made.split(":", 1)[1]
    flush = TransactionTestCase._fixture_teardown

    def restore(self):
        aliases = self._databases_names(include_mirrors=False)
        if aliases != ["default"]:
            return flush(self)
        template_db._close_other_contexts_connections(connection)
        template_db._restore_sqlite(connection, template)

    TransactionTestCase._fixture_teardown = restore
    _SQLITE_TEMPLATE.append(template)
    try:
        yield
    finally:
        TransactionTestCase._fixture_teardown = flush
        _SQLITE_TEMPLATE.clear()


#: What the migrations put in tables the application otherwise leaves alone: post_migrate's content types and
#: permissions, and the data migrations' seeds (``_seed_after_flush``), each group by the models of its tables.
_REFERENCE_GROUPS = {
    "content types": ("contenttypes.ContentType", "auth.Permission"),
    "calendar": ("core.CalendarDay", "core.CalendarYear"),
    "job codes": ("members.JobCodeTable", "members.JobCode"),
    "dues rates": ("money.DuesRate",),
}
#: Each reference table's content as the worker's database began, or as it was seeded again (an md5 of its rows), on
#: PostgreSQL.
_REFERENCE_CONTENT: dict[str, str] = {}
#: The reference groups the last flush emptied (and ``_seed_after_flush`` seeds again).
_FLUSHED_GROUPS: set[str] = set(_REFERENCE_GROUPS)


def _reference_tables(group: str) -> list[str]:
    from django.apps import apps

    return [apps.get_model(label)._meta.db_table for label in _REFERENCE_GROUPS[group]]


def _reference_content(connection) -> dict[str, str]:
    tables = [table for group in _REFERENCE_GROUPS for table in _reference_tables(group)]
    selects = " UNION ALL ".join(
        f"SELECT '{table}', md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), '')) FROM {table} t"  # noqa: S608
        for table in tables)
    with connection.cursor() as cursor:
        cursor.execute(selects)
        return dict(cursor.fetchall())


@pytest.fixture(scope="session", autouse=True)
def _postgres_flush_keeps_what_is_unchanged(django_db_setup, django_db_blocker):
    """On PostgreSQL (as a superuser, whose flush deletes with the triggers off: ``_postgres_flush_by_delete``), the
    flush after a test with a real commit leaves a reference group's tables as they are when their rows are still
    exactly those the worker's database began with or was last seeded with (an md5 of every row, compared at the
    flush). It deleted the ~8,000 calendar days, the job codes, the dues rates, the content types and ~600 permissions
    to write the same rows again (``_seed_after_flush``, and post_migrate, which is not run when the content types
    and permissions are kept: they are all it creates, and this flush leaves every trigger in place): a transactional
    test's teardown cost ~170 ms of the client's CPU and ~80 ms of the server's, now ~20 and ~15. A group a test
    changed is emptied and seeded again as before."""
    from django.core.management import call_command
    from django.db import connection
    from django.test.testcases import TransactionTestCase

    if connection.vendor != "postgresql":
        yield
        return
    with django_db_blocker.unblock():
        if not _postgres_flush_by_delete(connection):
            yield
            return
        _REFERENCE_CONTENT.update(_reference_content(connection))
    flush, delete = TransactionTestCase._fixture_teardown, connection.ops.sql_flush

    def sql_flush(style, tables, *, reset_sequences=False, allow_cascade=False):
        kept = {table for group in set(_REFERENCE_GROUPS) - _FLUSHED_GROUPS for table in _reference_tables(group)}
        return delete(style, [table for table in tables if table not in kept], reset_sequences=reset_sequences,
                      allow_cascade=allow_cascade)

    def flush_what_changed(self):
        if self._databases_names(include_mirrors=False) != ["default"]:
            _FLUSHED_GROUPS.update(_REFERENCE_GROUPS)
            return flush(self)
        content = _reference_content(connection)
        _FLUSHED_GROUPS.clear()
        _FLUSHED_GROUPS.update(group for group in _REFERENCE_GROUPS if any(
            content[table] != _REFERENCE_CONTENT[table] for table in _reference_tables(group)))
        call_command("flush", verbosity=0, interactive=False, database="default", reset_sequences=False,
                     allow_cascade=False, inhibit_post_migrate="content types" not in _FLUSHED_GROUPS)

    connection.ops.sql_flush, TransactionTestCase._fixture_teardown = sql_flush, flush_what_changed
    try:
        yield
    finally:
        connection.ops.sql_flush, TransactionTestCase._fixture_teardown = delete, flush
        _FLUSHED_GROUPS.update(_REFERENCE_GROUPS)


@pytest.fixture(autouse=True)
def _append_only_tables_survive_flush(request, django_db_setup, django_db_blocker):
    """After a transactional test Django empties every table: with DELETE on SQLite, which the
    append-only row triggers refuse, and with TRUNCATE on PostgreSQL, which the append-only TRUNCATE
    triggers refuse. The harness drops those triggers for its own flush and restores them before the
    next test, so that every test (and production) meets them; nothing in the application can. (On
    PostgreSQL as a superuser the flush deletes with the triggers off instead: ``_postgres_flush_by_delete``.)"""
    from django.db import connection

    handle = {"sqlite": _sqlite_triggers, "postgresql": _postgres_truncate_triggers}.get(connection.vendor)
    if connection.vendor == "postgresql":
        with django_db_blocker.unblock():
            if _postgres_flush_by_delete(connection):
                handle = None  # no trigger stands in the flush's way
    if handle is not None:
        with django_db_blocker.unblock(), connection.cursor() as cursor:
            handle(cursor, restore=True)
    transactional = _is_transactional(request)
    if transactional:
        request.getfixturevalue("transactional_db")
        request.node.stash[_FLUSHED] = True
    yield
    if transactional and handle is not None:
        with django_db_blocker.unblock(), connection.cursor() as cursor:
            handle(cursor, restore=False)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_teardown(item, nextitem):
    """A test with a live server is torn down (its demo copy ended, its tables flushed and seeded again)
    while the server answers no request (tests/live_server.py): a browser's last request never meets a
    database half switched or half emptied, nor leaves a row behind in the emptied one."""
    from tests.live_server import REQUESTS

    with REQUESTS.paused() if "live_server" in item.fixturenames else nullcontext():
        yield
        _seed_after_flush(item, nextitem)


def _seed_after_flush(item, nextitem) -> None:
    """Data migrations seed reference tables (the holiday table, the job-position code tables, the dues
    rates); after a transactional test Django has flushed every table, so seed them again at once: the
    next test, transactional or not and from whichever module, finds the database as the migrations
    left it."""
    # None: the session's end, the database is gone. A skipped test never reached the database (which may
    # not even be the test database yet). A database restored from the template instead of flushed has its seeds
    # (``_sqlite_restored_after_transactional_tests``).
    if nextitem is None or not item.stash.get(_FLUSHED, False) or _SQLITE_TEMPLATE:
        return
    from importlib import import_module

    from django.apps import apps
    from pytest_django.plugin import blocking_manager_key

    with item.config.stash[blocking_manager_key].unblock():  # the groups the flush emptied
        if "calendar" in _FLUSHED_GROUPS:
            import_module("gongzhi.core.migrations.0004_seed_calendar").seed(apps, None)
        if "job codes" in _FLUSHED_GROUPS:
            import_module("gongzhi.members.migrations.0008_roster_rules").seed_job_code_tables(apps, None)
        if "dues rates" in _FLUSHED_GROUPS:
            import_module("gongzhi.money.migrations.0003_seed_rates").seed(apps, None)
        if _REFERENCE_CONTENT and _FLUSHED_GROUPS:  # seeded again: what the next flush compares with
            from django.db import connection

            _REFERENCE_CONTENT.update(_reference_content(connection))


@pytest.fixture(scope="session", autouse=True)
def _browser_closed_at_the_end():
    """The worker's one browser and Playwright driver (tests/browser.py), if a test launched them, are closed
    when the session ends."""
    yield
    browser = sys.modules.get("tests.browser")
    if browser is not None:
        browser.shut_down()
