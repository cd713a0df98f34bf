"""Planning, recording, locking, amendments, attachments, points from attendance, bad input."""

import io
from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from gongzhi.core.models import Notification
from gongzhi.meetings import services
from gongzhi.meetings.models import (
    Attendance,
    CommitteeMembership,
    Meeting,
    MeetingAttachment,
    MeetingKind,
    MeetingStatus,
)
from gongzhi.meetings.uploads import MAX_ATTACHMENT_BYTES
from gongzhi.points.models import PointEntry
from gongzhi.points.services import balance

from .factories import planned_meeting, post


@pytest.fixture
def world(world_copy):
    return world_copy


pytestmark = pytest.mark.django_db


def png_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "red").save(buffer, "PNG")
    return buffer.getvalue()


def record_all(meeting, by, status="present"):
    for a in meeting.attendances.all():
        services.record_attendance(meeting=meeting, member_id=a.member_id, status=status, by=by)
    services.record_minutes(meeting=meeting, minutes="会议学习了党章。", resolutions="", by=by)


def test_planning_derives_the_roll_from_the_branch_and_its_reported_members_and_notifies(world, meeting_a):
    roll = set(meeting_a.attendances.values_list("member_id", flat=True))
    assert roll == {world.member_a.pk, world.member_reported.pk}
    note = Notification.objects.get(user=world.users["member"])
    assert note.url == reverse("meetings:detail", kwargs={"pk": meeting_a.pk})
    services.notify_attendees(meeting=meeting_a, attendees=[world.member_a])
    assert Notification.objects.filter(user=world.users["member"]).count() == 1


def test_a_committee_meeting_invites_only_the_committee(world):
    secretary = world.users["branch_secretary_a"]
    with pytest.raises(ValidationError, match="committee"):
        planned_meeting(world.branch_a, by=secretary, kind=MeetingKind.COMMITTEE, day=timezone.localdate())
    CommitteeMembership.objects.create(branch=world.branch_a, member=world.member_a, starts_on=date(2020, 1, 1))
    meeting = planned_meeting(world.branch_a, by=secretary, kind=MeetingKind.COMMITTEE, day=timezone.localdate())
    assert list(meeting.attendances.values_list("member_id", flat=True)) == [world.member_a.pk]


def test_a_meeting_in_the_future_cannot_be_recorded(world):
    secretary = world.users["branch_secretary_a"]
    meeting = planned_meeting(world.branch_a, by=secretary, day=timezone.localdate() + timedelta(days=3))
    with pytest.raises(ValidationError, match="before it takes place"):
        services.record_attendance(meeting=meeting, member_id=world.member_a.pk, status="present", by=secretary)
    with pytest.raises(ValidationError, match="before it takes place"):
        services.record_minutes(meeting=meeting, minutes="x", resolutions="", by=secretary)
    assert not Attendance.objects.filter(meeting=meeting).exclude(status="expected").exists()
    assert Meeting.objects.get(pk=meeting.pk).status == MeetingStatus.PLANNED


def test_attendance_for_someone_not_in_the_branch_is_refused_and_nothing_is_written(world, meeting_a, client_for):
    client = client_for("branch_secretary_a")
    response = post(client, reverse("meetings:attendance", kwargs={"pk": meeting_a.pk}),
                           {"member": world.member_b.pk, "status": "present"}, follow=True)
    assert "不是" in response.content.decode() or "not a member" in response.content.decode()
    assert not Attendance.objects.filter(meeting=meeting_a, member=world.member_b).exists()
    assert Meeting.objects.get(pk=meeting_a.pk).status == MeetingStatus.PLANNED


def test_leave_needs_a_reason(world, meeting_a):
    with pytest.raises(ValidationError):
        services.record_attendance(meeting=meeting_a, member_id=world.member_a.pk, status="leave",
                                   by=world.users["branch_secretary_a"])


def test_confirming_locks_the_record_and_later_changes_are_amendments_keeping_the_original(world, meeting_a,
                                                                                         point_rules):
    secretary = world.users["branch_secretary_a"]
    record_all(meeting_a, secretary)
    services.confirm_meeting(meeting=meeting_a, by=secretary)
    meeting = Meeting.objects.get(pk=meeting_a.pk)
    assert meeting.is_locked
    with pytest.raises(ValidationError, match="locked"):
        services.record_minutes(meeting=meeting, minutes="改写", resolutions="", by=secretary)
    with pytest.raises(ValidationError, match="locked"):
        services.record_attendance(meeting=meeting, member_id=world.member_a.pk, status="absent", by=secretary)
    services.amend_meeting(meeting=meeting, field="minutes", new_value="会议学习了党章和准则。", reason="补充",
                           by=secretary)
    meeting.refresh_from_db()
    assert meeting.minutes == "会议学习了党章。"
    assert services.current_text(meeting, "minutes") == "会议学习了党章和准则。"
    with pytest.raises(ValidationError, match="reason"):
        services.amend_meeting(meeting=meeting, field="minutes", new_value="再改", reason=" ", by=secretary)


def test_confirming_needs_every_member_recorded_and_minutes(world, meeting_a):
    secretary = world.users["branch_secretary_a"]
    services.record_attendance(meeting=meeting_a, member_id=world.member_a.pk, status="present", by=secretary)
    with pytest.raises(ValidationError, match="every member"):
        services.confirm_meeting(meeting=meeting_a, by=secretary)
    assert not Meeting.objects.get(pk=meeting_a.pk).is_locked


def test_attendance_posts_points_once_and_an_unexcused_absence_deducts(world, meeting_a, point_rules):
    secretary = world.users["branch_secretary_a"]
    services.record_attendance(meeting=meeting_a, member_id=world.member_a.pk, status="present", by=secretary)
    services.record_attendance(meeting=meeting_a, member_id=world.member_reported.pk, status="absent", by=secretary)
    services.record_minutes(meeting=meeting_a, minutes="记录", resolutions="", by=secretary)
    services.confirm_meeting(meeting=meeting_a, by=secretary)
    services.confirm_meeting(meeting=meeting_a, by=secretary)
    entries = PointEntry.objects.filter(source_id=str(meeting_a.pk))
    assert entries.count() == 2
    assert entries.get(member=world.member_a).idempotency_key == f"meeting:{meeting_a.pk}:member:{world.member_a.pk}"
    assert balance(world.member_a) == 2 and balance(world.member_reported) == -1
    assert entries.get(member=world.member_a).organization == world.branch_a
    # An amendment turning the absence into leave reverses the deduction.
    services.amend_meeting(meeting=meeting_a, field="attendance", member_id=world.member_reported.pk,
                           status="leave", leave_reason="出差", reason="补交请假条", by=secretary)
    assert balance(world.member_reported) == 0
    assert Attendance.objects.get(meeting=meeting_a, member=world.member_reported).status == "leave"


def test_attachments_are_checked_by_content_and_size(world, meeting_a, client_for):
    secretary = world.users["branch_secretary_a"]
    services.add_attachment(meeting=meeting_a, upload=SimpleUploadedFile("会场.png", png_bytes()), by=secretary)
    services.add_attachment(meeting=meeting_a, upload=SimpleUploadedFile("纪要.pdf", b"%PDF-1.7\n..."), by=secretary)
    with pytest.raises(ValidationError, match="PDF"):
        services.add_attachment(meeting=meeting_a, upload=SimpleUploadedFile("photo.jpg", b"MZ\x90\x00 not an image"),
                                by=secretary)
    big = SimpleUploadedFile("big.pdf", b"%PDF-" + b"0" * MAX_ATTACHMENT_BYTES)
    client = client_for("branch_secretary_a")
    response = post(client, reverse("meetings:attach", kwargs={"pk": meeting_a.pk}), {"file": big})
    assert response.status_code == 400
    assert "10 MB" in response.content.decode()
    assert list(MeetingAttachment.objects.values_list("content_type", flat=True)) == ["image/png", "application/pdf"]
    item = MeetingAttachment.objects.first()
    download = client_for("member").get(reverse("meetings:attachment", kwargs={"pk": meeting_a.pk,
                                                                         "attachment_pk": item.pk}))
    assert download.status_code == 200 and b"".join(download.streaming_content) == png_bytes()


def test_a_branch_secretary_records_attendance_with_htmx_on_the_record_page(world, meeting_a, client_for):
    client = client_for("branch_secretary_a")
    url = reverse("meetings:attendance", kwargs={"pk": meeting_a.pk})
    response = post(client, url, {"member": world.member_a.pk, "status": "leave", "leave_reason": ""},
                           HTTP_HX_REQUEST="true")
    assert response.status_code == 400 and "请假" in response.content.decode()
    response = post(client, url, {"member": world.member_a.pk, "status": "present"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and 'data-status="present"' in response.content.decode()


def test_a_member_cannot_record_or_confirm(world, meeting_a, client_for):
    client = client_for("member")
    assert post(client, reverse("meetings:attendance", kwargs={"pk": meeting_a.pk}),
                       {"member": world.member_a.pk, "status": "present"}).status_code == 404
    assert post(client, reverse("meetings:confirm", kwargs={"pk": meeting_a.pk})).status_code == 404
    assert client.get(reverse("meetings:detail", kwargs={"pk": meeting_a.pk})).status_code == 200


def test_plan_page_creates_a_meeting(world, client_for):
    client = client_for("branch_secretary_a")
    response = post(client, reverse("meetings:plan"), {
        "organization": world.branch_a.pk, "kind": "lesson", "topic": "专题党课",
        "date": f"{timezone.localdate():%Y-%m-%d}", "start_time": "19:00", "place": "党群服务站"})
    meeting = Meeting.objects.get(topic="专题党课")
    assert response.status_code == 302 and meeting.attendances.count() == 2
    response = post(client, reverse("meetings:plan"), {
        "organization": world.branch_x.pk, "kind": "lesson", "topic": "越权", "date": "2025-01-01",
        "start_time": "19:00", "place": "x"})
    assert response.status_code == 200 and not Meeting.objects.filter(topic="越权").exists()


def test_a_reason_for_leave_is_shown_to_the_secretary_and_masked_for_other_members(world, meeting_a, client_for):
    from gongzhi.meetings.models import Attendance
    from tests.factories import MemberFactory

    colleague = MemberFactory(home_org=world.branch_a, community=world.community_a)
    Attendance.objects.create(meeting=meeting_a, member=colleague)
    services.record_attendance(meeting=meeting_a, member_id=colleague.pk, status="leave",
                               leave_reason="住院做手术", by=world.users["branch_secretary_a"])
    secretary_view = client_for("branch_secretary_a").get(f"/meetings/{meeting_a.pk}/").content.decode()
    assert "住院做手术" in secretary_view
    member_view = client_for("member").get(f"/meetings/{meeting_a.pk}/")
    assert member_view.status_code == 200
    body = member_view.content.decode()
    assert "住院做手术" not in body and "****" in body
    from gongzhi.core.personal import lookup

    assert lookup("meetings.attendance", "leave_reason").category == "sensitive"
