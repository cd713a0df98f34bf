"""The service API: upcoming activities with filters and the pages' scoping, sign-up, idempotent
check-in and check-out with the signed token, my service hours, teams."""

from datetime import timedelta
from decimal import Decimal

import pytest
import time_machine
from django.core import signing
from django.utils import timezone

from gongzhi.points.models import PointEntry
from gongzhi.service import services
from gongzhi.service.models import CheckIn, OpenTo, SignUp

from .factories import activity, team


@pytest.fixture
def world(world_copy):
    return world_copy


pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("mid_morning")]
API = "/api/service"


def _json_post(client, url, data=None):
    return client.post(url, data or {}, content_type="application/json")


def _under_way(world, **extra):
    now = timezone.localtime()
    since_midnight = now - now.replace(hour=0, minute=0, second=0, microsecond=0)
    return activity(world.branch_a, starts_in=-min(timedelta(minutes=10), since_midnight), hours=2, **extra)


@pytest.fixture
def api_client(client, world):
    client.force_login(world.users["member"])
    return client


def test_the_list_shows_what_the_pages_show(world, api_client):
    activity(world.community_a, title="敬老探访", kind="elderly")
    activity(world.branch_a, title="清理楼道", kind="environment")
    activity(world.branch_x, title="外街活动")
    activity(world.branch_b, title="兄弟支部")
    activity(world.community_a, title="已结束", starts_in=-timedelta(days=3))
    titles = [row["title"] for row in api_client.get(f"{API}/activities").json()["items"]]
    assert sorted(titles) == ["敬老探访", "清理楼道"]
    elderly = api_client.get(f"{API}/activities", {"kind": "elderly"}).json()["items"]
    assert [r["title"] for r in elderly] == ["敬老探访"]
    assert api_client.get(f"{API}/activities", {"kind": "nonsense"}).status_code == 422
    by_org = api_client.get(f"{API}/activities", {"organization_id": world.branch_a.pk}).json()["items"]
    assert [r["title"] for r in by_org] == ["清理楼道"]


def test_filters_by_team_dates_and_mine(world, api_client):
    t = team(world.community_a, members=[world.member_a])
    soon = activity(world.community_a, title="队里的", team=t, starts_in=timedelta(days=1))
    later = activity(world.community_a, title="下个月", starts_in=timedelta(days=30))
    assert [r["id"] for r in api_client.get(f"{API}/activities", {"team_id": t.pk}).json()["items"]] == [soon.pk]
    until = (timezone.localdate() + timedelta(days=5)).isoformat()
    assert [r["id"] for r in api_client.get(f"{API}/activities", {"until": until}).json()["items"]] == [soon.pk]
    since = (timezone.localdate() + timedelta(days=20)).isoformat()
    assert [r["id"] for r in api_client.get(f"{API}/activities", {"since": since}).json()["items"]] == [later.pk]
    SignUp.objects.create(activity=later, member=world.member_a)
    mine = api_client.get(f"{API}/activities", {"mine": "true"}).json()["items"]
    assert [(r["id"], r["my_status"]) for r in mine] == [(later.pk, "signed_up")]


def test_detail_sign_up_and_cancel(world, api_client):
    a = activity(world.branch_a, capacity=1)
    detail = api_client.get(f"{API}/activities/{a.pk}").json()
    assert detail["may_join"] and detail["my_status"] is None and detail["taken"] == 0
    assert _json_post(api_client, f"{API}/activities/{a.pk}/signup").json() == {"activity_id": a.pk,
                                                                               "status": "signed_up"}
    assert _json_post(api_client, f"{API}/activities/{a.pk}/signup").json()["status"] == "signed_up"
    assert SignUp.objects.filter(activity=a).count() == 1
    assert api_client.get(f"{API}/activities/{a.pk}").json()["taken"] == 1
    assert _json_post(api_client, f"{API}/activities/{a.pk}/cancel").json()["status"] == "cancelled"
    assert api_client.get(f"{API}/activities/{activity(world.branch_x).pk}").status_code == 404


def test_a_team_activity_refuses_others_with_a_reason(world, api_client):
    t = team(world.community_a, members=[world.member_b])
    a = activity(world.community_a, open_to=OpenTo.TEAM, team=t)
    detail = api_client.get(f"{API}/activities/{a.pk}").json()
    assert not detail["may_join"] and t.name in detail["refusal"]
    response = _json_post(api_client, f"{API}/activities/{a.pk}/signup")
    assert response.status_code == 422 and t.name in response.json()["detail"]
    assert not SignUp.objects.exists()


def test_check_in_and_out_with_the_token_are_idempotent(world, api_client, service_rule):
    a = _under_way(world)
    SignUp.objects.create(activity=a, member=world.member_a)
    token = services.checkin_token(a)
    first = _json_post(api_client, f"{API}/scan/{token}/checkin")
    again = _json_post(api_client, f"{API}/scan/{token}/checkin")
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["id"] == again.json()["id"] and again.json()["created"] is False
    assert CheckIn.objects.count() == 1
    with time_machine.travel(timezone.now() + timedelta(minutes=60)):
        api_client.force_login(world.users["member"])  # the idle session has expired meanwhile
        out = _json_post(api_client, f"{API}/scan/{token}/checkout")
        out_again = _json_post(api_client, f"{API}/scan/{token}/checkout")
    assert out.status_code == out_again.status_code == 200
    assert out.json()["created"] is True and out_again.json()["created"] is False
    assert out.json()["hours"] == out_again.json()["hours"]
    assert PointEntry.objects.count() == 1


def test_check_out_before_check_in_is_refused(world, api_client):
    a = _under_way(world, requires_signup=False)
    response = _json_post(api_client, f"{API}/scan/{services.checkin_token(a)}/checkout")
    assert response.status_code == 422 and not CheckIn.objects.exists()


def test_forged_stale_and_unsigned_up_check_ins_are_refused(world, api_client):
    a = _under_way(world)
    forged = signing.dumps({"a": a.pk, "d": timezone.localdate().isoformat()}, salt="other")
    assert _json_post(api_client, f"{API}/scan/{forged}/checkin").status_code == 400
    response = _json_post(api_client, f"{API}/scan/{services.checkin_token(a)}/checkin")
    assert response.status_code == 422 and "报名" in response.json()["detail"]
    assert not CheckIn.objects.exists()


def test_a_token_of_an_invisible_activity_answers_404(world, api_client):
    a = activity(world.branch_b, starts_in=-timedelta(minutes=5), requires_signup=False)
    assert _json_post(api_client, f"{API}/scan/{services.checkin_token(a)}/checkin").status_code == 404


def test_my_service_hours_and_points(world, api_client, service_rule):
    a = activity(world.branch_a, starts_in=-timedelta(hours=3), hours=2, requires_signup=False)
    checkin, _ = services.check_in(a, world.member_a, by=None, at=a.starts_at)
    services.check_out(checkin, by=None, at=a.ends_at)
    year = timezone.localtime(a.starts_at).year
    body = api_client.get(f"{API}/mine", {"year": year}).json()
    assert Decimal(body["hours"]) == Decimal("2.00") and body["activities"] == 1
    assert Decimal(body["points_this_year"]) == Decimal("4.0")
    assert body["history"][0]["title"] == a.title


def test_teams_list_and_detail_follow_the_pages(world, client, api_client):
    own = team(world.branch_a, name="一支部队", members=[world.member_b], kinds=["patrol"])
    team(world.branch_x, name="外街队")
    assert [t["name"] for t in api_client.get(f"{API}/teams").json()["items"]] == ["一支部队"]
    detail = api_client.get(f"{API}/teams/{own.pk}").json()
    assert detail["members"] is None and detail["member_count"] == 1 and detail["kinds"] == ["patrol"]
    client.force_login(world.users["branch_secretary_a"])
    assert [m["name"] for m in client.get(f"{API}/teams/{own.pk}").json()["members"]] == ["钱明"]
