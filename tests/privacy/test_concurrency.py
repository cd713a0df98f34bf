"""(PG) Double taps: a person sending the same request from parallel workers records it once; two staff deciding
one request at once decide it once; two retention passes at once anonymise each record once."""

import threading
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, connections
from django.test import override_settings

from gongzhi.core.models import AuditEvent
from gongzhi.privacy import services
from gongzhi.privacy.models import Anonymisation, DataRequest, RequestStatus, Subject
from gongzhi.voice.models import Request, Status
from tests.voice.factories import request_in

pytestmark = [
    pytest.mark.pg,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL's concurrency"),
]
THREADS = 4


@pytest.fixture
def world(db):
    """A world of its own (these tests commit), not the module's shared one."""
    from tests.conftest import build_world

    return build_world()


def _parallel(target, n=THREADS):
    barrier = threading.Barrier(n)
    errors, results = [], []

    def run():
        try:
            barrier.wait()
            results.append(target())
        except Exception as exc:  # noqa: BLE001 - collected and asserted below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(n)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return errors, results


def _ask(world):
    return services.ask(person=world.users["member"], kind="correction", subject=Subject.MEMBER, field="mobile",
                        proposed_value="13987654321", reason="换号")


def test_the_same_request_sent_in_parallel_is_recorded_once(world):
    errors, results = _parallel(lambda: _ask(world).pk)
    assert len(results) == 1 and all(isinstance(e, ValidationError) for e in errors)
    assert DataRequest.objects.count() == 1


def test_two_staff_deciding_at_once_decide_once(world):
    asked = _ask(world)
    staff = [world.users["community_staff"], world.users["community_secretary"]] * (THREADS // 2)
    turns = iter(staff)
    lock = threading.Lock()

    def decide():
        with lock:
            by = next(turns)
        return services.decide(data_request=asked, accept=True, reason="核实", by=by).pk

    errors, results = _parallel(decide)
    assert len(results) == 1 and len(errors) == THREADS - 1
    assert DataRequest.objects.get(pk=asked.pk).status == RequestStatus.ACCEPTED
    assert AuditEvent.objects.filter(action="privacy.request.decide").count() == 1


@override_settings(GONGZHI_RETENTION_REQUEST_YEARS=3)
def test_two_retention_passes_at_once_anonymise_each_record_once(world):
    req = request_in(world, phone="13912345678")
    Request.objects.filter(pk=req.pk).update(status=Status.CLOSED, resolved_at=req.created_at.replace(year=2020))

    def run():
        return services.run_retention(today=date(2026, 5, 10))["voice_requests"]

    errors, results = _parallel(run, n=2)
    assert all(isinstance(e, IntegrityError) for e in errors)
    assert sum(results) == 1
    assert Anonymisation.objects.filter(model="voice.request").count() == 1
    assert AuditEvent.objects.filter(action="privacy.retention.run", detail__voice_requests=1).count() == 1
