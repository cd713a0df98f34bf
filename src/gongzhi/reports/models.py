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


class EvaluationGrade(models.TextChoices):
    EXCELLENT = "excellent", _("Excellent")
    GOOD = "good", _("Good")
    FAIR = "fair", _("Fair")
    POOR = "poor", _("Poor")


class EvaluationQuerySet(ScopedQuerySet):
    """Seen by those who cover the evaluating community, the member's own organization, and the member."""

    scope_path = "community__path"

    def visible_to(self, user):
        from gongzhi.core.scoping import scope_paths, subtree_q

        if not getattr(user, "is_authenticated", False):
            return self.none()
        if user.is_superuser:
            return self.all()
        paths = scope_paths(user)
        return self.filter(subtree_q("community__path", paths) | subtree_q("member__home_org__path", paths)
                           | models.Q(member__user=user))


class MemberEvaluation(models.Model):
    """The residential community's yearly evaluation of a member who reported to it (双报到): fed back to the
    employer's organization and shown on the member's appraisal as a reference."""

    member = models.ForeignKey("members.Member", on_delete=models.CASCADE, related_name="community_evaluations",
                               verbose_name=_("party member"))
    community = models.ForeignKey("orgs.Organization", on_delete=models.PROTECT, related_name="+",
                                  verbose_name=_("community"))
    year = models.PositiveSmallIntegerField(_("year"))
    grade = models.CharField(_("evaluation"), max_length=12, choices=EvaluationGrade)
    comment = models.CharField(_("comment"), max_length=300, blank=True)
    evaluated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                                     related_name="+")
    evaluated_at = models.DateTimeField(auto_now=True)

    objects = EvaluationQuerySet.as_manager()

    class Meta:
        ordering = ["-year", "member"]
        verbose_name = _("community evaluation")
        verbose_name_plural = _("community evaluations")
        constraints = [models.UniqueConstraint(fields=["member", "community", "year"],
                                               name="one_evaluation_per_member_community_year")]

    def __str__(self) -> str:
        return f"{self.member} {self.year} {self.get_grade_display()}"

    @property
    def audit_organization(self):
        return self.community


class FeedbackQuerySet(ScopedQuerySet):
    """Seen by those who cover the community that wrote it and by the unit's own users."""

    scope_path = "community__path"

    def visible_to(self, user):
        from gongzhi.core.scoping import scope_paths, subtree_q

        if not getattr(user, "is_authenticated", False):
            return self.none()
        if user.is_superuser:
            return self.all()
        paths = scope_paths(user)
        return self.filter(subtree_q("community__path", paths) | subtree_q("unit__organization__path", paths))


class UnitFeedback(models.Model):
    """What a community sent a co-building unit about its reported members' service in a quarter or half-year:
    the rows as they were when sent (activities, hours, points, posts, the year's evaluation)."""

    community = models.ForeignKey("orgs.Organization", on_delete=models.PROTECT, related_name="+",
                                  verbose_name=_("community"))
    unit = models.ForeignKey("orgs.CoBuildingUnit", on_delete=models.PROTECT, related_name="+",
                             verbose_name=_("co-building unit"))
    period_kind = models.CharField(_("period of the summary"), max_length=8, choices=PeriodKind)
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until"))
    rows = models.JSONField(_("rows"), default=list)
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    sent_at = models.DateTimeField(auto_now=True)

    objects = FeedbackQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_on", "community"]
        verbose_name = _("feedback to a unit")
        verbose_name_plural = _("feedback to units")
        constraints = [models.UniqueConstraint(fields=["community", "unit", "starts_on", "ends_on"],
                                               name="one_feedback_per_unit_and_period")]

    def __str__(self) -> str:
        return f"{self.community} → {self.unit} {self.period.label}"

    @property
    def period(self) -> Period:
        return Period(self.starts_on, self.ends_on, self.period_kind)

    @property
    def audit_organization(self):
        return self.community
