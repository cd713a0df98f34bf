"""Every write of the learning app: keyword-only, atomic, domain rules checked, audited.

A refused write raises ``ValidationError`` with a message for the user and writes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gongzhi.core import audit
from gongzhi.members.models import Member
from gongzhi.points.models import RuleCode
from gongzhi.points.services import post_points

from .completion import class_progress
from .models import (
    REFLECTION_MAX,
    Attendance,
    AttendanceStatus,
    Choice,
    ClassCourse,
    Course,
    CourseKind,
    Enrolment,
    Material,
    Programme,
    Question,
    QuestionKind,
    Quiz,
    QuizAttempt,
    Session,
    StudyRecord,
    TrainingClass,
)

# Course files: type decided by the content's first bytes, not by the name.
FILE_SIGNATURES = {
    b"%PDF-": ".pdf",
    b"PK\x03\x04": ".docx/.pptx/.xlsx",
    b"\xd0\xcf\x11\xe0": ".doc/.ppt",
    b"\x89PNG\r\n\x1a\n": ".png",
    b"\xff\xd8\xff": ".jpg",
}
ALLOWED_EXTENSIONS = {".pdf", ".docx", ".pptx", ".xlsx", ".doc", ".ppt", ".png", ".jpg", ".jpeg"}


def member_organization(member):
    return member.home_org or member.community


def check_course_file(upload) -> None:
    limit = getattr(settings, "GONGZHI_MAX_UPLOAD_BYTES", 10 * 1024 * 1024)
    if upload.size > limit:
        raise ValidationError(_("The file is too large (at most %(mb)s MB).") % {"mb": limit // (1024 * 1024)})
    name = upload.name.lower()
    extension = name[name.rfind("."):] if "." in name else ""
    head = upload.read(8)
    upload.seek(0)
    if extension not in ALLOWED_EXTENSIONS or not any(head.startswith(sig) for sig in FILE_SIGNATURES):
        raise ValidationError(_("Only PDF, Word, PowerPoint, Excel, PNG or JPEG files are accepted."))


@transaction.atomic
def publish_programme(*, organization, title: str, year: int, description: str = "", by, request=None) -> Programme:
    programme = Programme(organization=organization, title=title, year=year, description=description)
    programme.full_clean()
    programme.save()
    audit.record(actor=by, action="learning.programme.publish", obj=programme, request=request)
    return programme


@transaction.atomic
def add_course(*, programme: Programme, title: str, kind: str, module: str, hours: Decimal, teacher: str = "",
               materials: str = "", upload=None, by, request=None) -> Course:
    course = Course(programme=programme, title=title, kind=kind, module=module, hours=hours, teacher=teacher,
                    materials=materials)
    if upload is not None:
        check_course_file(upload)
        course.file_name = upload.name[-200:]
    course.full_clean(exclude=["file"])
    if upload is not None:
        course.file.save(upload.name, upload, save=False)
    course.save()
    audit.record(actor=by, action="learning.course.add", obj=course, organization=programme.organization,
                 request=request)
    return course


def _check_courses(programme: Programme, courses: list[Course], min_electives: int, required_hours) -> None:
    if any(c.programme_id != programme.pk for c in courses):
        raise ValidationError(_("Every course must come from the class's programme."))
    required = [c for c in courses if c.kind == CourseKind.REQUIRED]
    electives = [c for c in courses if c.kind == CourseKind.ELECTIVE]
    if len(required) != 2:
        raise ValidationError(_("A \"2+X\" class has exactly two required modules; %(n)s were chosen.")
                              % {"n": len(required)})
    if min_electives > len(electives):
        raise ValidationError(_("The class asks for %(min)s electives but offers only %(n)s.")
                              % {"min": min_electives, "n": len(electives)})
    if required_hours is not None and required_hours > sum((c.hours for c in courses), Decimal(0)):
        raise ValidationError(_("The required hours exceed the hours of all the class's courses."))


@transaction.atomic
def open_training_class(*, organization, programme: Programme, name: str, category: str, starts_on: date,
                        ends_on: date, required_hours: Decimal, min_electives: int, courses: list[Course], by,
                        request=None) -> TrainingClass:
    """Open a "2+X" class: exactly two required courses and X electives from the programme."""
    courses = list({c.pk: c for c in courses}.values())
    _check_courses(programme, courses, min_electives, required_hours)
    training_class = TrainingClass(organization=organization, programme=programme, name=name, category=category,
                                   starts_on=starts_on, ends_on=ends_on, required_hours=required_hours,
                                   min_electives=min_electives, created_by=by)
    training_class.full_clean()
    if ends_on < starts_on:
        raise ValidationError(_("The class cannot end before it starts."))
    training_class.save()
    ClassCourse.objects.bulk_create([ClassCourse(training_class=training_class, course=c) for c in courses])
    audit.record(actor=by, action="learning.class.open", obj=training_class, request=request)
    return training_class


def _refuse_if_finished(training_class: TrainingClass) -> None:
    if training_class.is_finished:
        raise ValidationError(_("The class is finished; its records can no longer change."))


@transaction.atomic
def enrol_members(*, training_class: TrainingClass, members: list[Member], by, request=None) -> int:
    """Enrol members of the organizer's subtree; anyone outside refuses the whole batch."""
    _refuse_if_finished(training_class)
    ids = {m.pk for m in members}
    in_scope = set(Member.objects.in_subtree(training_class.organization).current().filter(pk__in=ids)
                   .values_list("pk", flat=True))
    if ids - in_scope:
        raise ValidationError(_("%(n)s of the chosen members are outside the organizer's scope; nobody was "
                                "enrolled.") % {"n": len(ids - in_scope)})
    already = set(training_class.enrolments.values_list("member_id", flat=True))
    new = [Enrolment(training_class=training_class, member_id=pk) for pk in sorted(ids - already)]
    Enrolment.objects.bulk_create(new)
    audit.record(actor=by, action="learning.class.enrol", obj=training_class, request=request,
                 detail={"enrolled": len(new)})
    return len(new)


@transaction.atomic
def add_session(*, training_class: TrainingClass, course: Course, held_on: date, hours: Decimal | None = None,
                place: str = "", by, request=None) -> Session:
    _refuse_if_finished(training_class)
    if not training_class.class_courses.filter(course=course).exists():
        raise ValidationError(_("The course is not part of this class."))
    session = Session(training_class=training_class, course=course, held_on=held_on, place=place,
                      hours=hours if hours is not None else course.hours)
    session.full_clean()
    session.save()
    audit.record(actor=by, action="learning.session.add", obj=session, request=request)
    return session


@transaction.atomic
def record_attendance(*, session: Session, statuses: dict[int, str], by, request=None) -> int:
    """Record present / leave / absent per enrolment; all or nothing."""
    training_class = session.training_class
    _refuse_if_finished(training_class)
    if session.held_on > timezone.localdate():
        raise ValidationError(_("Attendance cannot be recorded before the session is held."))
    valid = set(AttendanceStatus.values)
    if any(status not in valid for status in statuses.values()):
        raise ValidationError(_("Unknown attendance status."))
    enrolled = set(training_class.enrolments.filter(pk__in=list(statuses)).values_list("pk", flat=True))
    if set(statuses) - enrolled:
        raise ValidationError(_("Attendance can be recorded only for members enrolled in this class; nothing was "
                                "saved."))
    existing = {a.enrolment_id: a for a in session.attendances.filter(enrolment_id__in=list(statuses))}
    changed, created = [], []
    for enrolment_id, status in statuses.items():
        row = existing.get(enrolment_id)
        if row is None:
            created.append(Attendance(session=session, enrolment_id=enrolment_id, status=status, recorded_by=by))
        elif row.status != status:
            row.status, row.recorded_by = status, by
            changed.append(row)
    Attendance.objects.bulk_create(created)
    Attendance.objects.bulk_update(changed, ["status", "recorded_by", "recorded_at"])
    audit.record(actor=by, action="learning.session.attendance", obj=session, request=request,
                 detail={"recorded": len(created) + len(changed)})
    return len(created) + len(changed)


@transaction.atomic
def finish_training_class(*, training_class: TrainingClass, by, on: date | None = None, request=None) -> int:
    """Close the class: every enrolment meeting the "2+X" rule is completed, gets a certificate
    number and the TRAINING_COMPLETED points once. Returns the number completed."""
    training_class = TrainingClass.objects.select_for_update().get(pk=training_class.pk)
    _refuse_if_finished(training_class)
    on = on or timezone.localdate()
    progress = class_progress(training_class)
    enrolments = list(training_class.enrolments.select_related("member__home_org", "member__community",
                                                               "member__serving_org"))
    done = []
    for number, enrolment in enumerate(sorted(enrolments, key=lambda e: e.pk), start=1):
        if progress[enrolment.pk].complete:
            enrolment.completed_on = on
            enrolment.certificate_number = f"PX{training_class.pk:05d}-{number:03d}"
            done.append(enrolment)
    Enrolment.objects.bulk_update(done, ["completed_on", "certificate_number"])
    training_class.finished_on = on
    training_class.save(update_fields=["finished_on"])
    for enrolment in done:
        post_points(member=enrolment.member, code=RuleCode.TRAINING_COMPLETED,
                    key=f"training:{training_class.pk}:member:{enrolment.member_id}", occurred_on=on,
                    source=training_class, by=by)
    audit.record(actor=by, action="learning.class.finish", obj=training_class, request=request,
                 detail={"completed": len(done), "enrolled": len(enrolments)})
    return len(done)


@transaction.atomic
def publish_material(*, organization, title: str, kind: str, body: str = "", link: str = "",
                     suggested_minutes: int = 30, published_on: date | None = None, by, request=None) -> Material:
    material = Material(organization=organization, title=title, kind=kind, body=body, link=link,
                        suggested_minutes=suggested_minutes, published_on=published_on or timezone.localdate(),
                        created_by=by)
    material.full_clean()
    material.save()
    audit.record(actor=by, action="learning.material.publish", obj=material, request=request)
    return material


@dataclass
class StudyResult:
    record: StudyRecord
    created: bool


def mark_studied(*, material: Material, member: Member, minutes: int, reflection: str = "", by,
                 on: date | None = None) -> StudyResult:
    """Record that the member studied the material, once; a second mark changes nothing."""
    _check_not_withdrawn(material)
    reflection = (reflection or "").strip()
    if len(reflection) > REFLECTION_MAX:
        raise ValidationError(_("The reflection is too long (at most %(n)s characters).") % {"n": REFLECTION_MAX})
    if not isinstance(minutes, int) or not 1 <= minutes <= 600:
        raise ValidationError(_("Time spent must be between 1 and 600 minutes."))
    existing = StudyRecord.objects.filter(material=material, member=member).first()
    if existing is not None:
        return StudyResult(existing, False)
    on = on or timezone.localdate()
    organization = member_organization(member)
    try:
        with transaction.atomic():
            record = StudyRecord.objects.create(material=material, member=member, organization=organization,
                                                studied_on=on, minutes=minutes, reflection=reflection)
            post_points(member=member, code=RuleCode.STUDY, key=f"study:{material.pk}:member:{member.pk}",
                        occurred_on=on, source=material, by=by)
    except IntegrityError:
        # A double tap raced us to the unique constraint: the first one counts.
        return StudyResult(StudyRecord.objects.get(material=material, member=member), False)
    return StudyResult(record, True)


def parse_answers(quiz: Quiz, raw: dict) -> dict[int, set[int]]:
    """Validate an answer payload {question id: [choice ids]}: every question answered with
    its own choices, one choice for a single-choice question."""
    questions = {q.pk: q for q in quiz.questions.prefetch_related("choices")}
    if not isinstance(raw, dict):
        raise ValidationError(_("The answers could not be read."))
    answers: dict[int, set[int]] = {}
    for key, value in raw.items():
        try:
            question_id = int(key)
            values = value if isinstance(value, list | tuple) else [value]
            chosen = {int(v) for v in values}
        except (TypeError, ValueError) as exc:
            raise ValidationError(_("The answers could not be read.")) from exc
        question = questions.get(question_id)
        if question is None:
            raise ValidationError(_("An answer refers to a question of another quiz."))
        if not chosen or not chosen <= {c.pk for c in question.choices.all()}:
            raise ValidationError(_("An answer refers to a choice of another question."))
        if question.kind == "single" and len(chosen) != 1:
            raise ValidationError(_("A single-choice question takes exactly one answer."))
        answers[question_id] = chosen
    if set(answers) != set(questions):
        raise ValidationError(_("Please answer every question."))
    return answers


def submit_quiz(*, quiz: Quiz, member: Member, answers: dict, by) -> QuizAttempt:
    """Score an attempt (share of questions answered exactly right); a pass posts points once."""
    _check_not_withdrawn(quiz.material)
    parsed = parse_answers(quiz, answers)
    questions = list(quiz.questions.prefetch_related("choices"))
    right = sum(1 for q in questions if parsed[q.pk] == {c.pk for c in q.choices.all() if c.correct})
    score = round(100 * right / len(questions)) if questions else 0
    passed = score >= quiz.pass_mark
    today = timezone.localdate()
    with transaction.atomic():
        attempt = QuizAttempt.objects.create(
            quiz=quiz, member=member, organization=member_organization(member), score=score, passed=passed,
            answers={str(k): sorted(v) for k, v in parsed.items()})
        if passed:
            post_points(member=member, code=RuleCode.QUIZ_PASSED, key=f"quiz:{quiz.pk}:member:{member.pk}",
                        occurred_on=today, source=quiz, by=by)
    return attempt


# --- editing and withdrawing what was published -----------------------------------------------------------


@transaction.atomic
def update_material(*, material: Material, title: str, kind: str, body: str = "", link: str = "",
                    suggested_minutes: int = 30, by, request=None) -> Material:
    """Correct a published material; study records and quiz results stay as they were."""
    material.title, material.kind, material.body, material.link = title, kind, body, link
    material.suggested_minutes = suggested_minutes
    material.full_clean()
    material.save()
    audit.record(actor=by, action="learning.material.update", obj=material, request=request)
    return material


@transaction.atomic
def withdraw_material(*, material: Material, by, request=None) -> bool:
    """Remove a material from the lists. One nobody has studied or quizzed on is deleted (True);
    one with history is withdrawn (False): it leaves the lists, its records and points stay."""
    material = Material.objects.select_for_update().get(pk=material.pk)
    if material.withdrawn_on is not None:
        return False
    has_history = (StudyRecord.objects.filter(material=material).exists()
                   or QuizAttempt.objects.filter(quiz__material=material).exists())
    if has_history:
        material.withdrawn_on = timezone.localdate()
        material.save(update_fields=["withdrawn_on"])
        audit.record(actor=by, action="learning.material.withdraw", obj=material, request=request)
        return False
    audit.record(actor=by, action="learning.material.delete", obj=material, request=request,
                 detail={"title": material.title})
    material.delete()
    return True


def _check_not_withdrawn(material: Material) -> None:
    if material.withdrawn_on is not None:
        raise ValidationError(_("This material has been withdrawn."))


@dataclass
class QuestionDraft:
    text: str
    kind: str
    choices: list[tuple[str, bool]]  # (text, correct)


def check_questions(questions: list[QuestionDraft]) -> None:
    if not questions:
        raise ValidationError(_("Write at least one question."))
    for number, question in enumerate(questions, start=1):
        correct = sum(1 for _text, right in question.choices if right)
        if len(question.choices) < 2:
            raise ValidationError(_("Question %(n)s needs at least two choices.") % {"n": number})
        if correct == 0:
            raise ValidationError(_("Question %(n)s needs at least one correct choice.") % {"n": number})
        if question.kind == QuestionKind.SINGLE and correct != 1:
            raise ValidationError(_("Question %(n)s is single choice: mark exactly one correct choice.")
                                  % {"n": number})


@transaction.atomic
def save_quiz(*, material: Material, title: str, pass_mark: int, questions: list[QuestionDraft], by,
              request=None) -> Quiz:
    """Write (or rewrite) the quiz of a material. Once a member has taken it, its questions are
    fixed, so that every past score keeps meaning what it meant."""
    material = Material.objects.select_for_update().get(pk=material.pk)
    _check_not_withdrawn(material)
    check_questions(questions)
    quiz = Quiz.objects.filter(material=material).first()
    if quiz is not None and quiz.attempts.exists():
        raise ValidationError(_("Members have already taken this quiz: its questions can no longer change."))
    if quiz is None:
        quiz = Quiz(material=material)
    quiz.title, quiz.pass_mark = title, pass_mark
    quiz.full_clean()
    quiz.save()
    quiz.questions.all().delete()
    for position, draft in enumerate(questions):
        question = Question.objects.create(quiz=quiz, text=draft.text, kind=draft.kind, position=position)
        Choice.objects.bulk_create([Choice(question=question, text=text, correct=right)
                                    for text, right in draft.choices])
    audit.record(actor=by, action="learning.quiz.save", obj=quiz, request=request,
                 detail={"questions": len(questions)})
    return quiz


COURSE_FIXED_ONCE_TAUGHT = ("kind", "module", "hours")


@transaction.atomic
def update_course(*, course: Course, title: str, kind: str, module: str, hours: Decimal, teacher: str = "",
                  materials: str = "", by, request=None) -> Course:
    """Correct a course. Once a session of it was held, its kind, module and hours are fixed:
    members' completed hours were counted with them."""
    course = Course.objects.select_for_update().get(pk=course.pk)
    changed = {name for name, value in (("kind", kind), ("module", module), ("hours", Decimal(hours)))
               if getattr(course, name) != value}
    if changed and course.sessions.exists():
        raise ValidationError(_("Sessions of this course have been held: its kind, module and hours can no "
                                "longer change."))
    course.title, course.kind, course.module, course.hours = title, kind, module, hours
    course.teacher, course.materials = teacher, materials
    course.full_clean(exclude=["file"])
    course.save()
    audit.record(actor=by, action="learning.course.update", obj=course, organization=course.programme.organization,
                 request=request)
    return course


@transaction.atomic
def delete_course(*, course: Course, by, request=None) -> None:
    """Remove a course no training class has chosen; one in use is refused."""
    if ClassCourse.objects.filter(course=course).exists() or course.sessions.exists():
        raise ValidationError(_("A training class uses this course: it cannot be deleted."))
    audit.record(actor=by, action="learning.course.delete", obj=course, organization=course.programme.organization,
                 request=request, detail={"title": course.title})
    course.delete()
