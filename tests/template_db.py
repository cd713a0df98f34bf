"""One migrated test database per run, copied by every pytest-xdist worker.

Applying the project's migrations costs tens of seconds (Django renders the models' states over and
over); with xdist each worker used to apply them to its own test database. Here the controller
applies them once, before the workers start, to a template (a file for SQLite, a database for
PostgreSQL), and each worker copies it: ``CREATE DATABASE … TEMPLATE …`` on PostgreSQL, SQLite's
backup into the worker's in-memory database. The template is dropped at the end of the run.

Only the migrations create schema, as in production: the template is made by ``migrate``. A run
without workers (``-n 0``, or one test file) keeps pytest-django's own set-up, unless it is given a
template in ``GONGZHI_TEST_TEMPLATE`` (``vendor:name``): scripts/test_postgres.py has the suite's run keep
its PostgreSQL template (``GONGZHI_TEST_TEMPLATE_KEEP``, a file to write its name to) for the live
replica test, which runs alone afterwards and so need not migrate again.

The demo street (``module_demo``) is loaded once per run the same way: the first worker that needs
it loads it, under a file lock, into a second template (``<template>.demo`` file, ``<template>_demo``
database), and each module that reads the demo gets a copy of that template instead of loading it
again (``demo_copy``); after the module the worker is back on its plain copy. The tests that serve the
demo to a browser (``committed_demo``: committed, as a live server needs it) get a copy of a third template
the same way, the demo loaded as ``gongzhi demo`` loads it (what its services leave for after the commit
has run), instead of each loading it. A live server's request threads use the worker's database too (on
PostgreSQL through connections of their own), so the worker switches to and from a copy only while the live
server answers no request (``template_copy``, tests/live_server.py): the copy is restored over or dropped
(without FORCE) once every request on it has finished and closed its connections.
"""

from __future__ import annotations

import fcntl
import os
import sqlite3
import tempfile
import threading
import weakref
from contextlib import contextmanager
from pathlib import Path

import pytest

ENV = "GONGZHI_TEST_TEMPLATE"
KEEP = "GONGZHI_TEST_TEMPLATE_KEEP"


def _controller_with_workers(config) -> bool:
    return (not hasattr(config, "workerinput") and config.pluginmanager.hasplugin("dsession")
            and bool(getattr(config.option, "numprocesses", None)) and config.option.dist != "no")


@pytest.hookimpl(tryfirst=True)
def pytest_sessionstart(session):
    """In the controller, before the workers start: migrate the template once."""
    config = session.config
    if not _controller_with_workers(config) or ENV in os.environ:
        return
    from django.conf import settings
    from django.db import connection
    from pytest_django.plugin import blocking_manager_key

    original = connection.settings_dict["NAME"]
    test = dict(connection.settings_dict.get("TEST") or {})
    if connection.vendor == "postgresql":
        template = f"{connection.creation._get_test_db_name()}_template_{os.getpid()}"
    else:
        handle, template = tempfile.mkstemp(prefix="gongzhi-test-template-", suffix=".sqlite3")
        os.close(handle)
    connection.settings_dict["TEST"] = {**test, "NAME": template}
    options = connection.settings_dict.get("OPTIONS", {})
    if connection.vendor == "sqlite":  # a scratch file, copied and deleted: no journal file, no fsync
        connection.settings_dict["OPTIONS"] = {
            **options, "init_command": "PRAGMA journal_mode=MEMORY; PRAGMA synchronous=OFF; PRAGMA foreign_keys=ON;"}
    try:
        with config.stash[blocking_manager_key].unblock():
            connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
            _close(connection)
    finally:
        connection.settings_dict["TEST"] = test
        connection.settings_dict["OPTIONS"] = options
        connection.settings_dict["NAME"] = original
        settings.DATABASES[connection.alias]["NAME"] = original
    os.environ[ENV] = f"{connection.vendor}:{template}"
    config.stash[_template_key] = (connection.vendor, template)


_template_key = pytest.StashKey[tuple]()


def _close(connection) -> None:
    """Close the connection, and on PostgreSQL its pool: a pooled connection left open to the template
    would refuse the copies ("being accessed by other users")."""
    connection.close()
    if connection.vendor == "postgresql":
        connection.close_pool()


def pytest_unconfigure(config):
    made = config.stash.get(_template_key, None)
    if made is None:
        return
    vendor, template = made
    os.environ.pop(ENV, None)
    Path(_demo_lock(template)).unlink(missing_ok=True)
    if vendor == "sqlite":
        Path(template).unlink(missing_ok=True)
        for committed in (False, True):
            Path(_demo_template(vendor, template, committed)).unlink(missing_ok=True)
        return
    from django.db import connection
    from pytest_django.plugin import blocking_manager_key

    keep = os.environ.get(KEEP)
    with config.stash[blocking_manager_key].unblock(), connection.creation._nodb_cursor() as cursor:
        if keep:  # the caller drops it after its own use (scripts/test_postgres.py)
            Path(keep).write_text(f"{vendor}:{template}")
        else:
            cursor.execute(f'DROP DATABASE IF EXISTS "{template}"')
        for committed in (False, True):
            cursor.execute(f'DROP DATABASE IF EXISTS "{_demo_template(vendor, template, committed)}"')


def _use_database(connection, name: str) -> None:
    from django.conf import settings

    _close(connection)
    settings.DATABASES[connection.alias]["NAME"] = name
    connection.settings_dict["NAME"] = name


def _restore_sqlite(connection, path: str) -> None:
    """Replace the whole in-memory database by the file's (SQLite's backup API: milliseconds)."""
    connection.ensure_connection()
    source = sqlite3.connect(path)
    try:
        source.backup(connection.connection)
    finally:
        source.close()


def _demo_template(vendor: str, template: str, committed: bool = False) -> str:
    kind = "demo_committed" if committed else "demo"
    return f"{template}.{kind}" if vendor == "sqlite" else f"{template}_{kind}"


def _demo_lock(template: str) -> str:
    return os.path.join(tempfile.gettempdir(), f"{Path(template).name}.demo.lock")


def _postgres_database_exists(connection, name: str) -> bool:
    with connection.creation._nodb_cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        return cursor.fetchone() is not None


def _load_the_demo(connection, committed: bool) -> None:
    from django.core.management import call_command
    from django.db import transaction

    if committed:  # as `gongzhi demo` and a test with a live server load it: what waits for the commit runs
        call_command("demo", verbosity=0)
        return
    with transaction.atomic():
        call_command("demo", verbosity=0)
        # As in the rolled-back transaction of a module that loads it itself (``shared_data``), what
        # the demo's services leave for after the commit (notifications, tasks) never runs.
        connection.run_on_commit = []


def _make_the_demo_template(connection, vendor: str, template: str, demo: str, committed: bool) -> None:
    """Load the demo street into a copy of the plain template and keep it as the demo template; the
    first worker to get here does it, the others wait on the lock and find it made."""
    with open(_demo_lock(template), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if vendor == "sqlite":
            if Path(demo).exists():
                return
            _restore_sqlite(connection, template)
            _load_the_demo(connection, committed)
            partial = f"{demo}.partial"
            target = sqlite3.connect(partial)
            try:
                connection.connection.backup(target)
            finally:
                target.close()
            os.replace(partial, demo)  # whole or absent, for a worker that did not take the lock
            return
        if _postgres_database_exists(connection, demo):
            return
        worker_database, partial = connection.settings_dict["NAME"], f"{demo}_partial"
        with connection.creation._nodb_cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{partial}"')
            cursor.execute(f'CREATE DATABASE "{partial}" TEMPLATE "{template}"')
        _use_database(connection, partial)
        try:
            _load_the_demo(connection, committed)
        finally:
            _use_database(connection, worker_database)
        with connection.creation._nodb_cursor() as cursor:
            cursor.execute(f'ALTER DATABASE "{partial}" RENAME TO "{demo}"')


@contextmanager
def demo_copy(django_db_blocker, committed: bool = False):
    """A copy of the demo template (``committed``: the one loaded outside a transaction) as this worker's
    database while the block runs (None when the run has no template: the caller loads the demo itself),
    then the worker's plain copy again. Everything the block writes goes with the copy, so no other module
    or test sees it."""
    from django.db import connection

    made = os.environ.get(ENV)
    if not made:
        yield None
        return
    vendor, template = made.split(":", 1)
    demo = _demo_template(vendor, template, committed)
    with django_db_blocker.unblock():
        _make_the_demo_template(connection, vendor, template, demo, committed)
    with template_copy(django_db_blocker, demo):
        yield demo


@contextmanager
def template_copy(django_db_blocker, source: str | None = None):
    """A copy of the template ``source`` (the run's plain template by default) as this worker's database
    while the block runs, then the worker's plain copy again.

    The live server (tests/live_server.py) answers nothing while the worker switches database, in either
    direction: every request it was answering has finished and closed its connections before the switch
    (on SQLite a backup into the connection a request thread is reading through fails with "database table
    is locked"; on PostgreSQL the copy is dropped without FORCE, so no connection of a request still
    running is ever killed), and one that comes meanwhile waits and is answered from the database switched
    to."""
    from django.db import connection

    from tests.live_server import REQUESTS

    vendor, template = os.environ[ENV].split(":", 1)
    source = source or template
    worker_database = connection.settings_dict["NAME"]
    copy = f"{worker_database}_copy"
    with django_db_blocker.unblock(), REQUESTS.paused():
        _close_other_contexts_connections(connection)
        if vendor == "sqlite":
            _restore_sqlite(connection, source)
        else:
            with connection.creation._nodb_cursor() as cursor:
                cursor.execute(f'DROP DATABASE IF EXISTS "{copy}"')
                cursor.execute(f'CREATE DATABASE "{copy}" TEMPLATE "{source}"')
            _use_database(connection, copy)
    try:
        yield
    finally:
        with django_db_blocker.unblock(), REQUESTS.paused():
            _close_other_contexts_connections(connection)
            if vendor == "sqlite":
                _restore_sqlite(connection, template)
            else:
                _use_database(connection, worker_database)
                _drop_once_unused(connection, copy)


#: Every database connection this process opened, in any thread or context, while it lives.
_OPENED: weakref.WeakSet = weakref.WeakSet()


def _remember(sender, connection, **kwargs):
    _OPENED.add(connection)


def _remember_connections() -> None:
    """Remember each connection opened from now on. Done when this plugin is loaded, before any test: a connection
    opened before it (a Playwright block's, on PostgreSQL) would be one ``_close_other_contexts_connections`` never
    closes, left on the database it was opened on while the worker switches to a copy (seen: the service story read
    the worker's plain database inside its Playwright block while the live server wrote to the demo copy)."""
    from django.db.backends.signals import connection_created

    connection_created.connect(_remember, dispatch_uid="tests.template_db.remember")


_remember_connections()


def _close_other_contexts_connections(connection) -> None:
    """Close the connections this thread opened in other contexts. Inside a Playwright block (tests/browser.py)
    Playwright's event loop is marked as the thread's running loop, and Django's connections are then kept per
    context (asgiref's ``Local``), not per thread: an ORM query there opens a second connection, which stays in the
    test session's context after the block unless closed. On PostgreSQL it stays on the database it was opened
    on (a pooled connection outlives its closed pool while checked out), whatever the worker switches to after;
    on SQLite it holds the shared in-memory database ("database table is locked"). ``open_pages`` calls this
    when its block ends, and each database switch before and after it."""
    current = connection._connections[connection._alias] if hasattr(connection, "_connections") else None
    for other in list(_OPENED):
        if other is current or other.connection is None or other._thread_ident != threading.get_ident():
            continue
        if other.vendor == "sqlite":
            other.connection.close()  # Django ignores close() for an in-memory database
            other.connection = None
        else:
            other.close()


#: How long the copy's end waits for the sessions on it to end (a connection its closed pool was still opening).
SESSIONS_PATIENCE_SECONDS = 30


def _drop_once_unused(connection, name: str) -> None:
    """Drop the database once no session is on it, without FORCE. By now no request runs and this process's
    pool is closed, but closing a pool does not wait for a connection one of its workers is still opening
    (it closes it when it is done): wait for such a session to end, and fail, saying what each still
    left is doing, rather than kill a connection something may still use."""
    import time

    sessions = "SELECT pid, state, backend_start, query FROM pg_stat_activity WHERE datname = %s"
    with connection.creation._nodb_cursor() as cursor:
        deadline = time.monotonic() + SESSIONS_PATIENCE_SECONDS
        cursor.execute(sessions, [name])
        while (left := cursor.fetchall()) and time.monotonic() < deadline:
            time.sleep(0.05)
            cursor.execute(sessions, [name])
        if left:
            raise RuntimeError(f"sessions still on {name} after {SESSIONS_PATIENCE_SECONDS} s: {left}")
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')


def _copy_the_template(django_db_blocker):
    from django.db import connection

    vendor, template = os.environ[ENV].split(":", 1)
    with django_db_blocker.unblock():
        name = connection.creation._get_test_db_name()
        if vendor == "postgresql":
            with connection.creation._nodb_cursor() as cursor:
                cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
                cursor.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
        _use_database(connection, name)
        if vendor == "sqlite":  # an in-memory database, alive as long as the connection
            _restore_sqlite(connection, template)
    yield
    with django_db_blocker.unblock():
        _close(connection)
        if vendor == "postgresql":
            with connection.creation._nodb_cursor() as cursor:
                cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')


if os.environ.get(ENV):  # a pytest-xdist worker of a run whose controller made the template

    @pytest.fixture(scope="session")
    def django_db_setup(request, django_test_environment, django_db_blocker, django_db_modify_db_settings):
        """pytest-django's fixture, with a copy of the template instead of a migrated database."""
        yield from _copy_the_template(django_db_blocker)
