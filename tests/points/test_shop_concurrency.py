"""(PG) Two phones, a double tap and a retry at once: parallel redemptions never double an entry, never
take the balance below zero and never take the stock below zero."""

import threading
from datetime import date
from decimal import Decimal

import pytest
from django.db import connection, connections

from gongzhi.points import shop, totals
from gongzhi.points.models import PointEntry, Redemption, Reward, RuleCode
from gongzhi.points.services import PointsError, balance

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL's concurrency"),
]
THREADS = 8


def _parallel(target):
    barrier = threading.Barrier(THREADS)
    errors, results = [], []

    def run(n):
        try:
            barrier.wait()
            results.append(target(n))
        except PointsError as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(n,)) for n in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return errors, results


def _seed(world, points):
    PointEntry.objects.create(member=world.member_a, organization=world.branch_a, points=Decimal(points),
                              code=RuleCode.MANUAL_AWARD, idempotency_key="seed", occurred_on=date(2025, 1, 2))


def test_parallel_redemptions_with_one_key_write_one(world):
    _seed(world, 50)
    reward = Reward.objects.create(organization=world.community_a, name="环保袋", price=Decimal(5), stock=10)
    errors, results = _parallel(lambda n: shop.redeem(member=world.member_a, reward=reward, key="same", by=None))
    assert not errors and len({redemption.pk for redemption, _created in results}) == 1
    assert sum(created for _redemption, created in results) == 1  # exactly one call says it wrote it
    reward.refresh_from_db()
    assert (Redemption.objects.count(), reward.stock, balance(world.member_a)) == (1, 9, Decimal(45))


def test_parallel_redemptions_beyond_the_balance_never_go_below_zero(world):
    _seed(world, 12)  # enough for two at 5 points
    reward = Reward.objects.create(organization=world.community_a, name="雨伞", price=Decimal(5), stock=10)
    errors, results = _parallel(lambda n: shop.redeem(member=world.member_a, reward=reward, key=f"k{n}", by=None))
    assert len(results) == 2 and len(errors) == THREADS - 2
    assert balance(world.member_a) == Decimal(2)
    assert totals.verify() == []  # the summary kept by the trigger agrees after parallel inserts


def test_parallel_redemptions_beyond_the_stock_never_go_below_zero(world):
    _seed(world, 100)
    reward = Reward.objects.create(organization=world.community_a, name="毛巾", price=Decimal(5), stock=3)
    errors, results = _parallel(lambda n: shop.redeem(member=world.member_a, reward=reward, key=f"s{n}", by=None))
    reward.refresh_from_db()
    assert (len(results), reward.stock, Redemption.objects.count()) == (3, 0, 3)
