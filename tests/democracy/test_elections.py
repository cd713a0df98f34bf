"""Elections (换届选举): the 20% margin, the upper organization's approval before any vote, monitors who are not
candidates, one anonymous ballot per full member present, counting with known answers (more than half of the votes
of those present; seats in order of votes; a tie at the last seat and unfilled seats go to a re-vote), the new
committee's term, seats and roles, and the ballots' anonymity at the database."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import DatabaseError, connection, models, transaction
from django.utils import timezone

from gongzhi.accounts.models import Role, RoleKind
from gongzhi.core.models import AuditEvent
from gongzhi.democracy import services
from gongzhi.democracy.models import (
    BallotMark,
    Candidate,
    Election,
    ElectionBallot,
    ElectionStatus,
    RoundResult,
    RoundVoteCast,
    Term,
)
from gongzhi.democracy.quorum import Tally, candidates_needed, count_round
from gongzhi.meetings.models import CommitteeMembership
from tests.factories import UserFactory

from .factories import election_world, full_members, general_meeting, probationary


@pytest.fixture
def world(world_copy):
    return world_copy


pytestmark = pytest.mark.django_db


def _ballots(round_, members, rows):
    """Cast one ballot per row: ``rows`` lists, per voter, the set of candidate indexes marked "for" (the others
    "against")."""
    candidates = list(round_.candidates.order_by("id"))
    for member, chosen in zip(members, rows, strict=False):
        marks = {c.pk: "for" if i in chosen else "against" for i, c in enumerate(candidates)}
        services.cast_election_ballot(round_=round_, user=member.user, marks=marks)
    return candidates


@pytest.mark.parametrize(("seats", "needed"), [(1, 2), (3, 4), (5, 6), (7, 9), (9, 11), (10, 12), (15, 18)])
def test_candidates_needed_is_twenty_percent_more_rounded_up(seats, needed):
    assert candidates_needed(seats) == needed


@pytest.mark.parametrize(("seats", "short", "enough"), [(5, 5, 6), (7, 8, 9)])
def test_the_list_without_the_margin_is_refused_with_the_figures(world, seats, short, enough):
    members = [*world.branch_b.held_members.all(), *full_members(world.branch_b, 11)]
    by = world.users["branch_secretary_b"]
    election = services.open_election(organization=world.branch_b, seats=seats, by=by)
    for member in members[:short]:
        services.add_candidate(election=election, member=member, by=by)
    with pytest.raises(ValidationError) as refused:
        services.submit_candidates(election=election, by=by)
    text = str(refused.value)
    assert f"{short} candidates for {seats} seats" in text and f"at least {enough}" in text
    election.refresh_from_db()
    assert election.status == ElectionStatus.PREPARING
    services.add_candidate(election=election, member=members[short], by=by)
    assert services.submit_candidates(election=election, by=by).status == ElectionStatus.SUBMITTED


def test_a_small_branch_elects_a_secretary_alone(world):
    full_members(world.branch_b, 3)  # 4 full members
    with pytest.raises(ValidationError, match="at least 7"):
        services.open_election(organization=world.branch_b, seats=3, by=world.users["branch_secretary_b"])
    assert services.open_election(organization=world.branch_b, seats=1, by=world.users["branch_secretary_b"])


def test_nothing_is_voted_before_the_upper_organization_approves(world):
    members = [*world.branch_b.held_members.all(), *full_members(world.branch_b, 8)]
    by = world.users["branch_secretary_b"]
    election = services.open_election(organization=world.branch_b, seats=3, by=by)
    for member in members[:4]:
        services.add_candidate(election=election, member=member, by=by)
    services.add_monitor(election=election, member=members[-1], duty="scrutineer", by=by)
    meeting = general_meeting(world.branch_b, present=members)
    with pytest.raises(ValidationError, match="stage"):
        services.open_round(election=election, meeting=meeting, by=by)
    services.submit_candidates(election=election, by=by)
    with pytest.raises(ValidationError, match="stage"):
        services.open_round(election=election, meeting=meeting, by=by)
    with pytest.raises(ValidationError, match="why"):
        services.review_candidates(election=election, approve=False, by=world.users["community_secretary"])
    services.review_candidates(election=election, approve=True, by=world.users["community_secretary"])
    assert services.open_round(election=election, meeting=meeting, by=by).number == 1


def test_a_monitor_cannot_be_a_candidate_nor_a_candidate_a_monitor(world):
    members = [*world.branch_b.held_members.all(), *full_members(world.branch_b, 8)]
    by = world.users["branch_secretary_b"]
    election = services.open_election(organization=world.branch_b, seats=3, by=by)
    services.add_candidate(election=election, member=members[0], by=by)
    with pytest.raises(ValidationError, match="a candidate cannot monitor"):
        services.add_monitor(election=election, member=members[0], duty="scrutineer", by=by)
    services.add_monitor(election=election, member=members[1], duty="teller", by=by)
    with pytest.raises(ValidationError, match="a monitor cannot stand"):
        services.add_candidate(election=election, member=members[1], by=by)
    trainee = probationary(world.branch_b)
    with pytest.raises(ValidationError, match="not entitled"):
        services.add_monitor(election=election, member=trainee, duty="teller", by=by)
    with pytest.raises(ValidationError, match="cannot stand"):
        services.add_candidate(election=election, member=trainee, by=by)


def test_voting_needs_a_vote_monitor_and_a_quorum(world):
    election, members, _meeting = election_world(world, entitled=10, present=9)
    by = world.users["branch_secretary_b"]
    thin = general_meeting(world.branch_b, present=members[:5], absent=members[5:])
    with pytest.raises(ValidationError, match="No quorum"):
        services.open_round(election=election, meeting=thin, by=by)
    assert not election.rounds.exists()


def test_one_ballot_per_full_member_present_and_no_proxy(world):
    election, members, meeting = election_world(world, entitled=10, present=9)
    trainee = probationary(world.branch_b)
    trainee.user = UserFactory()
    trainee.save(update_fields=["user"])
    meeting.attendances.create(member=trainee, status="present")
    round_ = services.open_round(election=election, meeting=meeting, by=world.users["branch_secretary_b"])
    candidates = list(round_.candidates.order_by("id"))
    marks = {c.pk: "for" for c in candidates[:3]} | {candidates[3].pk: "abstain"}
    services.cast_election_ballot(round_=round_, user=members[0].user, marks=marks)
    with pytest.raises(ValidationError) as twice:
        services.cast_election_ballot(round_=round_, user=members[0].user, marks=marks)
    assert twice.value.code == "voted"
    with pytest.raises(ValidationError) as trainee_refused:
        services.cast_election_ballot(round_=round_, user=trainee.user, marks=marks)
    assert trainee_refused.value.code == "not_entitled"
    with pytest.raises(ValidationError) as absent:
        services.cast_election_ballot(round_=round_, user=members[9].user, marks=marks)
    assert absent.value.code == "absent"
    with pytest.raises(ValidationError) as too_many:
        services.cast_election_ballot(round_=round_, user=members[1].user, marks={c.pk: "for" for c in candidates})
    assert too_many.value.code == "too_many"
    with pytest.raises(ValidationError, match="Mark each candidate"):
        services.cast_election_ballot(round_=round_, user=members[1].user, marks={candidates[0].pk: "for"})
    assert RoundVoteCast.objects.count() == ElectionBallot.objects.count() == 1
    assert BallotMark.objects.count() == 4
    assert (round_.entitled, round_.present) == (10, 9)


def test_counting_elects_more_than_half_of_those_present_in_order_of_votes(world):
    election, members, meeting = election_world(world, entitled=10, present=9)
    round_ = services.open_round(election=election, meeting=meeting, by=world.users["branch_secretary_b"])
    # 9 present: 5 votes are more than half. A 9, B 7, C 5, D 4 (each voter marks at most 3 "for").
    rows = [{0, 1, 2}] * 4 + [{0, 1, 3}] * 3 + [{0, 2, 3}] + [{0, 2}]
    a, b, c, d = _ballots(round_, members, rows)
    outcome = services.count_election_round(round_=round_, by=world.users["branch_secretary_b"])
    assert set(outcome.elected) == {a.pk, b.pk, c.pk} and outcome.seats_left == 0
    results = {r.candidate_id: (r.votes_for, r.votes_against, r.elected) for r in RoundResult.objects.all()}
    assert results == {a.pk: (9, 0, True), b.pk: (7, 2, True), c.pk: (6, 3, True), d.pk: (4, 5, False)}
    election.refresh_from_db()
    assert election.status == ElectionStatus.ELECTED


def test_known_answers_of_the_count():
    # 9 present: 5 is more than half, 4 is not.
    def tally(*votes):
        return [Tally(candidate=i, votes=v) for i, v in enumerate(votes)]

    assert count_round(tally(9, 7, 5, 4), seats=3, present=9).elected == (0, 1, 2)
    unfilled = count_round(tally(9, 4, 4, 3), seats=3, present=9)
    assert (unfilled.elected, unfilled.seats_left, set(unfilled.revote), unfilled.tie) == ((0,), 2, {1, 2, 3}, False)
    tie = count_round(tally(9, 8, 6, 6), seats=3, present=9)
    assert (tie.elected, tie.seats_left, set(tie.revote), tie.tie) == ((0, 1), 1, {2, 3}, True)
    # A tie below the line of more than half is not a tie for a seat: neither is elected, both re-voted.
    low = count_round(tally(9, 8, 4, 4), seats=3, present=9)
    assert (low.elected, low.seats_left, set(low.revote), low.tie) == ((0, 1), 1, {2, 3}, False)
    # 10 present: 5 is exactly half, not more.
    assert count_round(tally(5, 6, 6, 6), seats=3, present=10).elected == (1, 2, 3)


def test_a_tie_at_the_last_seat_goes_to_a_revote_among_the_tied(world):
    election, members, meeting = election_world(world, entitled=10, present=9)
    by = world.users["branch_secretary_b"]
    round_ = services.open_round(election=election, meeting=meeting, by=by)
    # A 9, B 8, C 6, D 6: C and D tie for the last seat.
    rows = [{0, 1, 2}] * 3 + [{0, 1, 3}] * 3 + [{0, 1, 2}, {0, 1, 3}, {0, 2, 3}]
    a, b, c, d = _ballots(round_, members, rows)
    outcome = services.count_election_round(round_=round_, by=by)
    assert outcome.tie and set(outcome.elected) == {a.pk, b.pk} and set(outcome.revote) == {c.pk, d.pk}
    election.refresh_from_db()
    assert election.status == ElectionStatus.APPROVED
    second = services.open_round(election=election, meeting=meeting, by=by)
    assert second.number == 2 and second.seats == 1
    assert set(second.candidates.values_list("pk", flat=True)) == {c.pk, d.pk}
    # The re-vote: c 6, d 3.
    for member, chosen in zip(members[:9], [{c.pk}] * 6 + [{d.pk}] * 3, strict=True):
        marks = {x.pk: "for" if x.pk in chosen else "against" for x in (c, d)}
        services.cast_election_ballot(round_=second, user=member.user, marks=marks)
    services.count_election_round(round_=second, by=by)
    election.refresh_from_db()
    assert election.status == ElectionStatus.ELECTED
    assert set(Candidate.objects.filter(election=election, elected_in_round__isnull=False)
               .values_list("pk", flat=True)) == {a.pk, b.pk, c.pk}
    assert Candidate.objects.get(pk=c.pk).elected_in_round == 2


def test_the_new_committee_gets_its_term_seats_and_roles_and_the_old_ones_end(world):
    election, members, meeting = election_world(world, entitled=10, present=9)
    by = world.users["branch_secretary_b"]
    old_secretary = world.users["branch_secretary_b"]
    old_term = services.record_term(organization=world.branch_b, starts_on=timezone.localdate() - timedelta(days=1100),
                                    by=None)
    round_ = services.open_round(election=election, meeting=meeting, by=by)
    a, b, c, _d = _ballots(round_, members, [{0, 1, 2}] * 9)
    services.count_election_round(round_=round_, by=by)
    upper = world.users["community_secretary"]
    today = timezone.localdate()
    with pytest.raises(ValidationError, match="among the elected"):
        services.install_committee(election=election, secretary=members[5], starts_on=today, by=upper)
    election, without = services.install_committee(election=election, secretary=a.member, deputy=b.member,
                                                   starts_on=today, by=upper)
    assert without == [] and election.status == ElectionStatus.INSTALLED
    old_term.refresh_from_db()
    assert old_term.closed_on == today and election.new_term.starts_on == today
    assert Term.objects.current().get(organization=world.branch_b) == election.new_term
    seats = {s.member_id: s.post for s in CommitteeMembership.objects.filter(branch=world.branch_b).active(today)}
    assert seats == {a.member_id: "secretary", b.member_id: "deputy", c.member_id: "member"}
    in_force = Role.objects.filter(organization=world.branch_b, kind=RoleKind.BRANCH_SECRETARY).active(today)
    assert set(in_force.values_list("user_id", flat=True)) == {a.member.user_id, b.member.user_id}
    ended = Role.objects.get(user=old_secretary, organization=world.branch_b, kind=RoleKind.BRANCH_SECRETARY)
    assert ended.ends_on == today - timedelta(days=1)
    assert AuditEvent.objects.filter(action="accounts.role.grant").count() == 2
    assert AuditEvent.objects.filter(action="accounts.role.end").count() == 1
    assert election.publicity_item.organization == world.community_a
    assert a.member.name in election.publicity_item.body


def test_no_table_links_a_ballot_to_a_voter_or_a_time():
    for model in (ElectionBallot, BallotMark):
        for field in model._meta.get_fields():
            assert not isinstance(field, models.DateField | models.DateTimeField | models.TimeField), field
            related = getattr(field, "related_model", None)
            if related is not None and field.concrete:
                assert related._meta.label in {"democracy.ElectionRound", "democracy.ElectionBallot",
                                               "democracy.Candidate"}, field
    # Random keys: a counter would give the order of casting, which the audit log's times could match to voters.
    assert ElectionBallot._meta.pk.get_internal_type() == BallotMark._meta.pk.get_internal_type() == "UUIDField"
    # Nothing elsewhere points at a ballot or a mark.
    from django.apps import apps

    for model in apps.get_models():
        if model in (ElectionBallot, BallotMark):
            continue
        for field in model._meta.concrete_fields:
            assert getattr(field, "related_model", None) not in (ElectionBallot, BallotMark), (model, field)


def test_the_rolls_and_ballots_are_append_only(world):
    election, members, meeting = election_world(world, entitled=10, present=9)
    round_ = services.open_round(election=election, meeting=meeting, by=world.users["branch_secretary_b"])
    _ballots(round_, members, [{0}])
    tables = {"democracy_electionballot": "round_id", "democracy_ballotmark": "mark",
              "democracy_roundvotecast": "round_id", "democracy_roundelector": "present"}
    for table, column in tables.items():
        for sql in (" ".join(("UPDATE", table, "SET", column, "=", column)), " ".join(("DELETE FROM", table))):
            with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
                cursor.execute(sql)
    assert ElectionBallot.objects.count() == 1 and BallotMark.objects.count() == 4


def test_one_election_under_way_per_committee(world):
    full_members(world.branch_b, 8)
    services.open_election(organization=world.branch_b, seats=3, by=world.users["branch_secretary_b"])
    with pytest.raises(ValidationError, match="already under way"):
        services.open_election(organization=world.branch_b, seats=3, by=world.users["branch_secretary_b"])
    assert Election.objects.count() == 1
