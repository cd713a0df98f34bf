"""Service pages: upcoming activities, detail with sign-up, organiser roster, QR check-in; service
teams and their members; recurring series."""

from __future__ import annotations

import html
from datetime import datetime
from typing import NamedTuple

import segno
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gongzhi.core.edge import add_to_form, require
from gongzhi.core.paging import KeysetStatement, keyset_page, links_html
from gongzhi.core.periods import parse_month, parse_year
from gongzhi.core.rows import RowMarkup, RowUrl, choice_labels, local_clock
from gongzhi.core.scoping import VIEWER_OPTIONAL, ancestor_paths, get_visible_or_404
from gongzhi.members.models import Member
from gongzhi.orgs.models import STEP, Building, Grid

from . import selectors, services
from .forms import (
    WEEKDAYS,
    ActivityForm,
    AddTeamMemberForm,
    ManualCheckForm,
    RemoveTeamMemberForm,
    SeriesForm,
    TeamForm,
    UpcomingFilterForm,
)
from .models import (
    Activity,
    ActivitySeries,
    CheckIn,
    OpenTo,
    ServiceTeam,
    SignUp,
    SignUpStatus,
    participant_filter,
    stand_in_participant,
    viewer_scope,
    visible_activity_or_404,
)
from .permissions import (
    can_cancel_activity,
    can_manage_series,
    can_manage_team,
    can_organise,
    can_publish,
    can_see_team_members,
    can_see_unit_service,
    can_use_service,
    can_view_roster,
    can_view_teams,
    publishing_orgs,
)


def own_member(user):
    return Member.objects.filter(user=user).select_related("home_org", "community").first()


def _teams_for_activities(user):
    """Teams an activity or series may be given: active teams the publisher may manage."""
    orgs = publishing_orgs(user)
    query = Q(pk__in=[])
    for org in orgs:
        query |= Q(organization__path__startswith=org.path) | Q(organization__path__in=ancestor_paths(org.path, STEP))
    return ServiceTeam.objects.visible_to(user).active().filter(query).order_by("organization__path", "name")


UPCOMING_PAGE = 50


class UpcomingRow(NamedTuple):
    """One activity of the upcoming list, read as values: the columns the list shows (not the description) and the
    places taken, without a model instance per activity, organization and team."""

    id: int
    title: str
    kind: str
    place: str
    starts_at: datetime
    ends_at: datetime
    capacity: int | None
    open_to: str
    series_id: int | None
    cancelled_at: datetime | None
    organization_name: str
    team_name: str | None
    taken: int

    model = Activity  # the record a row stands for (the access matrix looks it up)

    @property
    def pk(self) -> int:
        return self.id


UPCOMING_FIELDS = ("id", "title", "kind", "place", "starts_at", "ends_at", "capacity", "open_to", "series_id",
                   "cancelled_at", "organization__name", "team__name", "taken")


def _upcoming_rows(now, **scope):
    return selectors.upcoming_activities(stand_in_participant(**scope), now=now).values_list(*UPCOMING_FIELDS)


UPCOMING_ORDER = ("starts_at", "id")
#: The unfiltered list's pages, compiled once (core.statements).
_UPCOMING_PAGE = KeysetStatement(_upcoming_rows, order=UPCOMING_ORDER, optional=VIEWER_OPTIONAL)


def upcoming(request):
    require(can_use_service(request.user))
    # Without parameters nothing is filtered: no form to build (its fields are copied for every form made).
    form = UpcomingFilterForm(request.GET) if request.GET else None
    filters = form.cleaned_data if form is not None and form.is_valid() else {}
    # Every upcoming activity is reachable: pages of 50 by start time (keyset, ``core.paging``).
    after, before = request.GET.get("after"), request.GET.get("before")
    if filters.get("kind") or filters.get("team"):
        page = keyset_page(selectors.upcoming_activities(request.user, kind=filters.get("kind") or "",
                                                         team_id=filters.get("team")).values_list(*UPCOMING_FIELDS),
                           order=UPCOMING_ORDER, after=after, before=before, size=UPCOMING_PAGE,
                           record=UpcomingRow._make)
    else:
        page = _UPCOMING_PAGE.page(Activity, after=after, before=before, size=UPCOMING_PAGE, record=UpcomingRow._make,
                                   now=timezone.now(), **viewer_scope(request.user))
    activities = page.items
    team = None
    if filters.get("team"):
        team = ServiceTeam.objects.visible_to(request.user).filter(pk=filters["team"]).first()
    mine = selectors.my_statuses_of(request.user, [a.pk for a in activities])
    return render(request, "service/upcoming.html", {
        "activities": activities, "cards": _upcoming_cards(activities, mine), "page": page,
        "pagination": links_html(request, page), "kind_filter": _kind_filter(request.GET.get("kind")),
        "can_publish": can_publish(request.user), "can_view_teams": can_view_teams(request.user), "team": team,
    })


_KIND_FILTER = RowMarkup("""<div><label class="form-label small mb-0" for="{id}">{label}</label>
    <select class="form-select form-select-sm" name="kind" id="{id}">{options}</select></div>""")
_KIND_FILTERS: dict[tuple[str, str | None], str] = {}


def _kind_filter(chosen: str | None) -> str:
    """The filter form's kind (its label and select, the option of ``chosen`` selected: what the form's field shows),
    written once per language and choice: the same for every request."""
    field = UpcomingFilterForm.base_fields["kind"]
    if chosen not in {value for value, _label in field.choices}:
        chosen = None  # no option is selected
    key = (get_language(), chosen)
    markup = _KIND_FILTERS.get(key)
    if markup is None:
        escape = html.escape
        options = "".join(f'<option value="{escape(value)}"{" selected" if value == chosen else ""}>'
                          f"{escape(str(label))}</option>" for value, label in field.choices)
        markup = _KIND_FILTERS[key] = _KIND_FILTER.join_escaped([{
            "id": escape(UpcomingFilterForm(auto_id="id_%s")["kind"].id_for_label), "label": escape(str(field.label)),
            "options": options}])
    return markup


_UPCOMING_CARD = RowMarkup("""
  <li class="card mb-2"><div class="card-body p-3">
    <h2 class="h6 mb-1"><a href="{url}">{title}</a>{cancelled}{recurring}</h2>
    <div class="small text-body-secondary">{kind} · {organization}{team}{team_only}</div>
    <div class="small"><i class="bi bi-clock" aria-hidden="true"></i> {starts}–{ends}</div>
    <div class="small"><i class="bi bi-geo-alt" aria-hidden="true"></i> {place}</div>
    <div class="small">{places}
    {mine}</div>
  </div></li>
""")


def _upcoming_cards(activities, mine) -> str:
    """The upcoming activities' cards; what every row shares (links, labels, the time zone) is prepared
    once per page (core.rows), and each distinct text escaped once a page (a series' activities share their title
    and place, a page's activities a few organizations and teams), the labels when they are translated."""
    detail_url, clock, hour = RowUrl("service:detail"), local_clock(), local_clock("%H:%M")
    escape = html.escape
    url_head, url_tail = escape(detail_url.head), escape(detail_url.tail)
    kinds = {value: escape(label) for value, label in choice_labels(Activity, "kind").items()}
    cancelled = format_html(' <span class="badge text-bg-secondary">{}</span>', _("Cancelled"))
    recurring = format_html(' <i class="bi bi-arrow-repeat" aria-label="{}" role="img"></i>', _("recurring"))
    team_only = format_html(" · {}", _("team members only"))
    # The counts are numbers: the sentence escaped before they are put in is the sentence escaped after.
    of_capacity, signed_up = escape(_("%(taken)s of %(capacity)s places taken")), escape(_("%(taken)s signed up"))
    statuses = {SignUpStatus.SIGNED_UP: format_html(' · <span class="text-success">{}</span>', _("You are signed up.")),
                SignUpStatus.WAITING: format_html(" · {}", _("You are on the waiting list."))}
    texts: dict[str, str] = {}

    def text(value: str) -> str:
        found = texts.get(value)
        if found is None:
            found = texts[value] = escape(value)
        return found

    return _UPCOMING_CARD.join_escaped([{
        "url": f"{url_head}{int(a.id)}{url_tail}", "title": text(a.title),
        "cancelled": cancelled if a.cancelled_at else "", "recurring": recurring if a.series_id else "",
        "kind": kinds.get(a.kind) or escape(a.kind), "organization": text(a.organization_name),
        "team": "" if a.team_name is None else " · " + text(a.team_name),
        "team_only": team_only if a.open_to == OpenTo.TEAM else "",
        "starts": clock(a.starts_at), "ends": hour(a.ends_at), "place": text(a.place),  # clocks: digits
        "places": (of_capacity % {"taken": int(a.taken), "capacity": int(a.capacity)} if a.capacity
                   else signed_up % {"taken": int(a.taken)}),
        "mine": statuses.get(mine.get(a.id, ""), ""),
    } for a in activities])


def calendar(request):
    """A month of activities: a grid on wide screens, a list by day on a phone; past activities show
    who came, coming ones the places taken."""
    import calendar as months
    from datetime import timedelta

    from gongzhi.core.workdays import day_marks

    require(can_use_service(request.user))
    form = UpcomingFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    today = timezone.localdate()
    month = parse_month(request.GET.get("month", ""), today.replace(day=1))
    if month.year > today.year + 2:
        month = today.replace(day=1)
    mine = request.GET.get("mine") == "1"
    activities = selectors.month_activities(request.user, month, kind=filters.get("kind") or "", mine=mine)
    participant = selectors.own_participant(request.user)
    statuses = selectors.my_statuses(participant, [a.pk for a in activities])
    by_day = {}
    for activity in activities:
        activity.my_status = statuses.get(activity.pk, "")
        by_day.setdefault(timezone.localtime(activity.starts_at).date(), []).append(activity)
    weeks = months.Calendar().monthdatescalendar(month.year, month.month)
    marks, missing_years = day_marks(d for week in weeks for d in week)
    weeks = [[(d, by_day.get(d, []), marks.get(d)) for d in week] for week in weeks]
    previous = (month - timedelta(days=1)).replace(day=1)
    following = (month + timedelta(days=32)).replace(day=1)
    return render(request, "service/calendar.html", {
        "month": month, "weeks": weeks, "today": today, "now": timezone.now(), "form": form, "mine": mine,
        "days": sorted((d, items, marks.get(d)) for d, items in by_day.items()),
        "count": sum(len(items) for items in by_day.values()),
        "previous": f"{previous:%Y-%m}", "next": f"{following:%Y-%m}",
        "weekdays": [_("Mon"), _("Tue"), _("Wed"), _("Thu"), _("Fri"), _("Sat"), _("Sun")],
        "can_take_part": participant is not None, "missing_years": missing_years,
    })


def create(request):
    orgs = publishing_orgs(request.user)
    require(bool(orgs))
    form = ActivityForm(request.POST or None, organizations=orgs, teams=_teams_for_activities(request.user))
    if request.method == "POST" and form.is_valid():
        try:
            activity = services.publish_activity(activity=form.save(commit=False), by=request.user,
                                                 request=request)
        except ValidationError as exc:
            add_to_form(form, exc)
        else:
            messages.success(request, _("Activity published."))
            return redirect("service:detail", pk=activity.pk)
    return render(request, "service/create.html", {"form": form}, status=400 if form.errors else 200)


def _qr_svg(request, activity) -> str:
    url = request.build_absolute_uri(reverse("service:scan", args=[services.checkin_token(activity)]))
    return segno.make(url, error="m").svg_inline(scale=4, title=_("Check-in code"))


def detail(request, pk):
    activity = get_visible_or_404(Activity.objects.select_related("organization", "team", "series"),
                                  request.user, pk=pk)
    member = selectors.own_participant(request.user)
    state = selectors.participation(activity, member)
    signup, checkin, refusal = state.signup, state.checkin, state.refusal
    organiser = can_organise(request.user, activity)
    taken = SignUp.objects.filter(activity=activity, status=SignUpStatus.SIGNED_UP).count()
    started = timezone.now() >= activity.starts_at
    return render(request, "service/detail.html", {
        "activity": activity, "member": member, "signup": signup, "checkin": checkin, "refusal": refusal,
        "started": started, "taken": taken,
        "organiser": organiser, "can_roster": can_view_roster(request.user, activity),
        "can_cancel": not started and activity.cancelled_at is None and can_cancel_activity(request.user, activity),
        "can_see_series": activity.series_id is not None and can_view_roster(request.user, activity),
        "can_see_team": activity.team_id is not None
        and ServiceTeam.objects.visible_to(request.user).filter(pk=activity.team_id).exists(),
        "qr": _qr_svg(request, activity) if organiser and activity.cancelled_at is None else "",
    })


@require_POST
def activity_cancel(request, pk):
    activity = get_visible_or_404(Activity.objects.select_related("organization"), request.user, pk=pk)
    require(can_cancel_activity(request.user, activity))
    try:
        if services.cancel_activity(activity=activity, by=request.user):
            messages.success(request, _("Activity cancelled; members who signed up were told."))
    except services.ServiceError as exc:
        messages.error(request, str(exc))
    return redirect("service:detail", pk=activity.pk)


def _member_action(request, pk, action):
    activity = get_visible_or_404(Activity, request.user, pk=pk)
    member = selectors.own_participant(request.user)
    require(member is not None)
    try:
        result = action(activity, member)
    except services.ServiceError as exc:
        messages.error(request, str(exc))
    else:
        if result is not None and result.status == SignUpStatus.WAITING:
            messages.info(request, _("The activity is full: you are on the waiting list."))
        elif result is not None and result.status == SignUpStatus.SIGNED_UP:
            messages.success(request, _("You are signed up."))
        else:
            messages.success(request, _("Sign-up cancelled."))
    return redirect("service:detail", pk=activity.pk)


@require_POST
def signup(request, pk):
    return _member_action(request, pk, services.sign_up)


@require_POST
def cancel(request, pk):
    return _member_action(request, pk, services.cancel)


def roster(request, pk):
    activity = get_visible_or_404(Activity.objects.select_related("organization"), request.user, pk=pk)
    require(can_view_roster(request.user, activity))
    signups = list(SignUp.objects.filter(activity=activity).select_related("member", "resident")
                   .order_by("status", "created_at"))
    checkins = {(c.member_id, c.resident_id): c for c in CheckIn.objects.filter(activity=activity)}
    rows = [(s, checkins.pop((s.member_id, s.resident_id), None)) for s in signups]
    walk_ins = list(CheckIn.objects.filter(pk__in=[c.pk for c in checkins.values()])
                    .select_related("member", "resident"))
    return render(request, "service/roster.html", {
        "activity": activity, "rows": rows, "walk_ins": walk_ins,
        "organiser": can_organise(request.user, activity),
        "present": sum(1 for _s, c in rows if c) + len(walk_ins),
    })


@require_POST
def manual_check(request, pk):
    activity = get_visible_or_404(Activity, request.user, pk=pk)
    require(can_organise(request.user, activity))
    form = ManualCheckForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give a reason for recording by hand."))
        return redirect("service:roster", pk=activity.pk)
    if form.cleaned_data["member"] is not None:
        member = Member.objects.visible_to(request.user).filter(pk=form.cleaned_data["member"]).first()
    else:
        from gongzhi.members.models import Resident

        member = Resident.objects.visible_to(request.user).filter(pk=form.cleaned_data["resident"]).first()
    who = participant_filter(member) if member is not None else None
    if who is None or not (SignUp.objects.filter(activity=activity, **who).exists()
                           or CheckIn.objects.filter(activity=activity, **who).exists()):
        raise Http404
    reason = form.cleaned_data["reason"]
    try:
        if form.cleaned_data["action"] == "in":
            _c, created = services.check_in(activity, member, by=request.user, reason=reason)
            if not created:
                messages.info(request, _("%(name)s was already checked in.") % {"name": member.name})
        else:
            checkin = CheckIn.objects.filter(activity=activity, **who).first()
            if checkin is None:
                raise services.ServiceError(_("%(name)s has not checked in.") % {"name": member.name})
            services.check_out(checkin, by=request.user, reason=reason)
    except services.ServiceError as exc:
        messages.error(request, str(exc))
    return redirect("service:roster", pk=activity.pk)


def scan(request, token):
    """The page a member's phone opens from the QR code: confirm to check in, later to check out."""
    try:
        activity_id, day = services.read_token(token)
    except services.ServiceError as exc:
        return render(request, "service/scan.html", {"error": str(exc)}, status=400)
    # Every member's phone at a street-wide event asks for this page and posts to it twice: the participant is found
    # by id with the activities' scope (not his or her records: nothing here reads them), and his or her check-in
    # is read with the activity, not looked for again, by a statement compiled once.
    member = selectors.own_participant_by_id(request.user)
    if request.method == "POST" and member is not None:
        # The page was opened just before: its activity, copied by this process then, is not read again; the
        # check-in's own statement finds it unchanged and in the member's sight, or nothing is written and the
        # activity is read as below (services.check_in_from_copy).
        done = services.check_in_from_copy(user=request.user, activity_id=activity_id, day=day, member=member)
        if done is not None:
            return _checked_in(request, *done, day=day, member=member)
    activity = visible_activity_or_404(request.user, activity_id, member)
    if member is not None:
        services.keep_copy(activity)
    earlier = activity.check_in_id if member is not None else None
    error = ""
    try:
        services.check_token(activity, day)
        if member is None:
            raise services.ServiceError(_("Only party members and residents with an account can check in."))
        services.check_may_join(activity, member)
    except services.ServiceError as exc:
        error = str(exc)
    if request.method == "POST" and not error:
        if earlier is None:
            try:
                checkin, created = services.check_in_by_token(activity=activity, day=day, member=member,
                                                              by=request.user, earlier=earlier)
            except services.ServiceError as exc:
                messages.error(request, str(exc))
                return HttpResponseRedirect(request.path)
        else:  # the second tap: the check-in read with the activity is checked out (and read again, locked)
            checkin, created = CheckIn(pk=earlier, activity=activity, **participant_filter(member)), False
        return _checked_in(request, checkin, created, day=day, member=member)
    checkin = CheckIn.objects.filter(pk=earlier).first() if earlier is not None else None
    return render(request, "service/scan.html", {"activity": activity, "checkin": checkin, "error": error})


def _checked_in(request, checkin, created: bool, *, day: str, member):
    """The QR check-in's answer to a post: back to the page (its own path, not reversed), after checking out of an
    earlier check-in (``checkin`` then holds its id, with the activity and the member)."""
    # The page it returns to says what was recorded, from the check-in itself (checked in at, the hours served): a
    # success needs no message, so a street-wide event's check-ins set no messages cookie.
    if not created:
        try:
            _checkin, changed = services.check_out_by_token(activity=checkin.activity, day=day, member=member,
                                                            by=request.user, checkin=checkin)
            if not changed:
                messages.info(request, _("You have already checked out of this activity."))
        except services.ServiceError as exc:
            messages.error(request, str(exc))
    return HttpResponseRedirect(request.path)


def mine(request):
    """A member's own service: hours and points this year, and the history; a resident's hours and
    history (residents earn no party points)."""
    from gongzhi.points import selectors as points_selectors
    from gongzhi.points.models import PointEntry
    from gongzhi.points.services import balance

    member = selectors.own_participant(request.user)
    require(member is not None)
    year = timezone.localdate().year
    service = selectors.member_service(member, year)
    hours, history = service["hours"], service["history"]
    if "resident" in participant_filter(member):
        return render(request, "service/mine.html", {"resident": member, "year": year, "hours": hours,
                                                     "history": history})
    entries = PointEntry.objects.filter(member=member).order_by("-occurred_on", "-id")[:50]
    rank = None
    if member.community is not None and points_selectors.rankings_visible(member):
        start, end = points_selectors.period_bounds("year", timezone.localdate())
        rank = points_selectors.member_rank(member, member.community, start, end)
    from gongzhi.points.titles import member_titles

    return render(request, "service/mine.html", {
        "rank": rank, "community": member.community, "badges": member_titles(member, year),
        "member": member, "year": year, "hours": hours, "points": balance(member, year),
        "total": balance(member), "history": history, "entries": entries,
    })


def _unit_and_year(request, pk):
    from gongzhi.orgs.models import CoBuildingUnit

    unit = get_visible_or_404(CoBuildingUnit.objects.select_related("organization"), request.user,
                              organization_id=pk)
    require(can_see_unit_service(request.user, unit))
    this_year = timezone.localdate().year
    year = parse_year(request.GET.get("year"), this_year)
    return unit, (year if year <= this_year else this_year)


def unit_service(request, pk):
    """A co-building unit's reported members: where they reported, their activities, hours and
    points in a year, each with a certificate; ``pk`` is the unit's party organization."""
    from django.core.paginator import Paginator

    from .certificate import reported_members, unit_totals

    unit, year = _unit_and_year(request, pk)
    members = reported_members(unit, request.user, year)
    this_year = timezone.localdate().year
    return render(request, "service/unit.html", {
        "unit": unit, "year": year, "years": range(this_year, this_year - 5, -1), "totals": unit_totals(members, year),
        "page": Paginator(members, 50).get_page(request.GET.get("page")),
    })


def unit_certificate(request, pk):
    """Download the yearly service certificates (?year=) of a unit's reported members who served: a
    summary page and a page each, or one member's (?member=)."""
    from django.http import HttpResponse

    from gongzhi.core import audit

    from .certificate import certificate_docx, reported_members, service_records

    unit, year = _unit_and_year(request, pk)
    members = reported_members(unit, request.user, year)
    one = request.GET.get("member")
    if one:
        members = members.filter(pk=one if one.isdigit() else 0)
        require(members.exists())
    else:
        members = members.filter(activities__gt=0)
    members = list(members)
    content = certificate_docx(unit, year, members, service_records(members, year), summary=not one)
    audit.record(actor=request.user, action="service.certificate.download", obj=unit, organization=unit.organization,
                 request=request, detail={"year": year, "members": [m.pk for m in members]})
    response = HttpResponse(content, content_type="application/vnd.openxmlformats-officedocument."
                                                  "wordprocessingml.document")
    name = f"certificate-{unit.pk}-{year}" + (f"-{members[0].pk}" if one else "")
    response["Content-Disposition"] = f'attachment; filename="{name}.docx"'
    return response


# --- service teams ---------------------------------------------------------------------------------

def _place_choices(organizations):
    """Grids and buildings of the communities the organizations belong to (or lie above)."""
    query = Q(pk__in=[])
    for org in organizations:
        query |= Q(community__path__startswith=org.path) | Q(community__path__in=ancestor_paths(org.path, STEP))
    grids = Grid.objects.filter(query).order_by("community__path", "code")
    return grids, Building.objects.filter(grid__in=grids).order_by("grid__code", "name")


def teams(request):
    require(can_view_teams(request.user))
    rows = list(selectors.teams_for(request.user))
    return render(request, "service/teams.html", {
        "teams": rows, "can_create": bool(publishing_orgs(request.user)),
    })


def team_create(request):
    orgs = publishing_orgs(request.user)
    require(bool(orgs))
    grids, buildings = _place_choices(orgs)
    from gongzhi.orgs.models import Organization

    form = TeamForm(request.POST or None, organizations=Organization.objects.filter(pk__in=[o.pk for o in orgs]),
                    grids=grids, buildings=buildings)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            team = services.create_team(organization=data["organization"], name=data["name"], kinds=data["kinds"],
                                        grids=data["grids"], buildings=data["buildings"],
                                        description=data["description"], by=request.user)
        except services.ServiceError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Team created: now add its members."))
            return redirect("service:team_detail", pk=team.pk)
    return render(request, "service/team_form.html", {"form": form, "team": None},
                  status=400 if form.errors else 200)


def _team(request, pk):
    return get_visible_or_404(ServiceTeam.objects.select_related("organization", "leader"), request.user, pk=pk)


def _candidates(request, team, text: str):
    """Members who could join: current members of the team's community the user may see, by name."""
    base = team.organization.community() or team.organization
    current = selectors.team_members(team).values("member_id")
    return list(Member.objects.visible_to(request.user).current().in_subtree(base).search(text)
                .exclude(pk__in=current).select_related("home_org").order_by("name", "pk")[:20])


def team_detail(request, pk):
    team = _team(request, pk)
    manager = can_manage_team(request.user, team)
    today = timezone.localdate()
    year = parse_year(request.GET.get("year"), today.year)
    memberships = list(selectors.team_members(team, with_past=True))
    member = own_member(request.user)
    in_team = member is not None and any(m.member_id == member.pk and m.left_on is None for m in memberships)
    # Names of the team's members are for those who run it, supervise it, or are in it.
    show_members = can_see_team_members(request.user, team) or in_team
    now = timezone.now()
    upcoming_list = list(Activity.objects.visible_to(request.user).filter(team=team).upcoming(now)
                         .select_related("organization")[:10])
    past = list(Activity.objects.visible_to(request.user).filter(team=team, ends_at__lt=now)
                .select_related("organization").annotate(present=Count("checkins")).order_by("-starts_at")[:10])
    text = request.GET.get("q", "").strip()[:50]
    return render(request, "service/team.html", {
        "team": team, "manager": manager, "show_members": show_members, "year": year,
        "current": [m for m in memberships if m.left_on is None],
        "former": [m for m in memberships if m.left_on is not None],
        "figures": selectors.team_figures(team, year), "upcoming": upcoming_list, "past": past,
        "grids": list(team.grids.order_by("code")), "buildings": list(team.buildings.select_related("grid")),
        "q": text, "candidates": _candidates(request, team, text) if manager and text else [],
        "add_form": AddTeamMemberForm(initial={"joined_on": today}),
    })


def team_edit(request, pk):
    team = _team(request, pk)
    require(can_manage_team(request.user, team))
    grids, buildings = _place_choices([team.organization])
    members = Member.objects.filter(pk__in=selectors.team_members(team).values("member_id")).order_by("name")
    initial = {"name": team.name, "kinds": team.kinds, "grids": team.grids.all(), "buildings": team.buildings.all(),
               "description": team.description, "leader": team.leader_id, "is_active": team.is_active}
    form = TeamForm(request.POST or None, initial=initial, grids=grids, buildings=buildings, members=members)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.update_team(team=team, name=data["name"], kinds=data["kinds"], grids=data["grids"],
                                 buildings=data["buildings"], description=data["description"],
                                 leader=data["leader"], is_active=data["is_active"], by=request.user)
        except services.ServiceError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Team saved."))
            return redirect("service:team_detail", pk=team.pk)
    return render(request, "service/team_form.html", {"form": form, "team": team},
                  status=400 if form.errors else 200)


def _team_member_action(request, pk, form_class):
    team = _team(request, pk)
    require(can_manage_team(request.user, team))
    form = form_class(request.POST)
    if not form.is_valid():
        messages.error(request, _("Check the date."))
        return None, team, None
    base = team.organization.community() or team.organization
    member = (Member.objects.visible_to(request.user).in_subtree(base)
              .filter(pk=form.cleaned_data["member"]).first())
    require(member is not None)
    return form, team, member


@require_POST
def team_add_member(request, pk):
    form, team, member = _team_member_action(request, pk, AddTeamMemberForm)
    if form is not None:
        _m, created = services.add_team_member(team=team, member=member, joined_on=form.cleaned_data["joined_on"],
                                               by=request.user)
        if created:
            messages.success(request, _("%(name)s joined the team.") % {"name": member.name})
        else:
            messages.info(request, _("%(name)s is already in the team.") % {"name": member.name})
    return redirect("service:team_detail", pk=team.pk)


@require_POST
def team_remove_member(request, pk):
    form, team, member = _team_member_action(request, pk, RemoveTeamMemberForm)
    if form is not None and services.remove_team_member(team=team, member=member,
                                                        left_on=form.cleaned_data["left_on"], by=request.user):
        messages.success(request, _("%(name)s left the team.") % {"name": member.name})
    return redirect("service:team_detail", pk=team.pk)


# --- recurring series ------------------------------------------------------------------------------

def series_create(request):
    orgs = publishing_orgs(request.user)
    require(bool(orgs))
    from uuid import uuid4

    from gongzhi.orgs.models import Organization

    form = SeriesForm(request.POST or None, organizations=Organization.objects.filter(pk__in=[o.pk for o in orgs]),
                      teams=_teams_for_activities(request.user), initial={"key": uuid4().hex})
    if request.method == "POST" and form.is_valid():
        try:
            series, created = services.create_series(organization=form.cleaned_data["organization"],
                                                     request_key=form.cleaned_data["key"] or None, by=request.user,
                                                     **form.values())
        except services.ServiceError as exc:
            form.add_error(None, str(exc))
        else:
            if created:
                messages.success(request, _("Recurring activity created: %(n)d dates.")
                                 % {"n": series.occurrences.count()})
            return redirect("service:series_detail", pk=series.pk)
    return render(request, "service/series_form.html", {"form": form, "series": None},
                  status=400 if form.errors else 200)


def _series(request, pk):
    return get_visible_or_404(ActivitySeries.objects.select_related("organization", "team"), request.user, pk=pk)


def series_detail(request, pk):
    series = _series(request, pk)
    signed_up = Q(signups__status=SignUpStatus.SIGNED_UP)
    occurrences = list(series.occurrences.select_related("organization")
                       .annotate(taken=Count("signups", filter=signed_up, distinct=True),
                                 present=Count("checkins", distinct=True))
                       .order_by("starts_at"))
    names = dict(WEEKDAYS)
    return render(request, "service/series.html", {
        "series": series, "occurrences": occurrences, "now": timezone.now(),
        "weekday_names": [names[str(d)] for d in series.weekday_list],
        "manager": can_manage_series(request.user, series) and series.cancelled_at is None,
    })


def series_edit(request, pk):
    series = _series(request, pk)
    require(can_manage_series(request.user, series) and series.cancelled_at is None)
    initial = {f: getattr(series, f) for f in ("title", "kind", "place", "description", "start_time", "end_time",
                                                "capacity", "open_to", "team", "requires_signup", "frequency",
                                                "interval", "month_day", "starts_on", "ends_on", "count")}
    initial["weekdays"] = list(series.weekdays)
    form = SeriesForm(request.POST or None, initial=initial, teams=_teams_for_activities(request.user),
                      organization=series.organization)
    if request.method == "POST" and form.is_valid():
        try:
            counts = services.update_series(series=series, by=request.user, **form.values())
        except services.ServiceError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Series saved: %(updated)d dates changed, %(created)d added, %(removed)d "
                                        "removed, %(kept)d kept because members signed up.") % counts)
            return redirect("service:series_detail", pk=series.pk)
    return render(request, "service/series_form.html", {"form": form, "series": series},
                  status=400 if form.errors else 200)


@require_POST
def series_cancel(request, pk):
    series = _series(request, pk)
    require(can_manage_series(request.user, series))
    cancelled = services.cancel_series(series=series, by=request.user)
    messages.success(request, _("Series cancelled: %(n)d dates to come were cancelled.") % {"n": cancelled})
    return redirect("service:series_detail", pk=series.pk)

