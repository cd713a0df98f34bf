"""Resolutions at branch meetings: who is entitled, the quorum refused with its reason, show of hands and the
anonymous secret ballot (one per elector, append-only, no link between ballot and voter)."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from gongzhi.democracy import services
from gongzhi.democracy.models import Elector, Resolution, ResolutionStatus, SecretBallot, VoteCast
from gongzhi.meetings.models import CommitteeMembership, MeetingKind
from gongzhi.members.models import PartyStatus
from tests.factories import UserFactory

from .factories import full_members, general_meeting, probationary


@pytest.fixture
def world(world_copy):
    return world_copy


pytestmark = pytest.mark.django_db


@pytest.fixture
def branch(world):
    return world.branch_b  # its only member is 钱明; each test adds its own


def _meeting(branch, entitled, present, *, leave=0, **extra):
    members = full_members(branch, entitled - 1)  # with 钱明, ``entitled`` full members
    everyone = [*branch.held_members.filter(name="钱明"), *members]
    return general_meeting(branch, present=everyone[:present], leave=everyone[present:present + leave],
                           absent=everyone[present + leave:], **extra), everyone


def test_a_meeting_of_31_with_16_present_records_a_vote_passed_by_16(world, branch):
    meeting, _everyone = _meeting(branch, 31, 16)
    resolution = services.record_show_of_hands(meeting=meeting, title="通过年度工作计划", in_favour=16, against=0,
                                               abstained=0, by=world.users["branch_secretary_b"])
    assert (resolution.entitled, resolution.present, resolution.passed) == (31, 16, True)
    assert Elector.objects.filter(resolution=resolution).count() == 31


def test_15_in_favour_of_31_entitled_is_recorded_as_not_passed(world, branch):
    meeting, _everyone = _meeting(branch, 31, 20)
    resolution = services.record_show_of_hands(meeting=meeting, title="调整活动经费", in_favour=15, against=3,
                                               abstained=2, by=world.users["branch_secretary_b"])
    assert resolution.passed is False and resolution.status == ResolutionStatus.DECIDED


def test_a_vote_without_quorum_is_refused_with_the_reason_and_writes_nothing(world, branch):
    meeting, _everyone = _meeting(branch, 31, 15)
    with pytest.raises(ValidationError) as refused:
        services.record_show_of_hands(meeting=meeting, title="通过年度工作计划", in_favour=15, against=0,
                                      abstained=0, by=world.users["branch_secretary_b"])
    assert "15" in str(refused.value) and "31" in str(refused.value) and "16" in str(refused.value)
    assert not Resolution.objects.exists() and not Elector.objects.exists()


def test_members_on_leave_stay_entitled_and_probationary_members_are_not(world, branch):
    meeting, everyone = _meeting(branch, 9, 5, leave=2)
    trainee = probationary(branch)
    meeting.attendances.create(member=trainee, status="present")
    suspended = full_members(branch, 1, party_status=PartyStatus.SUSPENDED)[0]
    meeting.attendances.create(member=suspended, status="present")
    resolution = services.record_show_of_hands(meeting=meeting, title="表决", in_favour=5, against=0, abstained=0,
                                               by=world.users["branch_secretary_b"])
    assert (resolution.entitled, resolution.present, resolution.passed) == (9, 5, True)
    assert not resolution.electors.filter(member__in=[trainee, suspended]).exists()


def test_more_votes_than_members_present_are_refused(world, branch):
    meeting, _everyone = _meeting(branch, 5, 3)
    with pytest.raises(ValidationError):
        services.record_show_of_hands(meeting=meeting, title="表决", in_favour=3, against=1, abstained=0,
                                      by=world.users["branch_secretary_b"])
    assert not Resolution.objects.exists()


def test_a_committee_meeting_counts_its_committee(world, branch):
    _meeting_, everyone = _meeting(branch, 7, 7)
    for member in everyone[:3]:
        CommitteeMembership.objects.create(branch=branch, member=member,
                                           starts_on=timezone.localdate() - timedelta(days=400))
    committee = general_meeting(branch, present=everyone[:2], absent=everyone[2:3], kind=MeetingKind.COMMITTEE)
    resolution = services.record_show_of_hands(meeting=committee, title="发展对象人选", in_favour=2, against=0,
                                               abstained=0, by=world.users["branch_secretary_b"])
    assert (resolution.entitled, resolution.present, resolution.passed) == (3, 2, True)


def test_a_future_or_other_kind_of_meeting_takes_no_vote(world, branch):
    meeting, _everyone = _meeting(branch, 3, 3, day=timezone.localdate() + timedelta(days=3))
    with pytest.raises(ValidationError):
        services.record_show_of_hands(meeting=meeting, title="表决", in_favour=3, against=0, abstained=0,
                                      by=world.users["branch_secretary_b"])
    lesson, _ = _meeting(branch, 3, 3)
    lesson.kind = MeetingKind.LESSON
    lesson.save()
    with pytest.raises(ValidationError):
        services.record_show_of_hands(meeting=lesson, title="表决", in_favour=3, against=0, abstained=0,
                                      by=world.users["branch_secretary_b"])


# --- secret ballot ------------------------------------------------------------------------------------


def _voters(members):
    for member in members:
        member.user = UserFactory(username=f"voter{member.pk}")
        member.save(update_fields=["user"])
    return members


@pytest.fixture
def ballot(world, branch):
    meeting, everyone = _meeting(branch, 5, 4)
    _voters(everyone)
    resolution = services.open_secret_ballot(meeting=meeting, title="推荐优秀党员",
                                             by=world.users["branch_secretary_b"])
    return resolution, everyone


def test_a_secret_ballot_counts_one_anonymous_ballot_per_elector_present(world, ballot):
    resolution, everyone = ballot
    for member, choice in zip(everyone[:4], ["for", "for", "for", "against"], strict=True):
        services.cast_ballot(resolution=resolution, user=member.user, choice=choice)
    closed = services.close_ballot(resolution=resolution, by=world.users["branch_secretary_b"])
    assert (closed.in_favour, closed.against, closed.abstained, closed.passed) == (3, 1, 0, True)
    assert VoteCast.objects.filter(resolution=resolution).count() == SecretBallot.objects.filter(
        resolution=resolution).count() == 4


def test_a_second_ballot_is_refused_and_adds_nothing(ballot):
    resolution, everyone = ballot
    services.cast_ballot(resolution=resolution, user=everyone[0].user, choice="for")
    with pytest.raises(ValidationError, match="twice"):
        services.cast_ballot(resolution=resolution, user=everyone[0].user, choice="against")
    assert SecretBallot.objects.count() == 1


def test_an_absent_member_a_probationary_member_and_a_closed_vote_are_refused(world, branch, ballot):
    resolution, everyone = ballot
    with pytest.raises(ValidationError, match="present"):
        services.cast_ballot(resolution=resolution, user=everyone[4].user, choice="for")
    trainee = _voters([probationary(branch)])[0]
    with pytest.raises(ValidationError, match="probationary"):
        services.cast_ballot(resolution=resolution, user=trainee.user, choice="for")
    services.close_ballot(resolution=resolution, by=world.users["branch_secretary_b"])
    with pytest.raises(ValidationError, match="not open"):
        services.cast_ballot(resolution=resolution, user=everyone[1].user, choice="for")
    assert SecretBallot.objects.count() == 0


def test_no_table_links_a_ballot_to_its_voter():
    ballot_fields = {f.name for f in SecretBallot._meta.get_fields()}
    assert ballot_fields == {"id", "resolution", "choice"}
    cast_fields = {f.name for f in VoteCast._meta.get_fields()}
    assert cast_fields == {"id", "resolution", "elector"}
    assert SecretBallot._meta.pk.get_internal_type() == "UUIDField"  # no insertion order to match the roll


def test_ballots_and_the_roll_are_append_only(world, ballot):
    resolution, everyone = ballot
    services.cast_ballot(resolution=resolution, user=everyone[0].user, choice="for")
    tables = ("democracy_secretballot", "democracy_votecast", "democracy_elector")
    statements = [" ".join(("UPDATE", t, "SET resolution_id = resolution_id")) for t in tables]
    statements += [" ".join(("DELETE FROM", t)) for t in tables]
    for sql in statements:
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql)
    assert SecretBallot.objects.count() == 1
