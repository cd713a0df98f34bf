"""Every write of the publicity board and the news: keyword-only, one transaction, the domain's rules,
the audit row in the same transaction, notifications after commit.

Other modules publish through ``publish_item`` (the item then waits for the organization's approval,
like any other) and register what they owe with ``owe_publication``; publicity never calls them.
"""

from __future__ import annotations

import secrets
from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gongzhi.core import audit
from gongzhi.core.models import Notification
from gongzhi.core.periods import Period
from gongzhi.orgs.models import COMMUNITY_LEVEL, UPPER_LEVEL

from . import catalogue
from .models import (
    Acknowledgement,
    Board,
    CatalogueRule,
    Category,
    Frequency,
    Item,
    ItemAttachment,
    ItemEvent,
    ItemEventKind,
    ItemQuestion,
    ItemStatus,
    Obligation,
    Post,
    PostKind,
    PostPhoto,
    PostStatus,
)
from .uploads import check_attachment, check_photo

MAX_ATTACHMENTS = 10
MAX_PHOTOS = 9


def _event(item: Item, kind: str, by, note: str = "") -> None:
    ItemEvent.objects.create(item=item, kind=kind, actor=by if getattr(by, "is_authenticated", False) else None,
                             note=note[:500])


def _locked(item: Item) -> Item:
    return Item.objects.select_for_update().select_related("organization").get(pk=item.pk)


def _require_status(item: Item, *allowed: str) -> None:
    if item.status in allowed:
        return
    if item.status == ItemStatus.WITHDRAWN:
        raise ValidationError(_("This item has been withdrawn: it can no longer be changed. Prepare a correction "
                                "instead."), code="withdrawn")
    if item.status == ItemStatus.PUBLISHED:
        raise ValidationError(_("This item is published: it can no longer be changed. Withdraw it and publish a "
                                "correction."), code="published")
    raise ValidationError(_("This step is not possible while the item is “%(status)s”.")
                          % {"status": item.get_status_display()}, code="status")


def check_editable(item: Item) -> None:
    """ValidationError with the reason unless the item is a draft (the only state that is edited)."""
    _require_status(item, ItemStatus.DRAFT)


def _community(organization) -> None:
    if organization is None or organization.kind not in COMMUNITY_LEVEL:
        raise ValidationError(_("Boards belong to communities and villages."))


def _period_fields(entry, period: Period | None) -> tuple[date | None, date | None]:
    """The period an item of a catalogue entry covers: required for periodic entries, of their kind."""
    if entry is None or not entry.periodic:
        return None, None
    if period is None:
        raise ValidationError(_("Say which period the item covers."))
    expected = catalogue.PERIOD_KINDS[entry.frequency]
    if period.kind != expected or Period.containing(expected, period.start) != period:
        raise ValidationError(_("“%(entry)s” is published %(frequency)s: choose one such period.")
                              % {"entry": entry.title, "frequency": entry.frequency_label().lower()})
    return period.start, period.end


def _item_fields(*, organization, category, title, body, catalogue_key, period, visible_from, visible_until):
    entry = None
    if catalogue_key:
        entry = catalogue.entry_for(organization, catalogue_key)
        if entry is None:
            raise ValidationError(_("This catalogue entry does not apply to the organization."))
        category = entry.category
    if category not in Category.values:
        raise ValidationError(_("Choose a category."))
    period_start, period_end = _period_fields(entry, period)
    if visible_until is not None and visible_until < visible_from:
        raise ValidationError(_("The item must stay on the board at least one day: the end comes before the "
                                "start."))
    return {"category": category, "title": title.strip(), "body": body.strip(), "catalogue_key": catalogue_key or "",
            "period_start": period_start, "period_end": period_end, "visible_from": visible_from,
            "visible_until": visible_until}


@transaction.atomic
def create_item(*, organization, category: str, title: str, body: str, visible_from: date,
                visible_until: date | None = None, catalogue_key: str = "", period: Period | None = None,
                replaces: Item | None = None, source: str = "", by, request=None) -> Item:
    """A draft item of the organization's board."""
    _community(organization)
    fields = _item_fields(organization=organization, category=category, title=title, body=body,
                          catalogue_key=catalogue_key, period=period, visible_from=visible_from,
                          visible_until=visible_until)
    item = Item(organization=organization, created_by=by, replaces=replaces, source=source, **fields)
    item.full_clean()
    item.save()
    _event(item, ItemEventKind.DRAFTED, by, _("Correction of “%(title)s”") % {"title": replaces.title}
           if replaces else "")
    audit.record(actor=by, action="publicity.item.draft", obj=item, request=request)
    return item


@transaction.atomic
def update_item(*, item: Item, category: str, title: str, body: str, visible_from: date,
                visible_until: date | None = None, catalogue_key: str = "", period: Period | None = None,
                by, request=None) -> Item:
    """Change a draft. Nothing else can be edited: a published item is withdrawn and corrected."""
    item = _locked(item)
    _require_status(item, ItemStatus.DRAFT)
    fields = _item_fields(organization=item.organization, category=category, title=title, body=body,
                          catalogue_key=catalogue_key, period=period, visible_from=visible_from,
                          visible_until=visible_until)
    for name, value in fields.items():
        setattr(item, name, value)
    item.full_clean()
    item.save()
    _event(item, ItemEventKind.EDITED, by)
    audit.record(actor=by, action="publicity.item.edit", obj=item, request=request)
    return item


@transaction.atomic
def add_attachment(*, item: Item, upload, by, request=None) -> ItemAttachment:
    item = _locked(item)
    _require_status(item, ItemStatus.DRAFT)
    if item.attachments.count() >= MAX_ATTACHMENTS:
        raise ValidationError(_("An item has at most %(n)s attachments.") % {"n": MAX_ATTACHMENTS})
    name, content_type, digest = check_attachment(upload)
    attachment = ItemAttachment(item=item, name=name, content_type=content_type, size=upload.size, sha256=digest,
                                uploaded_by=by)
    attachment.file.save(name, upload, save=False)
    attachment.save()
    audit.record(actor=by, action="publicity.item.attach", obj=item, request=request,
                 detail={"attachment": attachment.pk, "sha256": digest})
    return attachment


@transaction.atomic
def remove_attachment(*, attachment: ItemAttachment, by, request=None) -> None:
    item = _locked(attachment.item)
    _require_status(item, ItemStatus.DRAFT)
    audit.record(actor=by, action="publicity.item.detach", obj=item, request=request,
                 detail={"attachment": attachment.pk, "sha256": attachment.sha256})
    attachment.delete()


@transaction.atomic
def submit_item(*, item: Item, by, request=None) -> Item:
    item = _locked(item)
    _require_status(item, ItemStatus.DRAFT)
    item.status, item.submitted_at = ItemStatus.PENDING, timezone.now()
    item.save(update_fields=["status", "submitted_at"])
    _event(item, ItemEventKind.SUBMITTED, by)
    audit.record(actor=by, action="publicity.item.submit", obj=item, request=request)
    return item


@transaction.atomic
def return_item(*, item: Item, by, note: str, request=None) -> Item:
    """The approver sends an item back to its author with the reason; it is a draft again."""
    item = _locked(item)
    _require_status(item, ItemStatus.PENDING, ItemStatus.APPROVED)
    if not note.strip():
        raise ValidationError(_("Say what should be changed."))
    item.status, item.approved_by, item.approved_at = ItemStatus.DRAFT, None, None
    item.save(update_fields=["status", "approved_by", "approved_at"])
    _event(item, ItemEventKind.RETURNED, by, note.strip())
    audit.record(actor=by, action="publicity.item.return", obj=item, request=request)
    return item


@transaction.atomic
def approve_item(*, item: Item, by, publish_now: bool = False, request=None) -> Item:
    """The organization's approval (never by the item's author); with ``publish_now`` it goes out at once."""
    item = _locked(item)
    _require_status(item, ItemStatus.PENDING)
    if item.created_by_id is not None and item.created_by_id == getattr(by, "pk", None):
        raise ValidationError(_("An item is approved by someone other than its author."), code="own_item")
    item.status, item.approved_by, item.approved_at = ItemStatus.APPROVED, by, timezone.now()
    item.full_clean()
    item.save(update_fields=["status", "approved_by", "approved_at"])
    _event(item, ItemEventKind.APPROVED, by)
    audit.record(actor=by, action="publicity.item.approve", obj=item, request=request)
    if publish_now:
        return _publish(item, by=by, request=request)
    return item


@transaction.atomic
def publish_approved(*, item: Item, by, request=None) -> Item:
    """Put an approved item on the board (from its first day on the board)."""
    item = _locked(item)
    if item.status in (ItemStatus.DRAFT, ItemStatus.PENDING):
        raise ValidationError(_("This item has not been approved: it is published only after the organization "
                                "approves it."), code="not_approved")
    _require_status(item, ItemStatus.APPROVED)
    return _publish(item, by=by, request=request)


def _publish(item: Item, *, by, request=None) -> Item:
    """Publish an approved item already locked by the caller's transaction."""
    item.status, item.published_at = ItemStatus.PUBLISHED, timezone.now()
    item.full_clean()
    item.save(update_fields=["status", "published_at"])
    _event(item, ItemEventKind.PUBLISHED, by)
    audit.record(actor=by, action="publicity.item.publish", obj=item, request=request)
    return item


@transaction.atomic
def withdraw_item(*, item: Item, by, reason: str, request=None) -> Item:
    """Take a published item off the board; it stays in the archive with the reason."""
    item = _locked(item)
    _require_status(item, ItemStatus.PUBLISHED)
    reason = reason.strip()
    if not reason:
        raise ValidationError(_("Give the reason for withdrawing the item."))
    item.status, item.withdrawn_at, item.withdrawn_by = ItemStatus.WITHDRAWN, timezone.now(), by
    item.withdrawal_reason = reason[:500]
    item.full_clean()
    item.save(update_fields=["status", "withdrawn_at", "withdrawn_by", "withdrawal_reason"])
    _event(item, ItemEventKind.WITHDRAWN, by, reason)
    audit.record(actor=by, action="publicity.item.withdraw", obj=item, request=request)
    return item


@transaction.atomic
def prepare_correction(*, item: Item, by, request=None) -> Item:
    """A draft that corrects a withdrawn item: same entry, period and files, to be approved again."""
    item = _locked(item)
    if item.status != ItemStatus.WITHDRAWN:
        raise ValidationError(_("Only a withdrawn item is corrected."))
    existing = item.corrections.exclude(status=ItemStatus.WITHDRAWN).first()
    if existing is not None:
        return existing
    today = timezone.localdate()
    correction = Item(organization=item.organization, category=item.category, title=item.title, body=item.body,
                      catalogue_key=item.catalogue_key, period_start=item.period_start, period_end=item.period_end,
                      visible_from=max(today, item.visible_from),
                      visible_until=item.visible_until if item.visible_until and item.visible_until >= today else None,
                      replaces=item, created_by=by)
    correction.full_clean()
    correction.save()
    ItemAttachment.objects.bulk_create([
        ItemAttachment(item=correction, file=a.file.name, name=a.name, content_type=a.content_type, size=a.size,
                       sha256=a.sha256, uploaded_by=by) for a in item.attachments.all()])
    _event(correction, ItemEventKind.DRAFTED, by, _("Correction of “%(title)s”") % {"title": item.title})
    audit.record(actor=by, action="publicity.item.correct", obj=correction, request=request,
                 detail={"replaces": item.pk})
    return correction


# --- for other modules ------------------------------------------------------------------------------


@transaction.atomic
def publish_item(*, organization, category: str, title: str, body: str, source: str, by,
                 catalogue_key: str = "", period: Period | None = None, visible_from: date | None = None,
                 visible_until: date | None = None, request=None) -> Item:
    """Put a record of another module (a quarter's dues and funds, a decision, an election result) on the
    organization's board. The item waits for the organization's approval like any other; the same
    ``source`` a second time returns the first item and changes nothing."""
    if not source:
        raise ValueError("publish_item needs the source record, e.g. 'money.disclosure:2026Q1'")
    existing = Item.objects.filter(organization=organization, source=source).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            item = create_item(organization=organization, category=category, title=title, body=body,
                               visible_from=visible_from or timezone.localdate(), visible_until=visible_until,
                               catalogue_key=catalogue_key, period=period, source=source, by=by, request=request)
    except (IntegrityError, ValidationError):
        # A parallel call published the same record first (its constraint check or its insert won).
        existing = Item.objects.filter(organization=organization, source=source).first()
        if existing is None:
            raise
        return existing
    return submit_item(item=item, by=by, request=request)


@transaction.atomic
def owe_publication(*, organization, catalogue_key: str, source: str, title: str, arises_on: date,
                    by=None, request=None) -> Obligation:
    """Record that something happened which the organization must publish (an event entry of its
    catalogue): due ``due_days`` later; met by the published item with the same ``source``."""
    _community(organization)
    existing = Obligation.objects.filter(organization=organization, source=source).first()
    if existing is not None:
        return existing
    entry = catalogue.entry_for(organization, catalogue_key)
    days = entry.due_days if entry is not None else catalogue.DEFAULTS[catalogue_key].due_days
    obligation = Obligation(organization=organization, catalogue_key=catalogue_key, source=source,
                            title=title[:120], arises_on=arises_on, due_on=arises_on + timedelta(days=days))
    # Uniqueness is the database's to decide under concurrency (the IntegrityError below).
    obligation.full_clean(validate_unique=False, validate_constraints=False)
    try:
        with transaction.atomic():
            obligation.save()
    except IntegrityError:
        return Obligation.objects.get(organization=organization, source=source)
    audit.record(actor=by, action="publicity.obligation.create", obj=obligation, organization=organization,
                 request=request, detail={"key": catalogue_key, "source": source})
    return obligation


# --- the catalogue and the board's settings ---------------------------------------------------------


@transaction.atomic
def save_board(*, organization, opened_on: date, intro: str = "", by, request=None) -> Board:
    _community(organization)
    board, _created = Board.objects.update_or_create(organization=organization,
                                                     defaults={"opened_on": opened_on, "intro": intro.strip()})
    board.full_clean()
    audit.record(actor=by, action="publicity.board.settings", obj=board, request=request,
                 detail={"opened_on": opened_on.isoformat()})
    return board


def _catalogue_organization(organization) -> None:
    if organization is None or organization.kind not in (COMMUNITY_LEVEL | UPPER_LEVEL):
        raise ValidationError(_("The catalogue is set by a street or township, or by a community or village."))


@transaction.atomic
def set_rule(*, organization, key: str, frequency: str, due_days: int, active: bool = True, title: str = "",
             category: str = "", by, request=None) -> CatalogueRule:
    """The organization's own setting of an entry (for itself and the communities below it)."""
    _catalogue_organization(organization)
    custom = key.startswith(catalogue.CUSTOM_PREFIX)
    if not custom and key not in catalogue.DEFAULTS:
        raise ValidationError(_("Unknown catalogue entry."))
    if custom and not CatalogueRule.objects.filter(organization=organization, key=key).exists():
        raise ValidationError(_("Unknown catalogue entry."))
    if frequency not in Frequency.values:
        raise ValidationError(_("Choose how often it is published."))
    if not 0 <= due_days <= 366:
        raise ValidationError(_("Allow between 0 and 366 days."))
    if custom and (not title.strip() or category not in Category.values):
        raise ValidationError(_("Name the entry and choose its category."))
    rule, _created = CatalogueRule.objects.update_or_create(
        organization=organization, key=key,
        defaults={"frequency": frequency, "due_days": due_days, "active": active,
                  "title": title.strip()[:120] if custom else "", "category": category if custom else "",
                  "changed_by": by})
    rule.full_clean()
    audit.record(actor=by, action="publicity.catalogue.set", obj=rule, request=request,
                 detail={"key": key, "frequency": frequency, "due_days": due_days, "active": active})
    return rule


@transaction.atomic
def add_custom_entry(*, organization, title: str, category: str, frequency: str, due_days: int, by,
                     request=None) -> CatalogueRule:
    _catalogue_organization(organization)
    if not title.strip() or category not in Category.values:
        raise ValidationError(_("Name the entry and choose its category."))
    if frequency not in Frequency.values or frequency == Frequency.EVENT:
        raise ValidationError(_("An entry of your own is published every month, quarter, half year or year."))
    if not 0 <= due_days <= 366:
        raise ValidationError(_("Allow between 0 and 366 days."))
    rule = CatalogueRule(organization=organization, key=f"{catalogue.CUSTOM_PREFIX}{secrets.token_hex(6)}",
                         title=title.strip()[:120], category=category, frequency=frequency, due_days=due_days,
                         changed_by=by)
    rule.full_clean()
    rule.save()
    audit.record(actor=by, action="publicity.catalogue.add", obj=rule, request=request, detail={"key": rule.key})
    return rule


@transaction.atomic
def reset_rule(*, organization, key: str, by, request=None) -> None:
    """Follow the setting above again (a default entry), or stop requiring an own entry."""
    rule = CatalogueRule.objects.filter(organization=organization, key=key).first()
    if rule is None:
        raise ValidationError(_("There is no setting of this organization to reset."))
    if key.startswith(catalogue.CUSTOM_PREFIX):
        # Items may name the entry: it is switched off rather than forgotten.
        rule.active = False
        rule.changed_by = by
        rule.save(update_fields=["active", "changed_by", "changed_at"])
    else:
        rule.delete()
    audit.record(actor=by, action="publicity.catalogue.reset", organization=organization, request=request,
                 detail={"key": key})


# --- residents' questions --------------------------------------------------------------------------


@transaction.atomic
def ask_question(*, item: Item, text: str, channel: str, contact_phone: str = "", anonymous: bool = False,
                 resident=None, by=None, request=None) -> ItemQuestion:
    """A resident's question about a published item becomes a request to the community (voice), answered
    within the request deadlines and followed with its tracking number."""
    from gongzhi.voice import services as voice
    from gongzhi.voice.models import Category as RequestCategory

    if item.status != ItemStatus.PUBLISHED:
        raise ValidationError(_("Questions are asked about published items."))
    text = text.strip()
    if not text:
        raise ValidationError(_("Write your question."))
    prefix = _("About the board item “%(title)s”: ") % {"title": item.title}
    wording = prefix + text
    req = voice.submit(community=item.organization, category=RequestCategory.POLICY, text=wording[:2000],
                       channel=channel, anonymous=anonymous, contact_phone=contact_phone, resident=resident, by=by)
    question = ItemQuestion.objects.create(item=item, request=req, text_offset=min(len(prefix), 2000))
    audit.record(actor=by, action="publicity.item.question", obj=item, request=None if anonymous else request,
                 detail={"request": req.pk})
    return question


# --- news and notices -------------------------------------------------------------------------------


def _post_fields(*, organization, kind, activity, to_public, to_residents, to_members, grids, needs_ack):
    _community(organization)
    if kind not in PostKind.values:
        raise ValidationError(_("Choose what kind of post it is."))
    if not (to_public or to_residents or to_members):
        raise ValidationError(_("Choose who it is for: the public page, residents or party members."))
    if needs_ack and kind != PostKind.NOTICE:
        raise ValidationError(_("Only a notice asks readers to confirm they have read it."))
    if activity is not None and not activity.organization.path.startswith(organization.path) \
            and not organization.path.startswith(activity.organization.path):
        raise ValidationError(_("The activity is not one of this community's."))
    if any(grid.community_id != organization.pk for grid in grids):
        raise ValidationError(_("The grid is not in this community."))


@transaction.atomic
def save_post(*, organization, kind: str, title: str, body: str, by, post: Post | None = None, activity=None,
              to_public: bool = True, to_residents: bool = True, to_members: bool = True, grids=(),
              needs_ack: bool = False, request=None) -> Post:
    """Create a draft post, or change one that is still a draft."""
    grids = list(grids)
    _post_fields(organization=organization, kind=kind, activity=activity, to_public=to_public,
                 to_residents=to_residents, to_members=to_members, grids=grids, needs_ack=needs_ack)
    if post is not None:
        post = Post.objects.select_for_update().get(pk=post.pk)
        if post.status != PostStatus.DRAFT:
            raise ValidationError(_("Only a draft can be edited; withdraw the post and write a new one."))
    else:
        post = Post(organization=organization, created_by=by)
    post.kind, post.title, post.body, post.activity = kind, title.strip(), body.strip(), activity
    post.to_public, post.to_residents, post.to_members, post.needs_ack = to_public, to_residents, to_members, \
        needs_ack
    post.full_clean()
    post.save()
    post.grids.set(grids)
    audit.record(actor=by, action="publicity.post.save", obj=post, request=request)
    return post


@transaction.atomic
def add_photo(*, post: Post, upload, caption: str = "", by, request=None) -> PostPhoto:
    post = Post.objects.select_for_update().get(pk=post.pk)
    if post.status != PostStatus.DRAFT:
        raise ValidationError(_("Photos are added while the post is a draft."))
    if post.photos.count() >= MAX_PHOTOS:
        raise ValidationError(_("A post has at most %(n)s photos.") % {"n": MAX_PHOTOS})
    content_type = check_photo(upload)
    photo = PostPhoto(post=post, content_type=content_type, caption=caption.strip()[:120])
    upload.seek(0)
    photo.file.save("photo", ContentFile(upload.read()), save=False)
    photo.save()
    audit.record(actor=by, action="publicity.post.photo", obj=post, request=request, detail={"photo": photo.pk})
    return photo


def audience_user_ids(post: Post) -> set[int]:
    """The accounts a post is addressed to (residents of its grids, members of its community): two queries."""
    from django.db.models import Q

    from gongzhi.members.models import Member, Resident

    grid_ids = [g.pk for g in post.grids.all()] if post.pk else []
    users: set[int] = set()
    if post.to_residents or post.to_public:
        residents = Resident.objects.filter(community_id=post.organization_id, user__isnull=False)
        if grid_ids and not post.to_public:
            residents = residents.filter(household__building__grid_id__in=grid_ids)
        users.update(residents.values_list("user_id", flat=True))
    if post.to_members or post.to_public:
        path = post.organization.path
        users.update(Member.objects.current().filter(user__isnull=False).filter(
            Q(community_id=post.organization_id) | Q(home_org__path__startswith=path)).values_list("user_id",
                                                                                              flat=True))
    return users


def _notify_notice(post_id: int) -> None:
    post = Post.objects.select_related("organization").get(pk=post_id)
    title = _("Notice from %(org)s: %(title)s") % {"org": post.organization.name, "title": post.title}
    from django.urls import reverse

    url = reverse("publicity:post", args=[post.pk])
    Notification.objects.bulk_create(
        [Notification(user_id=user_id, title=title[:200], url=url, key=f"publicity:notice:{post.pk}")
         for user_id in sorted(audience_user_ids(post))], ignore_conflicts=True, batch_size=1000)


@transaction.atomic
def publish_post(*, post: Post, by, request=None) -> Post:
    post = Post.objects.select_for_update().select_related("organization").get(pk=post.pk)
    if post.status != PostStatus.DRAFT:
        raise ValidationError(_("This post is already published or withdrawn."))
    post.status, post.published_at = PostStatus.PUBLISHED, timezone.now()
    post.full_clean()
    post.save(update_fields=["status", "published_at"])
    audit.record(actor=by, action="publicity.post.publish", obj=post, request=request)
    if post.kind == PostKind.NOTICE:
        # A notice (water cut, vaccination) is worth a message; news and policy are read when one wants.
        transaction.on_commit(lambda: _notify_notice(post.pk))
    return post


@transaction.atomic
def withdraw_post(*, post: Post, by, reason: str, request=None) -> Post:
    post = Post.objects.select_for_update().get(pk=post.pk)
    if post.status != PostStatus.PUBLISHED:
        raise ValidationError(_("Only a published post is withdrawn."))
    if not reason.strip():
        raise ValidationError(_("Give the reason for withdrawing the post."))
    post.status, post.withdrawn_at, post.withdrawal_reason = PostStatus.WITHDRAWN, timezone.now(), reason.strip()[:500]
    post.save(update_fields=["status", "withdrawn_at", "withdrawal_reason"])
    audit.record(actor=by, action="publicity.post.withdraw", obj=post, request=request)
    return post


def acknowledge(*, post: Post, user) -> tuple[Acknowledgement, bool]:
    """"I have read it" on a notice that asks for it; a second time changes nothing. (created?)"""
    if not post.needs_ack or post.status != PostStatus.PUBLISHED:
        raise ValidationError(_("This post does not ask for confirmation."))
    try:
        with transaction.atomic():
            return Acknowledgement.objects.create(post=post, user=user), True
    except IntegrityError:
        return Acknowledgement.objects.get(post=post, user=user), False
