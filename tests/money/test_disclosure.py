"""The disclosure: totals from the ledgers by source and purpose, never a person's name or amount, published
through the publicity board (waiting for the organization's approval) with its dates kept."""

from datetime import date
from decimal import Decimal

import pytest
import time_machine

from gongzhi.core.periods import Period
from gongzhi.money import disclosure, services
from gongzhi.money.models import Basis, Purpose, Source
from gongzhi.publicity import catalogue
from gongzhi.publicity.models import ItemStatus

from . import factories

pytestmark = pytest.mark.django_db
Q3 = Period.quarter(2026, 3)


@pytest.fixture
def ledgers(world):
    with time_machine.travel(date(2026, 10, 10), tick=False):
        services.declare_base(member=world.member_a, year=2026, basis=Basis.SALARY, amount="7777.77",
                              by=world.users["treasurer_a"])
        services.record_payment(member=world.member_a, months=[date(2026, 8, 1)], paid_on=date(2026, 8, 20),
                                amount="1234.56", key=factories.key(), by=world.users["treasurer_a"])
        services.record_payment(member=world.member_b, months=[date(2026, 8, 1)], paid_on=date(2026, 8, 21),
                                amount="0.20", key=factories.key(), by=world.users["branch_secretary_b"])
        line = factories.line(world, year=2026, amount="5000.00", source=Source.COBUILDING)
        services.record_expenditure(organization=world.community_a, line=line, spent_on=date(2026, 9, 20),
                                    amount=Decimal("320.00"), purpose="为赵磊家困难补助", payee="赵磊",
                                    receipt=factories.png(), key=factories.key(), by=world.users["community_staff"])
        yield world


def test_the_disclosure_gives_totals_and_leaks_no_personal_amount_or_name(ledgers):
    text = disclosure.draft(ledgers.community_a, Q3)
    assert "1234.76" in text and "5000.00" in text and "320.00" in text
    for secret in ("1234.56", "7777.77", "155.56", "赵磊", "钱明", "0.20 ", ledgers.member_a.id_number):
        assert secret not in text
    assert str(Source.COBUILDING.label) in text and str(Purpose.ACTIVITIES.label) in text


def test_publishing_puts_it_on_the_board_for_approval_once_with_its_dates(ledgers):
    with time_machine.travel(date(2026, 10, 10), tick=False):
        item = services.publish_disclosure(organization=ledgers.community_a, period=Q3,
                                           by=ledgers.users["community_staff"])
        again = services.publish_disclosure(organization=ledgers.community_a, period=Q3,
                                            by=ledgers.users["community_staff"])
    assert again.pk == item.pk
    assert (item.status, item.catalogue_key, item.period_start, item.period_end) == (
        ItemStatus.PENDING, "finance.dues_funds", Q3.start, Q3.end)
    assert item.body == disclosure.draft(ledgers.community_a, Q3)


def test_the_catalogue_drafts_the_finance_entry_from_the_ledgers(ledgers):
    assert catalogue.DEFAULTS["finance.dues_funds"].draft is disclosure.draft
