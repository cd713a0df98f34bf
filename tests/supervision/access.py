"""Access cases for supervision (tests/test_access_matrix.py).

The committee (persona *supervisor*, at community A) records checks and verifies rectifications; the
organization checked (its staff, secretary, the street) reports progress. A complaint is found only by
those who handle it — the committee and the leaders strictly above the organization concerned — and
never by the person it names: one names the community secretary, one the branch A secretary (so the
community secretary, the level above, handles it), one the supervisor (so only the street does)."""

from gongzhi.supervision.models import Complaint, Rectification, RectificationStatus
from gongzhi.supervision.services import digest_of
from tests.access import EVERYONE, ApiCase, PageCase

from . import factories

COMMITTEE = frozenset({"supervisor"})
READERS = frozenset({"street_admin", "community_secretary", "community_staff", "supervisor"})
SUPERVISION_USERS = READERS | {"branch_secretary_a", "branch_secretary_b"}
REPORTERS = frozenset({"street_admin", "community_secretary", "community_staff"})
HANDLERS = frozenset({"supervisor", "street_admin", "community_secretary"})
NAMING_SECRETARY = frozenset({"supervisor", "street_admin"})
NAMING_SUPERVISOR = frozenset({"street_admin"})
AUDIT = frozenset({"supervisor", "auditor"})
SUMMARY = frozenset({"supervisor", "street_admin"})


def _item(w, own=True):
    from gongzhi.supervision.models import SupervisionItem

    organization = w.community_a if own else w.community_x
    found = SupervisionItem.objects.filter(organization=organization).first()
    return {"pk": (found or factories.check(w, organization=organization)).pk}


def _rect(w, own=True, status=RectificationStatus.OPEN):
    organization = w.community_a if own else w.community_x
    found = Rectification.objects.filter(organization=organization, status=status).first()
    if found is None:
        found = factories.rectification(w, organization=organization)
        if status == RectificationStatus.REPORTED:
            from gongzhi.supervision import services

            services.report_progress(rectification=found, note="已整改", done=True, by=found.owner)
            found.refresh_from_db()
    return {"pk": found.pk}


def _evidence(w, own=True):
    from gongzhi.supervision import services
    from gongzhi.supervision.models import Evidence
    from tests.publicity.factories import png

    organization = w.community_a if own else w.community_x
    found = Evidence.objects.filter(rectification__organization=organization).first()
    if found is None:
        rect = Rectification.objects.get(pk=_rect(w, own)["pk"])
        services.report_progress(rectification=rect, note="发票照片", files=[png()], done=False, by=rect.owner)
        found = Evidence.objects.get(rectification=rect)
    return {"pk": found.rectification_id, "file_pk": found.pk}


def _complaint(w, subject="community_secretary", own=True, organization=None, anonymous=True):
    community = w.community_a if own else w.community_x
    if not own:
        subject = "foreign_secretary"
    organization = organization or community
    found = Complaint.objects.filter(community=community, organization=organization,
                                     subject_user=w.users[subject], anonymous=anonymous).first()
    return {"pk": (found or factories.complaint(w, community=community, organization=organization, subject=subject,
                                                anonymous=anonymous, phone="" if anonymous else "13900001234")).pk}


def _about_branch(w):
    return _complaint(w, subject="branch_secretary_a", organization=w.branch_a)


def _receipt_data(w):
    complaint = Complaint.objects.get(pk=_complaint(w)["pk"])
    Complaint.objects.filter(pk=complaint.pk).update(receipt_digest=digest_of("TEST-RECEIPT-0001"))
    return {"receipt": "test-receipt-0001"}


PAGE_CASES = [
    PageCase("supervision:complain", own=lambda w: {"code": w.community_a.code}, public=True, allowed=EVERYONE),
    PageCase("supervision:complain", own=lambda w: {"code": w.community_a.code}, public=True, allowed=EVERYONE,
             method="post", ok=frozenset({200, 429}),
             data=lambda w: {"kind": "complaint", "concerning": f"org:{w.community_a.pk}",
                             "text": "楼道堆物多次反映无人处理。", "anonymous": "on"}),
    PageCase("supervision:track", public=True, allowed=EVERYONE),
    PageCase("supervision:track", public=True, allowed=EVERYONE, method="post", data=_receipt_data,
             ok=frozenset({200, 429})),
    PageCase("supervision:index", allowed=SUPERVISION_USERS),
    PageCase("supervision:items", allowed=SUPERVISION_USERS),
    PageCase("supervision:item_new", allowed=COMMITTEE),
    PageCase("supervision:item_new", allowed=COMMITTEE, method="post", ok=frozenset({302}),
             data=lambda w: {"organization": w.community_a.pk, "area": "finance", "title": "检查党费",
                             "finding": "账目清楚", "conclusion": "in_order", "checked_on": "2026-01-05"}),
    PageCase("supervision:item", own=_item, foreign=lambda w: _item(w, False), allowed=READERS),
    PageCase("supervision:item_rectify", own=_item, foreign=lambda w: _item(w, False), allowed=COMMITTEE,
             method="post", ok=frozenset({302})),
    PageCase("supervision:rectifications", allowed=SUPERVISION_USERS, query="?status=open&overdue=1"),
    PageCase("supervision:rectification", own=_rect, foreign=lambda w: _rect(w, False), allowed=READERS),
    PageCase("supervision:rectification_report", own=_rect, foreign=lambda w: _rect(w, False), allowed=REPORTERS,
             method="post", data=lambda w: {"note": "已联系供货商补开发票"}, ok=frozenset({302})),
    PageCase("supervision:rectification_verify", own=lambda w: _rect(w, status=RectificationStatus.REPORTED),
             foreign=lambda w: _rect(w, False, RectificationStatus.REPORTED), allowed=COMMITTEE, method="post",
             data=lambda w: {"decision": "close"}, ok=frozenset({302})),
    PageCase("supervision:evidence", own=_evidence, foreign=lambda w: _evidence(w, False), allowed=READERS),
    PageCase("supervision:complaints", allowed=HANDLERS),
    PageCase("supervision:complaints_export", allowed=HANDLERS),
    # A complaint naming the community secretary: never visible to him or her.
    PageCase("supervision:complaint", own=_complaint, foreign=lambda w: _complaint(w, own=False),
             allowed=NAMING_SECRETARY),
    # One about branch A's secretary: the community secretary, the level above, handles it too.
    PageCase("supervision:complaint", own=_about_branch, allowed=HANDLERS),
    # One naming the supervisor: only the street handles it.
    PageCase("supervision:complaint", own=lambda w: _complaint(w, "supervisor"), allowed=NAMING_SUPERVISOR),
    PageCase("supervision:complaint_step", own=_complaint, foreign=lambda w: _complaint(w, own=False),
             allowed=NAMING_SECRETARY, method="post", data=lambda w: {"action": "note", "note": "已调取采购记录"},
             ok=frozenset({302})),
    PageCase("supervision:complaint_reveal", own=_complaint, foreign=lambda w: _complaint(w, own=False),
             allowed=NAMING_SECRETARY, method="post", ok=frozenset({409})),
    PageCase("supervision:complaint_reveal", own=lambda w: _complaint(w, anonymous=False),
             allowed=NAMING_SECRETARY, method="post"),
    PageCase("supervision:audit", allowed=AUDIT, query="?action=supervision&start=2026-01-01&end=2026-12-31"),
    PageCase("supervision:audit_export", allowed=AUDIT, query="?action=accounts&start=2026-01-01"),
    PageCase("supervision:summary", allowed=SUMMARY, query="?year=2026"),
]

API_CASES = [
    ApiCase("get", "/api/supervision/items", allowed=SUPERVISION_USERS),
    ApiCase("post", "/api/supervision/items", allowed=COMMITTEE, ok=frozenset({201}),
            data=lambda w: {"organization_id": w.community_a.pk, "area": "publicity", "title": "检查公开栏",
                            "finding": "按时公开", "conclusion": "in_order", "checked_on": "2026-02-01"}),
    ApiCase("get", "/api/supervision/items/{item_id}", own=lambda w: {"item_id": _item(w)["pk"]},
            foreign=lambda w: {"item_id": _item(w, False)["pk"]}, allowed=READERS),
    ApiCase("get", "/api/supervision/rectifications", allowed=SUPERVISION_USERS),
    ApiCase("get", "/api/supervision/rectifications/{rectification_id}",
            own=lambda w: {"rectification_id": _rect(w)["pk"]},
            foreign=lambda w: {"rectification_id": _rect(w, False)["pk"]}, allowed=READERS),
    ApiCase("post", "/api/supervision/rectifications/{rectification_id}/progress",
            own=lambda w: {"rectification_id": _rect(w)["pk"]},
            foreign=lambda w: {"rectification_id": _rect(w, False)["pk"]}, allowed=REPORTERS,
            data=lambda w: {"note": "正在补开发票"}),
    ApiCase("post", "/api/supervision/rectifications/{rectification_id}/verify",
            own=lambda w: {"rectification_id": _rect(w, status=RectificationStatus.REPORTED)["pk"]},
            foreign=lambda w: {"rectification_id": _rect(w, False, RectificationStatus.REPORTED)["pk"]},
            allowed=COMMITTEE, data=lambda w: {"accept": True}),
    ApiCase("get", "/api/supervision/complaints", allowed=HANDLERS),
    ApiCase("get", "/api/supervision/complaints/{complaint_id}", own=lambda w: {"complaint_id": _complaint(w)["pk"]},
            foreign=lambda w: {"complaint_id": _complaint(w, own=False)["pk"]}, allowed=NAMING_SECRETARY),
    ApiCase("get", "/api/supervision/complaints/{complaint_id}",
            own=lambda w: {"complaint_id": _complaint(w, "supervisor")["pk"]}, allowed=NAMING_SUPERVISOR),
    ApiCase("post", "/api/supervision/complaints/{complaint_id}/steps",
            own=lambda w: {"complaint_id": _complaint(w)["pk"]},
            foreign=lambda w: {"complaint_id": _complaint(w, own=False)["pk"]}, allowed=NAMING_SECRETARY,
            data=lambda w: {"action": "note", "text": "已联系供货商"}),
    ApiCase("post", "/api/supervision/complaints/{complaint_id}/reveal",
            own=lambda w: {"complaint_id": _complaint(w)["pk"]},
            foreign=lambda w: {"complaint_id": _complaint(w, own=False)["pk"]}, allowed=NAMING_SECRETARY,
            ok=frozenset({409})),
    ApiCase("get", "/api/supervision/audit", allowed=AUDIT),
    ApiCase("get", "/api/supervision/summary", allowed=SUMMARY, data=lambda w: {"organization_id": w.community_a.pk}),
]
