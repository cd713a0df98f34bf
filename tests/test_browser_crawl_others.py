"""The demo crawl (tests/crawl.py), second half: a branch secretary, a resident and a co-building unit (in
`make test`, the PostgreSQL run only)."""

import os

import pytest

from tests.crawl import in_this_run

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), in_this_run(__name__.rsplit(".", 1)[-1])]
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def test_every_page_a_branch_secretary_a_resident_and_a_unit_reach_works_on_a_phone(live_server, committed_demo):
    from tests.crawl import crawl_demo

    found = crawl_demo(live_server.url, __name__.rsplit(".", 1)[-1])
    if found:
        pytest.fail("\n".join(found), pytrace=False)
