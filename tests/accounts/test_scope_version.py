"""An account's scope version (``accounts.scope_version``, ``members.scope_triggers``): the triggers give an account a
new number for every change of where its own records say it belongs, and for no other change; what the process
remembers under a number is what a fresh read finds, for every persona; a change rolled back leaves nothing
remembered; a phone at a street-wide event reads its records once, and again as soon as they move."""

from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from gongzhi.accounts import scope_version
from gongzhi.accounts.backends import user_with_roles
from gongzhi.members.models import Member, Resident
from gongzhi.service import services
from gongzhi.service.models import _OWN_PATHS, _own_paths, viewer_scope
from tests.conftest import PERSONAS
from tests.factories.core import MemberFactory, ResidentFactory, UserFactory
from tests.service.factories import activity

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _nothing_remembered():
    scope_version.forget()
    yield
    scope_version.forget()


def _versions() -> dict[int, int]:
    return dict(get_user_model().objects.values_list("pk", "scope_version"))


def _renumbered(change) -> set[int]:
    """The accounts whose number ``change()`` replaced (among those there before it)."""
    before = _versions()
    change()
    after = _versions()
    return {pk for pk, number in before.items() if after.get(pk, number) != number}


def test_a_records_account_branch_or_community_changing_renumbers_its_accounts_and_nothing_else_does(world):
    member_account, resident_account, other = world.users["member"], world.users["resident"], UserFactory()
    member = Member.objects.filter(pk=world.member_a.pk)
    assert _renumbered(lambda: member.update(community=world.community_x)) == {member_account.pk}
    assert _renumbered(lambda: member.update(home_org=world.branch_b)) == {member_account.pk}
    assert _renumbered(lambda: member.update(home_org=world.branch_b)) == set()  # the same value: no change
    assert _renumbered(lambda: member.update(name="赵磊磊", grid=world.grid_b, serving_org=world.branch_a)) == set()
    assert _renumbered(lambda: member.update(user=other)) == {member_account.pk, other.pk}
    assert _renumbered(lambda: member.update(user=None)) == {other.pk}
    resident = Resident.objects.filter(pk=world.resident_a.pk)
    assert _renumbered(lambda: resident.update(community=world.community_x)) == {resident_account.pk}
    assert _renumbered(lambda: resident.update(name="孙丽丽")) == set()
    assert _renumbered(lambda: resident.update(user=other)) == {resident_account.pk, other.pk}


def test_a_record_with_an_account_added_or_removed_renumbers_it_and_a_roster_without_accounts_renumbers_none(world):
    account = UserFactory()
    made = []
    assert _renumbered(lambda: made.append(MemberFactory(home_org=world.branch_a, community=world.community_a,
                                                         user=account))) == {account.pk}
    assert _renumbered(lambda: made[0].delete()) == {account.pk}
    assert _renumbered(lambda: made.append(ResidentFactory(community=world.community_a, user=account))) \
        == {account.pk}
    assert _renumbered(lambda: made[1].delete()) == {account.pk}
    assert _renumbered(lambda: [MemberFactory(home_org=world.branch_a, community=world.community_a)
                                for _ in range(3)]) == set()


def test_an_organization_moved_renumbers_the_accounts_held_or_living_under_it(world):
    member_account, resident_account = world.users["member"].pk, world.users["resident"].pk
    # The member's branch alone: the member, not the resident (who lives in the community).
    assert _renumbered(lambda: world.branch_a.move_to(world.community_x)) == {member_account}
    # The community with what is under it: the member (living there) and the resident; no staff account.
    assert _renumbered(lambda: world.community_a.move_to(world.street_b)) == {member_account, resident_account}
    # The outside community: its own records have no account, but the member's branch is under it now.
    assert _renumbered(lambda: world.community_x.move_to(world.street_a)) == {member_account}  # branch_a under it


def test_every_persona_finds_the_same_scope_remembered_as_read(world, django_assert_num_queries):
    for persona in [p for p in PERSONAS if p != "anonymous"]:
        pk = world.users[persona].pk
        read = user_with_roles(pk)
        found = viewer_scope(read)
        again = user_with_roles(pk)
        with django_assert_num_queries(0):  # its roles read with the account, its records' paths remembered
            remembered = viewer_scope(again)
        not_marked = get_user_model().objects.get(pk=pk)  # not read by a request: never from memory
        assert found == remembered == viewer_scope(not_marked), persona
        assert tuple(_own_paths(again)) == tuple(row[:4] for row in _OWN_PATHS.rows(user_id=pk)
                                                 if row[0] is not None), persona


def test_a_change_rolled_back_leaves_nothing_remembered_under_its_number(world):
    pk = world.users["member"].pk
    before = _own_paths(user_with_roles(pk))
    with transaction.atomic():
        point = transaction.savepoint()
        Member.objects.filter(pk=world.member_a.pk).update(community=world.community_x)
        inside = _own_paths(user_with_roles(pk))  # remembered under the change's number
        assert inside != before and inside[0][3] == world.community_x.path
        transaction.savepoint_rollback(point)
    after = user_with_roles(pk)
    assert _own_paths(after) == before
    assert get_user_model().objects.get(pk=pk).scope_version == after.scope_version


@pytest.mark.django_db(transaction=True)
def test_a_phone_reads_its_records_once_until_they_move(world, client_for):
    """Committed, as at an event: the second visit reads no records; a branch changed by another process's
    statement opens the branch's activity on the next visit."""
    other_branch = activity(world.branch_b, starts_in=-timedelta(minutes=5))
    url = reverse("service:scan", args=[services.checkin_token(other_branch)])
    phone = client_for("member")

    def visit(status):
        with CaptureQueriesContext(connection) as queries:
            assert phone.get(url).status_code == status
        return [q["sql"] for q in queries.captured_queries]

    first = visit(404)
    assert any("members_resident" in sql for sql in first)
    second = visit(404)
    assert len(second) == len(first) - 1 and not any("members_resident" in sql for sql in second)
    Member.objects.filter(pk=world.member_a.pk).update(home_org=world.branch_b)
    third = visit(200)
    assert any("members_resident" in sql for sql in third)
    assert not any("members_resident" in sql for sql in visit(200))


def test_saving_an_account_read_before_its_records_moved_keeps_the_triggers_number(world):
    """The triggers own the number once the account exists: a whole save of an account read earlier (a profile
    edit, an activation) must not write its old number back over the one its records' change drew."""
    account = get_user_model().objects.get(pk=world.users["member"].pk)
    Member.objects.filter(pk=world.member_a.pk).update(community=world.community_x)
    drawn = _versions()[account.pk]
    assert drawn != account.scope_version
    account.display_name = "赵磊"
    account.save()
    assert _versions()[account.pk] == drawn
    assert get_user_model().objects.get(pk=account.pk).display_name == "赵磊"
    fresh = get_user_model()(username="new-account")
    fresh.save()  # a new account keeps the number drawn for it
    assert _versions()[fresh.pk] == fresh.scope_version
