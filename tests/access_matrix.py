"""The access matrix's machinery: every URL and every API operation, for every persona, own and foreign.

The cases are declared in each app's ``tests/<app>/access.py``; the tests that run them are
``tests/test_access_matrix*.py`` (the page cases in three modules, so that pytest-xdist's workers,
which take whole modules, share them). A URL name or API operation without a declared case fails
``test_every_url_has_an_access_case``, so a new page cannot ship without its access rules.
"""

from __future__ import annotations

import importlib
import pkgutil
from dataclasses import dataclass
from types import SimpleNamespace

import pytest
from django.conf import settings
from django.core.paginator import Page
from django.db import connection
from django.db.models import Model
from django.test import Client
from django.test.client import ClientHandler
from django.test.utils import CaptureQueriesContext, override_settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse

import tests
from gongzhi.core.paging import KeysetPage
from tests.access import ApiCase, PageCase
from tests.conftest import PERSONAS

# URL names that are not pages of ours: Django admin (superusers only) and the API (its own matrix).
EXCLUDED_NAMESPACES = {"admin", "api"}


def _collect_cases():
    pages, apis = [], []
    for module_info in pkgutil.iter_modules(tests.__path__):
        if not module_info.ispkg:
            continue
        try:
            module = importlib.import_module(f"tests.{module_info.name}.access")
        except ModuleNotFoundError:
            continue
        pages.extend(getattr(module, "PAGE_CASES", []))
        apis.extend(getattr(module, "API_CASES", []))
    return pages, apis


PAGE_CASES, API_CASES = _collect_cases()


def _url_names(resolver=None, namespace=""):
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            ns = pattern.namespace
            if ns in EXCLUDED_NAMESPACES:
                continue
            yield from _url_names(pattern, f"{namespace}{ns}:" if ns else namespace)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{namespace}{pattern.name}"


@pytest.fixture
def world(module_world, db):
    """One world for the whole matrix: each case runs in a savepoint rolled back after it, on a
    copy of the namespace so that what a case memoizes on it (``w.learning``) goes too."""
    return SimpleNamespace(**vars(module_world))


#: How long the personas' sessions last: the whole module, however slow the machine (the idle timeout and
#: its refresh are the accounts tests' concern).
_MODULE_SESSION_SECONDS = 12 * 3600


@dataclass
class Personas:
    """The personas' sessions for a module and the one request handler their clients share."""

    keys: dict[str, str]  # session key by persona
    cached: dict[str, tuple[str, dict, int]]  # the session's cache key, data and lifetime, by persona
    handler: ClientHandler


@pytest.fixture(scope="module")
def module_sessions(module_world, django_db_blocker):
    """Each persona logged in once for the module: the sessions live in the module's world
    (``module_world``), so every case's savepoint leaves them as they were, and a case's clients carry the
    cookie instead of logging in again (12 personas × 490 cases). The idle window is not moved on during
    the module: a minute after log-in it would write each persona's session again in every case (the
    case's savepoint takes the write back).

    The clients share one handler, as the requests a server answers share one: its middleware chain is
    built once for the module, not for each persona of each case."""
    keys, cached = {}, {}
    with django_db_blocker.unblock():
        for persona, user in module_world.users.items():
            if user is None:
                continue
            client = Client()
            client.force_login(user)
            session = client.session
            session.set_expiry(_MODULE_SESSION_SECONDS)
            session.save()
            keys[persona] = session.session_key
            cached[persona] = (session.cache_key, dict(session.items()), session.get_expiry_age())
    with override_settings(GONGZHI_SESSION_REFRESH_SECONDS=_MODULE_SESSION_SECONDS):
        yield Personas(keys=keys, cached=cached, handler=ClientHandler(enforce_csrf_checks=False))


@pytest.fixture
def sessions(module_sessions):
    """The module's sessions for one case, each back in the session cache as its log-in left it: the
    cache is emptied around every test (rate limits start afresh), and the cached-database backend would
    otherwise read each persona's session row again in every case (12 personas × 490 cases)."""
    from django.core.cache import caches

    cache = caches[settings.SESSION_CACHE_ALIAS]
    for cache_key, data, seconds in module_sessions.cached.values():
        cache.set(cache_key, data, seconds)
    return module_sessions


def _client(sessions: Personas, persona: str) -> Client:
    # Each persona on its own device and address: the per-client rate limits of the public forms
    # count one person's posts, not the whole cast's.
    client = Client(enforce_csrf_checks=False, REMOTE_ADDR=f"192.0.2.{PERSONAS.index(persona) + 1}")
    client.handler = sessions.handler
    if persona in sessions.keys:
        client.cookies[settings.SESSION_COOKIE_NAME] = sessions.keys[persona]
    return client


def _request(client, method, url, data):
    if method == "get":
        return client.get(url, data or {})
    return getattr(client, method)(url, data or {})


# What a refused request may still write: the session and the login-failure bookkeeping.
_BOOKKEEPING = ("django_session", "axes_")


def _writes(queries) -> list[str]:
    """The INSERT, UPDATE and DELETE statements among ``queries`` (bookkeeping tables aside)."""
    found = []
    for query in queries:
        sql = query["sql"].lstrip().upper()
        if sql.startswith(("INSERT", "UPDATE", "DELETE")) and not any(t.upper() in sql for t in _BOOKKEEPING):
            found.append(query["sql"][:120])
    return found


def _refused_request(client, method, url, data):
    """The request, asserting that a refusal wrote nothing."""
    with CaptureQueriesContext(connection) as queries:
        response = _request(client, method, url, data)
    assert _writes(queries.captured_queries) == [], ("a refused request wrote", url)
    return response


def _foreign_keys(world) -> set[tuple[str, int]]:
    """(model label, pk) of the foreign street's organizations, places, members and residents."""
    objects = [world.street_b, world.community_x, world.branch_x, world.group_x, world.grid_x, world.building_x,
               world.household_x, world.member_x, world.resident_x]
    return {(o._meta.label_lower, o.pk) for o in objects}


def _is_foreign(obj: Model, foreign: set[tuple[str, int]]) -> bool:
    """The object is one of the foreign street's, or points at one (read from the loaded row: no query)."""
    if (obj._meta.label_lower, obj.pk) in foreign:
        return True
    for field in obj._meta.concrete_fields:
        if field.is_relation and field.related_model is not None:
            value = getattr(obj, field.attname, None)
            if value is not None and (field.related_model._meta.label_lower, value) in foreign:
                return True
    return False


def _is_row(value) -> bool:
    """A list's row read as values (a ``NamedTuple`` with a ``pk`` and the ``model`` it stands for)."""
    return isinstance(value, tuple) and hasattr(type(value), "model") and hasattr(value, "pk")


def _shown(value, depth=0):
    """The model instances in a context value: instances, lists, pages, dicts, evaluated querysets; for the rows of
    a list read as values, the records they stand for (looked up)."""
    if depth > 3:
        return
    if isinstance(value, Model):
        yield value
    elif isinstance(value, Page | KeysetPage):
        yield from _shown(list(value.object_list), depth + 1)
    elif isinstance(value, list) and any(_is_row(item) for item in value):
        rows = [item for item in value if _is_row(item)]
        for model in {type(row).model for row in rows}:
            yield from model._base_manager.filter(pk__in=[row.pk for row in rows if type(row).model is model])
        for item in value:
            if not _is_row(item):
                yield from _shown(item, depth + 1)
    elif isinstance(value, dict):
        for item in value.values():
            yield from _shown(item, depth + 1)
    elif isinstance(value, list | tuple | set | frozenset):
        for item in value:
            yield from _shown(item, depth + 1)
    elif hasattr(value, "_result_cache") and value._result_cache is not None:  # a queryset the page read
        yield from _shown(value._result_cache, depth + 1)


def _foreign_in_context(response, world) -> list[str]:
    if response.context is None:
        return []
    foreign = _foreign_keys(world)
    found = []
    # One template rendered (a page that extends nothing, such as the big screen) gives its one context, several
    # give their list.
    contexts = response.context if isinstance(response.context, list) else [response.context]  # ContextList is a list
    for context in contexts:
        for key, value in context.flatten().items():
            found.extend(f"{key}: {obj!r}" for obj in _shown(value) if _is_foreign(obj, foreign))
    return found


def check_page(case: PageCase, world, sessions) -> None:
    """Every persona opens the case's own URL (and the foreign street's): allowed, refused or sent to log in."""
    own_url = reverse(case.name, kwargs=case.own(world)) + case.query
    foreign_url = reverse(case.name, kwargs=case.foreign(world)) + case.query if case.foreign else None
    for persona in PERSONAS:
        client = _client(sessions, persona)
        data = case.data(world) if case.data else None
        if persona in case.allowed or case.public:
            response = _request(client, case.method, own_url, data)
            assert response.status_code in case.ok, (persona, own_url, response.status_code)
            if case.method == "get":
                # Lists, counts and details of one's own street never carry the foreign street's records.
                assert _foreign_in_context(response, world) == [], (persona, own_url)
        elif persona == "anonymous":
            response = _refused_request(client, case.method, own_url, data)
            assert response.status_code == 302 and "/login/" in response["Location"], (persona, own_url)
        else:
            response = _refused_request(client, case.method, own_url, data)
            assert response.status_code == 404, (persona, own_url, response.status_code)
        if foreign_url is not None and persona != "anonymous":
            response = _refused_request(client, case.method, foreign_url, data)
            assert response.status_code == 404, ("foreign", persona, foreign_url, response.status_code)


def check_api(case: ApiCase, world, sessions) -> None:
    """Every persona calls the operation on its own street (and the foreign one): allowed, 401 or refused."""
    own_url = case.path.format(**case.own(world))
    foreign_url = case.path.format(**case.foreign(world)) if case.foreign else None
    for persona in PERSONAS:
        client = _client(sessions, persona)
        data = case.data(world) if case.data else None
        allowed = persona in case.allowed or case.public
        with CaptureQueriesContext(connection) as queries:
            if case.method == "get":
                response = client.get(own_url, data or {})
            else:
                response = getattr(client, case.method)(own_url, data or {}, content_type="application/json")
        if not allowed:
            assert _writes(queries.captured_queries) == [], ("a refused request wrote", persona, own_url)
        if allowed:
            assert response.status_code in case.ok, (persona, own_url, response.status_code)
        elif persona == "anonymous":
            assert response.status_code == 401, (persona, own_url, response.status_code)
        else:
            assert response.status_code in (403, 404), (persona, own_url, response.status_code)
        if foreign_url is not None and persona != "anonymous":
            with CaptureQueriesContext(connection) as queries:
                response = client.get(foreign_url) if case.method == "get" else getattr(client, case.method)(
                    foreign_url, data or {}, content_type="application/json")
            assert _writes(queries.captured_queries) == [], ("a refused request wrote", persona, foreign_url)
            assert response.status_code == 404, ("foreign", persona, foreign_url, response.status_code)
