"""The supervision committee's records: what it checked and found (监督事项), the rectifications it
ordered and followed to closure with evidence (整改), and the complaints and reports (投诉举报) it receives.

Complaints are handled by the committee and the level above, never by the organization complained
about, and never shown to the person they name. An anonymous complaint holds no link to an account,
no contact details and no time of day: the complainant follows it with a secret receipt, of which
only a keyed hash is stored.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from gongzhi.core.scoping import ScopedQuerySet, active_roles


class Area(models.TextChoices):
    FINANCE = "finance", _("Dues and funds")
    PUBLICITY = "publicity", _("Publicity board")
    DEMOCRACY = "democracy", _("Democratic decisions and elections")
    MEETINGS = "meetings", _("Organizational life and meetings")
    SERVICE = "service", _("Service to residents")
    CONDUCT = "conduct", _("Conduct of cadres")
    OTHER = "other", pgettext_lazy("supervision area", "Other")


class Conclusion(models.TextChoices):
    IN_ORDER = "in_order", _("In order")
    ISSUES = "issues", _("Problems found")


class SupervisionItemQuerySet(ScopedQuerySet):
    """Staff, secretaries and the committee covering the checked organization see what was checked."""

    scope_path = "organization__path"


class SupervisionItem(models.Model):
    """One check by the supervision committee: what was checked, when, what it found."""

    organization = models.ForeignKey("orgs.Organization", on_delete=models.PROTECT, related_name="+",
                                     verbose_name=_("organization checked"))
    area = models.CharField(_("area"), max_length=10, choices=Area)
    title = models.CharField(_("what was checked"), max_length=200)
    finding = models.TextField(_("finding"), max_length=4000)
    conclusion = models.CharField(_("conclusion"), max_length=10, choices=Conclusion)
    checked_on = models.DateField(_("checked on"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("recorded by"))
    created_at = models.DateTimeField(auto_now_add=True)

    objects = SupervisionItemQuerySet.as_manager()

    class Meta:
        ordering = ["-checked_on", "-id"]
        verbose_name = _("supervision item")
        verbose_name_plural = _("supervision items")
        indexes = [models.Index(fields=["organization", "checked_on"])]

    def __str__(self) -> str:
        return self.title

    @property
    def audit_organization(self):
        return self.organization


class RectificationStatus(models.TextChoices):
    OPEN = "open", _("Being rectified")
    REPORTED = "reported", _("Reported done: awaiting verification")
    CLOSED = "closed", pgettext_lazy("rectification", "Closed")


class RectificationQuerySet(ScopedQuerySet):
    scope_path = "organization__path"

    def own_q(self, user):
        return Q(owner=user)

    def open(self):
        return self.exclude(status=RectificationStatus.CLOSED)

    def overdue(self, today):
        return self.open().filter(deadline__lt=today)


class Rectification(models.Model):
    """整改: what the checked organization must put right, who answers for it, and by when."""

    item = models.ForeignKey(SupervisionItem, on_delete=models.PROTECT, related_name="rectifications",
                             verbose_name=_("supervision item"))
    organization = models.ForeignKey("orgs.Organization", on_delete=models.PROTECT, related_name="+",
                                     verbose_name=_("organization responsible"))
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                              verbose_name=_("person responsible"))
    requirement = models.TextField(_("what must be rectified"), max_length=2000)
    opened_on = models.DateField(_("ordered on"))
    deadline = models.DateField(_("deadline"))
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(_("status"), max_length=10, choices=RectificationStatus,
                              default=RectificationStatus.OPEN)
    reported_on = models.DateField(_("reported done on"), null=True, blank=True)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    closed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="+")

    objects = RectificationQuerySet.as_manager()

    class Meta:
        ordering = ["deadline", "id"]
        verbose_name = _("rectification")
        verbose_name_plural = _("rectifications")
        indexes = [models.Index(fields=["organization", "status", "deadline"])]
        constraints = [
            models.CheckConstraint(condition=Q(deadline__gte=F("opened_on")),
                                   name="rectification_deadline_after_order"),
            models.CheckConstraint(condition=~Q(status="closed") | Q(closed_on__isnull=False, closed_by__isnull=False),
                                   name="rectification_closed_has_date"),
            models.CheckConstraint(condition=Q(status="open") | Q(reported_on__isnull=False),
                                   name="rectification_reported_has_date"),
        ]

    def __str__(self) -> str:
        return self.requirement[:60]

    @property
    def audit_organization(self):
        return self.organization

    def is_overdue(self, today) -> bool:
        return self.status != RectificationStatus.CLOSED and self.deadline < today

    @property
    def closed_on_time(self) -> bool | None:
        return None if self.closed_on is None else self.closed_on <= self.deadline


class RectificationEventKind(models.TextChoices):
    OPENED = "opened", _("Ordered")
    PROGRESS = "progress", _("Progress reported")
    REPORTED = "reported", _("Reported done with evidence")
    RETURNED = "returned", _("Not accepted: to be continued")
    CLOSED = "closed", pgettext_lazy("rectification", "Closed")


class RectificationEvent(models.Model):
    """The rectification's history with its evidence, kept for ever (append-only at the database)."""

    rectification = models.ForeignKey(Rectification, on_delete=models.PROTECT, related_name="events")
    kind = models.CharField(_("step"), max_length=10, choices=RectificationEventKind)
    note = models.TextField(_("note"), max_length=2000, blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("time"), default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.rectification_id}:{self.kind}"


def _evidence_path(instance, filename):
    return f"supervision/evidence/{instance.rectification_id}/{secrets.token_hex(12)}"


class Evidence(models.Model):
    """A file given as evidence of a rectification (a photo, a PDF, an Excel or Word file)."""

    rectification = models.ForeignKey(Rectification, on_delete=models.PROTECT, related_name="evidence")
    event = models.ForeignKey(RectificationEvent, on_delete=models.PROTECT, related_name="files")
    file = models.FileField(upload_to=_evidence_path)
    name = models.CharField(_("file name"), max_length=120)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)

    class Meta:
        ordering = ["id"]
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")

    def __str__(self) -> str:
        return self.name


# --- complaints and reports (投诉举报) -------------------------------------------------------------------


class ComplaintKind(models.TextChoices):
    COMPLAINT = "complaint", _("Complaint")
    REPORT = "report", _("Report of misconduct")


class ComplaintStatus(models.TextChoices):
    RECEIVED = "received", _("Received")
    HANDLING = "handling", _("Being looked into")
    CONCLUDED = "concluded", _("Concluded")


OPEN_COMPLAINT = (ComplaintStatus.RECEIVED, ComplaintStatus.HANDLING)
#: Besides the committee, the leaders of the level above handle a complaint (never the organization
#: complained about itself: their role must be held strictly above it).
LEVEL_ABOVE_KINDS = frozenset({"street_admin", "community_secretary"})


class ComplaintQuerySet(ScopedQuerySet):
    """Who handles a complaint: the supervision committee covering the organization complained about, and
    the street or community leaders strictly above it; never the person it names, whatever his or her
    roles. A complainant with an account who did not stay anonymous also follows his or her own."""

    scope_path = "organization__path"

    def handled_by(self, user):
        if not getattr(user, "is_authenticated", False):
            return self.none()
        if user.is_superuser:
            return self.all()
        from gongzhi.orgs.models import COMMUNITY_LEVEL

        query = Q(pk__in=[])
        for role in active_roles(user):
            path = role.organization.path
            if role.kind == "supervisor":
                query |= Q(organization__path__startswith=path)
            elif role.kind in LEVEL_ABOVE_KINDS and (role.kind == "street_admin"
                                                     or role.organization.kind in COMMUNITY_LEVEL):
                query |= Q(organization__path__startswith=path) & ~Q(organization__path=path)
        return self.filter(query).exclude(subject_user=user)

    def visible_to(self, user):
        if not getattr(user, "is_authenticated", False):
            return self.none()
        return (self.handled_by(user) | self.filter(submitted_by=user, anonymous=False)).distinct()

    def open(self):
        return self.filter(status__in=OPEN_COMPLAINT)


def new_reference() -> str:
    """A short reference staff and the complainant quote (not a secret: it does not open the complaint)."""
    alphabet = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
    return "JB" + "".join(secrets.choice(alphabet) for _n in range(8))


class Complaint(models.Model):
    """A complaint or report of misconduct from a member or resident, with or without name."""

    community = models.ForeignKey("orgs.Organization", on_delete=models.PROTECT, related_name="+",
                                  verbose_name=_("community or village"))
    organization = models.ForeignKey("orgs.Organization", on_delete=models.PROTECT, related_name="+",
                                     verbose_name=_("organization concerned"))
    subject_user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="+", verbose_name=_("person concerned"))
    subject_role = models.CharField(_("post of the person concerned"), max_length=32, blank=True)
    kind = models.CharField(_("kind"), max_length=10, choices=ComplaintKind)
    text = models.TextField(_("what happened"), max_length=4000)
    anonymous = models.BooleanField(_("anonymous"), default=False)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="+")
    contact_name = models.CharField(pgettext_lazy("person", "name"), max_length=50, blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=20, blank=True)
    reference = models.CharField(_("reference"), max_length=12, unique=True, default=new_reference, editable=False)
    receipt_digest = models.CharField(max_length=64, unique=True, editable=False)
    # A day, not a time: an anonymous complaint must not be matched with who was online when.
    received_on = models.DateField(_("received on"))
    answer_due = models.DateField(_("answer due"))
    status = models.CharField(_("status"), max_length=10, choices=ComplaintStatus, default=ComplaintStatus.RECEIVED)
    concluded_on = models.DateField(_("concluded on"), null=True, blank=True)
    conclusion = models.TextField(_("conclusion"), max_length=4000, blank=True)

    objects = ComplaintQuerySet.as_manager()

    class Meta:
        ordering = ["-received_on", "-id"]
        verbose_name = _("complaint or report")
        verbose_name_plural = _("complaints and reports")
        indexes = [models.Index(fields=["organization", "status"])]
        constraints = [
            # An anonymous complaint carries nothing that leads back to the person.
            models.CheckConstraint(condition=Q(anonymous=False) | Q(submitted_by__isnull=True, contact_name="",
                                                                    contact_phone=""),
                                   name="complaint_anonymous_holds_no_identity"),
            models.CheckConstraint(condition=~Q(status="concluded") | (Q(concluded_on__isnull=False)
                                                                       & ~Q(conclusion="")),
                                   name="complaint_concluded_with_conclusion"),
            models.CheckConstraint(condition=Q(answer_due__gte=F("received_on")), name="complaint_due_after_receipt"),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def audit_organization(self):
        return self.community

    def is_overdue(self, today) -> bool:
        return self.status != ComplaintStatus.CONCLUDED and self.answer_due < today


class ComplaintEventKind(models.TextChoices):
    ACCEPTED = "accepted", _("Taken up")
    NOTE = "note", _("Note")
    REPLY = "reply", _("Reply to the complainant")
    CONCLUDED = "concluded", _("Concluded")


class ComplaintEvent(models.Model):
    """A handling step; replies and the conclusion are shown to the complainant (append-only)."""

    complaint = models.ForeignKey(Complaint, on_delete=models.PROTECT, related_name="events")
    kind = models.CharField(_("step"), max_length=10, choices=ComplaintEventKind)
    note = models.TextField(_("note"), max_length=4000, blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("time"), default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.complaint_id}:{self.kind}"

    @property
    def shown_to_complainant(self) -> bool:
        return self.kind in (ComplaintEventKind.REPLY, ComplaintEventKind.CONCLUDED)
