"""(PG) Parallel postings for one member never pass a cap: post_points reads what the caps leave from the rule
group's totals, whose rows it locks first (``points.caps``), and the totals agree with the ledger afterwards."""

import threading
from datetime import date
from decimal import Decimal

import pytest
from django.db import connection, connections

from gongzhi.points import caps, totals
from gongzhi.points.models import PointEntry, PointRule, RuleCode
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


def test_parallel_postings_stop_at_the_yearly_cap(world):
    PointRule.objects.create(organization=world.community_a, code=RuleCode.VISIT, points=Decimal(1),
                             yearly_cap=Decimal(3), effective_from=date(2025, 1, 1))
    results, errors = _parallel(lambda n: post_points(member=world.member_a, code=RuleCode.VISIT,
                                                      key=f"visit:{n}", occurred_on=date(2025, 5, 5)))
    assert errors == []
    assert sum(1 for entry in results if entry is not None) == 3
    assert PointEntry.objects.filter(member=world.member_a, code=RuleCode.VISIT).count() == 3
    assert balance(world.member_a) == Decimal(3)
    assert totals.verify() == [] and caps.verify() == []


def test_parallel_postings_stop_at_the_monthly_cap_with_a_partial_last_entry(world):
    PointRule.objects.create(organization=world.community_a, code=RuleCode.STUDY, points=Decimal("1.5"),
                             monthly_cap=Decimal(4), effective_from=date(2025, 1, 1))
    results, errors = _parallel(lambda n: post_points(member=world.member_a, code=RuleCode.STUDY,
                                                      key=f"study:{n}", occurred_on=date(2025, 6, 2)))
    assert errors == []
    assert sorted(e.points for e in results if e is not None) == [Decimal("1.0"), Decimal("1.5"), Decimal("1.5")]
    assert balance(world.member_a) == Decimal(4)
    assert caps.verify() == []


def test_parallel_postings_in_several_months_stop_at_both_caps_without_a_deadlock(world):
    PointRule.objects.create(organization=world.community_a, code=RuleCode.STUDY, points=Decimal(1),
                             monthly_cap=Decimal(2), yearly_cap=Decimal(5), effective_from=date(2025, 1, 1))
    # Eight postings over four months: each month's cap would allow 2 (8 in all), the year's cap allows 5.
    results, errors = _parallel(lambda n: post_points(member=world.member_a, code=RuleCode.STUDY,
                                                      key=f"study:{n}", occurred_on=date(2025, 3 + n % 4, 1)))
    assert errors == []
    posted = [entry for entry in results if entry is not None]
    assert sum(entry.points for entry in posted) == Decimal(5) == balance(world.member_a)
    by_month = {}
    for entry in posted:
        by_month[entry.occurred_on.month] = by_month.get(entry.occurred_on.month, 0) + entry.points
    assert max(by_month.values()) <= 2
    assert totals.verify() == [] and caps.verify() == []


def test_a_reversal_in_parallel_with_postings_gives_exactly_its_points_back(world):
    PointRule.objects.create(organization=world.community_a, code=RuleCode.VISIT, points=Decimal(1),
                             yearly_cap=Decimal(3), effective_from=date(2025, 1, 1))
    first = [post_points(member=world.member_a, code=RuleCode.VISIT, key=f"visit:first:{n}",
                         occurred_on=date(2025, 5, 5)) for n in range(3)]

    def work(n):
        if n == 0:
            return reverse_entry(entry=first[0], reason="录入有误", by=None)
        return post_points(member=world.member_a, code=RuleCode.VISIT, key=f"visit:{n}", occurred_on=date(2025, 5, 5))

    results, errors = _parallel(work)
    assert errors == []
    # The reversal frees one point: one parallel posting gets it if the reversal came first, none if it came last.
    got = PointEntry.objects.filter(member=world.member_a, code=RuleCode.VISIT).count() - 3
    assert got in (0, 1) and balance(world.member_a) == Decimal(2 + got)
    assert caps.verify() == [] and totals.verify() == []
