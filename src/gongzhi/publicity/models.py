"""The publicity board (公开栏) of each community and village, its catalogue of what must be published,
and news and notices (宣传).

An item of the board is drafted, submitted, approved by the organization (never by its own author),
then published for a period; once published it is never edited: it is withdrawn (with the reason,
kept for ever in its history) and a correction is published in its place. Items that meet an
obligation of the catalogue name the catalogue entry and the period they cover.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Exists, F, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from gongzhi.core.scoping import ScopedQuerySet


class Category(models.TextChoices):
    PARTY = "party", _("Party affairs")
    AFFAIRS = "affairs", _("Residents' affairs")
    FINANCE = "finance", _("Finances")

    @classmethod
    def label_for(cls, category: str, kind: str) -> str:
        """居务公开 in a community, 村务公开 in a village."""
        if category == cls.AFFAIRS and kind == "village":
            return str(_("Village affairs"))
        return str(cls(category).label)


class Frequency(models.TextChoices):
    MONTH = "month", pgettext_lazy("frequency", "Every month")
    QUARTER = "quarter", pgettext_lazy("frequency", "Every quarter")
    HALF = "half", pgettext_lazy("frequency", "Every half year")
    YEAR = "year", pgettext_lazy("frequency", "Every year")
    EVENT = "event", pgettext_lazy("frequency", "After each event")


class ItemStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PENDING = "pending", _("Awaiting approval")
    APPROVED = "approved", _("Approved, not yet published")
    PUBLISHED = "published", pgettext_lazy("publicity", "Published")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class Board(models.Model):
    """The settings of one community's or village's board: from when the catalogue's obligations are
    counted, and the introduction on its public page."""

    organization = models.OneToOneField("orgs.Organization", on_delete=models.CASCADE, related_name="board",
                                        verbose_name=_("community or village"))
    opened_on = models.DateField(_("obligations counted from"))
    intro = models.TextField(_("introduction on the public page"), max_length=1000, blank=True)

    class Meta:
        verbose_name = _("publicity board")
        verbose_name_plural = _("publicity boards")

    def __str__(self) -> str:
        return str(self.organization)

    @property
    def audit_organization(self):
        return self.organization


class CatalogueRule(models.Model):
    """An organization's own setting of a catalogue entry (a street's applies to all its communities;
    a community's overrides its street's). ``key`` names a default of ``catalogue.DEFAULTS`` or an entry
    of the organization's own (``custom-…``)."""

    organization = models.ForeignKey("orgs.Organization", on_delete=models.CASCADE, related_name="+",
                                     verbose_name=_("organization"))
    key = models.CharField(_("entry"), max_length=40)
    title = models.CharField(_("what is published"), max_length=120, blank=True)
    category = models.CharField(_("category"), max_length=10, choices=Category, blank=True)
    frequency = models.CharField(_("how often"), max_length=10, choices=Frequency)
    due_days = models.PositiveSmallIntegerField(_("days allowed after the period or event"))
    active = models.BooleanField(_("required"), default=True)
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    changed_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("catalogue setting")
        verbose_name_plural = _("catalogue settings")
        constraints = [
            models.UniqueConstraint(fields=["organization", "key"], name="publicity_rule_once_per_org"),
            models.CheckConstraint(condition=Q(due_days__lte=366), name="publicity_rule_due_days_bounded"),
        ]

    def __str__(self) -> str:
        return f"{self.organization_id}:{self.key}"

    @property
    def audit_organization(self):
        return self.organization


class ItemQuerySet(ScopedQuerySet):
    """Staff, secretaries and supervisors covering the board's organization see every item (the staff
    pages); published items reach everyone, also without an account, through the public page."""

    scope_path = "organization__path"

    def published(self):
        return self.filter(status=ItemStatus.PUBLISHED)

    def current(self, today):
        return self.filter(status=ItemStatus.PUBLISHED, visible_from__lte=today).filter(
            Q(visible_until__isnull=True) | Q(visible_until__gte=today))

    def archived(self, today):
        """Items whose publication period has ended, and withdrawn items (their history stays public)."""
        return self.filter(Q(status=ItemStatus.PUBLISHED, visible_until__lt=today)
                           | Q(status=ItemStatus.WITHDRAWN))


def _item_file_path(instance, filename):
    return f"publicity/items/{instance.item.organization_id}/{secrets.token_hex(12)}"


class Item(models.Model):
    """One item of a board (公开事项)."""

    organization = models.ForeignKey("orgs.Organization", on_delete=models.PROTECT, related_name="publicity_items",
                                     verbose_name=_("community or village"))
    category = models.CharField(_("category"), max_length=10, choices=Category)
    title = models.CharField(_("title"), max_length=120)
    body = models.TextField(_("text"), max_length=20000)
    catalogue_key = models.CharField(_("catalogue entry"), max_length=40, blank=True)
    period_start = models.DateField(_("period covered from"), null=True, blank=True)
    period_end = models.DateField(_("period covered until"), null=True, blank=True)
    visible_from = models.DateField(_("on the board from"))
    visible_until = models.DateField(_("on the board until"), null=True, blank=True,
                                     help_text=_("Empty: until it is replaced. Afterwards it stays in the archive."))
    status = models.CharField(_("status"), max_length=10, choices=ItemStatus, default=ItemStatus.DRAFT)
    source = models.CharField(_("source"), max_length=80, blank=True,
                              help_text=_("The record of another module the item was made from."))
    replaces = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="corrections",
                                 verbose_name=_("corrects"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+",
                                   verbose_name=_("prepared by"))
    created_at = models.DateTimeField(auto_now_add=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+", verbose_name=_("approved by"))
    approved_at = models.DateTimeField(_("approved"), null=True, blank=True)
    published_at = models.DateTimeField(pgettext_lazy("publicity", "published"), null=True, blank=True)
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)
    withdrawn_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="+")
    withdrawal_reason = models.CharField(_("reason for withdrawal"), max_length=500, blank=True)

    objects = ItemQuerySet.as_manager()

    class Meta:
        ordering = ["-visible_from", "-id"]
        verbose_name = _("board item")
        verbose_name_plural = _("board items")
        indexes = [models.Index(fields=["organization", "status", "visible_from"]),
                   models.Index(fields=["organization", "catalogue_key", "period_start"])]
        constraints = [
            # Nothing reaches the board without the organization's approval.
            models.CheckConstraint(
                condition=~Q(status__in=["approved", "published", "withdrawn"])
                | Q(approved_by__isnull=False, approved_at__isnull=False),
                name="publicity_item_approved_before_publication"),
            models.CheckConstraint(
                condition=~Q(status__in=["published", "withdrawn"]) | Q(published_at__isnull=False),
                name="publicity_item_published_has_date"),
            models.CheckConstraint(condition=~Q(approved_by=F("created_by")),
                                   name="publicity_item_not_approved_by_its_author"),
            models.CheckConstraint(condition=~Q(status="withdrawn") | (Q(withdrawn_at__isnull=False)
                                                                       & ~Q(withdrawal_reason="")),
                                   name="publicity_item_withdrawn_with_reason"),
            models.CheckConstraint(condition=Q(visible_until__isnull=True) | Q(visible_until__gte=F("visible_from")),
                                   name="publicity_item_visible_period_order"),
            models.CheckConstraint(condition=Q(period_start__isnull=True, period_end__isnull=True)
                                   | Q(period_start__isnull=False, period_end__gte=F("period_start")),
                                   name="publicity_item_period_order"),
            # Another module publishing the same record twice (a retry) adds nothing.
            models.UniqueConstraint(fields=["organization", "source"], condition=~Q(source=""),
                                    name="publicity_item_once_per_source"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def audit_organization(self):
        return self.organization

    @property
    def category_label(self) -> str:
        return Category.label_for(self.category, self.organization.kind)

    @property
    def public_since(self):
        """The first day the item stood on the public board (for "published on time")."""
        if self.published_at is None:
            return None
        return max(timezone.localdate(self.published_at), self.visible_from)

    def is_current(self, today) -> bool:
        return (self.status == ItemStatus.PUBLISHED and self.visible_from <= today
                and (self.visible_until is None or self.visible_until >= today))


class ItemAttachment(models.Model):
    """A file of an item, checked by its content when uploaded (a PDF, a photo, an Excel or Word file)."""

    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to=_item_file_path)
    name = models.CharField(_("file name"), max_length=120)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self) -> str:
        return self.name


class ItemEventKind(models.TextChoices):
    DRAFTED = "drafted", _("Drafted")
    EDITED = "edited", _("Edited")
    SUBMITTED = "submitted", _("Submitted for approval")
    RETURNED = "returned", _("Returned to the author")
    APPROVED = "approved", _("Approved")
    PUBLISHED = "published", pgettext_lazy("publicity", "Published")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class ItemEvent(models.Model):
    """The history of an item, kept for ever (append-only at the database)."""

    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="events")
    kind = models.CharField(_("step"), max_length=10, choices=ItemEventKind)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    note = models.CharField(_("note"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("time"), default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.item_id}:{self.kind}"


class ObligationQuerySet(ScopedQuerySet):
    scope_path = "organization__path"


class Obligation(models.Model):
    """A publication owed because something happened (a decision taken, an election held): registered
    by the module where it happened, met by the published item with the same ``source``."""

    organization = models.ForeignKey("orgs.Organization", on_delete=models.PROTECT, related_name="+",
                                     verbose_name=_("community or village"))
    catalogue_key = models.CharField(_("catalogue entry"), max_length=40)
    source = models.CharField(_("source"), max_length=80)
    title = models.CharField(_("what is to be published"), max_length=120)
    arises_on = models.DateField(_("arose on"))
    due_on = models.DateField(_("due"))
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ObligationQuerySet.as_manager()

    class Meta:
        ordering = ["due_on", "id"]
        verbose_name = _("publication owed")
        verbose_name_plural = _("publications owed")
        constraints = [models.UniqueConstraint(fields=["organization", "source"], name="publicity_obligation_once"),
                       models.CheckConstraint(condition=Q(due_on__gte=F("arises_on")),
                                              name="publicity_obligation_due_after_arising")]

    def __str__(self) -> str:
        return self.title


class ItemQuestion(models.Model):
    """A resident's question about an item: a request of the voice module, answered there."""

    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="questions")
    request = models.OneToOneField("voice.Request", on_delete=models.PROTECT, related_name="publicity_question")
    # The request's text names the item first (for its handlers); the question starts here.
    text_offset = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.item_id}:{self.request_id}"


# --- news and notices (宣传) ---------------------------------------------------------------------------


class PostKind(models.TextChoices):
    POLICY = "policy", _("Policy explained")
    NEWS = "news", _("Activity news")
    NOTICE = "notice", pgettext_lazy("post", "Notice")


class PostStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", pgettext_lazy("publicity", "Published")
    WITHDRAWN = "withdrawn", _("Withdrawn")


def _reader_places(user):
    """(communities lived in as a resident, their grids; communities of the member's residence and
    membership) of one user, in two queries."""
    from gongzhi.members.models import Member, Resident
    from gongzhi.orgs.models import STEP

    resident_communities, grids = set(), set()
    for community, grid in Resident.objects.filter(user=user).values_list("community_id",
                                                                          "household__building__grid_id"):
        resident_communities.add(community)
        if grid:
            grids.add(grid)
    member_paths = set()
    for community, home in Member.objects.filter(user=user).values_list("community__path", "home_org__path"):
        for path in (community, home):
            if path:
                member_paths.update(path[:i] for i in range(STEP, len(path) + 1, STEP))
    return resident_communities, grids, member_paths


class PostQuerySet(ScopedQuerySet):
    """Staff covering the organization see every post; residents and members see the published posts
    addressed to them (their community, and their grid when the post names grids)."""

    scope_path = "organization__path"

    def public(self):
        return self.filter(status=PostStatus.PUBLISHED, to_public=True)

    def public_q(self, user):
        resident_communities, grids, member_paths = _reader_places(user)
        placed = Post.grids.through.objects.filter(post_id=OuterRef("pk"))
        in_place = ~Exists(placed) | Exists(placed.filter(grid_id__in=grids))
        as_resident = Q(organization_id__in=resident_communities) & (Q(to_public=True) | (Q(to_residents=True)
                                                                                          & in_place))
        as_member = Q(organization__path__in=member_paths) & (Q(to_members=True) | Q(to_public=True))
        return Q(status=PostStatus.PUBLISHED) & (as_resident | as_member)


def _photo_path(instance, filename):
    return f"publicity/posts/{instance.post.organization_id}/{secrets.token_hex(12)}"


class Post(models.Model):
    """A policy explained, news of an activity, or a notice (water cut, vaccination), for the public page,
    the residents of chosen grids and/or the party members. Nobody is made to read it and no reading is
    counted; a notice may ask for "I have read it"."""

    organization = models.ForeignKey("orgs.Organization", on_delete=models.PROTECT, related_name="publicity_posts",
                                     verbose_name=_("community or village"))
    kind = models.CharField(_("kind"), max_length=10, choices=PostKind)
    title = models.CharField(_("title"), max_length=120)
    body = models.TextField(_("text"), max_length=10000)
    activity = models.ForeignKey("service.Activity", null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="+", verbose_name=_("activity"))
    to_public = models.BooleanField(_("on the public page"), default=True)
    to_residents = models.BooleanField(_("to residents"), default=True)
    to_members = models.BooleanField(_("to party members"), default=True)
    grids = models.ManyToManyField("orgs.Grid", blank=True, related_name="+", verbose_name=_("only these grids"))
    needs_ack = models.BooleanField(_("ask readers to confirm they have read it"), default=False)
    status = models.CharField(_("status"), max_length=10, choices=PostStatus, default=PostStatus.DRAFT)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    published_at = models.DateTimeField(pgettext_lazy("publicity", "published"), null=True, blank=True)
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)
    withdrawal_reason = models.CharField(_("reason for withdrawal"), max_length=500, blank=True)

    objects = PostQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-id"]
        verbose_name = _("news or notice")
        verbose_name_plural = _("news and notices")
        indexes = [models.Index(fields=["organization", "status", "published_at"])]
        constraints = [
            models.CheckConstraint(condition=Q(to_public=True) | Q(to_residents=True) | Q(to_members=True),
                                   name="publicity_post_has_readers"),
            models.CheckConstraint(condition=Q(needs_ack=False) | Q(kind="notice"),
                                   name="publicity_post_ack_only_for_notices"),
            models.CheckConstraint(condition=~Q(status__in=["published", "withdrawn"]) | Q(published_at__isnull=False),
                                   name="publicity_post_published_has_date"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def audit_organization(self):
        return self.organization


class PostPhoto(models.Model):
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="photos")
    file = models.FileField(upload_to=_photo_path)
    content_type = models.CharField(max_length=20)
    caption = models.CharField(_("caption"), max_length=120, blank=True)
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("photo")
        verbose_name_plural = _("photos")

    def __str__(self) -> str:
        return self.caption or str(self.pk)


class Acknowledgement(models.Model):
    """"I have read it" for a notice that asks for it: once per reader."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="acknowledgements")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [models.UniqueConstraint(fields=["post", "user"], name="publicity_ack_once_per_reader")]

    def __str__(self) -> str:
        return f"{self.post_id}:{self.user_id}"
