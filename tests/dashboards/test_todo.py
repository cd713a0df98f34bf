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


@pytest.mark.parametrize("persona", ["security_admin", "auditor", "unit_admin", "foreign_secretary"])
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
