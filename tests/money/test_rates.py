"""The 2008 brackets as data: known answers at each boundary, fixed amounts, and a change from a date that
never rewrites an earlier month."""

from datetime import date
from decimal import Decimal

import pytest
import time_machine

from gongzhi.money import services
from gongzhi.money.models import Basis
from gongzhi.money.rates import monthly_due

pytestmark = pytest.mark.django_db
MAY = date(2026, 5, 1)


@pytest.mark.parametrize(("base", "due"), [
    ("0.00", "0.00"), ("1000.00", "5.00"), ("3000.00", "15.00"), ("3000.01", "30.00"), ("5000.00", "50.00"),
    ("5000.01", "75.00"), ("10000.00", "150.00"), ("10000.01", "200.00"), ("25000.00", "500.00"),
    ("3333.33", "33.33"), ("3456.78", "34.57"),
])
def test_in_service_members_pay_by_the_bracket_of_their_income(base, due):
    assert monthly_due(basis=Basis.SALARY, base=Decimal(base), month=MAY) == Decimal(due)


@pytest.mark.parametrize(("base", "due"), [("5000.00", "25.00"), ("5000.01", "50.00"), ("2400.00", "12.00")])
def test_retirees_pay_by_the_bracket_of_their_pension(base, due):
    assert monthly_due(basis=Basis.PENSION, base=Decimal(base), month=MAY) == Decimal(due)


@pytest.mark.parametrize(("basis", "due"), [(Basis.RURAL, "0.50"), (Basis.STUDENT, "0.20"),
                                            (Basis.UNEMPLOYED, "0.20"), (Basis.WELFARE, "0.20")])
def test_fixed_groups_pay_a_small_fixed_amount_whatever_the_base(basis, due):
    assert monthly_due(basis=basis, base=None, month=MAY) == Decimal(due)


def test_without_a_base_an_income_basis_gives_no_amount():
    assert monthly_due(basis=Basis.SALARY, base=None, month=MAY) is None


@time_machine.travel(date(2026, 6, 20), tick=False)
def test_a_bracket_change_applies_from_its_month_and_leaves_earlier_months_alone():
    services.change_rates(basis=Basis.SALARY, effective_from=date(2026, 7, 15),
                          brackets=[(Decimal("4000.00"), Decimal("0.5")), (None, Decimal("1"))])
    assert monthly_due(basis=Basis.SALARY, base=Decimal("3500.00"), month=date(2026, 6, 1)) == Decimal("35.00")
    assert monthly_due(basis=Basis.SALARY, base=Decimal("3500.00"), month=date(2026, 7, 1)) == Decimal("17.50")
    assert monthly_due(basis=Basis.SALARY, base=Decimal("4000.01"), month=date(2027, 1, 1)) == Decimal("40.00")
    # Pensions were not changed: they keep the 2008 brackets.
    assert monthly_due(basis=Basis.PENSION, base=Decimal("3500.00"), month=date(2026, 7, 1)) == Decimal("17.50")


@time_machine.travel(date(2026, 6, 20), tick=False)
def test_a_schedule_without_an_open_top_bracket_is_refused():
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        services.change_rates(basis=Basis.SALARY, effective_from=date(2027, 1, 1),
                              brackets=[(Decimal("4000.00"), Decimal("0.5"))])
