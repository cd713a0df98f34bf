"""Home, tree, organization and place pages: real figures, bounded queries, clear 404s."""

import pytest
from django.test import Client

from gongzhi.orgs.models import OrgKind
from tests.factories import (
    BuildingFactory,
    GridFactory,
    HouseholdFactory,
    MemberFactory,
    OrganizationFactory,
    RoleFactory,
    UserFactory,
)


@pytest.fixture
def world(world_copy):
    return world_copy


def test_home_shows_real_counts_of_the_users_subtree(world, client_for):
    response = client_for("community_secretary").get("/")
    figures = response.context["figures"][0]
    # member_a and member_b are held in community A's branches; member_reported is held by the unit.
    assert figures["members"] == 2
    assert figures["households"] == 2 and figures["population"] == 5
    assert dict(figures["sub_orgs"]) == {"党支部": 2, "党小组": 1}
    assert "幸福社区党委" in response.content.decode()


def test_home_of_a_member_lists_the_organizations_of_his_roles(world, client_for):
    response = client_for("member").get("/")
    assert response.context["figures"] == []
    assert response.context["personal_orgs"] == [world.branch_a]


def grow_community(community, branches: int, members_per_branch: int):
    grid = GridFactory(community=community)
    for _ in range(branches):
        branch = OrganizationFactory(parent=community, kind=OrgKind.BRANCH)
        group = OrganizationFactory(parent=branch, kind=OrgKind.GROUP)
        building = BuildingFactory(grid=grid, group=group)
        HouseholdFactory(building=building)
        for _ in range(members_per_branch):
            MemberFactory(home_org=branch, community=community)


@pytest.mark.parametrize("path", ["/", "/orgs/", "/orgs/{community}/", "/orgs/{community}/children/"])
def test_pages_issue_the_same_number_of_queries_whatever_the_tree_size(world, path, django_assert_max_num_queries):
    client = Client()
    client.force_login(world.users["street_admin"])
    url = path.format(community=world.community_a.pk)
    grow_community(world.community_a, 1, 1)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as small:
        assert client.get(url).status_code == 200
    grow_community(world.community_a, 12, 5)
    with django_assert_max_num_queries(len(small)):
        assert client.get(url).status_code == 200


def test_grid_and_building_pages_show_households_and_population(world, client_for):
    client = client_for("community_staff")
    page = client.get(f"/orgs/grids/{world.grid_a.pk}/")
    assert page.context["totals"] == {"households": 1, "population": 3}
    page = client.get(f"/orgs/buildings/{world.building_a.pk}/")
    assert page.context["totals"] == {"households": 1, "population": 3}


def test_tree_children_come_as_an_htmx_partial(world, client_for):
    response = client_for("community_secretary").get(f"/orgs/{world.community_a.pk}/children/",
                                                     HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert "第一网格党支部" in body and "<html" not in body


def test_tree_search_by_pinyin_initials_stays_in_scope(world, client_for):
    body = client_for("street_admin").get("/orgs/", {"q": "dywg"}).content.decode()
    assert "第一网格党支部" in body
    assert "外街" not in client_for("street_admin").get("/orgs/", {"q": "wj"}).content.decode()


@pytest.mark.parametrize("url", ["/orgs/abc/", "/orgs/99999999/", "/no/such/page/", "/orgs/grids/0/"])
def test_unknown_or_malformed_urls_give_the_404_page(world, client_for, url):
    response = client_for("community_secretary").get(url)
    assert response.status_code == 404
    assert "未找到" in response.content.decode()


def test_pages_are_in_english_when_the_user_switches_language(world):
    client = Client(enforce_csrf_checks=False)
    client.force_login(world.users["community_secretary"])
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    body = client.get("/orgs/").content.decode()
    assert "Organizations" in body and "组织架构" not in body


def test_the_login_page_is_chinese_by_default():
    body = Client().get("/accounts/login/").content.decode()
    assert "登录" in body and 'lang="zh-hans"' in body


def test_a_user_without_roles_sees_a_hint_not_an_error(db):
    user = UserFactory()
    client = Client()
    client.force_login(user)
    assert "尚未在任何组织担任角色" in client.get("/").content.decode()


def test_a_secretary_of_another_street_gets_404_for_this_streets_pages(world, client_for):
    client = client_for("foreign_secretary")
    for url in (f"/orgs/{world.community_a.pk}/", f"/orgs/grids/{world.grid_a.pk}/",
                f"/orgs/buildings/{world.building_a.pk}/", f"/orgs/{world.street_a.pk}/children/"):
        assert client.get(url).status_code == 404


def test_the_api_lists_only_visible_organizations(world, client_for):
    data = client_for("branch_secretary_b").get("/api/orgs/").json()
    assert sorted(item["code"] for item in data["items"]) == ["SA-C1-B2"]
    RoleFactory(user=world.users["branch_secretary_b"], organization=world.branch_x)
    data = client_for("branch_secretary_b").get("/api/orgs/").json()
    assert sorted(item["code"] for item in data["items"]) == ["SA-C1-B2", "SB-C1-B1", "SB-C1-B1-P1"]


def test_an_organization_page_links_only_the_places_the_user_may_open(world, client_for):
    # The branch secretary sees the grid his branch covers by name, but grids are community records.
    body = client_for("branch_secretary_a").get(f"/orgs/{world.branch_a.pk}/").content.decode()
    assert world.grid_a.name in body and f"/orgs/grids/{world.grid_a.pk}/" not in body
    assert f'href="/orgs/{world.group_a1.pk}/"' in body
    staff_view = client_for("community_staff").get(f"/orgs/{world.branch_a.pk}/").content.decode()
    assert f"/orgs/grids/{world.grid_a.pk}/" in staff_view
