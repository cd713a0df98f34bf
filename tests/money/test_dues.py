"""Dues collection: idempotent payments, several months at once, paying on a member's behalf, large voluntary
payments flagged, the append-only ledger and its reversing corrections, arrears across a year boundary, the
income base declared once a year, hand-overs confirmed by another person."""

from datetime import date
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction

from gongzhi.core.models import AuditEvent
from gongzhi.members.models import MemberCategory
from gongzhi.money import selectors, services
from gongzhi.money.models import Basis, DuesPayment, Method

from . import factories

pytestmark = pytest.mark.django_db
TODAY = date(2026, 5, 20)


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(date(2026, 5, 20), tick=False):
        yield


def _base(world, member=None, amount="4200.00", year=2026, basis=Basis.SALARY):
    return services.declare_base(member=member or world.member_a, year=year, basis=basis, amount=amount,
                                 by=world.users["treasurer_a"])


def _pay(world, months, member=None, key=None, **kwargs):
    return services.record_payment(member=member or world.member_a, months=months, by=world.users["treasurer_a"],
                                   key=key or factories.key(), **kwargs)


def test_a_month_paid_at_the_rate_of_the_declared_base(world):
    _base(world)
    [payment] = _pay(world, [date(2026, 5, 1)])
    assert (payment.amount, payment.due, payment.voluntary, payment.organization) == (
        Decimal("42.00"), Decimal("42.00"), Decimal("0.00"), world.branch_a)


def test_the_same_submission_twice_records_once(world):
    _base(world)
    key = factories.key()
    first = _pay(world, [date(2026, 4, 1), date(2026, 5, 1)], key=key)
    again = _pay(world, [date(2026, 4, 1), date(2026, 5, 1)], key=key)
    assert [p.pk for p in first] == [p.pk for p in again]
    assert DuesPayment.objects.filter(member=world.member_a).count() == 2


def test_a_month_already_paid_is_refused_with_the_month_named(world):
    _base(world)
    _pay(world, [date(2026, 5, 1)])
    with pytest.raises(ValidationError, match="2026-05"):
        _pay(world, [date(2026, 4, 1), date(2026, 5, 1)])
    assert DuesPayment.objects.filter(member=world.member_a).count() == 1  # April was not half-written


def test_several_months_at_once_on_behalf_of_a_member_who_is_away(world):
    _base(world)
    payments = _pay(world, [date(2026, 1, 1), date(2026, 2, 1), date(2026, 3, 1)], paid_for_by="赵磊的妻子",
                    method=Method.TRANSFER)
    assert [p.month.month for p in payments] == [1, 2, 3]
    assert {p.paid_for_by for p in payments} == {"赵磊的妻子"}


def test_a_large_voluntary_payment_is_flagged(world):
    _base(world)
    [small] = _pay(world, [date(2026, 4, 1)], amount="100.00")
    [large] = _pay(world, [date(2026, 5, 1)], amount="1042.00")
    assert (small.voluntary, small.large_voluntary) == (Decimal("58.00"), False)
    assert (large.voluntary, large.large_voluntary) == (Decimal("1000.00"), True)


@pytest.mark.parametrize("amount", ["-5", "0", "abc", "1e30", "12.345", "NaN", "Infinity"])
def test_absurd_amounts_are_refused_and_nothing_written(world, amount):
    with pytest.raises(ValidationError):
        _pay(world, [date(2026, 5, 1)], amount=amount)
    assert not DuesPayment.objects.exists()


def test_without_a_base_an_in_service_member_cannot_be_charged_by_the_rates(world):
    with pytest.raises(ValidationError, match="2026"):
        _pay(world, [date(2026, 5, 1)])


def test_fixed_groups_need_no_declared_base(world):
    world.member_b.category = MemberCategory.STUDENT
    world.member_b.save()
    [payment] = _pay(world, [date(2026, 5, 1)], member=world.member_b)
    assert payment.amount == Decimal("0.20")


def test_months_before_joining_or_too_far_ahead_are_refused(world):
    _base(world)
    with pytest.raises(ValidationError):
        _pay(world, [date(2010, 6, 1)])
    with pytest.raises(ValidationError):
        _pay(world, [date(2027, 6, 1)])


def test_a_reversal_opens_the_month_again_and_the_ledger_keeps_both_lines(world):
    _base(world)
    [payment] = _pay(world, [date(2026, 5, 1)])
    services.reverse_payment(payment=payment, reason="记错了人", by=world.users["branch_secretary_a"])
    assert not DuesPayment.objects.live().filter(member=world.member_a).exists()
    [again] = _pay(world, [date(2026, 5, 1)])
    assert again.attempt == 2
    assert services.total(DuesPayment.objects.filter(member=world.member_a)) == Decimal("42.00")
    with pytest.raises(ValidationError):
        services.reverse_payment(payment=payment, reason="again", by=world.users["branch_secretary_a"])


def test_the_ledger_refuses_update_and_delete_at_the_database(world):
    _base(world)
    [payment] = _pay(world, [date(2026, 5, 1)])
    for statement in ("UPDATE money_duespayment SET amount = 1 WHERE id = %s",
                      "DELETE FROM money_duespayment WHERE id = %s"):
        with pytest.raises(Exception, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(statement, [payment.pk])
    assert DuesPayment.objects.get(pk=payment.pk).amount == Decimal("42.00")


def test_two_live_payments_for_one_month_are_impossible_at_the_database(world):
    _base(world)
    [payment] = _pay(world, [date(2026, 5, 1)])
    with pytest.raises(IntegrityError), transaction.atomic():
        DuesPayment.objects.create(member=world.member_a, organization=world.branch_a, month=payment.month,
                                   amount=Decimal("1.00"), paid_on=TODAY, key="other-key-1", attempt=1)


def test_the_base_is_declared_once_a_year_and_its_reveal_is_logged(world):
    base = _base(world)
    again = _base(world, amount="5200.00")
    assert again.pk == base.pk and again.amount == Decimal("5200.00")
    with pytest.raises(ValidationError):
        _base(world, amount="4千")
    assert services.reveal_base(base=again, by=world.users["member"]) == Decimal("5200.00")
    assert AuditEvent.objects.filter(action="money.base.reveal", object_id=str(base.pk)).count() == 1
    assert not AuditEvent.objects.filter(detail__icontains="5200").exists()


def _paid(world, member, months):
    for month in months:
        _pay(world, [month], member=member, amount="1.00")


@pytest.mark.parametrize(("today", "expected"), [
    (date(2027, 1, 10), 3),   # unpaid Oct, Nov, Dec 2026: a reminder
    (date(2027, 4, 2), 6),    # unpaid Oct 2026 – Mar 2027: the warning
    (date(2026, 12, 5), 0),   # unpaid Oct and Nov only
])
def test_arrears_count_consecutive_unpaid_months_across_the_year_end(world, today, expected):
    _paid(world, world.member_b, [date(2026, m, 1) for m in range(1, 10)])
    with time_machine.travel(today, tick=False):
        found = {a.member: a for a in selectors.arrears(world.community_a, today)}
    if expected:
        assert found[world.member_b].months == expected
        assert found[world.member_b].since == date(2026, 10, 1)
        assert found[world.member_b].warning is (expected >= 6)
    else:
        assert world.member_b not in found
    world.member_b.refresh_from_db()
    assert world.member_b.standing == "normal"  # Gongzhi never changes standing by itself


def test_arrears_are_not_counted_before_the_branch_began_recording(world):
    with time_machine.travel(date(2027, 4, 2), tick=False):
        assert selectors.arrears(world.community_a, date(2027, 4, 2)) == []


def test_a_hand_over_takes_what_is_outstanding_and_is_confirmed_by_another_person(world):
    _base(world)
    _pay(world, [date(2026, 4, 1), date(2026, 5, 1)])
    assert services.outstanding(world.branch_a) == Decimal("84.00")
    handover = services.hand_over(organization=world.branch_a, by=world.users["treasurer_a"])
    assert (handover.amount, handover.receiver) == (Decimal("84.00"), world.community_a)
    assert services.outstanding(world.branch_a) == 0
    with pytest.raises(ValidationError):
        services.hand_over(organization=world.branch_a, by=world.users["treasurer_a"])
    with pytest.raises(ValidationError):
        services.confirm_handover(handover=handover, by=world.users["treasurer_a"])
    services.confirm_handover(handover=handover, by=world.users["community_staff"])
    handover.refresh_from_db()
    assert handover.confirmed_by == world.users["community_staff"]


def test_a_hand_over_cannot_exceed_what_was_collected(world):
    _base(world)
    _pay(world, [date(2026, 5, 1)])
    with pytest.raises(ValidationError):
        services.hand_over(organization=world.branch_a, amount="100.00", by=world.users["treasurer_a"])
