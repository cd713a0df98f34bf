"""Reads of the democracy app, scoped: the conversions due, decisions awaiting approval, votes, village matters."""

from __future__ import annotations

from datetime import date, timedelta

from gongzhi.members.models import Member, MemberStatus
from gongzhi.orgs.models import Organization

from .models import Conversion, ConversionStatus, Matter, Resolution
from .permissions import APPROVE_CONVERSION, READ_MATTERS, READ_VOTES
from .services import DUE_AHEAD_DAYS


def conversions_due(user, today: date):
    """Probationary members of the branches the user reads whose probation ends within a month (or has ended),
    with no decision awaiting approval: the branch general meeting should vote on them."""
    branches = Organization.objects.where_user_can(user, READ_VOTES)
    return (Member.objects.current().filter(status=MemberStatus.PROBATIONARY, home_org__in=branches,
                                            probation_ends_on__lte=today + timedelta(days=DUE_AHEAD_DAYS))
            .exclude(conversions__status=ConversionStatus.AWAITING)
            .select_related("home_org").order_by("probation_ends_on", "id"))


def conversions_to_approve(user):
    return (Conversion.objects.where_user_can(user, APPROVE_CONVERSION).awaiting()
            .select_related("member", "branch", "resolution").order_by("created_at", "id"))


def conversions(user):
    return (Conversion.objects.where_user_can(user, READ_VOTES)
            .select_related("member", "branch", "resolution", "decided_by"))


def resolutions(user):
    """Votes the user may read: those of branches in scope, and those he or she is an elector of."""
    return Resolution.objects.visible_to(user).select_related("organization", "meeting", "subject")


def open_ballots_for(user):
    """Secret ballots open in which the user is an elector present and has not voted yet."""
    from .models import ResolutionStatus, VoteCast, VotingMethod

    if not getattr(user, "is_authenticated", False):
        return Resolution.objects.none()
    voted = VoteCast.objects.filter(elector__member__user=user).values("resolution_id")
    return (Resolution.objects.filter(status=ResolutionStatus.OPEN, method=VotingMethod.SECRET,
                                      electors__member__user=user, electors__present=True)
            .exclude(pk__in=voted).select_related("organization"))


def matters(user):
    return Matter.objects.where_user_can(user, READ_MATTERS).select_related("organization")


def terms_due(user, today: date):
    """Current terms of the organizations below the user's (whose parent the user manages terms at) whose election
    falls due within six months, or is overdue: listed for the level above."""
    from django.db.models import Q

    from .models import Term
    from .permissions import MANAGE_TERMS
    from .services import EXPIRY_NOTICE_MONTHS, add_months

    horizon = add_months(today, EXPIRY_NOTICE_MONTHS)
    parents = Organization.objects.where_user_can(user, MANAGE_TERMS)
    return (Term.objects.current().filter(organization__parent__in=parents)
            .filter(Q(postponed_until__isnull=True, ends_on__lte=horizon) | Q(postponed_until__lte=horizon))
            .select_related("organization").order_by("ends_on", "id"))


def terms(user):
    """Current terms of the organizations the user may see."""
    from .models import Term

    return Term.objects.visible_to(user).current().select_related("organization").order_by("ends_on", "id")


# ---------------------------------------------------------------------------------------------
# Elections


def elections(user):
    """Elections the user may read: of the organizations where he or she reads elections, of those below where he
    or she approves them, and those he or she is an elector of."""
    from django.db.models import Q

    from .models import Election
    from .permissions import APPROVE_ELECTION, READ_ELECTIONS

    if not getattr(user, "is_authenticated", False):
        return Election.objects.none()
    reads = Organization.objects.where_user_can(user, READ_ELECTIONS)
    approves = Organization.objects.where_user_can(user, APPROVE_ELECTION)
    return (Election.objects.visible_to(user)
            .filter(Q(organization__in=reads) | Q(organization__parent__in=approves)
                    | Q(rounds__electors__member__user=user))
            .distinct().select_related("organization", "term"))


def elections_to_approve(user):
    """Candidate lists awaiting the user's approval (the upper organization)."""
    from .models import Election, ElectionStatus
    from .permissions import APPROVE_ELECTION

    approves = Organization.objects.where_user_can(user, APPROVE_ELECTION)
    return (Election.objects.filter(organization__parent__in=approves, status=ElectionStatus.SUBMITTED)
            .select_related("organization").order_by("submitted_on", "id"))


def open_election_ballots_for(user):
    """Open rounds in which the user is an elector present and has not voted yet."""
    from .models import ElectionRound, RoundStatus, RoundVoteCast

    if not getattr(user, "is_authenticated", False):
        return ElectionRound.objects.none()
    voted = RoundVoteCast.objects.filter(elector__member__user=user).values("round_id")
    return (ElectionRound.objects.filter(status=RoundStatus.OPEN, electors__member__user=user,
                                         electors__present=True)
            .exclude(pk__in=voted).select_related("election__organization"))


def current_elections_by_org(organization_ids) -> dict:
    """The latest election of each organization (for the due list's links)."""
    from .models import Election

    found = {}
    for election in Election.objects.filter(organization_id__in=list(organization_ids)).order_by("created_at", "id"):
        found[election.organization_id] = election
    return found
