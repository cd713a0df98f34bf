"""Publishing, scoping, sign-up with a waiting list, and the organiser's roster."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from gongzhi.service import services
from gongzhi.service.models import Activity, CheckIn, OpenTo, SignUp, SignUpStatus
from tests.factories import MemberFactory

from .factories import activity, post


@pytest.fixture
def world(world_copy):
    return world_copy


pytestmark = pytest.mark.django_db


def test_members_see_activities_of_organizations_on_their_path_only(world):
    street = activity(world.street_a, title="街道活动")
    community = activity(world.community_a, title="社区活动")
    own_branch = activity(world.branch_a, title="本支部")
    other_branch = activity(world.branch_b, title="兄弟支部")
    foreign = activity(world.branch_x, title="外街")
    seen = set(Activity.objects.visible_to(world.users["member"]))
    assert seen == {street, community, own_branch}
    assert other_branch not in seen and foreign not in seen


def test_residents_see_only_activities_open_to_residents(world):
    closed = activity(world.community_a, title="党员专场")
    open_ = activity(world.community_a, title="居民也可", open_to=OpenTo.RESIDENTS)
    assert set(Activity.objects.visible_to(world.users["resident"])) == {open_}
    assert closed not in Activity.objects.visible_to(world.users["resident"])


def test_upcoming_list_shows_visible_activities(world, client_for):
    activity(world.community_a, title="敬老探访")
    activity(world.branch_x, title="外街活动")
    activity(world.community_a, title="已结束", starts_in=-timedelta(days=3))
    body = client_for("member").get(reverse("service:upcoming")).content.decode()
    assert "敬老探访" in body and "外街活动" not in body and "已结束" not in body


def test_upcoming_list_queries_are_bounded(world, client_for, django_assert_max_num_queries):
    client = client_for("community_staff")
    for n in range(3):
        activity(world.community_a, title=f"a{n}")
    with django_assert_max_num_queries(12):
        client.get(reverse("service:upcoming"))
    for n in range(20):
        activity(world.branch_a, title=f"b{n}")
    with django_assert_max_num_queries(12):
        assert client.get(reverse("service:upcoming")).status_code == 200


def test_a_full_activity_puts_the_next_member_on_the_waiting_list_and_promotes_on_cancel(world):
    a = activity(world.community_a, capacity=1)
    first = services.sign_up(a, world.member_a)
    second = services.sign_up(a, world.member_b)
    assert (first.status, second.status) == (SignUpStatus.SIGNED_UP, SignUpStatus.WAITING)
    services.cancel(a, world.member_a)
    second.refresh_from_db()
    first.refresh_from_db()
    assert (first.status, second.status) == (SignUpStatus.CANCELLED, SignUpStatus.SIGNED_UP)


def test_signing_up_twice_keeps_one_row(world, client_for):
    a = activity(world.branch_a)
    client = client_for("member")
    post(client, reverse("service:signup", args=[a.pk]))
    post(client, reverse("service:signup", args=[a.pk]))
    assert SignUp.objects.filter(activity=a, member=world.member_a).count() == 1


def test_no_sign_up_or_cancel_after_the_start(world, client_for):
    a = activity(world.branch_a, starts_in=-timedelta(minutes=5))
    with pytest.raises(services.ServiceError):
        services.sign_up(a, world.member_a)
    response = post(client_for("member"), reverse("service:signup", args=[a.pk]), follow=True)
    assert "已经开始" in response.content.decode() or "already started" in response.content.decode()
    assert not SignUp.objects.filter(activity=a).exists()


def test_branch_secretary_publishes_an_activity_for_the_branch(world, client_for):
    start = timezone.localtime() + timedelta(days=3)
    data = {"organization": world.branch_a.pk, "title": "政策宣讲", "kind": "policy", "place": "活动室",
            "starts_at": start.strftime("%Y-%m-%dT%H:%M"),
            "ends_at": (start + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"),
            "capacity": "10", "open_to": "members", "requires_signup": "on"}
    response = post(client_for("branch_secretary_a"), reverse("service:create"), data)
    assert response.status_code == 302
    assert Activity.objects.get(title="政策宣讲").organization == world.branch_a


def test_publishing_for_an_organization_outside_the_scope_is_refused(world, client_for):
    start = timezone.localtime() + timedelta(days=3)
    data = {"organization": world.branch_b.pk, "title": "越权", "kind": "policy", "place": "x",
            "starts_at": start.strftime("%Y-%m-%dT%H:%M"),
            "ends_at": (start - timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"), "open_to": "members"}
    response = post(client_for("branch_secretary_a"), reverse("service:create"), data)
    assert response.status_code == 400
    assert not Activity.objects.filter(title="越权").exists()


def test_organiser_checks_a_member_in_and_out_by_hand_with_a_reason(world, client_for, service_rule):
    a = activity(world.branch_a, starts_in=-timedelta(hours=1), hours=2)
    SignUp.objects.create(activity=a, member=world.member_a)
    client = client_for("branch_secretary_a")
    url = reverse("service:manual_check", args=[a.pk])
    post(client, url, {"member": world.member_a.pk, "action": "in", "reason": ""})
    assert not CheckIn.objects.exists()
    post(client, url, {"member": world.member_a.pk, "action": "in", "reason": "手机没电"})
    post(client, url, {"member": world.member_a.pk, "action": "out", "reason": "手机没电"})
    checkin = CheckIn.objects.get()
    assert checkin.by_hand_reason == "手机没电" and checkin.checked_out_at is not None
    body = client.get(reverse("service:roster", args=[a.pk])).content.decode()
    assert world.member_a.name in body


def test_roster_queries_are_bounded(world, client_for, django_assert_max_num_queries):
    a = activity(world.branch_a)
    client = client_for("branch_secretary_a")
    url = reverse("service:roster", args=[a.pk])
    SignUp.objects.create(activity=a, member=world.member_a)
    with django_assert_max_num_queries(12):
        client.get(url)
    for _n in range(15):
        SignUp.objects.create(activity=a, member=MemberFactory(home_org=world.branch_a))
    with django_assert_max_num_queries(12):
        assert client.get(url).status_code == 200


def test_the_upcoming_list_compiled_once_sees_what_each_user_sees(world):
    """The upcoming activities' statement (built with ``stand_in_participant``) answers, for every persona's
    ``viewer_scope``, what ``upcoming_activities`` answers for the user: subtrees, ancestors' public activities,
    residents' ones, a team's, one's own sign-up elsewhere."""
    from gongzhi.core.scoping import VIEWER_OPTIONAL
    from gongzhi.core.statements import Statement
    from gongzhi.service import selectors
    from gongzhi.service.models import stand_in_participant, viewer_scope

    from .factories import team

    now = timezone.now()
    activity(world.street_a, title="街道", open_to=OpenTo.RESIDENTS)
    activity(world.community_a, title="社区")
    activity(world.branch_b, title="二支部")
    elsewhere = activity(world.branch_x, title="外街")
    crew = team(world.branch_b, members=[world.member_a])
    activity(world.branch_b, title="队伍", team=crew, open_to=OpenTo.TEAM)
    SignUp.objects.create(activity=elsewhere, member=world.member_a)
    statement = Statement(lambda now, **scope: selectors.upcoming_activities(stand_in_participant(**scope), now=now)
                          .order_by("starts_at", "id").values_list("id", "taken"), optional=VIEWER_OPTIONAL)
    seen = set()
    for persona, user in world.users.items():
        if user is None:
            continue
        expected = list(selectors.upcoming_activities(user, now=now).order_by("starts_at", "id")
                        .values_list("id", "taken"))
        assert statement.rows(now=now, **viewer_scope(user)) == expected, persona
        seen.add(len(expected))
    assert len(seen) > 2
