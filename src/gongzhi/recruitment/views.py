"""Pages of recruitment (phone-first): the pipeline of an organization's subtree, a person's timeline with the next
step's form, registering an applicant. Thin: parse, authorise, call a service or selector, render."""

from __future__ import annotations

from datetime import timedelta

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from gongzhi.core.edge import add_to_form, messages_of, require
from gongzhi.core.scoping import get_visible_or_404, role_organizations
from gongzhi.meetings.models import Meeting, MeetingKind, MeetingStatus
from gongzhi.members.models import Member, MemberStatus
from gongzhi.orgs.models import GROUP_LEVEL, Organization

from . import selectors, services
from .forms import ApplicantForm, AssessmentForm, CloseForm, DocumentForm, StepForm
from .models import UPPER_STEPS, Candidate, Standing, Step, StepDocument, StepNumber
from .permissions import (
    READ_RECRUITMENT,
    RECORD_STEPS,
    can_assess,
    can_read_candidates,
    can_record_step,
    can_register_applicant,
    can_reveal_candidate,
    can_use_recruitment,
)


def _int(value) -> int | None:
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    return number if 0 < number < 2**31 else None


def index(request):
    user = request.user
    require(can_use_recruitment(user))
    org_pk = _int(request.GET.get("org"))
    organization = get_visible_or_404(Organization, user, pk=org_pk) if org_pk else None
    standing = request.GET.get("standing", "")
    today = timezone.localdate()
    rows, counts = selectors.pipeline(user, organization=organization, today=today, standing=standing)
    places = role_organizations(user, READ_RECRUITMENT.roles)
    branches = list(Organization.objects.where_user_can(user, READ_RECRUITMENT).filter(is_active=True)
                    .order_by("path")[:300])
    return render(request, "recruitment/index.html", {
        "rows": rows, "counts": [(value, label, counts[value]) for value, label in Standing.choices],
        "organization": organization, "standing": standing if standing in Standing.values else "",
        "places": [*places, *[b for b in branches if b not in places]],
        "may_register": RECORD_STEPS.anywhere(user), "today": today,
        "overdue_count": sum(1 for r in rows if r.overdue),
    })


@sensitive_post_parameters("id_number", "phone")
def applicant_new(request):
    user = request.user
    require(RECORD_STEPS.anywhere(user))
    branches = list(Organization.objects.where_user_can(user, RECORD_STEPS).filter(is_active=True)
                    .order_by("path")[:300])
    form = ApplicantForm(request.POST or None, request.FILES or None, branches=branches,
                         initial={"branch": request.GET.get("branch")})
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            branch = next((b for b in branches if b.pk == data["branch"]), None)
            require(branch is not None and can_register_applicant(user, branch))
            try:
                candidate = services.register_applicant(
                    branch=branch, name=data["name"], id_number=data["id_number"], applied_on=data["applied_on"],
                    category=data["category"], ethnicity=data["ethnicity"], education=data["education"],
                    phone=data["phone"], workplace=data["workplace"], notes=data["notes"],
                    documents=[data["document"]] if data.get("document") else (), by=user, request=request)
            except ValidationError as error:
                add_to_form(form, error)
            else:
                messages.success(request, _("The application is registered."))
                return redirect("recruitment:person", pk=candidate.pk)
        status = 400
    return render(request, "recruitment/new.html", {"form": form}, status=status)


# --- a person ---------------------------------------------------------------------------------------------


def _candidate(request, pk) -> Candidate:
    candidate = get_visible_or_404(Candidate.objects.select_related("branch", "member", "created_by"),
                                   request.user, pk=pk)
    require(can_read_candidates(request.user, candidate.branch))
    return candidate


def _step_form(candidate, number, data=None, files=None) -> StepForm:
    branch, members, meetings, electors, groups = candidate.branch, (), (), (), ()
    today = timezone.localdate()
    if number in (StepNumber.CONTACTS, StepNumber.INTRODUCERS):
        members = Member.objects.current().filter(home_org=branch, status=MemberStatus.FULL).order_by(
            "name_initials", "id")[:300]
    elif number == StepNumber.GENERAL_MEETING:
        from gongzhi.democracy.services import entitled_members

        meetings = (Meeting.objects.filter(organization=branch, kind=MeetingKind.GENERAL,
                                           date__gte=today - timedelta(days=120), date__lte=today)
                    .exclude(status=MeetingStatus.CANCELLED).order_by("-date", "-id")[:20])
        electors = entitled_members(branch, today).order_by("name_initials", "id")[:300]
    elif number == StepNumber.ASSIGNED:
        groups = Organization.objects.filter(parent=branch, kind__in=GROUP_LEVEL, is_active=True).order_by("name")
    return StepForm(data, files, step=number, members=members, meetings=meetings, electors=electors, groups=groups)


def _person_page(request, candidate, *, step_form=None, assessment_form=None, revealed=False, status=200):
    user = request.user
    today = timezone.localdate()
    number = services.next_step(candidate)
    conversion = services.conversion_of(candidate) if number == StepNumber.ARCHIVED else None
    earliest, reason = services.earliest_date(candidate, number, conversion=conversion) if number else (None, "")
    may_record = number is not None and number not in (23, 24) and can_record_step(user, candidate, number)
    may_assess = can_assess(user, candidate) and candidate.standing in (
        Standing.ACTIVIST, Standing.CANDIDATE, Standing.PROBATIONARY)
    assessments = list(candidate.assessments.select_related("recorded_by").order_by("-on", "-id"))
    response = render(request, "recruitment/person.html", {
        "candidate": candidate, "standing": Standing(candidate.current_standing).label,
        "timeline": selectors.timeline(candidate), "overdue": services.overdue(candidate, today,
                                                                                assessments=assessments),
        "next": number, "next_label": StepNumber(number).label if number else "", "earliest": earliest,
        "earliest_reason": reason, "upper": number in UPPER_STEPS if number else False,
        "form": (step_form or _step_form(candidate, number)) if may_record else None,
        "assessments": assessments, "assessment_form": (assessment_form or AssessmentForm()) if may_assess else None,
        "attach_form": DocumentForm() if can_assess(user, candidate) else None,
        "close_form": CloseForm() if can_assess(user, candidate) and candidate.standing in (
            Standing.APPLICANT, Standing.ACTIVIST, Standing.CANDIDATE) else None,
        "revealed": revealed, "may_reveal": can_reveal_candidate(user, candidate),
    }, status=status)
    if revealed:
        response["Cache-Control"] = "no-store"
    return response


def person(request, pk):
    return _person_page(request, _candidate(request, pk))


@require_POST
def record_step(request, pk):
    candidate = _candidate(request, pk)
    number = services.next_step(candidate)
    posted = _int(request.POST.get("number"))
    require(can_assess(request.user, candidate))
    if number is None or not can_record_step(request.user, candidate, number):
        messages.error(request, _("This step is not yours to record: the upper party committee records its own steps, "
                                  "the branch its steps.") if number else _("No further step can be recorded."))
        return redirect("recruitment:person", pk=candidate.pk)
    form = _step_form(candidate, number, request.POST, request.FILES)
    if posted is not None and posted != number:
        messages.error(request, _("Steps cannot be skipped: the next step is %(n)s (%(label)s).")
                       % {"n": number, "label": StepNumber(number).label})
        return redirect("recruitment:person", pk=candidate.pk)
    if not form.is_valid():
        return _person_page(request, candidate, step_form=form, status=400)
    data = form.cleaned_data

    def member(key):
        value = data.get(key)
        return Member.objects.filter(pk=value).first() if value else None

    meeting = None
    if data.get("meeting"):
        meeting = Meeting.objects.filter(pk=data["meeting"], organization=candidate.branch).first()
    group = Organization.objects.filter(pk=data["group"]).first() if data.get("group") else None
    try:
        services.record_step(
            candidate=candidate, number=number, on=data["on"], notes=data.get("notes", ""),
            first_member=member("first_member"), second_member=member("second_member"),
            notice_starts_on=data.get("notice_starts_on"), notice_ends_on=data.get("notice_ends_on"),
            meeting=meeting, present_ids=data.get("present") or (), in_favour=data.get("in_favour"),
            against=data.get("against"), abstained=data.get("abstained"), group=group,
            documents=[data["document"]] if data.get("document") else (), by=request.user, request=request)
    except ValidationError as error:
        add_to_form(form, error)
        return _person_page(request, candidate, step_form=form, status=400)
    messages.success(request, _("Step %(n)s is recorded.") % {"n": number})
    return redirect("recruitment:person", pk=candidate.pk)


@require_POST
def assess(request, pk):
    candidate = _candidate(request, pk)
    require(can_assess(request.user, candidate))
    form = AssessmentForm(request.POST)
    if not form.is_valid():
        return _person_page(request, candidate, assessment_form=form, status=400)
    try:
        services.add_assessment(candidate=candidate, by=request.user, request=request, **form.cleaned_data)
    except ValidationError as error:
        add_to_form(form, error)
        return _person_page(request, candidate, assessment_form=form, status=400)
    messages.success(request, _("The assessment is recorded."))
    return redirect("recruitment:person", pk=candidate.pk)


@require_POST
def attach(request, pk, step_pk):
    candidate = _candidate(request, pk)
    require(can_assess(request.user, candidate))
    step = Step.objects.filter(candidate=candidate, pk=step_pk).first()
    if step is None:
        raise Http404
    form = DocumentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.add_document(step=step, upload=form.cleaned_data["file"], by=request.user, request=request)
            messages.success(request, _("The document is attached."))
        except ValidationError as error:
            messages.error(request, messages_of(error))
    else:
        messages.error(request, _("Choose a photo or a PDF document."))
    return redirect("recruitment:person", pk=candidate.pk)


def document(request, pk, file_pk):
    candidate = _candidate(request, pk)
    item = StepDocument.objects.filter(step__candidate=candidate, pk=file_pk).first()
    if item is None:
        raise Http404
    response = FileResponse(item.file.open("rb"), content_type=item.content_type, filename=item.original_name)
    response["Cache-Control"] = "no-store"
    return response


@require_POST
def reveal(request, pk):
    candidate = _candidate(request, pk)
    require(can_reveal_candidate(request.user, candidate))
    services.reveal_candidate(candidate=candidate, by=request.user, request=request)
    return _person_page(request, candidate, revealed=True)


@require_POST
def close(request, pk):
    candidate = _candidate(request, pk)
    require(can_assess(request.user, candidate))
    form = CloseForm(request.POST)
    if form.is_valid():
        try:
            services.close_application(candidate=candidate, by=request.user, request=request, **form.cleaned_data)
            messages.success(request, _("The application is closed; its record is kept."))
        except ValidationError as error:
            messages.error(request, messages_of(error))
    else:
        messages.error(request, _("Give the date and the reason."))
    return redirect("recruitment:person", pk=candidate.pk)
