"""Dual reporting by the member: the public form behind the community's QR code, then acceptance."""

from datetime import date

import pytest
from django.test import Client

from gongzhi.members.models import Member, Reporting, ReportingStatus
from gongzhi.members.reporting import SELF_REGISTRATIONS_PER_HOUR
from tests.factories import valid_id_number

from .helpers import post


@pytest.fixture
def world(world_copy):
    return world_copy


pytestmark = pytest.mark.django_db

NEW_ID = valid_id_number(date(1988, 8, 8), "male", serial=41)


def form(**changes):
    data = {"name": "冯卫东", "id_number": NEW_ID, "mobile": "13566667777", "joined_on": "2012-06-30",
            "home_org_name": "区税务局机关党支部", "employer": "区税务局", "skills": "税法咨询",
            "services": "政策宣传", "consent": "on"}
    data.update(changes)
    return data


def url(world):
    return f"/members/c/{world.community_a.code}/report/"


def test_a_member_from_outside_registers_by_the_qr_form_and_the_community_accepts(world, client_for):
    response = post(Client(enforce_csrf_checks=True), url(world), form())
    assert response.status_code == 200 and response.context["done"]
    member = Member.objects.get(id_number=NEW_ID)
    assert (member.home_org_id, member.home_org_name, member.community, member.user) == (
        None, "区税务局机关党支部", world.community_a, None)
    reporting = Reporting.objects.get(member=member)
    assert reporting.status == ReportingStatus.SUBMITTED and reporting.skills == "税法咨询"
    staff = client_for("community_staff")
    assert "冯卫东" in staff.get("/members/reported/").content.decode()
    decided = post(staff, f"/members/reported/{reporting.pk}/decide/",
                   {f"r{reporting.pk}-decision": "accept", f"r{reporting.pk}-serving_org": world.branch_a.pk})
    assert decided.status_code == 302
    reporting.refresh_from_db()
    assert reporting.status == ReportingStatus.ACCEPTED


def test_submitting_twice_gives_one_pending_registration(world):
    client = Client()
    post(client, url(world), form())
    post(client, url(world), form())
    assert Reporting.objects.filter(member__id_number=NEW_ID).count() == 1
    assert Member.objects.filter(id_number=NEW_ID).count() == 1


def test_a_member_already_registered_is_matched_and_the_answer_does_not_tell(world):
    response = post(Client(), url(world), form(id_number=world.member_x.id_number, name="随便"))
    assert response.status_code == 200 and response.context["done"]
    assert world.member_x.name not in response.content.decode()
    world.member_x.refresh_from_db()
    assert world.member_x.name != "随便"  # nothing of the record changes from a public form
    assert Reporting.objects.filter(member=world.member_x, community=world.community_a).count() == 1


@pytest.mark.parametrize("changes, field", [
    ({"id_number": NEW_ID[:-1] + ("0" if NEW_ID[-1] != "0" else "1")}, "id_number"),
    ({"mobile": "12345"}, "mobile"),
    ({"joined_on": "2999-01-01"}, "joined_on"),
    ({"consent": ""}, "consent"),
    ({"name": ""}, "name"),
])
def test_bad_input_is_refused_with_a_message_and_nothing_is_written(world, changes, field):
    response = post(Client(), url(world), form(**changes))
    assert response.status_code == 400 and response.context["form"].errors[field]
    assert not Reporting.objects.exists()


def test_a_flood_from_one_address_is_stopped(world):
    client = Client()
    for n in range(SELF_REGISTRATIONS_PER_HOUR):
        post(client, url(world), form(id_number=valid_id_number(date(1988, 8, 8), serial=100 + n)))
    response = post(client, url(world), form(id_number=valid_id_number(date(1988, 8, 8), serial=200)))
    assert response.status_code == 400
    assert Reporting.objects.count() == SELF_REGISTRATIONS_PER_HOUR


def test_an_unknown_community_code_is_a_404(world):
    assert Client().get("/members/c/NOPE/report/").status_code == 404


def test_staff_print_the_qr_poster_of_their_community(world, client_for):
    page = client_for("community_staff").get(f"/members/reported/qr/{world.community_a.pk}/")
    assert page.status_code == 200 and "<svg" in page.content.decode()
    assert url(world) in page.context["url"]
