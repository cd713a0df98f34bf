"""Service API for phones: upcoming activities (scoped, with filters), an activity, signing up and
cancelling, checking in and out with the QR code's signed token (idempotent: a retry or a second
phone returns the same record), my service hours, service teams. Same scoping as the pages."""

from datetime import date, datetime
from decimal import Decimal

from django.db.models import Count, Q
from django.utils import timezone
from ninja import Router, Schema, Status
from ninja.errors import HttpError
from ninja.pagination import paginate

from gongzhi.core.api_types import ObjectId, Rows
from gongzhi.core.edge import api_require
from gongzhi.core.periods import Day, Year
from gongzhi.core.scoping import get_visible_or_404

from . import selectors, services
from .models import Activity, ActivityKind, CheckIn, SignUpStatus, participant_filter
from .permissions import can_see_team_members, can_use_service, can_view_teams

router = Router(tags=["service"])




def _participant(user):
    """The user's party member record, else resident record (residents join activities open to
    residents); 404 for neither."""
    member = selectors.own_participant(user)
    api_require(member is not None)
    return member


def _refused(exc: Exception) -> HttpError:
    return HttpError(422, str(exc))


class ActivityOut(Schema):
    id: int
    title: str
    kind: str
    kind_label: str
    organization_id: int
    organization: str
    team_id: int | None
    team: str | None
    place: str
    starts_at: datetime
    ends_at: datetime
    capacity: int | None
    taken: int
    open_to: str
    requires_signup: bool
    series_id: int | None
    cancelled: bool
    my_status: str | None


class ActivityDetailOut(ActivityOut):
    description: str
    may_join: bool
    refusal: str
    checked_in_at: datetime | None
    checked_out_at: datetime | None
    hours: Decimal | None


class SignUpOut(Schema):
    activity_id: int
    status: str


class CheckInOut(Schema):
    id: int
    activity_id: int
    checked_in_at: datetime
    checked_out_at: datetime | None
    hours: Decimal | None
    created: bool


class ServiceRow(Schema):
    activity_id: int
    title: str
    checked_in_at: datetime
    hours: Decimal | None


class MyServiceOut(Schema):
    year: int
    hours: Decimal
    activities: int
    points_this_year: Decimal
    points_in_all: Decimal
    history: list[ServiceRow]


class TeamOut(Schema):
    id: int
    name: str
    organization_id: int
    organization: str
    leader: str | None
    kinds: list[str]
    member_count: int
    is_active: bool


class TeamMemberOut(Schema):
    member_id: int
    name: str
    joined_on: date


class TeamDetailOut(TeamOut):
    description: str
    grids: list[str]
    buildings: list[str]
    year: int
    hours: Decimal
    members: list[TeamMemberOut] | None


def _activity_row(a, status: str | None) -> dict:
    return {
        "id": a.pk, "title": a.title, "kind": a.kind, "kind_label": str(a.get_kind_display()),
        "organization_id": a.organization_id, "organization": a.organization.name, "team_id": a.team_id,
        "team": a.team.name if a.team_id else None, "place": a.place, "starts_at": a.starts_at,
        "ends_at": a.ends_at, "capacity": a.capacity, "taken": a.taken, "open_to": a.open_to,
        "requires_signup": a.requires_signup, "series_id": a.series_id, "cancelled": a.cancelled_at is not None,
        "my_status": status,
    }


@router.get("/activities", response=list[ActivityOut])
@paginate
def activities(request, kind: ActivityKind | None = None, team_id: ObjectId | None = None,
               organization_id: ObjectId | None = None, since: Day | None = None, until: Day | None = None,
               mine: bool = False):
    """Upcoming activities the user may see, soonest first; filters by kind, team, organization,
    dates, and ``mine`` (signed up)."""
    api_require(can_use_service(request.user))

    def rows(page):
        statuses = selectors.my_statuses(selectors.own_participant(request.user), [a.pk for a in page])
        return [_activity_row(a, statuses.get(a.pk)) for a in page]

    return Rows(selectors.upcoming_activities(request.user, kind=kind or "", team_id=team_id,
                                              organization_id=organization_id, since=since, until=until,
                                              mine=mine), rows)


def _visible_activity(request, activity_id: int) -> Activity:
    queryset = (Activity.objects.select_related("organization", "team")
                .annotate(taken=Count("signups", filter=Q(signups__status=SignUpStatus.SIGNED_UP))))
    return get_visible_or_404(queryset, request.user, pk=activity_id)


@router.get("/activities/{int:activity_id}", response=ActivityDetailOut)
def activity(request, activity_id: int):
    a = _visible_activity(request, activity_id)
    member = selectors.own_participant(request.user)
    state = selectors.participation(a, member)
    signup, checkin = state.signup, state.checkin
    refusal = state.refusal if member is not None else _no_member_message()
    row = _activity_row(a, signup.status if signup else None)
    row.update({"description": a.description, "may_join": not refusal, "refusal": refusal,
                "checked_in_at": checkin.checked_in_at if checkin else None,
                "checked_out_at": checkin.checked_out_at if checkin else None,
                "hours": checkin.hours if checkin else None})
    return row


def _no_member_message() -> str:
    from django.utils.translation import gettext as _

    return _("Only party members and residents with an account can sign up and check in.")


@router.post("/activities/{int:activity_id}/signup", response=SignUpOut)
def sign_up(request, activity_id: int):
    """Sign up (a second call changes nothing); a full activity puts one on the waiting list."""
    a = _visible_activity(request, activity_id)
    member = _participant(request.user)
    try:
        signup = services.sign_up(a, member)
    except services.ServiceError as exc:
        raise _refused(exc) from exc
    return {"activity_id": a.pk, "status": signup.status}


@router.post("/activities/{int:activity_id}/cancel", response=SignUpOut)
def cancel(request, activity_id: int):
    """Cancel one's sign-up before the start (the first on the waiting list moves up)."""
    a = _visible_activity(request, activity_id)
    member = _participant(request.user)
    try:
        signup = services.cancel(a, member)
    except services.ServiceError as exc:
        raise _refused(exc) from exc
    return {"activity_id": a.pk, "status": signup.status if signup else SignUpStatus.CANCELLED}


def _scanned(request, token: str) -> tuple[Activity, str, object]:
    try:
        activity_id, day = services.read_token(token)
    except services.ServiceError as exc:
        raise HttpError(400, str(exc)) from exc
    activity = get_visible_or_404(Activity.objects.select_related("organization", "team"), request.user,
                                  pk=activity_id)
    return activity, day, _participant(request.user)


def _checkin_row(checkin: CheckIn, created: bool) -> dict:
    return {"id": checkin.pk, "activity_id": checkin.activity_id, "checked_in_at": checkin.checked_in_at,
            "checked_out_at": checkin.checked_out_at, "hours": checkin.hours, "created": created}


@router.post("/scan/{token}/checkin", response={200: CheckInOut, 201: CheckInOut})
def check_in(request, token: str):
    """Check in with the QR code's token: 201 the first time, 200 with the same record after."""
    activity, day, member = _scanned(request, token)
    try:
        checkin, created = services.check_in_by_token(activity=activity, day=day, member=member, by=request.user)
    except services.ServiceError as exc:
        raise _refused(exc) from exc
    return Status(201 if created else 200, _checkin_row(checkin, created))


@router.post("/scan/{token}/checkout", response=CheckInOut)
def check_out(request, token: str):
    """Check out with the same token: the hours are computed and the points posted once."""
    activity, day, member = _scanned(request, token)
    try:
        checkin, changed = services.check_out_by_token(activity=activity, day=day, member=member, by=request.user)
    except services.ServiceError as exc:
        raise _refused(exc) from exc
    return _checkin_row(checkin, changed)


@router.get("/mine", response=MyServiceOut)
def mine(request, year: Year | None = None):
    """One's own hours this year (or ``year``), points (zero for a resident: points are the party
    members'), and recent service."""
    from gongzhi.points.services import balance

    member = _participant(request.user)
    year = year or timezone.localdate().year
    service = selectors.member_service(member, year)
    resident = participant_filter(member).get("resident")
    return {
        "year": year, "hours": service["hours"], "activities": service["activities"],
        "points_this_year": balance(member, year) if resident is None else Decimal(0),
        "points_in_all": balance(member) if resident is None else Decimal(0),
        "history": [{"activity_id": c.activity_id, "title": c.activity.title, "checked_in_at": c.checked_in_at,
                     "hours": c.hours} for c in service["history"]],
    }


def _team_row(team) -> dict:
    return {"id": team.pk, "name": team.name, "organization_id": team.organization_id,
            "organization": team.organization.name, "leader": team.leader.name if team.leader_id else None,
            "kinds": list(team.kinds), "member_count": team.member_count, "is_active": team.is_active}


@router.get("/teams", response=list[TeamOut])
@paginate
def teams(request):
    api_require(can_view_teams(request.user))
    return Rows(selectors.teams_for(request.user), lambda page: [_team_row(t) for t in page])


@router.get("/teams/{int:team_id}", response=TeamDetailOut)
def team(request, team_id: int, year: Year | None = None):
    """A team with its places and hours this year; its members' names for those who may see them."""
    team = get_visible_or_404(selectors.teams_for(request.user), request.user, pk=team_id)
    year = year or timezone.localdate().year
    memberships = list(selectors.team_members(team))
    in_team = any(m.member.user_id == request.user.pk for m in memberships)
    row = _team_row(team)
    row.update({
        "description": team.description, "grids": [g.name for g in team.grids.order_by("code")],
        "buildings": [b.name for b in team.buildings.order_by("name")], "year": year,
        "hours": selectors.team_figures(team, year)["hours"],
        "members": ([{"member_id": m.member_id, "name": m.member.name, "joined_on": m.joined_on}
                     for m in memberships] if can_see_team_members(request.user, team) or in_team else None),
    })
    return row
