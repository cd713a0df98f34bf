"""The requests API's list (``GET /api/voice/requests``): compiled once (``core.api_types.ListStatements``) and read
as values, it answers every persona exactly what the queue's queryset and the one-request endpoint answer — the
rows, their order, the count, the next cursor, the contact details each may see —, and its work per row builds
no model instance and no ninja getter."""

from unittest import mock

import pytest
from ninja import schema as ninja_schema

from gongzhi.accounts.models import RoleKind
from gongzhi.orgs.models import UnitKind
from gongzhi.voice import services
from gongzhi.voice.models import Category, Request, Status
from gongzhi.voice.permissions import can_see_queue
from gongzhi.voice.selectors import contact_of, queue_for
from tests.factories import ResidentFactory, RoleFactory, UserFactory

from .factories import request_in

LIST = "/api/voice/requests"


@pytest.fixture
def world(world_copy):
    return world_copy


@pytest.fixture
def requests(world):
    """Requests of every kind a contact decision tells apart: named and anonymous, the persona resident's own,
    another resident's, one routed to the co-building unit (a property company), one transferred to a branch, one
    in a foreign street, and a resident with an account of his own."""
    world.unit.kind = UnitKind.PROPERTY
    world.unit.save()
    own = request_in(world, resident=world.resident_a, phone="13822225555")
    anonymous = request_in(world, resident=world.resident_a, anonymous=True, phone="13822226666")
    other = ResidentFactory(name="王阿姨", community=world.community_a, household=world.household_b,
                            user=UserFactory(username="wang"))
    by_other = request_in(world, resident=other, grid="b", category=Category.SAFETY, phone="13900001234")
    request_in(world, category=Category.PROPERTY, phone="")
    moved = request_in(world, grid="b", phone="13700007777")
    services.transfer(moved, by=world.users["community_secretary"], to=world.branch_a, reason="属于一网格")
    request_in(world, world.community_x, grid="x", resident=world.resident_x, phone="13600008888")
    services.accept(by_other, by=world.users["community_secretary"])
    return {"own": own, "anonymous": anonymous, "by_other": by_other}


def _expected(user, queryset) -> list[dict]:
    """The items as the endpoint wrote them from model instances before (``contact_of``)."""
    out = []
    for req in queryset.select_related("resident", "community", "handler").order_by("-created_at", "-id"):
        name, phone = contact_of(user, req)
        out.append({"id": req.pk, "handler_id": req.handler_id, "status": req.status, "resident_name": name,
                    "contact_phone": phone})
    return out


def _shown(items) -> list[dict]:
    return [{key: item[key] for key in ("id", "handler_id", "status", "resident_name", "contact_phone")}
            for item in items]


def test_every_persona_gets_the_queue_with_the_contacts_it_may_see(world, requests, client_for):
    superuser = UserFactory(username="root", is_superuser=True)
    handler = UserFactory(username="property")
    RoleFactory(user=handler, organization=world.unit_org, kind=RoleKind.UNIT_ADMIN)
    users = {**{p: u for p, u in world.users.items() if u is not None}, "superuser": superuser,
             "property": handler}
    seen = set()
    for persona, user in users.items():
        if not can_see_queue(user):
            continue
        client = client_for(persona) if persona in world.users else _client(user)
        queue = queue_for(user)
        for query, rows in (({}, queue), ({"status": Status.ACCEPTED}, queue.filter(status=Status.ACCEPTED)),
                            ({"category": Category.PROPERTY}, queue.filter(category=Category.PROPERTY)),
                            ({"status": "received", "category": "safety"},
                             queue.filter(status="received", category="safety"))):
            answer = client.get(LIST, query).json()
            expected = _expected(user, rows)
            assert (_shown(answer["items"]), answer["count"], answer["next"]) == (expected, len(expected), None), \
                (persona, query)
        seen.add(tuple(sorted((i["id"], bool(i["contact_phone"])) for i in client.get(LIST).json()["items"])))
    assert len(seen) > 3  # the personas do see different rows and contacts


def _client(user):
    from django.test import Client

    client = Client()
    client.force_login(user)
    return client


def test_a_list_item_is_what_the_one_request_endpoint_answers(world, requests, client_for):
    for persona in ("street_admin", "community_secretary", "branch_secretary_a", "supervisor"):
        client = client_for(persona)
        items = client.get(LIST).json()["items"]
        assert items
        for item in items:
            assert client.get(f"{LIST}/{item['id']}").json() == item, persona


def test_pages_by_offset_and_by_cursor_follow_the_queue(world, requests, client_for):
    client = client_for("street_admin")
    every = [i["id"] for i in client.get(LIST).json()["items"]]
    assert len(every) == 5  # not the foreign street's
    first = client.get(LIST, {"limit": 2}).json()
    assert ([i["id"] for i in first["items"]], first["count"]) == (every[:2], 5)
    second = client.get(LIST, {"limit": 2, "after": first["next"]}).json()
    assert ([i["id"] for i in second["items"]], second["count"]) == (every[2:4], None)
    offset = client.get(LIST, {"limit": 2, "offset": 1}).json()
    assert ([i["id"] for i in offset["items"]], offset["count"]) == (every[1:3], 5)
    assert offset["next"] == client.get(LIST, {"limit": 3}).json()["next"] is not None
    last = client.get(LIST, {"limit": 4, "after": second["next"]}).json()
    assert ([i["id"] for i in last["items"]], last["next"]) == (every[4:], None)
    assert client.get(LIST, {"limit": 2, "offset": 1, "after": first["next"]}).status_code == 422
    assert client.get(LIST, {"after": "2025-01-01_x"}).status_code == 422


def test_the_count_stops_past_the_cap(world, requests, client_for, monkeypatch):
    from gongzhi.core import api_types

    monkeypatch.setattr(api_types, "COUNT_CAP", 3)
    client = client_for("street_admin")
    assert client.get(LIST, {"limit": 2}).json()["count"] is None
    assert client.get(LIST, {"status": Status.ACCEPTED}).json()["count"] == 1


def test_the_list_reads_values_and_validates_items_without_a_getter_per_row(world, requests, client_for,
                                                                             django_assert_max_num_queries):
    """Rows read as values (no ``Request`` instance) and items validated by pydantic alone: the same number of
    ninja getters for 3 rows as for 13 (ninja's ``Schema`` wrapped every item in one)."""
    client = client_for("community_secretary")
    client.get(LIST)  # compiled

    def made(query) -> tuple[int, int]:
        """(Request instances, ninja getters) made for one page of ``query["limit"]`` items."""
        counts = {"instances": 0, "getters": 0}
        real_getter, real_from_db = ninja_schema.DjangoGetter.__init__, Request.from_db.__func__

        def getter(self, *args, **kwargs):
            counts["getters"] += 1
            real_getter(self, *args, **kwargs)

        def from_db(cls, *args, **kwargs):
            counts["instances"] += 1
            return real_from_db(cls, *args, **kwargs)

        with mock.patch.object(ninja_schema.DjangoGetter, "__init__", getter), \
                mock.patch.object(Request, "from_db", classmethod(from_db)):
            assert len(client.get(LIST, query).json()["items"]) == query["limit"]
        return counts["instances"], counts["getters"]

    for i in range(8):
        request_in(world, phone=f"1350000{i:04d}")
    few, many = made({"limit": 3}), made({"limit": 13})
    assert (few[0], many[0]) == (0, 0)
    assert few[1] == many[1]
    with django_assert_max_num_queries(4):  # the session, the account, the page and its count
        client.get(LIST)
