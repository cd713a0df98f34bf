"""Titles and badges computed for a year, and the nomination list, on a small data set with known
answers; the pages, the export (masked, logged) and bounded queries."""

from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from gongzhi.core.models import AuditEvent
from gongzhi.meetings.models import Appraisal, Grade, Participant
from gongzhi.members.models import MemberStatus
from gongzhi.points.models import PointEntry, RuleCode
from gongzhi.points.services import reverse_entry
from gongzhi.recognition import badges
from gongzhi.recognition.models import Badge, BadgeMetric
from gongzhi.service.models import CheckIn
from tests.factories import MemberFactory
from tests.service.factories import activity, post


@pytest.fixture
def world(world_copy):
    return world_copy


pytestmark = pytest.mark.django_db
TZ = ZoneInfo("Asia/Shanghai")
YEAR = 2025


def _points(member, org, points, day=date(YEAR, 5, 1), code=RuleCode.MANUAL_AWARD, n=[0]):  # noqa: B006
    n[0] += 1
    return PointEntry.objects.create(member=member, organization=org, points=Decimal(points), code=code,
                                     idempotency_key=f"b{n[0]}", occurred_on=day)


def _service(member, org, hours, day=date(YEAR, 6, 1)):
    act = activity(org, title=f"巡逻{member.pk}{hours}{day}")
    start = datetime(day.year, day.month, day.day, 9, tzinfo=TZ)
    return CheckIn.objects.create(activity=act, member=member, checked_in_at=start,
                                  checked_out_at=start + timedelta(hours=float(hours)), hours=Decimal(hours))


@pytest.fixture
def data(world):
    """member_a: 40 points, 12 hours in 2 activities; member_b: 25 points, 2 hours; member_reported: 5 points;
    member_x (foreign street): 100 points. Badges: the community's 服务之星 (>= 10 hours) and 积分标兵
    (>= 30 points); the street's 热心参与 (>= 2 activities); branch X's own badge."""
    w = world
    _points(w.member_a, w.branch_a, 40)
    _points(w.member_b, w.branch_b, 25)
    _points(w.member_reported, w.branch_a, 5)
    _points(w.member_x, w.branch_x, 100)
    _service(w.member_a, w.branch_a, 8)
    _service(w.member_a, w.branch_a, 4, date(YEAR, 7, 1))
    _service(w.member_b, w.branch_b, 2)
    _service(w.member_a, w.branch_a, 30, date(YEAR - 1, 7, 1))  # another year
    w.star = Badge.objects.create(organization=w.community_a, name="服务之星", metric=BadgeMetric.HOURS,
                                  threshold=10)
    w.top = Badge.objects.create(organization=w.community_a, name="积分标兵", metric=BadgeMetric.POINTS, threshold=30)
    w.keen = Badge.objects.create(organization=w.street_a, name="热心参与", metric=BadgeMetric.ACTIVITIES,
                                  threshold=2)
    Badge.objects.create(organization=w.branch_x, name="外街之星", metric=BadgeMetric.POINTS, threshold=1)
    return w


def _by_badge(org, year=YEAR):
    return {item.badge.name: [(h.name, h.value) for h in item.holders] for item in badges.holders(org, year)}


def test_holders_per_badge_with_inherited_badges(data):
    w = data
    assert _by_badge(w.community_a) == {
        "热心参与": [("赵磊", 2)], "服务之星": [("赵磊", Decimal(12))], "积分标兵": [("赵磊", Decimal(40))]}
    # a branch sees the badges of the organizations above it, and only its own members
    assert _by_badge(w.branch_b) == {"热心参与": [], "服务之星": [], "积分标兵": []}
    assert _by_badge(w.community_a, YEAR - 1) == {"热心参与": [], "服务之星": [("赵磊", Decimal(30))], "积分标兵": []}


def test_a_reversal_withdraws_a_title(data):
    w = data
    entry = PointEntry.objects.get(member=w.member_a, points=40)
    reverse_entry(entry=entry, reason="重复录入", by=None)
    assert _by_badge(w.community_a)["积分标兵"] == []
    assert [b.name for b in badges.member_badges(w.member_a, YEAR)] == ["热心参与", "服务之星"]


def test_a_stopped_badge_is_not_awarded(data):
    w = data
    badges.set_badge_active(w.star, False, by=w.users["community_secretary"])
    assert "服务之星" not in _by_badge(w.community_a)
    assert AuditEvent.objects.filter(action="recognition.badge.withdraw").exists()


def test_holders_issue_a_fixed_number_of_queries(data):
    w = data

    def count():
        with CaptureQueriesContext(connection) as ctx:
            badges.holders(w.community_a, YEAR)
        return len(ctx)

    few = count()
    for n in range(15):
        m = MemberFactory(name=f"新人{n}", home_org=w.branch_a, community=w.community_a)
        _points(m, w.branch_a, 50)
        _service(m, w.branch_a, 11)
    assert count() == few <= 4
    assert len(_by_badge(w.community_a)["积分标兵"]) == 16


def test_add_badge_refuses_bad_thresholds(data):
    from django.core.exceptions import ValidationError

    w = data
    with pytest.raises(ValidationError):
        badges.add_badge(Badge(organization=w.community_a, name="半次", metric=BadgeMetric.ACTIVITIES,
                               threshold=Decimal("1.5")), by=None)
    with pytest.raises(ValidationError):
        badges.add_badge(Badge(organization=w.community_a, name="服务之星", metric=BadgeMetric.POINTS, threshold=5),
                         by=None)


def test_nominations_rank_and_filter(data):
    w = data
    tied = MemberFactory(name="吴平", home_org=w.branch_b, community=w.community_a)
    _points(tied, w.branch_b, 25)
    probationary = MemberFactory(name="郑新", home_org=w.branch_a, community=w.community_a,
                                 status=MemberStatus.PROBATIONARY, probation_ends_on=date(YEAR + 1, 3, 1))
    _points(probationary, w.branch_a, 90)
    low = MemberFactory(name="冯低", home_org=w.branch_a, community=w.community_a)
    _points(low, w.branch_a, 80)
    appraisal = Appraisal.objects.create(branch=w.branch_a, year=YEAR)
    Participant.objects.create(appraisal=appraisal, member=low, grade=Grade.BASIC)
    Participant.objects.create(appraisal=appraisal, member=w.member_a, grade=Grade.EXCELLENT)
    deduction = _points(w.member_b, w.branch_b, -2, code=RuleCode.NO_SHOW)
    _points(w.member_b, w.branch_b, -1, code=RuleCode.MEETING_ABSENCE)
    reverse_entry(entry=deduction, reason="已请假", by=None)  # a reversed deduction does not count

    rows = badges.nominations(w.community_a, YEAR)
    assert [(n.rank, n.name, n.points) for n in rows] == [
        (1, "赵磊", Decimal(40)), (2, "吴平", Decimal(25)), (3, "钱明", Decimal(24)), (4, "孙红", Decimal(5))]
    top = rows[0]
    assert (top.hours, top.activities, top.grade, top.badges) == (Decimal(12), 2, "优秀", ["热心参与", "服务之星",
                                                                                          "积分标兵"])
    assert rows[2].deductions == 1
    everyone = badges.nominations(w.community_a, YEAR, full_members_only=False, exclude_low_grades=False, limit=3)
    assert [n.name for n in everyone] == ["郑新", "冯低", "赵磊"]


def test_nominations_issue_a_fixed_number_of_queries(data):
    w = data

    def count():
        with CaptureQueriesContext(connection) as ctx:
            badges.nominations(w.community_a, YEAR)
        return len(ctx)

    few = count()
    for n in range(12):
        m = MemberFactory(name=f"新人{n}", home_org=w.branch_a, community=w.community_a)
        _points(m, w.branch_a, 10 + n)
        _service(m, w.branch_a, 3)
    assert count() == few <= 7


# --- pages ---------------------------------------------------------------------------------------

def test_titles_page_shows_holders_and_staff_add_a_title(data, client_for):
    w = data
    client = client_for("community_secretary")
    url = reverse("recognition:titles", args=[w.community_a.pk])
    page = client.get(url, {"year": YEAR})
    assert page.status_code == 200
    text = page.content.decode()
    assert "服务之星" in text and "赵磊" in text and "外街" not in text
    refused = post(client, url, {"name": "志愿先锋", "icon": "trophy-fill", "metric": "hours", "threshold": "-3"})
    assert refused.status_code == 400 and not Badge.objects.filter(name="志愿先锋").exists()
    added = post(client, url, {"name": "志愿先锋", "icon": "trophy-fill", "metric": "hours", "threshold": "20"})
    assert added.status_code == 302 and Badge.objects.get(name="志愿先锋").organization == w.community_a
    stop = post(client, reverse("recognition:badge_toggle", args=[w.star.pk]))
    assert stop.status_code == 302
    w.star.refresh_from_db()
    assert not w.star.is_active
    # a branch secretary reads the titles of his branch but cannot add any
    branch = client_for("branch_secretary_a").get(reverse("recognition:titles", args=[w.branch_a.pk]))
    assert branch.status_code == 200 and "志愿先锋" in branch.content.decode() and b"Add title" not in branch.content


def test_member_sees_own_titles_on_my_service(data, client_for, settings):
    from django.utils import timezone

    w = data
    this_year = timezone.localdate().year
    _service(w.member_a, w.branch_a, 11, date(this_year, 1, 2))
    page = client_for("member").get(reverse("service:mine"))
    assert "服务之星" in page.content.decode()


def test_nominations_page_and_masked_logged_export(data, client_for):
    from io import BytesIO

    from python_calamine import CalamineWorkbook

    w = data
    client = client_for("community_secretary")
    page = client.get(reverse("recognition:nominations", args=[w.community_a.pk]), {"year": YEAR})
    assert page.status_code == 200 and "赵磊" in page.content.decode() and "李外" not in page.content.decode()
    export = client.get(reverse("recognition:nominations_export", args=[w.community_a.pk]),
                        {"year": YEAR, "limit": "x"})
    assert export.status_code == 200
    rows = CalamineWorkbook.from_filelike(BytesIO(export.content)).get_sheet_by_index(0).to_python()
    cells = [str(c) for row in rows for c in row]
    assert "赵磊" in cells and "13812345678" not in "".join(cells) and "138****5678" in cells
    event = AuditEvent.objects.get(action="recognition.nominations.export")
    assert event.detail["rows"] == 3 and event.detail["masked"] is True
