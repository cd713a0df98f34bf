"""Conversion of probationary members (转正): the due list, the general meeting's vote, the upper organization's
approval changing the member through the members service, one extension of up to a year and no second."""

from datetime import date, timedelta
from types import SimpleNamespace

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from gongzhi.democracy import selectors, services
from gongzhi.democracy.models import Conversion, ConversionStatus, ResolutionKind
from gongzhi.members.models import MembershipEvent, MemberStatus

from .factories import full_members, general_meeting, probationary

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(module_world, db):
    return SimpleNamespace(**vars(module_world))


def _vote(world, trainee, *, proposal="convert", months=None, in_favour=None):
    branch = trainee.home_org
    members = list(services.entitled_members(branch, timezone.localdate()))
    members += full_members(branch, 5 - len(members)) if len(members) < 5 else []
    meeting = general_meeting(branch, present=[*members, trainee])
    return services.record_show_of_hands(
        meeting=meeting, title=f"{trainee.name}转正", kind=ResolutionKind.CONVERSION, subject=trainee,
        proposal=proposal, extend_months=months,
        in_favour=len(members) if in_favour is None else in_favour, against=0, abstained=0,
        by=world.users["branch_secretary_a"])


def test_the_due_list_shows_probations_ending_within_a_month(world):
    today = timezone.localdate()
    soon = probationary(world.branch_a, ends_on=today + timedelta(days=20), name="甲")
    probationary(world.branch_a, ends_on=today + timedelta(days=60), name="乙")
    late = probationary(world.branch_a, ends_on=today - timedelta(days=5), name="丙")
    due = list(selectors.conversions_due(world.users["branch_secretary_a"], today))
    assert due == [late, soon]
    assert list(selectors.conversions_due(world.users["branch_secretary_b"], today)) == []


def test_a_quorate_vote_and_the_upper_approval_convert_the_member(world):
    trainee = probationary(world.branch_a, ends_on=timezone.localdate() - timedelta(days=2))
    resolution = _vote(world, trainee)
    conversion = Conversion.objects.get(resolution=resolution)
    assert conversion.status == ConversionStatus.AWAITING
    trainee.refresh_from_db()
    assert trainee.status == MemberStatus.PROBATIONARY  # nothing changes before the approval
    services.decide_conversion(conversion=conversion, approve=True, on=timezone.localdate(),
                               by=world.users["community_secretary"])
    trainee.refresh_from_db()
    assert trainee.status == MemberStatus.FULL
    assert trainee.full_member_on == timezone.localdate() - timedelta(days=2) and trainee.probation_ends_on is None
    assert MembershipEvent.objects.filter(member=trainee, kind="status").exists()


def test_a_failed_vote_creates_no_conversion(world):
    trainee = probationary(world.branch_a)
    resolution = _vote(world, trainee, in_favour=2)
    assert resolution.passed is False
    assert not Conversion.objects.exists()


def test_one_extension_of_up_to_a_year_and_a_second_is_refused(world):
    ends = timezone.localdate() - timedelta(days=1)
    trainee = probationary(world.branch_a, ends_on=ends)
    with pytest.raises(ValidationError):
        _vote(world, trainee, proposal="extend", months=13)
    conversion = Conversion.objects.get(resolution=_vote(world, trainee, proposal="extend", months=6))
    services.decide_conversion(conversion=conversion, approve=True, on=timezone.localdate(),
                               by=world.users["street_admin"])
    trainee.refresh_from_db()
    assert trainee.status == MemberStatus.PROBATIONARY
    assert trainee.probation_ends_on == services.add_months(ends, 6)
    trainee.probation_ends_on = timezone.localdate()
    trainee.save()
    with pytest.raises(ValidationError, match="second"):
        _vote(world, trainee, proposal="extend", months=3)
    assert Conversion.objects.count() == 1


def test_a_refused_approval_needs_a_reason_and_changes_nothing(world):
    trainee = probationary(world.branch_a)
    conversion = Conversion.objects.get(resolution=_vote(world, trainee))
    with pytest.raises(ValidationError):
        services.decide_conversion(conversion=conversion, approve=False, on=timezone.localdate(),
                                   by=world.users["community_secretary"])
    services.decide_conversion(conversion=conversion, approve=False, on=timezone.localdate(), note="材料不全",
                               by=world.users["community_secretary"])
    trainee.refresh_from_db()
    assert trainee.status == MemberStatus.PROBATIONARY
    with pytest.raises(ValidationError):
        services.decide_conversion(conversion=conversion, approve=True, on=timezone.localdate(),
                                   by=world.users["community_secretary"])


def test_a_second_pending_decision_and_a_vote_long_before_the_end_are_refused(world):
    trainee = probationary(world.branch_a)
    _vote(world, trainee)
    with pytest.raises(ValidationError, match="awaits"):
        _vote(world, trainee)
    early = probationary(world.branch_a, ends_on=timezone.localdate() + timedelta(days=90), name="早")
    with pytest.raises(ValidationError, match="month"):
        _vote(world, early)


def test_the_approval_cannot_be_dated_before_the_vote_or_in_the_future(world):
    trainee = probationary(world.branch_a)
    conversion = Conversion.objects.get(resolution=_vote(world, trainee))
    for day in (date(2000, 1, 1), timezone.localdate() + timedelta(days=1)):
        with pytest.raises(ValidationError):
            services.decide_conversion(conversion=conversion, approve=True, on=day,
                                       by=world.users["community_secretary"])


def test_add_months_keeps_the_end_of_month():
    assert services.add_months(date(2026, 1, 31), 1) == date(2026, 2, 28)
    assert services.add_months(date(2026, 11, 15), 12) == date(2027, 11, 15)
