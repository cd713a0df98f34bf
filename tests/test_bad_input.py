"""Bad input is a 4xx or a sensible page, never a 500: every page of the access matrix opened by a
person who may see it with out-of-range years, days, months, ids and page numbers, with ids in the
path beyond any the database holds, and with NUL characters (PostgreSQL cannot store them).

A page is sent each set of hostile values unless it provably answers it as it answered one already sent:
the clients' handler notes which query parameters the view (its forms, its templates) read the values of
(``_ReadingQuery``), and a set that agrees with one sent on every value that request read takes the view
down the same path, value for value. Most pages read one parameter or none: the 1130 requests of
the 226 pages became about 400 (the test's CPU on SQLite 50 s → 22 s)."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from django.http import QueryDict
from django.test import Client
from django.test.client import ClientHandler
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


class _ReadingQuery(QueryDict):
    """A request's query that notes, once ``read`` is set (when the view is called), the parameters whose
    values are read: by key (``get``, ``getlist``, ``[]``, ``items``, ``dict``: each key they read), or all of
    them (``lists``, hence ``copy`` and ``urlencode``). Which keys there are and how many is not noted:
    every set of hostile values has the same keys. The NUL check of core.middleware, which reads every value
    before the view, is not counted (no hostile value holds a NUL), nor is the path echoed whole, escaped,
    into the log-out form (``request.get_full_path`` in base.html)."""

    read: set | None = None

    def _note(self, *keys) -> None:
        if self.read is not None:
            self.read.update(keys)

    def __getitem__(self, key):
        self._note(key)
        return super().__getitem__(key)

    def _getlist(self, key, default=None, force_list=False):
        self._note(key)
        return super()._getlist(key, default, force_list)

    def lists(self):
        self._note(*self.keys())
        return super().lists()


class _ReadingHandler(ClientHandler):
    """The test client's handler, which tells on each response the query parameters the view read
    (``response.read``: a set of keys, or None when no view was reached)."""

    def get_response(self, request):
        request.GET = _ReadingQuery(request.GET.urlencode(), encoding=request.GET.encoding)
        response = super().get_response(request)
        response.read = request.GET.read
        return response

    def make_view_atomic(self, view):
        atomic = super().make_view_atomic(view)

        def reading(request, *args, **kwargs):
            request.GET.read = set()
            return atomic(request, *args, **kwargs)

        return reading


def _client(world, persona) -> Client:
    client = Client()
    client.handler = _ReadingHandler(enforce_csrf_checks=False)
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
        sent: list[tuple[dict, set | None]] = []  # each query sent, and the parameters its request read
        for query in _queries():
            if any(read is not None and all(query.get(key) == before.get(key) for key in read)
                   for before, read in sent):
                continue  # the view would read what it read before: the same answer
            response = client.get(url, query)
            if response.status_code >= 500:
                failures.append((case.name, persona, query, response.status_code))
                break
            sent.append((query, response.read))
    assert not failures, failures


@pytest.mark.django_db
def test_the_clients_note_the_query_parameters_a_page_reads(world, clients):
    """What lets the test above send a page fewer queries: the parameters read by key, all of them by
    encoding, none by a page that reads none (the NUL check before every view does not count)."""
    client = clients("street_admin")
    charts = reverse("dashboards:organization", args=[world.street_a.pk])
    assert client.get(charts, {"period": "year", "year": "2025", "x": "1"}).read >= {"period", "year"}
    assert "x" not in client.get(charts, {"period": "year", "x": "1"}).read
    assert client.get(reverse("home"), {"year": "2025"}).read == set()
    query = _ReadingQuery("a=1&b=2")
    query.read = set()
    assert query.urlencode() and query.read == {"a", "b"}


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
