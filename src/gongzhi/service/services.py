"""Sign-ups, the waiting list, QR check-in tokens, check-in/out and service points."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from django.core import signing
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gongzhi.core import audit
from gongzhi.points.models import RuleCode
from gongzhi.points.services import post_points

from .models import Activity, CheckIn, SignUp, SignUpStatus

TOKEN_SALT = "gongzhi.service.checkin"  # noqa: S105 - a signing namespace, not a secret
# A QR code may be scanned from shortly before the start until shortly after the end.
GRACE = timedelta(minutes=30)


class ServiceError(ValueError):
    """A rule refused the action (the message is shown to the user)."""


# --- sign-up ------------------------------------------------------------------------------------

@transaction.atomic
def sign_up(activity: Activity, member) -> SignUp:
    activity = Activity.objects.select_for_update().get(pk=activity.pk)
    if timezone.now() >= activity.starts_at:
        raise ServiceError(_("The activity has already started."))
    taken = SignUp.objects.filter(activity=activity, status=SignUpStatus.SIGNED_UP).exclude(member=member).count()
    status = SignUpStatus.WAITING if activity.capacity is not None and taken >= activity.capacity \
        else SignUpStatus.SIGNED_UP
    signup = SignUp.objects.filter(activity=activity, member=member).first()
    if signup is None:
        try:
            with transaction.atomic():
                return SignUp.objects.create(activity=activity, member=member, status=status)
        except IntegrityError:
            signup = SignUp.objects.get(activity=activity, member=member)
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
    signup = SignUp.objects.filter(activity=activity, member=member).first()
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


def read_token(token: str) -> tuple[int, str]:
    """The activity id and date in a token, or ServiceError for a forged or stale one."""
    try:
        data = signing.loads(token, salt=TOKEN_SALT, max_age=timedelta(days=2))
        return int(data["a"]), str(data["d"])
    except (signing.BadSignature, KeyError, TypeError, ValueError) as exc:
        raise ServiceError(_("This check-in code is not valid or has expired.")) from exc


def check_token(activity: Activity, day: str, now=None) -> None:
    """The token's date must be today and now within the activity window (with grace)."""
    now = now or timezone.now()
    if day != timezone.localtime(now).date().isoformat() or day != timezone.localtime(
            activity.starts_at).date().isoformat():
        raise ServiceError(_("This check-in code belongs to another day."))
    if not (activity.starts_at - GRACE <= now <= activity.ends_at + GRACE):
        raise ServiceError(_("Check-in is open only during the activity."))


# --- check-in / out ------------------------------------------------------------------------------

def hours_between(activity: Activity, start, end) -> Decimal:
    start, end = max(start, activity.starts_at), min(end, activity.ends_at)
    seconds = max((end - start).total_seconds(), 0)
    return Decimal(seconds / 3600).quantize(Decimal("0.01"))


def check_in(activity: Activity, member, *, by, at=None, reason: str = "") -> tuple[CheckIn, bool]:
    """Record arrival once; returns (check-in, created). A second tap creates nothing."""
    if activity.requires_signup and not SignUp.objects.filter(
            activity=activity, member=member, status=SignUpStatus.SIGNED_UP).exists():
        raise ServiceError(_("You are not signed up for this activity."))
    existing = CheckIn.objects.filter(activity=activity, member=member).first()
    if existing is not None:
        return existing, False
    try:
        with transaction.atomic():
            checkin = CheckIn.objects.create(activity=activity, member=member, checked_in_at=at or timezone.now(),
                                             by_hand_reason=reason[:200], recorded_by=by)
            if reason:
                audit.record(actor=by, action="service.checkin_by_hand", obj=checkin,
                             organization=activity.organization)
    except IntegrityError:
        return CheckIn.objects.get(activity=activity, member=member), False
    return checkin, True


@transaction.atomic
def check_out(checkin: CheckIn, *, by, at=None, reason: str = ""):
    """Record departure once, compute the hours and post the service points."""
    checkin = CheckIn.objects.select_for_update().select_related("activity__organization", "member").get(
        pk=checkin.pk)
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
        audit.record(actor=by, action="service.checkout_by_hand", obj=checkin, organization=activity.organization)
    post_service_points(checkin, by=by)
    return checkin, True


def post_service_points(checkin: CheckIn, *, by=None):
    activity = checkin.activity
    return post_points(member=checkin.member, code=RuleCode.SERVICE_HOUR, key=f"checkin:{checkin.pk}",
                       occurred_on=timezone.localtime(checkin.checked_in_at).date(), source=checkin,
                       organization=activity.organization, hours=checkin.hours, activity_kind=activity.kind, by=by)
