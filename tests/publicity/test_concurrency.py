"""(PG) Double taps and retries: another module publishing the same record from parallel workers writes one
item; a reader tapping "I have read it" twice at once is counted once; two approvers at once publish once."""

import threading

import pytest
from django.db import connection, connections

from gongzhi.publicity import services
from gongzhi.publicity.models import Acknowledgement, Item, ItemEvent, ItemStatus, PostKind

from . import factories

pytestmark = [
    pytest.mark.pg,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL's concurrency"),
]
THREADS = 6


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


def test_parallel_publication_of_one_record_writes_one_item(world):
    staff = world.users["community_staff"]

    def publish():
        return services.publish_item(organization=world.community_a, category="finance", title="第一季度党费和经费公开",
                                     body="……", source="money.disclosure:2026Q1", by=staff).pk

    errors, results = _parallel(publish)
    assert not errors and len(set(results)) == 1
    assert Item.objects.filter(source="money.disclosure:2026Q1").count() == 1


def test_parallel_confirmations_of_reading_are_counted_once(world):
    notice = factories.post(world, kind=PostKind.NOTICE, needs_ack=True)
    errors, results = _parallel(lambda: services.acknowledge(post=notice, user=world.users["resident"])[1])
    assert not errors and results.count(True) == 1
    assert Acknowledgement.objects.filter(post=notice).count() == 1


def test_two_approvals_at_once_publish_the_item_once(world):
    pending = factories.item(world, status=ItemStatus.PENDING)
    approvers = [world.users["community_secretary"], world.users["street_admin"]]

    errors, results = [], []
    barrier = threading.Barrier(2)

    def run(user):
        try:
            barrier.wait()
            results.append(services.approve_item(item=pending, by=user, publish_now=True).status)
        except Exception as exc:  # noqa: BLE001
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(u,)) for u in approvers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results == [ItemStatus.PUBLISHED] and len(errors) == 1
    assert ItemEvent.objects.filter(item=pending, kind="published").count() == 1
