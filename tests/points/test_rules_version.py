"""The point rules' version (``points.rules``): changed by every write to the rules, never given twice, and the rule
in force remembered by the process while it stays the same."""

from datetime import date
from decimal import Decimal

import pytest
from django.db import transaction

from gongzhi.points import rules
from gongzhi.points.models import PointRule, RuleCode, RulesVersion
from gongzhi.points.services import effective_rule

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(world_copy):
    return world_copy


def _version():
    return RulesVersion.objects.filter(pk=1).values_list("version", flat=True).first()


def _rule(organization, points, **extra):
    return PointRule.objects.create(organization=organization, code=RuleCode.ACTIVITY, points=Decimal(points),
                                    effective_from=date(2020, 1, 1), **extra)


def test_every_write_to_the_rules_gives_a_number_never_given_before(world):
    rule = _rule(world.street_a, 3)
    seen = [_version()]
    assert seen[0] is not None
    PointRule.objects.filter(pk=rule.pk).update(points=Decimal(4))  # a queryset's update, no model save
    seen.append(_version())
    with transaction.atomic():
        _rule(world.community_a, 5)
        rolled_back = _version()
        transaction.set_rollback(True)
    assert _version() == seen[-1]  # the rollback restores the number the rules had
    PointRule.objects.filter(pk=rule.pk).delete()
    seen.append(_version())
    assert len(set([*seen, rolled_back])) == len(seen) + 1  # ... and the next write does not give it again
    assert rolled_back not in seen


def test_the_rule_in_force_is_remembered_while_the_version_stays_the_same(world, django_assert_num_queries):
    rules.forget()
    _rule(world.street_a, 3)
    version = _version()
    on = date(2026, 3, 2)
    assert effective_rule(organization=world.branch_a, code=RuleCode.ACTIVITY, on=on, version=version).points == 3
    with django_assert_num_queries(0):
        found = effective_rule(organization=world.branch_a, code=RuleCode.ACTIVITY, on=on, version=version)
    assert found.points == 3
    _rule(world.community_a, 5)  # deeper on the path: it wins, and the version changed with it
    assert _version() != version
    assert effective_rule(organization=world.branch_a, code=RuleCode.ACTIVITY, on=on, version=_version()).points == 5
    # Without a version nothing is remembered: the rules are read on every call.
    with django_assert_num_queries(1):
        assert effective_rule(organization=world.branch_a, code=RuleCode.ACTIVITY, on=on).points == 5
