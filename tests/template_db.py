"""One migrated test database per run, copied by every pytest-xdist worker.

Applying the project's migrations costs tens of seconds (Django renders the models' states over and
over); with xdist each worker used to apply them to its own test database. Here the controller
applies them once, before the workers start, to a template (a file for SQLite, a database for
PostgreSQL), and each worker copies it: ``CREATE DATABASE … TEMPLATE …`` on PostgreSQL, SQLite's
backup into the worker's in-memory database. The template is dropped at the end of the run.

Only the migrations create schema, as in production: the template is made by ``migrate``. A run
without workers (``-n 0``, or one test file) keeps pytest-django's own set-up.
"""

from __future__ import annotations

import os
import sqlite3
import tempfile
from pathlib import Path

import pytest

ENV = "GONGZHI_TEST_TEMPLATE"


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
    if vendor == "sqlite":
        Path(template).unlink(missing_ok=True)
        return
    from django.db import connection
    from pytest_django.plugin import blocking_manager_key

    with config.stash[blocking_manager_key].unblock(), connection.creation._nodb_cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{template}"')


def _copy_the_template(django_db_blocker):
    from django.conf import settings
    from django.db import connection

    vendor, template = os.environ[ENV].split(":", 1)
    with django_db_blocker.unblock():
        name = connection.creation._get_test_db_name()
        if vendor == "postgresql":
            with connection.creation._nodb_cursor() as cursor:
                cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
                cursor.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
        _close(connection)
        settings.DATABASES[connection.alias]["NAME"] = name
        connection.settings_dict["NAME"] = name
        if vendor == "sqlite":  # an in-memory database, alive as long as the connection
            connection.ensure_connection()
            source = sqlite3.connect(template)
            source.backup(connection.connection)
            source.close()
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
