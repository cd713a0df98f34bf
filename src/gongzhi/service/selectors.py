"""Reads shared by the service pages and the API: upcoming activities with filters, a team's
figures, a member's service."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.db import router
from django.db.models import Count, Q, Sum
from django.utils import timezone

from gongzhi.core.fields import sealed_names

from .models import (
    PARTICIPANT_ATTR,
    Activity,
    CheckIn,
    ServiceTeam,
    SignUp,
    SignUpStatus,
    TeamMembership,
    own_participant_ids,
    own_records,
    participant_filter,
)


def own_participant(user):
    """Who the user takes part as: his or her party member record, else his or her resident record
    (residents join activities open to residents); None for neither. Service never reads the record's
    sealed personal data (ID number, phone, address): they are not loaded, so nothing is decrypted."""
    member, resident = own_records(user)
    return member if member is not None else resident


def own_participant_by_id(user):
    """``own_participant(user)`` as a record holding its id alone (any other field is read from the database if
    asked for): for the QR check-in, whose reads and writes need the participant's id only. Found with the
    activities' scope (``own_participant_ids``: four columns of two small tables), not by reading the records with
    their organizations: on PostgreSQL that read alone cost the database server about a fifth of a check-in."""
    from gongzhi.members.models import Member, Resident

    member_ids, resident_ids = own_participant_ids(user)
    for model, ids in ((Member, member_ids), (Resident, resident_ids)):
        if ids:
            return model.from_db(router.db_for_read(model), [model._meta.pk.attname], [ids[0]])
    return None


def participants(model):
    """Party members' or residents' records as service loads them: without their sealed fields."""
    return model.objects.defer(*sealed_names(model))


def upcoming_activities(user, *, now=None, kind: str = "", team_id: int | None = None,
                        organization_id: int | None = None, since: date | None = None, until: date | None = None,
                        mine: bool = False, include_cancelled: bool = True):
    """Activities the user may see that have not ended, soonest first, with the places taken."""
    now = now or timezone.now()
    activities = (Activity.objects.visible_to(user).upcoming(now).select_related("organization", "team")
                  .annotate(taken=Count("signups", filter=Q(signups__status=SignUpStatus.SIGNED_UP))))
    if kind:
        activities = activities.filter(kind=kind)
    if team_id:
        activities = activities.filter(team_id=team_id)
    if organization_id:
        activities = activities.filter(organization_id=organization_id)
    if since:
        activities = activities.filter(starts_at__date__gte=since)
    if until:
        activities = activities.filter(starts_at__date__lte=until)
    if mine:
        activities = activities.filter(pk__in=SignUp.objects.filter(Q(member__user=user) | Q(resident__user=user))
                                       .exclude(status=SignUpStatus.CANCELLED).values("activity_id"))
    if not include_cancelled:
        activities = activities.not_cancelled()
    return activities


@dataclass(frozen=True)
class Participation:
    """One participant's state at one activity: sign-up, check-in, and why he or she may not join."""

    signup: SignUp | None = None
    checkin: CheckIn | None = None
    refusal: str = ""


def participation(activity: Activity, participant) -> Participation:
    """The participant's (party member or resident, or None) sign-up and check-in at the activity and
    the reason, if any, he or she may not join: the one computation behind the activity page and the
    API (two queries)."""
    if participant is None:
        return Participation()
    from .services import ServiceError, check_may_join

    who = participant_filter(participant)
    refusal = ""
    try:
        check_may_join(activity, participant)
    except ServiceError as exc:
        refusal = str(exc)
    return Participation(signup=SignUp.objects.filter(activity=activity, **who).first(),
                         checkin=CheckIn.objects.filter(activity=activity, **who).first(), refusal=refusal)


def my_statuses_of(user, activity_ids) -> dict[int, str]:
    """``my_statuses(own_participant(user), activity_ids)`` for a list page: the participant's id only, not
    his or her record (no sealed field decrypted, no organizations joined); nothing asked for no rows."""
    from gongzhi.members.models import Member, Resident

    if not activity_ids or not getattr(user, "is_authenticated", False):
        return {}
    known = getattr(user, PARTICIPANT_ATTR, None)  # found with the activities' visibility, this request
    if known is not None:
        member_id = known[0][0] if known[0] else None
    else:
        member_id = Member.objects.filter(user=user).values_list("pk", flat=True).first()
    if member_id is not None:
        key = {"member_id": member_id}
    else:
        if known is not None:
            resident_id = known[1][0] if known[1] else None
        else:
            resident_id = Resident.objects.filter(user=user).values_list("pk", flat=True).first()
        if resident_id is None:
            return {}
        key = {"resident_id": resident_id}
    return dict(SignUp.objects.filter(activity_id__in=activity_ids, **key).values_list("activity_id", "status"))


def my_statuses(member, activity_ids) -> dict[int, str]:
    if member is None:
        return {}
    return dict(SignUp.objects.filter(activity_id__in=activity_ids, **participant_filter(member))
                .values_list("activity_id", "status"))


def hours(checkins) -> Decimal:
    total = checkins.aggregate(total=Sum("hours"))["total"]
    return Decimal(str(total or 0)).quantize(Decimal("0.01"))  # SQLite sums decimals as floats


def team_figures(team: ServiceTeam, year: int) -> dict:
    """Hours served at the team's activities in a year, in all, and per member (one query each)."""
    checkins = CheckIn.objects.filter(activity__team=team, checked_in_at__year=year, hours__isnull=False)
    per_member = list(checkins.filter(member__isnull=False).values("member_id", "member__name")
                      .annotate(total=Sum("hours"), times=Count("id")).order_by("-total", "member__name"))
    for row in per_member:
        row["total"] = Decimal(str(row["total"] or 0)).quantize(Decimal("0.01"))
    return {
        "year": year, "hours": hours(checkins), "attendances": sum(r["times"] for r in per_member),
        "activities": Activity.objects.filter(team=team, starts_at__year=year, cancelled_at__isnull=True).count(),
        "per_member": per_member,
    }


def team_members(team: ServiceTeam, *, on: date | None = None, with_past: bool = False):
    memberships = TeamMembership.objects.filter(team=team).select_related("member")
    if not with_past:
        memberships = memberships.current(on or timezone.localdate())
    return memberships.order_by("left_on", "member__name", "id")


def teams_for(user):
    """Teams the user may see, with their current member counts."""
    today = timezone.localdate()
    return (ServiceTeam.objects.visible_to(user).select_related("organization", "leader")
            .annotate(member_count=Count("memberships", filter=Q(memberships__joined_on__lte=today)
                                         & (Q(memberships__left_on__isnull=True)
                                            | Q(memberships__left_on__gte=today))))
            .order_by("-is_active", "organization__path", "name"))


def member_service(member, year: int) -> dict:
    """A member's or a resident's hours in a year and recent history (a member's points come from
    the points app)."""
    checkins = CheckIn.objects.filter(**participant_filter(member))
    return {
        "year": year, "hours": hours(checkins.filter(checked_in_at__year=year)),
        "activities": checkins.filter(checked_in_at__year=year).count(),
        "history": checkins.select_related("activity__organization").order_by("-checked_in_at")[:50],
    }


def month_activities(user, month: date, *, kind: str = "", mine: bool = False) -> list:
    """The activities of a local calendar month the user may see, cancelled ones included, with the
    places taken and the check-ins so far (one query)."""
    zone = timezone.get_current_timezone()
    start = datetime.combine(month.replace(day=1), time.min, tzinfo=zone)
    end = datetime.combine((month.replace(day=28) + timedelta(days=4)).replace(day=1), time.min, tzinfo=zone)
    activities = (Activity.objects.visible_to(user).filter(starts_at__gte=start, starts_at__lt=end)
                  .select_related("organization")
                  .annotate(taken=Count("signups", filter=Q(signups__status=SignUpStatus.SIGNED_UP), distinct=True),
                            present=Count("checkins", distinct=True))
                  .order_by("starts_at", "pk"))
    if kind:
        activities = activities.filter(kind=kind)
    if mine:
        activities = activities.filter(pk__in=SignUp.objects.filter(Q(member__user=user) | Q(resident__user=user))
                                       .exclude(status=SignUpStatus.CANCELLED).values("activity_id"))
    return list(activities)
