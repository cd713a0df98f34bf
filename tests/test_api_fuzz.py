"""The API fuzzed from its own OpenAPI schema (schemathesis), as a logged-in community secretary, on
SQLite and PostgreSQL: no server error, every response as its schema says, every status it answers
documented. Half of the generated ids are swapped for ids of real objects of the secretary's own
community (a meeting, an activity, a request…), so that responses with data are checked too.
Bounded: a fixed number of generated requests per operation, derandomized so that a failure found
once is found again.

Each operation's Hypothesis test is built when that operation's test runs, by the builder schemathesis'
own ``schema.parametrize()`` uses (its examples, coverage and fuzzing phases, its seed per operation),
rather than at collection: with pytest-xdist every worker collects every module, and building the 99
operations' tests cost each worker about 3 s of CPU for a module only one of them runs."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from functools import cache
from types import SimpleNamespace

import pytest
from django.conf import settings as django_settings
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.middleware.csrf import _get_new_csrf_string
from django.test import Client
from django.utils import timezone
from hypothesis import HealthCheck, settings

from gongzhi.api import api

# Ten generated requests per operation on SQLite (the first run, which finds the logic errors); five on
# PostgreSQL, the second run, which looks for what differs between the databases (issue 13: the suite's time).
EXAMPLES = 10 if django_settings.DATABASES["default"]["ENGINE"].endswith("sqlite3") else 5
#: Every operation of the schema, as schemathesis names it ("GET /api/orgs/"), in the schema's order.
OPERATIONS = [f"{method.upper()} {path}" for path, item in api.get_openapi_schema()["paths"].items() for method in item]



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


@pytest.fixture
def world(module_world, db):
    """One world for the module, each operation's examples in a savepoint rolled back after them (as the
    access matrix does): the world is no longer built again for each of the API's operations."""
    return SimpleNamespace(**vars(module_world))


@pytest.fixture
def real_ids(world) -> dict:
    """Objects of the secretary's community, by the path parameter that names them."""
    from gongzhi.care.models import CareTag, Pairing
    from gongzhi.members.models import Reporting
    from gongzhi.points.models import PointEntry, Reward, RuleCode
    from gongzhi.recognition.models import Badge, BadgeMetric
    from gongzhi.service.services import checkin_token
    from tests.learning.factories import learning_world
    from tests.meetings.factories import planned_meeting
    from tests.service.factories import activity, team
    from tests.voice.factories import request_in

    w = world
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
def _call(case, secretary, real_ids):
    for name, value in (case.path_parameters or {}).items():
        if name in real_ids and sum(map(ord, str(value))) % 2 == 0:  # stable, unlike hash()
            case.path_parameters[name] = real_ids[name]
    response = case.call_and_validate(**secretary, checks=_schema()[2])
    assert response.status_code != 401, "the secretary is logged in"


@pytest.mark.django_db
@pytest.mark.parametrize("operation", OPERATIONS)
def test_the_api_keeps_its_schema_under_fuzzed_input(operation, secretary, real_ids):
    _fuzzed(operation, _call)(secretary=secretary, real_ids=real_ids)


def test_every_operation_is_fuzzed():
    """The operations fuzzed are the schema's, as schemathesis reads them."""
    schema = _schema()[0]
    assert OPERATIONS == [result.ok().label for result in schema.get_all_operations()]
