"""Access cases for the publicity board and the news (tests/test_access_matrix.py).

The own board is community A's: read by its staff and supervisor (and the street), prepared by the staff,
approved by the secretary or the street. The own notice is addressed to community A's residents and
members; the foreign objects are community X's."""

from gongzhi.publicity.models import Item, ItemAttachment, ItemStatus, Post, PostKind, PostStatus
from tests.access import COMMUNITY_SCOPE, DOMAIN_ROLES, EVERYONE, STAFF, ApiCase, PageCase

from . import factories

LEADERS = frozenset({"street_admin", "community_secretary"})
READERS = COMMUNITY_SCOPE | {"member", "resident"}


def _item(w, status=ItemStatus.PUBLISHED, own=True, title="访问测试"):
    community = w.community_a if own else w.community_x
    found = Item.objects.filter(organization=community, status=status, title=title).first()
    return found or factories.item(w, status=status, community=community, title=title)


def _with_file(w, own=True, status=ItemStatus.PUBLISHED):
    from gongzhi.publicity import services

    title = f"附件测试-{status}"
    found = Item.objects.filter(organization=w.community_a if own else w.community_x, title=title).first()
    if found is None:
        draft = factories.item(w, status=ItemStatus.DRAFT, community=w.community_a if own else w.community_x,
                               title=title)
        services.add_attachment(item=draft, upload=factories.pdf(), by=draft.created_by)
        if status == ItemStatus.PUBLISHED:
            approver = w.users["community_secretary" if own else "foreign_secretary"]
            services.submit_item(item=draft, by=draft.created_by)
            services.approve_item(item=draft, by=approver, publish_now=True)
        found = Item.objects.get(pk=draft.pk)
    return {"pk": found.pk, "file_pk": ItemAttachment.objects.filter(item=found).first().pk}


def _post(w, own=True, status=PostStatus.PUBLISHED):
    community = w.community_a if own else w.community_x
    found = Post.objects.filter(organization=community, status=status, kind=PostKind.NOTICE).first()
    return found or factories.post(w, community=community, kind=PostKind.NOTICE, needs_ack=True,
                                   publish=status == PostStatus.PUBLISHED, to_public=False)


def _photo(w, own=True):
    from gongzhi.publicity import services
    from gongzhi.publicity.models import PostPhoto

    community = w.community_a if own else w.community_x
    found = PostPhoto.objects.filter(post__organization=community).first()
    if found is None:
        draft = factories.post(w, community=community, publish=False, title="带照片的新闻")
        services.add_photo(post=draft, upload=factories.png(), by=draft.created_by)
        services.publish_post(post=draft, by=draft.created_by)
        found = PostPhoto.objects.get(post=draft)
    return {"pk": found.post_id, "photo_pk": found.pk}


def _code(w):
    return {"code": w.community_a.code}


def _public_item(w):
    return {"code": w.community_a.code, "pk": _item(w).pk}


PAGE_CASES = [
    # Public page (no login).
    PageCase("publicity:public_board", own=_code, public=True, allowed=EVERYONE),
    PageCase("publicity:public_archive", own=_code, public=True, allowed=EVERYONE, query="?year=2026&category=x"),
    PageCase("publicity:public_item", own=_public_item, public=True, allowed=EVERYONE),
    PageCase("publicity:ask", own=_public_item, public=True, allowed=EVERYONE),
    PageCase("publicity:ask", own=_public_item, public=True, allowed=EVERYONE, method="post",
             data=lambda w: {"text": "经费支出明细在哪里看？"}, ok=frozenset({200, 429})),
    PageCase("publicity:public_file", own=lambda w: {"code": w.community_a.code, **_with_file(w)}, public=True,
             allowed=EVERYONE),
    PageCase("publicity:public_post", own=lambda w: {"code": w.community_a.code, "pk": _photo(w)["pk"]},
             public=True, allowed=EVERYONE),
    PageCase("publicity:public_photo", own=lambda w: {"code": w.community_a.code, "pk": _photo(w)["photo_pk"]},
             public=True, allowed=EVERYONE),
    # Staff.
    PageCase("publicity:boards", allowed=COMMUNITY_SCOPE),
    PageCase("publicity:board", own=lambda w: {"pk": w.community_a.pk}, foreign=lambda w: {"pk": w.community_x.pk},
             allowed=COMMUNITY_SCOPE, query="?status=published&page=2"),
    PageCase("publicity:poster", own=lambda w: {"pk": w.community_a.pk}, foreign=lambda w: {"pk": w.community_x.pk},
             allowed=COMMUNITY_SCOPE),
    PageCase("publicity:item_new", own=lambda w: {"pk": w.community_a.pk},
             foreign=lambda w: {"pk": w.community_x.pk}, allowed=STAFF,
             query="?catalogue_key=finance.dues_funds&period=quarter:2026-01-01:2026-03-31"),
    PageCase("publicity:item_new", own=lambda w: {"pk": w.community_a.pk},
             foreign=lambda w: {"pk": w.community_x.pk}, allowed=STAFF, method="post", ok=frozenset({302}),
             data=lambda w: {"category": "affairs", "title": "停车收费标准公示", "body": "每月100元",
                             "visible_from": "2026-05-01"}),
    PageCase("publicity:item", own=lambda w: {"pk": _item(w).pk}, foreign=lambda w: {"pk": _item(w, own=False).pk},
             allowed=COMMUNITY_SCOPE),
    PageCase("publicity:item_edit", own=lambda w: {"pk": _item(w, ItemStatus.DRAFT).pk},
             foreign=lambda w: {"pk": _item(w, ItemStatus.DRAFT, own=False).pk}, allowed=STAFF),
    PageCase("publicity:item_attach", own=lambda w: {"pk": _item(w, ItemStatus.DRAFT).pk},
             foreign=lambda w: {"pk": _item(w, ItemStatus.DRAFT, own=False).pk}, allowed=STAFF, method="post",
             ok=frozenset({302})),
    PageCase("publicity:item_file", own=_with_file, foreign=lambda w: _with_file(w, own=False),
             allowed=COMMUNITY_SCOPE),
    PageCase("publicity:item_file_remove", own=lambda w: _with_file(w, status=ItemStatus.DRAFT),
             foreign=lambda w: _with_file(w, own=False, status=ItemStatus.DRAFT), allowed=STAFF, method="post",
             ok=frozenset({302})),
    PageCase("publicity:item_step", own=lambda w: {"pk": _item(w, ItemStatus.DRAFT).pk},
             foreign=lambda w: {"pk": _item(w, ItemStatus.DRAFT, own=False).pk}, allowed=STAFF, method="post",
             data=lambda w: {"action": "submit"}, ok=frozenset({302})),
    PageCase("publicity:item_step", own=lambda w: {"pk": _item(w, ItemStatus.PUBLISHED).pk},
             foreign=lambda w: {"pk": _item(w, ItemStatus.PUBLISHED, own=False).pk}, allowed=LEADERS,
             method="post", data=lambda w: {"action": "withdraw", "reason": "数字有误"}, ok=frozenset({302})),
    PageCase("publicity:approvals", allowed=COMMUNITY_SCOPE),
    PageCase("publicity:overdue", allowed=COMMUNITY_SCOPE, query="?org=999999"),
    PageCase("publicity:catalogue", own=lambda w: {"pk": w.community_a.pk},
             foreign=lambda w: {"pk": w.community_x.pk}, allowed=COMMUNITY_SCOPE),
    PageCase("publicity:catalogue", own=lambda w: {"pk": w.street_a.pk}, foreign=lambda w: {"pk": w.street_b.pk},
             allowed=frozenset({"street_admin"})),
    PageCase("publicity:catalogue", own=lambda w: {"pk": w.community_a.pk},
             foreign=lambda w: {"pk": w.community_x.pk}, allowed=LEADERS, method="post", ok=frozenset({302}),
             data=lambda w: {"action": "set", "key": "finance.dues_funds", "frequency": "quarter",
                             "due_days": "10", "active": "on"}),
    # News and notices.
    PageCase("publicity:news", allowed=DOMAIN_ROLES),
    PageCase("publicity:news_manage", allowed=STAFF),
    PageCase("publicity:post_new", allowed=STAFF),
    PageCase("publicity:post", own=lambda w: {"pk": _post(w).pk}, foreign=lambda w: {"pk": _post(w, False).pk},
             allowed=READERS),
    PageCase("publicity:post_edit", own=lambda w: {"pk": _post(w, status=PostStatus.DRAFT).pk},
             foreign=lambda w: {"pk": _post(w, False, PostStatus.DRAFT).pk}, allowed=STAFF),
    PageCase("publicity:post_photo_add", own=lambda w: {"pk": _post(w, status=PostStatus.DRAFT).pk},
             foreign=lambda w: {"pk": _post(w, False, PostStatus.DRAFT).pk}, allowed=STAFF, method="post",
             ok=frozenset({302})),
    PageCase("publicity:post_photo", own=_photo, foreign=lambda w: _photo(w, False), allowed=READERS),
    PageCase("publicity:post_step", own=lambda w: {"pk": _post(w, status=PostStatus.DRAFT).pk},
             foreign=lambda w: {"pk": _post(w, False, PostStatus.DRAFT).pk}, allowed=STAFF, method="post",
             data=lambda w: {"action": "publish"}, ok=frozenset({302})),
    PageCase("publicity:post_ack", own=lambda w: {"pk": _post(w).pk}, foreign=lambda w: {"pk": _post(w, False).pk},
             allowed=READERS, method="post", ok=frozenset({302})),
]


def _withdrawn(w, own=True):
    return {"item_id": _item(w, ItemStatus.WITHDRAWN, own=own, title="撤回测试").pk}


API_CASES = [
    ApiCase("get", "/api/publicity/boards", allowed=COMMUNITY_SCOPE),
    ApiCase("get", "/api/publicity/items", allowed=COMMUNITY_SCOPE),
    ApiCase("get", "/api/publicity/items/{item_id}", own=lambda w: {"item_id": _item(w).pk},
            foreign=lambda w: {"item_id": _item(w, own=False).pk}, allowed=COMMUNITY_SCOPE),
    ApiCase("post", "/api/publicity/items", allowed=STAFF, ok=frozenset({201}),
            data=lambda w: {"organization_id": w.community_a.pk, "category": "party", "title": "换届选举结果公示",
                            "body": "选举产生新一届委员会。", "visible_from": "2026-06-01"}),
    ApiCase("post", "/api/publicity/items/{item_id}/steps", own=_withdrawn, foreign=lambda w: _withdrawn(w, False),
            allowed=STAFF, data=lambda w: {"action": "correct"}),
    ApiCase("get", "/api/publicity/overdue", allowed=COMMUNITY_SCOPE),
    ApiCase("get", "/api/publicity/public/{code}/items", own=_code, public=True, allowed=EVERYONE),
    ApiCase("get", "/api/publicity/news", allowed=DOMAIN_ROLES),
    ApiCase("post", "/api/publicity/news/{post_id}/read", own=lambda w: {"post_id": _post(w).pk},
            foreign=lambda w: {"post_id": _post(w, False).pk}, allowed=READERS, ok=frozenset({200, 201})),
]
