"""Democracy API (read only): votes with their counts, probationary members due for conversion, conversions,
village matters with their steps. Same scoping and refusals as the pages."""

from datetime import date

from django.utils import timezone
from ninja import Router, Schema
from ninja.pagination import paginate

from gongzhi.core.api_types import ObjectId, Rows
from gongzhi.core.edge import api_require
from gongzhi.core.scoping import get_visible_or_404

from . import selectors, services
from .models import MatterStep, Resolution
from .permissions import MANAGE_TERMS, READ_MATTERS, READ_VOTES, can_read_matters, can_read_votes, can_use_democracy

router = Router(tags=["democracy"])


class DemocracyVoteOut(Schema):
    id: int
    organization_id: int
    meeting_id: int | None
    kind: str
    title: str
    method: str
    quorum_rule: str
    held_on: date
    status: str
    entitled: int
    present: int
    in_favour: int | None
    against: int | None
    abstained: int | None
    passed: bool | None


class DemocracyDueOut(Schema):
    member_id: int
    name: str
    branch_id: int | None
    joined_on: date
    probation_ends_on: date | None
    overdue: bool


class DemocracyConversionOut(Schema):
    id: int
    member_id: int
    name: str
    branch_id: int
    vote_id: int
    proposal: str
    extend_months: int | None
    probation_ended_on: date
    status: str
    decided_on: date | None


class DemocracyStepOut(Schema):
    number: int
    held_on: date
    minutes: str
    vote_id: int | None
    body: str
    attendees: int | None
    in_favour: int | None
    against: int | None
    abstained: int | None
    board_item_id: int | None


class DemocracyMatterOut(Schema):
    id: int
    organization_id: int
    title: str
    description: str
    status: str


class DemocracyMatterDetailOut(DemocracyMatterOut):
    steps: list[DemocracyStepOut]


@router.get("/votes", response=list[DemocracyVoteOut])
@paginate
def votes(request, organization_id: ObjectId | None = None):
    api_require(can_use_democracy(request.user))
    qs = selectors.resolutions(request.user).order_by("-held_on", "-id")
    if organization_id is not None:
        qs = qs.filter(organization_id=organization_id)
    return qs


@router.get("/votes/{int:vote_id}", response=DemocracyVoteOut)
def vote_detail(request, vote_id: int):
    resolution = get_visible_or_404(Resolution.objects.select_related("organization"), request.user, pk=vote_id)
    api_require(services.elector_of(resolution, request.user) is not None
                or can_read_votes(request.user, resolution.organization)
                or can_read_matters(request.user, resolution.organization))
    return resolution


@router.get("/conversions/due", response=list[DemocracyDueOut])
@paginate
def conversions_due(request):
    api_require(READ_VOTES.anywhere(request.user))
    today = timezone.localdate()
    return Rows(selectors.conversions_due(request.user, today), lambda page: [
        {"member_id": m.pk, "name": m.name, "branch_id": m.home_org_id, "joined_on": m.joined_on,
         "probation_ends_on": m.probation_ends_on, "overdue": m.probation_ends_on < today} for m in page])


@router.get("/conversions", response=list[DemocracyConversionOut])
@paginate
def conversions(request):
    api_require(READ_VOTES.anywhere(request.user))
    return Rows(selectors.conversions(request.user).order_by("-created_at", "-id"), lambda page: [
        {"id": c.pk, "member_id": c.member_id, "name": c.member.name, "branch_id": c.branch_id,
         "vote_id": c.resolution_id, "proposal": c.proposal, "extend_months": c.extend_months,
         "probation_ended_on": c.probation_ended_on, "status": c.status, "decided_on": c.decided_on} for c in page])


class DemocracyTermOut(Schema):
    id: int
    organization_id: int
    organization: str
    starts_on: date
    years: int
    ends_on: date
    postponed_until: date | None
    election_due_on: date


@router.get("/terms/due", response=list[DemocracyTermOut])
@paginate
def terms_due(request):
    api_require(MANAGE_TERMS.anywhere(request.user))
    return Rows(selectors.terms_due(request.user, timezone.localdate()), lambda page: [
        {"id": t.pk, "organization_id": t.organization_id, "organization": t.organization.name,
         "starts_on": t.starts_on, "years": t.years, "ends_on": t.ends_on, "postponed_until": t.postponed_until,
         "election_due_on": t.election_due_on} for t in page])


@router.get("/matters", response=list[DemocracyMatterOut])
@paginate
def matters(request):
    api_require(READ_MATTERS.anywhere(request.user))
    return selectors.matters(request.user).order_by("-created_at", "-id")


@router.get("/matters/{int:matter_id}", response=DemocracyMatterDetailOut)
def matter_detail(request, matter_id: int):
    matter = selectors.matters(request.user).filter(pk=matter_id).first()
    api_require(matter is not None)
    steps = [{"number": s.number, "held_on": s.held_on, "minutes": s.minutes, "vote_id": s.resolution_id,
              "body": s.body, "attendees": s.attendees, "in_favour": s.in_favour, "against": s.against,
              "abstained": s.abstained, "board_item_id": s.publicity_item_id}
             for s in MatterStep.objects.filter(matter=matter).order_by("number")]
    return {"id": matter.pk, "organization_id": matter.organization_id, "title": matter.title,
            "description": matter.description, "status": matter.status, "steps": steps}




class DemocracyElectionOut(Schema):
    id: int
    organization_id: int
    organization: str
    term_id: int | None
    seats: int
    candidates_needed: int
    status: str
    submitted_on: date | None
    approved_on: date | None
    held_on: date | None
    new_term_id: int | None


class DemocracyResultOut(Schema):
    candidate_id: int
    name: str
    votes_for: int
    votes_against: int
    abstained: int
    elected: bool


class DemocracyRoundOut(Schema):
    number: int
    meeting_id: int
    seats: int
    status: str
    entitled: int
    present: int
    cast: int | None
    results: list[DemocracyResultOut]


class DemocracyCandidateOut(Schema):
    id: int
    member_id: int
    name: str
    elected_in_round: int | None
    votes: int | None


class DemocracyElectionDetailOut(DemocracyElectionOut):
    candidates: list[DemocracyCandidateOut]
    rounds: list[DemocracyRoundOut]


def _election_row(e) -> dict:
    return {"id": e.pk, "organization_id": e.organization_id, "organization": e.organization.name,
            "term_id": e.term_id, "seats": e.seats, "candidates_needed": e.candidates_needed, "status": e.status,
            "submitted_on": e.submitted_on, "approved_on": e.approved_on, "held_on": e.held_on,
            "new_term_id": e.new_term_id}


@router.get("/elections", response=list[DemocracyElectionOut])
@paginate
def elections(request, organization_id: ObjectId | None = None):
    api_require(can_use_democracy(request.user))
    qs = selectors.elections(request.user).order_by("-created_at", "-id")
    if organization_id is not None:
        qs = qs.filter(organization_id=organization_id)
    return Rows(qs, lambda page: [_election_row(e) for e in page])


@router.get("/elections/{int:election_id}", response=DemocracyElectionDetailOut)
def election_detail(request, election_id: int):
    """An election with its candidates and its rounds; a round's counts only once it is counted (never a
    ballot)."""
    from .models import Candidate

    election = selectors.elections(request.user).filter(pk=election_id).first()
    api_require(election is not None)
    candidates = [{"id": c.pk, "member_id": c.member_id, "name": c.member.name,
                   "elected_in_round": c.elected_in_round, "votes": c.votes}
                  for c in Candidate.objects.filter(election=election).select_related("member").order_by("id")]
    rounds = []
    for r in election.rounds.prefetch_related("results__candidate__member").order_by("number"):
        results = [{"candidate_id": x.candidate_id, "name": x.candidate.member.name, "votes_for": x.votes_for,
                    "votes_against": x.votes_against, "abstained": x.abstained, "elected": x.elected}
                   for x in r.results.all()] if r.status == "counted" else []
        rounds.append({"number": r.number, "meeting_id": r.meeting_id, "seats": r.seats, "status": r.status,
                       "entitled": r.entitled, "present": r.present, "cast": r.cast, "results": results})
    return {**_election_row(election), "candidates": candidates, "rounds": rounds}
