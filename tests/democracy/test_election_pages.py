"""The election pages: the list refused without the 20% margin (the figures shown), the approval by the upper
organization only, a member's ballot on the phone page (a second one refused), bounded queries, the due list's
link, and the figures' known answers."""

from datetime import date, timedelta
from types import SimpleNamespace

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from gongzhi.core.periods import Period
from gongzhi.democracy import services, stats
from gongzhi.democracy.models import Election, ElectionBallot, ElectionStatus
from gongzhi.democracy.todo import SOURCES

from .factories import election_world, full_members, post

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(module_world, db):
    return SimpleNamespace(**vars(module_world))


def _client(user) -> Client:
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    return client


def test_the_list_without_the_margin_is_refused_on_the_page_with_the_figures(world):
    members = [*world.branch_b.held_members.all(), *full_members(world.branch_b, 8)]
    client = _client(world.users["branch_secretary_b"])
    response = post(client, reverse("democracy:election_new", args=[world.branch_b.pk]), {"seats": "3"})
    election = Election.objects.get(organization=world.branch_b)
    assert response.status_code == 302
    url = reverse("democracy:election_prepare", args=[election.pk])
    for member in members[:3]:
        assert post(client, url, {"action": "candidate", "member": str(member.pk)}).status_code == 302
    page = client.get(reverse("democracy:election", args=[election.pk]))
    assert 'id="margin"' in page.content.decode()
    followed = post(client, url, {"action": "submit"}, follow=True)
    text = followed.content.decode()
    assert "3" in text and "4" in text and "alert-danger" in text
    election.refresh_from_db()
    assert election.status == ElectionStatus.PREPARING
    post(client, url, {"action": "candidate", "member": str(members[3].pk)})
    post(client, url, {"action": "submit"})
    election.refresh_from_db()
    assert election.status == ElectionStatus.SUBMITTED
    # The branch cannot approve its own list; the community can.
    review = reverse("democracy:election_review", args=[election.pk])
    assert post(client, review, {"decision": "approve"}).status_code == 404
    assert post(_client(world.users["community_secretary"]), review, {"decision": "approve"}).status_code == 302
    election.refresh_from_db()
    assert election.status == ElectionStatus.APPROVED


def test_a_member_votes_on_the_ballot_page_once(world):
    election, members, meeting = election_world(world)
    services.open_round(election=election, meeting=meeting, by=world.users["branch_secretary_b"])
    client = _client(members[0].user)
    url = reverse("democracy:election_ballot", args=[election.pk])
    page = client.get(url)
    assert page.status_code == 200 and 'id="ballot-form"' in page.content.decode()
    candidates = list(election.rounds.get().candidates.order_by("id"))
    too_many = {f"c{c.pk}": "for" for c in candidates}
    assert post(client, url, too_many).status_code == 400
    marks = {f"c{c.pk}": "for" if i < 2 else "abstain" for i, c in enumerate(candidates)}
    assert post(client, url, marks).status_code == 302
    again = post(client, url, marks)
    text = again.content.decode()
    assert again.status_code == 400 and 'id="voted"' in text and "不能重复投票" in text
    assert ElectionBallot.objects.count() == 1
    # Someone else's ballot page: not an elector of this election.
    assert _client(world.users["member"]).get(url).status_code == 404


def test_the_election_page_reads_a_bounded_number_of_queries(world, django_assert_max_num_queries):
    election, members, meeting = election_world(world, entitled=30, present=25, seats=5, candidates=6)
    by = world.users["branch_secretary_b"]
    round_ = services.open_round(election=election, meeting=meeting, by=by)
    candidates = list(round_.candidates.order_by("id"))
    for member in members[:25]:
        services.cast_election_ballot(round_=round_, user=member.user,
                                      marks={c.pk: "for" if i < 5 else "against" for i, c in enumerate(candidates)})
    services.count_election_round(round_=round_, by=by)
    client = _client(world.users["community_secretary"])
    with django_assert_max_num_queries(30):
        response = client.get(reverse("democracy:election", args=[election.pk]))
    assert response.status_code == 200 and 'id="results-1"' in response.content.decode()


def test_the_due_list_links_the_election(world):
    term = services.record_term(organization=world.branch_b, starts_on=timezone.localdate() - timedelta(days=1000),
                                by=None)
    full_members(world.branch_b, 8)
    client = _client(world.users["community_secretary"])
    page = client.get(reverse("democracy:terms")).content.decode()
    assert reverse("democracy:election_new", args=[world.branch_b.pk]) in page
    election = services.open_election(organization=world.branch_b, seats=3, by=world.users["branch_secretary_b"])
    assert election.term == term
    page = client.get(reverse("democracy:terms")).content.decode()
    assert reverse("democracy:election", args=[election.pk]) in page


def test_the_todo_lists_the_list_to_approve_and_the_open_ballot(world):
    election, members, meeting = election_world(world)
    election.status = ElectionStatus.SUBMITTED  # back one step, to see the approval to-do
    election.save(update_fields=["status"])
    lists = next(s for s in SOURCES if s.key == "democracy.election_lists")
    assert lists.count(world.users["community_secretary"]) == 1
    assert lists.count(world.users["branch_secretary_b"]) == 0
    services.review_candidates(election=election, approve=True, by=world.users["community_secretary"])
    services.open_round(election=election, meeting=meeting, by=world.users["branch_secretary_b"])
    ballots = next(s for s in SOURCES if s.key == "democracy.election_ballots")
    assert ballots.count(members[0].user) == 1 and ballots.count(members[9].user) == 0  # the last one is absent
    marks = {c.pk: "abstain" for c in election.rounds.get().candidates.all()}
    services.cast_election_ballot(round_=election.rounds.get(), user=members[0].user, marks=marks)
    assert ballots.count(members[0].user) == 0


def _elect(world, election, members, meeting):
    by = world.users["branch_secretary_b"]
    round_ = services.open_round(election=election, meeting=meeting, by=by)
    candidates = list(round_.candidates.order_by("id"))
    for member in members[:9]:
        services.cast_election_ballot(round_=round_, user=member.user,
                                      marks={c.pk: "for" if i < 3 else "against" for i, c in enumerate(candidates)})
    services.count_election_round(round_=round_, by=by)
    return services.install_committee(election=election, secretary=candidates[0].member,
                                      starts_on=timezone.localdate(), by=world.users["community_secretary"])[0]


def test_elections_held_and_held_on_time_have_known_answers(world):
    today = timezone.localdate()
    year = Period(date(today.year, 1, 1), date(today.year, 12, 31))
    assert stats.elections_held(world.street_a, year) == 0 and stats.elections_on_time(world.street_a, year) is None
    # Branch B's term ended a week ago: its election today is late.
    services.record_term(organization=world.branch_b, starts_on=services.add_months(today - timedelta(days=7), -36),
                         by=None)
    election, members, meeting = election_world(world)
    _elect(world, election, members, meeting)
    # Branch A's term ends in a year: its election today is on time.
    services.record_term(organization=world.branch_a, starts_on=services.add_months(today, -24), by=None)
    election_a, members_a, meeting_a = election_world(world, branch=world.branch_a)
    _elect(world, election_a, members_a, meeting_a)
    assert stats.elections_held(world.street_a, year) == 2
    assert stats.elections_on_time(world.street_a, year) == 50
    assert stats.elections_held(world.branch_a, year) == 1
    assert stats.elections_on_time(world.branch_a, year) == 100


def test_the_elections_list_and_api_read_a_bounded_number_of_queries(world, django_assert_max_num_queries):
    election_world(world)
    election_world(world, branch=world.branch_a)
    client = _client(world.users["street_admin"])
    with django_assert_max_num_queries(20):
        page = client.get(reverse("democracy:elections"))
    assert page.status_code == 200 and page.content.decode().count('href="/democracy/elections/') >= 2
    with django_assert_max_num_queries(12):
        listed = client.get("/api/democracy/elections")
    body = listed.json()
    assert listed.status_code == 200 and body["count"] == 2 and len(body["items"]) == 2
    detail = client.get(f"/api/democracy/elections/{body['items'][0]['id']}").json()
    assert len(detail["candidates"]) == 4 and detail["rounds"] == []
