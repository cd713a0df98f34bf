"""The default rule set a street starts from (docs/points.md explains the figures)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.db import transaction

from .models import PointRule, RuleCode

# code: (points, per hour, yearly cap)
DEFAULT_RULES: dict[str, tuple[str, bool, str | None]] = {
    RuleCode.SERVICE_HOUR: ("2", True, "200"),
    RuleCode.ACTIVITY: ("1", False, "50"),
    RuleCode.MEETING_ATTENDANCE: ("1", False, None),
    RuleCode.MEETING_ABSENCE: ("-1", False, None),
    RuleCode.STUDY: ("0.5", False, "60"),
    RuleCode.QUIZ_PASSED: ("1", False, "24"),
    RuleCode.REQUEST_RESOLVED: ("2", False, "60"),
    RuleCode.WISH_FULFILLED: ("3", False, "30"),
    RuleCode.VISIT: ("1", False, "52"),
}


@transaction.atomic
def install_default_rules(organization, *, effective_from: date, by=None) -> int:
    """Create the default rules at the organization; codes it already rules are left alone."""
    ruled = set(PointRule.objects.filter(organization=organization, activity_kind="").values_list("code", flat=True))
    rules = [
        PointRule(organization=organization, code=code, points=Decimal(points), per_hour=per_hour,
                  yearly_cap=Decimal(cap) if cap else None, effective_from=effective_from,
                  note="default rule set", created_by=by)
        for code, (points, per_hour, cap) in DEFAULT_RULES.items() if code not in ruled
    ]
    PointRule.objects.bulk_create(rules)
    return len(rules)


# name: (metric, threshold, icon, description)
DEFAULT_BADGES: dict[str, tuple[str, str, str, str]] = {
    "服务之星": ("hours", "100", "star-fill", "一年志愿服务满100小时（参照星级志愿者一星标准）"),
    "积分标兵": ("points", "200", "trophy-fill", "一年积分达到200分"),
    "热心参与": ("activities", "12", "heart-fill", "一年参加活动满12次（平均每月一次）"),
}


@transaction.atomic
def install_default_badges(organization, *, by=None) -> int:
    """Create the default titles at the organization; names it already has are left alone."""
    from .models import Badge

    taken = set(Badge.objects.filter(organization=organization).values_list("name", flat=True))
    badges = [Badge(organization=organization, name=name, metric=metric, threshold=Decimal(threshold), icon=icon,
                    description=description, created_by=by)
              for name, (metric, threshold, icon, description) in DEFAULT_BADGES.items() if name not in taken]
    Badge.objects.bulk_create(badges)
    return len(badges)
