"""The members API: masked roster and records, reportings decided through the same service, residents."""

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from gongzhi.members.models import Reporting, ReportingStatus
from tests.factories import MemberFactory


@pytest.fixture
def world(world_copy):
    return world_copy


pytestmark = pytest.mark.django_db

CSRF = "b" * 32


def api_post(client, url, payload):
    client.cookies["csrftoken"] = CSRF
    return client.post(url, json.dumps(payload), content_type="application/json", HTTP_X_CSRFTOKEN=CSRF)


def test_the_roster_is_scoped_and_masked(world, client_for):
    rows = client_for("community_staff").get("/api/members/").json()["items"]
    names = {r["name"] for r in rows}
    assert world.member_a.name in names and world.member_x.name not in names
    mine = next(r for r in rows if r["id"] == world.member_a.pk)
    assert mine["id_number"] != world.member_a.id_number and mine["id_number"].endswith(world.member_a.id_number[-4:])
    assert world.member_a.mobile not in json.dumps(rows)


def test_a_record_is_masked_and_a_foreign_one_is_not_found(world, client_for):
    client = client_for("community_staff")
    record = client.get(f"/api/members/{world.member_a.pk}").json()
    assert record["address"] != world.member_a.address and "****" in record["address"]
    assert client.get(f"/api/members/{world.member_x.pk}").status_code == 404


def test_the_roster_costs_the_same_queries_for_more_members(world, client_for, django_assert_max_num_queries):
    client = client_for("street_admin")
    with CaptureQueriesContext(connection) as few:
        client.get("/api/members/")
    for _ in range(40):
        MemberFactory(home_org=world.branch_a, community=world.community_a)
    with django_assert_max_num_queries(len(few)):
        client.get("/api/members/")


def test_staff_accept_a_reporting_through_the_api(world, client_for):
    reporting = Reporting.objects.create(member=world.member_reported, community=world.community_a)
    client = client_for("community_staff")
    pending = client.get("/api/members/reportings?status=submitted").json()["items"]
    assert [r["id"] for r in pending] == [reporting.pk]
    response = api_post(client, f"/api/members/reportings/{reporting.pk}/decision",
                        {"decision": "accept", "serving_org_id": world.branch_a.pk})
    assert response.status_code == 200 and response.json()["status"] == "accepted"
    again = api_post(client, f"/api/members/reportings/{reporting.pk}/decision", {"decision": "return"})
    assert again.status_code == 409
    reporting.refresh_from_db()
    assert reporting.status == ReportingStatus.ACCEPTED


def test_accepting_without_a_serving_branch_is_refused_with_a_reason(world, client_for):
    reporting = Reporting.objects.create(member=world.member_reported, community=world.community_a)
    response = api_post(client_for("community_staff"), f"/api/members/reportings/{reporting.pk}/decision",
                        {"decision": "accept"})
    assert response.status_code == 409 and response.json()["detail"]


def test_residents_come_masked_and_scoped(world, client_for):
    rows = client_for("community_staff").get("/api/members/residents").json()["items"]
    assert [r["name"] for r in rows] == [world.resident_a.name]
    assert rows[0]["phone"] != world.resident_a.phone


def test_a_record_carries_party_status_and_who_is_away_masked(world, client_for):
    from datetime import date

    away = MemberFactory(home_org=world.branch_a, community=world.community_a, is_mobile_member=True,
                         mobile_destination="广东省深圳市宝安区", party_status="retained")
    lost = MemberFactory(home_org=world.branch_a, community=world.community_a, standing="lost_contact",
                         lost_contact_since=date(2023, 5, 1))
    client = client_for("community_staff")
    record = client.get(f"/api/members/{away.pk}").json()
    assert (record["is_mobile_member"], record["party_status"]) == (True, "retained")
    assert record["mobile_destination"].endswith("****") and "宝安区" not in json.dumps(record)
    record = client.get(f"/api/members/{lost.pk}").json()
    assert (record["standing"], record["lost_contact_since"]) == ("lost_contact", "2023-05-01")
