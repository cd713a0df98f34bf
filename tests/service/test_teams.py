"""Service teams: members with joined/left dates, leader, places and kinds; activities only the
team's members may join, enforced at sign-up and check-in; the team page's activities and hours."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from gongzhi.service import services
from gongzhi.service.models import Activity, CheckIn, OpenTo, ServiceTeam, SignUp, TeamMembership
from tests.factories import MemberFactory

from .factories import activity, post, team


@pytest.fixture
def world(world_copy):
    return world_copy


pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("mid_morning")]


def _team_activity(world, t, **extra):
    values = {"open_to": OpenTo.TEAM, "team": t}
    values.update(extra)
    return activity(world.community_a, **values)


def test_staff_create_a_team_with_places_and_kinds_on_the_page(world, client_for):
    client = client_for("community_staff")
    assert client.get(reverse("service:team_create")).status_code == 200
    data = {"organization": world.community_a.pk, "name": "党员先锋服务队", "kinds": ["environment", "patrol"],
            "grids": [world.grid_a.pk], "buildings": [world.building_b.pk], "description": "随叫随到"}
    response = post(client, reverse("service:team_create"), data)
    t = ServiceTeam.objects.get()
    assert response["Location"] == reverse("service:team_detail", args=[t.pk])
    assert t.kinds == ["environment", "patrol"] and list(t.grids.all()) == [world.grid_a]
    body = client.get(reverse("service:team_detail", args=[t.pk])).content.decode()
    assert "党员先锋服务队" in body and "第一网格" in body and "2号楼" in body and "环境" in body


def test_a_team_cannot_cover_another_communitys_places_or_repeat_a_name(world, client_for):
    with pytest.raises(services.ServiceError):
        services.create_team(organization=world.community_a, name="越界", grids=[world.grid_x], by=None)
    services.create_team(organization=world.community_a, name="环境服务队", by=None)
    with pytest.raises(services.ServiceError):
        services.create_team(organization=world.community_a, name="环境服务队", by=None)
    response = post(client_for("community_staff"), reverse("service:team_create"),
                    {"organization": world.community_a.pk, "name": "环境服务队"})
    assert response.status_code == 400 and "环境服务队" in response.content.decode()


def test_a_branch_secretary_cannot_create_a_team_for_another_branch(world, client_for):
    response = post(client_for("branch_secretary_a"), reverse("service:team_create"),
                    {"organization": world.branch_b.pk, "name": "越权"})
    assert response.status_code == 400 and not ServiceTeam.objects.exists()


def test_adding_and_removing_members_keeps_their_dates(world, client_for):
    t = team(world.branch_a, name="环境服务队")
    client = client_for("branch_secretary_a")
    add, remove = reverse("service:team_add_member", args=[t.pk]), reverse("service:team_remove_member", args=[t.pk])
    body = client.get(reverse("service:team_detail", args=[t.pk]), {"q": "赵"}).content.decode()
    assert "赵磊" in body
    post(client, add, {"member": world.member_a.pk})
    post(client, add, {"member": world.member_a.pk})  # a double tap adds nothing
    assert TeamMembership.objects.filter(team=t, left_on__isnull=True).count() == 1
    post(client, remove, {"member": world.member_a.pk})
    membership = TeamMembership.objects.get(team=t)
    assert membership.left_on == timezone.localdate()
    post(client, add, {"member": world.member_a.pk})  # rejoining opens a new period
    assert TeamMembership.objects.filter(team=t).count() == 2
    body = client.get(reverse("service:team_detail", args=[t.pk])).content.decode()
    assert "赵磊" in body


def test_one_open_membership_per_member_is_a_database_rule(world):
    t = team(world.branch_a, members=[world.member_a])
    with pytest.raises(IntegrityError), transaction.atomic():
        TeamMembership.objects.create(team=t, member=world.member_a, joined_on=timezone.localdate())


def test_a_member_outside_the_organizers_scope_cannot_be_added(world, client_for):
    t = team(world.branch_a)
    response = post(client_for("branch_secretary_a"), reverse("service:team_add_member", args=[t.pk]),
                    {"member": world.member_x.pk})
    assert response.status_code == 404 and not TeamMembership.objects.exists()


def test_the_leader_is_chosen_among_the_members(world, client_for):
    t = team(world.branch_a, members=[world.member_a])
    with pytest.raises(services.ServiceError):
        services.update_team(team=t, name=t.name, leader=world.member_b, by=None)
    client = client_for("branch_secretary_a")
    response = post(client, reverse("service:team_edit", args=[t.pk]),
                    {"name": "第一网格先锋队", "kinds": ["elderly"], "leader": world.member_a.pk, "is_active": "on"})
    assert response.status_code == 302
    t.refresh_from_db()
    assert (t.name, t.leader, t.kinds) == ("第一网格先锋队", world.member_a, ["elderly"])
    services.remove_team_member(team=t, member=world.member_a, by=None)
    t.refresh_from_db()
    assert t.leader is None


def test_only_team_members_may_sign_up_for_a_team_activity(world, client_for):
    t = team(world.community_a, members=[world.member_b])
    a = _team_activity(world, t)
    response = post(client_for("member"), reverse("service:signup", args=[a.pk]), follow=True)
    body = response.content.decode()
    assert "只有" in body and t.name in body
    assert not SignUp.objects.filter(member=world.member_a).exists()
    assert services.sign_up(a, world.member_b).status == "signed_up"
    page = client_for("member").get(reverse("service:detail", args=[a.pk])).content.decode()
    assert 'id="join-refusal"' in page and f"service/{a.pk}/signup/" not in page


def test_only_team_members_may_check_in_even_without_sign_up(world, client_for):
    t = team(world.community_a, members=[world.member_b])
    a = _team_activity(world, t, starts_in=-timedelta(minutes=10), requires_signup=False)
    with pytest.raises(services.ServiceError, match=t.name):
        services.check_in(a, world.member_a, by=None)
    response = post(client_for("member"), reverse("service:scan", args=[services.checkin_token(a)]), follow=True)
    assert t.name in response.content.decode()
    assert not CheckIn.objects.exists()
    services.add_team_member(team=t, member=world.member_a, by=None)
    post(client_for("member"), reverse("service:scan", args=[services.checkin_token(a)]))
    assert CheckIn.objects.filter(member=world.member_a).count() == 1


def test_membership_counts_on_the_day_of_the_activity(world):
    t = team(world.community_a)
    a = _team_activity(world, t, starts_in=timedelta(days=10))
    services.add_team_member(team=t, member=world.member_a, by=None,
                             joined_on=timezone.localdate() + timedelta(days=20))
    with pytest.raises(services.ServiceError):
        services.sign_up(a, world.member_a)
    TeamMembership.objects.filter(team=t).update(joined_on=timezone.localdate())
    assert services.sign_up(a, world.member_a).status == "signed_up"


def test_a_team_member_from_another_branch_sees_the_teams_activities(world):
    t = team(world.branch_b, members=[world.member_a])
    a = activity(world.branch_b, open_to=OpenTo.TEAM, team=t)
    other = activity(world.branch_b, title="第二支部自己的")
    seen = set(Activity.objects.visible_to(world.users["member"]))
    assert a in seen and other not in seen
    assert t in ServiceTeam.objects.visible_to(world.users["member"])


def test_a_team_activity_needs_its_team(world, client_for):
    start = timezone.localtime() + timedelta(days=3)
    data = {"organization": world.branch_a.pk, "title": "团队专场", "kind": "patrol", "place": "x",
            "starts_at": start.strftime("%Y-%m-%dT%H:%M"),
            "ends_at": (start + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"), "open_to": "team"}
    client = client_for("branch_secretary_a")
    assert post(client, reverse("service:create"), data).status_code == 400
    foreign_team = team(world.branch_x, name="外街队")
    assert post(client, reverse("service:create"), {**data, "team": foreign_team.pk}).status_code == 400
    own = team(world.branch_a, name="一支部队")
    assert post(client, reverse("service:create"), {**data, "team": own.pk}).status_code == 302
    assert Activity.objects.get(title="团队专场").team == own


def test_the_team_page_shows_its_activities_and_hours(world, client_for, service_rule):
    t = team(world.community_a, members=[world.member_a, world.member_b])
    done = _team_activity(world, t, starts_in=-timedelta(hours=3), hours=2, requires_signup=False, title="护河行动")
    for member in (world.member_a, world.member_b):
        checkin, _ = services.check_in(done, member, by=None, at=done.starts_at)
        services.check_out(checkin, by=None, at=done.ends_at)
    _team_activity(world, t, title="下周巡河")
    response = client_for("community_staff").get(reverse("service:team_detail", args=[t.pk]),
                                                 {"year": timezone.localtime(done.starts_at).year})
    body = response.content.decode()
    assert response.context["figures"]["hours"] == Decimal("4.00")
    assert "护河行动" in body and "下周巡河" in body and "钱明" in body


def test_members_names_are_shown_to_those_in_scope_and_in_the_team_only(world, client_for):
    t = team(world.community_a, members=[world.member_b])
    url = reverse("service:team_detail", args=[t.pk])
    assert "钱明" in client_for("community_staff").get(url).content.decode()
    assert "钱明" not in client_for("member").get(url).content.decode()
    services.add_team_member(team=t, member=world.member_a, by=None)
    assert "钱明" in client_for("member").get(url).content.decode()


def test_teams_list_and_team_page_queries_are_bounded(world, client_for, django_assert_max_num_queries):
    client = client_for("community_staff")
    first = team(world.community_a, members=[world.member_a])
    with django_assert_max_num_queries(12):
        client.get(reverse("service:teams"))
    with django_assert_max_num_queries(20):
        client.get(reverse("service:team_detail", args=[first.pk]))
    for n in range(12):
        team(world.community_a, name=f"队{n}", members=[MemberFactory(home_org=world.branch_a)])
    extra = [MemberFactory(home_org=world.branch_a, community=world.community_a) for _n in range(12)]
    for member in extra:
        services.add_team_member(team=first, member=member, by=None)
    for n in range(6):
        _team_activity(world, first, title=f"活动{n}")
    with django_assert_max_num_queries(12):
        assert client.get(reverse("service:teams")).status_code == 200
    with django_assert_max_num_queries(20):
        assert client.get(reverse("service:team_detail", args=[first.pk]), {"q": "a"}).status_code == 200


def test_the_activity_page_links_the_team_only_for_those_who_may_open_it(world, client_for):
    t = team(world.community_a, name="环境服务队")
    a = activity(world.community_a, team=t, open_to=OpenTo.RESIDENTS)
    team_url = reverse("service:team_detail", args=[t.pk])
    assert team_url in client_for("member").get(reverse("service:detail", args=[a.pk])).content.decode()
    body = client_for("resident").get(reverse("service:detail", args=[a.pk])).content.decode()
    assert "环境服务队" in body and team_url not in body
