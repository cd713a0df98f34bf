"""``get_visible_or_404`` compiled once (``core.scoping._DetailLookup``): for every persona, a superuser, a user with
no role and nobody signed in, in either language, it answers what the queryset answers with the same SQL; two users
never share an answer, whether their scopes have one shape or two; a scope that reads the database or writes a date
while it is built, and a queryset with filters of its own, are looked up as querysets."""

from __future__ import annotations

from datetime import date

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.http import Http404
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from gongzhi.core import scoping
from gongzhi.core.scoping import active_roles, get_visible_or_404
from gongzhi.members.models import Member, Resident
from gongzhi.orgs.models import Building, Grid, Organization
from gongzhi.service.models import TeamMembership
from tests.factories import UserFactory


@pytest.fixture
def world(world_copy):
    return world_copy


# (queryset, the world's objects to look up): a model alone, and with related tables along.
READS = [
    (lambda: Organization, ("community_a", "branch_a", "branch_b", "community_x", "unit_org")),
    (lambda: Organization.objects.select_related("parent"), ("street_a", "branch_a", "group_x")),
    (lambda: Member.objects.select_related("home_org", "community", "grid"), ("member_a", "member_b", "member_x")),
    (lambda: Grid.objects.select_related("community", "branch"), ("grid_a", "grid_b", "grid_x")),
    (lambda: Building.objects.select_related("grid__community"), ("building_a", "building_x")),
    (lambda: Resident.objects.select_related("community"), ("resident_a",)),
]


def _users(world):
    nobody = UserFactory(username="no_role")
    superuser = UserFactory(username="root", is_superuser=True)
    return {**{name: user for name, user in world.users.items() if user is not None},
            "no_role": nobody, "superuser": superuser, "anonymous": AnonymousUser()}


def _answer(queryset, user, pk):
    """The object's id and every statement run (SQL with its values), or None for a 404."""
    active_roles(user)  # the roles read alike before either lookup
    with CaptureQueriesContext(connection) as queries:
        try:
            found = get_visible_or_404(queryset, user, pk=pk).pk
        except Http404:
            found = None
    return found, [query["sql"] for query in queries.captured_queries]


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_the_compiled_lookup_answers_what_the_queryset_answers_with_the_same_sql(world, monkeypatch, language):
    scoping._DETAIL_LOOKUPS.clear()
    users = _users(world)
    compiled_answers, seen = 0, set()
    with translation.override(language):
        for queryset, names in READS:
            for name in names:
                pk = getattr(world, name).pk
                for persona, user in users.items():
                    with monkeypatch.context() as patched:
                        patched.setattr(scoping, "_detail_lookup", lambda queryset, lookup: None)
                        expected = _answer(queryset(), user, pk)
                    # The first run of a shape may have refused a read of the stand-in's (logged, never run).
                    assert _answer(queryset(), user, pk)[0] == expected[0], (name, persona)
                    assert _answer(queryset(), user, pk) == expected, (name, persona)
                    seen.add(expected[0] is not None)
    for lookup in scoping._DETAIL_LOOKUPS.values():
        compiled_answers += len(lookup._scoped._compiled)
    assert seen == {True, False}
    assert compiled_answers > 20  # most shapes ran compiled, not as querysets


def test_two_users_never_share_an_answer(world):
    scoping._DETAIL_LOOKUPS.clear()
    members = Member.objects.select_related("home_org", "community")
    branch_a, branch_b = world.users["branch_secretary_a"], world.users["branch_secretary_b"]
    foreign = world.users["foreign_secretary"]
    for _round in range(3):
        # One shape (a branch secretary each), two branches.
        assert get_visible_or_404(members, branch_a, pk=world.member_a.pk) == world.member_a
        with pytest.raises(Http404):
            get_visible_or_404(members, branch_b, pk=world.member_a.pk)
        assert get_visible_or_404(members, branch_b, pk=world.member_b.pk) == world.member_b
        with pytest.raises(Http404):
            get_visible_or_404(members, branch_a, pk=world.member_b.pk)
        # Another shape (a community's secretary), another street.
        assert get_visible_or_404(members, foreign, pk=world.member_x.pk) == world.member_x
        with pytest.raises(Http404):
            get_visible_or_404(members, foreign, pk=world.member_a.pk)
        with pytest.raises(Http404):
            get_visible_or_404(members, branch_a, pk=world.member_x.pk)
    [lookup] = scoping._DETAIL_LOOKUPS.values()
    assert len(lookup._scoped._compiled) == 2 and not lookup._unfit  # compiled: two shapes, each once


def test_a_scope_that_reads_the_database_while_built_is_looked_up_as_a_queryset(world):
    scoping._DETAIL_LOOKUPS.clear()
    staff = world.users["community_staff"]  # a resident's scope reads the staff's own resident record first
    assert get_visible_or_404(Resident.objects.select_related("community"), staff,
                              pk=world.resident_a.pk) == world.resident_a
    [lookup] = scoping._DETAIL_LOOKUPS.values()
    assert lookup._unfit and not lookup._scoped._compiled
    assert get_visible_or_404(Resident.objects.select_related("community"), staff,
                              pk=world.resident_a.pk) == world.resident_a


def test_a_date_in_the_sql_is_refused_for_a_statement():
    with pytest.raises(scoping._UnfitForStatement):
        scoping._without_dates(TeamMembership.objects.current(date(2025, 5, 1)))
    assert scoping._without_dates(Organization.objects.filter(kind="branch")) is not None


def test_a_queryset_with_its_own_filters_or_values_other_than_whole_numbers_is_not_compiled(world):
    user = world.users["community_secretary"]
    for queryset, lookup in [(Organization.objects.filter(kind="branch"), {"pk": world.branch_a.pk}),
                             (Organization.objects.exclude(kind="unit"), {"pk": world.branch_a.pk}),
                             (Organization.objects.order_by("name"), {"pk": world.branch_a.pk}),
                             (Organization.objects.only("id"), {"pk": world.branch_a.pk}),
                             (Organization.objects.all(), {"pk": str(world.branch_a.pk)}),
                             (Organization.objects.all(), {"code": "SA-C1-B1"})]:
        assert scoping._detail_lookup(queryset, lookup) is None
        assert get_visible_or_404(queryset, user, **lookup) == world.branch_a
    assert scoping._detail_lookup(Organization.objects.select_related("parent"), {"pk": 1}) is not None


def test_a_user_whose_roles_nest_sees_what_the_queryset_shows(world, monkeypatch):
    """Roles at a community and at a branch under it: the queryset keeps the community's path alone, the statement
    asks for both subtrees (stand-ins never nest). The SQL differs, the rows cannot."""
    from gongzhi.accounts.models import RoleKind
    from tests.factories import RoleFactory

    user = UserFactory(username="two_roles")
    roles = [(world.community_a, RoleKind.COMMUNITY_STAFF), (world.branch_a, RoleKind.BRANCH_SECRETARY),
             (world.branch_a, RoleKind.MEMBER)]
    for organization, kind in roles:
        RoleFactory(user=user, organization=organization, kind=kind, starts_on=date(2020, 1, 1))
    scoping._DETAIL_LOOKUPS.clear()
    for queryset, names in READS:
        for name in names:
            pk = getattr(world, name).pk
            with monkeypatch.context() as patched:
                patched.setattr(scoping, "_detail_lookup", lambda queryset, lookup: None)
                expected = _answer(queryset(), user, pk)[0]
            for _run in range(2):
                assert _answer(queryset(), user, pk)[0] == expected, name
    assert any(lookup._scoped._compiled for lookup in scoping._DETAIL_LOOKUPS.values())
