"""The demo walk-through: in 幸福社区 a branch collects a month's dues on the sheet and hands them over, the
community confirms receipt, the secretary approves the dumpling banquet's ingredients with their receipt, and the
quarter's disclosure goes on the publicity board and is published; a few members are in arrears and the funds
run short, as the survey found."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db.models import Sum
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from gongzhi.accounts.models import User
from gongzhi.core.periods import Period
from gongzhi.members.models import Member
from gongzhi.money import selectors, services, stats
from gongzhi.money.models import DuesHandover, DuesPayment, Expenditure, ExpenditureStatus
from gongzhi.orgs.models import Organization
from gongzhi.publicity.models import Item, ItemStatus

pytestmark = pytest.mark.django_db
CSRF = "d" * 32


@pytest.fixture
def demo(module_demo, db):
    """The demo, loaded once for this module; each test runs in a savepoint."""


def _client(username: str) -> Client:
    client = Client(enforce_csrf_checks=True)
    client.force_login(User.objects.get(username=username))
    client.cookies["csrftoken"] = CSRF
    return client


def _post(client, url, data=None, **extra):
    return client.post(url, data or {}, HTTP_X_CSRFTOKEN=CSRF, **extra)


def test_the_demo_has_a_year_of_dues_a_few_in_arrears_and_funds_running_short(demo):
    xingfu = Organization.objects.get(name="幸福社区党委")
    today = timezone.localdate()
    assert DuesPayment.objects.filter(organization__parent=xingfu).values("month").distinct().count() >= 12
    arrears = selectors.arrears(xingfu, today)
    assert 1 <= len(arrears) <= 5 and any(a.warning for a in arrears)
    assert stats.payment_rate(xingfu, Period.year(today.year)) > Decimal(90)
    assert stats.spent_share(xingfu, Period.year(today.year)) > Decimal(80)
    banquet = Expenditure.objects.get(organization=xingfu, status=ExpenditureStatus.PENDING)
    assert "饺子宴" in banquet.purpose and banquet.receipt_type == "image/png"


def test_the_walk_through_from_the_phone_sheet_to_the_published_disclosure(demo):
    xingfu = Organization.objects.get(name="幸福社区党委")
    branch = Organization.objects.get(name="幸福社区第一网格党支部")
    month = f"{timezone.localdate():%Y-%m}"
    secretary = _client("zhibu1")
    sheet = secretary.get(reverse("money:sheet", args=[branch.pk]) + f"?month={month}")
    unpaid = [r for r in sheet.context["rows"] if not r.paid and r.assessment.due is not None]
    assert unpaid
    for n, row in enumerate(unpaid):
        response = _post(secretary, reverse("money:pay", args=[branch.pk]),
                         {"member": row.member.pk, "month": month, "key": f"walk-through-{n:04d}"},
                         HTTP_HX_REQUEST="true")
        assert response.status_code == 200
    assert Member.objects.filter(home_org=branch).current().count() == DuesPayment.objects.live().filter(
        organization=branch, month=f"{month}-01").count()
    outstanding = services.outstanding(branch)
    assert _post(secretary, reverse("money:handover_new", args=[branch.pk]), {"handed_on": str(timezone.localdate())}
                 ).status_code == 302
    handover = DuesHandover.objects.filter(organization=branch).latest("id")
    assert handover.amount == outstanding and handover.receiver == xingfu
    assert _post(_client("shegong"), reverse("money:handover_confirm", args=[handover.pk])).status_code == 302
    handover.refresh_from_db()
    assert handover.confirmed_at is not None

    banquet = Expenditure.objects.get(organization=xingfu, status=ExpenditureStatus.PENDING)
    assert _client("shuji").get(reverse("money:receipt", args=[banquet.pk])).status_code == 200
    assert _post(_client("shegong"), reverse("money:expenditure_step", args=[banquet.pk]),
                 {"action": "approve"}).status_code == 404  # the person who entered it
    assert _post(_client("shuji"), reverse("money:expenditure_step", args=[banquet.pk]),
                 {"action": "approve"}).status_code == 302
    banquet.refresh_from_db()
    assert banquet.status == ExpenditureStatus.COUNTED

    quarter = Period.containing("quarter", timezone.localdate())
    response = _post(_client("shegong"), reverse("money:disclosure", args=[xingfu.pk]), {
        "period": "quarter", "year": str(quarter.start.year), "number": str((quarter.start.month - 1) // 3 + 1)})
    assert response.status_code == 302
    item = Item.objects.get(organization=xingfu, source=services.disclosure_source(xingfu, quarter))
    assert item.status == ItemStatus.PENDING and "饺子宴" not in item.body
    assert _post(_client("shuji"), reverse("publicity:item_step", args=[item.pk]),
                 {"action": "approve", "publish_now": "on"}).status_code == 302
    item.refresh_from_db()
    assert item.status == ItemStatus.PUBLISHED and item.published_at is not None
    public = Client().get(reverse("publicity:public_item", args=[xingfu.code, item.pk]))
    assert public.status_code == 200 and "14900.00" in public.content.decode()


def test_the_boards_finance_disclosures_are_the_ledgers_own_figures(demo):
    """Every quarter since the board opened has its disclosure, drafted from the dues and funds ledgers: the
    published text is what ``disclosure.draft`` writes from the database today."""
    from gongzhi.money.disclosure import draft
    from gongzhi.publicity.models import Board

    xingfu = Organization.objects.get(name="幸福社区党委")
    today = timezone.localdate()
    period = Period.containing("quarter", Board.objects.get(organization=xingfu).opened_on)
    quarters = 0
    while period.end < today:
        item = Item.objects.get(organization=xingfu, source=services.disclosure_source(xingfu, period))
        assert item.status == ItemStatus.PUBLISHED and item.body == draft(xingfu, period)
        quarters += 1
        period = Period.containing("quarter", period.end + timedelta(days=1))
    assert quarters >= 4
    last = Period.containing("quarter", today).previous()
    body = Item.objects.get(source=services.disclosure_source(xingfu, last)).body
    collected = DuesPayment.objects.filter(organization__path__startswith=xingfu.path,
                                           paid_on__range=(last.start, last.end)).aggregate(s=Sum("amount"))["s"]
    assert f"{collected:.2f}" in body
