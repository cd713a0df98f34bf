"""Residents take part in activities open to residents: they sign up (waiting list included),
check in and out with the QR link, and see their hours; they earn no party points."""

from datetime import timedelta
from decimal import Decimal

import pytest
import time_machine
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from gongzhi.core.mydata import sections_for
from gongzhi.points.models import PointEntry
from gongzhi.service import services
from gongzhi.service.models import CheckIn, OpenTo, SignUp, SignUpStatus

from .factories import activity, post


@pytest.fixture
def world(world_copy):
    return world_copy


pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("mid_morning")]
CSRF = "a" * 32


def _open(world, **extra):
    return activity(world.community_a, title="敬老包饺子", open_to=OpenTo.RESIDENTS, **extra)


def test_a_resident_signs_up_and_cancels_on_the_activity_page(world, client_for):
    a = _open(world)
    client = client_for("resident")
    page = client.get(reverse("service:detail", args=[a.pk]))
    assert page.status_code == 200 and reverse("service:signup", args=[a.pk]) in page.content.decode()
    post(client, reverse("service:signup", args=[a.pk]))
    post(client, reverse("service:signup", args=[a.pk]))  # a double tap: one sign-up
    signup = SignUp.objects.get()
    assert (signup.resident, signup.member, signup.status) == (world.resident_a, None, SignUpStatus.SIGNED_UP)
    listed = client.get(reverse("service:upcoming")).content.decode()
    assert "敬老包饺子" in listed
    post(client, reverse("service:cancel", args=[a.pk]))
    signup.refresh_from_db()
    assert signup.status == SignUpStatus.CANCELLED


def test_residents_and_members_share_the_places_and_the_waiting_list(world):
    a = _open(world, capacity=1)
    first = services.sign_up(a, world.resident_a)
    second = services.sign_up(a, world.member_a)
    assert (first.status, second.status) == (SignUpStatus.SIGNED_UP, SignUpStatus.WAITING)
    services.cancel(a, world.resident_a)
    second.refresh_from_db()
    assert second.status == SignUpStatus.SIGNED_UP


def test_a_resident_cannot_join_an_activity_for_party_members(world):
    a = activity(world.community_a, open_to=OpenTo.MEMBERS)
    with pytest.raises(services.ServiceError):
        services.sign_up(a, world.resident_a)
    assert not SignUp.objects.exists()


def test_a_resident_checks_in_and_out_with_the_qr_link_and_earns_hours_not_points(world, client_for, service_rule):
    a = _open(world, starts_in=-timedelta(minutes=10))
    SignUp.objects.create(activity=a, resident=world.resident_a)
    url = reverse("service:scan", args=[services.checkin_token(a)])
    client = client_for("resident")
    assert client.get(url).status_code == 200
    post(client, url)  # checks in
    post(client, url)  # the same link again checks out
    checkin = CheckIn.objects.get()
    assert checkin.resident == world.resident_a and checkin.checked_out_at is not None
    assert not PointEntry.objects.exists()
    page = client.get(reverse("service:mine")).content.decode()
    assert "敬老包饺子" in page and "points in all" not in page and "积分合计" not in page


def test_hours_come_from_the_check_in_times(world, client_for, service_rule):
    a = _open(world, starts_in=-timedelta(minutes=10))
    SignUp.objects.create(activity=a, resident=world.resident_a)
    url = reverse("service:scan", args=[services.checkin_token(a)])
    client = client_for("resident")
    post(client, url)
    with time_machine.travel(timezone.now() + timedelta(minutes=60)):
        client.force_login(world.users["resident"])
        post(client, url)
    checkin = CheckIn.objects.get()
    assert Decimal("0.99") <= checkin.hours <= Decimal("1.01")
    assert not PointEntry.objects.exists()


def test_the_organiser_sees_residents_on_the_roster_and_checks_them_in_by_hand(world, client_for):
    a = _open(world, starts_in=-timedelta(minutes=10))
    SignUp.objects.create(activity=a, resident=world.resident_a)
    SignUp.objects.create(activity=a, member=world.member_a)
    client = client_for("community_secretary")
    roster = client.get(reverse("service:roster", args=[a.pk])).content.decode()
    assert world.resident_a.name in roster and world.member_a.name in roster
    done = post(client, reverse("service:manual_check", args=[a.pk]),
                {"resident": world.resident_a.pk, "action": "in", "reason": "老人不会用手机"})
    assert done.status_code == 302
    assert CheckIn.objects.get().resident == world.resident_a
    refused = post(client, reverse("service:manual_check", args=[a.pk]),
                   {"resident": world.resident_x.pk, "action": "in", "reason": "x"})
    assert refused.status_code == 404


def test_the_api_lets_a_resident_sign_up_check_in_and_read_his_hours(world, client_for):
    a = _open(world, starts_in=timedelta(minutes=5))
    client = client_for("resident")
    client.cookies["csrftoken"] = CSRF

    def api_post(url):
        return client.post(url, {}, content_type="application/json", HTTP_X_CSRFTOKEN=CSRF)

    assert api_post(f"/api/service/activities/{a.pk}/signup").json()["status"] == "signed_up"
    assert client.get(f"/api/service/activities/{a.pk}").json()["my_status"] == "signed_up"
    with time_machine.travel(a.starts_at + timedelta(minutes=1)):
        client.force_login(world.users["resident"])
        client.cookies["csrftoken"] = CSRF
        token = services.checkin_token(a)
        first = api_post(f"/api/service/scan/{token}/checkin")
        again = api_post(f"/api/service/scan/{token}/checkin")
        assert (first.status_code, again.status_code) == (201, 200)
    mine = client.get("/api/service/mine").json()
    assert mine["activities"] == 1 and mine["points_in_all"] == "0"


def test_my_data_lists_a_residents_sign_ups(world):
    a = _open(world)
    services.sign_up(a, world.resident_a)
    cells = [cell for section in sections_for(world.users["resident"]) for row in section["rows"] for cell in row]
    assert "敬老包饺子" in cells


def test_a_sign_up_belongs_to_exactly_one_person(world):
    a = _open(world)
    with pytest.raises(IntegrityError), transaction.atomic():
        SignUp.objects.create(activity=a, member=world.member_a, resident=world.resident_a)
    with pytest.raises(IntegrityError), transaction.atomic():
        CheckIn.objects.create(activity=a, checked_in_at=timezone.now())
