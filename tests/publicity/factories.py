"""Board items, news and files for the publicity tests: made through the services, so that each state is
one a real item can be in."""

from __future__ import annotations

import io
import zipfile
from datetime import date, timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from gongzhi.core.periods import Period
from gongzhi.publicity import services
from gongzhi.publicity.models import Category, Item, ItemStatus, Post, PostKind


def item(world, *, status=ItemStatus.PUBLISHED, community=None, title="2026年第一季度党费和经费公开",
         body="收缴党费4,520元，支出慰问经费3,000元。", category=Category.FINANCE, key="", period=None,
         visible_from=None, visible_until=None, author=None, approver=None) -> Item:
    """An item in the given state: drafted by community staff, approved by the community secretary (in the
    foreign community by its secretary and the secretary itself cannot approve: a second account is made)."""
    community = community or world.community_a
    foreign = community == world.community_x
    author = author or (world.users["community_staff"] if not foreign else _foreign_staff(world))
    approver = approver or (world.users["community_secretary"] if not foreign else world.users["foreign_secretary"])
    made = services.create_item(organization=community, category=category, title=title, body=body,
                                catalogue_key=key, period=period, visible_from=visible_from or timezone.localdate(),
                                visible_until=visible_until, by=author)
    if status == ItemStatus.DRAFT:
        return made
    services.submit_item(item=made, by=author)
    if status == ItemStatus.PENDING:
        return Item.objects.get(pk=made.pk)
    services.approve_item(item=made, by=approver)
    if status == ItemStatus.APPROVED:
        return Item.objects.get(pk=made.pk)
    services.publish_approved(item=made, by=approver)
    if status == ItemStatus.WITHDRAWN:
        services.withdraw_item(item=made, by=approver, reason="金额有误")
    return Item.objects.get(pk=made.pk)


def _foreign_staff(world):
    from gongzhi.accounts.models import RoleKind, User
    from tests.factories import RoleFactory, UserFactory

    # Looked up, not kept on the world: the access matrix shares one world between savepoints.
    user = User.objects.filter(username="foreign_staff").first()
    if user is None:
        user = UserFactory(username="foreign_staff")
        RoleFactory(user=user, organization=world.community_x, kind=RoleKind.COMMUNITY_STAFF,
                    starts_on=date(2020, 1, 1))
    return user


def quarter(year: int, number: int) -> Period:
    return Period.quarter(year, number)


def post(world, *, community=None, kind=PostKind.NEWS, publish=True, needs_ack=False, grids=(), to_public=True,
         to_residents=True, to_members=True, title="社区志愿服务新闻") -> Post:
    community = community or world.community_a
    foreign = community == world.community_x
    author = world.users["community_staff"] if not foreign else _foreign_staff(world)
    made = services.save_post(organization=community, kind=kind, title=title, body="居民和党员一起清理楼道。",
                              to_public=to_public, to_residents=to_residents, to_members=to_members, grids=grids,
                              needs_ack=needs_ack, by=author)
    if publish:
        services.publish_post(post=made, by=author)
    return Post.objects.get(pk=made.pk)


def pdf(name="公开.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n", "application/pdf")


def png(name="photo.png") -> SimpleUploadedFile:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "red").save(buffer, "PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), "image/png")


def xlsx(name="明细.xlsx", *, bomb=False) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        if bomb:
            archive.writestr("xl/huge.xml", "0" * 50_000)  # tests lower the limit below this
    return SimpleUploadedFile(name, buffer.getvalue(), "application/octet-stream")


def days_ago(n: int) -> date:
    return timezone.localdate() - timedelta(days=n)


CSRF = "c" * 32


def form_post(client, url, data=None, **kwargs):
    """A form POST through a CSRF-enforcing client, with the token a page would have set."""
    client.cookies["csrftoken"] = CSRF
    return client.post(url, {**(data or {}), "csrfmiddlewaretoken": CSRF}, **kwargs)


def api_post(client, url, data=None):
    import json

    client.cookies["csrftoken"] = CSRF
    return client.post(url, json.dumps(data or {}), content_type="application/json", HTTP_X_CSRFTOKEN=CSRF)
