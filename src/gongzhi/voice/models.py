"""接诉即办: residents' requests, their timeline, routing rules and deadlines."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from gongzhi.core.fields import BlindIndexField, EncryptedCharField, SealedModel
from gongzhi.core.scoping import ScopedQuerySet, fk_in_q


class Category(models.TextChoices):
    ENVIRONMENT = "environment", pgettext_lazy("voice request", "Environment")
    PROPERTY = "property", _("Property management")
    SAFETY = "safety", _("Safety")
    NEIGHBOUR = "neighbour", _("Neighbour dispute")
    ELDERLY_CHILDREN = "elderly_children", _("Elderly and children")
    FACILITIES = "facilities", _("Facilities")
    POLICY = "policy", _("Policy question")
    OTHER = "other", _("Other")


class Status(models.TextChoices):
    RECEIVED = "received", _("Received")
    ACCEPTED = "accepted", pgettext_lazy("voice request", "Accepted")
    ANSWERED = "answered", _("Answered")
    RESOLVED = "resolved", _("Resolved")
    CLOSED = "closed", _("Closed")


OPEN_STATUSES = (Status.RECEIVED, Status.ACCEPTED, Status.ANSWERED)


class Channel(models.TextChoices):
    QR = "qr", pgettext_lazy("voice request", "QR code")
    ONLINE = "online", _("Resident account")
    PHONE = "phone", _("Phone call")
    VISIT = "visit", _("Visit")


class Rating(models.TextChoices):
    SATISFIED = "satisfied", _("Satisfied")
    BASIC = "basic", _("Basically satisfied")
    UNSATISFIED = "unsatisfied", _("Not satisfied")


def new_tracking_number() -> str:
    return secrets.token_urlsafe(9)


class RequestQuerySet(ScopedQuerySet):
    """Staff covering the community or the handling organization see a request; a resident sees their own."""

    scope_path = "community__path"

    # Seen where it was made and where it is handled (a transfer hands it to another organization).
    also_scope_paths = ("handler__path",)

    def own_q(self, user):
        return fk_in_q(self.model, "resident__user", user)


class Request(SealedModel):
    community = models.ForeignKey("orgs.Organization", on_delete=models.PROTECT, related_name="voice_requests",
                                  verbose_name=_("community"))
    category = models.CharField(_("category"), max_length=20, choices=Category)
    text = models.TextField(_("request"), max_length=2000)
    grid = models.ForeignKey("orgs.Grid", null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
                             verbose_name=_("grid"))
    building = models.ForeignKey("orgs.Building", null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="+", verbose_name=_("building"))
    address = EncryptedCharField(_("address"), max_length=200, blank=True)
    anonymous = models.BooleanField(_("anonymous"), default=False)
    contact_phone = EncryptedCharField(_("contact phone"), max_length=20, blank=True)
    contact_phone_bidx = BlindIndexField(source="contact_phone", kind="phone", db_index=True)
    resident = models.ForeignKey("members.Resident", null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="voice_requests", verbose_name=_("resident"))
    channel = models.CharField(_("channel"), max_length=8, choices=Channel, default=Channel.QR)
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    tracking_number = models.CharField(_("tracking number"), max_length=20, unique=True,
                                       default=new_tracking_number, editable=False)
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.RECEIVED)
    handler = models.ForeignKey("orgs.Organization", null=True, blank=True, on_delete=models.PROTECT,
                                related_name="voice_handled", verbose_name=_("handled by"))
    first_answer_due = models.DateTimeField(_("first answer due"))
    resolution_due = models.DateField(_("resolution due"))
    resolution_days = models.PositiveSmallIntegerField(_("working days to resolve"), null=True, blank=True)
    deadline_provisional = models.BooleanField(
        _("deadline provisional"), default=False,
        help_text=_("Counted Monday to Friday because the public holidays of a year were not entered yet; "
                    "counted again once they are."))
    escalations = models.PositiveSmallIntegerField(_("escalations"), default=0)
    escalated_answer = models.BooleanField(default=False)
    escalated_resolution = models.BooleanField(default=False)
    created_at = models.DateTimeField(_("received at"), db_index=True)
    accepted_at = models.DateTimeField(null=True, blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    rating = models.CharField(_("rating"), max_length=12, choices=Rating, blank=True)
    rating_comment = models.CharField(_("comment"), max_length=500, blank=True)
    ratings_given = models.PositiveSmallIntegerField(default=0)
    reopened = models.BooleanField(default=False)

    objects = RequestQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("resident request")
        verbose_name_plural = _("resident requests")
        indexes = [models.Index(fields=["community", "status"]), models.Index(fields=["handler", "status"])]

    def __str__(self) -> str:
        return f"{self.get_category_display()} {self.created_at:%Y-%m-%d}"

    @property
    def audit_organization(self):
        return self.community

    def is_overdue(self, now) -> bool:
        return overdue(self.status, self.first_answer_due, self.resolution_due, now)


def overdue(status: str, first_answer_due, resolution_due, now) -> bool:
    """Whether a request in ``status`` is late at ``now``: its first answer or its resolution past due (the one rule
    behind ``Request.is_overdue`` and the queue's rows, read as values)."""
    if status in (Status.RECEIVED, Status.ACCEPTED) and first_answer_due < now:
        return True
    return status in OPEN_STATUSES and resolution_due < now.date()


class EventKind(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    ACCEPTED = "accepted", pgettext_lazy("voice request", "Accepted")
    ANSWERED = "answered", _("Answered")
    RESOLVED = "resolved", _("Resolved")
    TRANSFERRED = "transferred", _("Transferred")
    ESCALATED = "escalated", _("Escalated")
    RATED = "rated", _("Rated")
    REOPENED = "reopened", _("Reopened")
    CLOSED = "closed", _("Closed")
    DEADLINE = "deadline", _("Deadline recounted")


class RequestEvent(models.Model):
    request = models.ForeignKey(Request, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("step"), max_length=12, choices=EventKind)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="+")
    organization = models.ForeignKey("orgs.Organization", null=True, blank=True, on_delete=models.SET_NULL,
                                      related_name="+", verbose_name=_("organization"))
    note = models.TextField(_("note"), max_length=2000, blank=True)
    created_at = models.DateTimeField(_("time"))

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("request step")
        verbose_name_plural = _("request steps")

    def __str__(self) -> str:
        return self.get_kind_display()


class RoutingRuleQuerySet(ScopedQuerySet):
    scope_path = "community__path"


class RoutingRule(models.Model):
    community = models.ForeignKey("orgs.Organization", on_delete=models.CASCADE, related_name="voice_routes",
                                  verbose_name=_("community"))
    category = models.CharField(_("category"), max_length=20, choices=Category)
    grid = models.ForeignKey("orgs.Grid", null=True, blank=True, on_delete=models.CASCADE, related_name="+",
                             verbose_name=_("grid"))
    handler = models.ForeignKey("orgs.Organization", on_delete=models.CASCADE, related_name="+",
                                verbose_name=_("handled by"))

    objects = RoutingRuleQuerySet.as_manager()

    class Meta:
        ordering = ["community", "category", "grid"]
        verbose_name = _("routing rule")
        verbose_name_plural = _("routing rules")
        constraints = [
            models.UniqueConstraint(fields=["community", "category", "grid"], name="voice_route_unique_grid"),
            models.UniqueConstraint(fields=["community", "category"], condition=Q(grid__isnull=True),
                                    name="voice_route_unique_community"),
        ]

    def __str__(self) -> str:
        return f"{self.get_category_display()} → {self.handler}"


class DeadlineRule(models.Model):
    """Time limits per category set by a street or community (defaults in ``deadlines.DEFAULTS``)."""

    organization = models.ForeignKey("orgs.Organization", on_delete=models.CASCADE, related_name="+",
                                     verbose_name=_("organization"))
    category = models.CharField(_("category"), max_length=20, choices=Category)
    first_answer_hours = models.PositiveSmallIntegerField(_("first answer within (hours)"))
    resolution_days = models.PositiveSmallIntegerField(_("resolved within (working days)"))

    class Meta:
        verbose_name = _("deadline rule")
        verbose_name_plural = _("deadline rules")
        constraints = [models.UniqueConstraint(fields=["organization", "category"], name="voice_deadline_unique")]

    def __str__(self) -> str:
        return f"{self.get_category_display()} {self.first_answer_hours}h/{self.resolution_days}d"


class WishStatus(models.TextChoices):
    OPEN = "open", pgettext_lazy("wish", "Open")
    CLAIMED = "claimed", _("Claimed")
    FULFILLED = "fulfilled", _("Fulfilled")
    CONFIRMED = "confirmed", _("Confirmed")


class WishQuerySet(ScopedQuerySet):
    """Staff in scope; the resident who made the wish; party members of the community (to claim)."""

    scope_path = "community__path"

    def own_q(self, user):
        return Q(resident__user=user) | Q(claimed_by__user=user)

    def public_q(self, user):
        from gongzhi.members.models import Member

        return Q(community__in=Member.objects.filter(user=user).values("community"))


def wish_photo_path(instance, filename):
    return f"voice/wishes/{instance.community_id}/{secrets.token_hex(12)}.img"


class Wish(models.Model):
    """微心愿: a small wish of a resident in need, claimed and fulfilled by a party member."""

    community = models.ForeignKey("orgs.Organization", on_delete=models.PROTECT, related_name="voice_wishes",
                                  verbose_name=_("community"))
    resident = models.ForeignKey("members.Resident", null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="wishes", verbose_name=_("resident"))
    text = models.CharField(_("wish"), max_length=500)
    status = models.CharField(_("status"), max_length=10, choices=WishStatus, default=WishStatus.OPEN)
    claimed_by = models.ForeignKey("members.Member", null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="claimed_wishes", verbose_name=_("claimed by"))
    photo = models.FileField(_("photo"), upload_to=wish_photo_path, blank=True)
    photo_type = models.CharField(max_length=20, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    fulfilled_at = models.DateTimeField(null=True, blank=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    confirmed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+")

    objects = WishQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("small wish")
        verbose_name_plural = _("small wishes")

    def __str__(self) -> str:
        return self.text[:30]

    @property
    def audit_organization(self):
        return self.community


# --- consultations (议事协商) -------------------------------------------------------------------------


class ConsultationStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    OPEN = "open", _("Open for opinions")
    CLOSED = "closed", _("Closed: awaiting the meeting")
    PUBLISHED = "published", _("Outcome published")


class ConsultationQuerySet(ScopedQuerySet):
    """Staff covering the community; residents of the place once the topic is opened."""

    scope_path = "community__path"

    def public_q(self, user):
        from gongzhi.members.models import Resident

        places = list(Resident.objects.filter(user=user).values_list(
            "community_id", "household__building__grid_id", "household__building_id"))
        query = Q(pk__in=[])
        for community, grid, building in places:
            query |= (Q(community_id=community) & (Q(grid__isnull=True) | Q(grid_id=grid))
                      & (Q(building__isnull=True) | Q(building_id=building)))
        return query & ~Q(status=ConsultationStatus.DRAFT)


class Consultation(models.Model):
    """议事协商: a topic the community opens to the residents of a place, with options, a period for
    opinions, a meeting, and a published outcome."""

    community = models.ForeignKey("orgs.Organization", on_delete=models.PROTECT, related_name="consultations",
                                  verbose_name=_("community"))
    grid = models.ForeignKey("orgs.Grid", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                             verbose_name=_("grid"), help_text=_("Empty: the whole community."))
    building = models.ForeignKey("orgs.Building", null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="+", verbose_name=_("building"))
    title = models.CharField(pgettext_lazy("consultation", "topic"), max_length=100)
    description = models.TextField(_("description"), max_length=4000)
    opens_on = models.DateField(_("opinions from"))
    closes_on = models.DateField(_("opinions until"))
    status = models.CharField(_("status"), max_length=10, choices=ConsultationStatus,
                              default=ConsultationStatus.DRAFT)
    meeting_on = models.DateField(_("meeting held on"), null=True, blank=True)
    meeting_note = models.TextField(_("what the meeting discussed"), max_length=4000, blank=True)
    outcome = models.TextField(_("outcome"), max_length=4000, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)

    objects = ConsultationQuerySet.as_manager()

    class Meta:
        ordering = ["-opens_on", "-id"]
        verbose_name = _("consultation")
        verbose_name_plural = _("consultations")
        constraints = [models.CheckConstraint(condition=Q(closes_on__gte=F("opens_on")),
                                              name="consultation_period_order")]

    def __str__(self) -> str:
        return self.title

    @property
    def audit_organization(self):
        return self.community


class ConsultationOption(models.Model):
    consultation = models.ForeignKey(Consultation, on_delete=models.CASCADE, related_name="options")
    text = models.CharField(_("option"), max_length=200)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.text


class Opinion(models.Model):
    """One resident's opinion on a topic, and the option he or she supports: one per resident."""

    consultation = models.ForeignKey(Consultation, on_delete=models.CASCADE, related_name="opinions")
    resident = models.ForeignKey("members.Resident", on_delete=models.PROTECT, related_name="opinions",
                                 verbose_name=_("resident"))
    option = models.ForeignKey(ConsultationOption, null=True, blank=True, on_delete=models.PROTECT,
                               related_name="supporters", verbose_name=_("supports"))
    text = models.CharField(_("opinion"), max_length=1000, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("opinion")
        verbose_name_plural = _("opinions")
        constraints = [
            models.UniqueConstraint(fields=["consultation", "resident"], name="one_opinion_per_resident"),
            models.CheckConstraint(condition=~Q(text="") | Q(option__isnull=False), name="opinion_says_something"),
        ]

    def __str__(self) -> str:
        return f"{self.consultation_id}:{self.resident_id}"


class ConsultationEvent(models.Model):
    """The topic's history, kept forever: opened, closed, meeting recorded, outcome published."""

    class Kind(models.TextChoices):
        CREATED = "created", _("Drafted")
        OPENED = "opened", _("Opened for opinions")
        CLOSED = "closed", _("Closed")
        MEETING = "meeting", _("Meeting recorded")
        PUBLISHED = "published", _("Outcome published")

    consultation = models.ForeignKey(Consultation, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=10, choices=Kind)
    note = models.CharField(max_length=200, blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.consultation_id}:{self.kind}"
