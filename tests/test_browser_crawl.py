"""The demo crawl (tests/crawl.py), first half: the community secretary and a party member."""

import os

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def test_every_page_the_secretary_and_a_member_reach_works_on_a_phone(live_server):
    from tests.crawl import crawl_demo

    found = crawl_demo(live_server.url, ["shuji", "dangyuan"])
    if found:
        pytest.fail("\n".join(found), pytrace=False)
