"""Meeting calendar, planning, the meeting record page, compliance grid, attendance
statistics, and the appraisal workflow. Thin: parse, authorise, call a service or selector."""

from __future__ import annotations

from datetime import date, time
from typing import NamedTuple

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from gongzhi.accounts.models import RoleKind
from gongzhi.core.edge import require
from gongzhi.core.paging import KeysetStatement
from gongzhi.core.periods import parse_month, parse_year
from gongzhi.core.rows import RowMarkup, RowUrl, choice_labels
from gongzhi.core.scoping import (
    VIEWER_OPTIONAL,
    get_visible_or_404,
    parse_id,
    role_organizations,
    stand_in_viewer,
    viewer_values,
)
from gongzhi.members.models import Member
from gongzhi.orgs.models import COMMUNITY_LEVEL, Organization, OrgKind

from . import compliance, selectors, services
from .forms import (
    AmendmentForm,
    AttachmentForm,
    AttendanceForm,
    MeetingPlanForm,
    MinutesForm,
    OpenAppraisalForm,
    RequirementForm,
    SelfAssessmentForm,
)
from .models import (
    GRADE_ORDER,
    Appraisal,
    AppraisalStatus,
    Attendance,
    AttendanceStatus,
    Grade,
    Meeting,
    MeetingAttachment,
    MeetingKind,
    MeetingRequirement,
    MeetingStatus,
)
from .permissions import (
    PLAN_MEETING,
    can_confirm_meeting,
    can_edit_requirements,
    can_plan_somewhere,
    can_record_meeting,
    can_run_appraisal,
    can_see_compliance,
    can_see_stats,
    can_use_meetings,
)


def _errors(error: ValidationError) -> str:
    return " ".join(error.messages)


def _int(value, default: int) -> int:
    """An id from a posted value; anything malformed or beyond a database integer gives ``default``."""
    return parse_id(value) or default


def plannable_units(user):
    """Branches and groups the user may plan meetings for, and communities and villages (their party members'
    meeting)."""
    return list(Organization.objects.where_user_can(user, PLAN_MEETING).filter(is_active=True)
                .select_related("parent").order_by("path"))


# ---------------------------------------------------------------------------------------------
# Meetings


class CalendarRow(NamedTuple):
    """One meeting of a month's list, read as values: the columns the list shows (not the minutes or resolutions)
    and its count of members present, without a model instance per meeting and organization."""

    id: int
    kind: str
    topic: str
    date: date
    start_time: time
    place: str
    status: str
    organization_name: str
    attendees: int

    model = Meeting  # the record a row stands for (the access matrix looks it up)

    @property
    def pk(self) -> int:
        return self.id


CALENDAR_FIELDS = ("id", "kind", "topic", "date", "start_time", "place", "status", "organization__name", "attendees")


def _month_rows(first, last, **viewer):
    # Each meeting's attendances counted by its own subquery, for the page's rows only (PostgreSQL evaluates it
    # after the sort and the limit): a join and a GROUP BY read every attendance of the table before the limit.
    attendees = Coalesce(Subquery(Attendance.objects.filter(meeting=OuterRef("pk")).order_by()
                                  .values("meeting").annotate(n=Count("*")).values("n")), 0)
    return (Meeting.objects.visible_to(stand_in_viewer(**viewer)).filter(date__gte=first, date__lte=last)
            .annotate(attendees=attendees).values_list(*CALENDAR_FIELDS))


#: A month's meetings, by day and time, compiled once (core.statements).
_MONTH_PAGE = KeysetStatement(_month_rows, order=("date", "start_time", "id"), optional=VIEWER_OPTIONAL)


def calendar(request):
    require(can_use_meetings(request.user))
    today = timezone.localdate()
    first = parse_month(request.GET.get("month", ""), today.replace(day=1))
    last = compliance.period_containing("month", first).end
    # A street's month holds hundreds of meetings (a city's thousands): pages of 50, by key.
    page = _MONTH_PAGE.page(Meeting, after=request.GET.get("after"), before=request.GET.get("before"), size=50,
                            record=CalendarRow._make, first=first, last=last, **viewer_values(request.user))
    due = []
    for branch in role_organizations(request.user, {RoleKind.BRANCH_SECRETARY}):
        if branch.kind == OrgKind.BRANCH:
            due.append((branch, compliance.due_next(branch, today)))
    previous = (first.replace(day=1) - date.resolution).replace(day=1)
    context = {
        "meetings": page.items, "rows": _calendar_rows(page.items), "page": page, "first": first, "due": due,
        "previous": f"{previous:%Y-%m}", "next": f"{last + date.resolution:%Y-%m}",
        "can_plan": can_plan_somewhere(request.user),
    }
    return render(request, "meetings/calendar.html", context)


_CALENDAR_ROW = RowMarkup("""
  <a class="list-group-item list-group-item-action" href="{url}">
    <div class="d-flex justify-content-between flex-wrap gap-1"><strong>{when} · {kind}</strong><span class="badge text-bg-{badge}">{status}</span></div>
    <div>{topic}</div>
    <div class="small text-body-secondary">{organization} · {place} · {attendees}</div>
  </a>
""")  # noqa: E501 (the markup as the template wrote it)
_STATUS_BADGES = {MeetingStatus.CONFIRMED: "success", MeetingStatus.RECORDED: "info"}


def _calendar_rows(meetings) -> str:
    """A month's meetings as list rows; each row's link, day, time, labels and count of members are
    prepared once per page (core.rows)."""
    detail_url = RowUrl("meetings:detail")
    kinds, statuses = choice_labels(Meeting, "kind"), choice_labels(Meeting, "status")
    online = _("online")
    members = {}  # the count's text, translated once per count

    def attendees(n: int) -> str:
        text = members.get(n)
        if text is None:
            text = members[n] = ngettext("%(n)s member", "%(n)s members", n) % {"n": n}
        return text

    return _CALENDAR_ROW.join([{
        "url": detail_url(m.id), "when": f"{m.date:%m-%d} {m.start_time:%H:%M}", "kind": kinds.get(m.kind, m.kind),
        "badge": _STATUS_BADGES.get(m.status, "secondary"), "status": statuses.get(m.status, m.status),
        "topic": m.topic, "organization": m.organization_name, "place": m.place or online,
        "attendees": attendees(m.attendees),
    } for m in meetings])


def plan(request):
    units = plannable_units(request.user)
    require(bool(units))
    unit_ids = [u.pk for u in units]
    organizations = Organization.objects.filter(pk__in=unit_ids).order_by("path")
    hosts = Member.objects.current().filter(Q(home_org_id__in=unit_ids) | Q(serving_org_id__in=unit_ids)
                                            | Q(home_org__parent_id__in=unit_ids))
    form = MeetingPlanForm(request.POST or None, organizations=organizations, hosts=hosts,
                           initial={"organization": request.GET.get("org"), "kind": request.GET.get("kind")})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            meeting = services.plan_meeting(by=request.user, request=request, **data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The meeting is planned and its members are notified."))
            return redirect("meetings:detail", pk=meeting.pk)
    return render(request, "meetings/plan.html", {"form": form})


def _meeting(request, pk):
    return get_visible_or_404(Meeting.objects.select_related("organization__parent", "host", "confirmed_by"),
                              request.user, pk=pk)


def _detail_context(request, meeting):
    attendances = list(meeting.attendances.select_related("member").order_by("member__name_initials", "id"))
    counts = {s: sum(1 for a in attendances if a.status == s) for s in AttendanceStatus.values}
    amendments = list(meeting.amendments.select_related("by", "member"))
    minutes = next((a.new_value for a in reversed(amendments) if a.field == "minutes"), meeting.minutes)
    resolutions = next((a.new_value for a in reversed(amendments) if a.field == "resolutions"), meeting.resolutions)
    may_record = can_record_meeting(request.user, meeting)
    return {
        "meeting": meeting, "attendances": attendances, "counts": counts, "amendments": amendments,
        "current_minutes": minutes, "current_resolutions": resolutions,
        "attachments": list(meeting.attachments.all()),
        "may_record": may_record and not meeting.is_locked and meeting.date <= timezone.localdate(),
        "may_amend": may_record and meeting.is_locked,
        "may_see_reasons": may_record,
        "may_confirm": can_confirm_meeting(request.user, meeting) and meeting.status == MeetingStatus.RECORDED,
        "in_future": meeting.date > timezone.localdate(),
        "minutes_form": MinutesForm(initial={"minutes": meeting.minutes, "resolutions": meeting.resolutions}),
        "attachment_form": AttachmentForm(), "amendment_form": AmendmentForm(),
        "statuses": [(s, AttendanceStatus(s).label) for s in ("present", "leave", "absent")],
    }


def detail(request, pk: int):
    meeting = _meeting(request, pk)
    return render(request, "meetings/detail.html", _detail_context(request, meeting))


@require_POST
def attendance(request, pk: int):
    meeting = _meeting(request, pk)
    require(can_record_meeting(request.user, meeting))
    form = AttendanceForm(request.POST)
    error = None
    if form.is_valid():
        try:
            row = services.record_attendance(meeting=meeting, member_id=form.cleaned_data["member"],
                                             status=form.cleaned_data["status"],
                                             leave_reason=form.cleaned_data["leave_reason"], by=request.user,
                                             request=request)
        except ValidationError as exc:
            error = _errors(exc)
    else:
        error = _("Choose present, on leave or absent.")
    if request.htmx:
        context = _detail_context(request, Meeting.objects.get(pk=meeting.pk))
        member_id = _int(request.POST.get("member"), 0)
        row = next((a for a in context["attendances"] if a.member_id == member_id), None)
        if row is None:
            return render(request, "meetings/detail.html#row-error", {"error": error}, status=400)
        context.update(a=row, error=error)
        return render(request, "meetings/detail.html#attendance-row", context, status=400 if error else 200)
    if error:
        messages.error(request, error)
    return redirect("meetings:detail", pk=meeting.pk)


@require_POST
def minutes(request, pk: int):
    meeting = _meeting(request, pk)
    require(can_record_meeting(request.user, meeting))
    form = MinutesForm(request.POST)
    if form.is_valid():
        try:
            services.record_minutes(meeting=meeting, by=request.user, request=request, **form.cleaned_data)
            messages.success(request, _("The minutes are saved."))
        except ValidationError as exc:
            messages.error(request, _errors(exc))
    else:
        messages.error(request, _("The minutes are too long."))
    return redirect("meetings:detail", pk=meeting.pk)


@require_POST
def attach(request, pk: int):
    meeting = _meeting(request, pk)
    require(can_record_meeting(request.user, meeting))
    form = AttachmentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.add_attachment(meeting=meeting, upload=form.cleaned_data["file"], by=request.user,
                                    request=request)
            messages.success(request, _("The file is attached."))
        except ValidationError as exc:
            messages.error(request, _errors(exc))
            return render(request, "meetings/detail.html", _detail_context(request, meeting), status=400)
    else:
        messages.error(request, _("Choose a file to attach."))
        return render(request, "meetings/detail.html", _detail_context(request, meeting), status=400)
    return redirect("meetings:detail", pk=meeting.pk)


def attachment(request, pk: int, attachment_pk: int):
    meeting = _meeting(request, pk)
    item = MeetingAttachment.objects.filter(meeting=meeting, pk=attachment_pk).first()
    if item is None:
        raise Http404
    return FileResponse(item.file.open("rb"), content_type=item.content_type, filename=item.original_name)


@require_POST
def confirm(request, pk: int):
    meeting = _meeting(request, pk)
    require(can_confirm_meeting(request.user, meeting))
    try:
        services.confirm_meeting(meeting=meeting, by=request.user, request=request)
        messages.success(request, _("The record is confirmed and locked."))
    except ValidationError as exc:
        messages.error(request, _errors(exc))
    return redirect("meetings:detail", pk=meeting.pk)


@require_POST
def amend(request, pk: int):
    meeting = _meeting(request, pk)
    require(can_record_meeting(request.user, meeting))
    form = AmendmentForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.amend_meeting(meeting=meeting, field=data["field"], reason=data["reason"], by=request.user,
                                   new_value=data["new_value"], member_id=data["member"], status=data["status"],
                                   leave_reason=data["leave_reason"], request=request)
            messages.success(request, _("The amendment is recorded; the original is kept."))
        except ValidationError as exc:
            messages.error(request, _errors(exc))
    else:
        messages.error(request, _("Give the reason for the amendment."))
    return redirect("meetings:detail", pk=meeting.pk)


# ---------------------------------------------------------------------------------------------
# Compliance and statistics


def _overseen_org(request, kinds=(OrgKind.STREET, OrgKind.TOWNSHIP, OrgKind.COMMUNITY, OrgKind.VILLAGE,
                                   OrgKind.DISTRICT)):
    pk = request.GET.get("org")
    if pk:
        return get_visible_or_404(Organization.objects.filter(kind__in=kinds), request.user, pk=pk)
    orgs = [o for o in role_organizations(request.user, RoleKind.staff_kinds() | {RoleKind.SUPERVISOR})
            if o.kind in kinds]
    if not orgs:
        raise Http404
    return min(orgs, key=lambda o: o.depth)


def compliance_grid(request):
    require(can_see_compliance(request.user))
    org = _overseen_org(request)
    today = timezone.localdate()
    year = parse_year(request.GET.get("year"), today.year)
    kind = request.GET.get("kind") or MeetingKind.THEME_DAY
    if kind not in compliance.REQUIRED_KINDS:
        kind = MeetingKind.THEME_DAY
    grid = compliance.compliance_grid(org, kind=kind, year=year, today=today)
    overseen = [o for o in role_organizations(request.user, RoleKind.staff_kinds() | {RoleKind.SUPERVISOR})]
    children = list(Organization.objects.filter(parent=org, kind__in=COMMUNITY_LEVEL)
                    .order_by("path"))
    context = {"grid": grid, "org": org, "year": year, "kind": kind, "years": range(today.year - 2, today.year + 1),
               "kinds": [(k, MeetingKind(k).label) for k in compliance.REQUIRED_KINDS], "children": children,
               "overseen": overseen, "labels": compliance.STATE_LABELS,
               "may_edit": can_edit_requirements(request.user, org)}
    return render(request, "meetings/compliance.html", context)


def requirements(request):
    org = _overseen_org(request, kinds=(OrgKind.STREET, OrgKind.TOWNSHIP, OrgKind.DISTRICT))
    require(can_edit_requirements(request.user, org))
    form = RequirementForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            try:
                services.set_requirement(organization=org, by=request.user, request=request, **form.cleaned_data)
                messages.success(request, _("The frequency is saved."))
                return redirect(f"{request.path}?org={org.pk}")
            except ValidationError as exc:
                form.add_error(None, exc)
    rows = []
    for kind in MeetingKind:
        req = compliance.requirement_at(org, kind)
        rows.append({"kind": kind, "label": kind.label, "period": req.period, "times": req.times})
    own = set(MeetingRequirement.objects.filter(organization=org).values_list("kind", flat=True))
    return render(request, "meetings/requirements.html", {"org": org, "rows": rows, "form": form, "own": own})


def stats(request, pk: int):
    org = get_visible_or_404(Organization.objects.exclude(kind=OrgKind.UNIT), request.user, pk=pk)
    require(can_use_meetings(request.user) and can_see_stats(request.user, org))
    year = parse_year(request.GET.get("year"), timezone.localdate().year)
    data = selectors.attendance_stats(org, date(year, 1, 1), date(year, 12, 31))
    return render(request, "meetings/stats.html", {"org": org, "year": year, "stats": data})


# ---------------------------------------------------------------------------------------------
# Appraisal


def _runnable_branches(user):
    branches = Organization.objects.visible_to(user).filter(kind=OrgKind.BRANCH, is_active=True).order_by("path")
    return [b for b in branches if can_run_appraisal(user, b)]


def appraisals(request):
    require(can_use_meetings(request.user))
    items = (Appraisal.objects.visible_to(request.user).select_related("branch")
             .annotate(n=Count("participants", distinct=True)).order_by("-year", "branch__path"))
    branches = _runnable_branches(request.user)
    form = OpenAppraisalForm(branches=Organization.objects.filter(pk__in=[b.pk for b in branches]),
                             initial={"year": timezone.localdate().year})
    return render(request, "meetings/appraisals.html", {"appraisals": items, "form": form if branches else None})


@require_POST
def appraisal_open(request):
    branches = _runnable_branches(request.user)
    require(bool(branches))
    form = OpenAppraisalForm(request.POST, branches=Organization.objects.filter(pk__in=[b.pk for b in branches]))
    if form.is_valid():
        try:
            appraisal = services.open_appraisal(by=request.user, request=request, **form.cleaned_data)
            messages.success(request, _("The appraisal is open: members can write their self-assessments."))
            return redirect("meetings:appraisal", pk=appraisal.pk)
        except ValidationError as exc:
            messages.error(request, _errors(exc))
    else:
        messages.error(request, _("Choose a branch and a year."))
    return redirect("meetings:appraisals")


def _appraisal(request, pk):
    return get_visible_or_404(Appraisal.objects.select_related("branch"), request.user, pk=pk)


def appraisal(request, pk: int):
    item = _appraisal(request, pk)
    me = services.participant_of(item, request.user)
    runs = can_run_appraisal(request.user, item.branch)
    context = {"appraisal": item, "me": me, "runs": runs, "grades": Grade.choices,
               "grade_labels": [Grade(g).label for g in GRADE_ORDER],
               "has_voted": bool(me) and item.roll.filter(voter=me).exists(),
               "voted": item.roll.count(), "self_form": SelfAssessmentForm(initial={"text": me.self_assessment})
               if me else None}
    participants = list(item.participants.select_related("member").order_by("member__name_initials", "id"))
    if runs:
        # What other apps know about the members for the appraisal (the community's evaluation of a reporting
        # member, …), collected from the registry: meetings does not know those apps.
        from gongzhi.core.registries import appraisal_references

        references = appraisal_references([p.member_id for p in participants], item.year)
        for participant in participants:
            participant.references = references.get(participant.member_id, [])
    context["participants"] = participants
    context["others"] = [p for p in participants if me is None or p.pk != me.pk]
    # The tally is shown only once voting has closed, so no one can watch it move vote by vote.
    if item.status != AppraisalStatus.OPEN and (runs or can_see_stats(request.user, item.branch)):
        context["tally"] = selectors.appraisal_tally(item)
        context["warnings"] = services.excellent_warnings(participants, [p.proposed_grade for p in participants])
    if runs:
        context["meetings"] = Meeting.objects.filter(organization=item.branch, kind=MeetingKind.GENERAL,
                                                     status__in=["recorded", "confirmed"],
                                                     date__year__gte=item.year).order_by("-date")[:20]
    return render(request, "meetings/appraisal.html", context)


@require_POST
def appraisal_self(request, pk: int):
    item = _appraisal(request, pk)
    me = services.participant_of(item, request.user)
    require(me is not None)
    form = SelfAssessmentForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(_("Write your self-assessment (at most 5,000 characters)."))
        services.submit_self_assessment(appraisal=item, participant=me, text=form.cleaned_data["text"],
                                        by=request.user, request=request)
        messages.success(request, _("Your self-assessment is saved."))
    except ValidationError as exc:
        messages.error(request, _errors(exc))
    return redirect("meetings:appraisal", pk=item.pk)


@require_POST
def appraisal_vote(request, pk: int):
    item = _appraisal(request, pk)
    me = services.participant_of(item, request.user)
    require(me is not None)
    grades = {k.removeprefix("grade-"): v for k, v in request.POST.items() if k.startswith("grade-")}
    try:
        grades = {int(k): v for k, v in grades.items()}
        n = services.cast_vote(appraisal=item, voter=me, grades=grades, request=request)
        messages.success(request, _("Your evaluation of %(n)s members is recorded anonymously.") % {"n": n})
    except ValueError:
        messages.error(request, _("The ballot is not valid."))
    except ValidationError as exc:
        messages.error(request, _errors(exc))
    return redirect("meetings:appraisal", pk=item.pk)


@require_POST
def appraisal_close(request, pk: int):
    item = _appraisal(request, pk)
    require(can_run_appraisal(request.user, item.branch))
    try:
        services.close_voting(appraisal=item, by=request.user, request=request)
        messages.success(request, _("Voting is closed; the tally is available."))
    except ValidationError as exc:
        messages.error(request, _errors(exc))
    return redirect("meetings:appraisal", pk=item.pk)


@require_POST
def appraisal_propose(request, pk: int):
    item = _appraisal(request, pk)
    require(can_run_appraisal(request.user, item.branch))
    grades = {k.removeprefix("grade-"): v for k, v in request.POST.items() if k.startswith("grade-")}
    try:
        warnings = services.propose_grades(appraisal=item, grades={int(k): v for k, v in grades.items()},
                                           by=request.user, request=request)
        messages.success(request, _("The proposed grades are saved."))
        for warning in warnings:
            messages.warning(request, warning)
    except ValueError:
        messages.error(request, _("The proposal is not valid."))
    except ValidationError as exc:
        messages.error(request, _errors(exc))
    return redirect("meetings:appraisal", pk=item.pk)


@require_POST
def appraisal_confirm(request, pk: int):
    item = _appraisal(request, pk)
    require(can_run_appraisal(request.user, item.branch))
    meeting = None
    if request.POST.get("meeting"):
        meeting = Meeting.objects.filter(pk=_int(request.POST["meeting"], 0), organization=item.branch).first()
        if meeting is None:
            messages.error(request, _("Choose a general meeting of this branch that has been held."))
            return redirect("meetings:appraisal", pk=item.pk)
    try:
        services.confirm_grades(appraisal=item, by=request.user, meeting=meeting, request=request)
        messages.success(request, _("The grades are confirmed and reported upward."))
    except ValidationError as exc:
        messages.error(request, _errors(exc))
    return redirect("meetings:appraisal", pk=item.pk)


def distribution(request, pk: int):
    org = get_visible_or_404(Organization.objects.exclude(kind__in=[OrgKind.UNIT, OrgKind.GROUP]), request.user,
                             pk=pk)
    require(can_see_stats(request.user, org))
    year = parse_year(request.GET.get("year"), timezone.localdate().year - 1)
    data = selectors.grade_distribution(org, year)
    return render(request, "meetings/distribution.html", {"org": org, "year": year, "data": data})
