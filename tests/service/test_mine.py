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
