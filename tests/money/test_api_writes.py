"""Writes through the API: income bases (declared, never answered), budget lines and expenditures with their
receipt (idempotent, the same checks as the page), and the rate schedules read; scoping as the pages."""

import base64
from datetime import date
from decimal import Decimal

import pytest
import time_machine
from django.conf import settings

from gongzhi.core.models import AuditEvent
from gongzhi.money import services
from gongzhi.money.models import BudgetLine, DuesBase, Expenditure, ExpenditureStatus

from . import factories
from .test_pages import post_json

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(date(2026, 5, 20), tick=False):
        yield


def _english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def _line(world, amount="3000.00"):
    return services.save_budget_line(organization=world.community_a, year=2026, source="allocation",
                                     purpose="activities", amount=Decimal(amount), by=world.users["community_staff"])


def _spend(world, **extra):
    body = {"organization_id": world.community_a.pk, "line_id": _line(world).pk, "spent_on": "2026-05-18",
            "amount": "260.00", "purpose": "饺子宴食材", "payee": "惠民超市", "receipt_name": "receipt.png",
            "receipt_base64": factories.png64(), "key": "api-spend-0001"}
    body.update(extra)
    return body


def test_a_member_declares_the_year_base_and_the_amount_is_never_answered(world, client_for):
    client = client_for("member")
    body = {"member_id": world.member_a.pk, "year": 2026, "basis": "salary", "amount": "4200.00"}
    first = post_json(client, "/api/dues/bases", body)
    assert first.status_code == 201 and first.json() == {"member_id": world.member_a.pk, "year": 2026,
                                                         "basis": "salary", "declared": True}
    again = post_json(client, "/api/dues/bases", {**body, "amount": "4500.00"})
    assert again.status_code == 200 and "4500" not in again.content.decode()
    assert DuesBase.objects.get(member=world.member_a, year=2026).amount == Decimal("4500.00")
    assert all("4500" not in str(e.detail) for e in AuditEvent.objects.filter(action__startswith="money.base"))


@pytest.mark.parametrize("persona", ["community_secretary", "branch_secretary_b", "supervisor", "resident"])
def test_nobody_else_declares_a_members_base(world, client_for, persona):
    body = {"member_id": world.member_a.pk, "year": 2026, "basis": "pension", "amount": "3000.00"}
    assert post_json(client_for(persona), "/api/dues/bases", body).status_code == 404
    assert not DuesBase.objects.filter(member=world.member_a).exists()


def test_a_salary_base_without_an_amount_is_a_422_with_the_reason(world, client_for):
    response = post_json(_english(client_for("treasurer_a")), "/api/dues/bases",
                         {"member_id": world.member_a.pk, "year": 2026, "basis": "salary"})
    assert response.status_code == 422 and "monthly income" in response.content.decode()


def test_budget_lines_are_added_and_changed_never_below_what_they_spent(world, client_for):
    client = _english(client_for("community_staff"))
    body = {"organization_id": world.community_a.pk, "year": 2026, "source": "cobuilding", "purpose": "care",
            "amount": "800.00"}
    created = post_json(client, "/api/funds/lines", body)
    assert created.status_code == 201 and created.json()["remaining"] == "800.00"
    changed = post_json(client, "/api/funds/lines", {**body, "amount": "1200.00"})
    assert changed.status_code == 200 and changed.json()["amount"] == "1200.00"
    assert BudgetLine.objects.filter(organization=world.community_a).count() == 1
    line = BudgetLine.objects.get(organization=world.community_a)
    services.record_expenditure(organization=world.community_a, line=line, spent_on=date(2026, 5, 1),
                                amount=Decimal("500.00"), purpose="慰问品", payee="超市", receipt=factories.png(),
                                key=factories.key(), by=world.users["community_staff"])
    refused = post_json(client, "/api/funds/lines", {**body, "amount": "400.00"})
    assert refused.status_code == 422 and "500.00" in refused.content.decode()
    assert post_json(client_for("branch_secretary_a"), "/api/funds/lines", body).status_code == 404


def test_an_expenditure_with_its_receipt_counts_once_however_often_it_is_sent(world, client_for):
    client = client_for("community_staff")
    body = _spend(world)
    first = post_json(client, "/api/funds/expenditures", body)
    assert first.status_code == 201 and first.json()["status"] == ExpenditureStatus.COUNTED
    second = post_json(client, "/api/funds/expenditures", body)
    assert second.status_code == 200 and second.json()["id"] == first.json()["id"]
    assert Expenditure.objects.count() == 1
    assert BudgetLine.objects.get().spent == Decimal("260.00")
    receipt = client.get(f"/money/expenditures/{first.json()['id']}/receipt/")
    assert receipt.status_code == 200


def test_above_the_approval_amount_it_waits_for_a_second_person(world, client_for):
    response = post_json(client_for("community_staff"), "/api/funds/expenditures",
                         _spend(world, amount="1500.00", key="api-spend-0002"))
    assert response.status_code == 201 and response.json()["status"] == ExpenditureStatus.PENDING
    assert BudgetLine.objects.get().spent == Decimal("0.00")


@pytest.mark.parametrize(("extra", "message"), [
    ({"receipt_base64": base64.b64encode(b"MZ\x90\x00 not a photo").decode()}, "neither"),
    ({"receipt_base64": "@@@@not base64"}, "base64"),
    ({"amount": "5000.00"}, "left"),
    ({"spent_on": "2026-06-01"}, "future"),
    ({"spent_on": "2025-12-31"}, "year"),
])
def test_bad_expenditures_get_a_reason_and_write_nothing(world, client_for, extra, message):
    response = post_json(_english(client_for("community_staff")), "/api/funds/expenditures", _spend(world, **extra))
    assert response.status_code == 422
    assert message in response.content.decode()
    assert not Expenditure.objects.exists()


def test_a_line_or_activity_of_another_organization_is_refused(world, client_for):
    foreign_line = services.save_budget_line(organization=world.community_x, year=2026, source="allocation",
                                             purpose="activities", amount=Decimal("900.00"),
                                             by=world.users["foreign_secretary"])
    response = post_json(client_for("community_staff"), "/api/funds/expenditures",
                         _spend(world, line_id=foreign_line.pk))
    assert response.status_code == 422 and not Expenditure.objects.exists()
    assert post_json(client_for("community_staff"), "/api/funds/expenditures",
                     _spend(world, organization_id=world.community_x.pk)).status_code == 404


def test_the_rate_schedules_are_read_by_whoever_deals_with_dues(world, client_for):
    rows = client_for("member").get("/api/dues/rates").json()["items"]
    salary = [r for r in rows if r["basis"] == "salary" and r["in_force"]]
    assert [r["percent"] for r in salary[0]["rates"]] == ["0.50", "1.00", "1.50", "2.00"]
    assert client_for("resident").get("/api/dues/rates").status_code == 404
