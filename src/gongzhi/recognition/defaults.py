"""The default titles a street starts from (docs/recognition.md explains the figures)."""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction

from .models import Badge

# name: (metric, threshold, icon, description)
DEFAULT_BADGES: dict[str, tuple[str, str, str, str]] = {
    "服务之星": ("hours", "100", "star-fill", "一年志愿服务满100小时（参照星级志愿者一星标准）"),
    "积分标兵": ("points", "200", "trophy-fill", "一年积分达到200分"),
    "热心参与": ("activities", "12", "heart-fill", "一年参加活动满12次（平均每月一次）"),
}


@transaction.atomic
def install_default_badges(organization, *, by=None) -> int:
    """Create the default titles at the organization; names it already has are left alone."""
    taken = set(Badge.objects.filter(organization=organization).values_list("name", flat=True))
    badges = [Badge(organization=organization, name=name, metric=metric, threshold=Decimal(threshold), icon=icon,
                    description=description, created_by=by)
              for name, (metric, threshold, icon, description) in DEFAULT_BADGES.items() if name not in taken]
    Badge.objects.bulk_create(badges)
    return len(badges)
