from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from gongzhi.service import services
from gongzhi.service.models import SignUp

from .factories import activity

pytestmark = pytest.mark.django_db


def test_my_service_shows_hours_and_points_this_year(world, client_for, service_rule):
    a = activity(world.branch_a, starts_in=-timedelta(hours=3), hours=2, requires_signup=True)
    SignUp.objects.create(activity=a, member=world.member_a)
    checkin, _ = services.check_in(a, world.member_a, by=None, at=a.starts_at)
    services.check_out(checkin, by=None, at=a.ends_at)
    response = client_for("member").get(reverse("service:mine"))
    assert response.context["hours"] == Decimal("2.00")
    if timezone.localtime(a.starts_at).year == timezone.localdate().year:
        assert response.context["points"] == Decimal("4.0")
    assert a.title in response.content.decode()


def test_an_activity_served_elsewhere_stays_open_to_the_member_and_no_one_else_outside(world, client_for):
    # Member A helps at an activity of the foreign street's community.
    elsewhere = activity(world.community_x, starts_in=-timedelta(hours=3), hours=2, requires_signup=True)
    SignUp.objects.create(activity=elsewhere, member=world.member_a)
    checkin, _ = services.check_in(elsewhere, world.member_a, by=None, at=elsewhere.starts_at)
    url = reverse("service:detail", args=[elsewhere.pk])
    assert client_for("member").get(url).status_code == 200
    assert client_for("branch_secretary_a").get(url).status_code == 404
