"""(PG) Parallel ballots by one member are counted once, and a ballot racing the closing of the vote is either
counted or refused, never lost from the tally."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections

from gongzhi.democracy import services
from gongzhi.democracy.models import Resolution, SecretBallot, VoteCast
from tests.factories import UserFactory

from .factories import full_members, general_meeting

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL")
THREADS = 6


def _parallel(target) -> list:
    barrier, results = threading.Barrier(THREADS), [None] * THREADS

    def run(n):
        try:
            barrier.wait()
            results[n] = target(n)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(n,)) for n in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def _ballot(world):
    members = full_members(world.branch_b, 4)
    for member in members:
        member.user = UserFactory()
        member.save(update_fields=["user"])
    meeting = general_meeting(world.branch_b, present=members)
    return services.open_secret_ballot(meeting=meeting, title="表决", by=world.users["branch_secretary_b"]), members


@pytest.mark.django_db(transaction=True)
def test_parallel_ballots_by_one_member_are_counted_once(world):
    resolution, members = _ballot(world)

    def vote(_n):
        try:
            services.cast_ballot(resolution=Resolution.objects.get(pk=resolution.pk), user=members[0].user,
                                 choice="for")
            return True
        except ValidationError:
            return False

    results = _parallel(vote)
    assert results.count(True) == 1
    assert VoteCast.objects.count() == 1 and SecretBallot.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_ballots_racing_the_close_are_counted_or_refused(world):
    resolution, members = _ballot(world)

    def act(n):
        try:
            if n == THREADS - 1:
                services.close_ballot(resolution=Resolution.objects.get(pk=resolution.pk),
                                      by=world.users["branch_secretary_b"])
            else:
                services.cast_ballot(resolution=Resolution.objects.get(pk=resolution.pk),
                                     user=members[n % len(members)].user, choice="for")
            return True
        except ValidationError:
            return False

    _parallel(act)
    resolution.refresh_from_db()
    assert resolution.status == "decided"
    assert resolution.in_favour == SecretBallot.objects.count() == VoteCast.objects.count()


@pytest.mark.django_db(transaction=True)
def test_parallel_election_ballots_by_one_member_are_counted_once(world):
    from gongzhi.democracy.models import BallotMark, ElectionBallot, ElectionRound, RoundVoteCast

    from .factories import election_world

    election, members, meeting = election_world(world)
    round_ = services.open_round(election=election, meeting=meeting, by=world.users["branch_secretary_b"])
    marks = {c.pk: "for" if i < 3 else "against" for i, c in enumerate(round_.candidates.order_by("id"))}

    def vote(_n):
        try:
            services.cast_election_ballot(round_=ElectionRound.objects.get(pk=round_.pk), user=members[0].user,
                                          marks=marks)
            return True
        except ValidationError:
            return False

    results = _parallel(vote)
    assert results.count(True) == 1
    assert RoundVoteCast.objects.count() == ElectionBallot.objects.count() == 1
    assert BallotMark.objects.count() == 4
