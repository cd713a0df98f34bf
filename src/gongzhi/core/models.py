"""Core records: the append-only audit log, background jobs with progress, notifications, and the
table of public holidays and make-up working days every working-day count reads."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .scoping import ScopedQuerySet


class AuditQuerySet(ScopedQuerySet):
    def own_q(self, user):
        # A person sees who acted on his or her records (PIPL access right).
        return models.Q(subject_user=user)


class AuditEvent(models.Model):
    """Who did what to which object, when, from where, and whether it worked.

    Append-only: a database trigger (migration 0002) refuses UPDATE and DELETE,
    except the retention purge of rows older than the retention floor.
    """

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    action = models.CharField(_("action"), max_length=64, db_index=True)
    object_type = models.CharField(_("object type"), max_length=64, blank=True)
    object_id = models.CharField(_("object id"), max_length=64, blank=True)
    object_repr = models.CharField(_("object"), max_length=200, blank=True)
    organization = models.ForeignKey(
        "orgs.Organization", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    subject_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        help_text=_("The person whose data the action concerns, when that person has an account."),
    )
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    success = models.BooleanField(_("success"), default=True)
    detail = models.JSONField(_("detail"), default=dict, blank=True)
    created_at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)

    objects = AuditQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.action} {self.object_repr}"


class JobStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


class JobQuerySet(ScopedQuerySet):
    def own_q(self, user):
        return models.Q(created_by=user)


class Job(models.Model):
    """A piece of background work a user waits for, with its progress."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.CharField(_("kind"), max_length=64)
    status = models.CharField(_("status"), max_length=16, choices=JobStatus, default=JobStatus.QUEUED)
    progress = models.PositiveIntegerField(_("progress"), default=0)
    total = models.PositiveIntegerField(_("total"), default=0)
    message = models.TextField(_("message"), blank=True)
    result = models.JSONField(_("result"), default=dict, blank=True)
    organization = models.ForeignKey(
        "orgs.Organization", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = JobQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("job")
        verbose_name_plural = _("jobs")

    def __str__(self) -> str:
        return f"{self.kind} {self.status}"

    @property
    def percent(self) -> int:
        if self.status == JobStatus.DONE:
            return 100
        return int(self.progress * 100 / self.total) if self.total else 0


class NotificationQuerySet(models.QuerySet):
    def for_user(self, user):
        return self.filter(user=user) if getattr(user, "is_authenticated", False) else self.none()

    def unread(self):
        return self.filter(read_at__isnull=True)


class Notification(models.Model):
    """A message in a user's in-app notification list (email/SMS senders are pluggable)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"), blank=True)
    url = models.CharField(_("link"), max_length=300, blank=True)
    key = models.CharField(
        max_length=120, blank=True, help_text="Idempotency key: one notification per key and user."
    )
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    read_at = models.DateTimeField(null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "key"], condition=~models.Q(key=""), name="notification_once_per_key"
            )
        ]

    def __str__(self) -> str:
        return self.title


class DayKind(models.TextChoices):
    HOLIDAY = "holiday", _("Public holiday")
    WORKDAY = "workday", _("Make-up working day")


class Festival(models.TextChoices):
    """The public holidays of the State Council's yearly arrangement (a make-up working day names the
    holiday it makes up for)."""

    NEW_YEAR = "new_year", _("New Year's Day")
    SPRING_FESTIVAL = "spring_festival", _("Spring Festival")
    QINGMING = "qingming", _("Qingming Festival")
    LABOUR_DAY = "labour_day", _("Labour Day")
    DRAGON_BOAT = "dragon_boat", _("Dragon Boat Festival")
    MID_AUTUMN = "mid_autumn", _("Mid-Autumn Festival")
    NATIONAL_DAY = "national_day", _("National Day")
    OTHER = "other", pgettext_lazy("holiday", "Other")


class CalendarSource(models.TextChoices):
    PACKAGE = "package", _("chinese-calendar package")
    ENTERED = "entered", _("Entered by an administrator")


class CalendarDay(models.Model):
    """A day that breaks the Monday-to-Friday rule: a public holiday (休) or a weekend day worked in
    exchange (班). Every working-day count and calendar reads this table (``core.workdays``)."""

    day = models.DateField(_("date"), unique=True)
    kind = models.CharField(_("kind"), max_length=8, choices=DayKind)
    festival = models.CharField(_("festival"), max_length=16, choices=Festival)
    name = models.CharField(_("name"), max_length=60, blank=True,
                            help_text=_("Only for a holiday outside the usual seven, e.g. a commemoration day."))
    source = models.CharField(_("source"), max_length=8, choices=CalendarSource, default=CalendarSource.ENTERED)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["day"]
        verbose_name = _("public holiday or make-up working day")
        verbose_name_plural = _("public holidays and make-up working days")
        constraints = [
            models.CheckConstraint(condition=~models.Q(festival="other") | ~models.Q(name=""),
                                   name="calendar_day_other_has_name"),
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.get_kind_display()}"

    @property
    def label(self) -> str:
        return self.name or str(self.get_festival_display())

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        from .periods import valid_year

        if self.day and not valid_year(self.day.year):
            raise ValidationError({"day": _("Choose a date between 2000 and 2100.")})
        if self.kind == DayKind.WORKDAY and self.day and self.day.weekday() < 5:
            raise ValidationError({"day": _("A make-up working day is a Saturday or a Sunday: "
                                            "Monday to Friday are working days anyway.")})
        if self.festival == Festival.OTHER and not self.name.strip():
            raise ValidationError({"name": _("Name the holiday.")})


class CalendarYear(models.Model):
    """A year whose arrangement of holidays and make-up working days is complete in ``CalendarDay``.
    For a year without this row, counting falls back to weekends only and staff are warned."""

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    source = models.CharField(_("source"), max_length=8, choices=CalendarSource, default=CalendarSource.ENTERED)
    completed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+", verbose_name=_("completed by"))
    completed_at = models.DateTimeField(_("completed at"), auto_now_add=True)

    class Meta:
        ordering = ["year"]
        verbose_name = _("year of the holiday arrangement")
        verbose_name_plural = _("years of the holiday arrangement")
        constraints = [
            models.CheckConstraint(condition=models.Q(year__gte=2000, year__lte=2100), name="calendar_year_range"),
        ]

    def __str__(self) -> str:
        return str(self.year)
