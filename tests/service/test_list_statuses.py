"""The upcoming list's "you are signed up" reads the participant's id only (``selectors.my_statuses_of``),
and answers what ``my_statuses(own_participant(user), …)`` answers: a member's sign-ups, else a resident's."""

from __future__ import annotations

from gongzhi.members.models import Resident
from gongzhi.service import selectors
from gongzhi.service.models import SignUp, SignUpStatus
from tests.factories import UserFactory
from tests.service.factories import activity


def _both(user, ids):
    return selectors.my_statuses(selectors.own_participant(user), ids)


def test_the_list_statuses_match_the_participants_own(world, django_assert_max_num_queries):
    first, second, third = (activity(world.community_a, title=f"活动{i}") for i in range(3))
    ids = [first.pk, second.pk, third.pk]
    SignUp.objects.create(activity=first, member=world.member_a, status=SignUpStatus.SIGNED_UP)
    SignUp.objects.create(activity=second, member=world.member_a, status=SignUpStatus.WAITING)
    SignUp.objects.create(activity=third, resident=world.resident_a, status=SignUpStatus.SIGNED_UP)
    member, resident = world.users["member"], world.users["resident"]
    assert selectors.my_statuses_of(member, ids) == _both(member, ids) == {
        first.pk: SignUpStatus.SIGNED_UP, second.pk: SignUpStatus.WAITING}
    assert selectors.my_statuses_of(resident, ids) == _both(resident, ids) == {third.pk: SignUpStatus.SIGNED_UP}
    # One person with both records: the member record decides, as on every other page.
    Resident.objects.filter(pk=world.resident_a.pk).update(user=member)
    assert selectors.my_statuses_of(member, ids) == _both(member, ids)
    nobody = UserFactory(username="nobody")
    assert _both(nobody, ids) == {}
    with django_assert_max_num_queries(2):
        assert selectors.my_statuses_of(nobody, ids) == {}
    with django_assert_max_num_queries(0):
        assert selectors.my_statuses_of(member, []) == {}


def test_the_list_reuses_the_participant_found_with_the_visibility(world, django_assert_max_num_queries):
    from django.contrib.auth import get_user_model

    from gongzhi.service.models import Activity

    first = activity(world.community_a, title="活动")
    SignUp.objects.create(activity=first, member=world.member_a, status=SignUpStatus.SIGNED_UP)
    SignUp.objects.create(activity=first, resident=world.resident_a, status=SignUpStatus.WAITING)
    for persona, expected in (("member", SignUpStatus.SIGNED_UP), ("resident", SignUpStatus.WAITING),
                              ("street_admin", None)):
        user = get_user_model().objects.get(pk=world.users[persona].pk)
        list(Activity.objects.visible_to(user))  # the list's own query finds the user's records
        with django_assert_max_num_queries(1):
            statuses = selectors.my_statuses_of(user, [first.pk])
        assert statuses == _both(user, [first.pk]) == ({first.pk: expected} if expected else {})
