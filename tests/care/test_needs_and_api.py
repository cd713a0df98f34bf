"""A need found on a visit becomes a wish or a request with one click; child records are logged;
the care API; co-building units as carers."""

import json
from datetime import date, timedelta

import pytest
from django.utils import timezone

from gongzhi.care import services
from gongzhi.care.models import CareTag, Pairing, Visit
from gongzhi.core.models import AuditEvent
from gongzhi.voice.models import Request, Wish
from tests.factories import ResidentFactory


@pytest.fixture
def world(world_copy):
    return world_copy


pytestmark = pytest.mark.django_db
CSRF = "c" * 32


def post(client, url, data=None, as_json=False):
    client.cookies["csrftoken"] = CSRF
    if as_json:
        return client.post(url, json.dumps(data or {}), content_type="application/json", HTTP_X_CSRFTOKEN=CSRF)
    return client.post(url, data or {}, HTTP_X_CSRFTOKEN=CSRF)


@pytest.fixture
def pairing(world):
    return Pairing.objects.create(member=world.member_a, resident=world.resident_a, started_on=date(2025, 1, 1))


def visit_with_need(pairing, need="厨房水龙头漏水，需要维修"):
    return Visit.objects.create(pairing=pairing, visited_on=timezone.localdate(), need=need)


def test_the_paired_member_turns_a_need_into_one_wish_with_one_click(world, client_for, pairing):
    visit = visit_with_need(pairing)
    client = client_for("member")
    post(client, f"/care/visits/{visit.pk}/wish/")
    post(client, f"/care/visits/{visit.pk}/wish/")
    wish = Wish.objects.get()
    assert (wish.text, wish.resident, wish.community) == (visit.need, world.resident_a, world.community_a)
    visit.refresh_from_db()
    assert visit.wish == wish
    assert f'data-wish="{wish.pk}"' in client.get(f"/care/residents/{world.resident_a.pk}/").content.decode()


def test_a_need_becomes_a_routed_request_entered_on_a_visit(world, client_for, pairing):
    visit = visit_with_need(pairing)
    post(client_for("member"), f"/care/visits/{visit.pk}/request/", {"category": "facilities"})
    post(client_for("member"), f"/care/visits/{visit.pk}/request/", {"category": "facilities"})
    request = Request.objects.get()
    assert (request.channel, request.resident, request.category) == ("visit", world.resident_a, "facilities")
    assert request.handler is not None  # routed like any other request
    visit.refresh_from_db()
    assert visit.request == request


def test_a_visit_without_a_need_or_by_someone_else_cannot_be_converted(world, client_for, pairing):
    empty = Visit.objects.create(pairing=pairing, visited_on=timezone.localdate(), note="聊天")
    post(client_for("member"), f"/care/visits/{empty.pk}/wish/")
    assert not Wish.objects.exists()
    visit = visit_with_need(pairing)
    assert post(client_for("branch_secretary_a"), f"/care/visits/{visit.pk}/wish/").status_code == 404
    assert post(client_for("foreign_secretary"), f"/care/visits/{visit.pk}/request/",
                {"category": "other"}).status_code == 404
    assert not Wish.objects.exists() and not Request.objects.exists()


def test_each_viewing_of_a_childs_record_is_logged(world, client_for):
    child = ResidentFactory(name="小明", community=world.community_a, household=world.household_a,
                            birth_year=timezone.localdate().year - 9)
    CareTag.objects.create(resident=child, kind="left_behind")
    staff = client_for("community_staff")
    staff.get(f"/care/residents/{child.pk}/")
    staff.get(f"/care/residents/{child.pk}/")
    staff.get(f"/care/residents/{world.resident_a.pk}/")  # an adult: not a child's record
    events = AuditEvent.objects.filter(action="care.child_record.view")
    assert events.count() == 2 and {e.object_id for e in events} == {str(child.pk)}
    assert events.first().actor == world.users["community_staff"]
    staff.get("/api/care/registry")
    assert AuditEvent.objects.filter(action="care.child_record.view", detail__via="api").count() == 1


def test_the_registry_api_hides_needs_from_members_not_paired_and_other_communities(world, client_for, pairing):
    CareTag.objects.create(resident=world.resident_a, kind="alone")
    CareTag.objects.create(resident=world.resident_x, kind="illness")
    staff_rows = client_for("community_staff").get("/api/care/registry").json()["items"]
    assert [(r["resident_id"], r["needs"]) for r in staff_rows] == [(world.resident_a.pk, ["alone"])]
    member_rows = client_for("member").get("/api/care/registry").json()["items"]
    assert [r["resident_id"] for r in member_rows] == [world.resident_a.pk]
    pairing.ended_on = timezone.localdate()
    pairing.save()
    assert client_for("member").get("/api/care/registry").json()["items"] == []
    assert client_for("branch_secretary_a").get("/api/care/registry").status_code == 404


def test_a_phone_logs_a_visit_once_however_often_it_retries(world, client_for, pairing):
    client = client_for("member")
    payload = {"visited_on": timezone.localdate().isoformat(), "note": "量血压", "need": "想要一个助行器",
               "key": "phone-1234-abcd"}
    first = post(client, f"/api/care/pairings/{pairing.pk}/visits", payload, as_json=True)
    again = post(client, f"/api/care/pairings/{pairing.pk}/visits", payload, as_json=True)
    assert (first.status_code, again.status_code) == (201, 200)
    assert Visit.objects.count() == 1 and again.json()["id"] == first.json()["id"]
    future = post(client, f"/api/care/pairings/{pairing.pk}/visits",
                  {"visited_on": (timezone.localdate() + timedelta(days=2)).isoformat()}, as_json=True)
    assert future.status_code == 422 and Visit.objects.count() == 1


def test_overdue_pairings_come_from_the_last_visit(world, client_for, pairing):
    pairing.frequency_days = 7
    pairing.save()
    Visit.objects.create(pairing=pairing, visited_on=timezone.localdate() - timedelta(days=10))
    rows = client_for("community_staff").get("/api/care/pairings/overdue").json()["items"]
    assert [r["id"] for r in rows] == [pairing.pk]


def test_a_co_building_unit_is_paired_and_its_user_logs_visits(world, client_for):
    unit_pairing = services.pair(resident=world.resident_a, unit=world.unit, frequency_days=30,
                                 by=world.users["community_staff"])
    client = client_for("unit_admin")
    rows = client.get("/api/care/pairings").json()["items"]
    assert [r["carer"] for r in rows] == [world.unit.name]
    response = post(client, f"/api/care/pairings/{unit_pairing.pk}/visits",
                    {"visited_on": timezone.localdate().isoformat(), "note": "单位志愿者上门打扫"}, as_json=True)
    assert response.status_code == 201
    assert client.get("/api/care/registry").json()["items"] == []  # care needs stay with staff and paired members
