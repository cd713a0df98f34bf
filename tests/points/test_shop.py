"""The points shop: price and stock are checked under locks; a double tap redeems once."""

from datetime import date
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from gongzhi.points import shop
from gongzhi.points.models import PointEntry, Redemption, Reward, RuleCode
from gongzhi.points.services import PointsError, balance
from tests.service.factories import post


@pytest.fixture
def world(world_copy):
    return world_copy


pytestmark = pytest.mark.django_db


@pytest.fixture
def rich(world):
    PointEntry.objects.create(member=world.member_a, organization=world.branch_a, points=Decimal(12),
                              code=RuleCode.MANUAL_AWARD, idempotency_key="seed", occurred_on=date(2025, 1, 2))
    return world


def test_redeeming_costs_the_price_and_one_unit_of_stock_once_per_key(rich, client_for):
    reward = Reward.objects.create(organization=rich.community_a, name="环保袋", price=Decimal(5), stock=2)
    client = client_for("member")
    url = reverse("points:redeem", args=[reward.pk])
    post(client, url, {"key": "tap"})
    post(client, url, {"key": "tap"})
    reward.refresh_from_db()
    assert (reward.stock, Redemption.objects.count(), balance(rich.member_a)) == (1, 1, Decimal(7))
    entry = Redemption.objects.get().entry
    assert (entry.code, entry.points) == (RuleCode.REDEMPTION, Decimal(-5))


def test_not_enough_points_or_stock_is_refused_without_writing(rich):
    dear = Reward.objects.create(organization=rich.community_a, name="电饭煲", price=Decimal(50), stock=1)
    with pytest.raises(PointsError):
        shop.redeem(member=rich.member_a, reward=dear, key="a", by=None)
    empty = Reward.objects.create(organization=rich.community_a, name="毛巾", price=Decimal(1), stock=0)
    with pytest.raises(PointsError):
        shop.redeem(member=rich.member_a, reward=empty, key="b", by=None)
    assert not Redemption.objects.exists() and balance(rich.member_a) == Decimal(12)


def test_stock_cannot_go_negative_in_the_database(world):
    with pytest.raises(IntegrityError), transaction.atomic():
        Reward.objects.create(organization=world.community_a, name="x", price=Decimal(1), stock=-1)


def test_members_see_the_shop_of_organizations_above_them_only(world, client_for):
    Reward.objects.create(organization=world.community_a, name="社区礼品", price=Decimal(1), stock=1)
    Reward.objects.create(organization=world.community_x, name="外街礼品", price=Decimal(1), stock=1)
    body = client_for("member").get(reverse("points:shop")).content.decode()
    assert "社区礼品" in body and "外街礼品" not in body


def test_staff_mark_an_item_handed_over_once_and_it_can_no_longer_be_cancelled(rich, client_for):
    reward = Reward.objects.create(organization=rich.community_a, name="雨伞", price=Decimal(5), stock=3)
    redemption, _created = shop.redeem(member=rich.member_a, reward=reward, key="h1", by=None)
    staff = client_for("community_staff")
    assert redemption.reward.name in staff.get(reverse("points:redemptions")).content.decode()
    post(staff, reverse("points:hand_over", args=[redemption.pk]))
    post(staff, reverse("points:hand_over", args=[redemption.pk]))
    redemption.refresh_from_db()
    assert redemption.handed_over_by == rich.users["community_staff"]
    with pytest.raises(PointsError):
        shop.cancel(redemption=redemption, reason="弄错了", by=rich.users["community_staff"])
    assert 'data-state="handed_over"' in client_for("member").get(reverse("points:shop")).content.decode()


def test_cancelling_gives_the_points_back_by_a_reversing_entry_and_restores_the_stock(rich, client_for):
    reward = Reward.objects.create(organization=rich.community_a, name="毛巾", price=Decimal(5), stock=1)
    redemption, _created = shop.redeem(member=rich.member_a, reward=reward, key="c1", by=None)
    assert balance(rich.member_a) == Decimal(7)
    staff = client_for("community_staff")
    post(staff, reverse("points:cancel_redemption", args=[redemption.pk]), {"reason": "库存登记错误"})
    post(staff, reverse("points:cancel_redemption", args=[redemption.pk]), {"reason": "库存登记错误"})
    reward.refresh_from_db()
    redemption.refresh_from_db()
    assert (reward.stock, balance(rich.member_a)) == (1, Decimal(12))
    assert redemption.cancelled_at is not None
    assert PointEntry.objects.filter(reverses=redemption.entry).count() == 1  # the ledger keeps both entries
    assert client_for("foreign_secretary").get(reverse("points:redemptions")).status_code in (200, 404)
    assert redemption.reward.name not in client_for("foreign_secretary").get(
        reverse("points:redemptions")).content.decode()


def test_cancelling_needs_a_reason(rich):
    reward = Reward.objects.create(organization=rich.community_a, name="水杯", price=Decimal(5), stock=1)
    redemption, _created = shop.redeem(member=rich.member_a, reward=reward, key="c2", by=None)
    with pytest.raises(PointsError):
        shop.cancel(redemption=redemption, reason=" ", by=None)
