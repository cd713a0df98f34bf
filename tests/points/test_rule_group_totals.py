"""What the caps count (``points.caps``): every entry with a rule adds to its group's month and year, a reversal
gives its points (and so the cap) back, whichever code wrote the entries; the migration computes the rows from the
ledger as it stands."""

import importlib
from datetime import date
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.db import connection

from gongzhi.points import caps
from gongzhi.points.models import PointEntry, PointRule, RuleCode, RuleGroupTotal
from gongzhi.points.services import post_points, reverse_entry

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(world_copy):
    return world_copy


def _rows(member):
    return {(t.organization_id, t.code, t.year, t.month): t.points
            for t in RuleGroupTotal.objects.filter(member=member) if t.points}


def _visit_rule(world, **caps_of_rule):
    return PointRule.objects.create(organization=world.community_a, code=RuleCode.VISIT, points=Decimal(2),
                                    effective_from=date(2025, 1, 1), **caps_of_rule)


def _visit(world, key, day=date(2025, 5, 5)):
    return post_points(member=world.member_a, code=RuleCode.VISIT, key=key, occurred_on=day)


def test_a_rules_entries_add_to_its_groups_month_and_year_and_given_points_to_none(world):
    rule = _visit_rule(world)
    _visit(world, "may")
    _visit(world, "june", date(2025, 6, 1))
    post_points(member=world.member_a, code=RuleCode.MANUAL_AWARD, key="given", occurred_on=date(2025, 5, 5),
                points=Decimal(9), organization=world.community_a)
    group = (rule.organization_id, RuleCode.VISIT)
    assert _rows(world.member_a) == {(*group, 2025, 5): Decimal(2), (*group, 2025, 6): Decimal(2),
                                     (*group, 2025, 0): Decimal(4)}
    assert caps.verify() == []


def test_a_reversed_entry_gives_its_cap_back(world):
    _visit_rule(world, yearly_cap=Decimal(4))
    first, second = _visit(world, "one"), _visit(world, "two")
    assert first.points == second.points == Decimal(2)
    assert _visit(world, "three") is None  # the cap of 4 is reached
    reverse_entry(entry=second, reason="录入有误", by=None)
    again = _visit(world, "four")
    assert again is not None and again.points == Decimal(2)  # the reversed 2 points count no more
    assert _visit(world, "five") is None
    assert caps.verify() == []


def test_the_reversal_of_an_entry_without_a_rule_changes_no_group(world):
    entry = post_points(member=world.member_a, code=RuleCode.MANUAL_AWARD, key="given", points=Decimal(3),
                        occurred_on=date(2025, 5, 5), organization=world.community_a)
    reverse_entry(entry=entry, reason="录入有误", by=None)
    assert _rows(world.member_a) == {}
    assert caps.verify() == []


def test_entries_written_in_bulk_count_for_the_caps_too(world):
    rule = _visit_rule(world, monthly_cap=Decimal(3))
    PointEntry.objects.bulk_create([PointEntry(
        member=world.member_a, organization=world.community_a, points=Decimal(2), code=RuleCode.VISIT, rule=rule,
        idempotency_key="bulk", occurred_on=date(2025, 5, 1))])
    assert _visit(world, "after").points == Decimal(1)
    assert caps.verify() == []


def test_the_migration_computes_the_groups_totals_from_the_ledger(world):
    rule = _visit_rule(world)
    other = PointRule.objects.create(organization=world.street_a, code=RuleCode.VISIT, points=Decimal(5),
                                     activity_kind="", effective_from=date(2024, 1, 1), effective_to=date(2024, 12, 31))
    caps.switch(connection, on=False)  # a ledger written before the table existed
    _visit(world, "may")
    reversed_entry = _visit(world, "may again", date(2025, 5, 20))
    _visit(world, "june", date(2025, 6, 1))
    reverse_entry(entry=reversed_entry, reason="重复", by=None)
    post_points(member=world.member_b, code=RuleCode.VISIT, key="last year", occurred_on=date(2024, 3, 3))
    post_points(member=world.member_a, code=RuleCode.MANUAL_AWARD, key="given", occurred_on=date(2025, 5, 5),
                points=Decimal(9), organization=world.community_a)
    assert not RuleGroupTotal.objects.exists()
    assert caps.verify() != []
    migration = importlib.import_module("gongzhi.points.migrations.0017_rule_group_totals")
    with connection.cursor() as cursor:
        migration.forwards(None, SimpleNamespace(connection=connection, execute=cursor.execute))
    group = (rule.organization_id, RuleCode.VISIT)
    assert _rows(world.member_a) == {(*group, 2025, 5): Decimal(2), (*group, 2025, 6): Decimal(2),
                                     (*group, 2025, 0): Decimal(4)}
    street = (other.organization_id, RuleCode.VISIT)
    assert _rows(world.member_b) == {(*street, 2024, 3): Decimal(5), (*street, 2024, 0): Decimal(5)}
    assert caps.verify() == []
    _visit(world, "after the migration", date(2025, 6, 2))  # the trigger is back
    assert _rows(world.member_a)[(*group, 2025, 0)] == Decimal(6)
    assert caps.verify() == []
