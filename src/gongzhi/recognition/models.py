"""Titles and badges an organization awards in its subtree (computed, never stored per member)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from gongzhi.core.scoping import ScopedQuerySet
from gongzhi.points.models import above_roles_q


class BadgeMetric(models.TextChoices):
    POINTS = "points", _("Points in the year")
    HOURS = "hours", _("Service hours in the year")
    ACTIVITIES = "activities", _("Activities attended in the year")


class BadgeIcon(models.TextChoices):
    STAR = "star-fill", _("Star")
    AWARD = "award-fill", _("Rosette")
    TROPHY = "trophy-fill", _("Trophy")
    HEART = "heart-fill", _("Heart")
    PATCH = "patch-check-fill", _("Seal")
    GEM = "gem", _("Gem")


class BadgeQuerySet(ScopedQuerySet):
    def public_q(self, user):
        # Titles are published: anyone may read those of the organizations above them.
        return above_roles_q(user)


class Badge(models.Model):
    """A title or badge (e.g. 服务之星) an organization awards in its subtree: every member whose
    figure for a year reaches the threshold holds it for that year. It is computed from the ledger
    and the check-ins, so a reversal that takes a member below the threshold withdraws it."""

    organization = models.ForeignKey("orgs.Organization", on_delete=models.PROTECT, related_name="badges",
                                     verbose_name=_("organization"))
    name = models.CharField(pgettext_lazy("honour", "title"), max_length=40)
    icon = models.CharField(_("icon"), max_length=20, choices=BadgeIcon, default=BadgeIcon.STAR)
    metric = models.CharField(_("measured by"), max_length=12, choices=BadgeMetric)
    threshold = models.DecimalField(_("at least"), max_digits=8, decimal_places=1)
    description = models.CharField(_("description"), max_length=200, blank=True)
    is_active = models.BooleanField(_("awarded"), default=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = BadgeQuerySet.as_manager()

    class Meta:
        db_table = "points_badge"  # created by the points app, which held titles before recognition
        ordering = ["organization__path", "metric", "threshold", "name"]
        verbose_name = _("title or badge")
        verbose_name_plural = _("titles and badges")
        constraints = [
            models.CheckConstraint(condition=Q(threshold__gt=0), name="badge_threshold_positive"),
            models.UniqueConstraint(fields=["organization", "name"], name="badge_name_unique"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def audit_organization(self):
        return self.organization


class ServedMonth(models.Model):
    """Who served in a month (local time): a member's check-ins, visits of his or her care pairings and
    fulfilled or confirmed small wishes in the month, kept exact by database triggers on those tables
    (``recognition.summary``), in the writing transaction. A row exists only while one count is above zero.

    Activation reads it for the whole months of a period (``selectors.served``); ``gongzhi recognition
    verify_served`` compares it with the records and ``gongzhi recognition rebuild_served`` rebuilds it."""

    # No index of its own: the unique (member, month) index serves a member's probe (an index-only scan).
    member = models.ForeignKey("members.Member", on_delete=models.CASCADE, related_name="served_months",
                               db_index=False, verbose_name=_("member"))
    month = models.DateField(_("month"), help_text=_("The first day of the month."))
    checkins = models.IntegerField(_("check-ins"), default=0)
    visits = models.IntegerField(_("care visits"), default=0)
    wishes = models.IntegerField(_("small wishes fulfilled"), default=0)

    class Meta:
        verbose_name = _("served month")
        verbose_name_plural = _("served months")
        constraints = [models.UniqueConstraint(fields=["member", "month"], name="served_month_unique")]
        indexes = [models.Index(fields=["month", "member"], name="served_month_period")]

    def __str__(self) -> str:
        return f"{self.member_id} {self.month:%Y-%m}"
