"""The replica router's choices (core.replica), without a replica: which work reads where."""

import pytest
from django.db import transaction
from django.http import HttpResponse
from django.test import RequestFactory

from gongzhi.core import replica
from gongzhi.core.replica import ReplicaMiddleware, ReplicaRouter, reading_from_replica
from gongzhi.orgs.models import Organization


@pytest.fixture
def usable(monkeypatch):
    calls = []

    def fake(min_lsn=None):
        calls.append(min_lsn)
        return fake.answer

    fake.answer = True
    fake.calls = calls
    monkeypatch.setattr(replica, "replica_usable", fake)
    return fake


def test_only_work_that_allows_it_reads_from_the_replica(usable):
    router = ReplicaRouter()
    assert router.db_for_read(Organization) == "default"  # a command, a task, a test: the primary
    with reading_from_replica():
        assert router.db_for_read(Organization) == "replica"
        assert router.db_for_read(Organization) == "replica"
    assert usable.calls == [None]  # checked once per piece of work
    assert router.db_for_read(Organization) == "default"


def test_after_a_write_every_read_goes_to_the_primary(usable):
    router = ReplicaRouter()
    with reading_from_replica():
        assert router.db_for_write(Organization) == "default"
        assert router.db_for_read(Organization) == "default"


@pytest.mark.django_db
def test_reads_inside_a_transaction_stay_on_the_primary(usable):
    router = ReplicaRouter()
    with reading_from_replica(), transaction.atomic():
        assert router.db_for_read(Organization) == "default"


def test_a_replica_that_cannot_serve_is_skipped(usable):
    usable.answer = False
    with reading_from_replica():
        assert ReplicaRouter().db_for_read(Organization) == "default"


def test_migrations_run_on_the_primary_only():
    router = ReplicaRouter()
    assert router.allow_migrate("default", "orgs") and not router.allow_migrate("replica", "orgs")


def _through(request, writes: bool, monkeypatch):
    monkeypatch.setattr(replica, "configured", lambda: True)
    monkeypatch.setattr(replica, "_primary_position", lambda: "0/16B3748")
    seen = {}

    def view(req):
        work = replica._current.get()
        seen["allowed"], seen["min_lsn"] = work.allowed, work.min_lsn
        if writes:
            ReplicaRouter().db_for_write(Organization)
        return HttpResponse("ok")

    return ReplicaMiddleware(view)(request), seen


def test_a_request_that_wrote_hands_its_client_the_position_to_wait_for(monkeypatch):
    response, seen = _through(RequestFactory().post("/"), True, monkeypatch)
    assert seen["allowed"] is False
    assert response.cookies[replica.COOKIE].value == "0/16B3748" and response.cookies[replica.COOKIE]["httponly"]
    factory = RequestFactory()
    factory.cookies[replica.COOKIE] = "0/16B3748"
    response, seen = _through(factory.get("/"), False, monkeypatch)
    assert seen == {"allowed": True, "min_lsn": "0/16B3748"} and replica.COOKIE not in response.cookies


def test_a_forged_position_is_ignored(monkeypatch):
    factory = RequestFactory()
    factory.cookies[replica.COOKIE] = "0/1'; DROP TABLE x; --"
    _, seen = _through(factory.get("/"), False, monkeypatch)
    assert seen["min_lsn"] is None


def test_without_a_replica_nothing_changes(rf):
    response = ReplicaMiddleware(lambda request: HttpResponse("ok"))(rf.get("/"))
    assert response.status_code == 200 and replica.COOKIE not in response.cookies
