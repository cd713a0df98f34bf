"""Administering organizations and places: by role and level, the tree's grammar, moving a subtree (scoping
follows), closing once members are transferred, the branch-size warning, places and agreements."""

from __future__ import annotations

from datetime import date, timedelta
from types import SimpleNamespace

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from gongzhi.accounts.models import Role, RoleKind
from gongzhi.core.models import AuditEvent
from gongzhi.members.models import Member, Standing
from gongzhi.orgs import services
from gongzhi.orgs.models import Building, Grid, Household, Organization, OrgKind
from gongzhi.orgs.permissions import can_create
from tests.factories import MemberFactory, OrganizationFactory, RoleFactory, UserFactory
from tests.members.helpers import post


@pytest.fixture
def world(module_world, db):
    return SimpleNamespace(**vars(module_world))


def fresh(org):
    return Organization.objects.get(pk=org.pk)


def test_a_community_secretary_cannot_create_a_sibling_community(world, client_for):
    secretary = world.users["community_secretary"]
    assert not can_create(secretary, OrgKind.COMMUNITY, world.street_a)
    assert can_create(secretary, OrgKind.BRANCH, world.community_a)
    response = post(client_for("community_secretary"), f"/orgs/{world.street_a.pk}/new/",
                    {"kind": "community", "code": "SIB", "name": "兄弟社区"})
    assert response.status_code == 404
    assert not Organization.objects.filter(code="SIB").exists()


def test_the_street_creates_a_community_with_an_audit_row(world, client_for):
    response = post(client_for("street_admin"), f"/orgs/{world.street_a.pk}/new/",
                    {"kind": "community", "code": "SA-C9", "name": "和谐社区党委"})
    assert response.status_code == 302
    created = Organization.objects.get(code="SA-C9")
    assert created.parent == world.street_a and created.path.startswith(world.street_a.path)
    assert AuditEvent.objects.filter(action="orgs.organization.create", object_id=str(created.pk)).exists()


def test_a_code_already_used_is_refused_in_words(world, client_for):
    response = post(client_for("community_staff"), f"/orgs/{world.community_a.pk}/new/",
                    {"kind": "branch", "code": "SA-C1-B1", "name": "重复"})
    assert response.status_code == 400
    assert "SA-C1-B1" in response.content.decode()
    assert Organization.objects.filter(code="SA-C1-B1").count() == 1


def test_a_parent_of_the_wrong_kind_is_refused(world):
    with pytest.raises(ValidationError, match="不能设在"):
        services.create_organization(parent=world.branch_a, kind=OrgKind.BRANCH, code="X1", name="支部下的支部",
                                     by=world.users["street_admin"])


def test_a_new_branch_under_three_full_members_gets_a_warning_not_a_refusal(world, client_for):
    response = post(client_for("community_staff"), f"/orgs/{world.community_a.pk}/new/",
                    {"kind": "branch", "code": "SA-C1-B9", "name": "新建党支部"}, follow=True)
    assert response.status_code == 200
    branch = Organization.objects.get(code="SA-C1-B9")
    body = response.content.decode()
    assert "3" in body and branch.name in body and "alert-warning" in body
    for _i in range(3):
        MemberFactory(home_org=branch, community=world.community_a, status="full")
    assert services.branch_size_warning(branch) == ""


def test_moving_a_subtree_keeps_scoping_right_for_roles_inside_it(world, client_for):
    community_b = OrganizationFactory(code="SA-C2", name="第二社区党委", kind=OrgKind.COMMUNITY, parent=world.street_a)
    secretary_b = UserFactory(username="secretary_b")
    RoleFactory(user=secretary_b, organization=community_b, kind=RoleKind.COMMUNITY_SECRETARY,
                starts_on=date(2020, 1, 1))
    branch_secretary = client_for("branch_secretary_b")
    assert branch_secretary.get(f"/orgs/{world.branch_b.pk}/").status_code == 200

    response = post(client_for("street_admin"), f"/orgs/{world.branch_b.pk}/move/", {"parent": community_b.pk})
    assert response.status_code == 302
    moved = fresh(world.branch_b)
    assert moved.parent == community_b and moved.path.startswith(community_b.path)
    # The branch's own secretary keeps the branch; the new community sees it and the members it holds; the old
    # community no longer sees the branch (its members who live there it still sees, as residents' members).
    assert branch_secretary.get(f"/orgs/{moved.pk}/").status_code == 200
    assert Member.objects.visible_to(secretary_b).filter(pk=world.member_b.pk).exists()
    assert not Organization.objects.visible_to(world.users["community_secretary"]).filter(pk=moved.pk).exists()
    assert client_for("community_secretary").get(f"/orgs/{moved.pk}/").status_code == 404


def test_a_move_that_would_make_a_cycle_is_refused_in_words(world, client_for):
    response = post(client_for("street_admin"), f"/orgs/{world.community_a.pk}/move/", {"parent": world.branch_a.pk})
    assert response.status_code == 400
    assert fresh(world.community_a).parent == world.street_a
    with pytest.raises(ValidationError, match="其自身或其下级组织"):
        services.move_organization(organization=world.branch_a, new_parent=world.group_a1,
                                   by=world.users["street_admin"])


def test_community_staff_cannot_move_a_branch_out_of_the_community(world, client_for):
    community_b = OrganizationFactory(code="SA-C2", kind=OrgKind.COMMUNITY, parent=world.street_a)
    response = post(client_for("community_staff"), f"/orgs/{world.branch_b.pk}/move/", {"parent": community_b.pk})
    assert response.status_code == 400
    assert fresh(world.branch_b).parent == world.community_a


def test_closing_an_organization_that_holds_members_is_refused(world, client_for):
    response = post(client_for("community_staff"), f"/orgs/{world.branch_b.pk}/close/",
                    {"closed_on": timezone.localdate().isoformat()})
    assert response.status_code == 400
    assert "钱明" not in response.content.decode()  # counts, not names
    assert fresh(world.branch_b).is_active


def test_closing_after_the_members_are_transferred_keeps_the_history(world, client_for):
    Member.objects.filter(pk=world.member_b.pk).update(home_org=world.branch_a)
    role = Role.objects.get(user=world.users["branch_secretary_b"])
    day = timezone.localdate() - timedelta(days=1)
    response = post(client_for("community_staff"), f"/orgs/{world.branch_b.pk}/close/", {"closed_on": day.isoformat()})
    assert response.status_code == 302
    closed = fresh(world.branch_b)
    assert not closed.is_active and closed.closed_on == day
    role.refresh_from_db()
    assert role.ends_on == day
    assert client_for("community_staff").get(f"/orgs/{closed.pk}/").status_code == 200  # history kept


def test_a_closed_member_standing_does_not_block_closing(world):
    Member.objects.filter(pk=world.member_b.pk).update(standing=Standing.TRANSFERRED_OUT)
    services.close_organization(organization=world.branch_b, on=timezone.localdate(),
                                by=world.users["community_secretary"])
    assert not fresh(world.branch_b).is_active


def test_a_branch_secretary_cannot_administer_the_community(world, client_for):
    client = client_for("branch_secretary_a")
    assert client.get(f"/orgs/{world.community_a.pk}/manage/").status_code == 404
    assert post(client, f"/orgs/{world.community_a.pk}/grids/new/", {"code": "G9", "name": "x"}).status_code == 404
    assert not Grid.objects.filter(code="G9").exists()


def test_the_manage_page_names_each_sub_organizations_secretary_in_one_query(world, client_for):
    """The children's secretaries are read with the children (the demo's crawl found the page failing
    django-zeal's N+1 check once two branches had secretaries)."""
    Organization.objects.filter(pk=world.branch_a.pk).update(secretary=world.users["branch_secretary_a"])
    Organization.objects.filter(pk=world.branch_b.pk).update(secretary=world.users["branch_secretary_b"])
    response = client_for("community_secretary").get(f"/orgs/{world.community_a.pk}/manage/")
    assert response.status_code == 200
    assert str(world.users["branch_secretary_a"]) in response.content.decode()


def test_grids_buildings_and_households_with_entrances_and_floors(world, client_for):
    client = client_for("community_staff")
    assert post(client, f"/orgs/{world.community_a.pk}/grids/new/",
                {"code": "SA-G9", "name": "第九网格", "branch": world.branch_a.pk}).status_code == 302
    grid = Grid.objects.get(code="SA-G9")
    assert post(client, f"/orgs/grids/{grid.pk}/buildings/new/",
                {"name": "9号楼", "entrances": 2, "floors": 11}).status_code == 302
    building = Building.objects.get(grid=grid, name="9号楼")
    assert post(client, f"/orgs/buildings/{building.pk}/households/new/",
                {"entrance": 2, "floor": 11, "number": "1102", "resident_count": 4}).status_code == 302
    assert Household.objects.filter(building=building, entrance=2, number="1102", resident_count=4).exists()
    refused = post(client, f"/orgs/buildings/{building.pk}/households/new/",
                   {"entrance": 3, "floor": 12, "number": "1201", "resident_count": 2})
    assert refused.status_code == 400 and "1" in refused.content.decode()
    assert not Household.objects.filter(building=building, number="1201").exists()
    same_door = post(client, f"/orgs/buildings/{building.pk}/households/new/",
                     {"entrance": 2, "floor": 11, "number": "1102", "resident_count": 1})
    assert same_door.status_code == 400


def test_co_building_unit_and_agreement_with_renewal(world, client_for):
    response = post(client_for("street_admin"), f"/orgs/{world.street_a.pk}/units/new/",
                    {"name": "区供电公司", "kind": "soe", "code": "SA-U2", "contact_name": "周主任"})
    assert response.status_code == 302
    unit = Organization.objects.get(code="SA-U2").unit
    client = client_for("community_secretary")
    assert post(client, f"/orgs/{world.community_a.pk}/agreements/new/", {
        "unit": unit.pk, "unit_contributes": "电力安全讲座", "community_contributes": "活动场地",
        "starts_on": "2026-01-01", "ends_on": "2026-12-31"}).status_code == 302
    agreement = unit.agreements.get()
    assert post(client, f"/orgs/agreements/{agreement.pk}/renew/", {"ends_on": "2027-12-31"}).status_code == 302
    renewed = unit.agreements.order_by("-starts_on").first()
    assert renewed.starts_on == date(2027, 1, 1) and renewed.ends_on == date(2027, 12, 31)
    assert renewed.unit_contributes == "电力安全讲座"
    ends_early = post(client, f"/orgs/{world.community_a.pk}/agreements/new/", {
        "unit": unit.pk, "starts_on": "2026-05-01", "ends_on": "2026-04-01"})
    assert ends_early.status_code == 400
