"""(PG) A payment submitted at once from several devices is recorded once: with the same key (a double tap,
a retry) every request gets the one payment; with different keys (two clerks, two stale sheets) one wins and
the others are told the month is paid. Parallel approvals count an expenditure once."""

import threading
from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections
from django.utils import timezone

from gongzhi.money import services
from gongzhi.money.models import BudgetLine, DuesPayment, FundsEntry

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

    def run(index):
        try:
            barrier.wait()
            results.append(target(index))
        except Exception as exc:  # noqa: BLE001 - collected and asserted below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return errors, results


@pytest.fixture
def rated(world):
    from importlib import import_module

    from django.apps import apps

    import_module("gongzhi.money.migrations.0003_seed_rates").seed(apps, None)  # flushed by earlier tests
    services.declare_base(member=world.member_a, year=timezone.localdate().year, basis="salary", amount="4200.00",
                          by=world.users["treasurer_a"])
    return world


def test_the_same_payment_from_parallel_requests_is_recorded_once(rated):
    month = date(timezone.localdate().year, 1, 1)
    errors, results = _parallel(lambda i: services.record_payment(
        member=rated.member_a, months=[month], key="parallel-same-key", by=rated.users["treasurer_a"]))
    assert not errors
    assert DuesPayment.objects.filter(member=rated.member_a).count() == 1
    assert len({payments[0].pk for payments in results}) == 1


def test_parallel_payments_with_different_keys_record_one_and_refuse_the_rest(rated):
    month = date(timezone.localdate().year, 1, 1)
    errors, results = _parallel(lambda i: services.record_payment(
        member=rated.member_a, months=[month], key=f"parallel-key-{i:04d}", by=rated.users["treasurer_a"]))
    assert len(results) == 1 and len(errors) == THREADS - 1
    assert all(isinstance(e, ValidationError) for e in errors)
    assert DuesPayment.objects.filter(member=rated.member_a).count() == 1


def test_parallel_approvals_count_an_expenditure_once(rated):
    line = factories.line(rated, year=timezone.localdate().year, amount="2000.00")
    expenditure = services.record_expenditure(
        organization=rated.community_a, line=line, spent_on=timezone.localdate(), amount=Decimal("1500.00"),
        purpose="饺子宴", payee="超市", receipt=factories.png(), key=factories.key(), by=rated.users["community_staff"])
    approvers = [rated.users["community_secretary"], rated.users["street_admin"]]
    errors, results = _parallel(lambda i: services.decide_expenditure(
        expenditure=expenditure, approve=True, by=approvers[i % 2]))
    assert len(results) == 1 and len(errors) == THREADS - 1
    assert FundsEntry.objects.filter(expenditure=expenditure).count() == 1
    assert BudgetLine.objects.get(pk=line.pk).spent == Decimal("1500.00")
