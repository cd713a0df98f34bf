"""The ledger pages by key (``core.paging``): following "next" reaches every entry exactly once even while
entries are being posted, "previous" goes back over the same pages, page 1 and a late page cost the same
fixed number of queries, and the API answers the same cursors (``after`` in, ``next`` out)."""

import re
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from gongzhi.core import paging
from gongzhi.points.models import PointEntry, RuleCode
from gongzhi.points.views import LEDGER_ORDER


@pytest.fixture
def world(world_copy):
    return world_copy


pytestmark = pytest.mark.django_db

START = date(2025, 1, 1)


def _award(member, org, day, key):
    return PointEntry.objects.create(member=member, organization=org, points=Decimal(1), code=RuleCode.MANUAL_AWARD,
                                     idempotency_key=key, occurred_on=day)


def _fill(world, n, prefix="e"):
    # Several entries share each day: the id breaks the ties.
    return [_award(world.member_a if i % 2 else world.member_b, world.branch_a, START + timedelta(days=i // 3),
                   f"{prefix}{i}") for i in range(n)]


def _next_link(html: str) -> str | None:
    found = re.search(r'href="\?([^"]*)" rel="next"', html)
    return found.group(1).replace("&amp;", "&") if found else None


def test_following_next_reaches_every_entry_once_while_entries_are_added(world, client_for):
    _fill(world, 130)
    client = client_for("community_secretary")
    visible = set(PointEntry.objects.visible_to(world.users["community_secretary"]).values_list("pk", flat=True))
    seen, query, pages = [], "", 0
    while query is not None:
        response = client.get(f"/points/?{query}")
        assert response.status_code == 200
        seen += [e.pk for e in response.context["page"]]
        pages += 1
        # Between two pages, entries are posted: newer ones (before the reader's place) and one on the
        # very day of the cursor (its id is larger, so it sorts before it as well).
        _award(world.member_a, world.branch_a, START + timedelta(days=400 + pages), f"new{pages}")
        _award(world.member_b, world.branch_a, START + timedelta(days=(130 - 50 * pages) // 3), f"same-day{pages}")
        query = _next_link(response.content.decode())
    assert pages == 3
    assert len(seen) == len(set(seen)), "an entry was shown twice"
    assert visible <= set(seen), "an entry was skipped"
    ordered = list(PointEntry.objects.filter(pk__in=seen).order_by(*LEDGER_ORDER).values_list("pk", flat=True))
    assert seen == ordered


def test_previous_goes_back_over_the_same_pages(world):
    _fill(world, 120)
    qs = PointEntry.objects.all()
    first = paging.keyset_page(qs, order=LEDGER_ORDER, size=50)
    second = paging.keyset_page(qs, order=LEDGER_ORDER, after=first.next_cursor, size=50)
    third = paging.keyset_page(qs, order=LEDGER_ORDER, after=second.next_cursor, size=50)
    assert (len(first), len(second), len(third), third.has_next) == (50, 50, 20, False)
    back = paging.keyset_page(qs, order=LEDGER_ORDER, before=third.previous_cursor, size=50)
    assert [e.pk for e in back] == [e.pk for e in second]
    assert back.has_previous and not back.first
    home = paging.keyset_page(qs, order=LEDGER_ORDER, before=back.previous_cursor, size=50)
    assert [e.pk for e in home] == [e.pk for e in first] and home.first and not home.has_previous


@pytest.mark.parametrize("cursor", ["", "x", "2025-13-01_5", "2025-01-01", "2025-01-01_-3", "2025-01-01_" + "9" * 30,
                                    "2025-01-01_1_2", "a" * 200])
def test_a_malformed_cursor_is_the_first_page(world, client_for, cursor):
    _fill(world, 60)
    response = client_for("street_admin").get("/points/", {"after": cursor})
    assert response.status_code == 200
    first = list(PointEntry.objects.visible_to(world.users["street_admin"]).order_by(*LEDGER_ORDER)[:50])
    assert [e.pk for e in response.context["page"]] == [e.pk for e in first]


def test_page_one_and_a_late_page_cost_the_same_queries(world, client_for, django_assert_max_num_queries):
    _fill(world, 300)
    client = client_for("street_admin")
    client.get("/points/")  # the session's first use
    with django_assert_max_num_queries(12) as first:
        client.get("/points/")
    late = list(PointEntry.objects.order_by(*LEDGER_ORDER).values_list("occurred_on", "id"))[249]
    with django_assert_max_num_queries(12) as later:
        response = client.get("/points/", {"after": f"{late[0].isoformat()}_{late[1]}"})
    assert len(response.context["page"]) == 50
    assert len(first.captured_queries) == len(later.captured_queries)
    ledger = [q["sql"].upper() for q in later.captured_queries if "POINTS_POINTENTRY" in q["sql"].upper()]
    assert ledger and not any("COUNT(" in q or "OFFSET" in q for q in ledger)


def test_the_api_pages_by_the_same_cursors(world, client_for):
    _fill(world, 130)
    client = client_for("street_admin")
    body = client.get("/api/points/entries", {"limit": 50}).json()
    assert body["count"] == 130 and len(body["items"]) == 50 and body["next"]
    ids = [i["id"] for i in body["items"]]
    while body["next"]:
        body = client.get("/api/points/entries", {"limit": 50, "after": body["next"]}).json()
        assert body["count"] is None
        ids += [i["id"] for i in body["items"]]
    expected = list(PointEntry.objects.order_by(*LEDGER_ORDER).values_list("pk", flat=True))
    assert ids == expected
    assert client.get("/api/points/entries", {"after": "nonsense"}).status_code == 422
    assert client.get("/api/points/entries", {"after": body["items"] and "2025-01-01_1", "offset": 5}).status_code \
        == 422
    # A list ordered by a related column pages by offset only: no cursor, and ``after`` is refused.
    rewards = client.get("/api/points/rewards").json()
    assert rewards["next"] is None
    assert client.get("/api/points/rewards", {"after": "2025-01-01_1"}).status_code == 422


def test_a_keyset_list_counts_up_to_the_cap_only(world, client_for, monkeypatch):
    """The first page of a long ledger does not count it all: past ``COUNT_CAP`` items ``count`` is null
    (the count reads at most ``COUNT_CAP + 1`` rows); offset lists and short lists keep their count."""
    from gongzhi.core import api_types
    from gongzhi.points import api as points_api

    _fill(world, 130)
    client = client_for("street_admin")
    monkeypatch.setattr(api_types, "COUNT_CAP", 100)
    monkeypatch.setattr(points_api, "BOUND_ROWS", 0)  # the members' totals tell nothing: the ledger is counted
    with CaptureQueriesContext(connection) as queries:
        body = client.get("/api/points/entries", {"limit": 50}).json()
    assert body["count"] is None and len(body["items"]) == 50 and body["next"]
    counts = [q["sql"].upper() for q in queries.captured_queries
              if "COUNT(" in q["sql"].upper() and "POINTS_POINTENTRY" in q["sql"].upper()]
    assert counts and all("LIMIT 101" in q for q in counts)
    monkeypatch.setattr(api_types, "COUNT_CAP", 130)
    assert client.get("/api/points/entries", {"limit": 50}).json()["count"] == 130


def test_a_scope_whose_members_hold_more_than_the_cap_is_not_counted(world, client_for, monkeypatch):
    """The members' totals (kept with the ledger) show the list has more than ``COUNT_CAP`` entries: ``count`` is
    null without a count over the ledger. A shorter list, or a filter the totals cannot tell (by rule), is
    counted exactly."""
    from gongzhi.core import api_types

    _fill(world, 130)
    client = client_for("community_secretary")
    monkeypatch.setattr(api_types, "COUNT_CAP", 100)
    with CaptureQueriesContext(connection) as queries:
        body = client.get("/api/points/entries", {"limit": 50}).json()
    assert body["count"] is None and len(body["items"]) == 50 and body["next"]
    assert not [q for q in queries.captured_queries
                if "COUNT(" in q["sql"].upper() and "POINTS_POINTENTRY" in q["sql"].upper()]
    assert client.get("/api/points/entries", {"limit": 50, "member_id": world.member_a.pk}).json()["count"] == 65
    by_rule = client.get("/api/points/entries", {"limit": 50, "code": RuleCode.MANUAL_AWARD}).json()
    assert by_rule["count"] is None
    monkeypatch.setattr(api_types, "COUNT_CAP", 130)
    assert client.get("/api/points/entries", {"limit": 50}).json()["count"] == 130
    assert client.get("/api/points/entries", {"limit": 50, "month": "2025-01"}).json()["count"] == 93
