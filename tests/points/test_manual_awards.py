"""Manual awards and deductions need a second person: the proposer cannot approve; approval posts once."""

from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from gongzhi.points import awards
from gongzhi.points.models import AwardStatus, ManualAward, PointEntry, RuleCode
from gongzhi.points.services import PointsError, balance
from tests.service.factories import post


@pytest.fixture
def world(world_copy):
    return world_copy


pytestmark = pytest.mark.django_db


def test_a_proposal_posts_nothing_until_a_colleague_approves_it_and_then_once(world, client_for):
    secretary, staff = client_for("community_secretary"), client_for("community_staff")
    response = post(secretary, reverse("points:manual_awards"), {
        "member": world.member_a.pk, "organization": world.community_a.pk, "points": "5", "reason": "疫情防控突出"})
    assert response.status_code == 302
    award = ManualAward.objects.get()
    assert award.status == AwardStatus.PENDING and balance(world.member_a) == 0
    post(secretary, reverse("points:manual_award_decide", args=[award.pk]), {"decision": "approve"})
    award.refresh_from_db()
    assert award.status == AwardStatus.PENDING  # the proposer may not approve
    post(staff, reverse("points:manual_award_decide", args=[award.pk]), {"decision": "approve"})
    post(staff, reverse("points:manual_award_decide", args=[award.pk]), {"decision": "approve"})
    award.refresh_from_db()
    assert (award.status, award.decided_by) == (AwardStatus.APPROVED, world.users["community_staff"])
    assert balance(world.member_a) == Decimal(5)
    entry = PointEntry.objects.get(idempotency_key=f"manual:{award.pk}")
    assert (entry.code, entry.posted_by) == (RuleCode.MANUAL_AWARD, world.users["community_staff"])


def test_a_rejected_deduction_posts_nothing(world):
    award = awards.propose(member=world.member_a, organization=world.community_a, points=Decimal(-3),
                           reason="报名后无故缺席", by=world.users["community_secretary"])
    awards.decide(award=award, approve=False, by=world.users["community_staff"])
    assert not PointEntry.objects.exists()
    with pytest.raises(PointsError):
        awards.decide(award=award, approve=True, by=world.users["street_admin"])


@pytest.mark.parametrize("points, reason", [(Decimal(0), "零分"), (Decimal(101), "太多"), (Decimal(5), " ")])
def test_a_bad_proposal_is_refused(world, points, reason):
    with pytest.raises(PointsError):
        awards.propose(member=world.member_a, organization=world.community_a, points=points, reason=reason,
                       by=world.users["community_secretary"])
    assert not ManualAward.objects.exists()


def test_the_database_keeps_the_approver_apart_from_the_proposer(world):
    award = awards.propose(member=world.member_a, organization=world.community_a, points=Decimal(2), reason="帮扶",
                           by=world.users["community_secretary"])
    award.decided_by = world.users["community_secretary"]
    with pytest.raises(IntegrityError), transaction.atomic():
        award.save()


def test_other_communities_do_not_see_the_proposals(world, client_for):
    awards.propose(member=world.member_a, organization=world.community_a, points=Decimal(2), reason="帮扶",
                   by=world.users["community_secretary"])
    assert "帮扶" not in client_for("foreign_secretary").get(reverse("points:manual_awards")).content.decode()
