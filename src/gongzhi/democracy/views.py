"""Pages of the democracy app: the overview, a meeting's votes (phone-first: the branch secretary records the
vote at the meeting), a vote with its secret ballot, conversions and their approval, village matters under
四议两公开. Thin: parse, authorise, call a service or selector, render."""

from __future__ import annotations

from datetime import timedelta

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gongzhi.core.edge import add_to_form, messages_of, require
from gongzhi.core.scoping import get_visible_or_404, parse_id
from gongzhi.meetings.models import Meeting, MeetingKind, MeetingStatus
from gongzhi.members.models import Member, MemberStatus
from gongzhi.orgs.models import Organization

from . import selectors, services
from .forms import ApprovalForm, AttachmentForm, BallotForm, MatterForm, PostponeForm, StepForm, TermForm, VoteForm
from .models import (
    Conversion,
    ConversionStatus,
    FourTwoStep,
    Matter,
    MatterStep,
    Resolution,
    ResolutionKind,
    StepAttachment,
    Term,
    VotingMethod,
)
from .permissions import (
    MANAGE_TERMS,
    READ_MATTERS,
    READ_VOTES,
    RECORD_VOTE,
    RUN_MATTERS,
    can_approve_conversion,
    can_manage_terms_of,
    can_read_matters,
    can_read_votes,
    can_record_vote,
    can_run_matters,
    can_use_democracy,
)
from .quorum import quorum_needed, quorum_refusal


def index(request):
    user = request.user
    require(can_use_democracy(user))
    today = timezone.localdate()
    meetings = (Meeting.objects.filter(organization__in=Organization.objects.where_user_can(user, RECORD_VOTE),
                                       kind__in=services.VOTING_KINDS, date__gte=today - timedelta(days=90),
                                       date__lte=today).exclude(status=MeetingStatus.CANCELLED)
                .select_related("organization").order_by("-date", "-id")[:20])
    return render(request, "democracy/index.html", {
        "ballots": selectors.open_ballots_for(user)[:20],
        "election_ballots": selectors.open_election_ballots_for(user)[:20],
        "meetings": meetings,
        "due": selectors.conversions_due(user, today)[:50] if READ_VOTES.anywhere(user) else [],
        "to_approve": selectors.conversions_to_approve(user)[:50],
        "votes": selectors.resolutions(user)[:20],
        "may_read_matters": READ_MATTERS.anywhere(user),
        "may_read_votes": READ_VOTES.anywhere(user),
        "may_read_terms": MANAGE_TERMS.anywhere(user) or READ_VOTES.anywhere(user),
        "today": today,
    })


# --- a meeting's votes ------------------------------------------------------------------------------------


def _meeting(request, pk):
    meeting = get_visible_or_404(Meeting.objects.select_related("organization"), request.user, pk=pk)
    require(meeting.kind in services.VOTING_KINDS and can_read_votes(request.user, meeting.organization))
    return meeting


def _probationary_on_roll(meeting):
    if meeting.kind != MeetingKind.GENERAL:
        return []
    return list(Member.objects.filter(pk__in=meeting.attendances.values("member_id"), home_org=meeting.organization,
                                      status=MemberStatus.PROBATIONARY).order_by("probation_ends_on", "id"))


def _meeting_page(request, meeting, form, status=200):
    entitled, present = services.meeting_roll(meeting)
    present_count = len(present & {m.pk for m in entitled})
    return render(request, "democracy/meeting.html", {
        "meeting": meeting, "form": form, "entitled": len(entitled), "present": present_count,
        "needed": quorum_needed(len(entitled)), "refusal": quorum_refusal(len(entitled), present_count),
        "votes": Resolution.objects.filter(meeting=meeting).select_related("subject").order_by("id"),
        "may_record": can_record_vote(request.user, meeting.organization),
        "probationary": _probationary_on_roll(meeting),
    }, status=status)


def meeting_votes(request, pk):
    meeting = _meeting(request, pk)
    form = VoteForm(probationary=_probationary_on_roll(meeting), initial={"subject": request.GET.get("subject")})
    if request.GET.get("subject"):
        form.initial["kind"] = ResolutionKind.CONVERSION
    return _meeting_page(request, meeting, form)


@require_POST
def meeting_vote(request, pk):
    meeting = _meeting(request, pk)
    require(can_record_vote(request.user, meeting.organization))
    probationary = _probationary_on_roll(meeting)
    form = VoteForm(request.POST, probationary=probationary)
    if not form.is_valid():
        return _meeting_page(request, meeting, form, status=400)
    data = form.cleaned_data
    subject = next((m for m in probationary if m.pk == data.get("subject")), None)
    title = data["title"]
    if data["kind"] == ResolutionKind.CONVERSION and subject is not None and not title:
        title = _("Conversion of %(name)s") % {"name": subject.name}
    arguments = {"meeting": meeting, "title": title, "kind": data["kind"], "quorum_rule": data["quorum_rule"],
                 "subject": subject, "proposal": data.get("proposal") or "",
                 "extend_months": data.get("extend_months"), "by": request.user, "request": request}
    try:
        if data["method"] == VotingMethod.SECRET:
            resolution = services.open_secret_ballot(**arguments)
        else:
            resolution = services.record_show_of_hands(in_favour=data["in_favour"], against=data["against"],
                                                       abstained=data["abstained"], **arguments)
    except ValidationError as error:
        add_to_form(form, error)
        return _meeting_page(request, meeting, form, status=400)
    messages.success(request, _("The vote is recorded.") if not resolution.is_open
                     else _("The secret ballot is open: members present vote on their phones."))
    return redirect("democracy:resolution", pk=resolution.pk)


# --- a vote ---------------------------------------------------------------------------------------------


def _resolution(request, pk) -> tuple[Resolution, object]:
    resolution = get_visible_or_404(Resolution.objects.select_related("organization", "meeting", "subject"),
                                    request.user, pk=pk)
    elector = services.elector_of(resolution, request.user)
    organization = resolution.organization
    require(elector is not None or can_read_votes(request.user, organization)
            or can_read_matters(request.user, organization))
    return resolution, elector


def _may_close(user, resolution) -> bool:
    return can_record_vote(user, resolution.organization) or can_run_matters(user, resolution.organization)


def _resolution_page(request, resolution, elector, form=None, status=200):
    return render(request, "democracy/resolution.html", {
        "resolution": resolution, "outcome": resolution.outcome(), "elector": elector,
        "has_voted": services.has_voted(elector), "form": form or BallotForm(),
        "may_close": resolution.is_open and _may_close(request.user, resolution),
        "may_read": can_read_votes(request.user, resolution.organization)
        or can_read_matters(request.user, resolution.organization),
        "conversion": Conversion.objects.filter(resolution=resolution).first(),
    }, status=status)


def resolution_detail(request, pk):
    resolution, elector = _resolution(request, pk)
    return _resolution_page(request, resolution, elector)


@require_POST
def ballot(request, pk):
    resolution, elector = _resolution(request, pk)
    require(elector is not None)
    form = BallotForm(request.POST)
    if not form.is_valid():
        return _resolution_page(request, resolution, elector, form, status=400)
    try:
        services.cast_ballot(resolution=resolution, user=request.user, choice=form.cleaned_data["choice"],
                             request=request)
    except ValidationError as error:
        add_to_form(form, error)
        return _resolution_page(request, resolution, elector, form, status=400)
    messages.success(request, _("Your ballot is cast. Nobody can see how you voted."))
    return redirect("democracy:resolution", pk=resolution.pk)


@require_POST
def close(request, pk):
    resolution, _elector = _resolution(request, pk)
    require(_may_close(request.user, resolution))
    try:
        services.close_ballot(resolution=resolution, by=request.user, request=request)
        messages.success(request, _("The ballots are counted."))
    except ValidationError as error:
        messages.error(request, messages_of(error))
    return redirect("democracy:resolution", pk=resolution.pk)


# --- conversions ----------------------------------------------------------------------------------------


def conversions(request):
    require(READ_VOTES.anywhere(request.user))
    today = timezone.localdate()
    return render(request, "democracy/conversions.html", {
        "due": selectors.conversions_due(request.user, today)[:200],
        "to_approve": selectors.conversions_to_approve(request.user)[:200],
        "decided": selectors.conversions(request.user).exclude(status="awaiting")[:50],
        "today": today,
    })


def conversion_detail(request, pk):
    conversion = get_visible_or_404(Conversion.objects.select_related("member", "branch", "resolution"),
                                    request.user, pk=pk)
    require(can_read_votes(request.user, conversion.branch))
    may_approve = can_approve_conversion(request.user, conversion)
    form = ApprovalForm(request.POST or None) if may_approve else None
    status = 200
    if request.method == "POST":
        require(may_approve)
        if form.is_valid():
            try:
                services.decide_conversion(conversion=conversion, approve=form.cleaned_data["decision"] == "approve",
                                           on=form.cleaned_data["on"], note=form.cleaned_data["note"],
                                           by=request.user, request=request)
            except ValidationError as error:
                add_to_form(form, error)
            else:
                messages.success(request, _("The decision is recorded."))
                return redirect("democracy:conversion", pk=conversion.pk)
        status = 400
    if conversion.status != ConversionStatus.AWAITING and status == 200:
        form = None
    return render(request, "democracy/conversion.html", {"conversion": conversion, "form": form}, status=status)


# --- 四议两公开 ------------------------------------------------------------------------------------------


def matters(request):
    user = request.user
    require(READ_MATTERS.anywhere(user))
    return render(request, "democracy/matters.html", {
        "matters": selectors.matters(user)[:200],
        "villages": Organization.objects.where_user_can(user, RUN_MATTERS).filter(is_active=True),
    })


def matter_new(request, pk):
    village = get_visible_or_404(Organization, request.user, pk=pk)
    require(can_run_matters(request.user, village))
    form = MatterForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                matter = services.open_matter(organization=village, by=request.user, request=request,
                                              **form.cleaned_data)
            except ValidationError as error:
                add_to_form(form, error)
            else:
                return redirect("democracy:matter", pk=matter.pk)
        status = 400
    return render(request, "democracy/matter_new.html", {"village": village, "form": form}, status=status)


def _matter(request, pk) -> Matter:
    matter = Matter.objects.where_user_can(request.user, READ_MATTERS).select_related("organization").filter(
        pk=pk).first()
    if matter is None:
        raise Http404
    return matter


def _members_meetings(matter):
    """The village's party members' meetings held (meetings app), the latest first."""
    return list(Meeting.objects.filter(organization=matter.organization, kind=MeetingKind.MEMBERS,
                                       date__lte=timezone.localdate())
                .exclude(status=MeetingStatus.CANCELLED).order_by("-date", "-id")[:20])


def _step_form(matter, data=None, files=None):
    number = services.next_step(matter)
    meetings = _members_meetings(matter) if number == FourTwoStep.MEMBERS else []
    return StepForm(data, files, step=number, meetings=meetings), number


def _matter_page(request, matter, form=None, status=200):
    form_, number = _step_form(matter)
    steps = list(MatterStep.objects.filter(matter=matter).select_related("resolution", "publicity_item",
                                                                        "recorded_by")
                 .prefetch_related("attachments"))
    may_run = can_run_matters(request.user, matter.organization)
    return render(request, "democracy/matter.html", {
        "matter": matter, "steps": steps, "all_steps": FourTwoStep.choices,
        "next": number, "next_label": FourTwoStep(number).label if number else "",
        "form": (form or form_) if may_run and number else None, "attach_form": AttachmentForm() if may_run else None,
    }, status=status)


def matter_detail(request, pk):
    return _matter_page(request, _matter(request, pk))


@require_POST
def matter_step(request, pk):
    matter = _matter(request, pk)
    require(can_run_matters(request.user, matter.organization))
    form, number = _step_form(matter, request.POST, request.FILES)
    if number is None:
        messages.error(request, _("This matter is closed: no further step can be recorded."))
        return redirect("democracy:matter", pk=matter.pk)
    if not form.is_valid():
        return _matter_page(request, matter, form, status=400)
    data = form.cleaned_data
    try:
        meeting = None
        if number == FourTwoStep.MEMBERS:
            meeting = next((m for m in _members_meetings(matter) if m.pk == data.get("meeting")), None)
            if meeting is None:
                raise ValidationError({"meeting": _("Choose the village's party members' meeting.")})
        step = services.record_step(matter=matter, number=number, minutes=data["minutes"],
                                    held_on=meeting.date if meeting else data["held_on"], meeting=meeting,
                                    in_favour=data.get("in_favour"),
                                    against=data.get("against"), abstained=data.get("abstained"),
                                    body=data.get("body") or "", attendees=data.get("attendees"), by=request.user,
                                    request=request)
        if data.get("file"):
            services.add_step_attachment(step=step, upload=data["file"], by=request.user, request=request)
    except ValidationError as error:
        add_to_form(form, error)
        return _matter_page(request, matter, form, status=400)
    messages.success(request, _("Step %(n)s is recorded.") % {"n": number})
    return redirect("democracy:matter", pk=matter.pk)


@require_POST
def step_attach(request, pk, step_pk):
    matter = _matter(request, pk)
    require(can_run_matters(request.user, matter.organization))
    step = MatterStep.objects.filter(matter=matter, pk=step_pk).first()
    if step is None:
        raise Http404
    form = AttachmentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.add_step_attachment(step=step, upload=form.cleaned_data["file"], by=request.user,
                                         request=request)
            messages.success(request, _("The file is attached."))
        except ValidationError as error:
            messages.error(request, messages_of(error))
    else:
        messages.error(request, _("Choose a photo or a PDF file."))
    return redirect("democracy:matter", pk=matter.pk)


def step_file(request, pk, file_pk):
    matter = _matter(request, pk)
    item = StepAttachment.objects.filter(step__matter=matter, pk=file_pk).first()
    if item is None:
        raise Http404
    return FileResponse(item.file.open("rb"), content_type=item.content_type, filename=item.original_name)


# --- terms (换届) ----------------------------------------------------------------------------------------


def terms(request):
    user = request.user
    require(MANAGE_TERMS.anywhere(user) or READ_VOTES.anywhere(user))
    today = timezone.localdate()
    managed = Organization.objects.where_user_can(user, MANAGE_TERMS)
    without = (Organization.objects.filter(parent__in=managed, kind__in=services.COMMITTEE_KINDS, is_active=True)
               .exclude(pk__in=Term.objects.current().values("organization_id")).order_by("path")[:200])
    from .permissions import RUN_ELECTION

    due = list(selectors.terms_due(user, today)[:200])
    latest = selectors.current_elections_by_org(t.organization_id for t in due)
    runnable = set(Organization.objects.where_user_can(user, RUN_ELECTION)
                   .filter(pk__in=[t.organization_id for t in due]).values_list("pk", flat=True))
    for t in due:
        found = latest.get(t.organization_id)
        t.election = found if found is not None and (found.term_id == t.pk or found.status != "installed") else None
        t.may_prepare = t.organization_id in runnable
    return render(request, "democracy/terms.html", {
        "due": due, "terms": selectors.terms(user)[:200],
        "without": without, "today": today})


def term_new(request, pk):
    organization = get_visible_or_404(Organization, request.user, pk=pk)
    require(organization.kind in services.COMMITTEE_KINDS and can_manage_terms_of(request.user, organization))
    form = TermForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                term = services.record_term(organization=organization, by=request.user, request=request,
                                            **form.cleaned_data)
            except ValidationError as error:
                add_to_form(form, error)
            else:
                return redirect("democracy:term", pk=term.pk)
        status = 400
    return render(request, "democracy/term_new.html", {"organization": organization, "form": form}, status=status)


def term_detail(request, pk):
    term = get_visible_or_404(Term.objects.select_related("organization", "organization__parent"), request.user,
                              pk=pk)
    may_approve = can_manage_terms_of(request.user, term.organization)
    form = PostponeForm(request.POST or None) if may_approve else None
    status = 200
    if request.method == "POST":
        require(may_approve)
        if form.is_valid():
            try:
                services.postpone_election(term=term, by=request.user, request=request, **form.cleaned_data)
            except ValidationError as error:
                add_to_form(form, error)
            else:
                messages.success(request, _("The postponement is recorded."))
                return redirect("democracy:term", pk=term.pk)
        status = 400
    if term.postponed_until or term.closed_on:
        form = form if status == 400 else None
    return render(request, "democracy/term.html", {"term": term, "form": form, "today": timezone.localdate()},
                  status=status)


# --- elections (换届选举) --------------------------------------------------------------------------------


def elections(request):
    from .permissions import APPROVE_ELECTION, READ_ELECTIONS, RUN_ELECTION

    user = request.user
    require(can_use_democracy(user))
    return render(request, "democracy/elections.html", {
        "ballots": selectors.open_election_ballots_for(user)[:20],
        "to_approve": selectors.elections_to_approve(user)[:100] if APPROVE_ELECTION.anywhere(user) else [],
        "elections": selectors.elections(user).order_by("-created_at", "-id")[:200],
        "may_run": RUN_ELECTION.anywhere(user), "may_read": READ_ELECTIONS.anywhere(user),
    })


def election_new(request, pk):
    from .forms import ElectionForm
    from .permissions import can_run_election

    organization = get_visible_or_404(Organization, request.user, pk=pk)
    require(organization.kind in services.COMMITTEE_KINDS and can_run_election(request.user, organization))
    form = ElectionForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                election = services.open_election(organization=organization, seats=form.cleaned_data["seats"],
                                                  by=request.user, request=request)
            except ValidationError as error:
                add_to_form(form, error)
            else:
                return redirect("democracy:election", pk=election.pk)
        status = 400
    term = Term.objects.current().filter(organization=organization).first()
    return render(request, "democracy/election_new.html", {"organization": organization, "form": form, "term": term},
                  status=status)


def _election(request, pk):
    from .models import Election
    from .permissions import can_read_election

    election = get_visible_or_404(Election.objects.select_related("organization__parent", "term", "new_term",
                                                                  "secretary", "deputy", "publicity_item"),
                                  request.user, pk=pk)
    open_round = election.rounds.filter(status="open").first()
    elector = services.round_elector_of(open_round, request.user)
    require(elector is not None or can_read_election(request.user, election)
            or selectors.elections(request.user).filter(pk=election.pk).exists())
    return election, open_round, elector


def _election_page(request, election, open_round, elector, *, forms=None, status=200):
    from .forms import CandidateForm, InstallForm, MonitorForm, ReviewForm, RoundForm
    from .models import Candidate, ElectionStatus
    from .permissions import can_approve_election, can_read_election, can_run_election

    user, today = request.user, timezone.localdate()
    organization = election.organization
    may_run = can_run_election(user, organization)
    may_approve = can_approve_election(user, election)
    candidates = list(Candidate.objects.filter(election=election).select_related("member")
                      .order_by("elected_in_round", "-votes", "member__name_initials", "id"))
    monitors = list(election.monitors.select_related("member"))
    rounds = list(election.rounds.select_related("meeting").prefetch_related("results__candidate__member")
                  .order_by("number"))
    forms = forms or {}
    context = {
        "election": election, "candidates": candidates, "monitors": monitors, "rounds": rounds,
        "open_round": open_round, "elector": elector, "has_voted": services.has_voted_in_round(elector),
        "may_run": may_run, "may_approve": may_approve, "may_read": can_read_election(user, election),
        "needed": election.candidates_needed,
        "margin": services.margin_refusal(election.seats, len(candidates)),
        "elected": [c for c in candidates if c.elected_in_round], "today": today,
        "statuses": ElectionStatus,
    }
    taken = {c.member_id for c in candidates} | {m.member_id for m in monitors}
    if may_run and election.status in (ElectionStatus.PREPARING, ElectionStatus.SUBMITTED, ElectionStatus.APPROVED):
        eligible = [m for m in services.entitled_members(organization, today).order_by("name_initials", "id")[:500]
                    if m.pk not in taken]
        if election.status == ElectionStatus.PREPARING:
            context["candidate_form"] = forms.get("candidate") or CandidateForm(members=eligible)
        context["monitor_form"] = forms.get("monitor") or MonitorForm(members=eligible)
    if may_run and election.status == ElectionStatus.APPROVED:
        meetings = (Meeting.objects.filter(organization=organization,
                                           kind=services.election_meeting_kind(organization),
                                           date__lte=today, date__gte=today - timedelta(days=60))
                    .exclude(status=MeetingStatus.CANCELLED).order_by("-date", "-id")[:20])
        context["round_form"] = forms.get("round") or RoundForm(meetings=meetings)
        context["next_candidates"] = [c for c in candidates if c.pk in set(election.next_round_candidates or [])]
    if may_approve and election.status == ElectionStatus.SUBMITTED:
        context["review_form"] = forms.get("review") or ReviewForm()
    if may_approve and election.status == ElectionStatus.ELECTED:
        context["install_form"] = forms.get("install") or InstallForm(elected=[c.member for c in candidates
                                                                              if c.elected_in_round])
    return render(request, "democracy/election.html", context, status=status)


def election_detail(request, pk):
    election, open_round, elector = _election(request, pk)
    return _election_page(request, election, open_round, elector)


@require_POST
def election_prepare(request, pk):
    """The organization's steps: candidates, the list sent for approval, monitors, a round opened or counted."""
    from .forms import CandidateForm, MonitorForm, RoundForm
    from .models import Candidate
    from .permissions import can_run_election

    election, open_round, elector = _election(request, pk)
    require(can_run_election(request.user, election.organization))
    action, user = request.POST.get("action", ""), request.user
    organization = election.organization
    members = services.entitled_members(organization, timezone.localdate())
    try:
        if action == "candidate":
            form = CandidateForm(request.POST, members=members)
            if not form.is_valid():
                raise ValidationError(_("Choose a full member of the organization."))
            services.add_candidate(election=election, member=members.get(pk=form.cleaned_data["member"]), by=user,
                                   request=request)
            messages.success(request, _("The candidate is added."))
        elif action == "remove":
            candidate = Candidate.objects.filter(election=election, pk=parse_id(request.POST.get("candidate"))).first()
            if candidate is None:
                raise ValidationError(_("Choose a candidate of this election."))
            services.remove_candidate(election=election, candidate=candidate, by=user, request=request)
            messages.success(request, _("The candidate is removed."))
        elif action == "submit":
            services.submit_candidates(election=election, by=user, request=request)
            messages.success(request, _("The list is sent to the upper organization for approval."))
        elif action == "monitor":
            form = MonitorForm(request.POST, members=members)
            if not form.is_valid():
                raise ValidationError(_("Choose a full member of the organization and the duty."))
            services.add_monitor(election=election, member=members.get(pk=form.cleaned_data["member"]),
                                 duty=form.cleaned_data["duty"], by=user, request=request)
            messages.success(request, _("The monitor is named."))
        elif action == "round":
            meetings = Meeting.objects.filter(organization=organization)
            form = RoundForm(request.POST, meetings=meetings)
            meeting = meetings.filter(pk=parse_id(request.POST.get("meeting"))).first()
            if meeting is None:
                raise ValidationError(_("Choose the meeting at which the members vote."))
            services.open_round(election=election, meeting=meeting, by=user, request=request)
            messages.success(request, _("Voting is open: the members present vote on their phones."))
        elif action == "count":
            if open_round is None:
                raise ValidationError(_("No round of voting is open."))
            outcome = services.count_election_round(round_=open_round, by=user, request=request)
            messages.success(request, _("The ballots are counted.") if not outcome.seats_left else
                             _("The ballots are counted: %(n)s seats are left to a re-vote.")
                             % {"n": outcome.seats_left})
        else:
            raise ValidationError(_("Unknown action."))
    except ValidationError as error:
        messages.error(request, messages_of(error))
    return redirect("democracy:election", pk=election.pk)


@require_POST
def election_review(request, pk):
    """The upper organization: approves or returns the list; installs the elected committee."""
    from .forms import InstallForm, ReviewForm
    from .models import Candidate, ElectionStatus
    from .permissions import can_approve_election

    election, open_round, elector = _election(request, pk)
    require(can_approve_election(request.user, election))
    if election.status == ElectionStatus.ELECTED:
        elected = [c.member for c in Candidate.objects.filter(election=election, elected_in_round__isnull=False)
                   .select_related("member")]
        form = InstallForm(request.POST, elected=elected)
        if form.is_valid():
            by_pk = {m.pk: m for m in elected}
            try:
                _election_, without = services.install_committee(
                    election=election, secretary=by_pk.get(form.cleaned_data["secretary"]),
                    deputy=by_pk.get(form.cleaned_data["deputy"]), starts_on=form.cleaned_data["starts_on"],
                    by=request.user, request=request)
            except ValidationError as error:
                add_to_form(form, error)
            else:
                messages.success(request, _("The new committee is in office; the results await publication."))
                if without:
                    messages.warning(request, _("Without an account, no role could be granted to: %(names)s.")
                                     % {"names": "、".join(without)})
                return redirect("democracy:election", pk=election.pk)
        return _election_page(request, election, open_round, elector, forms={"install": form}, status=400)
    form = ReviewForm(request.POST)
    if form.is_valid():
        try:
            services.review_candidates(election=election, approve=form.cleaned_data["decision"] == "approve",
                                       note=form.cleaned_data["note"], by=request.user, request=request)
        except ValidationError as error:
            add_to_form(form, error)
        else:
            messages.success(request, _("The decision on the list is recorded."))
            return redirect("democracy:election", pk=election.pk)
    return _election_page(request, election, open_round, elector, forms={"review": form}, status=400)


def election_ballot(request, pk):
    """The member's secret ballot, on a phone: one mark per candidate."""
    from .forms import ElectionBallotForm

    election, open_round, elector = _election(request, pk)
    require(open_round is not None and elector is not None)
    candidates = list(open_round.candidates.select_related("member").order_by("member__name_initials", "id"))
    form = ElectionBallotForm(request.POST or None, candidates=candidates)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.cast_election_ballot(round_=open_round, user=request.user, marks=form.marks(),
                                              request=request)
            except ValidationError as error:
                add_to_form(form, error)
            else:
                messages.success(request, _("Your ballot is cast. Nobody can see how you voted."))
                return redirect("democracy:election", pk=election.pk)
        status = 400
    return render(request, "democracy/election_ballot.html", {
        "election": election, "round": open_round, "elector": elector, "form": form,
        "has_voted": services.has_voted_in_round(elector)}, status=status)
