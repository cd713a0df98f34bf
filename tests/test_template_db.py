"""A test's copy of the run's template (tests/template_db.py) lives exactly as long as the test, even under
a live server: a request the live server is still answering when the test ends (a browser's last one)
finishes on the copy, through the connection it opened to it, and only then is the copy restored over
(SQLite) or dropped (PostgreSQL)."""

import os
import threading
from urllib.request import urlopen

import pytest
from django.core.signals import request_started
from django.db import connection

from gongzhi.orgs.models import Organization
from tests.factories import OrganizationFactory
from tests.live_server import REQUESTS, Requests
from tests.template_db import ENV, template_copy

PROBE = "?copy-probe"
READ = "SELECT code FROM orgs_organization WHERE code LIKE 'PROBE-_' ORDER BY code"


def _reader_held_until_the_copy_ends(entered: threading.Event, left: threading.Event, outcome: dict):
    """A request receiver that reads the probe rows through the request's connection, then, with that
    connection open (and on SQLite its statement not finished), waits until the test is leaving its copy,
    and reads them again: at once if the test has left it (``left``: the copy went while the request
    still used it), else after a second (the copy's end waits for the request)."""

    def read(sender, environ, **kwargs):
        if environ.get("QUERY_STRING") != PROBE[1:]:
            return
        try:
            with connection.cursor() as cursor:
                cursor.execute(READ)
                first = cursor.fetchone()
                entered.set()
                outcome["switch began"] = REQUESTS.draining.wait(30)
                left.wait(1)
                first = [first, *cursor.fetchall()]
                cursor.execute(READ)
                outcome["read"] = (first, cursor.fetchall())
        except Exception as error:  # noqa: BLE001 — the test reports whatever the copy's end did to the request
            outcome["error"] = repr(error)

    return read


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(not os.environ.get(ENV), reason="needs the run's template: run with pytest-xdist")
def test_a_request_still_answered_when_the_test_ends_finishes_on_the_copy_before_it_goes(
        live_server, django_db_blocker):
    entered, left, outcome = threading.Event(), threading.Event(), {}
    reader = _reader_held_until_the_copy_ends(entered, left, outcome)
    request_started.connect(reader)

    def ask():
        with urlopen(f"{live_server.url}/healthz{PROBE}", timeout=60) as response:  # noqa: S310 — the live server
            outcome["status"] = response.status

    request = threading.Thread(target=ask)
    try:
        with template_copy(django_db_blocker):
            OrganizationFactory(code="PROBE-1")
            OrganizationFactory(code="PROBE-2")
            request.start()
            assert entered.wait(30)
        left.set()
        request.join(60)
    finally:
        request_started.disconnect(reader)
    assert "error" not in outcome, outcome["error"]
    assert outcome["switch began"]
    assert outcome["read"] == ([("PROBE-1",), ("PROBE-2",)], [("PROBE-1",), ("PROBE-2",)])
    assert outcome["status"] == 200
    assert not Organization.objects.filter(code__startswith="PROBE").exists()  # the worker's own copy again


def test_a_request_that_comes_during_a_pause_is_answered_after_it_and_pauses_nest():
    requests, answered = Requests(), []
    app = requests.wrap(lambda environ, start_response: [b"ok"])

    def ask():
        app({"REQUEST_METHOD": "GET", "PATH_INFO": "/"}, None).close()
        answered.append(True)

    asking = threading.Thread(target=ask)
    with requests.paused():
        with requests.paused():
            pass
        asking.start()
        asking.join(0.5)
        assert answered == []  # held at the door, also after the inner pause ended
    asking.join(30)
    assert answered == [True]


def test_a_response_that_fails_to_close_still_ends_its_request():
    class Failing(list):
        def close(self):
            raise BrokenPipeError

    requests = Requests()
    response = requests.wrap(lambda environ, start_response: Failing([b"ok"]))({}, None)
    with pytest.raises(BrokenPipeError):
        response.close()
    with requests.paused():  # would wait for the request (and fail after PATIENCE_SECONDS) had it not ended
        pass
