"""Activity funds: budget lines by source and purpose, expenditures with a content-checked receipt, a second
person's approval above the configurable amount, reversals, a budget line never overspent, the append-only ledger."""

from datetime import date
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, connection, transaction

from gongzhi.money import selectors, services
from gongzhi.money.models import BudgetLine, Expenditure, ExpenditureStatus, FundsEntry, Purpose

from . import factories

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(date(2026, 10, 10), tick=False):
        yield


def _spend(world, line, amount, *, by="community_staff", receipt=None, key=None, **kwargs):
    return services.record_expenditure(
        organization=world.community_a, line=line, spent_on=date(2026, 10, 8), amount=amount, purpose="饺子宴食材",
        payee="惠民超市", receipt=receipt or factories.png(), key=key or factories.key(), by=world.users[by], **kwargs)


def test_up_to_the_approval_amount_an_expenditure_counts_at_once(world):
    line = factories.line(world, year=2026)
    expenditure = _spend(world, line, Decimal("500.00"))
    line.refresh_from_db()
    assert expenditure.status == ExpenditureStatus.COUNTED and line.spent == Decimal("500.00")


def test_above_it_a_second_person_must_approve_and_never_the_one_who_entered_it(world):
    line = factories.line(world, year=2026)
    expenditure = _spend(world, line, Decimal("1280.00"), by="community_secretary")
    line.refresh_from_db()
    assert expenditure.status == ExpenditureStatus.PENDING and line.spent == 0
    with pytest.raises(ValidationError):
        services.decide_expenditure(expenditure=expenditure, approve=True, by=world.users["community_secretary"])
    services.decide_expenditure(expenditure=expenditure, approve=True, by=world.users["street_admin"])
    line.refresh_from_db()
    expenditure.refresh_from_db()
    assert (expenditure.status, expenditure.approved_by, line.spent) == (
        ExpenditureStatus.COUNTED, world.users["street_admin"], Decimal("1280.00"))
    with pytest.raises(IntegrityError), transaction.atomic():
        Expenditure.objects.filter(pk=expenditure.pk).update(approved_by=world.users["community_secretary"])


def test_the_approval_amount_is_configurable_per_organization(world):
    line = factories.line(world, year=2026)
    services.set_approval_above(organization=world.community_a, amount="2000.00", by=world.users["street_admin"])
    assert _spend(world, line, Decimal("1280.00")).status == ExpenditureStatus.COUNTED


def test_a_refusal_needs_a_reason_and_spends_nothing(world):
    line = factories.line(world, year=2026)
    expenditure = _spend(world, line, Decimal("900.00"))
    with pytest.raises(ValidationError):
        services.decide_expenditure(expenditure=expenditure, approve=False, by=world.users["community_secretary"])
    services.decide_expenditure(expenditure=expenditure, approve=False, note="无正规发票",
                                by=world.users["community_secretary"])
    line.refresh_from_db()
    assert line.spent == 0 and not FundsEntry.objects.exists()


def test_a_reversal_gives_the_line_its_money_back_and_keeps_both_entries(world):
    line = factories.line(world, year=2026)
    expenditure = _spend(world, line, Decimal("300.00"))
    services.reverse_expenditure(expenditure=expenditure, reason="重复录入", by=world.users["community_secretary"])
    line.refresh_from_db()
    assert line.spent == 0
    assert sorted(FundsEntry.objects.values_list("amount", flat=True)) == [Decimal("-300.00"), Decimal("300.00")]
    with pytest.raises(ValidationError):
        services.reverse_expenditure(expenditure=expenditure, reason="again", by=world.users["community_secretary"])


def test_a_line_is_never_overspent(world):
    line = factories.line(world, year=2026, amount="1000.00")
    _spend(world, line, Decimal("400.00"))
    pending = _spend(world, line, Decimal("550.00"))
    _spend(world, line, Decimal("100.00"))
    with pytest.raises(ValidationError, match="500"):
        _spend(world, line, Decimal("600.00"))
    services.set_approval_above(organization=world.community_a, amount="10000.00", by=world.users["street_admin"])
    _spend(world, line, Decimal("450.00"))
    with pytest.raises(ValidationError):  # approved too late: the line has only 50.00 left
        services.decide_expenditure(expenditure=pending, approve=True, by=world.users["community_secretary"])
    with pytest.raises(IntegrityError), transaction.atomic():
        BudgetLine.objects.filter(pk=line.pk).update(spent=Decimal("1000.01"))
    with pytest.raises(ValidationError):
        services.save_budget_line(organization=world.community_a, year=2026, source=line.source,
                                  purpose=line.purpose, amount="900.00", by=world.users["community_staff"])


@pytest.mark.parametrize(("name", "content"), [
    ("receipt.pdf", b"MZ\x90\x00 not a pdf"), ("receipt.png", b"<html>hello</html>"), ("receipt.jpg", b""),
])
def test_a_receipt_that_is_not_a_photo_or_pdf_is_refused_and_nothing_is_written(world, name, content):
    line = factories.line(world, year=2026)
    with pytest.raises(ValidationError):
        _spend(world, line, Decimal("100.00"), receipt=SimpleUploadedFile(name, content))
    assert not Expenditure.objects.exists()


def test_a_pdf_receipt_is_accepted_and_the_same_form_twice_records_once(world):
    line = factories.line(world, year=2026)
    key = factories.key()
    first = _spend(world, line, Decimal("100.00"), receipt=factories.pdf(), key=key)
    again = _spend(world, line, Decimal("100.00"), receipt=factories.pdf(), key=key)
    assert first.pk == again.pk and first.receipt_type == "application/pdf"
    line.refresh_from_db()
    assert line.spent == Decimal("100.00")


def test_the_funds_ledger_refuses_update_and_delete(world):
    line = factories.line(world, year=2026)
    _spend(world, line, Decimal("100.00"))
    entry = FundsEntry.objects.get()
    for statement in ("UPDATE money_fundsentry SET amount = 1 WHERE id = %s",
                      "DELETE FROM money_fundsentry WHERE id = %s"):
        with pytest.raises(Exception, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(statement, [entry.pk])


def test_budget_against_spent_per_line_and_the_yearly_account(world):
    activities = factories.line(world, year=2026, amount="3000.00")
    care = factories.line(world, year=2026, amount="1000.00", purpose=Purpose.CARE)
    _spend(world, activities, Decimal("450.00"))
    _spend(world, care, Decimal("250.00"))
    _spend(world, care, Decimal("600.00"))  # pending
    account = selectors.budget(world.community_a, 2026)
    assert (account["budget"], account["spent"], account["remaining"], account["pending"], account["share"]) == (
        Decimal("4000.00"), Decimal("700.00"), Decimal("3300.00"), Decimal("600.00"), Decimal("17.5"))


def test_a_negative_or_absurd_amount_is_refused(world):
    line = factories.line(world, year=2026)
    for amount in ("-1", "0", "1e9", "abc"):
        with pytest.raises(ValidationError):
            _spend(world, line, amount)
    assert not Expenditure.objects.exists()
