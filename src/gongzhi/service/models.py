"""Volunteer service activities, sign-ups and check-ins.

An activity is published by an organization; members see activities of the
organizations on their branch's and community's ancestor path (residents too when
the activity is open to them). A check-in is unique per member and activity; its
hours (check-out − check-in, capped by the activity span) earn service points.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from gongzhi.core.scoping import ScopedQuerySet, ancestor_paths


class ActivityKind(models.TextChoices):
    EPIDEMIC = "epidemic", _("Epidemic control")
    ENVIRONMENT = "environment", _("Environment")
    RENOVATION = "renovation", _("Renovation")
    ELDERLY = "elderly", _("Elderly visits")
    POLICY = "policy", _("Policy publicity")
    CULTURE = "culture", _("Culture")
    PATROL = "patrol", _("Safety patrol")
    OTHER = "other", _("Other")


class OpenTo(models.TextChoices):
    MEMBERS = "members", _("Members in scope")
    RESIDENTS = "residents", _("Members and residents")


def _public_paths(user) -> tuple[list[str], list[str]]:
    """Ancestor paths of the user's own organizations: roles, branch and community (as member),
    and the community lived in (as resident, for activities open to residents)."""
    from gongzhi.core.scoping import active_roles
    from gongzhi.members.models import Member, Resident
    from gongzhi.orgs.models import STEP

    paths: set[str] = set()
    for role in active_roles(user):
        if role.kind != "resident":
            paths.update(ancestor_paths(role.organization.path, STEP))
    for home, community in Member.objects.filter(user=user).values_list("home_org__path", "community__path"):
        for path in (home, community):
            if path:
                paths.update(ancestor_paths(path, STEP))
    resident_paths = {p for role in active_roles(user) if role.kind == "resident"
                      for p in ancestor_paths(role.organization.path, STEP)}
    resident_paths.update(p for (c,) in Resident.objects.filter(user=user).values_list("community__path") if c
                          for p in ancestor_paths(c, STEP))
    return sorted(paths), sorted(resident_paths)


class ActivityQuerySet(ScopedQuerySet):
    scope_path = "organization__path"

    def own_q(self, user):
        # An activity one signed up for or served at stays open to one, wherever it was held.
        return (Q(pk__in=SignUp.objects.filter(member__user=user).values("activity_id"))
                | Q(pk__in=CheckIn.objects.filter(member__user=user).values("activity_id")))

    def public_q(self, user):
        member_paths, resident_paths = _public_paths(user)
        return (Q(organization__path__in=member_paths)
                | Q(organization__path__in=resident_paths, open_to=OpenTo.RESIDENTS))

    def upcoming(self, now):
        return self.filter(ends_at__gte=now).order_by("starts_at")


class Activity(models.Model):
    organization = models.ForeignKey("orgs.Organization", on_delete=models.PROTECT, related_name="activities",
                                     verbose_name=_("organization"))
    title = models.CharField(_("title"), max_length=120)
    kind = models.CharField(_("kind"), max_length=16, choices=ActivityKind, default=ActivityKind.OTHER)
    place = models.CharField(_("place"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    capacity = models.PositiveIntegerField(_("capacity"), null=True, blank=True,
                                           help_text=_("Empty: no limit."))
    open_to = models.CharField(_("open to"), max_length=16, choices=OpenTo, default=OpenTo.MEMBERS)
    requires_signup = models.BooleanField(_("sign-up required"), default=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ActivityQuerySet.as_manager()

    class Meta:
        ordering = ["starts_at"]
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        indexes = [models.Index(fields=["organization", "starts_at"])]
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gt=models.F("starts_at")), name="activity_ends_after_start"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def span_hours(self) -> Decimal:
        return Decimal((self.ends_at - self.starts_at).total_seconds() / 3600).quantize(Decimal("0.01"))


class SignUpStatus(models.TextChoices):
    SIGNED_UP = "signed_up", _("Signed up")
    WAITING = "waiting", _("Waiting list")
    CANCELLED = "cancelled", _("Cancelled")


class SignUpQuerySet(ScopedQuerySet):
    scope_path = "activity__organization__path"

    def own_q(self, user):
        return Q(member__user=user)


class SignUp(models.Model):
    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="signups")
    member = models.ForeignKey("members.Member", on_delete=models.PROTECT, related_name="signups",
                               verbose_name=_("member"))
    status = models.CharField(_("status"), max_length=16, choices=SignUpStatus, default=SignUpStatus.SIGNED_UP)
    created_at = models.DateTimeField(_("signed up at"), auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = SignUpQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [models.UniqueConstraint(fields=["member", "activity"], name="signup_once")]

    def __str__(self) -> str:
        return f"{self.member} → {self.activity}"


class CheckInQuerySet(ScopedQuerySet):
    scope_path = "activity__organization__path"

    def own_q(self, user):
        return Q(member__user=user)


class CheckIn(models.Model):
    activity = models.ForeignKey(Activity, on_delete=models.PROTECT, related_name="checkins")
    member = models.ForeignKey("members.Member", on_delete=models.PROTECT, related_name="checkins",
                               verbose_name=_("member"))
    checked_in_at = models.DateTimeField(_("checked in at"))
    checked_out_at = models.DateTimeField(_("checked out at"), null=True, blank=True)
    hours = models.DecimalField(_("hours"), max_digits=6, decimal_places=2, null=True, blank=True)
    by_hand_reason = models.CharField(_("reason for recording by hand"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")

    objects = CheckInQuerySet.as_manager()

    class Meta:
        ordering = ["checked_in_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["member", "activity"], name="checkin_once"),
            models.CheckConstraint(condition=Q(checked_out_at__isnull=True)
                                   | Q(checked_out_at__gte=models.F("checked_in_at")),
                                   name="checkout_after_checkin"),
        ]

    def __str__(self) -> str:
        return f"{self.member} @ {self.activity}"
