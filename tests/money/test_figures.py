"""The figures and to-dos with known answers: the dues payment rate over member-months due, the share of the
budget spent, this month's dues to record, expenditures to approve (never one's own), hand-overs to confirm."""

from datetime import date
from decimal import Decimal

import pytest
import time_machine

from gongzhi.core.periods import Period
from gongzhi.core.registries import figure, todo_sources
from gongzhi.money import services

from . import factories

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(date(2026, 5, 20), tick=False):
        yield


def _count(user, key):
    source = next(s for s in todo_sources() if s.key == key)
    return source.count(user) if source.applies(user) else None


def test_the_payment_rate_counts_member_months_due_in_the_ended_months(world):
    # Branch A holds member_a, branch B member_b: Jan–Apr 2026 are 8 member-months due; 3 paid.
    for member, months in ((world.member_a, (1, 2)), (world.member_b, (3,))):
        services.record_payment(member=member, months=[date(2026, m, 1) for m in months], amount="5.00",
                                key=factories.key(), by=world.users["treasurer_a"])
    rate = figure("dues.payment_rate").compute(world.community_a, Period.year(2026))
    assert rate == Decimal("37.5")
    assert figure("dues.payment_rate").compute(world.branch_a, Period.quarter(2026, 1)) == Decimal("66.7")
    assert figure("dues.payment_rate").compute(world.community_a, Period.quarter(2026, 3)) is None


def test_a_member_owes_dues_from_the_month_of_joining_in_two_queries(world, django_assert_num_queries):
    from tests.factories.core import MemberFactory

    # Joined on 31 March 2026: owes March and April; one who joins in June owes nothing yet; 2 of 10 paid.
    newcomer = MemberFactory(name="三月入党", home_org=world.branch_a, joined_on=date(2026, 3, 31))
    MemberFactory(name="六月入党", home_org=world.branch_a, joined_on=date(2026, 6, 1))
    for member in (newcomer, world.member_a):
        services.record_payment(member=member, months=[date(2026, 4, 1)], amount="5.00", key=factories.key(),
                                by=world.users["treasurer_a"])
    with django_assert_num_queries(2):
        assert figure("dues.payment_rate").compute(world.community_a, Period.year(2026)) == Decimal("20.0")
    assert figure("dues.payment_rate").compute(world.branch_a, Period.month(2026, 2)) == Decimal("0.0")


def test_the_spent_share_is_spent_against_the_years_budget(world):
    line = factories.line(world, year=2026, amount="2000.00")
    services.record_expenditure(organization=world.community_a, line=line, spent_on=date(2026, 5, 2),
                                amount=Decimal("300.00"), purpose="党课", payee="文印店", receipt=factories.png(),
                                key=factories.key(), by=world.users["community_staff"])
    assert figure("funds.spent_share").compute(world.street_a, Period.year(2026)) == Decimal("15.0")
    assert figure("funds.spent_share").compute(world.community_a, Period.year(2025)) is None


def test_the_to_dos_of_the_clerk_the_secretary_and_the_staff(world):
    assert _count(world.users["treasurer_a"], "money.dues_to_record") == 1  # member_a, this month
    services.record_payment(member=world.member_a, months=[date(2026, 5, 1)], amount="5.00", key=factories.key(),
                            by=world.users["treasurer_a"])
    assert _count(world.users["treasurer_a"], "money.dues_to_record") == 0
    line = factories.line(world, year=2026)
    services.record_expenditure(organization=world.community_a, line=line, spent_on=date(2026, 5, 2),
                                amount=Decimal("900.00"), purpose="饺子宴", payee="超市", receipt=factories.png(),
                                key=factories.key(), by=world.users["community_secretary"])
    assert _count(world.users["street_admin"], "money.expenditures_to_approve") == 1
    assert _count(world.users["community_secretary"], "money.expenditures_to_approve") == 0  # her own
    services.hand_over(organization=world.branch_a, by=world.users["treasurer_a"])
    assert _count(world.users["community_staff"], "money.handovers_to_confirm") == 1
    assert _count(world.users["treasurer_a"], "money.handovers_to_confirm") is None
