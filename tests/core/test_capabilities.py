"""The capability mechanism: one declaration gives the predicate, the query and the menu check."""

from __future__ import annotations

from datetime import date

import pytest

from gongzhi.accounts.models import RoleKind
from gongzhi.core.capabilities import Capability, can
from gongzhi.core.scoping import forget_roles
from gongzhi.orgs.models import BRANCH_LEVEL, COMMUNITY_LEVEL, Organization, OrgKind, kind_reach
from tests.factories import RoleFactory, UserFactory


@pytest.fixture
def world(world_copy):
    return world_copy


PUBLISH = Capability("test.publish", roles={RoleKind.COMMUNITY_SECRETARY, RoleKind.COMMUNITY_STAFF,
                                            RoleKind.BRANCH_SECRETARY}, at=COMMUNITY_LEVEL | BRANCH_LEVEL)
SET_UP_COMMUNITY = Capability("test.set_up_community", roles={RoleKind.STREET_ADMIN}, at=COMMUNITY_LEVEL)


def test_a_name_declared_twice_with_other_grants_is_refused():
    Capability("test.publish", roles=PUBLISH.roles, at=PUBLISH.at)  # the same grant: fine
    with pytest.raises(ValueError):
        Capability("test.publish", roles={RoleKind.MEMBER})


def test_kind_grammar_reaches_down_the_tree_only():
    reach = kind_reach()
    assert OrgKind.GROUP in reach[OrgKind.STREET]
    assert OrgKind.BRANCH in reach[OrgKind.COMMUNITY]
    assert OrgKind.COMMUNITY not in reach[OrgKind.BRANCH]
    assert reach[OrgKind.GROUP] == {OrgKind.GROUP}


def test_predicate_and_query_agree_for_every_persona_and_organization(world):
    orgs = list(Organization.objects.all())
    for persona, user in world.users.items():
        if user is None:
            continue
        for capability in (PUBLISH, SET_UP_COMMUNITY):
            allowed = set(Organization.objects.where_user_can(user, capability).values_list("pk", flat=True))
            assert allowed == {o.pk for o in orgs if can(user, capability, o)}, (persona, capability)


def test_a_role_covers_its_subtree_at_the_declared_kinds_only(world):
    secretary = world.users["community_secretary"]
    assert can(secretary, PUBLISH, world.community_a)
    assert can(secretary, PUBLISH, world.branch_a)
    assert not can(secretary, PUBLISH, world.group_a1)  # a group is not of the declared kinds
    assert not can(secretary, PUBLISH, world.community_x)  # another street's community
    assert not can(world.users["branch_secretary_a"], PUBLISH, world.branch_b)
    assert not can(world.users["supervisor"], PUBLISH, world.community_a)  # supervisors read only
    assert can(world.users["street_admin"], SET_UP_COMMUNITY, world.community_a)
    assert not can(world.users["street_admin"], SET_UP_COMMUNITY, world.branch_a)
    assert not can(None, PUBLISH, world.community_a)


def test_anywhere_follows_role_kinds_and_the_grammar(world):
    assert PUBLISH.anywhere(world.users["branch_secretary_a"])
    assert not PUBLISH.anywhere(world.users["member"])
    assert SET_UP_COMMUNITY.anywhere(world.users["street_admin"])
    # A community secretary holds no role above a community: no community to set up.
    assert not SET_UP_COMMUNITY.anywhere(world.users["community_secretary"])


def test_scoped_querysets_filter_by_the_capability(world):
    from gongzhi.orgs.models import Grid

    manage_grids = Capability("test.grids", roles={RoleKind.COMMUNITY_SECRETARY}, at=COMMUNITY_LEVEL)
    grids = set(Grid.objects.where_user_can(world.users["community_secretary"], manage_grids))
    assert grids == {world.grid_a, world.grid_b}


def test_an_ended_role_stops_granting_on_the_next_request(world):
    user = UserFactory(username="temp")
    role = RoleFactory(user=user, organization=world.community_a, kind=RoleKind.COMMUNITY_STAFF,
                       starts_on=date(2020, 1, 1))
    assert can(user, PUBLISH, world.branch_a)
    role.ends_on = date(2020, 12, 31)
    role.save()
    forget_roles(user)
    assert not can(user, PUBLISH, world.branch_a)


def test_a_superuser_may_act_at_the_declared_kinds(world):
    root = UserFactory(username="root", is_superuser=True)
    assert can(root, PUBLISH, world.community_x)
    assert not can(root, PUBLISH, world.group_x)
    assert set(Organization.objects.where_user_can(root, SET_UP_COMMUNITY)) == {world.community_a, world.community_x}


def test_the_inline_query_gives_the_same_rows_for_every_persona(world):
    """``where_user_can(..., inline=True)`` writes the organizations' ids into the query: the same rows
    as the join to the organization table, for a relation (a grid's community, a building's grid's) and the
    organization itself."""
    from gongzhi.orgs.models import Building, Grid

    root = UserFactory(username="root", is_superuser=True)
    for persona, user in [*world.users.items(), ("superuser", root)]:
        if user is None:
            continue
        for capability in (PUBLISH, SET_UP_COMMUNITY):
            for model in (Grid, Building, Organization):
                joined = set(model.objects.where_user_can(user, capability).values_list("pk", flat=True))
                inline = set(model.objects.where_user_can(user, capability, inline=True).values_list("pk", flat=True))
                assert inline == joined, (persona, capability, model)
    some = set(Grid.objects.where_user_can(world.users["community_secretary"], PUBLISH, inline=True))
    assert some == {world.grid_a, world.grid_b}
