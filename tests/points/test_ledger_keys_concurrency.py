"""(PG) On the partitioned ledger, parallel double submissions still write one entry and parallel
reversals of one entry still write one reversal: the unique keys of ``PointEntryKey`` decide, in
this year's partition as in the default one."""

import threading
from datetime import date
from decimal import Decimal

import pytest
from django.db import connection, connections
from django.utils import timezone

from gongzhi.points import totals
from gongzhi.points.models import PointEntry, PointEntryKey, RuleCode
from gongzhi.points.services import balance, post_points, reverse_entry

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL's concurrency"),
]
THREADS = 8


def _parallel(target):
    barrier = threading.Barrier(THREADS)
    results, errors = [], []

    def run(n):
        try:
            barrier.wait()
            results.append(target(n))
        except Exception as exc:  # noqa: BLE001 - reported by the assertion below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(n,)) for n in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results, errors


@pytest.mark.parametrize("day", [date(timezone.localdate().year, 3, 5), date(2031, 3, 5)],
                         ids=["year partition", "default partition"])
def test_parallel_double_submissions_write_one_entry(world, day):
    results, errors = _parallel(lambda n: post_points(
        member=world.member_a, code=RuleCode.MANUAL_AWARD, key="double-tap", occurred_on=day, points=Decimal(4),
        organization=world.branch_a))
    assert errors == []
    assert len({entry.pk for entry in results}) == 1
    assert PointEntry.objects.filter(idempotency_key="double-tap").count() == 1
    assert PointEntryKey.objects.filter(idempotency_key="double-tap").count() == 1
    assert balance(world.member_a) == Decimal(4)
    assert totals.verify() == []


def test_parallel_reversals_of_one_entry_write_one(world):
    entry = post_points(member=world.member_a, code=RuleCode.MANUAL_AWARD, key="award", points=Decimal(5),
                        occurred_on=date(timezone.localdate().year, 4, 1), organization=world.branch_a)
    results, errors = _parallel(lambda n: reverse_entry(entry=entry, reason=f"录入错误 {n}", by=None))
    assert errors == []
    assert len({reversal.pk for reversal in results}) == 1  # those that lost the race return the winner's
    assert PointEntry.objects.filter(reverses=entry).count() == 1
    assert balance(world.member_a) == Decimal(0)
    assert totals.verify() == []
