"""People's requests about their own data, residents who moved away, and the record of what was anonymised."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from gongzhi.accounts.models import RoleKind
from gongzhi.core.scoping import ScopedQuerySet

#: Calendar days within which a request about one's own data is answered (GB/T 35273-2020, 8.7).
ANSWER_DAYS = 30
#: What replaces a name or a free text when a record is anonymised (language-neutral: it is stored).
ANONYMISED = "***"


class RequestKind(models.TextChoices):
    CORRECTION = "correction", pgettext_lazy("data request", "Correction")
    ERASURE = "erasure", _("Erasure")


class RequestStatus(models.TextChoices):
    OPEN = "open", pgettext_lazy("data request", "Open")
    ACCEPTED = "accepted", pgettext_lazy("data request", "Accepted")
    REFUSED = "refused", pgettext_lazy("data request", "Refused")


class Subject(models.TextChoices):
    MEMBER = "member", _("Party member record")
    RESIDENT = "resident", _("Resident record")


class DataRequestQuerySet(ScopedQuerySet):
    """The staff covering the person's organization handle a request; the person sees his or her own."""

    scope_path = "organization__path"
    scope_roles = frozenset(RoleKind.staff_kinds())

    def own_q(self, user):
        return Q(person=user)

    def open(self):
        return self.filter(status=RequestStatus.OPEN)

    def overdue(self, today: date):
        return self.open().filter(due_on__lt=today)


class DataRequest(models.Model):
    """A person's request to correct (which field, the proposed value, why) or erase his or her record."""

    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="data_requests",
                               verbose_name=_("person"))
    kind = models.CharField(_("kind of request"), max_length=12, choices=RequestKind)
    subject = models.CharField(_("record"), max_length=10, choices=Subject)
    member = models.ForeignKey("members.Member", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                               verbose_name=_("party member"))
    resident = models.ForeignKey("members.Resident", null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="+", verbose_name=_("resident"))
    organization = models.ForeignKey("orgs.Organization", on_delete=models.PROTECT, related_name="+",
                                     verbose_name=_("organization"))
    field = models.CharField(_("field"), max_length=30, blank=True)
    proposed_value = models.CharField(_("proposed value"), max_length=200, blank=True)
    reason = models.CharField(_("why"), max_length=500)
    status = models.CharField(_("status"), max_length=10, choices=RequestStatus, default=RequestStatus.OPEN)
    due_on = models.DateField(_("answer due"))
    decision_reason = models.CharField(_("reason for the decision"), max_length=500, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", verbose_name=_("decided by"))
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    created_at = models.DateTimeField(_("asked at"), auto_now_add=True)

    objects = DataRequestQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("request about personal data")
        verbose_name_plural = _("requests about personal data")
        constraints = [
            models.CheckConstraint(
                condition=(Q(subject=Subject.MEMBER, member__isnull=False, resident__isnull=True)
                           | Q(subject=Subject.RESIDENT, resident__isnull=False, member__isnull=True)),
                name="privacy_request_one_record"),
            models.CheckConstraint(condition=Q(kind=RequestKind.ERASURE) | ~Q(field=""),
                                   name="privacy_correction_names_field"),
            models.CheckConstraint(
                condition=Q(status=RequestStatus.OPEN) | (~Q(decision_reason="") & Q(decided_at__isnull=False)),
                name="privacy_decision_has_reason"),
            # A double submission is recorded once: one open request per person, record, kind and field.
            models.UniqueConstraint(fields=["person", "subject", "kind", "field"], condition=Q(status="open"),
                                    name="privacy_one_open_request"),
        ]
        indexes = [models.Index(fields=["status", "due_on"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk}"

    @property
    def audit_organization(self):
        return self.organization

    @property
    def record(self):
        return self.member if self.subject == Subject.MEMBER else self.resident

    def is_overdue(self, today: date) -> bool:
        return self.status == RequestStatus.OPEN and self.due_on < today


class DepartureQuerySet(ScopedQuerySet):
    scope_path = "resident__community__path"
    scope_roles = frozenset(RoleKind.staff_kinds())


class Departure(models.Model):
    """A resident who moved away from the community: the retention rule for residents counts from ``moved_on``."""

    resident = models.OneToOneField("members.Resident", on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("resident"))
    moved_on = models.DateField(_("moved away on"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = DepartureQuerySet.as_manager()

    class Meta:
        ordering = ["-moved_on", "-pk"]
        verbose_name = _("resident who moved away")
        verbose_name_plural = _("residents who moved away")

    def __str__(self) -> str:
        return f"{self.resident_id} {self.moved_on}"

    @property
    def audit_organization(self):
        return self.resident.community


class Cause(models.TextChoices):
    RETENTION = "retention", _("Retention period ended")
    ERASURE = "erasure", _("Erasure requested")


class Anonymisation(models.Model):
    """One record anonymised, once (the unique key makes the retention task idempotent)."""

    model = models.CharField(max_length=60)
    object_id = models.PositiveBigIntegerField()
    cause = models.CharField(max_length=10, choices=Cause)
    data_request = models.ForeignKey(DataRequest, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["model", "object_id"], name="privacy_anonymised_once")]

    def __str__(self) -> str:
        return f"{self.model}:{self.object_id}"
