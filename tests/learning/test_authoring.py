"""Publishers write quizzes, edit and withdraw materials, edit and delete courses, with history kept."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from gongzhi.core.models import AuditEvent
from gongzhi.learning import services
from gongzhi.learning.models import Course, Material, Question, Quiz, QuizAttempt, StudyRecord
from gongzhi.learning.services import QuestionDraft
from tests.learning.conftest import csrf_post
from tests.learning.factories import attend, correct_answers, make_class, make_material, make_programme


@pytest.fixture
def world(world_copy):
    return world_copy


pytestmark = pytest.mark.django_db


def quiz_post(title="学习测验", pass_mark="60", questions=()):
    data = {"title": title, "pass_mark": pass_mark, "questions-TOTAL_FORMS": str(len(questions)),
            "questions-INITIAL_FORMS": "0", "questions-MIN_NUM_FORMS": "0", "questions-MAX_NUM_FORMS": "50"}
    for i, (text, kind, choices) in enumerate(questions):
        data[f"questions-{i}-text"], data[f"questions-{i}-kind"] = text, kind
        for n, (choice, right) in enumerate(choices, start=1):
            data[f"questions-{i}-choice_{n}"] = choice
            if right:
                data[f"questions-{i}-correct_{n}"] = "on"
    return data


GOOD = [
    ("党的根本宗旨是什么？", "single", [("全心全意为人民服务", True), ("发展经济", False)]),
    ("“三会一课”包括哪些？", "multiple", [("支部党员大会", True), ("党课", True), ("茶话会", False)]),
    ("", "single", []),  # a blank row is left out
]


def test_staff_write_a_quiz_on_the_page_and_see_the_preview_then_a_member_passes_it(world, client_for):
    material = make_material(world.community_a)
    staff = client_for("community_staff")
    response = csrf_post(staff, f"/learning/materials/{material.pk}/quiz/", quiz_post(questions=GOOD))
    quiz = Quiz.objects.get(material=material)
    assert response.status_code == 302 and response["Location"] == f"/learning/quizzes/{quiz.pk}/"
    assert [q.text for q in quiz.questions.all()] == ["党的根本宗旨是什么？", "“三会一课”包括哪些？"]
    assert quiz.questions.get(position=1).choices.filter(correct=True).count() == 2
    preview = staff.get(f"/learning/quizzes/{quiz.pk}/").content.decode()
    assert "Preview" in preview or "预览" in preview
    member_view = client_for("member").get(f"/learning/quizzes/{quiz.pk}/").content.decode()
    assert "预览" not in member_view and "Preview" not in member_view
    answers = {f"q{k}": v for k, v in correct_answers(quiz).items()}
    assert csrf_post(client_for("member"), f"/learning/quizzes/{quiz.pk}/", answers).context["attempt"].score == 100
    assert AuditEvent.objects.filter(action="learning.quiz.save").count() == 1


@pytest.mark.parametrize("questions, pass_mark", [
    ([("单选题", "single", [("甲", True), ("乙", True)])], "60"),  # single choice with two right answers
    ([("没有正确答案", "multiple", [("甲", False), ("乙", False)])], "60"),
    ([("只有一个选项", "single", [("甲", True)])], "60"),
    ([("", "single", [("有选项没题干", True), ("乙", False)])], "60"),
    ([], "60"),
    (GOOD[:1], "0"),
    (GOOD[:1], "101"),
])
def test_a_bad_quiz_is_refused_with_a_message_and_nothing_is_saved(world, client_for, questions, pass_mark):
    material = make_material(world.community_a)
    response = csrf_post(client_for("community_staff"), f"/learning/materials/{material.pk}/quiz/",
                                                  quiz_post(pass_mark=pass_mark, questions=questions))
    assert response.status_code == 400
    assert response.context["error"]
    assert not Quiz.objects.filter(material=material).exists()


def test_the_add_button_gives_one_more_blank_question_and_saves_nothing(world, client_for):
    material = make_material(world.community_a)
    response = csrf_post(client_for("community_staff"), f"/learning/materials/{material.pk}/quiz/",
                                                  {**quiz_post(questions=GOOD[:1]), "add": "1"})
    assert response.status_code == 200 and response.context["formset"].total_form_count() == 2
    assert not Quiz.objects.exists()


def test_once_taken_a_quizs_questions_cannot_change(world, client_for):
    material = make_material(world.community_a, with_quiz=True)
    quiz = material.quiz
    QuizAttempt.objects.create(quiz=quiz, member=world.member_a, organization=world.branch_a, score=100, passed=True)
    before = list(Question.objects.filter(quiz=quiz).values_list("text", flat=True))
    with pytest.raises(ValidationError):
        services.save_quiz(material=material, title="改", pass_mark=60,
                           questions=[QuestionDraft("新题", "single", [("甲", True), ("乙", False)])],
                           by=world.users["community_staff"])
    assert list(Question.objects.filter(quiz=quiz).values_list("text", flat=True)) == before
    page = client_for("community_staff").get(f"/learning/materials/{material.pk}/quiz/")
    assert page.context["taken"] is True


def test_editing_a_material_changes_it_and_is_logged(world, client_for):
    material = make_material(world.community_a)
    response = csrf_post(client_for("community_secretary"), f"/learning/materials/{material.pk}/edit/", {
        "title": "更正后的标题", "kind": "article", "body": "正文", "link": "", "suggested_minutes": "25"})
    assert response.status_code == 302
    material.refresh_from_db()
    assert (material.title, material.suggested_minutes, material.organization) == ("更正后的标题", 25,
                                                                                   world.community_a)
    assert AuditEvent.objects.filter(action="learning.material.update").exists()


def test_a_material_nobody_studied_is_deleted_one_with_history_is_withdrawn(world, client_for):
    unread, studied = make_material(world.community_a, title="无人学习"), make_material(world.community_a, title="已学")
    StudyRecord.objects.create(material=studied, member=world.member_a, organization=world.branch_a,
                               studied_on=studied.published_on, minutes=20)
    staff = client_for("community_staff")
    csrf_post(staff, f"/learning/materials/{unread.pk}/withdraw/")
    csrf_post(staff, f"/learning/materials/{studied.pk}/withdraw/")
    assert not Material.objects.filter(pk=unread.pk).exists()
    studied.refresh_from_db()
    assert studied.withdrawn_on is not None and StudyRecord.objects.filter(material=studied).count() == 1
    listed = client_for("member").get("/learning/materials/")
    assert "已学" not in listed.content.decode()
    with pytest.raises(ValidationError):
        services.mark_studied(material=studied, member=world.member_b, minutes=10, by=None)


def test_a_course_taught_keeps_its_hours_but_may_be_renamed_and_one_in_use_is_not_deleted(world, client_for):
    programme, courses = make_programme(world.community_a)
    training_class = make_class(world.community_a, programme, [courses.r1, courses.r2, courses.e1])
    attend(training_class, courses.r1, [])
    staff = client_for("community_staff")
    data = {"title": "党章党规（修订）", "kind": courses.r1.kind, "module": courses.r1.module, "hours": "9",
            "teacher": "", "materials": ""}
    refused = csrf_post(staff, f"/learning/courses/{courses.r1.pk}/edit/", data)
    assert refused.status_code == 400
    courses.r1.refresh_from_db()
    assert courses.r1.title == "党章党规"
    renamed = csrf_post(staff, f"/learning/courses/{courses.r1.pk}/edit/", {**data, "hours": str(courses.r1.hours)})
    assert renamed.status_code == 302
    courses.r1.refresh_from_db()
    assert courses.r1.title == "党章党规（修订）"
    csrf_post(staff, f"/learning/courses/{courses.r1.pk}/delete/")
    assert Course.objects.filter(pk=courses.r1.pk).exists()
    csrf_post(staff, f"/learning/courses/{courses.e2.pk}/delete/")
    assert not Course.objects.filter(pk=courses.e2.pk).exists()
    assert Decimal(courses.r1.hours) > 0


def test_a_member_record_links_only_the_classes_and_materials_the_reader_may_open(world, client_for, lw):
    url = f"/learning/members/{world.member_a.pk}/"
    secretary = client_for("branch_secretary_a").get(url).content.decode()
    assert lw.running.name in secretary and f"/learning/classes/{lw.running.pk}/" not in secretary
    staff = client_for("community_staff").get(url).content.decode()
    assert f"/learning/classes/{lw.running.pk}/" in staff
