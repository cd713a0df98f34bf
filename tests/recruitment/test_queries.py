"""A person's page and the API list take a bounded number of queries whatever the number of steps, documents,
assessments or people."""

import pytest
from django.test import Client
from django.urls import reverse

from gongzhi.recruitment import services

from .factories import START, applicant, contacts, days_ago, walk

pytestmark = pytest.mark.django_db


def test_the_person_page_is_bounded(world, django_assert_max_num_queries):
    from django.core.files.uploadedfile import SimpleUploadedFile

    secretary, upper = world.users["branch_secretary_a"], world.users["community_secretary"]
    client = Client()
    client.force_login(secretary)
    short = applicant(world.branch_a, applied_on=days_ago(40), name="短")
    long = walk(applicant(world.branch_a, applied_on=days_ago(START), name="长"), 11, secretary=secretary,
                upper=upper, members=contacts(world.branch_a))
    for step in long.steps.all()[:5]:
        services.add_document(step=step, upload=SimpleUploadedFile("a.pdf", b"%PDF-1.4\n%%EOF\n"), by=secretary)
    for person in (short, long):
        with django_assert_max_num_queries(30):
            assert client.get(reverse("recruitment:person", args=[person.pk])).status_code == 200


def test_the_api_list_is_bounded(world, django_assert_max_num_queries):
    client = Client()
    client.force_login(world.users["community_secretary"])
    for i in range(12):
        applicant(world.branch_a, applied_on=days_ago(40), name=f"人{i}")
    with django_assert_max_num_queries(12):
        assert client.get("/api/recruitment/?limit=50").json()["count"] == 12
