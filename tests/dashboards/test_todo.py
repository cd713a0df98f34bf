"""The to-do list (待办) on the home page: each persona sees exactly the things waiting for him or her on a
hand-built data set, each item links to where it is done, and the list costs a bounded number of queries."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from gongzhi.core.todolist import counts_for, todo_for

pytestmark = pytest.mark.django_db


def build_todo(w):
    from gongzhi.care.models import Pairing
    from gongzhi.meetings.models import MeetingKind, MeetingStatus
    from gongzhi.members.models import Reporting, Transfer, TransferDirection
    from gongzhi.points.models import ManualAward
    from gongzhi.service.models import SignUp
    from gongzhi.voice.models import Consultation, ConsultationStatus
    from tests.learning.factories import make_material
    from tests.meetings.factories import held_meeting, planned_meeting
    from tests.service.factories import activity
    from tests.voice.factories import request_in, wish_in

    today = timezone.localdate()
    Reporting.objects.create(member=w.member_reported, community=w.community_a)
    Transfer.objects.create(member=w.member_b, from_org=w.branch_b, to_org=w.branch_a,
                            direction=TransferDirection.INTERNAL)
    ManualAward.objects.create(member=w.member_a, organization=w.community_a, points=Decimal("5"), reason="扫雪",
                               proposed_by=w.users["community_staff"])
    w.request = request_in(w, now=timezone.now() - timedelta(days=20))
    wish_in(w)
    Consultation.objects.create(community=w.community_a, title="加装电梯", description="一楼住户的意见",
                                opens_on=today - timedelta(days=1), closes_on=today + timedelta(days=6),
                                status=ConsultationStatus.OPEN)
    Pairing.objects.create(member=w.member_a, resident=w.resident_a, frequency_days=30,
                           started_on=today - timedelta(days=45))
    SignUp.objects.create(activity=activity(w.branch_a, title="义务理发"), member=w.member_a)
    held_meeting(w.branch_a, kind=MeetingKind.COMMITTEE, day=today - timedelta(days=1), status=MeetingStatus.RECORDED,
                 topic="研究发展党员")
    planned_meeting(w.branch_a, by=w.users["branch_secretary_a"], day=today + timedelta(days=3))
    make_material(w.community_a, title="学习新修订的党章")
    return w


@pytest.fixture
def world(module_world, db):
    from types import SimpleNamespace

    w = SimpleNamespace(**vars(module_world))
    return build_todo(w)


OTHERS = ("publicity.", "supervision.")  # sources of apps with their own tests


def _counts(w, persona) -> dict[str, int]:
    return {group.source.key: group.count for group in todo_for(w.users[persona])
            if not group.source.key.startswith(OTHERS)}


def test_the_community_secretary_sees_reportings_transfers_awards_requests_minutes_and_visits(world):
    counts = _counts(world, "community_secretary")
    assert counts == {"members.reportings": 1, "members.transfers": 1, "voice.requests": 1,
                      "meetings.to_confirm": 1, "points.manual_awards": 1, "care.visits_overdue": 1}


def test_the_proposer_of_a_manual_award_does_not_approve_it(world):
    counts = _counts(world, "community_staff")
    assert "points.manual_awards" not in counts
    assert counts["members.reportings"] == 1


def test_the_street_administrator_sees_his_subtree(world):
    counts = _counts(world, "street_admin")
    assert counts == {"members.reportings": 1, "members.transfers": 1, "voice.requests": 1,
                      "points.manual_awards": 1, "care.visits_overdue": 1}


def test_the_branch_secretary_sees_the_transfer_into_the_branch_the_request_routed_to_it_minutes_and_meetings(world):
    assert world.request.handler == world.branch_a  # routed by its grid
    counts = _counts(world, "branch_secretary_a")
    assert counts.keys() == {"members.transfers", "meetings.to_confirm", "meetings.owed", "voice.requests",
                             "money.dues_to_record"}  # nobody's dues of this month are recorded yet
    assert counts["members.transfers"] == 1 and counts["meetings.to_confirm"] == 1
    owed = next(g for g in todo_for(world.users["branch_secretary_a"]) if g.source.key == "meetings.owed")
    # The committee meeting of this month is recorded: it is not owed; the general meeting of the quarter is.
    from gongzhi.meetings.models import MeetingKind

    titles = {item.title for item in owed.items}
    assert str(MeetingKind.COMMITTEE.label) not in titles and str(MeetingKind.GENERAL.label) in titles


def test_the_other_branch_secretary_is_not_asked_to_receive_a_transfer_he_sends(world):
    assert "members.transfers" not in _counts(world, "branch_secretary_b")


def test_the_member_sees_his_activity_meeting_wish_visit_and_study(world):
    counts = _counts(world, "member")
    assert counts == {"service.signed_up": 1, "meetings.invited": 1, "voice.wishes": 1, "care.visits_overdue": 1,
                      "learning.study": 1}
    items = {g.source.key: g.items[0] for g in todo_for(world.users["member"])}
    assert items["service.signed_up"].title == "义务理发"
    assert items["learning.study"].title == "学习新修订的党章"
    assert items["care.visits_overdue"].overdue


def test_the_resident_is_asked_for_his_opinion_once(world):
    from gongzhi.voice.models import Consultation, Opinion

    assert _counts(world, "resident") == {"voice.consultations": 1}
    Opinion.objects.create(consultation=Consultation.objects.get(title="加装电梯"), resident=world.resident_a,
                           text="同意")
    assert _counts(world, "resident") == {}


@pytest.mark.parametrize("persona", ["security_admin", "auditor", "foreign_secretary"])
def test_others_have_nothing_of_this_street_to_do(world, persona):
    assert _counts(world, persona) == {}


def test_the_dues_clerk_has_only_the_dues_to_record(world):
    assert _counts(world, "treasurer_a") == {"money.dues_to_record": 1}


def test_the_home_page_lists_the_items_with_links_where_they_are_done(world, client_for):
    body = client_for("community_secretary").get(reverse("home")).content.decode()
    assert 'data-todo-source="members.reportings"' in body
    assert reverse("voice:detail", args=[world.request.pk]) in body
    assert reverse("points:manual_awards") in body
    empty = client_for("security_admin").get(reverse("home")).content.decode()
    assert "data-todo-source" not in empty


def test_the_menu_badges_add_up_per_page(world, client_for):
    response = client_for("member").get(reverse("core:todo_counts"))
    assert response.json() == {"service:mine": 1, "meetings:calendar": 1, "voice:wishes": 1, "care:index": 1,
                               "learning:my_study": 1}
    assert counts_for(world.users["resident"]) == {"voice:consultations": 1}


def test_the_to_do_list_costs_the_same_number_of_queries_with_more_data(world, django_assert_max_num_queries,
                                                                       client_for):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for("community_secretary")
    with CaptureQueriesContext(connection) as small:
        client.get(reverse("home"))
    for _ in range(3):
        build_todo(_more(world))
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get(reverse("home"))
    with CaptureQueriesContext(connection) as badges:
        client.get(reverse("core:todo_counts"))
    assert len(badges.captured_queries) <= 30


def _more(w):
    """More of everything in the same places: new members to report, transfer and pair."""
    from types import SimpleNamespace

    from tests.factories.core import MemberFactory, ResidentFactory

    more = SimpleNamespace(**vars(w))
    more.member_reported = MemberFactory(home_org=w.unit_org, community=w.community_a)
    more.member_b = MemberFactory(home_org=w.branch_b, community=w.community_a)
    more.member_a = MemberFactory(home_org=w.branch_a, community=w.community_a, user=None)
    more.resident_a = ResidentFactory(community=w.community_a, household=w.household_a)
    return more


def test_dates_are_plain_dates(world):
    for group in todo_for(world.users["member"]):
        for item in group.items:
            assert item.due is None or isinstance(item.due, date)


# -- the party group leader and the co-building unit's administrator ---------------------------------------------

def _leader(w):
    from gongzhi.accounts.models import RoleKind
    from tests.factories.core import RoleFactory, UserFactory

    user = UserFactory(username="group_leader_a1")
    RoleFactory(user=user, organization=w.group_a1, kind=RoleKind.GROUP_LEADER, starts_on=date(2020, 1, 1))
    w.users["group_leader"] = user
    return user


def _group_meetings(w, *, previous_held: bool):
    """The group's meeting of the previous month (held or not), with one absent and one on leave; an older
    meeting of the group and a branch meeting with absences (neither is the group's last meeting)."""
    from gongzhi.meetings.models import Attendance, AttendanceStatus, MeetingKind
    from tests.factories.core import MemberFactory
    from tests.meetings.factories import held_meeting

    first = timezone.localdate().replace(day=1)
    w.on_leave = MemberFactory(name="请假", home_org=w.branch_a, building=w.building_a)
    older = held_meeting(w.group_a1, kind=MeetingKind.THEME_DAY, day=first - timedelta(days=50))
    Attendance.objects.create(meeting=older, member=w.on_leave, status=AttendanceStatus.ABSENT)
    branch = held_meeting(w.branch_a, kind=MeetingKind.GENERAL, day=first - timedelta(days=2))
    Attendance.objects.create(meeting=branch, member=w.on_leave, status=AttendanceStatus.ABSENT)
    last = held_meeting(w.group_a1, kind=MeetingKind.GROUP if previous_held else MeetingKind.THEME_DAY,
                        day=first - timedelta(days=5))
    Attendance.objects.create(meeting=last, member=w.member_a, status=AttendanceStatus.ABSENT)
    Attendance.objects.create(meeting=last, member=w.on_leave, status=AttendanceStatus.LEAVE, leave_reason="出差")
    return last


def test_the_group_leader_sees_the_groups_meeting_due_the_absent_and_the_study(world):
    _leader(world)
    last = _group_meetings(world, previous_held=True)
    counts = _counts(world, "group_leader")
    assert counts == {"meetings.group_owed": 1, "meetings.group_absent": 1, "learning.group_study": 1}
    items = {g.source.key: g.items for g in todo_for(world.users["group_leader"])}
    owed = items["meetings.group_owed"][0]
    assert not owed.overdue and owed.due.month == timezone.localdate().month
    assert owed.url == f"{reverse('meetings:plan')}?org={world.group_a1.pk}&kind=group"
    absent = items["meetings.group_absent"]
    assert [a.title for a in absent] == [world.member_a.name]
    assert absent[0].url == reverse("meetings:detail", args=[last.pk])
    # 赵磊 lives in the group's building: the material reaches the group, and he has not studied it.
    study = items["learning.group_study"][0]
    assert study.title == "学习新修订的党章" and "1" in study.detail


def test_the_group_leader_is_told_of_the_missed_meeting_and_the_study_leaves_the_list_once_done(world):
    from gongzhi.learning.models import Material, StudyRecord

    _leader(world)
    _group_meetings(world, previous_held=False)
    owed = next(g for g in todo_for(world.users["group_leader"]) if g.source.key == "meetings.group_owed")
    assert [item.overdue for item in owed.items] == [True, False]
    material = Material.objects.get(title="学习新修订的党章")
    StudyRecord.objects.create(material=material, member=world.member_a, studied_on=timezone.localdate(), minutes=30,
                               organization=world.branch_a)
    # 请假 lives in the group's building too: one of two still to study.
    study = next(g for g in todo_for(world.users["group_leader"]) if g.source.key == "learning.group_study")
    assert "2" in study.items[0].detail and "1" in study.items[0].detail
    StudyRecord.objects.create(material=material, member=world.on_leave, studied_on=timezone.localdate(), minutes=30,
                               organization=world.branch_a)
    assert "learning.group_study" not in _counts(world, "group_leader")


def test_the_group_leader_sees_nothing_of_another_group(world):
    from gongzhi.accounts.models import RoleKind
    from tests.factories.core import RoleFactory, UserFactory

    _group_meetings(world, previous_held=True)
    user = UserFactory(username="leader_x")
    RoleFactory(user=user, organization=world.group_x, kind=RoleKind.GROUP_LEADER, starts_on=date(2020, 1, 1))
    world.users["leader_x"] = user
    assert "meetings.group_absent" not in _counts(world, "leader_x")
    assert "learning.group_study" not in _counts(world, "leader_x")


def test_the_unit_administrator_sees_reportings_awaiting_members_to_report_and_feedback_to_read(world, client_for):
    from gongzhi.members.models import MemberCategory
    from gongzhi.orgs.models import CoBuildingUnit
    from gongzhi.reports import services
    from gongzhi.reports.models import UnitFeedback
    from tests.factories.core import MemberFactory, OrganizationFactory

    MemberFactory(name="未报到", home_org=world.unit_org, category=MemberCategory.IN_SERVICE)
    MemberFactory(name="退休的", home_org=world.unit_org, category=MemberCategory.RETIRED)
    first = timezone.localdate().replace(day=1)
    feedback = UnitFeedback.objects.create(community=world.community_a, unit=world.unit, period_kind="quarter",
                                           starts_on=first, ends_on=first + timedelta(days=20))
    other_org = OrganizationFactory(code="SA-U9", name="别的单位党支部", kind="unit", parent=world.street_a)
    other = CoBuildingUnit.objects.create(name="别的单位", kind=world.unit.kind, organization=other_org)
    UnitFeedback.objects.create(community=world.community_a, unit=other, period_kind="quarter", starts_on=first,
                                ends_on=first + timedelta(days=20))
    counts = _counts(world, "unit_admin")
    assert counts == {"members.unit_awaiting": 1, "members.unit_unreported": 1, "reports.unit_feedback": 1}
    items = {g.source.key: g.items for g in todo_for(world.users["unit_admin"])}
    assert [i.title for i in items["members.unit_awaiting"]] == [world.member_reported.name]
    assert [i.title for i in items["members.unit_unreported"]] == ["未报到"]
    assert items["reports.unit_feedback"][0].url == reverse("reports:unit_feedback", args=[world.unit_org.pk])
    # Every link opens for the unit's administrator.
    client = client_for("unit_admin")
    for group in items.values():
        assert client.get(group[0].url).status_code == 200
    services.record_download(obj=feedback, by=world.users["unit_admin"])
    assert "reports.unit_feedback" not in _counts(world, "unit_admin")


def test_the_group_leader_and_unit_lists_cost_the_same_queries_with_more_data(world, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.factories.core import MemberFactory

    leader = _leader(world)
    _group_meetings(world, previous_held=True)
    for user in (leader, world.users["unit_admin"]):
        with CaptureQueriesContext(connection) as small:
            todo_for(type(user).objects.get(pk=user.pk))
        for n in range(5):
            MemberFactory(name=f"更多{n}", home_org=world.unit_org, category="in_service", building=world.building_a)
            _group_meetings(world, previous_held=bool(n % 2))
        fresh = type(user).objects.get(pk=user.pk)
        with django_assert_max_num_queries(len(small.captured_queries)):
            todo_for(fresh)
