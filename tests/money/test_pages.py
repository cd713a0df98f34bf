"""The pages a person uses: the phone sheet's one tap (idempotent), a member's own dues and nobody else's, the
masked base with its logged reveal, the exports masked and logged, the statement import all-or-nothing with a
preview, and bad input answered with a message, never a 500."""

import io
from datetime import date
from decimal import Decimal

import openpyxl
import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from gongzhi.core.models import AuditEvent
from gongzhi.members.models import MemberCategory
from gongzhi.money import services
from gongzhi.money.models import Basis, DuesPayment
from tests.factories import MemberFactory

from . import factories

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(date(2026, 5, 20), tick=False):
        yield


@pytest.fixture
def based(world):
    services.declare_base(member=world.member_a, year=2026, basis=Basis.SALARY, amount="4200.00",
                          by=world.users["treasurer_a"])
    return world


CSRF = "m" * 32


def post(client, url, data=None, **extra):
    """A POST as a browser sends it: the CSRF cookie and the same token in the header."""
    client.cookies["csrftoken"] = CSRF
    return client.post(url, data or {}, HTTP_X_CSRFTOKEN=CSRF, **extra)


def post_json(client, url, data):
    client.cookies["csrftoken"] = CSRF
    return client.post(url, data, content_type="application/json", HTTP_X_CSRFTOKEN=CSRF)


def _tap(client, world, key="tap-key-000001"):
    return post(client, reverse("money:pay", args=[world.branch_a.pk]),
                {"member": world.member_a.pk, "month": "2026-05", "key": key}, HTTP_HX_REQUEST="true")


def test_one_tap_marks_the_month_paid_and_a_double_tap_records_once(based, client_for):
    client = client_for("branch_secretary_a")
    page = client.get(reverse("money:sheet", args=[based.branch_a.pk]) + "?month=2026-05")
    assert page.status_code == 200 and "42.00" in page.content.decode()
    first, second = _tap(client, based), _tap(client, based)
    assert first.status_code == 200 and 'data-paid="yes"' in first.content.decode()
    assert second.status_code == 200
    assert DuesPayment.objects.filter(member=based.member_a).count() == 1
    third = _tap(client, based, key="another-key-01")  # a second device with a stale sheet
    assert third.status_code == 400 and "2026-05" in third.content.decode()
    assert DuesPayment.objects.filter(member=based.member_a).count() == 1


def test_a_member_sees_his_own_dues_and_base_masked_and_nobody_elses(based, client_for):
    client = client_for("member")
    page = client.get(reverse("money:mine")).content.decode()
    assert "42.00" in page and "4200" not in page
    assert client.get(reverse("money:member", args=[based.member_b.pk])).status_code == 404
    revealed = post(client, reverse("money:reveal_base", args=[based.member_a.pk]), {"year": "2026"})
    assert "4200.00" in revealed.content.decode()
    assert AuditEvent.objects.filter(action="money.base.reveal", actor=based.users["member"]).count() == 1


def test_the_base_is_seen_by_the_branchs_dues_staff_only(based, client_for):
    for persona, status in (("treasurer_a", 200), ("branch_secretary_a", 200), ("community_secretary", 404),
                            ("street_admin", 404), ("supervisor", 404), ("branch_secretary_b", 404)):
        response = post(client_for(persona), reverse("money:reveal_base", args=[based.member_a.pk]), {"year": "2026"})
        assert response.status_code == status, persona
    page = client_for("community_secretary").get(reverse("money:member", args=[based.member_a.pk])).content.decode()
    assert "4200" not in page


def test_a_branchs_dues_staff_see_only_that_branch(based, client_for):
    client = client_for("treasurer_a")
    assert client.get(reverse("money:sheet", args=[based.branch_b.pk])).status_code == 404
    services.record_payment(member=based.member_b, months=[date(2026, 5, 1)], amount="5.00", key=factories.key(),
                            by=based.users["branch_secretary_b"])
    listed = client.get("/api/dues/payments").json()
    assert listed["count"] == 0
    own = client_for("member").get("/api/dues/payments").json()
    assert own["count"] == 0
    assert client_for("branch_secretary_b").get("/api/dues/payments").json()["count"] == 1


@pytest.mark.parametrize("data", [
    {"first": "2026-05", "amount": "-5", "method": "cash"}, {"first": "2026-05", "amount": "abc", "method": "cash"},
    {"first": "2026-13", "method": "cash"}, {"first": "2026-05", "method": "gold"},
    {"first": "2026-05", "last": "2020-01", "method": "cash"},
    {"first": "2026-05", "amount": "1e400", "method": "cash"},
])
def test_bad_payment_input_gets_a_message_not_a_500(based, client_for, data):
    response = post(client_for("treasurer_a"), reverse("money:member_pay", args=[based.member_a.pk]),
                                              {**data, "key": factories.key()})
    assert response.status_code == 400
    assert not DuesPayment.objects.exists()


def test_an_income_base_with_letters_is_refused_with_a_message(based, client_for):
    response = post(client_for("member"), reverse("money:declare_base", args=[based.member_a.pk]),
                                         {"year": "2026", "basis": "salary", "amount": "4千2"})
    assert response.status_code == 400 and "yuan" in response.content.decode() or "元" in response.content.decode()


def test_several_months_on_behalf_of_an_absent_member_from_the_page(based, client_for):
    response = post(client_for("treasurer_a"), reverse("money:member_pay", args=[based.member_a.pk]), {
        "first": "2026-02", "last": "2026-04", "method": "transfer", "paid_for_by": "赵磊的儿子",
        "key": factories.key()})
    assert response.status_code == 302
    assert list(DuesPayment.objects.order_by("month").values_list("month", "paid_for_by")) == [
        (date(2026, m, 1), "赵磊的儿子") for m in (2, 3, 4)]


def test_the_dues_export_masks_id_numbers_and_is_logged(based, client_for):
    services.record_payment(member=based.member_a, months=[date(2026, 3, 1)], key=factories.key(),
                            by=based.users["treasurer_a"])
    response = client_for("community_staff").get(reverse("money:export_dues", args=[based.branch_a.pk]) + "?year=2026")
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    cells = [str(c) for row in book.active.iter_rows(values_only=True) for c in row]
    assert based.member_a.id_number not in cells and "42" in " ".join(cells)
    assert based.member_a.id_number[:4] + "**********" + based.member_a.id_number[-4:] in cells
    assert AuditEvent.objects.filter(action="money.dues.export", detail__rows=1).exists()


def _statement(rows) -> SimpleUploadedFile:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["2026年5月党费代收明细"])
    sheet.append(["姓名", "身份证后四位", "所属月份", "金额", "交易日期"])
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return SimpleUploadedFile("statement.xlsx", buffer.getvalue())


def test_a_statement_is_imported_after_a_preview_all_at_once(based, client_for):
    based.member_b.home_org = based.branch_a
    based.member_b.category = MemberCategory.STUDENT
    based.member_b.save()
    client = client_for("treasurer_a")
    url = reverse("money:statement_import", args=[based.branch_a.pk])
    preview = post(client, url, {"action": "preview", "file": _statement([
        ["赵磊", "", "2026-03~2026-04", "84.00", "2026-05-03"], ["钱明", "", "2026年5月", "0.20", ""]])})
    assert preview.status_code == 200 and 'id="ready"' in preview.content.decode()
    assert not DuesPayment.objects.exists()
    token = preview.context["token"]
    done = post(client, url, {"action": "confirm", "token": token})
    assert done.status_code == 302
    assert DuesPayment.objects.filter(method="statement").count() == 3
    assert post(client, url, {"action": "confirm", "token": token}).status_code == 302
    assert DuesPayment.objects.count() == 3


def test_a_statement_with_one_bad_row_imports_nothing_and_says_why(based, client_for):
    MemberFactory(name="赵磊", home_org=based.branch_a, category=MemberCategory.RETIRED)
    client = client_for("treasurer_a")
    url = reverse("money:statement_import", args=[based.branch_a.pk])
    preview = post(client, url, {"action": "preview", "file": _statement([
        ["赵磊", "", "2026-04", "42.00", ""], ["王五", "", "2026-04", "10.00", ""],
        ["赵磊", based.member_a.id_number[-4:], "2026-04", "-3", ""]])})
    html = preview.content.decode()
    assert "matches 2 members" in html or "2 名" in html or "problems" in html
    assert len(preview.context["plan"].problems) == 3
    assert post(client, url, {"action": "confirm", "token": preview.context["token"]}).status_code == 302
    assert not DuesPayment.objects.exists()
    report = client.get(reverse("money:statement_report", args=[based.branch_a.pk]))
    assert report.status_code == 200 and report["Content-Type"].startswith("application/vnd.openxmlformats")


def test_a_file_that_is_not_a_spreadsheet_is_refused(based, client_for):
    response = post(client_for("treasurer_a"), reverse("money:statement_import", args=[based.branch_a.pk]), {
        "action": "preview", "file": SimpleUploadedFile("statement.xlsx", b"not a zip")})
    assert response.status_code == 400


def test_the_api_records_a_payment_once_for_one_key(based, client_for):
    client = client_for("treasurer_a")
    body = {"member_id": based.member_a.pk, "months": ["2026-05"], "key": "api-key-0001"}
    first = post_json(client, "/api/dues/payments", body)
    second = post_json(client, "/api/dues/payments", body)
    assert (first.status_code, second.status_code) == (201, 200)
    assert first.json()["payments"][0]["amount"] == "42.00"
    refused = post_json(client, "/api/dues/payments", {**body, "key": "api-key-0002"})
    assert refused.status_code == 422 and "2026-05" in refused.json()["detail"]
    assert post_json(client, "/api/dues/payments", {**body, "amount": "-1", "key": "api-key-0003"}).status_code == 422
    assert Decimal(client_for("member").get("/api/dues/mine").json()["current_due"]) == Decimal("42.00")
