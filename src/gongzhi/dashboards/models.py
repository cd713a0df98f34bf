"""Kiosk links of the big screen: a token an organization creates for a hall display and may revoke.

Only a hash of the token is stored (like a password): the link is shown once, when it is created.
"""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from gongzhi.core.scoping import ScopedQuerySet


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class KioskTokenQuerySet(ScopedQuerySet):
    scope_path = "organization__path"

    def active(self):
        return self.filter(revoked_at__isnull=True)


class KioskToken(models.Model):
    organization = models.ForeignKey("orgs.Organization", on_delete=models.CASCADE, related_name="kiosk_tokens",
                                     verbose_name=_("organization"))
    label = models.CharField(_("where it is shown"), max_length=60)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+",
                                   verbose_name=_("created by"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    revoked_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", verbose_name=_("revoked by"))
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    objects = KioskTokenQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("kiosk link")
        verbose_name_plural = _("kiosk links")
        constraints = [models.CheckConstraint(condition=Q(revoked_at__isnull=False) | Q(revoked_by__isnull=True),
                                              name="kiosk_revoker_only_when_revoked")]

    def __str__(self) -> str:
        return self.label

    @property
    def audit_organization(self):
        return self.organization


class SnapshotStatus(models.TextChoices):
    PENDING = "pending", _("Being computed")
    READY = "ready", _("Ready")
    FAILED = "failed", _("Failed")


class SnapshotQuerySet(ScopedQuerySet):
    scope_path = "organization__path"


class DashboardSnapshot(models.Model):
    """The figures of one organization's dashboard for one period, as computed from the records at
    ``computed_at`` by a background task (``tasks.compute_snapshot``): the page and the big screen read it,
    never wait for the figures. ``data`` holds numbers and breakdown labels only (aggregates, no names of
    people), and the page's cards and charts written from them (``selectors.written``); breakdown labels and
    the written page are in ``language``. ``job`` shows the progress of the computation under way
    (the first one, or a refresh); ``viewed_at`` tells the scheduler which snapshots to keep fresh."""

    organization = models.ForeignKey("orgs.Organization", on_delete=models.CASCADE, related_name="+",
                                     verbose_name=_("organization"))
    period_kind = models.CharField(max_length=8)
    starts_on = models.DateField()
    ends_on = models.DateField()
    language = models.CharField(max_length=16)
    status = models.CharField(_("status"), max_length=8, choices=SnapshotStatus, default=SnapshotStatus.PENDING)
    data = models.JSONField(default=dict, blank=True)
    computed_at = models.DateTimeField(_("figures computed at"), null=True, blank=True)
    refreshing = models.BooleanField(default=False)
    job = models.ForeignKey("core.Job", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    viewed_at = models.DateTimeField(null=True, blank=True)
    seconds = models.FloatField(null=True, blank=True)  # how long the last computation took

    objects = SnapshotQuerySet.as_manager()

    class Meta:
        verbose_name = _("dashboard snapshot")
        verbose_name_plural = _("dashboard snapshots")
        constraints = [models.UniqueConstraint(fields=["organization", "period_kind", "starts_on", "ends_on",
                                                       "language"], name="dashboard_snapshot_unique")]
        indexes = [models.Index(fields=["viewed_at"], name="dashboard_snapshot_viewed")]

    def __str__(self) -> str:
        return f"{self.organization_id} {self.period_kind} {self.starts_on}"
