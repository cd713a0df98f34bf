"""Pages: figures on known data, uploads, bounded queries on list pages."""

import re
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from gongzhi.learning import selectors, services
from gongzhi.learning.models import Course, Enrolment, Material, StudyRecord, TrainingClass
from tests.factories import MemberFactory

from .conftest import csrf_post
from .factories import PDF_BYTES, attend, make_class, make_material, make_programme


@pytest.fixture
def world(world_copy):
    return world_copy


def test_study_hours_per_branch_and_member_on_known_data(world):
    m1, m2 = make_material(world.community_a), make_material(world.street_a, title="第二篇")
    services.mark_studied(material=m1, member=world.member_a, minutes=30, by=None)
    services.mark_studied(material=m2, member=world.member_a, minutes=60, by=None)
    services.mark_studied(material=m1, member=world.member_b, minutes=45, by=None)
    services.mark_studied(material=make_material(world.community_x), member=world.member_x, minutes=600, by=None)
    figures = selectors.study_hours(world.community_a, timezone.localdate().year)
    assert figures["minutes"] == 135 and figures["hours"] == Decimal("2.2") and figures["members_studied"] == 2
    assert {r["organization__name"]: (r["minutes"], r["members"]) for r in figures["per_org"]} == {
        world.branch_a.name: (90, 1), world.branch_b.name: (45, 1)}
    assert {r["member__name"]: r["minutes"] for r in selectors.name_member_rows(figures["per_member"])} == {
        world.member_a.name: 90, world.member_b.name: 45}
    grouped = str(selectors.study_hours(world.community_a, timezone.localdate().year)["per_member"].query)
    assert not re.search(r'"members_member"\."name"[^_]', grouped)  # grouped by ids; names read for a page after
    branch = selectors.study_hours(world.branch_b, timezone.localdate().year)
    assert branch["minutes"] == 45


def test_training_completion_by_category_and_branch(world):
    programme, c = make_programme(world.community_a)
    tc = make_class(world.community_a, programme, [c.r1, c.r2, c.e1], required_hours="8", min_electives=0)
    done = Enrolment.objects.create(training_class=tc, member=world.member_a)
    Enrolment.objects.create(training_class=tc, member=world.member_b)
    attend(tc, c.r1, [done])
    attend(tc, c.r2, [done])
    services.finish_training_class(training_class=tc, by=None)
    figures = selectors.training_completion(world.community_a, timezone.localdate().year)
    assert [(r["category"], r["enrolled"], r["completed"], r["rate"]) for r in figures["by_category"]] == [
        ("in_service", 2, 1, 0.5)]
    assert {r["member__home_org__name"]: (r["enrolled"], r["completed"]) for r in figures["by_branch"]} == {
        world.branch_a.name: (1, 1), world.branch_b.name: (1, 0)}
    assert selectors.training_completion(world.community_x, timezone.localdate().year)["by_category"] == []


def test_a_course_file_of_the_wrong_type_or_too_large_is_refused(world, client_for):
    programme, _c = make_programme(world.community_a)
    client = client_for("community_staff")
    url = reverse("learning:programme", args=[programme.pk])
    base = {"title": "新课", "kind": "elective", "module": "党史", "hours": "2"}
    fake_pdf = SimpleUploadedFile("evil.pdf", b"MZ\x90\x00 not a pdf")
    response = csrf_post(client, url, {**base, "file": fake_pdf})
    assert response.status_code == 400 and "PDF" in response.content.decode()
    script = SimpleUploadedFile("run.sh", b"%PDF-1.4 but a shell name")
    assert csrf_post(client, url, {**base, "file": script}).status_code == 400
    with override_settings(GONGZHI_MAX_UPLOAD_BYTES=10):
        big = SimpleUploadedFile("big.pdf", PDF_BYTES)
        assert csrf_post(client, url, {**base, "file": big}).status_code == 400
    assert not Course.objects.filter(title="新课").exists()
    good = SimpleUploadedFile("讲义.pdf", PDF_BYTES)
    assert csrf_post(client, url, {**base, "file": good}).status_code == 302
    course = Course.objects.get(title="新课")
    response = client.get(reverse("learning:course_file", args=[course.pk]))
    assert response.status_code == 200 and b"".join(response.streaming_content) == PDF_BYTES


def test_staff_open_a_class_from_the_page_and_a_wrong_choice_is_explained(world, client_for):
    programme, c = make_programme(world.community_a)
    client = client_for("community_secretary")
    data = {"organization": world.community_a.pk, "programme": programme.pk, "name": "2026年新党员培训班",
            "category": "new_members", "starts_on": "2026-03-01", "ends_on": "2026-06-30", "required_hours": "8",
            "min_electives": "1", "courses": [c.r1.pk, c.e1.pk]}
    response = csrf_post(client, reverse("learning:class_new"), data)
    assert response.status_code == 400 and "2+X" in response.content.decode()
    assert not TrainingClass.objects.exists()
    response = csrf_post(client, reverse("learning:class_new"), {**data, "courses": [c.r1.pk, c.r2.pk, c.e1.pk]})
    assert response.status_code == 302
    tc = TrainingClass.objects.get()
    response = csrf_post(client, reverse("learning:class_enrol", args=[tc.pk]), {"members": [world.member_x.pk]})
    assert response.status_code == 302 and not tc.enrolments.exists()
    csrf_post(client, reverse("learning:class_enrol", args=[tc.pk]), {"members": ["abc"]})
    csrf_post(client, reverse("learning:class_enrol", args=[tc.pk]),
              {"members": [world.member_a.pk, world.member_b.pk]})
    assert tc.enrolments.count() == 2


def test_a_branch_secretary_cannot_publish_to_another_branch(world, client_for):
    client = client_for("branch_secretary_a")
    data = {"organization": world.branch_b.pk, "title": "越权", "kind": "article", "suggested_minutes": "20"}
    response = csrf_post(client, reverse("learning:material_new"), data)
    assert response.status_code == 200 and not Material.objects.exists()  # not a choice: form error
    response = csrf_post(client, reverse("learning:material_new"), {**data, "organization": world.branch_a.pk})
    assert response.status_code == 302 and Material.objects.get().organization == world.branch_a


def _bulk_study(world, n):
    materials = [make_material(world.community_a, title=f"材料{i}") for i in range(n)]
    members = [MemberFactory(home_org=world.branch_a if i % 2 else world.branch_b, community=world.community_a)
               for i in range(n)]
    today = timezone.localdate()
    StudyRecord.objects.bulk_create([
        StudyRecord(material=m, member=p, organization=p.home_org, studied_on=today, minutes=20)
        for m in materials for p in members])
    StudyRecord.objects.bulk_create([
        StudyRecord(material=m, member=world.member_a, organization=world.branch_a, studied_on=today, minutes=30)
        for m in materials])
    programme, c = make_programme(world.community_a)
    for i in range(n):
        tc = make_class(world.community_a, programme, [c.r1, c.r2, c.e1], name=f"班{i}")
        enrolments = [Enrolment.objects.create(training_class=tc, member=p) for p in members[:3]]
        Enrolment.objects.create(training_class=tc, member=world.member_a)
        attend(tc, c.r1, enrolments)


@pytest.mark.parametrize("persona, name, args", [
    ("member", "learning:materials", ()),
    ("member", "learning:my_study", ()),
    ("member", "learning:classes", ()),
    ("community_staff", "learning:classes", ()),
    ("community_staff", "learning:stats", ()),
    ("community_staff", "learning:programmes", ()),
    ("street_admin", "learning:stats", ()),
])
def test_list_pages_make_a_bounded_number_of_queries(world, client_for, django_assert_max_num_queries, persona,
                                                    name, args):
    client = client_for(persona)
    _bulk_study(world, 2)
    client.get(reverse(name, args=args))
    with django_assert_max_num_queries(25) as small:
        assert client.get(reverse(name, args=args)).status_code == 200
    _bulk_study(world, 8)
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert client.get(reverse(name, args=args)).status_code == 200


def test_the_class_and_session_pages_make_a_bounded_number_of_queries(world, client_for,
                                                                     django_assert_max_num_queries):
    programme, c = make_programme(world.community_a)
    tc = make_class(world.community_a, programme, [c.r1, c.r2, c.e1])
    client = client_for("community_staff")

    def grow(n):
        members = [MemberFactory(home_org=world.branch_a, community=world.community_a) for _ in range(n)]
        enrolments = [Enrolment.objects.create(training_class=tc, member=m) for m in members]
        return attend(tc, c.r1, enrolments)

    session = grow(3)
    client.get(reverse("learning:class", args=[tc.pk]))
    with django_assert_max_num_queries(30) as small:
        client.get(reverse("learning:class", args=[tc.pk]))
        client.get(reverse("learning:session", args=[session.pk]))
    grow(20)
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get(reverse("learning:class", args=[tc.pk]))
        client.get(reverse("learning:session", args=[session.pk]))


def test_my_study_shows_the_members_own_figures(world, client_for):
    material = make_material(world.community_a)
    services.mark_studied(material=material, member=world.member_a, minutes=90, reflection="体会", by=None)
    body = client_for("member").get(reverse("learning:my_study")).content.decode()
    assert 'data-figure="study-hours">1.5<' in body and material.title in body
    body = client_for("resident").get(reverse("learning:my_study")).content.decode()
    assert 'data-figure' not in body


def test_study_hours_write_the_subtrees_organizations_into_the_queries_and_answer_as_by_path(world, monkeypatch):
    """The records and members of a small subtree are matched by its organizations' ids (which the indexes on the
    records' organization and the members' branch serve), read with their names in one query; a subtree larger than
    ``INLINE_ORGANIZATIONS`` is matched by its path, one larger than ``NAMED_ORGANIZATIONS`` named by a query of the
    organizations listed; all give the same figures."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    m1, m2 = make_material(world.community_a), make_material(world.street_a, title="第二篇")
    services.mark_studied(material=m1, member=world.member_a, minutes=30, by=None)
    services.mark_studied(material=m2, member=world.member_a, minutes=60, by=None)
    services.mark_studied(material=m1, member=world.member_b, minutes=45, by=None)
    services.mark_studied(material=make_material(world.community_x), member=world.member_x, minutes=600, by=None)
    year = timezone.localdate().year

    def figures():
        with CaptureQueriesContext(connection) as ctx:
            found = selectors.study_hours(world.community_a, year)
            found["per_member"] = [(r["member__name"], r["organization__name"], r["minutes"])
                                   for r in selectors.name_member_rows(found["per_member"])]
        return found, [q["sql"] for q in ctx.captured_queries]

    inline, queries = figures()
    counted = [q for q in queries if "learning_studyrecord" in q or "members_member" in q and "COUNT" in q]
    assert len(counted) == 4 and not any("LIKE" in q for q in counted)
    assert all('"organization_id" IN (' in q or '"home_org_id" IN (' in q for q in counted)
    monkeypatch.setattr(selectors, "INLINE_ORGANIZATIONS", 1)
    by_path, queries = figures()
    assert any("LIKE" in q for q in queries if "learning_studyrecord" in q)
    assert inline == by_path and inline["minutes"] == 135 and inline["members_total"] == by_path["members_total"] > 0
    monkeypatch.setattr(selectors, "NAMED_ORGANIZATIONS", 1)  # the organizations listed named by a query of theirs
    assert figures()[0] == inline
