"""Self-study: materials down the tree, marking studied once, quizzes, points."""

import json

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from gongzhi.learning import services
from gongzhi.learning.models import Material, QuizAttempt, StudyRecord
from gongzhi.points.models import PointEntry, RuleCode
from tests.factories import MemberFactory, RoleFactory, UserFactory

from .conftest import csrf_post
from .factories import correct_answers, make_material, point_rules


@pytest.fixture
def world(world_copy):
    return world_copy


def test_materials_are_visible_down_the_tree_and_not_to_another_street(world):
    street = make_material(world.street_a, title="街道材料")
    community = make_material(world.community_a, title="社区材料")
    branch_b = make_material(world.branch_b, title="二支部材料")
    foreign = make_material(world.street_b, title="外街道材料")
    seen = set(Material.objects.visible_to(world.users["member"]).values_list("title", flat=True))
    assert seen == {street.title, community.title}  # not the sibling branch, not the other street
    seen = set(Material.objects.visible_to(world.users["branch_secretary_b"]).values_list("title", flat=True))
    assert seen == {street.title, community.title, branch_b.title}
    seen = set(Material.objects.visible_to(world.users["foreign_secretary"]).values_list("title", flat=True))
    assert seen == {foreign.title}
    assert not Material.objects.visible_to(world.users["resident"]).exists()


def test_a_member_without_a_role_sees_materials_of_his_branchs_ancestors(world):
    user = UserFactory()
    MemberFactory(home_org=world.branch_b, community=world.community_a, user=user)
    make_material(world.branch_b, title="二支部材料")
    make_material(world.branch_a, title="一支部材料")
    assert set(Material.objects.visible_to(user).values_list("title", flat=True)) == {"二支部材料"}


def test_a_role_that_ended_no_longer_reaches_the_materials(world):
    from datetime import date

    user = UserFactory()
    RoleFactory(user=user, organization=world.community_a, kind="community_staff", starts_on=date(2020, 1, 1),
                ends_on=date(2021, 1, 1))
    make_material(world.community_a)
    assert not Material.objects.visible_to(user).exists()


def test_marking_studied_twice_writes_once_and_posts_points_once(world):
    point_rules(world.street_a)
    material = make_material(world.community_a)
    first = services.mark_studied(material=material, member=world.member_a, minutes=30, reflection="深受教育",
                                  by=world.users["member"])
    second = services.mark_studied(material=material, member=world.member_a, minutes=90, reflection="再学一遍",
                                   by=world.users["member"])
    assert first.created and not second.created and second.record.pk == first.record.pk
    record = StudyRecord.objects.get()
    assert (record.minutes, record.reflection, record.organization) == (30, "深受教育", world.branch_a)
    entries = PointEntry.objects.filter(code=RuleCode.STUDY)
    assert entries.count() == 1 and entries.get().idempotency_key == f"study:{material.pk}:member:{world.member_a.pk}"


def test_a_second_mark_on_the_page_says_nothing_changed(world, client_for):
    material = make_material(world.community_a)
    client = client_for("member")
    url = reverse("learning:mark_studied", args=[material.pk])
    assert csrf_post(client, url, {"minutes": "25"}).status_code == 302
    response = csrf_post(client, url, {"minutes": "40"}, follow=True)
    assert "nothing changed" in response.content.decode() or "未作改动" in response.content.decode()
    assert StudyRecord.objects.get().minutes == 25


@pytest.mark.parametrize("data", [
    {"minutes": "30", "reflection": "长" * 501},
    {"minutes": "0"},
    {"minutes": "abc"},
    {"minutes": "100000"},
    {},
])
def test_bad_study_marks_are_refused_with_a_message_and_nothing_written(world, client_for, data):
    material = make_material(world.community_a)
    response = csrf_post(client_for("member"), reverse("learning:mark_studied", args=[material.pk]), data)
    assert response.status_code == 400
    assert 'class="invalid-feedback"' in response.content.decode() or "alert-danger" in response.content.decode()
    assert not StudyRecord.objects.exists() and not PointEntry.objects.exists()


def test_the_service_refuses_an_over_long_reflection(world):
    material = make_material(world.community_a)
    with pytest.raises(ValidationError):
        services.mark_studied(material=material, member=world.member_a, minutes=10, reflection="x" * 501, by=None)
    assert not StudyRecord.objects.exists()


def test_the_api_marks_studied_once_and_refuses_bad_payloads(world, client_for):
    material = make_material(world.community_a)
    client = client_for("member")
    client.get(reverse("learning:classes"))
    headers = {"HTTP_X_CSRFTOKEN": client.cookies["csrftoken"].value}
    url = f"/api/learning/materials/{material.pk}/studied"

    def post(payload):
        return client.post(url, json.dumps(payload), content_type="application/json", **headers)

    assert post({"minutes": 20, "reflection": "x" * 501}).status_code == 422
    assert post({"minutes": -5}).status_code == 422
    assert post({"reflection": "无时长"}).status_code == 422
    assert not StudyRecord.objects.exists()
    response = post({"minutes": 20, "reflection": "很好"})
    assert response.status_code == 201 and response.json()["created"] is True
    response = post({"minutes": 50})
    assert response.status_code == 200 and response.json()["created"] is False
    assert StudyRecord.objects.get().minutes == 20
    records = client.get("/api/learning/my-records").json()
    assert records["count"] == 1 and records["items"][0]["material_title"] == material.title


def test_passing_a_quiz_posts_points_once_and_failing_posts_none(world):
    point_rules(world.street_a)
    quiz = make_material(world.community_a, with_quiz=True).quiz
    wrong = {str(q.pk): [c.pk for c in q.choices.all() if not c.correct][:1] for q in quiz.questions.all()}
    attempt = services.submit_quiz(quiz=quiz, member=world.member_a, answers=wrong, by=None)
    assert (attempt.score, attempt.passed) == (0, False)
    assert not PointEntry.objects.exists()
    for _ in range(2):
        attempt = services.submit_quiz(quiz=quiz, member=world.member_a, answers=correct_answers(quiz), by=None)
        assert (attempt.score, attempt.passed) == (100, True)
    entries = PointEntry.objects.filter(code=RuleCode.QUIZ_PASSED)
    assert entries.count() == 1 and entries.get().idempotency_key == f"quiz:{quiz.pk}:member:{world.member_a.pk}"
    assert QuizAttempt.objects.count() == 3


def test_a_half_right_quiz_scores_fifty_and_a_partly_right_multiple_choice_is_wrong(world):
    quiz = make_material(world.community_a, with_quiz=True).quiz
    single, multiple = quiz.questions.all()
    answers = correct_answers(quiz)
    answers[str(multiple.pk)] = answers[str(multiple.pk)][:1]
    attempt = services.submit_quiz(quiz=quiz, member=world.member_a, answers=answers, by=None)
    assert (attempt.score, attempt.passed) == (50, False)


def test_invalid_quiz_payloads_are_refused_and_nothing_written(world):
    material = make_material(world.community_a, with_quiz=True)
    other = make_material(world.community_a, title="另一材料", with_quiz=True).quiz
    quiz = material.quiz
    single, multiple = quiz.questions.all()
    good = correct_answers(quiz)
    bad_payloads = [
        {},  # nothing answered
        {str(single.pk): good[str(single.pk)]},  # a question missing
        {**good, str(single.pk): [c.pk for c in single.choices.all()]},  # two answers to a single choice
        {**good, str(single.pk): [multiple.choices.first().pk]},  # a choice of another question
        {**good, str(other.questions.first().pk): [other.questions.first().choices.first().pk]},  # another quiz
        {**good, str(single.pk): ["abc"]},
        {**good, "x": [1]},
        {**good, str(single.pk): []},
        ["not", "a", "dict"],
    ]
    for payload in bad_payloads:
        with pytest.raises(ValidationError):
            services.submit_quiz(quiz=quiz, member=world.member_a, answers=payload, by=None)
    assert not QuizAttempt.objects.exists()


def test_the_quiz_page_scores_and_refuses_an_incomplete_answer(world, client_for):
    quiz = make_material(world.community_a, with_quiz=True).quiz
    client = client_for("member")
    url = reverse("learning:quiz", args=[quiz.pk])
    single, multiple = quiz.questions.all()
    response = csrf_post(client, url, {f"q{single.pk}": str(single.choices.first().pk)})
    assert response.status_code == 400 and not QuizAttempt.objects.exists()
    response = csrf_post(client, url, {f"q{single.pk}": str(single.choices.first().pk),
                                       f"q{multiple.pk}": [str(c.pk) for c in multiple.choices.all() if c.correct]})
    assert response.status_code == 200 and 'data-score="100"' in response.content.decode()


def test_study_organization_is_the_members_branch_so_staff_of_another_community_see_nothing(world):
    material = make_material(world.street_a)
    services.mark_studied(material=material, member=world.member_a, minutes=30, by=None)
    assert StudyRecord.objects.visible_to(world.users["branch_secretary_a"]).count() == 1
    assert StudyRecord.objects.visible_to(world.users["branch_secretary_b"]).count() == 0
    assert StudyRecord.objects.visible_to(world.users["foreign_secretary"]).count() == 0
