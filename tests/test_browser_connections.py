"""A Playwright block's own database connection ends with the block (tests/browser.py, tests/template_db.py).

Inside ``open_pages`` Playwright's event loop is marked as the thread's running loop, so Django keeps the block's
connections per context instead of per thread: an ORM query there opens a connection of its own. Left open, it
stayed in the test session's context after the test and, on PostgreSQL, on the database it was opened on: the next
test that read inside a block after the worker had switched to a demo copy read the worker's plain database
instead, while the live server wrote to the copy (the service story, three whole PostgreSQL runs)."""

import os

import pytest
from django.db import connection, connections

from tests.browser import open_pages
from tests.template_db import ENV, template_copy

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def _database_read(wrapper) -> str:
    """The database the connection really reads (not its settings' name)."""
    with wrapper.cursor() as cursor:
        if wrapper.vendor == "postgresql":
            cursor.execute("SELECT current_database()")
            return cursor.fetchone()[0]
        cursor.execute("PRAGMA database_list")
        return cursor.fetchone()[2] or ":memory:"


def test_a_query_inside_a_playwright_block_opens_a_connection_that_ends_with_it():
    outside = connections["default"]
    with open_pages(1):
        inside = connections["default"]
        inside.ensure_connection()
        assert inside is not outside  # the block's context's own
    assert inside.connection is None
    assert connections["default"] is outside


@pytest.mark.skipif(not os.environ.get(ENV), reason="the run has no template to switch to (run without workers)")
def test_after_a_switch_to_a_copy_a_playwright_block_reads_the_copy(django_db_blocker):
    with open_pages(1):
        before = _database_read(connections["default"])  # on the worker's database
    with template_copy(django_db_blocker):
        switched_to = _database_read(connection)
        with open_pages(1):
            assert _database_read(connections["default"]) == switched_to
    assert _database_read(connection) == before
