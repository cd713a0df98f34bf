"""四议两公开: six ordered, dated steps; the party members' meeting through the quorum helpers (two thirds
present, more than half of those entitled); the decision and the results on the village's public board."""

from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from gongzhi.democracy import services
from gongzhi.democracy.models import MatterStatus, MatterStep, Resolution
from gongzhi.orgs.models import OrgKind
from gongzhi.publicity import services as publicity
from gongzhi.publicity.models import Item, ItemStatus, Obligation
from tests.factories import OrganizationFactory

from .factories import full_members

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(module_world, db):
    return SimpleNamespace(**vars(module_world))


@pytest.fixture
def village(world):
    village = OrganizationFactory(code="SA-V9", name="东风村党总支", kind=OrgKind.VILLAGE, parent=world.street_a)
    branch = OrganizationFactory(code="SA-V9-B1", name="东风村第一村民小组党支部", kind=OrgKind.BRANCH, parent=village)
    village.members = full_members(branch, 9)
    return village


def _day(n):
    return timezone.localdate() - timedelta(days=30 - n)


def _through_step_4(world, village, by=None):
    by = by or world.users["street_admin"]
    matter = services.open_matter(organization=village, title="村道硬化", description="修缮村东主路1.2公里", by=by)
    services.record_step(matter=matter, number=1, held_on=_day(1), minutes="支委会提议修路", by=by)
    services.record_step(matter=matter, number=2, held_on=_day(2), minutes="两委联席会议商议", by=by)
    services.record_step(matter=matter, number=3, held_on=_day(3), minutes="党员大会审议通过", by=by,
                         present_ids=[m.pk for m in village.members[:6]], in_favour=5, against=1, abstained=0)
    services.record_step(matter=matter, number=4, held_on=_day(4), minutes="村民代表会议决议通过", by=by,
                         body="representatives", attendees=40, in_favour=35, against=3, abstained=2)
    return matter


def test_a_road_repair_goes_through_six_steps_to_published_results(world, village):
    street = world.users["street_admin"]
    matter = _through_step_4(world, village)
    review = MatterStep.objects.get(matter=matter, number=3).resolution
    assert (review.entitled, review.present, review.in_favour, review.passed) == (9, 6, 5, True)
    assert Obligation.objects.filter(organization=village, catalogue_key="democracy.four_two").count() == 1
    decision = services.record_step(matter=matter, number=5, held_on=_day(5), minutes="公开决议", by=street)
    item = decision.publicity_item
    assert item.status == ItemStatus.PENDING and item.organization == village
    assert "35" in item.body
    with pytest.raises(ValidationError, match="public board"):
        services.record_step(matter=matter, number=6, held_on=_day(20), minutes="道路已完工验收", by=street)
    publicity.approve_item(item=item, by=_approver(world, village),
                           publish_now=True)
    results = services.record_step(matter=matter, number=6, held_on=_day(20), minutes="道路已完工验收，花费38万元",
                                   by=street)
    matter.refresh_from_db()
    assert matter.status == MatterStatus.IMPLEMENTED
    assert results.publicity_item.source.endswith(":results")
    assert Item.objects.filter(organization=village).count() == 2


def _approver(world, village):
    from gongzhi.accounts.models import Role, RoleKind
    from tests.factories import UserFactory

    user = UserFactory(username="cun_shuji")
    Role.objects.create(user=user, organization=village, kind=RoleKind.COMMUNITY_SECRETARY,
                        starts_on=timezone.localdate() - timedelta(days=1))
    return user


def test_steps_out_of_order_or_dated_before_their_predecessor_are_refused(world, village):
    by = world.users["street_admin"]
    matter = services.open_matter(organization=village, title="村道硬化", description="修路", by=by)
    with pytest.raises(ValidationError, match="order"):
        services.record_step(matter=matter, number=2, held_on=_day(2), minutes="两委联席会议", by=by)
    services.record_step(matter=matter, number=1, held_on=_day(5), minutes="支委会提议", by=by)
    with pytest.raises(ValidationError) as refused:
        services.record_step(matter=matter, number=2, held_on=_day(4), minutes="两委联席会议", by=by)
    assert "held_on" in refused.value.error_dict
    with pytest.raises(ValidationError):
        services.record_step(matter=matter, number=2, held_on=timezone.localdate() + timedelta(days=1),
                             minutes="两委联席会议", by=by)
    assert MatterStep.objects.filter(matter=matter).count() == 1


def test_the_party_members_meeting_needs_two_thirds_present(world, village):
    by = world.users["street_admin"]
    matter = services.open_matter(organization=village, title="集体土地流转", description="流转50亩", by=by)
    services.record_step(matter=matter, number=1, held_on=_day(1), minutes="支委会提议", by=by)
    services.record_step(matter=matter, number=2, held_on=_day(2), minutes="两委联席会议", by=by)
    with pytest.raises(ValidationError, match="quorum"):
        services.record_step(matter=matter, number=3, held_on=_day(3), minutes="党员大会", by=by,
                             present_ids=[m.pk for m in village.members[:5]], in_favour=5, against=0, abstained=0)
    assert not Resolution.objects.exists() and MatterStep.objects.filter(matter=matter).count() == 2


def test_a_review_not_passed_by_more_than_half_of_those_entitled_ends_the_matter(world, village):
    by = world.users["street_admin"]
    matter = services.open_matter(organization=village, title="集体土地流转", description="流转50亩", by=by)
    services.record_step(matter=matter, number=1, held_on=_day(1), minutes="支委会提议", by=by)
    services.record_step(matter=matter, number=2, held_on=_day(2), minutes="两委联席会议", by=by)
    # 4 of 6 present is a majority of those present but not of the 9 entitled.
    services.record_step(matter=matter, number=3, held_on=_day(3), minutes="党员大会", by=by,
                         present_ids=[m.pk for m in village.members[:6]], in_favour=4, against=2, abstained=0)
    matter.refresh_from_db()
    assert matter.status == MatterStatus.REJECTED
    with pytest.raises(ValidationError, match="closed"):
        services.record_step(matter=matter, number=4, held_on=_day(4), minutes="村民会议", by=by, body="assembly",
                             attendees=100, in_favour=90, against=0, abstained=0)


def test_a_matter_belongs_to_a_village(world):
    with pytest.raises(ValidationError):
        services.open_matter(organization=world.community_a, title="停车", description="停车位", by=None)


def test_the_party_members_meeting_is_a_village_meeting_whose_roll_decides(world, village):
    """The village's party members' meeting is held in meetings (its roll: every member of its branches, the
    probationary ones attending without a vote); step 3 takes the attendance from it."""
    from gongzhi.meetings import services as meetings
    from gongzhi.meetings.models import AttendanceStatus, MeetingKind

    from .factories import probationary

    by = world.users["street_admin"]
    trainee = probationary(village.members[0].home_org)
    meeting = meetings.plan_meeting(organization=village, kind=MeetingKind.MEMBERS, topic="村党员大会",
                                    date=_day(3), start_time=timezone.now().time().replace(microsecond=0),
                                    place="村委会", by=by)
    assert set(meeting.attendances.values_list("member_id", flat=True)) == {m.pk for m in village.members} | {
        trainee.pk}
    for member in [*village.members[:6], trainee]:
        meetings.record_attendance(meeting=meeting, member_id=member.pk, status=AttendanceStatus.PRESENT, by=by)
    with pytest.raises(ValidationError):
        meetings.plan_meeting(organization=village, kind=MeetingKind.GENERAL, topic="支部党员大会", date=_day(3),
                              start_time=timezone.now().time().replace(microsecond=0), place="村委会", by=by)
    matter = services.open_matter(organization=village, title="村道硬化", description="修缮村东主路1.2公里", by=by)
    services.record_step(matter=matter, number=1, held_on=_day(1), minutes="支委会提议修路", by=by)
    services.record_step(matter=matter, number=2, held_on=_day(2), minutes="两委联席会议商议", by=by)
    with pytest.raises(ValidationError, match="day of the meeting"):
        services.record_step(matter=matter, number=3, held_on=_day(4), minutes="党员大会审议", by=by,
                             meeting=meeting, in_favour=5, against=1, abstained=0)
    step = services.record_step(matter=matter, number=3, held_on=_day(3), minutes="党员大会审议通过", by=by,
                                meeting=meeting, in_favour=5, against=1, abstained=0)
    review = step.resolution
    assert review.meeting == meeting
    assert (review.entitled, review.present, review.in_favour, review.passed) == (9, 6, 5, True)
