"""The staff's page of residents who moved away: search within one's scope, record a day, bounded queries."""

from datetime import date

import pytest
from django.test import Client
from django.urls import reverse

from gongzhi.privacy import services
from gongzhi.privacy.models import Departure
from tests.factories.core import ResidentFactory

pytestmark = pytest.mark.django_db


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_search_finds_residents_in_scope_only(world):
    ResidentFactory(name="孙外来", community=world.community_x, household=world.household_x)
    page = _client(world.users["community_staff"]).get(reverse("privacy:departures"), {"q": "孙"})
    assert [r.pk for r in page.context["found"]] == [world.resident_a.pk]


def test_recording_a_departure_from_the_page(world):
    response = _client(world.users["community_staff"]).post(
        reverse("privacy:record_departure", args=[world.resident_a.pk]), {"moved_on": "2025-03-01"})
    assert response.status_code == 302
    assert Departure.objects.get(resident=world.resident_a).moved_on == date(2025, 3, 1)


def test_a_bad_day_is_a_message_not_an_error(world):
    client = _client(world.users["community_staff"])
    for value in ("", "2025-02-30", "9999-01-01"):
        response = client.post(reverse("privacy:record_departure", args=[world.resident_a.pk]), {"moved_on": value})
        assert response.status_code == 302
    assert not Departure.objects.exists()


def test_the_departures_page_costs_the_same_queries_for_3_or_30_residents(world, django_assert_max_num_queries):
    staff = world.users["community_staff"]

    def add(n):
        for i in range(n):
            resident = ResidentFactory(name=f"孙{i}号", community=world.community_a, household=world.household_a)
            services.record_departure(resident=resident, moved_on=date(2024, 1, 1), by=staff)

    client = _client(staff)
    add(3)
    with django_assert_max_num_queries(14):
        client.get(reverse("privacy:departures"), {"q": "孙"})
    add(27)
    with django_assert_max_num_queries(14):
        page = client.get(reverse("privacy:departures"), {"q": "孙"})
    assert len(page.context["found"]) == 20 and page.context["page"].paginator.count == 30


def test_my_requests_page_costs_the_same_queries_for_1_or_5_requests(world, django_assert_max_num_queries):
    member = world.users["member"]
    client = _client(member)
    services.ask(person=member, kind="correction", subject="member", field="address", proposed_value="幸福路1号",
                 reason="搬家")
    with django_assert_max_num_queries(14):
        client.get(reverse("privacy:mine"))
    for field in ("name", "ethnicity", "mobile", "employer"):
        services.ask(person=member, kind="correction", subject="member", field=field,
                     proposed_value="汉族" if field == "ethnicity" else "13800009999" if field == "mobile" else "某某",
                     reason="有误")
    with django_assert_max_num_queries(14):
        page = client.get(reverse("privacy:mine"))
    assert len(page.context["rows"]) == 5
