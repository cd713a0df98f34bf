"""The read API: one paging shape, the same scoping as the pages, masked personal data, bounded parameters."""

import pytest
from django.test import Client

from .factories import applicant, days_ago, id_number

pytestmark = pytest.mark.django_db


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_list_is_paged_scoped_and_masked(world):
    number = id_number()
    own = applicant(world.branch_a, applied_on=days_ago(40), id_number=number, phone="13700001111")
    applicant(world.branch_x, name="外街申请人")
    data = _client(world.users["community_secretary"]).get("/api/recruitment/?limit=10").json()
    assert data["count"] == 1 and [p["id"] for p in data["items"]] == [own.pk]
    assert data["items"][0]["overdue"][0]["kind"] == "talk" and data["items"][0]["standing"] == "applicant"
    detail = _client(world.users["branch_secretary_a"]).get(f"/api/recruitment/{own.pk}").json()
    assert detail["id_number"] != number and detail["id_number"][:4] == number[:4]
    assert "13700001111" not in str(detail) and detail["steps"][0]["number"] == 1
    assert _client(world.users["branch_secretary_b"]).get(f"/api/recruitment/{own.pk}").status_code == 404


@pytest.mark.parametrize("query", ["limit=0", "limit=201", "offset=-1", "standing=nobody", "organization_id=0",
                                   "organization_id=x"])
def test_bad_parameters_are_refused_not_a_500(world, query):
    response = _client(world.users["community_secretary"]).get(f"/api/recruitment/?{query}")
    assert response.status_code in (400, 404, 422)


def test_the_filter_by_organization_and_standing(world):
    applicant(world.branch_a)
    client = _client(world.users["street_admin"])
    assert client.get(f"/api/recruitment/?organization_id={world.branch_b.pk}").json()["count"] == 0
    assert client.get(f"/api/recruitment/?organization_id={world.community_a.pk}").json()["count"] == 1
    assert client.get("/api/recruitment/?standing=activist").json()["count"] == 0
    assert client.get(f"/api/recruitment/?organization_id={world.branch_x.pk}").status_code == 404  # not yours
