"""The pages: the pipeline (stage counts, overdue with why, bounded queries whatever the number of people), a
person's timeline with the next step's form, registering an applicant; bad input answered with a message in the
form, never a 500, nothing written; the ID number masked until a logged reveal."""

import pytest
from django.test import Client
from django.urls import reverse

from gongzhi.core.models import AuditEvent
from gongzhi.recruitment.models import Candidate, Step

from .factories import START, applicant, contacts, days_ago, id_number, post, walk

pytestmark = pytest.mark.django_db


def _client(user) -> Client:
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    return client


def _people(world, count: int):
    secretary, upper = world.users["branch_secretary_a"], world.users["community_secretary"]
    members = contacts(world.branch_a)
    for i in range(count):
        person = applicant(world.branch_a, applied_on=days_ago(START if i % 2 else 40), name=f"人{i}")
        if i % 2:
            walk(person, 5 + i % 7, secretary=secretary, upper=upper, members=members)


def test_the_pipeline_counts_stages_and_lists_what_is_overdue_and_why(world):
    _people(world, 3)
    page = _client(world.users["branch_secretary_a"]).get(reverse("recruitment:index"))
    text = page.content.decode()
    assert page.status_code == 200
    assert 'data-standing="applicant">2<' in text and 'data-standing="activist">1<' in text
    assert 'data-overdue="talk"' in text


def test_the_pipeline_page_takes_a_bounded_number_of_queries(world, django_assert_max_num_queries):
    client = _client(world.users["community_secretary"])
    _people(world, 2)
    with django_assert_max_num_queries(25):
        assert client.get(reverse("recruitment:index")).status_code == 200
    _people(world, 12)
    with django_assert_max_num_queries(25):
        assert client.get(reverse("recruitment:index")).status_code == 200


def test_registering_an_applicant_from_the_phone_form(world):
    client = _client(world.users["branch_secretary_a"])
    number = id_number()
    response = post(client, reverse("recruitment:new"), {
        "branch": world.branch_a.pk, "name": "王小明", "id_number": number, "ethnicity": "汉族",
        "category": "in_service", "applied_on": days_ago(2).isoformat(), "phone": "13912345678"})
    person = Candidate.objects.get(name="王小明")
    assert response.status_code == 302 and response["Location"] == reverse("recruitment:person", args=[person.pk])
    page = client.get(response["Location"]).content.decode()
    assert number not in page and "13912345678" not in page and number[:4] in page
    assert 'id="step-form"' in page


@pytest.mark.parametrize("data", [
    {"id_number": "110101199001011234"}, {"id_number": "x" * 30}, {"applied_on": "2999-01-01"},
    {"applied_on": "not a date"}, {"branch": "999999"}, {"category": "astronaut"}, {"name": ""},
    {"branch": "x"},
])
def test_bad_applications_are_refused_in_the_form(world, data):
    client = _client(world.users["branch_secretary_a"])
    base = {"branch": world.branch_a.pk, "name": "王小明", "id_number": id_number(), "ethnicity": "汉族",
            "category": "in_service", "applied_on": days_ago(2).isoformat()}
    response = post(client, reverse("recruitment:new"), {**base, **data})
    assert response.status_code == 400
    assert "invalid-feedback" in response.content.decode() or "alert-danger" in response.content.decode()
    assert not Candidate.objects.exists()


def test_a_branch_secretary_cannot_register_for_another_branch(world):
    client = _client(world.users["branch_secretary_a"])
    response = post(client, reverse("recruitment:new"), {
        "branch": world.branch_b.pk, "name": "王小明", "id_number": id_number(), "ethnicity": "汉族",
        "category": "in_service", "applied_on": days_ago(2).isoformat()})
    assert response.status_code == 400 and not Candidate.objects.exists()


@pytest.mark.parametrize("data", [
    {"on": days_ago(50).isoformat()}, {"on": "2999-01-01"}, {"on": "yesterday"}, {"number": "7"}, {"on": ""},
])
def test_a_step_out_of_order_or_badly_dated_is_refused_with_a_message(world, data):
    person = applicant(world.branch_a, applied_on=days_ago(40))
    client = _client(world.users["branch_secretary_a"])
    response = post(client, reverse("recruitment:step", args=[person.pk]), {"on": days_ago(1).isoformat(), **data})
    assert response.status_code in (302, 400)
    if response.status_code == 400:
        assert "invalid-feedback" in response.content.decode() or "alert-danger" in response.content.decode()
    assert Step.objects.filter(candidate=person).count() == 1


def test_the_branch_cannot_record_the_upper_committees_step(world):
    secretary = world.users["branch_secretary_a"]
    person = walk(applicant(world.branch_a, applied_on=days_ago(100)), 3, secretary=secretary, upper=None,
                  members=[])
    client = _client(secretary)
    page = client.get(reverse("recruitment:person", args=[person.pk])).content.decode()
    assert 'id="step-form"' not in page
    response = post(client, reverse("recruitment:step", args=[person.pk]), {"on": days_ago(1).isoformat()})
    assert response.status_code == 302 and not Step.objects.filter(candidate=person, number=4).exists()
    response = post(_client(world.users["community_secretary"]), reverse("recruitment:step", args=[person.pk]),
                    {"on": days_ago(1).isoformat(), "number": "4"})
    assert response.status_code == 302 and Step.objects.filter(candidate=person, number=4).exists()


def test_the_vote_step_shows_the_members_and_refuses_no_quorum(world):
    secretary, upper = world.users["branch_secretary_a"], world.users["community_secretary"]
    members = contacts(world.branch_a, 4)
    person = walk(applicant(world.branch_a, applied_on=days_ago(START)), 14, secretary=secretary, upper=upper,
                  members=members)
    client = _client(secretary)
    page = client.get(reverse("recruitment:person", args=[person.pk])).content.decode()
    assert members[0].name in page and 'name="present"' in page
    response = post(client, reverse("recruitment:step", args=[person.pk]), {
        "on": days_ago(1).isoformat(), "present": [members[0].pk], "in_favour": "1", "against": "0",
        "abstained": "0"})
    assert response.status_code == 400 and "alert-danger" in response.content.decode()
    assert not Step.objects.filter(candidate=person, number=15).exists()


def test_an_upload_that_is_not_a_document_is_refused(world):
    from django.core.files.uploadedfile import SimpleUploadedFile

    person = applicant(world.branch_a, applied_on=days_ago(40))
    client = _client(world.users["branch_secretary_a"])
    step = person.steps.get(number=1)
    response = post(client, reverse("recruitment:attach", args=[person.pk, step.pk]),
                    {"file": SimpleUploadedFile("x.pdf", b"<script>alert(1)</script>", "application/pdf")})
    assert response.status_code == 302 and not step.documents.exists()


def test_reveal_is_a_logged_post(world):
    number = id_number()
    person = applicant(world.branch_a, id_number=number)
    client = _client(world.users["branch_secretary_a"])
    assert number not in client.get(reverse("recruitment:person", args=[person.pk])).content.decode()
    response = post(client, reverse("recruitment:reveal", args=[person.pk]))
    assert number in response.content.decode() and response["Cache-Control"] == "no-store"
    assert AuditEvent.objects.filter(action="recruitment.applicant.reveal", object_id=str(person.pk)).count() == 1


def test_the_supervisor_reads_but_does_not_record(world):
    person = applicant(world.branch_a, applied_on=days_ago(40))
    client = _client(world.users["supervisor"])
    page = client.get(reverse("recruitment:person", args=[person.pk])).content.decode()
    assert 'id="step-form"' not in page and "申请人甲" in page
    assert post(client, reverse("recruitment:step", args=[person.pk]), {"on": days_ago(1).isoformat()}
                ).status_code == 404
