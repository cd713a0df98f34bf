"""Access cases for every voice URL (tests/test_access_matrix.py).

The own request is in community A, grid A (so routed to branch A), submitted by resident 孙丽;
the foreign one in community X."""

from gongzhi.voice.models import Request
from tests.access import COMMUNITY_SCOPE, EVERYONE, STAFF, ApiCase, PageCase

from .factories import request_in, wish_in

HANDLERS = STAFF | {"branch_secretary_a"}
READERS = COMMUNITY_SCOPE | {"branch_secretary_a", "resident"}
QUEUE = COMMUNITY_SCOPE | {"branch_secretary_a", "branch_secretary_b", "unit_admin"}


def own_request(w):
    req = Request.objects.filter(community=w.community_a).first() or request_in(w, resident=w.resident_a)
    return {"pk": req.pk}


def foreign_request(w):
    req = Request.objects.filter(community=w.community_x).first() or request_in(w, w.community_x, grid="x")
    return {"pk": req.pk}


def _wish(w, community, status):
    from gongzhi.voice.models import Wish

    found = Wish.objects.filter(community=community, status=status).first()
    resident = w.resident_a if community == w.community_a else w.resident_x
    return {"pk": (found or wish_in(w, community, status=status, resident=resident)).pk}


WISH_READERS = COMMUNITY_SCOPE | {"member", "resident"}


def new_data(w):
    return {"category": "safety", "text": "消防通道被占用", "contact_phone": "13900002222"}


PAGE_CASES = [
    PageCase("voice:public_new", own=lambda w: {"code": w.community_a.code}, public=True, allowed=EVERYONE),
    PageCase("voice:public_new", own=lambda w: {"code": w.community_a.code}, public=True, allowed=EVERYONE,
             method="post", data=new_data),
    PageCase("voice:public_figures", own=lambda w: {"code": w.community_a.code}, public=True, allowed=EVERYONE),
    PageCase("voice:figures", allowed=QUEUE),
    PageCase("voice:figures", allowed=QUEUE, query="?by=handler"),
    PageCase("voice:track", public=True, allowed=EVERYONE),
    PageCase("voice:track", public=True, allowed=EVERYONE,
             query="?number=nonexistent"),
    PageCase("voice:rate", public=True, allowed=EVERYONE, method="post", ok=frozenset({404})),
    PageCase("voice:resident_new", allowed={"resident"}),
    PageCase("voice:resident_new", allowed={"resident"}, method="post", data=new_data),
    PageCase("voice:entry", allowed=STAFF),
    PageCase("voice:qr", own=lambda w: {"pk": w.community_a.pk}, foreign=lambda w: {"pk": w.community_x.pk},
             allowed=STAFF),
    PageCase("voice:queue", allowed=QUEUE),
    PageCase("voice:queue", allowed=QUEUE, query="?status=received&category=safety&overdue=1"),
    PageCase("voice:export", allowed=QUEUE),
    PageCase("voice:detail", own=own_request, foreign=foreign_request, allowed=READERS),
    PageCase("voice:accept", own=own_request, foreign=foreign_request, allowed=HANDLERS, method="post",
             ok=frozenset({302})),
    PageCase("voice:reply", own=own_request, foreign=foreign_request, allowed=HANDLERS, method="post",
             data=lambda w: {"note": "已联系物业"}, ok=frozenset({302})),
    PageCase("voice:resolve", own=own_request, foreign=foreign_request, allowed=HANDLERS, method="post",
             data=lambda w: {"note": "已修好"}, ok=frozenset({302})),
    PageCase("voice:transfer", own=own_request, foreign=foreign_request, allowed=HANDLERS, method="post",
             data=lambda w: {"to": w.branch_a.pk, "reason": "属第一网格"}, ok=frozenset({302})),
    PageCase("voice:wishes", allowed=WISH_READERS),
    PageCase("voice:wish_new", allowed=STAFF, method="post", ok=frozenset({302}),
             data=lambda w: {"community": w.community_a.pk, "text": "需要轮椅", "resident": w.resident_a.pk}),
    PageCase("voice:wish_claim", own=lambda w: _wish(w, w.community_a, "open"),
             foreign=lambda w: _wish(w, w.community_x, "open"), allowed={"member"}, method="post",
             ok=frozenset({302})),
    PageCase("voice:wish_fulfil", own=lambda w: _wish(w, w.community_a, "claimed"),
             foreign=lambda w: _wish(w, w.community_x, "claimed"), allowed={"member"}, method="post",
             ok=frozenset({400})),
    PageCase("voice:wish_confirm", own=lambda w: _wish(w, w.community_a, "fulfilled"),
             foreign=lambda w: _wish(w, w.community_x, "fulfilled"), allowed=STAFF | {"resident"}, method="post",
             ok=frozenset({302})),
    PageCase("voice:wish_photo", own=lambda w: _wish(w, w.community_a, "fulfilled"),
             foreign=lambda w: _wish(w, w.community_x, "fulfilled"), allowed=WISH_READERS),
]

API_CASES = [
    ApiCase("get", "/api/voice/requests", allowed=QUEUE),
    ApiCase("get", "/api/voice/requests/{request_id}", own=lambda w: {"request_id": own_request(w)["pk"]},
            foreign=lambda w: {"request_id": foreign_request(w)["pk"]}, allowed=READERS),
]



def _consultation(w, own=True, status="open"):
    from datetime import timedelta

    from django.utils import timezone

    from gongzhi.voice.models import Consultation, ConsultationOption

    community = w.community_a if own else w.community_x
    found = Consultation.objects.filter(community=community, title=f"停车问题-{status}").first()
    if found is None:
        today = timezone.localdate()
        found = Consultation.objects.create(community=community, title=f"停车问题-{status}", description="老旧小区停车",
                                            opens_on=today - timedelta(days=1), closes_on=today + timedelta(days=7),
                                            status=status)
        ConsultationOption.objects.create(consultation=found, text="划线停车", position=0)
    return {"pk": found.pk}


CONSULT_READERS = STAFF | {"supervisor", "resident"}
PAGE_CASES += [
    PageCase("voice:rules", own=lambda w: {"pk": w.community_a.pk}, foreign=lambda w: {"pk": w.community_x.pk},
             allowed=STAFF),
    PageCase("voice:rules", own=lambda w: {"pk": w.community_a.pk}, foreign=lambda w: {"pk": w.community_x.pk},
             allowed=STAFF, method="post", ok=frozenset({302}),
             data=lambda w: {"action": "deadline", "category": "safety", "first_answer_hours": "4",
                             "resolution_days": "2"}),
    PageCase("voice:consultations", allowed=CONSULT_READERS),
    PageCase("voice:consultations", allowed=CONSULT_READERS, query="?status=open&page=3"),
    PageCase("voice:consultation_new", allowed=STAFF),
    PageCase("voice:consultation", own=_consultation, foreign=lambda w: _consultation(w, False),
             allowed=CONSULT_READERS),
    PageCase("voice:consultation_edit", own=lambda w: _consultation(w, status="draft"),
             foreign=lambda w: _consultation(w, False, "draft"), allowed=STAFF),
    PageCase("voice:consultation_step", own=_consultation, foreign=lambda w: _consultation(w, False),
             allowed=STAFF, method="post", data=lambda w: {"action": "close"}, ok=frozenset({302})),
    PageCase("voice:consultation_opinion", own=_consultation, foreign=lambda w: _consultation(w, False),
             allowed=frozenset({"resident"}), method="post", data=lambda w: {"text": "建议划线"},
             ok=frozenset({302})),
]
