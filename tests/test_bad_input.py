"""Bad input is a 4xx or a sensible page, never a 500: every page of the access matrix opened by a
person who may see it with out-of-range years, days, months, ids and page numbers, with ids in the
path beyond any the database holds, and with NUL characters (PostgreSQL cannot store them)."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from django.test import Client
from django.urls import reverse

from tests.access_matrix import PAGE_CASES

HOSTILE = {
    "year": ["0", "-57", "10000", "124612", "2" * 30],
    "month": ["0-1", "9999-12", "2025-13", "x"],
    "on": ["9999-12-31", "0001-01-01", "2025-02-30"],
    "start": ["9999-12-31"], "end": ["0001-01-01"], "period": ["century"], "number": ["99"],
    "org": ["0", "-1", str(2**64), "x"], "member": [str(2**64)], "page": [str(2**70), "-1"],
    "limit": [str(2**64), "-5"], "offset": [str(2**63)], "kind": ["nonsense"], "status": ["nonsense"],
}
GET_CASES = [case for case in PAGE_CASES if case.method == "get" and not case.public]
PREFERRED = ["street_admin", "community_secretary", "community_staff", "branch_secretary_a", "member", "resident",
             "supervisor", "unit_admin", "treasurer_a", "security_admin", "auditor"]


@pytest.fixture
def world(module_world, db):
    """One world for the module (its tests only read it), each test in a savepoint rolled back after it."""
    return SimpleNamespace(**vars(module_world))


def _persona(case) -> str:
    return next(p for p in PREFERRED if p in case.allowed)


def _client(world, persona) -> Client:
    client = Client()
    client.force_login(world.users[persona])
    return client


@pytest.fixture
def clients(world):
    """A client per persona, logged in at its first use: ``clients(persona)``."""
    made: dict[str, Client] = {}

    def client(persona: str) -> Client:
        if persona not in made:
            made[persona] = _client(world, persona)
        return made[persona]

    return client


def _queries():
    # One request per value position: every hostile value of every parameter is met at least once.
    longest = max(len(values) for values in HOSTILE.values())
    for i in range(longest):
        yield {name: values[i % len(values)] for name, values in HOSTILE.items()}


@pytest.mark.django_db
def test_no_page_answers_500_to_out_of_range_parameters(world, clients):
    failures = []
    for case in GET_CASES:
        persona = _persona(case)
        client = clients(persona)
        url = reverse(case.name, kwargs=case.own(world))
        for query in _queries():
            response = client.get(url, query)
            if response.status_code >= 500:
                failures.append((case.name, persona, query, response.status_code))
                break
    assert not failures, failures


@pytest.mark.django_db
def test_ids_beyond_the_database_range_in_a_path_are_not_found(world, clients):
    failures = []
    for case in GET_CASES:
        kwargs = case.own(world)
        if not any(isinstance(value, int) for value in kwargs.values()):
            continue
        huge = {key: (2**64 if isinstance(value, int) else value) for key, value in kwargs.items()}
        response = clients(_persona(case)).get(reverse(case.name, kwargs=huge))
        if response.status_code != 404:
            failures.append((case.name, response.status_code))
    assert not failures, failures


@pytest.mark.django_db
@pytest.mark.parametrize("where", ["path", "query", "form"])
def test_a_nul_character_is_a_400(world, where):
    client = _client(world, "community_secretary")
    if where == "path":
        response = client.get("/voice/c/SA-C1%00/new/")
    elif where == "query":
        response = client.get("/orgs/", {"q": "幸福\x00"})
    else:
        response = Client().post("/voice/track/rate/", {"number": "1\x00", "rating": "satisfied"})
    assert response.status_code == 400
    api = client.get("/api/orgs/", {"q": "\x00"})
    assert api.status_code == 400 and api.json() == {"detail": "NUL characters are not accepted"}
