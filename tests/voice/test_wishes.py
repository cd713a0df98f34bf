from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from gongzhi.points.models import PointRule
from gongzhi.voice import wishes
from gongzhi.voice.models import Wish, WishStatus

from .factories import png_bytes, post, wish_in


@pytest.fixture
def world(world_copy):
    return world_copy


@pytest.fixture
def wish_rule(world):
    return PointRule.objects.create(organization=world.street_a, code="wish_fulfilled", points=3,
                                    effective_from=date(2020, 1, 1))


def _upload(client, url, content, name="p.png"):
    client.get(reverse("voice:track"))
    return client.post(url, {"photo": SimpleUploadedFile(name, content, content_type="image/png"),
                             "csrfmiddlewaretoken": client.cookies["csrftoken"].value})


def test_a_wish_is_claimed_fulfilled_with_a_photo_and_confirmed_posting_points_once(world, client_for, wish_rule):
    from gongzhi.points.models import PointEntry

    post(client_for("community_staff"), reverse("voice:wish_new"),
         {"community": world.community_a.pk, "resident": world.resident_a.pk, "text": "想要一副老花镜"})
    wish = Wish.objects.get()
    member = client_for("member")
    assert "想要一副老花镜" in member.get(reverse("voice:wishes")).content.decode()
    post(member, reverse("voice:wish_claim", kwargs={"pk": wish.pk}))
    wish.refresh_from_db()
    assert wish.status == WishStatus.CLAIMED and wish.claimed_by == world.member_a
    _upload(member, reverse("voice:wish_fulfil", kwargs={"pk": wish.pk}), png_bytes())
    wish.refresh_from_db()
    assert wish.status == WishStatus.FULFILLED and wish.photo_type == "image/png"
    assert member.get(reverse("voice:wish_photo", kwargs={"pk": wish.pk})).status_code == 200
    resident = client_for("resident")
    post(resident, reverse("voice:wish_confirm", kwargs={"pk": wish.pk}))
    post(client_for("community_staff"), reverse("voice:wish_confirm", kwargs={"pk": wish.pk}))
    wish.refresh_from_db()
    assert wish.status == WishStatus.CONFIRMED and wish.confirmed_by == world.users["resident"]
    entries = PointEntry.objects.filter(member=world.member_a)
    assert entries.count() == 1 and entries.get().points == 3


def test_confirming_twice_through_the_service_posts_points_once(world, wish_rule):
    from gongzhi.points.models import PointEntry

    wish = wish_in(world, status="fulfilled", resident=world.resident_a)
    wishes.confirm(wish, by=world.users["community_staff"])
    wish.status = WishStatus.FULFILLED
    wish.save()
    wishes.confirm(wish, by=world.users["community_staff"])
    assert PointEntry.objects.filter(member=world.member_a).count() == 1


def test_a_fake_photo_or_a_too_large_one_is_refused(world, client_for):
    wish = wish_in(world, status="claimed")
    member = client_for("member")
    _upload(member, reverse("voice:wish_fulfil", kwargs={"pk": wish.pk}), b"<?php echo 1; ?>", name="x.png")
    wish.refresh_from_db()
    assert wish.status == WishStatus.CLAIMED and not wish.photo
    big = png_bytes() + b"\0" * (wishes.MAX_PHOTO_BYTES + 1)
    _upload(member, reverse("voice:wish_fulfil", kwargs={"pk": wish.pk}), big)
    wish.refresh_from_db()
    assert wish.status == WishStatus.CLAIMED


def test_a_claimed_wish_cannot_be_claimed_again(world, client_for):
    wish = wish_in(world, status="claimed")
    post(client_for("member"), reverse("voice:wish_claim", kwargs={"pk": wish.pk}))
    wish.refresh_from_db()
    assert wish.claimed_by == world.member_a and wish.status == WishStatus.CLAIMED


def test_only_the_claiming_member_may_fulfil(world, client_for):
    wish = wish_in(world, status="claimed")
    wish.claimed_by = world.member_b
    wish.save()
    response = _upload(client_for("member"), reverse("voice:wish_fulfil", kwargs={"pk": wish.pk}), png_bytes())
    assert response.status_code == 404
