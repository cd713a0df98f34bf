"""Learning objects for the cast's world: built once per world (``learning_world(w)``)."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from types import SimpleNamespace

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from gongzhi.learning.models import (
    Attendance,
    AttendanceStatus,
    Choice,
    ClassCourse,
    Course,
    CourseKind,
    Enrolment,
    Material,
    MaterialKind,
    Programme,
    Question,
    QuestionKind,
    Quiz,
    Session,
    TraineeCategory,
    TrainingClass,
)
from gongzhi.points.models import PointRule, RuleCode

PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def make_programme(org, title="2026年党员教育培训", year=None):
    programme = Programme.objects.create(organization=org, title=title, year=year or timezone.localdate().year)
    courses = SimpleNamespace(
        r1=Course.objects.create(programme=programme, title="党章党规", kind=CourseKind.REQUIRED, module="党章党规",
                                 hours=Decimal("4"), teacher="王老师",
                                 materials="《中国共产党章程》\nhttps://www.12371.cn/"),
        r2=Course.objects.create(programme=programme, title="习近平新时代中国特色社会主义思想",
                                 kind=CourseKind.REQUIRED,
                                 module="理论武装", hours=Decimal("4")),
        e1=Course.objects.create(programme=programme, title="党史学习", kind=CourseKind.ELECTIVE, module="党史",
                                 hours=Decimal("2")),
        e2=Course.objects.create(programme=programme, title="基层治理实务", kind=CourseKind.ELECTIVE, module="治理",
                                 hours=Decimal("2")),
    )
    return programme, courses


def make_class(org, programme, courses, *, name="2026年第一期在职党员培训班", required_hours="10", min_electives=1,
               category=TraineeCategory.IN_SERVICE):
    today = timezone.localdate()
    training_class = TrainingClass.objects.create(
        organization=org, programme=programme, name=name, category=category, starts_on=today - timedelta(days=30),
        ends_on=today + timedelta(days=30), required_hours=Decimal(required_hours), min_electives=min_electives)
    ClassCourse.objects.bulk_create([ClassCourse(training_class=training_class, course=c) for c in courses])
    return training_class


def attend(training_class, course, enrolments, status=AttendanceStatus.PRESENT, held_on=None, hours=None):
    session = Session.objects.create(training_class=training_class, course=course,
                                     held_on=held_on or timezone.localdate() - timedelta(days=1),
                                     hours=hours or course.hours)
    Attendance.objects.bulk_create([Attendance(session=session, enrolment=e, status=status) for e in enrolments])
    return session


def make_material(org, title="学习党的二十届四中全会精神", with_quiz=False):
    material = Material.objects.create(organization=org, title=title, kind=MaterialKind.ARTICLE, body="全文……",
                                       published_on=timezone.localdate())
    if with_quiz:
        quiz = Quiz.objects.create(material=material, title=f"{title}测验", pass_mark=60)
        q1 = Question.objects.create(quiz=quiz, text="党的最高理想是？", kind=QuestionKind.SINGLE, position=1)
        Choice.objects.create(question=q1, text="实现共产主义", correct=True)
        Choice.objects.create(question=q1, text="发家致富")
        q2 = Question.objects.create(quiz=quiz, text="“三会一课”包括？", kind=QuestionKind.MULTIPLE, position=2)
        Choice.objects.create(question=q2, text="支部党员大会", correct=True)
        Choice.objects.create(question=q2, text="党课", correct=True)
        Choice.objects.create(question=q2, text="茶话会")
    return material


def correct_answers(quiz) -> dict:
    return {str(q.pk): [c.pk for c in q.choices.all() if c.correct] for q in quiz.questions.all()}


def point_rules(org, on=date(2020, 1, 1)):
    for code, points in ((RuleCode.STUDY, "1"), (RuleCode.QUIZ_PASSED, "2"), (RuleCode.TRAINING_COMPLETED, "10")):
        PointRule.objects.create(organization=org, code=code, points=Decimal(points), effective_from=on)


def learning_world(w):
    """Own (community A) and foreign (community X) learning objects, built once per world."""
    if hasattr(w, "learning"):
        return w.learning
    lw = SimpleNamespace()
    lw.programme, lw.courses = make_programme(w.community_a)
    c = lw.courses
    c.r1.file.save("党章.pdf", SimpleUploadedFile("党章.pdf", PDF_BYTES), save=False)
    c.r1.file_name = "党章.pdf"
    c.r1.save()
    lw.running = make_class(w.community_a, lw.programme, [c.r1, c.r2, c.e1, c.e2])
    lw.enrol_a = Enrolment.objects.create(training_class=lw.running, member=w.member_a)
    lw.enrol_b = Enrolment.objects.create(training_class=lw.running, member=w.member_b)
    lw.session = attend(lw.running, c.r1, [lw.enrol_a])
    lw.finished = make_class(w.community_a, lw.programme, [c.r1, c.r2, c.e1], name="2025年第二期培训班")
    lw.finished.finished_on = timezone.localdate()
    lw.finished.save()
    lw.done = Enrolment.objects.create(training_class=lw.finished, member=w.member_a, completed_on=timezone.localdate(),
                                       certificate_number="PX-TEST-001")
    lw.material = make_material(w.community_a, with_quiz=True)
    lw.quiz = lw.material.quiz
    lw.street_material = make_material(w.street_a, title="党史学习教育：红船精神")

    lw.x_programme, xc = make_programme(w.community_x, title="外街培训计划")
    lw.x_course = xc.r1
    lw.x_running = make_class(w.community_x, lw.x_programme, [xc.r1, xc.r2, xc.e1], name="外街培训班")
    lw.x_enrol = Enrolment.objects.create(training_class=lw.x_running, member=w.member_x,
                                          completed_on=timezone.localdate(), certificate_number="PX-X-001")
    lw.x_session = attend(lw.x_running, xc.r1, [lw.x_enrol])
    lw.x_material = make_material(w.community_x, title="外街学习材料", with_quiz=True)
    lw.x_quiz = lw.x_material.quiz
    w.learning = lw
    return lw
