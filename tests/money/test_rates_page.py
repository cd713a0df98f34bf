"""Changing the dues rates on the page: only the top organization's administrator enters a change, from the
current month or later and never under months already collected; everyone who deals with dues reads the
schedules; bad input gets a message and writes nothing."""

from datetime import date
from decimal import Decimal

import pytest
import time_machine
from django.conf import settings
from django.urls import reverse

from gongzhi.core.models import AuditEvent
from gongzhi.money import services
from gongzhi.money.models import Basis, DuesRate
from gongzhi.money.rates import monthly_due

from . import factories
from .test_pages import post

pytestmark = pytest.mark.django_db
URL = "money:rates"


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(date(2026, 5, 20), tick=False):
        yield


def _english(client):
    """Messages are checked in English (the default language of the tests is Chinese)."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def _brackets(**extra):
    data = {"basis": Basis.SALARY, "effective_from": "2026-07", "note": "中组发〔2026〕1号",
            "up_to_1": "4000", "percent_1": "0.5", "up_to_2": "8000", "percent_2": "1", "percent_3": "2"}
    data.update(extra)
    return data


def test_the_street_administrator_enters_new_brackets_from_a_month_and_earlier_months_keep_theirs(world, client_for):
    client = client_for("street_admin")
    page = client.get(reverse(URL))
    assert page.status_code == 200 and b'name="percent_1"' in page.content
    response = post(client, reverse(URL), _brackets())
    assert response.status_code == 302
    rows = list(DuesRate.objects.filter(basis=Basis.SALARY, effective_from=date(2026, 7, 1)).order_by("id"))
    assert [(r.up_to, r.percent) for r in rows] == [(Decimal("4000.00"), Decimal("0.50")),
                                                   (Decimal("8000.00"), Decimal("1.00")), (None, Decimal("2.00"))]
    assert monthly_due(basis=Basis.SALARY, base=Decimal("3500.00"), month=date(2026, 6, 1)) == Decimal("35.00")
    assert monthly_due(basis=Basis.SALARY, base=Decimal("3500.00"), month=date(2026, 7, 1)) == Decimal("17.50")
    event = AuditEvent.objects.get(action="money.rates.change")
    assert event.detail == {"basis": "salary", "from": "2026-07-01", "rows": 3}
    shown = client.get(reverse(URL)).content.decode()
    assert 'data-from="2026-07"' in shown and "中组发〔2026〕1号" in shown


def test_a_fixed_amount_for_a_group(world, client_for):
    response = post(client_for("street_admin"), reverse(URL),
                    {"basis": Basis.STUDENT, "effective_from": "2026-06", "fixed": "0.50"})
    assert response.status_code == 302
    assert monthly_due(basis=Basis.STUDENT, base=None, month=date(2026, 6, 1)) == Decimal("0.50")
    assert monthly_due(basis=Basis.STUDENT, base=None, month=date(2026, 5, 1)) == Decimal("0.20")


@pytest.mark.parametrize("persona", ["community_secretary", "branch_secretary_a", "treasurer_a", "member"])
def test_others_read_the_rates_but_cannot_change_them(world, client_for, persona):
    client = client_for(persona)
    page = client.get(reverse(URL))
    assert page.status_code == 200
    assert b'name="percent_1"' not in page.content and "0.5" in page.content.decode()
    assert post(client, reverse(URL), _brackets()).status_code == 404
    assert not DuesRate.objects.filter(effective_from=date(2026, 7, 1)).exists()


@pytest.mark.parametrize(("data", "message"), [
    (_brackets(effective_from="2026-04"), "current month or later"),
    (_brackets(effective_from="2026-13"), "YYYY-MM"),
    (_brackets(up_to_2="3000"), "higher than the one before"),
    (_brackets(percent_3="", up_to_3=""), "no upper limit"),
    (_brackets(percent_2=""), "share in per cent"),
    (_brackets(percent_1="150"), "100"),
    (_brackets(up_to_1="四千"), "Enter an amount in yuan"),
    (_brackets(basis=Basis.RURAL), "leave the brackets empty"),
    ({"basis": Basis.RURAL, "effective_from": "2026-07"}, "fixed monthly amount"),
    ({"basis": Basis.SALARY, "effective_from": "2026-07"}, "Enter the brackets"),
    ({"basis": "gold", "effective_from": "2026-07"}, "valid choice"),
])
def test_bad_input_is_refused_with_a_message_and_nothing_is_written(world, client_for, data, message):
    before = DuesRate.objects.count()
    response = post(_english(client_for("street_admin")), reverse(URL), data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert DuesRate.objects.count() == before


def test_a_change_cannot_take_effect_under_months_already_collected(world, client_for):
    member = world.member_a
    services.declare_base(member=member, year=2026, basis=Basis.SALARY, amount="4200.00",
                          by=world.users["treasurer_a"])
    services.record_payment(member=member, months=[date(2026, 7, 1), date(2026, 8, 1)], key=factories.key(),
                            by=world.users["treasurer_a"])
    response = post(_english(client_for("street_admin")), reverse(URL), _brackets())
    assert response.status_code == 400
    assert "2026-09" in response.content.decode()
    assert post(client_for("street_admin"), reverse(URL), _brackets(effective_from="2026-09")).status_code == 302


def test_the_same_month_twice_is_refused(world, client_for):
    client = _english(client_for("street_admin"))
    assert post(client, reverse(URL), _brackets()).status_code == 302
    again = post(client, reverse(URL), _brackets())
    assert again.status_code == 400 and "exist already" in again.content.decode()


def test_the_page_reads_every_schedule_in_a_bounded_number_of_queries(world, client_for, django_assert_max_num_queries):
    client = client_for("street_admin")
    client.get(reverse(URL))
    for month in ("2026-07", "2026-08", "2026-09"):
        post(client, reverse(URL), _brackets(effective_from=month))
    with django_assert_max_num_queries(12):
        assert client.get(reverse(URL)).status_code == 200
