"""Every write of the democracy app: keyword-only, one transaction, the domain's rules, the audit row in the same
transaction. A refused write raises ``ValidationError`` with a message for the user and writes nothing.

Votes: ``record_show_of_hands`` (counts recorded at once) or ``open_secret_ballot`` → ``cast_ballot`` (one per
elector, anonymous) → ``close_ballot``. Both freeze the roll of members entitled on the day and refuse a vote
without quorum, saying why. Conversions: the branch general meeting's vote on a probationary member creates a
``Conversion`` awaiting the upper organization; ``decide_conversion`` approves it and changes the member through
``members.services``. 四议两公开: ``open_matter`` and ``record_step`` (six steps, in order, dated).
"""

from __future__ import annotations

import calendar
from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from gongzhi.core import audit
from gongzhi.meetings.models import AttendanceStatus, CommitteeMembership, Meeting, MeetingKind, MeetingStatus
from gongzhi.members.models import Member, MemberStatus, PartyStatus
from gongzhi.orgs.models import BRANCH_LEVEL, COMMUNITY_LEVEL, OrgKind

from .models import (
    Choice,
    Conversion,
    ConversionProposal,
    ConversionStatus,
    Elector,
    FourTwoStep,
    Matter,
    MatterStatus,
    MatterStep,
    Resolution,
    ResolutionKind,
    ResolutionStatus,
    SecretBallot,
    StepAttachment,
    VillagersBody,
    VoteCast,
    VotingMethod,
)
from .quorum import QuorumRule, more_than_half, quorum_refusal

#: The due list shows probationary members whose probation ends within this many days.
DUE_AHEAD_DAYS = 31
#: A conversion counts as on time when the branch voted at most this many days after the probation ended.
ON_TIME_DAYS = 30
MAX_EXTENSION_MONTHS = 12
VOTING_KINDS = (MeetingKind.GENERAL, MeetingKind.COMMITTEE)
COMMITTEE_KINDS = COMMUNITY_LEVEL | BRANCH_LEVEL


def add_months(day: date, months: int) -> date:
    month0 = day.month - 1 + months
    year, month = day.year + month0 // 12, month0 % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


# ---------------------------------------------------------------------------------------------
# Who is entitled


def entitled_members(organization, on: date, *, committee: bool = False):
    """Full members with voting rights on ``on``: of the branch (its committee for a committee meeting), or held
    anywhere in a village's or community's subtree for its party members' meeting. Probationary members, and
    members whose membership is suspended or retained, attend without a vote; members on leave stay entitled."""
    members = (Member.objects.current().filter(status=MemberStatus.FULL, party_status=PartyStatus.NORMAL)
               .filter(Q(full_member_on__isnull=True) | Q(full_member_on__lte=on)))
    if committee:
        seats = CommitteeMembership.objects.filter(branch=organization).active(on).values("member_id")
        return members.filter(pk__in=seats)
    if organization.kind in BRANCH_LEVEL:
        return members.filter(home_org=organization)
    return members.held_in(organization)


def meeting_roll(meeting: Meeting) -> tuple[list[Member], set[int]]:
    """The members entitled to vote at a meeting and the ids of those recorded present."""
    entitled = list(entitled_members(meeting.organization, meeting.date,
                                     committee=meeting.kind == MeetingKind.COMMITTEE))
    present = set(meeting.attendances.filter(status=AttendanceStatus.PRESENT).values_list("member_id", flat=True))
    return entitled, present


def _check_meeting(meeting: Meeting) -> None:
    members_meeting = meeting.kind == MeetingKind.MEMBERS and meeting.organization.kind in COMMUNITY_LEVEL
    if not members_meeting and (meeting.kind not in VOTING_KINDS or meeting.organization.kind != OrgKind.BRANCH):
        raise ValidationError(_("Votes are taken at a branch general meeting or a branch committee meeting."))
    if meeting.status == MeetingStatus.CANCELLED:
        raise ValidationError(_("The meeting was cancelled."))
    if meeting.date > timezone.localdate():
        raise ValidationError(_("A vote cannot be recorded before the meeting takes place (it is on %(date)s).")
                              % {"date": meeting.date})


# ---------------------------------------------------------------------------------------------
# Putting a question to the vote


def _clean_question(title: str, text: str) -> tuple[str, str]:
    title, text = (title or "").strip(), (text or "").strip()
    if not title:
        raise ValidationError({"title": _("Say what is being decided.")})
    return title[:200], text[:5000]


def _check_conversion(*, subject: Member | None, branch, proposal: str, extend_months: int | None,
                      held_on: date) -> None:
    if subject is None:
        raise ValidationError(_("Choose the probationary member the vote is about."))
    if subject.status != MemberStatus.PROBATIONARY:
        raise ValidationError(_("%(name)s is not a probationary member.") % {"name": subject.name})
    if subject.home_org_id != branch.pk:
        raise ValidationError(_("%(name)s's membership is not held by this branch.") % {"name": subject.name})
    if proposal not in ConversionProposal.values:
        raise ValidationError(_("Choose whether to convert or to extend the probation."))
    if held_on < subject.probation_ends_on - timedelta(days=DUE_AHEAD_DAYS):
        raise ValidationError(_("The probation ends on %(date)s: the branch votes at the earliest a month before.")
                              % {"date": subject.probation_ends_on})
    if Conversion.objects.filter(member=subject, status=ConversionStatus.AWAITING).exists():
        raise ValidationError(_("A decision on %(name)s already awaits the upper organization's approval.")
                              % {"name": subject.name})
    if proposal == ConversionProposal.EXTEND:
        if not extend_months or not 1 <= extend_months <= MAX_EXTENSION_MONTHS:
            raise ValidationError({"extend_months": _("A probation is extended by one to twelve months.")})
        earlier = Conversion.objects.filter(member=subject, proposal=ConversionProposal.EXTEND,
                                            status=ConversionStatus.APPROVED).first()
        if earlier is not None:
            raise ValidationError(_("%(name)s's probation was already extended once (approved on %(date)s); it "
                                    "cannot be extended a second time.")
                                  % {"name": subject.name, "date": earlier.decided_on})


def _put_to_vote(*, organization, meeting: Meeting | None, held_on: date | None, present_ids, title: str, text: str,
                 method: str, kind: str, quorum_rule: str, subject, proposal: str, extend_months, by) -> Resolution:
    if meeting is not None:
        meeting = Meeting.objects.select_related("organization").get(pk=meeting.pk)
        _check_meeting(meeting)
        organization, held_on = meeting.organization, meeting.date
        entitled, present = meeting_roll(meeting)
    else:
        if held_on is None or held_on > timezone.localdate():
            raise ValidationError({"held_on": _("Give the day of the meeting; it cannot be in the future.")})
        entitled = list(entitled_members(organization, held_on))
        present = {int(i) for i in present_ids or ()}
    title, text = _clean_question(title, text)
    entitled_ids = {m.pk for m in entitled}
    present &= entitled_ids
    if quorum_rule not in QuorumRule.values:
        raise ValidationError(_("Choose the quorum rule."))
    if method not in VotingMethod.values:
        raise ValidationError(_("Choose show of hands or secret ballot."))
    refusal = quorum_refusal(len(entitled_ids), len(present), quorum_rule)
    if refusal:
        raise ValidationError(refusal, code="no_quorum")
    if kind == ResolutionKind.CONVERSION:
        if meeting is None or meeting.kind != MeetingKind.GENERAL:
            raise ValidationError(_("A probationary member's conversion is voted by the branch general meeting."))
        _check_conversion(subject=subject, branch=organization, proposal=proposal, extend_months=extend_months,
                          held_on=held_on)
    else:
        subject, proposal, extend_months = None, "", None
    if proposal != ConversionProposal.EXTEND:
        extend_months = None
    resolution = Resolution.objects.create(
        organization=organization, meeting=meeting, kind=kind, title=title, text=text, method=method,
        quorum_rule=quorum_rule, held_on=held_on, entitled=len(entitled_ids), present=len(present), subject=subject,
        proposal=proposal, extend_months=extend_months, created_by=by)
    Elector.objects.bulk_create([Elector(resolution=resolution, member=m, present=m.pk in present) for m in entitled])
    return resolution


def _decide(resolution: Resolution, *, in_favour: int, against: int, abstained: int, by) -> Resolution:
    resolution.in_favour, resolution.against, resolution.abstained = in_favour, against, abstained
    resolution.passed = resolution.outcome().passed
    resolution.status, resolution.decided_by, resolution.decided_at = ResolutionStatus.DECIDED, by, timezone.now()
    resolution.save(update_fields=["in_favour", "against", "abstained", "passed", "status", "decided_by",
                                   "decided_at"])
    if resolution.kind == ResolutionKind.CONVERSION and resolution.passed:
        Conversion.objects.create(
            member=resolution.subject, branch=resolution.organization, resolution=resolution,
            proposal=resolution.proposal, extend_months=resolution.extend_months,
            probation_ended_on=resolution.subject.probation_ends_on)
    return resolution


def _counts(in_favour, against, abstained, present: int) -> tuple[int, int, int]:
    try:
        counts = tuple(int(n) for n in (in_favour, against, abstained))
    except (TypeError, ValueError) as exc:
        raise ValidationError(_("Give the number of votes in favour, against and abstaining.")) from exc
    if any(n < 0 for n in counts):
        raise ValidationError(_("A number of votes cannot be negative."))
    if sum(counts) > present:
        raise ValidationError(_("%(votes)s votes were counted but only %(present)s members entitled to vote are "
                                "present.") % {"votes": sum(counts), "present": present})
    return counts


@transaction.atomic
def record_show_of_hands(*, title: str, in_favour: int, against: int, abstained: int, by,
                         meeting: Meeting | None = None, organization=None, held_on: date | None = None,
                         present_ids=(), text: str = "",
                         kind: str = ResolutionKind.GENERAL, quorum_rule: str = QuorumRule.HALF, subject=None,
                         proposal: str = "", extend_months: int | None = None, request=None) -> Resolution:
    """A vote by show of hands: the roll frozen, the quorum checked, the counts recorded, the result decided
    against those entitled."""
    resolution = _put_to_vote(organization=organization, meeting=meeting, held_on=held_on, present_ids=present_ids,
                              title=title, text=text, method=VotingMethod.HANDS, kind=kind, quorum_rule=quorum_rule,
                              subject=subject, proposal=proposal, extend_months=extend_months, by=by)
    counts = _counts(in_favour, against, abstained, resolution.present)
    _decide(resolution, in_favour=counts[0], against=counts[1], abstained=counts[2], by=by)
    audit.record(actor=by, action="democracy.resolution.decide", obj=resolution, request=request,
                 detail={"method": "hands", "entitled": resolution.entitled, "present": resolution.present,
                         "in_favour": counts[0], "against": counts[1], "abstained": counts[2],
                         "passed": resolution.passed})
    return resolution


@transaction.atomic
def open_secret_ballot(*, title: str, by, meeting: Meeting | None = None, organization=None,
                       held_on: date | None = None, present_ids=(), text: str = "",
                       kind: str = ResolutionKind.GENERAL, quorum_rule: str = QuorumRule.HALF, subject=None,
                       proposal: str = "", extend_months: int | None = None, request=None) -> Resolution:
    """Open a secret ballot: the electors present each cast one anonymous ballot, then it is closed."""
    resolution = _put_to_vote(organization=organization, meeting=meeting, held_on=held_on, present_ids=present_ids,
                              title=title, text=text, method=VotingMethod.SECRET, kind=kind, quorum_rule=quorum_rule,
                              subject=subject, proposal=proposal, extend_months=extend_months, by=by)
    audit.record(actor=by, action="democracy.resolution.open", obj=resolution, request=request,
                 detail={"method": "secret", "entitled": resolution.entitled, "present": resolution.present})
    return resolution


def elector_of(resolution: Resolution, user) -> Elector | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return resolution.electors.select_related("member").filter(member__user=user).first()


def has_voted(elector: Elector | None) -> bool:
    return elector is not None and VoteCast.objects.filter(elector=elector).exists()


def cast_ballot(*, resolution: Resolution, user, choice: str, request=None) -> None:
    """Mark the elector as having voted and add one anonymous ballot, in one transaction. A second ballot, a
    member who is not entitled (a probationary member) or not present, or a closed ballot is refused. The audit
    row names the voter, never the choice."""
    if choice not in Choice.values:
        raise ValidationError(_("Choose in favour, against or abstain."))
    elector = elector_of(resolution, user)
    if elector is None:
        raise ValidationError(_("You are not entitled to vote on this question: only the branch's full members "
                                "vote; probationary members attend without a vote."))
    if not elector.present:
        raise ValidationError(_("Only members present at the meeting vote; there are no proxy votes."))
    try:
        with transaction.atomic():
            # The resolution's row lock orders every ballot against the closing of the vote.
            if Resolution.objects.select_for_update().filter(pk=resolution.pk, status=ResolutionStatus.OPEN,
                                                             method=VotingMethod.SECRET).first() is None:
                raise ValidationError(_("This vote is not open."))
            VoteCast.objects.create(resolution=resolution, elector=elector)
            SecretBallot.objects.create(resolution=resolution, choice=choice)
            audit.record(actor=user, action="democracy.ballot.cast", obj=resolution, request=request)
    except IntegrityError as exc:
        raise ValidationError(_("You have already voted on this question; a vote cannot be cast twice."),
                              code="voted") from exc


@transaction.atomic
def close_ballot(*, resolution: Resolution, by, request=None) -> Resolution:
    """Count the ballots and decide (more than half of those entitled in favour)."""
    resolution = Resolution.objects.select_for_update(of=("self",)).select_related("subject").get(pk=resolution.pk)
    if resolution.status != ResolutionStatus.OPEN:
        raise ValidationError(_("This vote is already closed."))
    counts = dict(SecretBallot.objects.filter(resolution=resolution).values_list("choice")
                  .annotate(n=Count("id")).values_list("choice", "n"))
    cast = VoteCast.objects.filter(resolution=resolution).count()
    if sum(counts.values()) != cast:  # pragma: no cover - one transaction writes both
        raise ValidationError(_("The ballots do not match the roll of those who voted; the vote cannot be counted."))
    _decide(resolution, in_favour=counts.get(Choice.FOR, 0), against=counts.get(Choice.AGAINST, 0),
            abstained=counts.get(Choice.ABSTAIN, 0), by=by)
    audit.record(actor=by, action="democracy.resolution.decide", obj=resolution, request=request,
                 detail={"method": "secret", "entitled": resolution.entitled, "present": resolution.present,
                         "cast": cast, "in_favour": resolution.in_favour, "against": resolution.against,
                         "abstained": resolution.abstained, "passed": resolution.passed})
    return resolution


# ---------------------------------------------------------------------------------------------
# Conversion (转正)


@transaction.atomic
def decide_conversion(*, conversion: Conversion, approve: bool, on: date, by, note: str = "",
                      request=None) -> Conversion:
    """The upper organization approves (the member is converted, or the probation extended, through the members
    service) or does not approve the branch's decision."""
    from gongzhi.members import services as member_services

    conversion = Conversion.objects.select_for_update().select_related("member", "resolution").get(pk=conversion.pk)
    if conversion.status != ConversionStatus.AWAITING:
        raise ValidationError(_("This decision was already dealt with."))
    if on > timezone.localdate() or on < conversion.resolution.held_on:
        raise ValidationError({"on": _("The approval is dated between the branch's vote (%(date)s) and today.")
                               % {"date": conversion.resolution.held_on}})
    note = (note or "").strip()
    if not approve and not note:
        raise ValidationError({"note": _("Say why the decision is not approved.")})
    member = conversion.member
    if approve and conversion.proposal == ConversionProposal.CONVERT:
        effective = max(conversion.probation_ended_on, member.joined_on + timedelta(days=1))
        member_services.update_member(member=member, by=by, request=request, on=effective, changes={
            "status": MemberStatus.FULL, "full_member_on": effective, "probation_ends_on": None})
    elif approve:
        member_services.update_member(member=member, by=by, request=request, on=on, changes={
            "probation_ends_on": add_months(conversion.probation_ended_on, conversion.extend_months)})
    conversion.status = ConversionStatus.APPROVED if approve else ConversionStatus.REFUSED
    conversion.decided_by, conversion.decided_on, conversion.note = by, on, note[:300]
    conversion.save(update_fields=["status", "decided_by", "decided_on", "note"])
    audit.record(actor=by, action="democracy.conversion.decide", obj=conversion, subject_user=member.user,
                 request=request, detail={"proposal": conversion.proposal, "approved": approve})
    return conversion


# ---------------------------------------------------------------------------------------------
# 四议两公开


@transaction.atomic
def open_matter(*, organization, title: str, description: str, by, request=None) -> Matter:
    if organization.kind != OrgKind.VILLAGE:
        raise ValidationError(_("四议两公开 applies to village matters: choose a village."))
    title, description = (title or "").strip(), (description or "").strip()
    if not title or not description:
        raise ValidationError(_("Give the matter's title and what it is about."))
    matter = Matter.objects.create(organization=organization, title=title[:120], description=description[:5000],
                                   created_by=by)
    audit.record(actor=by, action="democracy.matter.open", obj=matter, request=request)
    return matter


def next_step(matter: Matter) -> int | None:
    if matter.status != MatterStatus.IN_PROGRESS:
        return None
    last = matter.steps.order_by("-number").values_list("number", flat=True).first() or 0
    return last + 1 if last < 6 else None


def _source(matter: Matter, what: str) -> str:
    return f"democracy.matter:{matter.pk}:{what}"


def _publish(matter: Matter, *, what: str, title: str, body: str, by, request):
    from gongzhi.publicity import services as publicity
    from gongzhi.publicity.models import Category

    return publicity.publish_item(organization=matter.organization, category=Category.AFFAIRS, title=title[:120],
                                  body=body, source=_source(matter, what), catalogue_key="democracy.four_two",
                                  by=by, request=request)


def _decision_text(matter: Matter, steps: dict[int, MatterStep]) -> str:
    review, decision = steps[FourTwoStep.MEMBERS], steps[FourTwoStep.VILLAGERS]
    vote = review.resolution
    lines = [matter.description, "",
             _("%(date)s: the party members' meeting reviewed it: %(entitled)s entitled, %(present)s present, "
               "%(for)s in favour, %(against)s against, %(abstained)s abstaining.")
             % {"date": review.held_on, "entitled": vote.entitled, "present": vote.present, "for": vote.in_favour,
                "against": vote.against, "abstained": vote.abstained},
             _("%(date)s: the %(body)s decided it: %(present)s present, %(for)s in favour, %(against)s against, "
               "%(abstained)s abstaining.")
             % {"date": decision.held_on, "body": decision.get_body_display(), "present": decision.attendees,
                "for": decision.in_favour, "against": decision.against, "abstained": decision.abstained},
             "", decision.minutes]
    return "\n".join(lines)


@transaction.atomic
def record_step(*, matter: Matter, number: int, held_on: date, minutes: str, by, present_ids=(), in_favour=None,
                against=None, abstained=None, body: str = "", attendees=None, meeting: Meeting | None = None,
                request=None) -> MatterStep:
    """Record the matter's next step. Steps come in order, each dated on or after the one before and not in the
    future; step 3 is a vote of the party members' meeting (two thirds present, passed by more than half of those
    entitled); step 4 records the villagers' counts; steps 5 and 6 put the decision and then the results on the
    village's public board (through the publicity app, after its approval); the results may only be published
    once the decision is on the board."""
    matter = Matter.objects.select_for_update().select_related("organization").get(pk=matter.pk)
    expected = next_step(matter)
    if expected is None:
        raise ValidationError(_("This matter is closed (%(status)s): no further step can be recorded.")
                              % {"status": matter.get_status_display()}, code="closed")
    if number != expected:
        raise ValidationError(_("Steps are recorded in order: the next step is %(n)s (%(label)s).")
                              % {"n": expected, "label": FourTwoStep(expected).label}, code="order")
    steps = {s.number: s for s in matter.steps.select_related("resolution", "publicity_item")}
    previous = steps.get(number - 1)
    if held_on is None or held_on > timezone.localdate():
        raise ValidationError({"held_on": _("Give the step's date; it cannot be in the future.")})
    if previous is not None and held_on < previous.held_on:
        raise ValidationError({"held_on": _("Step %(n)s cannot be dated before step %(p)s (%(date)s).")
                               % {"n": number, "p": number - 1, "date": previous.held_on}})
    minutes = (minutes or "").strip()
    if len(minutes) < 4:
        raise ValidationError({"minutes": _("Write the minutes of this step.")})
    step = MatterStep(matter=matter, number=number, held_on=held_on, minutes=minutes[:10000], recorded_by=by)
    outcome = None
    if number == FourTwoStep.MEMBERS:
        if meeting is not None:
            # The village's party members' meeting (meetings app): its roll says who was present.
            if meeting.organization_id != matter.organization_id or meeting.kind != MeetingKind.MEMBERS:
                raise ValidationError({"meeting": _("Choose a party members' meeting of %(village)s.")
                                       % {"village": matter.organization.name}})
            if meeting.date != held_on:
                raise ValidationError({"held_on": _("The step is dated the day of the meeting (%(date)s).")
                                       % {"date": meeting.date}})
        resolution = record_show_of_hands(
            meeting=meeting,
            organization=matter.organization, held_on=held_on, present_ids=present_ids, title=matter.title,
            text=matter.description, in_favour=in_favour, against=against, abstained=abstained,
            kind=ResolutionKind.FOUR_TWO, quorum_rule=QuorumRule.TWO_THIRDS, by=by, request=request)
        step.resolution, outcome = resolution, resolution.passed
    elif number == FourTwoStep.VILLAGERS:
        if body not in VillagersBody.values:
            raise ValidationError({"body": _("Say which meeting decided: the villagers' meeting or their "
                                             "representatives.")})
        try:
            present = int(attendees)
        except (TypeError, ValueError) as exc:
            raise ValidationError({"attendees": _("Give how many attended.")}) from exc
        if present <= 0:
            raise ValidationError({"attendees": _("Give how many attended.")})
        counts = _counts(in_favour, against, abstained, present)
        step.body, step.attendees = body, present
        step.in_favour, step.against, step.abstained = counts
        outcome = more_than_half(counts[0], present)
    elif number == FourTwoStep.DECISION_PUBLIC:
        step.publicity_item = _publish(matter, what="decision",
                                       title=_("Decision: %(title)s") % {"title": matter.title},
                                       body=_decision_text(matter, steps), by=by, request=request)
    elif number == FourTwoStep.RESULTS_PUBLIC:
        from gongzhi.publicity.models import ItemStatus

        decision_item = steps[FourTwoStep.DECISION_PUBLIC].publicity_item
        if decision_item is None or decision_item.status != ItemStatus.PUBLISHED:
            raise ValidationError(_("The decision is not on the public board yet (it awaits approval): its "
                                    "results can only be published, and the matter closed, after it."),
                                  code="not_published")
        step.publicity_item = _publish(matter, what="results",
                                       title=_("Results: %(title)s") % {"title": matter.title}, body=minutes,
                                       by=by, request=request)
    step.save()
    if outcome is False:
        matter.status = MatterStatus.REJECTED
    elif number == FourTwoStep.VILLAGERS:
        from gongzhi.publicity import services as publicity

        publicity.owe_publication(organization=matter.organization, catalogue_key="democracy.four_two",
                                  source=_source(matter, "decision"), title=matter.title, arises_on=held_on, by=by)
    elif number == FourTwoStep.RESULTS_PUBLIC:
        matter.status = MatterStatus.IMPLEMENTED
    matter.save(update_fields=["status"])
    audit.record(actor=by, action="democracy.matter.step", obj=matter, request=request,
                 detail={"step": number, "outcome": outcome})
    return step


@transaction.atomic
def add_step_attachment(*, step: MatterStep, upload, by, request=None) -> StepAttachment:
    from gongzhi.meetings.uploads import check_upload

    content_type = check_upload(upload)
    if step.attachments.count() >= 10:
        raise ValidationError(_("A step holds at most 10 files."))
    attachment = StepAttachment(step=step, original_name=(upload.name or "file")[:200], content_type=content_type,
                                size=upload.size, uploaded_by=by)
    attachment.file.save(upload.name or "file", upload, save=False)
    attachment.save()
    audit.record(actor=by, action="democracy.matter.attach", obj=step.matter, request=request,
                 detail={"step": step.number, "size": upload.size})
    return attachment


# ---------------------------------------------------------------------------------------------
# Committee terms (换届)

#: Years of a term by organization kind (DOMAIN.md); others serve ``DEFAULT_TERM_YEARS``. A term recorded with its
#: own ``years`` overrides this.
TERM_YEARS = {OrgKind.COMMUNITY: 5, OrgKind.VILLAGE: 5}
DEFAULT_TERM_YEARS = 3
#: Terms whose election falls due within this many months are listed for the level above.
EXPIRY_NOTICE_MONTHS = 6
MAX_POSTPONEMENT_MONTHS = 12


@transaction.atomic
def record_term(*, organization, starts_on: date, by, years: int | None = None, request=None):
    """Record the committee's new term (after its election): the current term, if any, is replaced."""
    from .models import Term

    if organization.kind not in COMMITTEE_KINDS:
        raise ValidationError(_("Terms are kept for community, village and branch organizations."))
    years = years or TERM_YEARS.get(organization.kind, DEFAULT_TERM_YEARS)
    if not 1 <= years <= 5:
        raise ValidationError({"years": _("A term lasts one to five years.")})
    if starts_on is None or starts_on > timezone.localdate():
        raise ValidationError({"starts_on": _("Give the day the term started; it cannot be in the future.")})
    current = Term.objects.select_for_update().filter(organization=organization, closed_on__isnull=True).first()
    if current is not None:
        if starts_on <= current.starts_on:
            raise ValidationError({"starts_on": _("The new term starts after the current one (%(date)s).")
                                   % {"date": current.starts_on}})
        current.closed_on = starts_on
        current.save(update_fields=["closed_on"])
    term = Term.objects.create(organization=organization, starts_on=starts_on, years=years,
                               ends_on=add_months(starts_on, 12 * years), recorded_by=by)
    audit.record(actor=by, action="democracy.term.record", obj=term, request=request,
                 detail={"starts_on": str(starts_on), "years": years})
    return term


@transaction.atomic
def postpone_election(*, term, until: date, reason: str, by, request=None):
    """The upper organization approves postponing the election, by at most a year after the term's end, once."""
    from .models import Term

    term = Term.objects.select_for_update().get(pk=term.pk)
    if term.closed_on is not None:
        raise ValidationError(_("This term has been replaced by a new one."))
    if term.postponed_until is not None:
        raise ValidationError(_("The election was already postponed (until %(date)s); a postponement lasts at most "
                                "a year.") % {"date": term.postponed_until})
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason for the postponement.")})
    if until is None or until <= term.ends_on or until > add_months(term.ends_on, MAX_POSTPONEMENT_MONTHS):
        raise ValidationError({"until": _("The election may be postponed to a day after the term ends (%(end)s) and "
                                          "at most a year later (%(limit)s).")
                               % {"end": term.ends_on, "limit": add_months(term.ends_on, MAX_POSTPONEMENT_MONTHS)}})
    term.postponed_until, term.postponement_reason, term.postponement_approved_by = until, reason[:300], by
    term.save(update_fields=["postponed_until", "postponement_reason", "postponement_approved_by"])
    audit.record(actor=by, action="democracy.term.postpone", obj=term, request=request,
                 detail={"until": str(until)})
    return term


# ---------------------------------------------------------------------------------------------
# Elections (换届选举)
#
# ``open_election`` (seats) → ``add_candidate`` / ``remove_candidate`` → ``submit_candidates`` (the 20% margin) →
# ``review_candidates`` (the upper organization approves or returns the list) → ``add_monitor`` (not a candidate, an
# entitled voter) → ``open_round`` (at a held general meeting with quorum: the roll frozen) → ``cast_election_ballot``
# (one per elector present, anonymous) → ``count_round`` (more than half of the votes of those present, seats in
# order of votes; unfilled seats or a tie at the last seat → the next round among the remaining candidates) →
# ``install_committee`` (the upper organization: secretary and deputy chosen by the new committee among those
# elected; the new term, the committee seats, the roles through the accounts service, the results published).

#: Seats on a committee: a branch has a secretary alone (1) or a committee of 3 to 7 (from 7 full members).
BRANCH_SEATS = (1, 7)
COMMITTEE_MIN_FULL_MEMBERS = 7
COMMUNITY_SEATS = (3, 15)


def election_meeting_kind(organization) -> str:
    return MeetingKind.MEMBERS if organization.kind in COMMUNITY_LEVEL else MeetingKind.GENERAL


def _stands(organization, on: date):
    """Members who may stand and vote: the full members entitled on the day."""
    return entitled_members(organization, on)


def _check_seats(organization, seats) -> int:
    try:
        seats = int(seats)
    except (TypeError, ValueError) as exc:
        raise ValidationError({"seats": _("Give the number of seats on the committee.")}) from exc
    low, high = BRANCH_SEATS if organization.kind in BRANCH_LEVEL else COMMUNITY_SEATS
    if not low <= seats <= high or (organization.kind in BRANCH_LEVEL and seats == 2):
        raise ValidationError({"seats": _("A branch elects a secretary alone (1 seat) or a committee of 3 to 7; a "
                                          "community or village committee has 3 to 15 seats.")})
    if organization.kind in BRANCH_LEVEL and seats > 1:
        full = _stands(organization, timezone.localdate()).count()
        if full < COMMITTEE_MIN_FULL_MEMBERS:
            raise ValidationError({"seats": _("The branch has %(n)s full members: a committee needs at least "
                                              "%(min)s; it elects a secretary alone (1 seat).")
                                   % {"n": full, "min": COMMITTEE_MIN_FULL_MEMBERS}})
    return seats


def _locked_election(election):
    from .models import Election

    return Election.objects.select_for_update().select_related("organization").get(pk=election.pk)


def _require_status(election, *statuses) -> None:
    if election.status not in statuses:
        raise ValidationError(_("Not possible now: the election is at the stage “%(status)s”.")
                              % {"status": election.get_status_display()}, code="stage")


@transaction.atomic
def open_election(*, organization, seats, by, request=None):
    """Prepare the election of ``organization``'s committee (its current term is the one that expires)."""
    from .models import Election, ElectionStatus, Term

    if organization.kind not in COMMITTEE_KINDS:
        raise ValidationError(_("Committees are elected by community, village and branch organizations."))
    seats = _check_seats(organization, seats)
    if Election.objects.filter(organization=organization).exclude(status=ElectionStatus.INSTALLED).exists():
        raise ValidationError(_("An election of this committee is already under way."))
    term = Term.objects.current().filter(organization=organization).first()
    election = Election.objects.create(organization=organization, term=term, seats=seats, created_by=by)
    audit.record(actor=by, action="democracy.election.open", obj=election, request=request,
                 detail={"seats": seats, "term": term.pk if term else None})
    return election


@transaction.atomic
def add_candidate(*, election, member, by, request=None):
    from .models import Candidate, ElectionStatus, Monitor

    election = _locked_election(election)
    _require_status(election, ElectionStatus.PREPARING)
    if not _stands(election.organization, timezone.localdate()).filter(pk=member.pk).exists():
        raise ValidationError(_("%(name)s cannot stand: only full members of %(org)s with voting rights stand.")
                              % {"name": member.name, "org": election.organization.name})
    if Monitor.objects.filter(election=election, member=member).exists():
        raise ValidationError(_("%(name)s is a vote monitor: a monitor cannot stand.") % {"name": member.name})
    if Candidate.objects.filter(election=election, member=member).exists():
        raise ValidationError(_("%(name)s is already a candidate.") % {"name": member.name})
    candidate = Candidate.objects.create(election=election, member=member)
    audit.record(actor=by, action="democracy.election.candidate", obj=election, request=request,
                 detail={"member": member.pk, "added": True})
    return candidate


@transaction.atomic
def remove_candidate(*, election, candidate, by, request=None) -> None:
    from .models import ElectionStatus

    election = _locked_election(election)
    _require_status(election, ElectionStatus.PREPARING)
    if candidate.election_id != election.pk:
        raise ValidationError(_("This candidate stands in another election."))
    member_id = candidate.member_id
    candidate.delete()
    audit.record(actor=by, action="democracy.election.candidate", obj=election, request=request,
                 detail={"member": member_id, "added": False})


def margin_refusal(seats: int, candidates: int) -> str | None:
    """Why a list of ``candidates`` for ``seats`` cannot go forward (at least 20% more, rounded up), or ``None``."""
    from .quorum import candidates_needed

    needed = candidates_needed(seats)
    if candidates >= needed:
        return None
    return _("%(n)s candidates for %(seats)s seats: an election needs at least 20%% more candidates than seats, "
             "rounded up — at least %(needed)s.") % {"n": candidates, "seats": seats, "needed": needed}


@transaction.atomic
def submit_candidates(*, election, by, request=None):
    """Send the list to the upper organization, refused without the 20% margin (with the figures)."""
    from .models import ElectionStatus

    election = _locked_election(election)
    _require_status(election, ElectionStatus.PREPARING)
    refusal = margin_refusal(election.seats, election.candidates.count())
    if refusal:
        raise ValidationError(refusal, code="margin")
    election.status, election.submitted_on, election.returned_note = (ElectionStatus.SUBMITTED,
                                                                      timezone.localdate(), "")
    election.save(update_fields=["status", "submitted_on", "returned_note"])
    audit.record(actor=by, action="democracy.election.submit", obj=election, request=request,
                 detail={"seats": election.seats, "candidates": election.candidates.count()})
    return election


@transaction.atomic
def review_candidates(*, election, approve: bool, by, note: str = "", request=None):
    """The upper organization approves the list (voting may then be prepared) or returns it with a note."""
    from .models import ElectionStatus

    election = _locked_election(election)
    _require_status(election, ElectionStatus.SUBMITTED)
    note = (note or "").strip()
    if approve:
        election.status, election.approved_by, election.approved_on = (ElectionStatus.APPROVED, by,
                                                                        timezone.localdate())
    else:
        if not note:
            raise ValidationError({"note": _("Say why the list is returned.")})
        election.status = ElectionStatus.PREPARING
    election.returned_note = "" if approve else note[:300]
    election.save(update_fields=["status", "approved_by", "approved_on", "returned_note"])
    audit.record(actor=by, action="democracy.election.review", obj=election, request=request,
                 detail={"approved": approve})
    return election


@transaction.atomic
def add_monitor(*, election, member, duty: str, by, request=None):
    """A vote monitor (监票人) or teller (计票人): an entitled voter who is not a candidate."""
    from .models import Candidate, ElectionStatus, Monitor, MonitorDuty

    election = _locked_election(election)
    _require_status(election, ElectionStatus.PREPARING, ElectionStatus.SUBMITTED, ElectionStatus.APPROVED)
    if duty not in MonitorDuty.values:
        raise ValidationError({"duty": _("Choose vote monitor or teller.")})
    if Candidate.objects.filter(election=election, member=member).exists():
        raise ValidationError(_("%(name)s is a candidate: a candidate cannot monitor the vote.")
                              % {"name": member.name}, code="candidate")
    if not _stands(election.organization, timezone.localdate()).filter(pk=member.pk).exists():
        raise ValidationError(_("%(name)s is not entitled to vote here: monitors are chosen among the full members "
                                "who vote.") % {"name": member.name})
    if Monitor.objects.filter(election=election, member=member).exists():
        raise ValidationError(_("%(name)s is already a monitor.") % {"name": member.name})
    monitor = Monitor.objects.create(election=election, member=member, duty=duty)
    audit.record(actor=by, action="democracy.election.monitor", obj=election, request=request,
                 detail={"member": member.pk, "duty": duty})
    return monitor


def _check_election_meeting(election, meeting: Meeting) -> None:
    if meeting.organization_id != election.organization_id or meeting.kind != election_meeting_kind(
            election.organization):
        raise ValidationError(_("The committee is elected at the organization's own general meeting (of %(org)s).")
                              % {"org": election.organization.name})
    if meeting.status == MeetingStatus.CANCELLED:
        raise ValidationError(_("The meeting was cancelled."))
    if meeting.date > timezone.localdate():
        raise ValidationError(_("Voting cannot open before the meeting takes place (it is on %(date)s).")
                              % {"date": meeting.date})


@transaction.atomic
def open_round(*, election, meeting: Meeting, by, request=None):
    """Open a round of secret ballots at ``meeting``: the first for every seat among every candidate, a later one
    for the seats left among the remaining candidates. Refused before the list is approved, without a vote monitor,
    or without quorum (more than half of those entitled present)."""
    from .models import ElectionRound, ElectionStatus, MonitorDuty, RoundElector

    election = _locked_election(election)
    _require_status(election, ElectionStatus.APPROVED)
    if not election.monitors.filter(duty=MonitorDuty.SCRUTINEER).exists():
        raise ValidationError(_("Name at least one vote monitor (监票人) before the voting."))
    meeting = Meeting.objects.select_related("organization").get(pk=meeting.pk)
    _check_election_meeting(election, meeting)
    entitled = list(entitled_members(election.organization, meeting.date))
    present = set(meeting.attendances.filter(status=AttendanceStatus.PRESENT).values_list("member_id", flat=True))
    present &= {m.pk for m in entitled}
    refusal = quorum_refusal(len(entitled), len(present))
    if refusal:
        raise ValidationError(refusal, code="no_quorum")
    previous = election.rounds.order_by("-number").first()
    if previous is None:
        candidates, seats = list(election.candidates.all()), election.seats
    else:
        candidates = list(election.candidates.filter(pk__in=election.next_round_candidates or []))
        seats = election.seats - election.candidates.filter(elected_in_round__isnull=False).count()
    round_ = ElectionRound.objects.create(
        election=election, number=(previous.number + 1) if previous else 1, meeting=meeting, seats=seats,
        entitled=len(entitled), present=len(present), opened_by=by)
    round_.candidates.set(candidates)
    RoundElector.objects.bulk_create([RoundElector(round=round_, member=m, present=m.pk in present)
                                      for m in entitled])
    election.status = ElectionStatus.VOTING
    election.held_on = election.held_on or meeting.date
    election.save(update_fields=["status", "held_on"])
    audit.record(actor=by, action="democracy.election.round_open", obj=election, request=request,
                 detail={"round": round_.number, "seats": seats, "candidates": len(candidates),
                         "entitled": len(entitled), "present": len(present)})
    return round_


def round_elector_of(round_, user):
    from .models import RoundElector

    if round_ is None or not getattr(user, "is_authenticated", False):
        return None
    return RoundElector.objects.select_related("member").filter(round=round_, member__user=user).first()


def has_voted_in_round(elector) -> bool:
    from .models import RoundVoteCast

    return elector is not None and RoundVoteCast.objects.filter(elector=elector).exists()


def cast_election_ballot(*, round_, user, marks: dict, request=None) -> None:
    """One anonymous ballot: a mark (for, against, abstain) for each candidate of the round, at most ``seats``
    "for". The "has voted" row and the ballot are written in one transaction under the round's row lock; a second
    ballot, a member not entitled (a probationary member) or absent (no proxy) or a closed round is refused. The
    audit row names the voter, never the marks."""
    from .models import BallotMark, ElectionBallot, ElectionRound, Mark, RoundStatus, RoundVoteCast

    elector = round_elector_of(round_, user)
    if elector is None:
        raise ValidationError(_("You are not entitled to vote in this election: only full members of the "
                                "organization vote; probationary members attend without a vote."),
                              code="not_entitled")
    if not elector.present:
        raise ValidationError(_("Only members present at the meeting vote; there are no proxy votes."),
                              code="absent")
    candidate_ids = set(round_.candidates.values_list("pk", flat=True))
    clean = {}
    for key, value in (marks or {}).items():
        try:
            key = int(key)
        except (TypeError, ValueError) as exc:
            raise ValidationError(_("Mark each candidate on the ballot.")) from exc
        if key not in candidate_ids or value not in Mark.values:
            raise ValidationError(_("Mark each candidate on the ballot."))
        clean[key] = value
    if set(clean) != candidate_ids:
        raise ValidationError(_("Mark each candidate: for, against or abstain."))
    chosen = sum(1 for v in clean.values() if v == Mark.FOR)
    if chosen > round_.seats:
        raise ValidationError(_("You voted for %(n)s candidates but there are only %(seats)s seats: vote for at "
                                "most %(seats)s.") % {"n": chosen, "seats": round_.seats}, code="too_many")
    try:
        with transaction.atomic():
            if ElectionRound.objects.select_for_update().filter(pk=round_.pk, status=RoundStatus.OPEN).first() is None:
                raise ValidationError(_("This round of voting is not open."), code="closed")
            RoundVoteCast.objects.create(round=round_, elector=elector)
            ballot = ElectionBallot.objects.create(round=round_)
            BallotMark.objects.bulk_create([BallotMark(ballot=ballot, candidate_id=c, mark=m)
                                            for c, m in sorted(clean.items())])
            audit.record(actor=user, action="democracy.election.ballot", obj=round_.election, request=request,
                         detail={"round": round_.number})
    except IntegrityError as exc:
        raise ValidationError(_("You have already voted in this round; a ballot cannot be cast twice."),
                              code="voted") from exc


@transaction.atomic
def count_election_round(*, round_, by, request=None):
    """Close the round and count: a candidate needs more than half of the votes of those present; the seats are
    filled in order of votes; seats left (or a tie at the last seat) go to a re-vote among the remaining (or the
    tied) candidates."""
    from .models import BallotMark, ElectionRound, ElectionStatus, Mark, RoundResult, RoundStatus, RoundVoteCast
    from .quorum import Tally
    from .quorum import count_round as count

    round_ = ElectionRound.objects.select_for_update().select_related("election").get(pk=round_.pk)
    if round_.status != RoundStatus.OPEN:
        raise ValidationError(_("This round is already counted."))
    election = _locked_election(round_.election)
    cast = RoundVoteCast.objects.filter(round=round_).count()
    if round_.ballots.count() != cast:  # pragma: no cover - one transaction writes both
        raise ValidationError(_("The ballots do not match the roll of those who voted; the round cannot be counted."))
    tally: dict[int, dict[str, int]] = {}
    for candidate_id, mark, n in (BallotMark.objects.filter(ballot__round=round_).values_list("candidate_id", "mark")
                                  .annotate(n=Count("id")).values_list("candidate_id", "mark", "n")):
        tally.setdefault(candidate_id, {})[mark] = n
    candidates = list(round_.candidates.all())
    outcome = count([Tally(candidate=c.pk, votes=tally.get(c.pk, {}).get(Mark.FOR, 0)) for c in candidates],
                    seats=round_.seats, present=round_.present)
    RoundResult.objects.bulk_create([
        RoundResult(round=round_, candidate=c, votes_for=tally.get(c.pk, {}).get(Mark.FOR, 0),
                    votes_against=tally.get(c.pk, {}).get(Mark.AGAINST, 0),
                    abstained=tally.get(c.pk, {}).get(Mark.ABSTAIN, 0), elected=c.pk in outcome.elected)
        for c in candidates])
    for c in candidates:
        if c.pk in outcome.elected:
            c.elected_in_round, c.votes = round_.number, tally.get(c.pk, {}).get(Mark.FOR, 0)
            c.save(update_fields=["elected_in_round", "votes"])
    round_.status, round_.cast, round_.counted_by = RoundStatus.COUNTED, cast, by
    round_.save(update_fields=["status", "cast", "counted_by"])
    if outcome.seats_left:
        election.status, election.next_round_candidates = ElectionStatus.APPROVED, list(outcome.revote)
    else:
        election.status, election.next_round_candidates = ElectionStatus.ELECTED, []
    election.save(update_fields=["status", "next_round_candidates"])
    audit.record(actor=by, action="democracy.election.count", obj=election, request=request,
                 detail={"round": round_.number, "cast": cast, "present": round_.present,
                         "elected": list(outcome.elected), "seats_left": outcome.seats_left, "tie": outcome.tie})
    return outcome


#: The account role each committee post receives (community and village organizations; branches).
POST_ROLES = {
    "community": {"secretary": "community_secretary", "deputy": "community_staff", "member": "community_staff"},
    "branch": {"secretary": "branch_secretary", "deputy": "branch_secretary", "member": None},
}


def _post_roles(organization) -> dict:
    return POST_ROLES["branch" if organization.kind in BRANCH_LEVEL else "community"]


@transaction.atomic
def install_committee(*, election, secretary, starts_on: date, by, deputy=None, request=None):
    """The upper organization installs the elected committee: the secretary (and deputy) chosen by the new
    committee among those elected; a new term from ``starts_on``; the old committee's seats and roles ended the day
    before, the new seats recorded and the roles granted (through the accounts service, audited); the results put
    on the community's or village's public board (after its approval)."""
    from gongzhi.accounts import services as accounts
    from gongzhi.accounts.models import Role
    from gongzhi.meetings.models import CommitteePost
    from gongzhi.publicity import services as publicity
    from gongzhi.publicity.models import Category

    from .models import Candidate, ElectionStatus

    election = _locked_election(election)
    _require_status(election, ElectionStatus.ELECTED)
    organization = election.organization
    elected = list(Candidate.objects.filter(election=election, elected_in_round__isnull=False)
                   .select_related("member__user").order_by("-votes", "id"))
    elected_ids = {c.member_id for c in elected}
    if secretary is None or secretary.pk not in elected_ids:
        raise ValidationError({"secretary": _("The secretary is chosen among the elected committee members.")})
    if deputy is not None and (deputy.pk not in elected_ids or deputy.pk == secretary.pk):
        raise ValidationError({"deputy": _("The deputy secretary is another of the elected committee members.")})
    if starts_on is None or starts_on > timezone.localdate() or (election.held_on and starts_on < election.held_on):
        raise ValidationError({"starts_on": _("The new term starts between the election (%(date)s) and today.")
                               % {"date": election.held_on}})
    term = record_term(organization=organization, starts_on=starts_on, by=by, request=request)
    day_before = starts_on - timedelta(days=1)
    # The old committee: its seats end, and so do the roles its posts carried.
    roles = _post_roles(organization)
    old_seats = list(CommitteeMembership.objects.filter(branch=organization).active(starts_on)
                     .select_related("member"))
    old_users = {s.member.user_id for s in old_seats if s.member.user_id}
    for seat in old_seats:
        seat.ends_on = max(day_before, seat.starts_on)
        seat.save(update_fields=["ends_on"])
    role_kinds = {k for k in roles.values() if k}
    secretary_kind = roles["secretary"]
    ending = Role.objects.filter(organization=organization, kind__in=role_kinds).filter(
        Q(ends_on__isnull=True) | Q(ends_on__gte=starts_on)).filter(Q(kind=secretary_kind) | Q(user_id__in=old_users))
    ended = 0
    for role in ending:
        accounts.end_role(role=role, on=max(day_before, role.starts_on), by=by, request=request)
        ended += 1
    granted, without_account = 0, []
    for candidate in elected:
        member = candidate.member
        post = (CommitteePost.SECRETARY if member.pk == secretary.pk
                else CommitteePost.DEPUTY if deputy is not None and member.pk == deputy.pk else CommitteePost.MEMBER)
        CommitteeMembership.objects.create(branch=organization, member=member, post=post, starts_on=starts_on,
                                           ends_on=term.ends_on)
        kind = roles["secretary" if post == CommitteePost.SECRETARY else
                     "deputy" if post == CommitteePost.DEPUTY else "member"]
        if kind is None:
            continue
        if member.user_id is None:
            without_account.append(member.name)
            continue
        accounts.grant_role(user=member.user, kind=kind, organization=organization, starts_on=starts_on,
                            ends_on=term.ends_on, by=by, request=request)
        granted += 1
    lines = [_("Election of the committee of %(org)s, held on %(date)s: %(seats)s seats.")
             % {"org": organization.name, "date": election.held_on, "seats": election.seats}]
    for round_ in election.rounds.order_by("number"):
        lines.append(_("Round %(n)s: %(entitled)s entitled, %(present)s present, %(cast)s ballots.")
                     % {"n": round_.number, "entitled": round_.entitled, "present": round_.present,
                        "cast": round_.cast})
        for result in round_.results.select_related("candidate__member").order_by("-votes_for", "id"):
            lines.append(f"  {result.candidate.member.name}: {result.votes_for}"
                         + (f" ({_('elected')})" if result.elected else ""))
    lines.append(_("Secretary: %(name)s.") % {"name": secretary.name})
    if deputy is not None:
        lines.append(_("Deputy secretary: %(name)s.") % {"name": deputy.name})
    board = organization.community()
    item = publicity.publish_item(organization=board, category=Category.PARTY,
                                  title=(_("Election results: %(org)s") % {"org": organization.name})[:120],
                                  body="\n".join(lines), source=f"democracy.election:{election.pk}", by=by,
                                  request=request)
    election.status, election.secretary, election.deputy = ElectionStatus.INSTALLED, secretary, deputy
    election.new_term, election.publicity_item = term, item
    election.save(update_fields=["status", "secretary", "deputy", "new_term", "publicity_item"])
    audit.record(actor=by, action="democracy.election.install", obj=election, request=request,
                 detail={"term": term.pk, "roles_granted": granted, "roles_ended": ended,
                         "without_account": len(without_account)})
    return election, without_account
