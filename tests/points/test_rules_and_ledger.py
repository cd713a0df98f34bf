"""Default rules, rule validation and inheritance, the scoped ledger and reversals."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.urls import reverse

from gongzhi.points.defaults import DEFAULT_RULES
from gongzhi.points.models import PointEntry, PointRule, RuleCode
from gongzhi.points.services import RuleBook, effective_rule, effective_rules, post_points
from tests.factories import MemberFactory
from tests.service.factories import post


@pytest.fixture
def world(world_copy):
    return world_copy


pytestmark = pytest.mark.django_db


def test_default_rules_command_installs_the_set_once(world):
    call_command("points", "default_rules", "--org", "SA", "--from", "2025-01-01")
    call_command("points", "default_rules", "--org", "SA", "--from", "2025-01-01")
    rules = PointRule.objects.filter(organization=world.street_a)
    assert rules.count() == len(DEFAULT_RULES)
    hour = rules.get(code=RuleCode.SERVICE_HOUR)
    assert (hour.points, hour.per_hour) == (Decimal(2), True)
    assert rules.get(code=RuleCode.MEETING_ABSENCE).points == Decimal(-1)


def test_a_community_rule_overrides_the_street_rule_below_it(world):
    call_command("points", "default_rules", "--org", "SA", "--from", "2025-01-01")
    PointRule.objects.create(organization=world.community_a, code=RuleCode.VISIT, points=2,
                             effective_from=date(2025, 1, 1))
    assert effective_rule(organization=world.branch_a, code=RuleCode.VISIT, on=date(2025, 6, 1)).points == 2
    assert effective_rule(organization=world.unit_org, code=RuleCode.VISIT, on=date(2025, 6, 1)).points == 1
    rules = {code: rule for code, _kind, rule in effective_rules(world.branch_a, date(2025, 6, 1))}
    assert rules[RuleCode.VISIT].organization == world.community_a
    assert rules[RuleCode.STUDY].organization == world.street_a


def test_a_rule_book_answers_as_effective_rule_from_one_query(world, django_assert_num_queries):
    call_command("points", "default_rules", "--org", "SA", "--from", "2025-01-01")
    PointRule.objects.filter(organization=world.street_a, code=RuleCode.VISIT).update(effective_to=date(2025, 6, 30))
    PointRule.objects.create(organization=world.street_a, code=RuleCode.VISIT, points=3,
                             effective_from=date(2025, 7, 1))
    PointRule.objects.create(organization=world.community_a, code=RuleCode.ACTIVITY, activity_kind="elderly",
                             points=4, effective_from=date(2025, 1, 1))
    PointRule.objects.create(organization=world.branch_a, code=RuleCode.VISIT, points=5,
                             effective_from=date(2025, 9, 1))
    organizations = [world.street_a, world.community_a, world.branch_a, world.group_a1, world.unit_org,
                     world.branch_x]
    asked = [(org, code, day, kind) for org in organizations
             for code in (RuleCode.VISIT, RuleCode.ACTIVITY, RuleCode.STUDY)
             for day in (date(2024, 12, 31), date(2025, 6, 30), date(2025, 7, 1), date(2025, 9, 1))
             for kind in ("", "elderly")]
    with django_assert_num_queries(1):
        book = RuleBook(organizations=organizations, codes=[RuleCode.VISIT, RuleCode.ACTIVITY, RuleCode.STUDY])
        answers = [book.rule(organization=org, code=code, on=day, activity_kind=kind)
                   for org, code, day, kind in asked]
    expected = [effective_rule(organization=org, code=code, on=day, activity_kind=kind)
                for org, code, day, kind in asked]
    assert answers == expected
    assert {rule.points for rule in answers if rule is not None} >= {Decimal(1), 3, 4, 5}
    assert None in answers  # nothing in force before 2025, nothing in the foreign street


def test_rules_page_refuses_negative_caps_and_overlapping_periods(world, client_for):
    client = client_for("community_secretary")
    url = reverse("points:rules", args=[world.community_a.pk])
    base = {"code": "visit", "activity_kind": "", "points": "2", "effective_from": "2025-01-01"}
    response = post(client, url, {**base, "yearly_cap": "-5"})
    assert response.status_code == 400 and not PointRule.objects.exists()
    assert post(client, url, base).status_code == 302
    response = post(client, url, {**base, "effective_from": "2025-06-01"})
    assert response.status_code == 400
    assert "2025-01-01" in response.content.decode()
    assert PointRule.objects.count() == 1
    # another activity kind is another rule
    assert post(client, url, {**base, "activity_kind": "elderly"}).status_code == 302


def test_branch_secretary_reads_rules_but_cannot_add(world, client_for):
    client = client_for("branch_secretary_a")
    url = reverse("points:rules", args=[world.branch_a.pk])
    assert client.get(url).status_code == 200
    assert post(client, url, {"code": "visit", "points": "2", "effective_from": "2025-01-01"}).status_code == 404


def _rule(world):
    return PointRule.objects.create(organization=world.street_a, code=RuleCode.VISIT, points=1,
                                    effective_from=date(2020, 1, 1))


def test_a_unit_sees_entries_of_its_members_earned_in_the_community(world):
    _rule(world)
    served = post_points(member=world.member_reported, code=RuleCode.VISIT, key="v1", occurred_on=date(2025, 3, 1),
                         organization=world.branch_a)
    other = post_points(member=world.member_a, code=RuleCode.VISIT, key="v2", occurred_on=date(2025, 3, 1))
    visible = set(PointEntry.objects.visible_to(world.users["unit_admin"]))
    assert visible == {served}
    assert other in PointEntry.objects.visible_to(world.users["branch_secretary_a"])
    assert other not in PointEntry.objects.visible_to(world.users["branch_secretary_b"])


def test_ledger_filters_by_member_code_and_month(world, client_for):
    _rule(world)
    post_points(member=world.member_a, code=RuleCode.VISIT, key="a", occurred_on=date(2025, 3, 1))
    post_points(member=world.member_b, code=RuleCode.VISIT, key="b", occurred_on=date(2025, 4, 1))
    post_points(member=world.member_a, code=RuleCode.MANUAL_AWARD, key="c", occurred_on=date(2025, 3, 5),
                points=Decimal(5), reason="表彰")
    client = client_for("community_staff")
    body = client.get(reverse("points:ledger"), {"month": "2025-03", "code": "visit"}).content.decode()
    assert body.count('id="entry-') == 1
    body = client.get(reverse("points:ledger"), {"member": "钱"}).content.decode()
    assert body.count('id="entry-') == 1


def test_ledger_queries_are_bounded(world, client_for, django_assert_max_num_queries):
    _rule(world)
    client = client_for("community_staff")
    post_points(member=world.member_a, code=RuleCode.VISIT, key="first", occurred_on=date(2025, 3, 1))
    with django_assert_max_num_queries(14):
        client.get(reverse("points:ledger"))
    for n in range(30):
        post_points(member=MemberFactory(home_org=world.branch_a), code=RuleCode.VISIT, key=f"k{n}",
                    occurred_on=date(2025, 3, 1))
    with django_assert_max_num_queries(14):
        assert client.get(reverse("points:ledger")).status_code == 200


def test_reversal_needs_a_reason_and_happens_once(world, client_for):
    _rule(world)
    entry = post_points(member=world.member_a, code=RuleCode.VISIT, key="r", occurred_on=date(2025, 3, 1))
    client = client_for("branch_secretary_a")
    url = reverse("points:reverse", args=[entry.pk])
    post(client, url, {"reason": ""})
    assert PointEntry.objects.count() == 1
    post(client, url, {"reason": "重复录入"})
    post(client, url, {"reason": "重复录入"})
    reversal = PointEntry.objects.get(reverses=entry)
    assert reversal.points == -entry.points and PointEntry.objects.count() == 2


def test_caps_count_the_rules_entries_of_the_month_and_of_the_year(world):
    PointRule.objects.create(organization=world.street_a, code=RuleCode.VISIT, points=Decimal(2),
                             monthly_cap=Decimal(3), yearly_cap=Decimal(7), effective_from=date(2024, 1, 1))

    def give(day, key):
        entry = post_points(member=world.member_a, code=RuleCode.VISIT, key=key, occurred_on=day)
        return entry.points if entry is not None else None

    assert give(date(2024, 12, 31), "last year") == 2  # another year's entries count for neither cap
    assert give(date(2025, 1, 31), "january") == 2
    assert give(date(2025, 2, 1), "february 1") == 2  # a new month
    assert give(date(2025, 2, 28), "february 28") == 1  # the month's cap of 3
    assert give(date(2025, 2, 28), "february again") is None
    assert give(date(2025, 12, 31), "december") == 2  # the year's cap of 7: 2 + 3 + 2
    assert give(date(2025, 11, 1), "november") is None
    assert give(date(2026, 1, 1), "next year") == 2
