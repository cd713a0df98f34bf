"""Democratic appraisal: self-assessment, secret evaluation, tally, proposal, confirmation."""

import json

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.urls import reverse

from gongzhi.core.models import AuditEvent
from gongzhi.meetings import selectors, services
from gongzhi.meetings.models import Appraisal, Ballot, Participant, VoteRoll
from gongzhi.members.models import MemberCategory
from tests.factories import MemberFactory, UserFactory

from .factories import post

pytestmark = pytest.mark.django_db


@pytest.fixture
def five(world):
    """Branch A with five more full members with accounts, and an open appraisal."""
    extra = [MemberFactory(home_org=world.branch_a, community=world.community_a, user=UserFactory(),
                           category=MemberCategory.RETIRED, serving_org=world.branch_a) for _ in range(5)]
    appraisal = services.open_appraisal(branch=world.branch_a, year=2025, by=world.users["branch_secretary_a"],
                                        unreported_cap=True)
    return appraisal, extra


def participant(appraisal, member):
    return Participant.objects.get(appraisal=appraisal, member=member)


def test_a_second_vote_by_the_same_member_is_refused_and_nothing_is_written(world, five):
    appraisal, extra = five
    voter = participant(appraisal, world.member_a)
    subject = participant(appraisal, extra[0])
    services.cast_vote(appraisal=appraisal, voter=voter, grades={subject.pk: "excellent"})
    with pytest.raises(ValidationError, match="already voted"):
        services.cast_vote(appraisal=appraisal, voter=voter, grades={subject.pk: "unqualified"})
    assert list(Ballot.objects.values_list("grade", flat=True)) == ["excellent"]
    assert VoteRoll.objects.count() == 1


def test_ballots_hold_no_link_to_the_voter_and_the_audit_no_choice(world, five):
    appraisal, extra = five
    voter = participant(appraisal, world.member_a)
    services.cast_vote(appraisal=appraisal, voter=voter, grades={participant(appraisal, extra[1]).pk: "basic"})
    columns = {f.column for f in Ballot._meta.concrete_fields}
    assert columns == {"id", "appraisal_id", "subject_id", "grade"}
    event = AuditEvent.objects.get(action="meetings.appraisal.vote")
    assert "basic" not in json.dumps(event.detail) and "basic" not in event.object_repr


def test_no_page_or_api_reveals_how_a_member_voted(world, five, client_for):
    appraisal, extra = five
    voter = participant(appraisal, world.member_a)
    # A distinctive, lone vote: member A grades extra[2] "unqualified".
    services.cast_vote(appraisal=appraisal, voter=voter, grades={participant(appraisal, extra[2]).pk: "unqualified"})
    pages = [reverse("meetings:appraisal", kwargs={"pk": appraisal.pk}), reverse("meetings:appraisals"),
             reverse("meetings:distribution", kwargs={"pk": world.community_a.pk}),
             f"/api/meetings/appraisals/{appraisal.pk}/results"]
    for persona in ("branch_secretary_a", "community_secretary", "supervisor", "member", "street_admin"):
        client = client_for(persona)
        for url in pages:
            response = client.get(url)
            if response.status_code == 404:
                continue
            body = response.content.decode()
            # While voting is open nobody sees a tally, so the vote cannot be attributed; no page
            # names a grade next to the voter, and the results list stays empty until confirmed.
            assert "测评统计" not in body and "unqualified" not in body, (persona, url)
            assert 'data-grade-total="4">0<' in body or "distribution" not in url, (persona, url)
    schema = client_for("street_admin").get("/api/openapi.json").json()
    paths = [p for p in schema["paths"] if "/meetings/" in p]
    assert paths and not [p for p in paths if "ballot" in p or "vote" in p]


def test_the_tally_counts_votes_per_member_and_grade_and_reconciles(world, five):
    appraisal, extra = five
    subject = participant(appraisal, extra[0])
    voters = [participant(appraisal, m) for m in [world.member_a, *extra[1:]]]
    for index, voter in enumerate(voters):
        services.cast_vote(appraisal=appraisal, voter=voter,
                           grades={subject.pk: "excellent" if index < 3 else "qualified"})
    with pytest.raises(ValidationError, match="Close the voting"):
        services.propose_grades(appraisal=appraisal, grades={}, by=world.users["branch_secretary_a"])
    services.close_voting(appraisal=appraisal, by=world.users["branch_secretary_a"])
    tally = selectors.appraisal_tally(appraisal)
    row = next(r for r in tally.rows if r.participant.pk == subject.pk)
    assert row.votes_list == [3, 2, 0, 0]
    assert (tally.roll_size, tally.voted, tally.ballots) == (6, 5, 5)
    with pytest.raises(ValidationError, match="closed"):
        services.cast_vote(appraisal=appraisal, voter=participant(appraisal, extra[0]),
                           grades={voters[0].pk: "qualified"})


def test_committee_proposes_the_meeting_confirms_with_the_one_third_warning_and_the_reporting_rule(world, five):
    appraisal, extra = five
    secretary = world.users["branch_secretary_a"]
    services.close_voting(appraisal=appraisal, by=secretary)
    people = list(appraisal.participants.select_related("member"))
    grades = {p.pk: "excellent" for p in people}
    # member_a is in service and did not report (no serving branch): capped by the rule.
    with pytest.raises(ValidationError, match="did not report"):
        services.propose_grades(appraisal=appraisal, grades=grades, by=secretary)
    grades[participant(appraisal, world.member_a).pk] = "basic"
    warnings = services.propose_grades(appraisal=appraisal, grades=grades, by=secretary)
    assert warnings and "one third" in warnings[0]
    services.confirm_grades(appraisal=appraisal, by=secretary)
    appraisal.refresh_from_db()
    assert appraisal.status == "confirmed"
    distribution = selectors.grade_distribution(world.community_a, 2025)
    assert distribution["total"] == [5, 0, 1, 0]
    assert selectors.grade_distribution(world.street_b, 2025)["count"] == 0


def test_members_vote_through_the_page_once(world, five, client_for):
    appraisal, extra = five
    client = client_for("member")
    url = reverse("meetings:appraisal_vote", kwargs={"pk": appraisal.pk})
    subject = participant(appraisal, extra[0])
    assert post(client, url, {f"grade-{subject.pk}": "qualified"}).status_code == 302
    response = post(client, url, {f"grade-{subject.pk}": "excellent"}, follow=True)
    assert Ballot.objects.count() == 1
    assert response.status_code == 200


@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_parallel_votes_by_one_member_leave_one_roll_row_pg(world):
    from concurrent.futures import ThreadPoolExecutor

    from django.db import connections

    extra = [MemberFactory(home_org=world.branch_a, user=UserFactory()) for _ in range(2)]
    appraisal = services.open_appraisal(branch=world.branch_a, year=2025, by=world.users["branch_secretary_a"])
    voter = participant(appraisal, world.member_a)
    subject = participant(appraisal, extra[0])

    def vote(_):
        try:
            services.cast_vote(appraisal=Appraisal.objects.get(pk=appraisal.pk), voter=voter,
                               grades={subject.pk: "qualified"})
            return True
        except ValidationError:
            return False
        finally:
            connections.close_all()

    with ThreadPoolExecutor(4) as pool:
        results = list(pool.map(vote, range(4)))
    assert results.count(True) == 1
    assert VoteRoll.objects.count() == 1 and Ballot.objects.count() == 1
