"""The four rule codes are posted where their events happen, and activation counts every kind of
service record (check-ins, care visits, fulfilled wishes), as docs/domain.md defines it."""

from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.utils import timezone

from gongzhi.care.models import Pairing
from gongzhi.care.services import log_visit
from gongzhi.points.defaults import install_default_rules
from gongzhi.points.models import PointEntry, RuleCode
from gongzhi.recognition import selectors
from gongzhi.service import services as service
from gongzhi.service.models import SignUp, SignUpStatus
from gongzhi.voice import services as voice
from gongzhi.voice.models import Wish, WishStatus
from tests.service.factories import activity
from tests.voice.factories import request_in


@pytest.fixture
def world(world_copy):
    return world_copy


pytestmark = pytest.mark.django_db
TZ = ZoneInfo("Asia/Shanghai")


@pytest.fixture
def rules(world):
    install_default_rules(world.street_a, effective_from=date(2020, 1, 1))
    return world


def _entries(member, code):
    return list(PointEntry.objects.filter(member=member, code=code))


def test_checking_in_posts_the_activity_points_once(rules):
    a = activity(rules.branch_a, starts_in=timedelta(minutes=-10), requires_signup=False)
    service.check_in(a, rules.member_a, by=rules.users["member"])
    service.check_in(a, rules.member_a, by=rules.users["member"])  # a second tap
    entries = _entries(rules.member_a, RuleCode.ACTIVITY)
    assert [(e.points, e.organization) for e in entries] == [(Decimal(1), rules.branch_a)]


def test_the_no_shows_command_deducts_once_for_a_sign_up_without_check_in_or_leave(rules):
    past = activity(rules.branch_a, starts_in=timedelta(days=-2))
    SignUp.objects.create(activity=past, member=rules.member_a, status=SignUpStatus.SIGNED_UP)  # no-show
    SignUp.objects.create(activity=past, member=rules.member_b, status=SignUpStatus.CANCELLED)  # asked leave
    SignUp.objects.create(activity=past, member=rules.member_reported, status=SignUpStatus.SIGNED_UP)
    service.check_in(past, rules.member_reported, by=None, at=past.starts_at)  # came
    cancelled = activity(rules.branch_a, starts_in=timedelta(days=-3), cancelled_at=timezone.now())
    SignUp.objects.create(activity=cancelled, member=rules.member_a, status=SignUpStatus.SIGNED_UP)
    future = activity(rules.branch_a, starts_in=timedelta(days=2))
    SignUp.objects.create(activity=future, member=rules.member_b, status=SignUpStatus.SIGNED_UP)

    call_command("no_shows")
    call_command("no_shows")  # re-running posts nothing twice
    assert [e.points for e in _entries(rules.member_a, RuleCode.NO_SHOW)] == [Decimal(-1)]
    assert PointEntry.objects.filter(code=RuleCode.NO_SHOW).count() == 1


def test_a_request_resolved_by_a_party_member_earns_the_points_once(rules):
    req = request_in(rules)
    voice.resolve(req, by=rules.users["member"], note="换了灯泡")
    assert [e.points for e in _entries(rules.member_a, RuleCode.REQUEST_RESOLVED)] == [Decimal(2)]
    other = request_in(rules, phone="13800002222")
    voice.resolve(other, by=rules.users["community_staff"], note="已处理")  # staff without a member record
    assert PointEntry.objects.filter(code=RuleCode.REQUEST_RESOLVED).count() == 1


def test_logging_a_care_visit_earns_the_paired_member_the_visit_points(rules):
    pairing = Pairing.objects.create(member=rules.member_a, resident=rules.resident_a, started_on=date(2025, 1, 1))
    visit, _ = log_visit(pairing=pairing, visited_on=timezone.localdate(), by=rules.users["member"], key="v1")
    log_visit(pairing=pairing, visited_on=timezone.localdate(), by=rules.users["member"], key="v1")  # a retry
    entries = _entries(rules.member_a, RuleCode.VISIT)
    assert [(e.points, e.organization, e.source_id) for e in entries] == [
        (Decimal(1), rules.community_a, str(visit.pk))]


def test_a_unit_pairing_visit_earns_no_member_points(rules):
    pairing = Pairing.objects.create(unit=rules.unit, resident=rules.resident_a, started_on=date(2025, 1, 1))
    log_visit(pairing=pairing, visited_on=timezone.localdate(), by=rules.users["unit_admin"])
    assert not PointEntry.objects.filter(code=RuleCode.VISIT).exists()


def test_activation_counts_care_visits_and_fulfilled_wishes(world):
    march = (date(2025, 3, 1), date(2025, 3, 31))
    assert selectors.activation(world.community_a, *march)["active"] == 0
    pairing = Pairing.objects.create(member=world.member_a, resident=world.resident_a, started_on=date(2025, 1, 1))
    pairing.visits.create(visited_on=date(2025, 3, 4))
    Wish.objects.create(community=world.community_a, text="修理轮椅", status=WishStatus.CONFIRMED,
                        claimed_by=world.member_b, fulfilled_at=datetime(2025, 3, 20, 10, tzinfo=TZ))
    Wish.objects.create(community=world.community_a, text="买菜", status=WishStatus.CLAIMED,
                        claimed_by=world.member_reported)  # claimed, not fulfilled: no service yet
    figures = selectors.activation(world.community_a, *march)
    assert (figures["total"], figures["active"]) == (3, 2)
    names = {m.name for m in selectors.not_activated(world.community_a, *march)}
    assert names == {world.member_reported.name}
    assert selectors.activation(world.community_a, date(2025, 4, 1), date(2025, 4, 30))["active"] == 0
