"""Reminders (idempotent, pluggable senders), attendance statistics, bounded queries."""

from datetime import date, timedelta

import pytest
from django.core.management import call_command
from django.urls import reverse

from gongzhi.core.models import Notification
from gongzhi.meetings import selectors, services
from gongzhi.meetings.models import Attendance, MeetingKind
from gongzhi.meetings.tasks import send_meeting_reminders
from gongzhi.orgs.models import OrgKind
from tests.factories import OrganizationFactory

from .factories import held_meeting, planned_meeting


@pytest.fixture
def world(world_copy):
    return world_copy


pytestmark = pytest.mark.django_db

SENT = []


class RecordingSender:
    def send(self, notification):
        SENT.append(notification.key)


def test_reminders_before_the_deadline_and_when_overdue_are_created_once(world, settings):
    settings.GONGZHI_REMINDER_SENDERS = ["tests.meetings.test_reminders_and_stats.RecordingSender"]
    SENT.clear()
    held_meeting(world.branch_a, kind=MeetingKind.THEME_DAY, day=date(2025, 4, 3))
    result = send_meeting_reminders.enqueue("2025-05-27")  # immediate backend in tests
    assert result.return_value["created"] > 0
    keys = set(Notification.objects.filter(user=world.users["branch_secretary_a"]).values_list("key", flat=True))
    a = world.branch_a.pk
    assert f"meetings:due:{a}:theme_day:2025-05" in keys
    assert f"meetings:overdue:{a}:group:2025-04" in keys
    assert f"meetings:overdue:{a}:theme_day:2025-04" not in keys
    assert f"meetings:due:{a}:life:2025" not in keys  # deadline far off
    count = Notification.objects.count()
    call_command("meeting_reminders", "--date", "2025-05-27")
    assert Notification.objects.count() == count
    assert len(SENT) == result.return_value["created"]
    assert not Notification.objects.filter(user=world.users["foreign_secretary"]).exists()


def test_senders_are_off_by_default(world, settings):
    from gongzhi.meetings.reminders import senders

    assert senders() == []


def test_attendance_rates_and_members_absent_three_times_in_a_row(world, point_rules):
    secretary = world.users["branch_secretary_a"]
    today = date.today()
    for offset, status in ((40, "present"), (30, "absent"), (20, "absent"), (10, "absent")):
        meeting = planned_meeting(world.branch_a, by=secretary, day=today - timedelta(days=offset))
        services.record_attendance(meeting=meeting, member_id=world.member_a.pk, status=status, by=secretary)
        services.record_attendance(meeting=meeting, member_id=world.member_reported.pk,
                                   status="leave" if offset == 20 else "absent", leave_reason="出差", by=secretary)
    stats = selectors.attendance_stats(world.branch_a, today - timedelta(days=60), today)
    by_id = {m.member_id: m for m in stats.members}
    assert by_id[world.member_a.pk].rate == 0.25
    assert [m.member_id for m in stats.flagged] == [world.member_a.pk]
    assert stats.meetings == 4 and stats.rate == 1 / 8


def test_compliance_grid_queries_are_bounded_for_a_street_with_200_branches(world, client_for,
                                                                           django_assert_max_num_queries):
    def grow(n):
        branches = [OrganizationFactory(kind=OrgKind.BRANCH, parent=world.community_a) for _ in range(n)]
        for branch in branches[::3]:
            held_meeting(branch, day=date(2025, 3, 5))
        return branches

    client = client_for("street_admin")
    url = reverse("meetings:compliance") + "?year=2025"
    grow(10)
    with django_assert_max_num_queries(20) as small:
        assert client.get(url).status_code == 200
    grow(190)
    with django_assert_max_num_queries(20) as large:
        response = client.get(url)
    assert response.status_code == 200 and response.content.decode().count('data-state="') == 202 * 12
    assert len(large.captured_queries) == len(small.captured_queries)


def test_calendar_and_stats_pages_do_not_grow_with_meetings(world, client_for, django_assert_max_num_queries):
    secretary = world.users["branch_secretary_a"]
    client = client_for("branch_secretary_a")
    planned_meeting(world.branch_a, by=secretary, day=date.today())
    with django_assert_max_num_queries(40) as small:
        client.get(reverse("meetings:calendar"))
    for _ in range(5):
        planned_meeting(world.branch_a, by=secretary, day=date.today())
    with django_assert_max_num_queries(40) as large:
        response = client.get(reverse("meetings:calendar"))
    assert len(large.captured_queries) == len(small.captured_queries)
    assert response.content.decode().count("学习党章") == 6
    assert Attendance.objects.count() == 12
