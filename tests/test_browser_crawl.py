"""The demo crawl (tests/crawl.py), first half: the community secretary and a party member (in `make test`,
the SQLite run only)."""

import os

import pytest

from tests.crawl import in_this_run

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), in_this_run(__name__.rsplit(".", 1)[-1])]
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def test_every_page_the_secretary_and_a_member_reach_works_on_a_phone(live_server, committed_demo):
    from tests.crawl import crawl_demo

    found = crawl_demo(live_server.url, __name__.rsplit(".", 1)[-1])
    if found:
        pytest.fail("\n".join(found), pytrace=False)
