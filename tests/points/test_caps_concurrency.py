"""(PG) Parallel postings for one member never pass a cap: post_points locks the member's row
before it reads what the caps leave."""

import threading
from datetime import date
from decimal import Decimal

import pytest
from django.db import connection, connections

from gongzhi.points import totals
from gongzhi.points.models import PointEntry, PointRule, RuleCode
from gongzhi.points.services import balance, post_points

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


def test_parallel_postings_stop_at_the_yearly_cap(world):
    PointRule.objects.create(organization=world.community_a, code=RuleCode.VISIT, points=Decimal(1),
                             yearly_cap=Decimal(3), effective_from=date(2025, 1, 1))
    results, errors = _parallel(lambda n: post_points(member=world.member_a, code=RuleCode.VISIT,
                                                      key=f"visit:{n}", occurred_on=date(2025, 5, 5)))
    assert errors == []
    assert sum(1 for entry in results if entry is not None) == 3
    assert PointEntry.objects.filter(member=world.member_a, code=RuleCode.VISIT).count() == 3
    assert balance(world.member_a) == Decimal(3)
    assert totals.verify() == []


def test_parallel_postings_stop_at_the_monthly_cap_with_a_partial_last_entry(world):
    PointRule.objects.create(organization=world.community_a, code=RuleCode.STUDY, points=Decimal("1.5"),
                             monthly_cap=Decimal(4), effective_from=date(2025, 1, 1))
    results, errors = _parallel(lambda n: post_points(member=world.member_a, code=RuleCode.STUDY,
                                                      key=f"study:{n}", occurred_on=date(2025, 6, 2)))
    assert errors == []
    assert sorted(e.points for e in results if e is not None) == [Decimal("1.0"), Decimal("1.5"), Decimal("1.5")]
    assert balance(world.member_a) == Decimal(4)
