"""微心愿: claim, fulfil with a photo, confirm (which posts the member's points once)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gongzhi.core import audit
from gongzhi.core.capabilities import can
from gongzhi.core.uploads import image_type
from gongzhi.members.models import Member
from gongzhi.points.models import RuleCode
from gongzhi.points.services import post_points

from .models import Wish, WishStatus
from .permissions import MANAGE_COMMUNITY_VOICE

MAX_PHOTO_BYTES = 5 * 1024 * 1024
PHOTO_FORMATS = ("JPEG", "PNG", "WEBP")


def check_photo(upload) -> str:
    if upload.size > MAX_PHOTO_BYTES:
        raise ValidationError(_("The photo is too large; the limit is %(limit)s MB.")
                              % {"limit": MAX_PHOTO_BYTES // 1048576})
    content_type = image_type(upload, PHOTO_FORMATS)
    if content_type is None:
        raise ValidationError(_("Upload a photo (JPEG, PNG or WebP)."))
    return content_type


def member_of(user, wish) -> Member | None:
    return Member.objects.filter(user=user, community=wish.community).first() if user.is_authenticated else None


def can_create_wish(user, community) -> bool:
    return can(user, MANAGE_COMMUNITY_VOICE, community)


def can_claim(user, wish) -> bool:
    return wish.status == WishStatus.OPEN and member_of(user, wish) is not None


def can_fulfil(user, wish) -> bool:
    return wish.status == WishStatus.CLAIMED and wish.claimed_by is not None and wish.claimed_by.user_id == user.pk


def can_confirm(user, wish) -> bool:
    if wish.status != WishStatus.FULFILLED:
        return False
    own = wish.resident is not None and wish.resident.user_id == user.pk
    return own or can(user, MANAGE_COMMUNITY_VOICE, wish.community)


@transaction.atomic
def create(*, community, text, resident=None, by) -> Wish:
    if resident is not None and resident.community_id != community.pk:
        raise ValidationError(_("The resident does not live in this community."))
    wish = Wish.objects.create(community=community, text=text, resident=resident, created_by=by)
    audit.record(actor=by, action="voice.wish.create", obj=wish)
    return wish


@transaction.atomic
def claim(wish: Wish, *, by) -> Wish:
    wish = Wish.objects.select_for_update().get(pk=wish.pk)
    member = member_of(by, wish)
    if wish.status != WishStatus.OPEN or member is None:
        raise ValidationError(_("This wish has already been claimed."))
    wish.status, wish.claimed_by, wish.claimed_at = WishStatus.CLAIMED, member, timezone.now()
    wish.save(update_fields=["status", "claimed_by", "claimed_at"])
    return wish


@transaction.atomic
def fulfil(wish: Wish, *, by, photo) -> Wish:
    if not can_fulfil(by, wish):
        raise ValidationError(_("Only the member who claimed the wish can report it fulfilled."))
    wish.photo_type = check_photo(photo)
    wish.photo.save("photo", photo, save=False)
    wish.status, wish.fulfilled_at = WishStatus.FULFILLED, timezone.now()
    wish.save(update_fields=["photo", "photo_type", "status", "fulfilled_at"])
    return wish


@transaction.atomic
def confirm(wish: Wish, *, by) -> Wish:
    wish = Wish.objects.select_for_update(of=("self",)).select_related("claimed_by", "resident").get(pk=wish.pk)
    if not can_confirm(by, wish):
        raise ValidationError(_("This wish cannot be confirmed now."))
    now = timezone.now()
    wish.status, wish.confirmed_at, wish.confirmed_by = WishStatus.CONFIRMED, now, by
    wish.save(update_fields=["status", "confirmed_at", "confirmed_by"])
    post_points(member=wish.claimed_by, code=RuleCode.WISH_FULFILLED, key=f"wish:{wish.pk}",
                occurred_on=timezone.localdate(wish.fulfilled_at or now), source=wish, by=by)
    audit.record(actor=by, action="voice.wish.confirm", obj=wish)
    return wish
