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


def test_unit_certificate_lists_its_members_hours(world, client_for):
    from io import BytesIO

    from docx import Document

    a = activity(world.branch_a, starts_in=-timedelta(hours=3), hours=2, requires_signup=False)
    checkin, _ = services.check_in(a, world.member_reported, by=None, at=a.starts_at)
    services.check_out(checkin, by=None, at=a.ends_at)
    other, _ = services.check_in(a, world.member_a, by=None, at=a.starts_at)
    services.check_out(other, by=None, at=a.ends_at)
    year = timezone.localtime(a.starts_at).year
    response = client_for("unit_admin").get(reverse("service:unit_certificate", args=[world.unit_org.pk]),
                                            {"year": year})
    assert response.status_code == 200
    doc = Document(BytesIO(response.content))
    rows = [[c.text for c in row.cells] for row in doc.tables[0].rows]
    assert rows[1:] == [[world.member_reported.name, "1", "2.00"]]


def test_an_activity_served_elsewhere_stays_open_to_the_member_and_no_one_else_outside(world, client_for):
    # Member A helps at an activity of the foreign street's community.
    elsewhere = activity(world.community_x, starts_in=-timedelta(hours=3), hours=2, requires_signup=True)
    SignUp.objects.create(activity=elsewhere, member=world.member_a)
    checkin, _ = services.check_in(elsewhere, world.member_a, by=None, at=elsewhere.starts_at)
    url = reverse("service:detail", args=[elsewhere.pk])
    assert client_for("member").get(url).status_code == 200
    assert client_for("branch_secretary_a").get(url).status_code == 404
