"""The QR check-in's activity read (``visible_activity_or_404``): a statement compiled once from ``visible_to``
with a stand-in user answers, for every persona and activity, exactly what ``get_visible_or_404`` answers — the
same activity with its organization and the participant's check-in, the same 404 for a missing and a foreign
one — and it keeps doing so with another user's values of the same shape."""

from datetime import timedelta

import pytest
import time_machine
from django.http import Http404
from django.utils import timezone

from gongzhi.accounts.backends import user_with_roles
from gongzhi.core.scoping import get_visible_or_404
from gongzhi.service import selectors
from gongzhi.service.models import Activity, CheckIn, OpenTo, visible_activity_or_404
from tests.conftest import PERSONAS

from .factories import activity, team


@pytest.fixture
def world(world_copy):
    return world_copy


pytestmark = pytest.mark.django_db


def _expected(user, pk, participant):
    activities = Activity.objects.select_related("organization")
    if participant is not None:
        activities = activities.with_check_in_of(participant)
    try:
        return get_visible_or_404(activities, user, pk=pk)
    except Http404:
        return None


def _found(user, pk, participant):
    try:
        return visible_activity_or_404(user, pk, participant)
    except Http404:
        return None


def test_every_persona_reaches_the_activities_get_visible_or_404_gives(world):
    on_team = team(world.community_x, members=[world.member_a])
    activities = [
        activity(world.branch_a, starts_in=-timedelta(minutes=5)),
        activity(world.branch_b),
        activity(world.community_a, open_to=OpenTo.RESIDENTS),
        activity(world.street_a),
        activity(world.branch_x),
        activity(world.community_x, open_to=OpenTo.TEAM, team=on_team),
        activity(world.community_x, open_to=OpenTo.RESIDENTS),
    ]
    CheckIn.objects.create(activity=activities[0], member=world.member_a, checked_in_at=activities[0].starts_at)
    CheckIn.objects.create(activity=activities[4], member=world.member_a, checked_in_at=activities[4].starts_at)
    pks = [a.pk for a in activities] + [max(a.pk for a in activities) + 1]
    reached = 0
    for persona in [p for p in PERSONAS if p != "anonymous"] + ["foreign_secretary"]:
        # Read as each request reads the account: with its roles, the participant from the service's records.
        user = user_with_roles(world.users[persona].pk)
        participant = selectors.own_participant(user)
        for pk in pks:
            expected, found = _expected(user, pk, participant), _found(user, pk, participant)
            assert (found is None) == (expected is None), (persona, pk)
            if expected is not None:
                reached += 1
                assert found.pk == expected.pk and found.organization == expected.organization
                assert found.organization.path == expected.organization.path
                if participant is not None:
                    assert found.check_in_id == expected.check_in_id, (persona, pk)
    assert reached > len(pks)  # the personas reach some activities and not others


def test_the_member_sees_his_or_her_check_in_and_no_one_elses(world):
    a = activity(world.branch_a, starts_in=-timedelta(minutes=5))
    member = user_with_roles(world.users["member"].pk)
    assert visible_activity_or_404(member, a.pk, selectors.own_participant(member)).check_in_id is None
    mine = CheckIn.objects.create(activity=a, member=world.member_a, checked_in_at=a.starts_at)
    CheckIn.objects.create(activity=a, member=world.member_b, checked_in_at=a.starts_at)
    member = user_with_roles(world.users["member"].pk)
    assert visible_activity_or_404(member, a.pk, selectors.own_participant(member)).check_in_id == mine.pk


def test_a_foreign_missing_or_impossible_activity_answers_404(world):
    foreign = activity(world.branch_x)
    member = user_with_roles(world.users["member"].pk)
    for pk in (foreign.pk, foreign.pk + 1000, 2**63):
        with pytest.raises(Http404):
            visible_activity_or_404(member, pk, selectors.own_participant(member))


def test_a_team_membership_counts_on_the_day_of_the_request_not_of_the_compilation(world):
    """The statement is compiled once per process: the day whose team memberships count is one of its values.
    A member who left the team today still sees its activity today, and no longer tomorrow."""
    from gongzhi.service.models import TeamMembership

    on_team = team(world.community_x, name="一日服务队", members=[world.member_a])
    TeamMembership.objects.filter(team=on_team).update(left_on=timezone.localdate())
    only_team = activity(world.community_x, open_to=OpenTo.TEAM, team=on_team, starts_in=timedelta(days=3))

    def reached() -> bool:
        member = user_with_roles(world.users["member"].pk)
        try:
            visible_activity_or_404(member, only_team.pk, selectors.own_participant(member))
        except Http404:
            return False
        return True

    assert reached()
    with time_machine.travel(timezone.now() + timedelta(days=1)):
        assert not reached()
