"""The demo's points shop (积分超市): everyday goods and services at 幸福社区's party and mass
service centre, priced in points. The service demo, which posts the points, also has some members
redeem them."""

from __future__ import annotations

from decimal import Decimal

from .models import Reward

REWARDS = [
    # name, points, stock
    ("社区食堂餐券（10元）", 10, 120),
    ("洗衣液（2千克）", 30, 40),
    ("晴雨伞", 40, 30),
    ("保温杯", 60, 20),
    ("家电清洗上门服务一次", 100, 8),
    ("党史读本《中国共产党简史》", 50, 15),
]


def build(ctx) -> None:
    xingfu = ctx["communities"]["xingfu"]
    ctx["rewards"] = Reward.objects.bulk_create(
        Reward(organization=xingfu, name=name, price=Decimal(price), stock=stock) for name, price, stock in REWARDS)
