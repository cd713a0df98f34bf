"""Access cases for every meetings URL and API operation (tests/test_access_matrix.py).

The objects are made on demand from the world: a theme party day of branch A held
yesterday (and one of the foreign branch X), and an appraisal of each."""

from datetime import timedelta

from django.utils import timezone

from gongzhi.meetings.models import Appraisal, Meeting, MeetingAttachment
from tests.access import ALL_LOGGED_IN, COMMUNITY_SCOPE, DOMAIN_ROLES, STAFF, SUBTREE, ApiCase, PageCase

from .factories import planned_meeting

USERS = DOMAIN_ROLES - {"resident"}
MEETING_READERS = COMMUNITY_SCOPE | {"branch_secretary_a", "member"}
RECORDERS = STAFF | {"branch_secretary_a"}
CONFIRMERS = {"community_secretary", "branch_secretary_a"}


def _meeting(w, branch, persona):
    found = Meeting.objects.filter(organization=branch).first()
    if found:
        return found
    return planned_meeting(branch, by=w.users.get(persona), day=timezone.localdate() - timedelta(days=1))


def own_meeting(w):
    return {"pk": _meeting(w, w.branch_a, "branch_secretary_a").pk}


def foreign_meeting(w):
    return {"pk": _meeting(w, w.branch_x, "foreign_secretary").pk}


def _attachment(w, branch, persona):
    from django.core.files.base import ContentFile

    meeting = _meeting(w, branch, persona)
    item = MeetingAttachment.objects.filter(meeting=meeting).first()
    if item is None:
        item = MeetingAttachment(meeting=meeting, original_name="a.pdf", content_type="application/pdf", size=9)
        item.file.save("a.pdf", ContentFile(b"%PDF-1.4\n"), save=False)
        item.save()
    return {"pk": meeting.pk, "attachment_pk": item.pk}


def _appraisal(w, branch):
    from gongzhi.meetings.models import Participant

    found = Appraisal.objects.filter(branch=branch).first()
    if found:
        return found
    appraisal = Appraisal.objects.create(branch=branch, year=timezone.localdate().year)
    member = w.member_a if branch == w.branch_a else w.member_x
    Participant.objects.create(appraisal=appraisal, member=member)
    return appraisal


def own_appraisal(w):
    return {"pk": _appraisal(w, w.branch_a).pk}


def foreign_appraisal(w):
    return {"pk": _appraisal(w, w.branch_x).pk}


def attendance_data(w):
    return {"member": w.member_a.pk, "status": "present"}


PAGE_CASES = [
    PageCase("meetings:calendar", allowed=USERS),
    PageCase("meetings:plan", allowed=SUBTREE - {"supervisor", "unit_admin"}),
    PageCase("meetings:detail", own=own_meeting, foreign=foreign_meeting, allowed=MEETING_READERS),
    PageCase("meetings:attendance", own=own_meeting, foreign=foreign_meeting, allowed=RECORDERS, method="post",
             data=attendance_data, ok=frozenset({302})),
    PageCase("meetings:minutes", own=own_meeting, foreign=foreign_meeting, allowed=RECORDERS, method="post",
             data=lambda w: {"minutes": "会议记录", "resolutions": ""}, ok=frozenset({302})),
    PageCase("meetings:attach", own=own_meeting, foreign=foreign_meeting, allowed=RECORDERS, method="post",
             ok=frozenset({400})),
    PageCase("meetings:attachment", own=lambda w: _attachment(w, w.branch_a, "branch_secretary_a"),
             foreign=lambda w: _attachment(w, w.branch_x, "foreign_secretary"), allowed=MEETING_READERS),
    PageCase("meetings:confirm", own=own_meeting, foreign=foreign_meeting, allowed=CONFIRMERS, method="post",
             ok=frozenset({302})),
    PageCase("meetings:amend", own=own_meeting, foreign=foreign_meeting, allowed=RECORDERS, method="post",
             data=lambda w: {"field": "minutes", "new_value": "x", "reason": "更正"}, ok=frozenset({302})),
    PageCase("meetings:compliance", allowed=COMMUNITY_SCOPE),
    PageCase("meetings:compliance", query="?kind=general&year=2025", allowed=COMMUNITY_SCOPE),
    PageCase("meetings:requirements", allowed={"street_admin"}),
    PageCase("meetings:stats", own=lambda w: {"pk": w.branch_a.pk}, foreign=lambda w: {"pk": w.branch_x.pk},
             allowed=COMMUNITY_SCOPE | {"branch_secretary_a"}),
    PageCase("meetings:appraisals", allowed=USERS),
    PageCase("meetings:appraisal_open", method="post", allowed=CONFIRMERS | {"branch_secretary_b"},
             data=lambda w: {"branch": w.branch_a.pk, "year": 2019}, ok=frozenset({302})),
    PageCase("meetings:appraisal", own=own_appraisal, foreign=foreign_appraisal, allowed=MEETING_READERS),
    PageCase("meetings:appraisal_self", own=own_appraisal, foreign=foreign_appraisal, allowed={"member"},
             method="post", data=lambda w: {"text": "一年来认真学习，积极参加组织生活。"}, ok=frozenset({302})),
    PageCase("meetings:appraisal_vote", own=own_appraisal, foreign=foreign_appraisal, allowed={"member"},
             method="post", ok=frozenset({302})),
    PageCase("meetings:appraisal_close", own=own_appraisal, foreign=foreign_appraisal, allowed=CONFIRMERS,
             method="post", ok=frozenset({302})),
    PageCase("meetings:appraisal_propose", own=own_appraisal, foreign=foreign_appraisal, allowed=CONFIRMERS,
             method="post", ok=frozenset({302})),
    PageCase("meetings:appraisal_confirm", own=own_appraisal, foreign=foreign_appraisal, allowed=CONFIRMERS,
             method="post", ok=frozenset({302})),
    PageCase("meetings:distribution", own=lambda w: {"pk": w.community_a.pk},
             foreign=lambda w: {"pk": w.community_x.pk}, allowed=COMMUNITY_SCOPE),
]

API_CASES = [
    ApiCase("get", "/api/meetings/", allowed=ALL_LOGGED_IN),
    ApiCase("get", "/api/meetings/{meeting_id}", own=lambda w: {"meeting_id": own_meeting(w)["pk"]},
            foreign=lambda w: {"meeting_id": foreign_meeting(w)["pk"]}, allowed=MEETING_READERS),
    ApiCase("get", "/api/meetings/{meeting_id}/attendance", own=lambda w: {"meeting_id": own_meeting(w)["pk"]},
            foreign=lambda w: {"meeting_id": foreign_meeting(w)["pk"]}, allowed=MEETING_READERS),
    ApiCase("post", "/api/meetings/{meeting_id}/attendance", own=lambda w: {"meeting_id": own_meeting(w)["pk"]},
            foreign=lambda w: {"meeting_id": foreign_meeting(w)["pk"]}, allowed=RECORDERS,
            data=lambda w: {"member_id": w.member_a.pk, "status": "present"}),
    ApiCase("get", "/api/meetings/compliance/{org_id}", own=lambda w: {"org_id": w.community_a.pk},
            foreign=lambda w: {"org_id": w.community_x.pk}, allowed=COMMUNITY_SCOPE),
    ApiCase("get", "/api/meetings/appraisals/{appraisal_id}/results",
            own=lambda w: {"appraisal_id": own_appraisal(w)["pk"]},
            foreign=lambda w: {"appraisal_id": foreign_appraisal(w)["pk"]}, allowed=MEETING_READERS),
]
