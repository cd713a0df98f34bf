"""The pages refuse bad input with a clear message and write nothing: a vote without quorum (the reason shown), a
second ballot, a probationary member trying to vote, a step out of order; never a 500."""

from types import SimpleNamespace

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from gongzhi.democracy import services
from gongzhi.democracy.models import Matter, MatterStep, Resolution, SecretBallot
from tests.factories import UserFactory

from .factories import full_members, general_meeting, post, probationary, village

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(module_world, db):
    return SimpleNamespace(**vars(module_world))


def _client(user) -> Client:
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    return client


def _vote_data(**extra):
    return {"kind": "general", "title": "通过年度计划", "method": "hands", "quorum_rule": "half", "in_favour": "3",
            "against": "0", "abstained": "0", **extra}


def test_the_meeting_page_refuses_a_vote_without_quorum_and_says_why(world):
    members = [world.member_a, *full_members(world.branch_a, 5)]  # 6 entitled
    meeting = general_meeting(world.branch_a, present=members[:3], absent=members[3:])
    client = _client(world.users["branch_secretary_a"])
    page = client.get(reverse("democracy:meeting", args=[meeting.pk]))
    assert 'id="no-quorum"' in page.content.decode()
    response = post(client, reverse("democracy:meeting_vote", args=[meeting.pk]), _vote_data())
    assert response.status_code == 400
    text = response.content.decode()
    assert "3" in text and "6" in text and "4" in text and 'class="alert alert-danger"' in text
    assert not Resolution.objects.exists()


def test_a_quorate_vote_is_recorded_from_the_phone_page(world):
    members = [world.member_a, *full_members(world.branch_a, 5)]
    meeting = general_meeting(world.branch_a, present=members[:4], absent=members[4:])
    client = _client(world.users["branch_secretary_a"])
    response = post(client, reverse("democracy:meeting_vote", args=[meeting.pk]), _vote_data(in_favour="4"))
    resolution = Resolution.objects.get()
    assert response.status_code == 302 and resolution.passed
    assert client.get(response["Location"]).status_code == 200


@pytest.mark.parametrize("data", [
    {"kind": "conversion", "subject": "999999"}, {"in_favour": "-1"}, {"in_favour": "x" * 30}, {"method": "proxy"},
    {"kind": "conversion", "proposal": "extend", "extend_months": "13"}, {"title": ""}, {"in_favour": ""},
    {"quorum_rule": "all"}, {"in_favour": "9"},
])
def test_bad_vote_input_is_a_400_with_nothing_written(world, data):
    members = [world.member_a, *full_members(world.branch_a, 3)]
    probationary(world.branch_a)
    meeting = general_meeting(world.branch_a, present=members)
    response = post(_client(world.users["branch_secretary_a"]), reverse("democracy:meeting_vote", args=[meeting.pk]),
                    _vote_data(**data))
    assert response.status_code == 400
    assert not Resolution.objects.exists()


def test_a_second_ballot_and_a_probationary_member_s_ballot_are_refused_on_the_page(world):
    members = [world.member_a, *full_members(world.branch_a, 2)]
    trainee = probationary(world.branch_a)
    trainee.user = UserFactory(username="trainee")
    trainee.save(update_fields=["user"])
    meeting = general_meeting(world.branch_a, present=[*members, trainee])
    resolution = services.open_secret_ballot(meeting=meeting, title="推荐", by=world.users["branch_secretary_a"])
    voter = _client(world.users["member"])
    url = reverse("democracy:ballot", args=[resolution.pk])
    assert post(voter, url, {"choice": "for"}).status_code == 302
    second = post(voter, url, {"choice": "against"})
    assert second.status_code == 400 and "不能重复投票" in second.content.decode()
    # The probationary member is not on the roll: the vote does not exist for him.
    assert post(_client(trainee.user), url, {"choice": "for"}).status_code == 404
    assert SecretBallot.objects.count() == 1
    page = voter.get(reverse("democracy:resolution", args=[resolution.pk])).content.decode()
    assert "for" not in page.split('id="tally"')[1].split("</dl>")[0].lower()  # no tally while open


def test_a_step_out_of_order_or_dated_before_its_predecessor_is_refused_on_the_page(world):
    matter = services.open_matter(organization=village(world), title="村道", description="修路", by=None)
    client = _client(world.users["street_admin"])
    url = reverse("democracy:matter_step", args=[matter.pk])
    today = timezone.localdate()
    assert post(client, url, {"held_on": today.isoformat(), "minutes": "支委会提议"}).status_code == 302
    response = post(client, url, {"held_on": (today.replace(year=today.year - 1)).isoformat(),
                                  "minutes": "两委联席会议"})
    assert response.status_code == 400 and "is-invalid" in response.content.decode()
    assert post(client, url, {"held_on": "2025-02-30", "minutes": "x"}).status_code == 400
    assert MatterStep.objects.filter(matter=matter).count() == 1
    assert Matter.objects.get(pk=matter.pk).status == "in_progress"
