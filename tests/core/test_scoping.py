"""The one scoping mechanism: subtrees of the organizations where a user holds a role."""

from datetime import date, timedelta

import pytest
from django.http import Http404

from gongzhi.accounts.models import Role
from gongzhi.core.scoping import get_visible_or_404
from gongzhi.members.models import Member
from gongzhi.orgs.models import Grid, Organization
from tests.factories import UserFactory


@pytest.fixture
def world(world_copy):
    return world_copy


def names(qs):
    return sorted(o.code for o in qs)


def test_a_community_secretary_sees_the_community_subtree_only(world):
    visible = Organization.objects.visible_to(world.users["community_secretary"])
    assert names(visible) == ["SA-C1", "SA-C1-B1", "SA-C1-B1-P1", "SA-C1-B2"]


def test_a_street_administrator_sees_every_community_of_the_street_but_not_another_street(world):
    codes = names(Organization.objects.visible_to(world.users["street_admin"]))
    assert "SA" in codes and "SA-C1-B2" in codes and "SA-U1" in codes
    assert not any(code.startswith("SB") for code in codes)


def test_a_branch_secretary_sees_his_branch_and_not_the_sibling(world):
    codes = names(Organization.objects.visible_to(world.users["branch_secretary_a"]))
    assert codes == ["SA-C1-B1", "SA-C1-B1-P1"]
    with pytest.raises(Http404):
        get_visible_or_404(Organization, world.users["branch_secretary_a"], pk=world.branch_b.pk)


def test_missing_and_foreign_objects_give_the_same_404(world):
    user = world.users["community_secretary"]
    for pk in (world.community_x.pk, 999_999, "not-a-number"):
        with pytest.raises(Http404):
            get_visible_or_404(Organization, user, pk=pk)


def test_a_refusal_with_related_tables_reads_the_id_alone_and_a_visible_object_comes_with_them(world):
    """``get_visible_or_404`` of a queryset with ``select_related``: the refusal asks without the related
    tables; the object the user may see is read whole, its related rows along, as ``get`` would."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    members = Member.objects.select_related("home_org", "community", "grid")
    with CaptureQueriesContext(connection) as refused, pytest.raises(Http404):
        get_visible_or_404(members, world.users["branch_secretary_a"], pk=world.member_x.pk)
    assert refused.captured_queries and not any("orgs_grid" in query["sql"] for query in refused.captured_queries)
    with pytest.raises(Http404):  # the queryset's own filters hold too
        get_visible_or_404(members.filter(name="nobody"), world.users["community_staff"], pk=world.member_a.pk)
    member = get_visible_or_404(members, world.users["community_staff"], pk=world.member_a.pk)
    assert member == world.member_a
    with CaptureQueriesContext(connection) as later:
        assert member.home_org == world.branch_a and member.grid == world.grid_a
    assert len(later) == 0


def test_members_are_visible_through_membership_or_residence_and_to_themselves(world):
    staff = Member.objects.visible_to(world.users["community_staff"])
    assert set(staff) == {world.member_a, world.member_b, world.member_reported}
    assert set(Member.objects.visible_to(world.users["member"])) == {world.member_a}
    assert set(Member.objects.visible_to(world.users["unit_admin"])) == {world.member_reported}
    assert set(Member.objects.visible_to(world.users["foreign_secretary"])) == {world.member_x}
    assert not Member.objects.visible_to(world.users["resident"]).exists()


def test_places_follow_their_community(world):
    assert set(Grid.objects.visible_to(world.users["community_staff"])) == {world.grid_a, world.grid_b}
    assert not Grid.objects.visible_to(world.users["branch_secretary_a"]).filter(pk=world.grid_x.pk).exists()


def test_anonymous_sees_nothing(world):
    from django.contrib.auth.models import AnonymousUser

    assert not Organization.objects.visible_to(AnonymousUser()).exists()


def test_a_role_that_ended_yesterday_gives_no_access_on_the_next_request(world, client_for):
    client = client_for("community_staff")
    url = f"/orgs/{world.community_a.pk}/"
    assert client.get(url).status_code == 200
    Role.objects.filter(user=world.users["community_staff"]).update(ends_on=date.today() - timedelta(days=1),
                                                                     starts_on=date(2020, 1, 1))
    assert client.get(url).status_code == 404


def test_a_role_that_starts_tomorrow_gives_no_access_yet(db):
    from tests.factories import OrganizationFactory, RoleFactory

    org = OrganizationFactory()
    user = UserFactory()
    RoleFactory(user=user, organization=org, starts_on=date.today() + timedelta(days=1))
    assert not Organization.objects.visible_to(user).exists()


def test_a_statement_built_with_a_stand_in_viewer_sees_what_the_user_sees(world):
    """Every persona (with roles of every kind, one's own records, a superuser, nobody signed in): a statement
    built on ``visible_to`` / ``in_scope_of`` / ``where_user_can`` with ``stand_in_viewer`` answers, for the
    user's ``viewer_values``, exactly what the same queryset answers for the user."""
    from django.contrib.auth.models import AnonymousUser

    from gongzhi.core.scoping import VIEWER_OPTIONAL, stand_in_viewer, viewer_values
    from gongzhi.core.statements import Statement
    from gongzhi.members.models import Resident
    from gongzhi.members.permissions import READ_RESIDENTS

    reads = {
        "organizations": lambda user: Organization.objects.visible_to(user),
        "members": lambda user: Member.objects.visible_to(user),
        "residents": lambda user: Resident.objects.visible_to(user),
        "staff's members": lambda user: Member.objects.in_scope_of(user),
        "residents' organizations": lambda user: Organization.objects.where_user_can(user, READ_RESIDENTS),
    }
    superuser = UserFactory(username="root", is_superuser=True)
    users = [*(u for u in world.users.values() if u is not None), superuser, AnonymousUser()]
    seen = set()
    for name, read in reads.items():
        statement = Statement(lambda read=read, **viewer: read(stand_in_viewer(**viewer)).order_by("pk")
                              .values_list("pk"), optional=VIEWER_OPTIONAL)
        for user in users:
            expected = [(pk,) for pk in read(user).order_by("pk").values_list("pk", flat=True)]
            assert statement.rows(**viewer_values(user)) == expected, (name, user)
            seen.add(len(expected))
    assert len(seen) > 3  # the personas see different rows
