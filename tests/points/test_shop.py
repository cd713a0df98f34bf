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
