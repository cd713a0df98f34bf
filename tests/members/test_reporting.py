import pytest
from django.urls import reverse

from gongzhi.core.models import AuditEvent
from gongzhi.members.models import Member, MemberCategory, MembershipEvent, Reporting, ReportingStatus
from tests.factories import MemberFactory

from .helpers import post


@pytest.fixture
def world(world_copy):
    return world_copy


pytestmark = pytest.mark.django_db


def test_round_trip_register_accept_then_unit_sees_member_serving(world, client_for):
    newcomer = MemberFactory(name="周新", home_org=world.unit_org, community=world.community_a,
                             category=MemberCategory.IN_SERVICE)
    staff = client_for("community_staff")
    response = post(staff, reverse("members:report"),
                    {"member": newcomer.pk, "community": world.community_a.pk, "skills": "会计",
                     "services": "义务记账"})
    assert response.status_code == 302
    reporting = Reporting.objects.get(member=newcomer)
    assert reporting.status == ReportingStatus.SUBMITTED
    assert "周新" in client_for("unit_admin").get(reverse("members:reported")).content.decode()
    page = staff.get(reverse("members:reported")).content.decode()
    assert reverse("members:decide", args=[reporting.pk]) in page

    post(staff, reverse("members:decide", args=[reporting.pk]),
         {f"r{reporting.pk}-decision": "accept", f"r{reporting.pk}-serving_org": world.group_a1.pk})
    reporting.refresh_from_db()
    newcomer.refresh_from_db()
    assert (reporting.status, reporting.serving_org, reporting.decided_by) == (
        ReportingStatus.ACCEPTED, world.group_a1, world.users["community_staff"])
    assert (newcomer.community, newcomer.serving_org) == (world.community_a, world.group_a1)
    event = MembershipEvent.objects.get(member=newcomer)
    assert "1号楼党小组" in event.to_value
    assert AuditEvent.objects.filter(action="members.reporting.accept").count() == 1
    unit_page = client_for("unit_admin").get(reverse("members:reported")).content.decode()
    assert "周新" in unit_page and "1号楼党小组" in unit_page


def test_return_leaves_the_member_unchanged(world, client_for):
    reporting = Reporting.objects.create(member=world.member_reported, community=world.community_a)
    post(client_for("community_secretary"), reverse("members:decide", args=[reporting.pk]),
         {f"r{reporting.pk}-decision": "return"})
    reporting.refresh_from_db()
    assert reporting.status == ReportingStatus.RETURNED
    assert Member.objects.get(pk=world.member_reported.pk).serving_org == world.branch_a
    assert not MembershipEvent.objects.exists()


def test_accept_needs_a_serving_org_of_the_community(world, client_for):
    reporting = Reporting.objects.create(member=world.member_reported, community=world.community_a)
    post(client_for("community_secretary"), reverse("members:decide", args=[reporting.pk]),
         {f"r{reporting.pk}-decision": "accept", f"r{reporting.pk}-serving_org": world.branch_x.pk})
    reporting.refresh_from_db()
    assert reporting.status == ReportingStatus.SUBMITTED


def test_unit_admin_does_not_see_other_members_reporting(world, client_for):
    Reporting.objects.create(member=world.member_b, community=world.community_a)
    assert "钱明" not in client_for("unit_admin").get(reverse("members:reported")).content.decode()


def test_stats_show_reported_members_and_dual_reporting_rate(world, client_for):
    other = MemberFactory(home_org=world.unit_org, community=world.community_a, category=MemberCategory.IN_SERVICE)
    Reporting.objects.create(member=world.member_reported, community=world.community_a,
                             status=ReportingStatus.ACCEPTED, serving_org=world.branch_a)
    Reporting.objects.create(member=other, community=world.community_a)
    response = client_for("community_secretary").get(reverse("members:stats", args=[world.community_a.pk]))
    stats = response.context["stats"]
    assert (stats["reported"], stats["reporting_eligible"], stats["reporting_pending"]) == (1, 2, 1)
    assert stats["reporting_rate"] == 0.5
    assert "50.0%" in response.content.decode()


@pytest.mark.parametrize("count", [3, 30])
def test_reported_list_queries_are_bounded(world, client_for, django_assert_max_num_queries, count):
    for _ in range(count):
        member = MemberFactory(home_org=world.unit_org, community=world.community_a,
                               category=MemberCategory.IN_SERVICE)
        Reporting.objects.create(member=member, community=world.community_a)
    client = client_for("community_secretary")
    with django_assert_max_num_queries(16):
        assert client.get(reverse("members:reported")).status_code == 200


@pytest.mark.parametrize("count", [3, 30])
def test_stats_queries_are_bounded(world, client_for, django_assert_max_num_queries, count):
    for _ in range(count):
        MemberFactory(home_org=world.branch_b, community=world.community_a)
    client = client_for("community_secretary")
    with django_assert_max_num_queries(25):
        assert client.get(reverse("members:stats", args=[world.community_a.pk])).status_code == 200
