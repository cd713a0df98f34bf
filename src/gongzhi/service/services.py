"""Sign-ups, the waiting list, who may join, QR check-in tokens, check-in/out and service points;
service teams and their members; recurring series and their occurrences."""

from __future__ import annotations

import copy
import time
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.core import signing
from django.db import IntegrityError, connections, transaction
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from gongzhi.core import audit
from gongzhi.core.models import Notification
from gongzhi.core.statements import Insert
from gongzhi.points.models import RuleCode
from gongzhi.points.services import NO_AWARD, post_points, rule_award

from . import checkin_statement
from .models import (
    UNCHANGED_VISIBLE_ACTIVITY,
    Activity,
    ActivityKind,
    ActivitySeries,
    CheckIn,
    OpenTo,
    ServiceTeam,
    SignUp,
    SignUpStatus,
    TeamMembership,
    participant_filter,
    viewer_scope,
)
from .recurrence import RecurrenceError, Rule, occurrence_dates

TOKEN_SALT = "gongzhi.service.checkin"  # noqa: S105 - a signing namespace, not a secret
# A QR code may be scanned from shortly before the start until shortly after the end.
GRACE = timedelta(minutes=30)


class ServiceError(ValueError):
    """A rule refused the action (the message is shown to the user)."""


# --- publishing -----------------------------------------------------------------------------------

@transaction.atomic
def publish_activity(*, activity: Activity, by, request=None) -> Activity:
    """Publish one activity (built by the form, not yet saved): validated, saved and audited in one
    transaction. Recurring activities are published through ``create_series``."""
    activity.created_by = by
    activity.full_clean()
    activity.save()
    audit.record(actor=by, action="service.activity.publish", obj=activity, organization=activity.organization,
                 request=request, detail={"starts_at": activity.starts_at.isoformat()})
    return activity


# --- who may join ---------------------------------------------------------------------------------

def is_team_member(team, member, on: date) -> bool:
    return TeamMembership.objects.current(on).filter(team=team, member=member).exists()


def check_may_join(activity: Activity, member) -> None:
    """Refuse a cancelled activity, one reserved for a team the member is not in on its day, and
    a resident for an activity not open to residents. ``member`` is a party member or a resident.
    (Activities for members in scope are reached only by those who can see them: the views and
    the API fetch them through ``visible_to``.)"""
    if activity.cancelled_at is not None:
        raise ServiceError(_("The activity was cancelled."))
    if "resident" in participant_filter(member):
        if activity.open_to != OpenTo.RESIDENTS:
            raise ServiceError(_("This activity is for party members."))
        return
    if activity.open_to == OpenTo.TEAM and activity.team_id is not None:
        on = timezone.localtime(activity.starts_at).date()
        if not is_team_member(activity.team_id, member, on):
            raise ServiceError(_("Only members of %(team)s may join this activity.")
                               % {"team": activity.team.name})


# --- sign-up ------------------------------------------------------------------------------------

@transaction.atomic
def sign_up(activity: Activity, member) -> SignUp:
    activity = Activity.objects.select_for_update().get(pk=activity.pk)
    check_may_join(activity, member)
    if timezone.now() >= activity.starts_at:
        raise ServiceError(_("The activity has already started."))
    who = participant_filter(member)
    taken = SignUp.objects.filter(activity=activity, status=SignUpStatus.SIGNED_UP).exclude(**who).count()
    status = SignUpStatus.WAITING if activity.capacity is not None and taken >= activity.capacity \
        else SignUpStatus.SIGNED_UP
    signup = SignUp.objects.filter(activity=activity, **who).first()
    if signup is None:
        try:
            with transaction.atomic():
                return SignUp.objects.create(activity=activity, status=status, **who)
        except IntegrityError:
            signup = SignUp.objects.get(activity=activity, **who)
    if signup.status == SignUpStatus.CANCELLED:
        signup.status = status
        signup.save(update_fields=["status", "updated_at"])
    return signup


@transaction.atomic
def cancel(activity: Activity, member) -> SignUp | None:
    """Cancel before the start; the first on the waiting list takes the freed place."""
    activity = Activity.objects.select_for_update().get(pk=activity.pk)
    if timezone.now() >= activity.starts_at:
        raise ServiceError(_("The activity has already started; it can no longer be cancelled."))
    signup = SignUp.objects.filter(activity=activity, **participant_filter(member)).first()
    if signup is None or signup.status == SignUpStatus.CANCELLED:
        return signup
    freed = signup.status == SignUpStatus.SIGNED_UP
    signup.status = SignUpStatus.CANCELLED
    signup.save(update_fields=["status", "updated_at"])
    if freed:
        first = SignUp.objects.filter(activity=activity, status=SignUpStatus.WAITING).order_by("created_at", "id")
        promoted = first.first()
        if promoted is not None:
            promoted.status = SignUpStatus.SIGNED_UP
            promoted.save(update_fields=["status", "updated_at"])
    return signup


# --- QR tokens -----------------------------------------------------------------------------------

def checkin_token(activity: Activity) -> str:
    """A signed token binding the activity and its local date (a photo is useless another day)."""
    day = timezone.localtime(activity.starts_at).date().isoformat()
    return signing.dumps({"a": activity.pk, "d": day}, salt=TOKEN_SALT, compress=True)


#: How long a token is accepted after it was made.
TOKEN_MAX_AGE = timedelta(days=2)
#: Tokens read lately, with what they hold and when they were signed: every phone at an event opens and posts the
#: same one, whose signature is checked (an HMAC, base64 and JSON: about 0.1 ms) once per process, not per request.
_READ_TOKENS: dict[str, tuple[int, str, int]] = {}
_READ_TOKENS_KEPT = 256


def read_token(token: str) -> tuple[int, str]:
    """The activity id and date in a token, or ServiceError for a forged or stale one."""
    known = _READ_TOKENS.get(token)
    if known is not None and time.time() - known[2] <= TOKEN_MAX_AGE.total_seconds():
        return known[0], known[1]
    try:
        data = signing.loads(token, salt=TOKEN_SALT, max_age=TOKEN_MAX_AGE)
        found = int(data["a"]), str(data["d"])
    except (signing.BadSignature, KeyError, TypeError, ValueError) as exc:
        raise ServiceError(_("This check-in code is not valid or has expired.")) from exc
    # The signature is good: the timestamp signed with the value (payload:timestamp:signature) is the token's own.
    signed_at = signing.b62_decode(token.rsplit(":", 2)[1])
    if len(_READ_TOKENS) >= _READ_TOKENS_KEPT:
        _READ_TOKENS.clear()
    _READ_TOKENS[token] = (*found, signed_at)
    return found


def check_token(activity: Activity, day: str, now=None) -> None:
    """The token's date must be the activity's (a code printed before the activity moved to another day is refused)
    and now within the activity's window (with grace), so a photo of the code is useless once the activity is over.
    An activity that runs past midnight (a New Year's Eve watch) is checked in and out after midnight too: the date
    of the day the phone scans is not compared."""
    now = now or timezone.now()
    if day != timezone.localtime(activity.starts_at).date().isoformat():
        raise ServiceError(_("This check-in code belongs to another day."))
    if not (activity.starts_at - GRACE <= now <= activity.ends_at + GRACE):
        raise ServiceError(_("Check-in is open only during the activity."))


# --- check-in / out ------------------------------------------------------------------------------

def hours_between(activity: Activity, start, end) -> Decimal:
    start, end = max(start, activity.starts_at), min(end, activity.ends_at)
    seconds = max((end - start).total_seconds(), 0)
    return Decimal(seconds / 3600).quantize(Decimal("0.01"))


#: ``check_in(earlier=LOOK_UP)``: the caller did not read the participant's check-in with the activity.
LOOK_UP = object()
#: A check-in's row, its INSERT compiled once (``core.statements.Insert``): every member's phone posts one.
_NEW_CHECK_IN = Insert(CheckIn, hot=True)


def check_in(activity: Activity, member, *, by, at=None, reason: str = "", earlier=LOOK_UP) -> tuple[CheckIn, bool]:
    """Record arrival once; returns (check-in, created). A second tap creates nothing (and returns the
    earlier check-in whatever became of the sign-up since). ``earlier``: the id of the participant's check-in
    at the activity when the caller read it with the activity (``Activity.objects.with_check_in_of``; None:
    none then), so that a first check-in looks for none again; a check-in recorded meanwhile by a parallel
    tap is still found (the unique constraint refuses the second). On PostgreSQL a check-in without a reason is
    written by one statement (``checkin_statement``); the same rows either way."""
    check_may_join(activity, member)
    who = participant_filter(member)
    if earlier is not None:
        existing = CheckIn.objects.filter(activity=activity, **who).first()
        if existing is not None:
            return existing, False
    if activity.requires_signup and not SignUp.objects.filter(
            activity=activity, status=SignUpStatus.SIGNED_UP, **who).exists():
        raise ServiceError(_("You are not signed up for this activity."))
    alias = None if reason else checkin_statement.usable(CheckIn)
    if alias is not None:
        return _check_in_in_one_statement(alias, activity, member, by=by, at=at or timezone.now())
    try:
        with transaction.atomic():
            checkin = _NEW_CHECK_IN.create(activity=activity, checked_in_at=at or timezone.now(),
                                           by_hand_reason=reason[:200], recorded_by=by, **who)
            if reason:
                audit.record(actor=by, action="service.checkin.check_in_by_hand", obj=checkin,
                             organization=activity.organization)
            post_activity_points(checkin, by=by)
    except IntegrityError:
        return CheckIn.objects.get(activity=activity, **who), False
    return checkin, True


def _write_check_in(alias: str, activity: Activity, member, *, by, at, guard=None) -> tuple[int | None, bool | None]:
    """``service_check_in()``'s call for ``check_in``'s rows (``checkin_statement``): the rule in force decided here,
    its caps and entry in the database. ``guard``: as ``checkin_statement.check_in``'s."""
    who = participant_filter(member)
    occurred_on = timezone.localtime(at).date()
    award = None
    if "member" in who:
        award = rule_award(member=member, code=RuleCode.ACTIVITY, occurred_on=occurred_on,
                           organization=activity.organization, activity_kind=activity.kind,
                           rules_version=getattr(activity, "rules_version", None))
    return checkin_statement.check_in(
        alias, activity_id=activity.pk, member_id=member.pk if "member" in who else None,
        resident_id=member.pk if "resident" in who else None, at=at, recorded_by_id=by.pk if by is not None else None,
        key_prefix=ACTIVITY_KEY, source_type=CheckIn._meta.label_lower, occurred_on=occurred_on,
        created_at=timezone.now(), award=award.parameters() if award is not None else NO_AWARD, guard=guard)


def _new_check_in(alias: str, checkin_id: int, activity: Activity, member, *, by, at) -> CheckIn:
    checkin = CheckIn(pk=checkin_id, activity=activity, checked_in_at=at, by_hand_reason="", recorded_by=by,
                      **participant_filter(member))
    checkin._state.adding, checkin._state.db = False, alias
    return checkin


def _check_in_in_one_statement(alias: str, activity: Activity, member, *, by, at) -> tuple[CheckIn, bool]:
    """``check_in``'s rows written by ``service_check_in()`` (PostgreSQL, ``checkin_statement``): the check-in once,
    and a new check-in's activity points as ``post_activity_points`` posts them (the rule decided here, its caps and
    entry in the database), in one statement that is its own transaction (or part of the caller's)."""
    checkin_id, created = _write_check_in(alias, activity, member, by=by, at=at)
    if not created:
        return CheckIn.objects.get(pk=checkin_id), False
    return _new_check_in(alias, checkin_id, activity, member, by=by, at=at), True


#: Activities this process read lately for a member's QR check-in page (``keep_copy``), by id: every phone at a
#: street-wide event opens the page, then posts its check-in, which is written from the copy with a condition
#: instead of reading the activity again (``check_in_from_copy``).
_COPIES: dict[int, Activity] = {}
_COPIES_KEPT = 256


def keep_copy(activity: Activity) -> None:
    """Remember ``activity`` as ``visible_activity_or_404`` read it for a party member (with its organization and
    the point rules' version) when a check-in at it can be written from the copy: open to members or residents
    (not a team's: its memberships on the day decide), no sign-up required, not cancelled. Forget it otherwise."""
    if (not hasattr(activity, "rules_version") or activity.open_to == OpenTo.TEAM  # a resident's read: no version
            or activity.requires_signup or activity.cancelled_at is not None):
        _COPIES.pop(activity.pk, None)
        return
    kept = copy.copy(activity)
    kept.__dict__.pop("check_in_id", None)  # the member's own, not the activity's
    if len(_COPIES) >= _COPIES_KEPT:
        _COPIES.clear()
    _COPIES[activity.pk] = kept


def forget_copies() -> None:
    """Forget every copy (tests)."""
    _COPIES.clear()


def check_in_from_copy(*, user, activity_id: int, day: str, member, now=None) -> tuple[CheckIn, bool] | None:
    """A party member's QR check-in at an activity this process copied (``keep_copy``), without reading the activity
    again (PostgreSQL): the token's day and time and who may join checked against the copy, the rule in force chosen
    as ``check_in`` chooses it, and the check-in written by ``service_check_in_if()`` only if, read by the same
    statement, the activity is still as copied and ``visible_to`` the user and the point rules are unchanged
    (``models.UNCHANGED_VISIBLE_ACTIVITY``). (check-in, created) as ``check_in_by_token`` gives them, except that an
    earlier check-in is given by its id (with the activity and the member). None, with nothing written, when there
    is no copy, the copy refuses the check-in or the database finds it changed or out of the user's sight: the
    caller then reads the activity and checks in as before, which gives the authoritative answer."""
    alias = checkin_statement.usable(CheckIn)
    activity = _COPIES.get(activity_id)
    if alias is None or activity is None or "member" not in participant_filter(member):
        return None
    at = now or timezone.now()
    try:
        check_token(activity, day, at)
        check_may_join(activity, member)
    except ServiceError:
        return None
    guard = UNCHANGED_VISIBLE_ACTIVITY.bound(
        pk=activity.pk, organization_id=activity.organization_id, organization_path=activity.organization.path,
        starts_at=activity.starts_at, ends_at=activity.ends_at, open_to=activity.open_to, kind=activity.kind,
        rules_version=activity.rules_version, **viewer_scope(user))
    if guard is None or connections[guard[0]].vendor != connections[alias].vendor:
        return None
    checkin_id, created = _write_check_in(alias, activity, member, by=user, at=at, guard=guard[1:])
    if checkin_id is None:
        _COPIES.pop(activity_id, None)
        return None
    if not created:
        return CheckIn(pk=checkin_id, activity=activity, **participant_filter(member)), False
    return _new_check_in(alias, checkin_id, activity, member, by=user, at=at), True


@transaction.atomic
def check_out(checkin: CheckIn, *, by, at=None, reason: str = ""):
    """Record departure once, compute the hours and post the service points."""
    checkin = (CheckIn.objects.select_for_update(of=("self",))  # member is nullable: lock the check-in only
               .select_related("activity__organization", "member").get(pk=checkin.pk))
    if checkin.checked_out_at is not None:
        return checkin, False
    activity = checkin.activity
    at = at or timezone.now()
    if at < checkin.checked_in_at:
        raise ServiceError(_("Check-out cannot be before check-in."))
    checkin.checked_out_at = at
    checkin.hours = hours_between(activity, checkin.checked_in_at, at)
    if reason and not checkin.by_hand_reason:
        checkin.by_hand_reason = reason[:200]
    checkin.save(update_fields=["checked_out_at", "hours", "by_hand_reason"])
    if reason:
        audit.record(actor=by, action="service.checkin.check_out_by_hand", obj=checkin,
                     organization=activity.organization)
    post_service_points(checkin, by=by)
    return checkin, True


def post_service_points(checkin: CheckIn, *, by=None):
    """Service points for a party member's check-in; a resident's hours are recorded, without points
    (the points ledger is the party members'). Posted by ``check_out`` only, in the transaction that records
    the departure under the check-in's lock: no entry can hold the key yet (``new_source``; its unique
    constraint still refuses a second one)."""
    if checkin.member_id is None:
        return None
    activity = checkin.activity
    return post_points(member=checkin.member, code=RuleCode.SERVICE_HOUR, key=f"checkin:{checkin.pk}",
                       occurred_on=timezone.localtime(checkin.checked_in_at).date(), source=checkin,
                       organization=activity.organization, hours=checkin.hours, activity_kind=activity.kind, by=by,
                       new_source=True)


#: The activity points' idempotency key is this and the check-in's id.
ACTIVITY_KEY = "activity:"


def post_activity_points(checkin: CheckIn, *, by=None):
    """The ``activity`` points for taking part, posted at check-in (a party member's only). An activity read with
    the point rules' version (the QR check-in's, ``visible_activity_or_404``) finds its rule remembered by the
    process while the rules stay the same (``points.rules``)."""
    if checkin.member_id is None:
        return None
    activity = checkin.activity
    return post_points(member=checkin.member, code=RuleCode.ACTIVITY, key=f"{ACTIVITY_KEY}{checkin.pk}",
                       occurred_on=timezone.localtime(checkin.checked_in_at).date(), source=checkin,
                       organization=activity.organization, activity_kind=activity.kind, by=by,
                       rules_version=getattr(activity, "rules_version", None), new_source=True)


def no_shows(*, until=None):
    """Sign-ups of party members still standing (not cancelled before the start, so no leave was
    asked) for activities that ended before ``until`` without a check-in."""
    until = until or timezone.now()
    checked_in = CheckIn.objects.filter(activity=OuterRef("activity"), member=OuterRef("member"))
    return (SignUp.objects.filter(status=SignUpStatus.SIGNED_UP, member__isnull=False,
                                  activity__ends_at__lt=until, activity__cancelled_at__isnull=True)
            .exclude(Exists(checked_in))
            .select_related("activity__organization", "member"))


def post_no_show_points(*, until=None, since=None) -> int:
    """Post the ``no_show`` deduction once for every no-show (keyed by the sign-up, so re-running
    posts nothing twice); ``since`` limits it to activities that ended after that moment.
    Returns the number of entries posted by this run."""
    from gongzhi.points.models import PointEntry

    signups = no_shows(until=until)
    if since is not None:
        signups = signups.filter(activity__ends_at__gte=since)
    posted = 0
    for signup in signups.iterator(chunk_size=500):
        key = f"no_show:{signup.pk}"
        if PointEntry.objects.filter(idempotency_key=key).exists():
            continue
        activity = signup.activity
        entry = post_points(member=signup.member, code=RuleCode.NO_SHOW, key=key,
                            occurred_on=timezone.localtime(activity.ends_at).date(), source=signup,
                            organization=activity.organization, activity_kind=activity.kind,
                            reason=activity.title[:200])
        posted += entry is not None
    return posted


def check_in_by_token(*, activity: Activity, day: str, member, by, now=None,
                      earlier=LOOK_UP) -> tuple[CheckIn, bool]:
    """Check in from the QR code (the token's activity and day already read): idempotent. ``earlier`` as
    for ``check_in``."""
    check_token(activity, day, now)
    return check_in(activity, member, by=by, at=now, earlier=earlier)


def check_out_by_token(*, activity: Activity, day: str, member, by, now=None,
                       checkin: CheckIn | None = None) -> tuple[CheckIn, bool]:
    """Check out from the QR code: idempotent; refused before a check-in. ``checkin``: the member's check-in
    at the activity when the caller has it (``check_in`` returned it), else it is looked up."""
    check_token(activity, day, now)
    if checkin is None:
        checkin = CheckIn.objects.filter(activity=activity, **participant_filter(member)).first()
    elif checkin.activity_id != activity.pk or any(getattr(checkin, f"{k}_id") != v.pk
                                                    for k, v in participant_filter(member).items()):
        raise ValueError("the check-in is not the member's at this activity")
    if checkin is None:
        raise ServiceError(_("You have not checked in to this activity."))
    return check_out(checkin, by=by, at=now)


# --- cancelling ------------------------------------------------------------------------------------

def _notify_cancelled(activities: list[Activity]) -> None:
    notes = []
    for signup in (SignUp.objects.filter(Q(member__user__isnull=False) | Q(resident__user__isnull=False),
                                         activity__in=activities)
                   .exclude(status=SignUpStatus.CANCELLED).select_related("activity", "member", "resident")):
        activity = signup.activity
        title = _("Cancelled: %(title)s on %(date)s") % {
            "title": activity.title, "date": timezone.localtime(activity.starts_at).strftime("%Y-%m-%d %H:%M")}
        notes.append(Notification(user_id=signup.participant.user_id, title=title[:200],
                                  url=reverse("service:detail", args=[activity.pk]),
                                  key=f"activity:{activity.pk}:cancelled"))
    Notification.objects.bulk_create(notes, ignore_conflicts=True)


@transaction.atomic
def cancel_activity(*, activity: Activity, by) -> bool:
    """Cancel one activity before it starts; members signed up are told. Returns whether it changed."""
    activity = Activity.objects.select_for_update().get(pk=activity.pk)
    if activity.cancelled_at is not None:
        return False
    if timezone.now() >= activity.starts_at:
        raise ServiceError(_("The activity has already started; it can no longer be cancelled."))
    activity.cancelled_at = timezone.now()
    activity.save(update_fields=["cancelled_at"])
    audit.record(actor=by, action="service.activity.cancel", obj=activity, organization=activity.organization)
    _notify_cancelled([activity])
    return True


# --- teams -----------------------------------------------------------------------------------------

def places_fit(organization, grids, buildings) -> bool:
    """Grids and buildings must lie in the organization's community (or below a street's)."""
    from gongzhi.orgs.models import Building, Grid

    paths = set(Grid.objects.filter(pk__in=[g.pk for g in grids]).values_list("community__path", flat=True))
    paths |= set(Building.objects.filter(pk__in=[b.pk for b in buildings])
                 .values_list("grid__community__path", flat=True))
    return all(p.startswith(organization.path) or organization.path.startswith(p) for p in paths)


def team_fits(organization, team) -> bool:
    """A team serves activities of its own organization, above it, or below it."""
    return (team.organization.path.startswith(organization.path)
            or organization.path.startswith(team.organization.path))


def _clean_kinds(kinds) -> list[str]:
    valid = set(ActivityKind.values)
    return [k for k in dict.fromkeys(kinds or []) if k in valid]


@transaction.atomic
def create_team(*, organization, name: str, by, kinds=(), grids=(), buildings=(), description: str = "") -> ServiceTeam:
    name = (name or "").strip()
    if not name:
        raise ServiceError(_("Give the team a name."))
    if not places_fit(organization, grids, buildings):
        raise ServiceError(_("The grids and buildings must belong to the team's community."))
    if ServiceTeam.objects.filter(organization=organization, name=name).exists():
        raise ServiceError(_("%(org)s already has a team called %(name)s.") % {"org": organization.name, "name": name})
    team = ServiceTeam.objects.create(organization=organization, name=name[:100], kinds=_clean_kinds(kinds),
                                      description=description, created_by=by)
    team.grids.set(grids)
    team.buildings.set(buildings)
    audit.record(actor=by, action="service.team.create", obj=team)
    return team


@transaction.atomic
def update_team(*, team: ServiceTeam, by, name: str, kinds=(), grids=(), buildings=(), description: str = "",
                leader=None, is_active: bool = True) -> ServiceTeam:
    team = ServiceTeam.objects.select_for_update().get(pk=team.pk)
    name = (name or "").strip()
    if not name:
        raise ServiceError(_("Give the team a name."))
    if not places_fit(team.organization, grids, buildings):
        raise ServiceError(_("The grids and buildings must belong to the team's community."))
    if ServiceTeam.objects.filter(organization=team.organization, name=name).exclude(pk=team.pk).exists():
        raise ServiceError(_("%(org)s already has a team called %(name)s.") % {"org": team.organization.name,
                                                                              "name": name})
    if leader is not None and not is_team_member(team, leader, timezone.localdate()):
        raise ServiceError(_("The leader must be a member of the team."))
    team.name, team.kinds, team.description = name[:100], _clean_kinds(kinds), description
    team.leader, team.is_active = leader, is_active
    team.save()
    team.grids.set(grids)
    team.buildings.set(buildings)
    audit.record(actor=by, action="service.team.update", obj=team)
    return team


def add_team_member(*, team: ServiceTeam, member, by, joined_on: date | None = None) -> tuple[TeamMembership, bool]:
    """Add a member (idempotent: a member already in the team stays as is)."""
    joined_on = joined_on or timezone.localdate()
    existing = TeamMembership.objects.filter(team=team, member=member, left_on__isnull=True).first()
    if existing is not None:
        return existing, False
    try:
        with transaction.atomic():
            membership = TeamMembership.objects.create(team=team, member=member, joined_on=joined_on, added_by=by)
            audit.record(actor=by, action="service.team_member.add", obj=team, detail={"member": member.pk})
    except IntegrityError:
        return TeamMembership.objects.get(team=team, member=member, left_on__isnull=True), False
    return membership, True


@transaction.atomic
def remove_team_member(*, team: ServiceTeam, member, by, left_on: date | None = None) -> TeamMembership | None:
    """Record that a member left (the membership stays in the history); the leader's seat empties."""
    membership = (TeamMembership.objects.select_for_update()
                  .filter(team=team, member=member, left_on__isnull=True).first())
    if membership is None:
        return None
    membership.left_on = max(left_on or timezone.localdate(), membership.joined_on)
    membership.save(update_fields=["left_on"])
    if team.leader_id == member.pk:
        ServiceTeam.objects.filter(pk=team.pk).update(leader=None)
        team.leader = None
    audit.record(actor=by, action="service.team_member.remove", obj=team, detail={"member": member.pk})
    return membership


# --- recurring series ------------------------------------------------------------------------------

SERIES_TEMPLATE_FIELDS = ("title", "kind", "place", "description", "capacity", "open_to", "team", "requires_signup")
SERIES_RULE_FIELDS = ("frequency", "interval", "weekdays", "month_day", "starts_on", "ends_on", "count")


def _aware(day: date, at):
    return timezone.make_aware(datetime.combine(day, at))


def _check_series(series: ActivitySeries) -> list[date]:
    if series.end_time <= series.start_time:
        raise ServiceError(_("The end must be after the start."))
    if series.open_to == OpenTo.TEAM and series.team is None:
        raise ServiceError(_("Choose the team whose members may join."))
    if series.team is not None and not team_fits(series.organization, series.team):
        raise ServiceError(_("The team must belong to the organization, one above it or one below it."))
    try:
        return occurrence_dates(Rule.of(series))
    except RecurrenceError as exc:
        raise ServiceError(str(exc)) from exc


def _occurrence(series: ActivitySeries, day: date) -> Activity:
    return Activity(organization=series.organization, series=series, occurs_on=day,
                    starts_at=_aware(day, series.start_time), ends_at=_aware(day, series.end_time),
                    created_by=series.created_by, **{f: getattr(series, f) for f in SERIES_TEMPLATE_FIELDS})


def generate_occurrences(series: ActivitySeries, dates: list[date] | None = None, now=None) -> int:
    """Create the occurrences still to come that do not exist yet (unique series and date: running
    it twice, or twice at once, adds nothing). Returns how many were new."""
    now = now or timezone.now()
    dates = dates if dates is not None else occurrence_dates(Rule.of(series))
    existing = set(Activity.objects.filter(series=series).values_list("occurs_on", flat=True))
    new = [_occurrence(series, day) for day in dates if day not in existing and _aware(day, series.start_time) > now]
    Activity.objects.bulk_create(new, ignore_conflicts=True)
    return len(new)


@transaction.atomic
def create_series(*, organization, by, request_key: str | None = None, **values) -> tuple[ActivitySeries, bool]:
    """Create a recurring series and its occurrences; a repeated submission (same request key)
    returns the first series. Returns (series, created)."""
    if request_key:
        found = ActivitySeries.objects.filter(request_key=request_key, created_by=by).first()
        if found is not None:
            return found, False
    series = ActivitySeries(organization=organization, created_by=by, request_key=request_key or None, **values)
    dates = _check_series(series)
    if series.starts_on < timezone.localdate():
        raise ServiceError(_("The first date is in the past."))
    try:
        with transaction.atomic():
            series.save()
    except IntegrityError:
        return ActivitySeries.objects.get(request_key=request_key), False
    generated = generate_occurrences(series, dates)
    audit.record(actor=by, action="service.series.create", obj=series, detail={"occurrences": generated})
    return series, True


def _taken_up(activity_ids) -> set[int]:
    """Activities someone is signed up for (or on the waiting list of), or already checked in to."""
    signed = SignUp.objects.filter(activity_id__in=activity_ids).exclude(status=SignUpStatus.CANCELLED)
    return (set(signed.values_list("activity_id", flat=True))
            | set(CheckIn.objects.filter(activity_id__in=activity_ids).values_list("activity_id", flat=True)))


@transaction.atomic
def update_series(*, series: ActivitySeries, by, **values) -> dict:
    """Change the series; its future occurrences without sign-ups follow (their date, time and
    details), those with sign-ups keep what members signed up for, past ones never change.
    Returns counts: updated, created, removed, kept."""
    series = ActivitySeries.objects.select_for_update().get(pk=series.pk)
    if series.cancelled_at is not None:
        raise ServiceError(_("The series was cancelled."))
    for field, value in values.items():
        if field not in SERIES_TEMPLATE_FIELDS + SERIES_RULE_FIELDS + ("start_time", "end_time"):
            raise TypeError(field)
        setattr(series, field, value)
    dates = set(_check_series(series))
    series.save()
    now = timezone.now()
    future = list(Activity.objects.select_for_update().filter(series=series, starts_at__gt=now))
    busy = _taken_up([a.pk for a in future])
    with_any_signup = set(SignUp.objects.filter(activity__in=future).values_list("activity_id", flat=True))
    counts = {"updated": 0, "created": 0, "removed": 0, "kept": 0}
    for activity in future:
        if activity.pk in busy:
            counts["kept"] += 1
        elif activity.occurs_on in dates and _aware(activity.occurs_on, series.start_time) > now:
            fresh = _occurrence(series, activity.occurs_on)
            for field in (*SERIES_TEMPLATE_FIELDS, "starts_at", "ends_at"):
                setattr(activity, field, getattr(fresh, field))
            activity.cancelled_at = None
            activity.save()
            counts["updated"] += 1
        elif activity.pk in with_any_signup:
            # Only cancelled sign-ups: keep the row for their history, but cancel the date.
            if activity.cancelled_at is None:
                activity.cancelled_at = now
                activity.save(update_fields=["cancelled_at"])
            counts["removed"] += 1
        else:
            activity.delete()
            counts["removed"] += 1
    counts["created"] = generate_occurrences(series, sorted(dates), now)
    audit.record(actor=by, action="service.series.update", obj=series, detail=counts)
    return counts


@transaction.atomic
def cancel_series(*, series: ActivitySeries, by) -> int:
    """Cancel the series and every occurrence still to come (signed-up members are told);
    past occurrences and their check-ins stay. Returns how many occurrences were cancelled."""
    series = ActivitySeries.objects.select_for_update().get(pk=series.pk)
    if series.cancelled_at is not None:
        return 0
    now = timezone.now()
    series.cancelled_at = now
    series.save(update_fields=["cancelled_at"])
    future = list(Activity.objects.select_for_update().filter(series=series, starts_at__gt=now,
                                                              cancelled_at__isnull=True))
    Activity.objects.filter(pk__in=[a.pk for a in future]).update(cancelled_at=now)
    _notify_cancelled(future)
    audit.record(actor=by, action="service.series.cancel", obj=series, detail={"occurrences": len(future)})
    return len(future)
