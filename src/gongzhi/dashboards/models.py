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
