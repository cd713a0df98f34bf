"""The reports' records: a work summary with its frozen figures and the secretary's drafts, and a statistical
workbook. Both are produced by a background job (``core.Job``) whose progress the page shows."""

from __future__ import annotations

import uuid
from datetime import date

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from gongzhi.core.periods import Period
from gongzhi.core.scoping import ScopedQuerySet


class ReportStatus(models.TextChoices):
    PENDING = "pending", _("Being produced")
    READY = "ready", _("Ready")
    FAILED = "failed", _("Failed")


class PeriodKind(models.TextChoices):
    YEAR = "year", _("Year")
    HALF = "half", _("Half-year")
    QUARTER = "quarter", _("Quarter")
    RANGE = "range", _("Range of dates")


class ReportQuerySet(ScopedQuerySet):
    """A report is seen by those who cover its organization, and by the person who asked for it."""

    def own_q(self, user):
        return models.Q(created_by=user)


class WorkSummary(models.Model):
    """The work summary (工作总结) of an organization's subtree for a period.

    ``figures`` holds what the registry computed, frozen with ``computed_at``: the areas with their
    figures (this period, the previous one, breakdowns) and the apps' report sections. ``narrative``
    (text per section) and ``problems`` (proposed items the secretary keeps or drops, and own ones) are
    the current draft; each save adds a ``SummaryDraft``, so the history stays.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organization = models.ForeignKey("orgs.Organization", on_delete=models.PROTECT, related_name="+",
                                     verbose_name=_("organization"))
    period_kind = models.CharField(_("period covered"), max_length=8, choices=PeriodKind, default=PeriodKind.YEAR)
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until"))
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES)
    status = models.CharField(_("status"), max_length=8, choices=ReportStatus, default=ReportStatus.PENDING)
    job = models.OneToOneField("core.Job", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    figures = models.JSONField(_("figures"), default=dict, blank=True)
    computed_at = models.DateTimeField(_("figures computed at"), null=True, blank=True)
    narrative = models.JSONField(_("narrative"), default=dict, blank=True)
    problems = models.JSONField(_("problems"), default=list, blank=True)
    drafts = models.PositiveIntegerField(_("drafts saved"), default=0)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ReportQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("work summary")
        verbose_name_plural = _("work summaries")
        constraints = [models.CheckConstraint(condition=models.Q(ends_on__gte=models.F("starts_on")),
                                              name="summary_ends_after_start")]

    def __str__(self) -> str:
        return f"{self.organization} {self.period.label}"

    @property
    def period(self) -> Period:
        return Period(self.starts_on, self.ends_on, self.period_kind)

    @property
    def audit_organization(self):
        return self.organization


class SummaryDraft(models.Model):
    """One saved state of a summary's narrative and problems: the history of the secretary's edits."""

    summary = models.ForeignKey(WorkSummary, on_delete=models.CASCADE, related_name="history")
    number = models.PositiveIntegerField(_("draft"))
    narrative = models.JSONField(_("narrative"), default=dict)
    problems = models.JSONField(_("problems"), default=list)
    saved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    saved_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-number"]
        verbose_name = _("draft")
        verbose_name_plural = _("drafts")
        constraints = [models.UniqueConstraint(fields=["summary", "number"], name="one_draft_number_per_summary")]

    def __str__(self) -> str:
        return f"{self.summary} #{self.number}"


def _workbook_path(instance, filename: str) -> str:
    return f"reports/{instance.pk}.xlsx"


class StatisticsWorkbook(models.Model):
    """The statistical tables (党内统计) of an organization's subtree at a date, as an .xlsx file."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organization = models.ForeignKey("orgs.Organization", on_delete=models.PROTECT, related_name="+",
                                     verbose_name=_("organization"))
    at_date = models.DateField(_("at date"), default=date.today)
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES)
    status = models.CharField(_("status"), max_length=8, choices=ReportStatus, default=ReportStatus.PENDING)
    job = models.OneToOneField("core.Job", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    file = models.FileField(upload_to=_workbook_path, blank=True)
    totals = models.JSONField(_("totals"), default=dict, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ReportQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("statistical workbook")
        verbose_name_plural = _("statistical workbooks")

    def __str__(self) -> str:
        return f"{self.organization} {self.at_date}"

    @property
    def audit_organization(self):
        return self.organization
