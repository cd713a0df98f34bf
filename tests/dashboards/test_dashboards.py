"""Dashboards, the big screen, kiosk links and the figures API, on the cast's world."""

from __future__ import annotations

from datetime import date
from types import SimpleNamespace

import pytest
from django.urls import reverse

from gongzhi.core.audit import AuditEvent
from gongzhi.dashboards import services
from gongzhi.dashboards.models import KioskToken
from tests.dashboards.cards import card

pytestmark = pytest.mark.django_db

CSRF = "a" * 32


@pytest.fixture
def world(module_world, db):
    return SimpleNamespace(**vars(module_world))


def post(client, url, data=None):
    client.cookies["csrftoken"] = CSRF
    return client.post(url, data or {}, HTTP_X_CSRFTOKEN=CSRF)


def test_the_street_administrator_reaches_the_street_dashboard_from_the_menu_in_two_clicks(world, client_for):
    client = client_for("street_admin")
    home = client.get(reverse("home")).content.decode()
    assert reverse("dashboards:index") in home  # click 1: Statistics ▸ Dashboards
    response = client.get(reverse("dashboards:index"))  # click 2: the street's dashboard
    assert response.status_code == 200 and response.context["org"] == world.street_a
    page = response.content.decode()
    assert 'data-figure-key="members.total"' in page and 'data-chart="bars-members.total-data"' in page
    # Its communities are bars that open their own dashboards (drill-down), the period kept.
    assert reverse("dashboards:organization", args=[world.community_a.pk]) + "?period=year&amp;year=" in page


def test_a_dashboard_shows_the_period_and_the_change_against_the_one_before(world, client_for):
    from tests.factories.core import MemberFactory

    MemberFactory(home_org=world.branch_a, joined_on=date(2025, 3, 1))
    response = client_for("community_secretary").get(
        reverse("dashboards:organization", args=[world.community_a.pk]) + "?period=year&year=2025")
    assert card(response.content.decode(), "members.total") == {"value": "3 人", "change": "+1", "previous": "2 人"}
    assert response.context["period"].label and "2024" in response.content.decode()


def test_bad_period_parameters_fall_back_to_this_year(world, client_for):
    response = client_for("street_admin").get(reverse("dashboards:organization", args=[world.street_a.pk])
                                              + "?period=decade&year=99999&number=-4")
    assert response.status_code == 200 and response.context["period"].kind == "year"


def test_a_branch_dashboard_has_no_drill_down_into_groups(world, client_for):
    response = client_for("branch_secretary_a").get(reverse("dashboards:organization", args=[world.branch_a.pk]))
    assert response.status_code == 200 and response.context["bars"]
    assert response.context["links"] == [None] and "<a href" not in response.context["bars"][0].split("<tbody>")[1]


def test_the_branch_secretary_sees_no_bar_link_to_the_other_branch(world, client_for):
    response = client_for("community_secretary").get(reverse("dashboards:organization",
                                                             args=[world.community_a.pk]))
    links = response.context["links"]
    assert len(links) == 2 and all(links)


def test_kiosk_link_shows_aggregates_only_and_stops_when_revoked(world, client_for):
    from django.test import Client

    staff = client_for("community_staff")
    response = post(staff, reverse("dashboards:kiosk_links", args=[world.community_a.pk]), {"label": "社区大厅"})
    link = response.context["created"]
    assert link and "/dashboards/kiosk/" in link
    kiosk = KioskToken.objects.get(label="社区大厅")
    assert kiosk.token_hash not in link  # only the hash is kept
    assert AuditEvent.objects.filter(action="dashboards.kiosk.create").exists()

    anonymous = Client()
    path = link.split("testserver", 1)[1]
    screen = anonymous.get(path)
    assert screen.status_code == 200
    body = screen.content.decode()
    assert world.community_a.name in body
    people = (world.member_a, world.member_b, world.resident_a)
    for name in [p.name for p in people] + [world.users["community_staff"].display_name]:
        assert name not in body
    assert 'data-refresh="300"' in body
    assert reverse("dashboards:organization", args=[world.community_a.pk]) not in body  # no way into the app

    revoked = post(staff, reverse("dashboards:kiosk_revoke", args=[kiosk.pk]))
    assert revoked.status_code == 302
    assert anonymous.get(path).status_code == 404
    assert AuditEvent.objects.filter(action="dashboards.kiosk.revoke").exists()


def test_a_kiosk_link_needs_a_place_and_an_unknown_token_opens_nothing(world, client_for):
    from django.test import Client

    response = post(client_for("street_admin"), reverse("dashboards:kiosk_links", args=[world.community_a.pk]),
                    {"label": " "})
    assert response.status_code == 400 and not KioskToken.objects.exists()
    assert Client().get(reverse("dashboards:kiosk", args=["x" * 32])).status_code == 404


def test_an_organization_keeps_at_most_ten_active_links(world):
    from django.core.exceptions import ValidationError

    for n in range(services.MAX_ACTIVE):
        services.create_kiosk_token(organization=world.community_a, label=f"屏{n}", by=world.users["street_admin"])
    with pytest.raises(ValidationError):
        services.create_kiosk_token(organization=world.community_a, label="再来一个", by=world.users["street_admin"])


def test_the_figures_api_gives_the_registry_for_an_organization_and_a_period(world, client_for):
    response = client_for("community_secretary").get(
        "/api/stats/", {"org_id": world.community_a.pk, "period": "quarter", "year": 2026, "number": 2})
    assert response.status_code == 200
    data = response.json()
    assert data["period"] == {"kind": "quarter", "start": "2026-04-01", "end": "2026-06-30",
                              "label": data["period"]["label"]}
    assert data["previous"]["start"] == "2026-01-01"
    figures = {f["key"]: f for f in data["figures"]}
    assert figures["members.total"]["value"] == 2 and figures["members.total"]["unit"] == "people"
    assert figures["members.total"]["breakdown"][0]["label"]
    assert "orgs.branches" in figures


def test_the_figures_api_refuses_what_the_pages_refuse(world, client_for):
    member = client_for("member").get("/api/stats/", {"org_id": world.branch_a.pk})
    assert member.status_code == 404
    foreign = client_for("street_admin").get("/api/stats/", {"org_id": world.community_x.pk})
    assert foreign.status_code == 404
    assert client_for("street_admin").get("/api/stats/", {"org_id": world.street_a.pk, "year": 1999}).status_code == 422
