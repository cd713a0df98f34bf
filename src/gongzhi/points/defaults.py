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
    RuleCode.NO_SHOW: ("-1", False, None),
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
