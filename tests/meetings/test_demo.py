"""The demo's confirmed meetings carry the points confirming them would have posted."""

import pytest

from gongzhi.meetings.models import Attendance, AttendanceStatus, MeetingStatus
from gongzhi.meetings.services import attendance_key
from gongzhi.points.models import PointEntry, RuleCode

pytestmark = pytest.mark.django_db


def test_demo_attendance_posts_points_under_the_services_keys(module_demo, db):
    confirmed = Attendance.objects.filter(meeting__status=MeetingStatus.CONFIRMED).select_related("meeting", "member")
    present = confirmed.filter(status=AttendanceStatus.PRESENT)
    entries = PointEntry.objects.filter(source_type="meetings.meeting")
    assert present.exists()
    assert entries.filter(code=RuleCode.MEETING_ATTENDANCE).count() == present.count()
    assert entries.filter(code=RuleCode.MEETING_ABSENCE).count() == confirmed.filter(
        status=AttendanceStatus.ABSENT).count()
    sample = present.first()
    assert entries.filter(idempotency_key=attendance_key(sample.meeting, sample.member)).exists()
    on_leave = confirmed.filter(status=AttendanceStatus.LEAVE)[:50]
    assert on_leave
    assert not entries.filter(idempotency_key__in=[attendance_key(a.meeting, a.member) for a in on_leave]).exists()
