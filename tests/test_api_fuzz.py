"""The API fuzzed from its own OpenAPI schema (schemathesis), as a logged-in community secretary, on
SQLite and PostgreSQL: no server error, every response as its schema says, every status it answers
documented. Half of the generated ids are swapped for ids of real objects of the secretary's own
community (a meeting, an activity, a request…), so that responses with data are checked too.
Bounded: a fixed number of generated requests per operation, derandomized so that a failure found
once is found again.

Each operation's Hypothesis test is built when that operation's test runs, by the builder schemathesis'
own ``schema.parametrize()`` uses (its examples, coverage and fuzzing phases, its seed per operation),
rather than at collection: with pytest-xdist every worker collects every module, and building the 99
operations' tests cost each worker about 3 s of CPU for a module only one of them runs.

What each request costs, without finding less (issue 13, the suite's time):

- A case goes to Django's WSGI handler as the WSGI environ werkzeug builds from schemathesis' own
  serialization of it (the transport schemathesis uses for a WSGI application), with the secretary's
  cookies in its ``Cookie`` header as werkzeug's test client writes them, but without that client and
  without ``requests`` preparing the request a second time for the report; the response is checked by
  ``case.validate_response`` with the same checks as ``case.call_and_validate`` would run.
- A request of a safe method (GET, HEAD, OPTIONS) identical to one already sent in the same operation's
  test (method, path, query string, headers, cookies and body; not the random id schemathesis puts in a
  header) is not sent again: its response is checked again against the new case. Unsafe requests are
  always sent, as the same request on a changed state is a different test.
- On PostgreSQL (the second run) a case schemathesis generated as *negative* is not sent when
  django-ninja refuses it before any view runs: 405 for a method its path does not have, or ninja's
  own parsing of the path, query and body failing (422, or 400 for a body it cannot parse). Such an
  answer depends on the request alone (on its way the database is read only by the middleware, which
  every request sent runs through too), and the SQLite run sends every one of them. Every positive case,
  every negative case that reaches a view, and every case Django's URLs do not match (its 404 page is a
  view), runs on both databases: about 58 requests per operation on SQLite, 20 on PostgreSQL (out of 55
  generated), where 60 and 55 were sent before. ``_refused_before_any_view`` decides it by
  asking ninja itself (the URL's path view, the operation for the method, the operation's parsing),
  not by the kind of the case: a negative case ninja's parsing coerces into a valid one (``0`` for
  ``false``) reaches its view and is sent."""

from __future__ import annotations

import inspect
import re
import time
from datetime import date, timedelta
from decimal import Decimal
from functools import cache
from io import BytesIO
from types import SimpleNamespace

import pytest
from django.conf import settings as django_settings
from django.core.handlers.wsgi import WSGIHandler, WSGIRequest
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.http import HttpResponse
from django.middleware.csrf import _get_new_csrf_string
from django.test import Client
from django.urls import Resolver404, resolve
from django.utils import timezone
from hypothesis import HealthCheck, settings

from gongzhi.api import api

SQLITE = django_settings.DATABASES["default"]["ENGINE"].endswith("sqlite3")
# Ten generated requests per operation on SQLite (the first run, which finds the logic errors); five on
# PostgreSQL, the second run, which looks for what differs between the databases (issue 13: the suite's time).
EXAMPLES = 10 if SQLITE else 5
#: Whether the negative cases ninja refuses before any view are sent (see the module's docstring).
SEND_REFUSED = SQLITE
#: Methods whose identical requests are sent once per operation's test: they change nothing.
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
#: The header schemathesis gives each case a random id in; not part of a request's identity.
CASE_ID_HEADER = "HTTP_X_SCHEMATHESIS_TESTCASEID"


def _operations() -> list[str]:
    """Every operation of the schema, as schemathesis names it ("GET /api/orgs/"), in the schema's order: read
    from ninja's routers as its schema lists them (``OpenAPISchema.get_paths``), without building the schema,
    which cost every pytest-xdist worker about 0.3 s of CPU when it collected this module (nor resolving the
    API's root URL, which imports every view of the URLconf: the API is mounted at ``/api/``)."""
    from ninja.utils import normalize_path

    paths: dict[str, dict[str, None]] = {}
    for router in api._get_bound_routers():
        for path, path_view in router.path_operations.items():
            full_path = normalize_path("/api/" + "/".join(i for i in (router.prefix, path) if i))
            methods = [method.lower() for operation in path_view.operations if operation.include_in_schema
                       for method in operation.methods]
            if methods:
                paths.setdefault(re.sub(r"{[^}:]+:", "{", full_path), {}).update(dict.fromkeys(methods))
    return [f"{method.upper()} {path}" for path, methods in paths.items() for method in methods]


#: Every operation of the schema, as schemathesis names it ("GET /api/orgs/"), in the schema's order.
OPERATIONS = _operations()


class TransactionalWSGIHandler(WSGIHandler):
    """Django's WSGI application inside the test's transaction: like the test client, it keeps the
    request signals from closing the database connection (which would end the test's transaction)."""

    def __call__(self, environ, start_response):
        request_started.disconnect(close_old_connections)
        request_finished.disconnect(close_old_connections)
        try:
            response = super().__call__(environ, start_response)
            body = b"".join(response)
            response.close()
        finally:
            request_started.connect(close_old_connections)
            request_finished.connect(close_old_connections)
        return [body]


@cache
def _schema():
    """The schema, loaded once per worker, with what its operations' tests share (as schemathesis' pytest
    plugin shares them across a schema's operations): the constants its generation feeds on, and the checks."""
    import schemathesis
    from schemathesis.checks import load_all_checks, not_a_server_error
    from schemathesis.generation.feedback import FeedbackSources
    from schemathesis.python._constants.orchestrator import make_constants_value_source
    from schemathesis.specs.openapi.checks import (
        content_type_conformance,
        response_schema_conformance,
        status_code_conformance,
    )

    load_all_checks()
    schema = schemathesis.openapi.from_dict(api.get_openapi_schema())
    schema.app = TransactionalWSGIHandler()
    feedback = FeedbackSources(constants_value_source=make_constants_value_source(schema))
    checks = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
    return schema, feedback, checks


def _fuzzed(label: str, test):
    """``test`` as the Hypothesis test of the operation ``label``, generated as ``schema.parametrize()`` does."""
    from schemathesis.pytest._test_builder import build_operation_test

    schema, feedback, _checks = _schema()
    method, path = label.split(" ", 1)
    return build_operation_test(config=schema.config, operation=schema[path][method], test_func=test,
                                given_kwargs={}, feedback=feedback)


_TOKEN = re.compile(r"[!#$%&'*+\-.^_`|~0-9A-Za-z]*")


def _cookie_pair(name: str, value) -> str:
    """``name=value`` as werkzeug's test client puts a cookie in the ``Cookie`` header (quoted if need be)."""
    from werkzeug.http import dump_cookie

    value = str(value)
    if _TOKEN.fullmatch(name) and _TOKEN.fullmatch(value):
        return f"{name}={value}"
    return dump_cookie(name, value).partition(";")[0]


def _wire(case, secretary: dict):
    """The request ``case`` is sent as, with the secretary's cookies and headers: its WSGI environ (what
    schemathesis' WSGI transport has werkzeug build) and the same request for the report on a failure."""
    from requests import PreparedRequest
    from requests.structures import CaseInsensitiveDict
    from schemathesis.transport.prepare import get_exclude_headers, prepare_cookies, serialize_cookies
    from schemathesis.transport.wsgi import WSGI_TRANSPORT
    from werkzeug.test import EnvironBuilder

    data = WSGI_TRANSPORT.serialize_case(case, headers=secretary["headers"])
    for name in get_exclude_headers(case):
        data["headers"].pop(name, None)
    cookies = prepare_cookies({**(serialize_cookies(case) or {}), **secretary["cookies"]})
    builder = EnvironBuilder(**data)
    environ = builder.get_environ()
    cookie = "; ".join(_cookie_pair(name, value) for name, value in cookies.items())
    if cookie:
        environ["HTTP_COOKIE"] = cookie
    request = PreparedRequest()
    request.method = environ["REQUEST_METHOD"]
    request.url = f"http://localhost{builder.path}" + (f"?{environ['QUERY_STRING']}" if environ["QUERY_STRING"] else "")
    request.headers = CaseInsensitiveDict(builder.headers.to_wsgi_list())
    if cookie:
        request.headers["Cookie"] = cookie
    request.body = environ["wsgi.input"].getvalue() or None
    return environ, request


def _identity(environ: dict) -> tuple:
    """What the application receives of a request, but for the case's random id."""
    return (*sorted((name, value) for name, value in environ.items()
                    if isinstance(value, str) and name != CASE_ID_HEADER),
            environ["wsgi.input"].getvalue())


def _send(environ: dict, request):
    """The application's answer to ``environ``, as schemathesis' ``Response``."""
    from schemathesis.core.transport import Response

    answer = {}

    def start_response(status, headers, exc_info=None):
        answer["status"], answer["headers"] = status, headers

    started = time.perf_counter()
    content = b"".join(_schema()[0].app(environ, start_response))
    elapsed = time.perf_counter() - started
    headers: dict[str, list[str]] = {}
    for name, value in answer["headers"]:
        headers.setdefault(name.lower(), []).append(value)
    return Response(status_code=int(answer["status"].split(" ", 1)[0]), headers=headers, content=content,
                    request=request, elapsed=elapsed, verify=False)


def _refused_before_any_view(environ: dict) -> bool:
    """Whether django-ninja answers this request before any of the API's views runs: its URL is one of the
    API's paths, and either that path has no operation for its method (405) or the operation's own parsing
    of the path, query and body refuses it (422, 400). A URL Django does not match is answered by its 404
    view: that counts as reaching a view."""
    from ninja.operation import PathView

    request = WSGIRequest({**environ, "wsgi.input": BytesIO(environ["wsgi.input"].getvalue())})
    try:
        match = resolve(request.path_info)
    except Resolver404:
        return False
    path_view = inspect.getclosurevars(match.func).nonlocals.get("self")
    if not isinstance(path_view, PathView):
        return False
    operation = path_view._find_operation(request)
    if operation is None:
        return True
    try:
        operation._get_values(request, match.kwargs, HttpResponse())
    except Exception:  # ninja answers its validation and parsing errors itself, before the view
        return True
    return False


@pytest.fixture
def world(module_world, db):
    """One world for the module, each operation's examples in a savepoint rolled back after them (as the
    access matrix does): the world is no longer built again for each of the API's operations."""
    return SimpleNamespace(**vars(module_world))


@pytest.fixture(scope="module")
def real_ids(module_world, django_db_blocker) -> dict:
    """Objects of the secretary's community, by the path parameter that names them: made once for the module,
    in its transaction (as the world is), so that each operation's savepoint rolls back only what it wrote."""
    from gongzhi.care.models import CareTag, Pairing
    from gongzhi.members.models import Reporting
    from gongzhi.points.models import PointEntry, Reward, RuleCode
    from gongzhi.recognition.models import Badge, BadgeMetric
    from gongzhi.service.services import checkin_token
    from tests.learning.factories import learning_world
    from tests.meetings.factories import planned_meeting
    from tests.service.factories import activity, team
    from tests.voice.factories import request_in

    w = SimpleNamespace(**vars(module_world))
    with django_db_blocker.unblock():
        secretary = w.users["community_secretary"]
        meeting = planned_meeting(w.branch_a, by=secretary, day=timezone.localdate() + timedelta(days=7))
        soon = activity(w.branch_a)
        PointEntry.objects.create(member=w.member_a, organization=w.branch_a, points=Decimal(30),
                                  code=RuleCode.MANUAL_AWARD, idempotency_key="fuzz", occurred_on=date(2025, 5, 1))
        Badge.objects.create(organization=w.community_a, name="积分标兵", metric=BadgeMetric.POINTS, threshold=10)
        reward = Reward.objects.create(organization=w.community_a, name="环保袋", price=Decimal(5), stock=3)
        pairing = Pairing.objects.create(member=w.member_a, resident=w.resident_a, started_on=date(2025, 1, 1))
        CareTag.objects.create(resident=w.resident_a, kind="alone")
        reporting = Reporting.objects.create(member=w.member_reported, community=w.community_a)
        material = learning_world(w).material
        return {"org_id": w.community_a.pk, "member_id": w.member_a.pk, "reporting_id": reporting.pk,
                "reward_id": reward.pk, "activity_id": soon.pk, "team_id": team(w.community_a, members=[w.member_a]).pk,
                "meeting_id": meeting.pk, "material_id": material.pk, "request_id": request_in(w).pk,
                "pairing_id": pairing.pk, "token": checkin_token(soon)}


@pytest.fixture
def secretary(world) -> dict:
    """The secretary's session and CSRF cookies and the CSRF header, as a browser on the site sends them."""
    client = Client()
    client.force_login(world.users["community_secretary"])
    token = _get_new_csrf_string()
    return {"cookies": {"sessionid": client.cookies["sessionid"].value, "csrftoken": token},
            "headers": {"X-CSRFToken": token}}


@settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
          suppress_health_check=list(HealthCheck))
def _call(case, secretary, real_ids, sent):
    """Send ``case`` (once, if an identical safe request was sent before in this operation's test; not at
    all on PostgreSQL if it is negative and refused before any view) and check the answer."""
    for name, value in (case.path_parameters or {}).items():
        if name in real_ids and sum(map(ord, str(value))) % 2 == 0:  # stable, unlike hash()
            case.path_parameters[name] = real_ids[name]
    case.freeze_metadata()  # as ``case.call`` does: the case is checked as it was generated
    environ, request = _wire(case, secretary)
    if not SEND_REFUSED and case.meta.generation.mode.is_negative and _refused_before_any_view(environ):
        return
    key = _identity(environ) if environ["REQUEST_METHOD"] in SAFE_METHODS else None
    response = sent.get(key) if key else None
    if response is None:
        response = _send(environ, request)
        if key:
            sent[key] = response
    case.validate_response(response, checks=_schema()[2], headers=secretary["headers"],
                           transport_kwargs=dict(secretary))
    assert response.status_code != 401, "the secretary is logged in"


@pytest.mark.django_db
@pytest.mark.parametrize("operation", OPERATIONS)
def test_the_api_keeps_its_schema_under_fuzzed_input(operation, secretary, real_ids):
    _fuzzed(operation, _call)(secretary=secretary, real_ids=real_ids, sent={})


def test_every_operation_is_fuzzed():
    """The operations fuzzed are the schema's, as schemathesis reads them."""
    schema = _schema()[0]
    assert OPERATIONS == [result.ok().label for result in schema.get_all_operations()]


def _case(label: str, **parts):
    method, path = label.split(" ", 1)
    return _schema()[0][path][method].Case(**parts)


#: A secretary's cookies and header as the fuzz sends them, with a value werkzeug quotes and one it encodes.
COOKIES = {"cookies": {"sessionid": "s3ss10n", "csrftoken": "t0ken", "theme": "dark mode;x", "lang": "中文"},
           "headers": {"X-CSRFToken": "t0ken"}}


@pytest.mark.parametrize("case", [
    lambda: _case("GET /api/orgs/", query={"q": "幸福 社区&", "limit": 5}),
    lambda: _case("GET /api/orgs/{org_id}", path_parameters={"org_id": "a b/é"}),
    lambda: _case("POST /api/privacy/requests/{request_id}/decision", path_parameters={"request_id": 7},
                  body={"accept": True, "reason": "同意"}, media_type="application/json"),
])
def test_a_case_reaches_the_application_as_schemathesis_own_transport_sends_it(case):
    """The environ ``_wire`` builds is the one schemathesis' WSGI transport (werkzeug's test client) gives
    the application for the same case: method, path, query string, headers, cookies and body."""
    case = case()
    received = []

    def application(environ, start_response):
        received.append(environ)
        start_response("200 OK", [("Content-Type", "application/json")])
        return [b"{}"]

    case.call(app=application, **COOKIES)
    environ, request = _wire(case, COOKIES)
    assert _identity(environ) == _identity(received[0])
    assert (request.method, request.body or b"") == (environ["REQUEST_METHOD"], environ["wsgi.input"].getvalue())
    assert request.headers["Cookie"] == environ["HTTP_COOKIE"]


def test_requests_differing_in_anything_sent_are_never_taken_for_one():
    """The identity a repeated request is recognised by: the same for two cases of the same request (their
    random ids differ), different as soon as the method, path, query, a header, a cookie or the body does."""
    def identity(label="POST /api/privacy/requests/{request_id}/decision", secretary=COOKIES, **parts):
        parts = {"path_parameters": {"request_id": 7}, "body": {"accept": True, "reason": ""},
                 "media_type": "application/json"} | parts if label.startswith("POST") else parts
        return _identity(_wire(_case(label, **parts), secretary)[0])

    same = identity()
    assert identity() == same
    variants = [
        identity(path_parameters={"request_id": 8}),
        identity(body={"accept": True, "reason": " "}),
        identity(body={"accept": False, "reason": ""}),
        identity(headers={"X-Extra": "1"}),
        identity(secretary={**COOKIES, "cookies": {**COOKIES["cookies"], "csrftoken": "t0ken2"}}),
        identity(secretary={**COOKIES, "headers": {"X-CSRFToken": "t0ken2"}}),
        identity(label="GET /api/privacy/requests/{request_id}", path_parameters={"request_id": 7}),
        identity(label="GET /api/privacy/requests", query={"limit": 5}),
        identity(label="GET /api/privacy/requests", query={"limit": 6}),
        identity(label="GET /api/privacy/requests", query={"limit": 5, "offset": 0}),
    ]
    assert len({same, *variants}) == len(variants) + 1


@pytest.mark.django_db
@pytest.mark.parametrize(("case", "refused", "statuses"), [
    (lambda: _case("GET /api/orgs/", query={"limit": 0}), True, {422}),
    (lambda: _case("GET /api/orgs/", query={"after": "not a cursor!"}), True, {422}),
    (lambda: _case("GET /api/orgs/", method="PATCH"), True, {405}),
    (lambda: _case("POST /api/privacy/requests/{request_id}/decision", path_parameters={"request_id": 1},
                   body={"accept": "maybe"}, media_type="application/json"), True, {422}),
    # Not refused: valid, or coerced into valid by ninja's parsing (0 for false), or not one of the API's URLs.
    (lambda: _case("GET /api/orgs/", query={"limit": 5}), False, {200}),
    (lambda: _case("POST /api/privacy/requests/{request_id}/decision", path_parameters={"request_id": 0},
                   body={"accept": 0, "reason": "x"}, media_type="application/json"), False, {404}),
    (lambda: _case("GET /api/orgs/{org_id}", path_parameters={"org_id": "abc"}), False, {404}),
])
def test_what_postgresql_does_not_send_is_answered_before_any_view(case, refused, statuses, secretary):
    """``_refused_before_any_view`` says a request is refused exactly when the application answers it
    without any view: ninja's 405 for a method the path lacks, its 422 for parameters or a body its parsing
    refuses; a request ninja coerces into a valid one, and a URL Django does not match, are not refused."""
    environ, request = _wire(case(), secretary)
    assert _refused_before_any_view(environ) is refused
    assert _send(environ, request).status_code in statuses
