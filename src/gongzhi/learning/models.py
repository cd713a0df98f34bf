"""Party school and self-study.

Training: an organization publishes a *programme* (a catalogue of courses) to its
subtree; a *training class* is a batch for one category of members built from that
catalogue with exactly two required courses (the "2" modules) and X electives; members
are enrolled, sessions are held with attendance, completion follows ``completion.py``.

Self-study: an organization publishes *materials* to its subtree; a member marks an
item studied once (time and a short reflection); a material may carry a short quiz.
Study time is a record, never an assessment: nothing here ranks by it.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from gongzhi.accounts.models import RoleKind
from gongzhi.core.scoping import ScopedQuerySet, active_roles, ancestor_paths, fk_in_q
from gongzhi.orgs.models import STEP


def published_paths(user) -> list[str]:
    """Paths of every organization whose publications reach the user: the ancestors (self
    included) of the member's branch and community and of the organizations of the user's
    roles (residents excepted: materials are for party members and their organizations)."""
    from gongzhi.members.models import Member

    cached = getattr(user, "_learning_published_paths", None)
    if cached is not None:
        return cached
    own = [r.organization.path for r in active_roles(user) if r.kind != RoleKind.RESIDENT]
    for home, community in Member.objects.filter(user=user).values_list("home_org__path", "community__path"):
        own.extend(p for p in (home, community) if p)
    paths = sorted({a for path in own for a in ancestor_paths(path, STEP)})
    user._learning_published_paths = paths
    return paths


class CourseKind(models.TextChoices):
    REQUIRED = "required", _("Required")
    ELECTIVE = "elective", _("Elective")


class TraineeCategory(models.TextChoices):
    NEW_MEMBERS = "new_members", _("New members")
    BRANCH_SECRETARIES = "branch_secretaries", _("Branch secretaries")
    IN_SERVICE = "in_service", _("In-service members")
    RETIREES = "retirees", _("Retired members")
    MOBILE = "mobile", _("Mobile members")
    VILLAGE_CADRES = "village_cadres", _("Village cadres")


class PublishedQuerySet(ScopedQuerySet):
    """Rows published by an organization: staff see their subtree's, everyone reached sees
    what an ancestor of his organizations published."""

    def public_q(self, user):
        return Q(**{f"{self.scope_path}__in": published_paths(user)})


class ProgrammeQuerySet(PublishedQuerySet):
    pass


class Programme(models.Model):
    """A training programme: a catalogue of courses published to the organization's subtree."""

    organization = models.ForeignKey("orgs.Organization", on_delete=models.PROTECT, related_name="programmes",
                                     verbose_name=_("published by"))
    title = models.CharField(_("title"), max_length=100)
    year = models.PositiveSmallIntegerField(_("year"))
    description = models.TextField(_("description"), blank=True, max_length=2000)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ProgrammeQuerySet.as_manager()

    class Meta:
        ordering = ["-year", "title"]
        verbose_name = _("training programme")
        verbose_name_plural = _("training programmes")

    def __str__(self) -> str:
        return self.title

    @property
    def audit_organization(self):
        return self.organization


class CourseQuerySet(PublishedQuerySet):
    scope_path = "programme__organization__path"


class Course(models.Model):
    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="courses",
                                  verbose_name=_("programme"))
    title = models.CharField(_("title"), max_length=100)
    kind = models.CharField(_("kind"), max_length=16, choices=CourseKind)
    module = models.CharField(_("module"), max_length=50,
                              help_text=_("The subject area the hours count towards, e.g. 党章党规."))
    hours = models.DecimalField(pgettext_lazy("study", "hours"), max_digits=4, decimal_places=1)
    teacher = models.CharField(_("teacher"), max_length=50, blank=True)
    materials = models.TextField(_("materials"), blank=True, max_length=4000,
                                 help_text=_("Reading list and links, one per line."))
    file = models.FileField(_("file"), upload_to="learning/courses/", blank=True)
    file_name = models.CharField(max_length=200, blank=True)

    objects = CourseQuerySet.as_manager()

    class Meta:
        ordering = ["programme", "kind", "title"]
        verbose_name = _("course")
        verbose_name_plural = _("courses")
        constraints = [models.CheckConstraint(condition=Q(hours__gt=0), name="course_hours_positive")]

    def __str__(self) -> str:
        return self.title

    def links(self) -> list[str]:
        return [line.strip() for line in self.materials.splitlines() if line.strip().startswith(("http://",
                                                                                                  "https://"))]

    def reading(self) -> list[str]:
        return [line.strip() for line in self.materials.splitlines()
                if line.strip() and not line.strip().startswith(("http://", "https://"))]


class TrainingClassQuerySet(ScopedQuerySet):
    def own_q(self, user):
        return Q(enrolments__member__user=user)

    needs_distinct = True

    def running(self):
        return self.filter(finished_on__isnull=True)


class TrainingClass(models.Model):
    """A batch of training for one category of members: 2 required courses + X electives."""

    organization = models.ForeignKey("orgs.Organization", on_delete=models.PROTECT, related_name="training_classes",
                                     verbose_name=_("organized by"))
    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="classes",
                                  verbose_name=_("programme"))
    name = models.CharField(_("name"), max_length=100)
    category = models.CharField(_("category of members"), max_length=24, choices=TraineeCategory)
    starts_on = models.DateField(_("starts"))
    ends_on = models.DateField(_("ends"))
    required_hours = models.DecimalField(_("required hours"), max_digits=5, decimal_places=1)
    min_electives = models.PositiveSmallIntegerField(_("electives to complete"), default=0)
    courses = models.ManyToManyField(Course, through="ClassCourse", related_name="classes")
    finished_on = models.DateField(_("finished"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = TrainingClassQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_on", "-id"]
        verbose_name = _("training class")
        verbose_name_plural = _("training classes")
        constraints = [
            models.CheckConstraint(condition=Q(ends_on__gte=models.F("starts_on")), name="class_ends_after_start"),
            models.CheckConstraint(condition=Q(required_hours__gt=0), name="class_required_hours_positive"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def audit_organization(self):
        return self.organization

    @property
    def is_finished(self) -> bool:
        return self.finished_on is not None


class ClassCourse(models.Model):
    training_class = models.ForeignKey(TrainingClass, on_delete=models.CASCADE, related_name="class_courses")
    course = models.ForeignKey(Course, on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["training_class", "course"], name="class_course_once")]

    def __str__(self) -> str:
        return f"{self.training_class_id}:{self.course_id}"


class EnrolmentQuerySet(ScopedQuerySet):
    scope_path = "training_class__organization__path"

    def own_q(self, user):
        return Q(member__user=user)


class Enrolment(models.Model):
    training_class = models.ForeignKey(TrainingClass, on_delete=models.CASCADE, related_name="enrolments",
                                       verbose_name=_("training class"))
    member = models.ForeignKey("members.Member", on_delete=models.PROTECT, related_name="enrolments",
                               verbose_name=_("member"))
    completed_on = models.DateField(_("completed"), null=True, blank=True)
    certificate_number = models.CharField(_("certificate number"), max_length=40, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = EnrolmentQuerySet.as_manager()

    class Meta:
        ordering = ["training_class", "member__name_initials", "id"]
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")
        constraints = [models.UniqueConstraint(fields=["training_class", "member"], name="enrol_once")]

    def __str__(self) -> str:
        return f"{self.training_class} · {self.member}"

    @property
    def audit_organization(self):
        return self.training_class.organization


class SessionQuerySet(ScopedQuerySet):
    scope_path = "training_class__organization__path"

    def own_q(self, user):
        return Q(training_class__enrolments__member__user=user)

    needs_distinct = True


class Session(models.Model):
    training_class = models.ForeignKey(TrainingClass, on_delete=models.CASCADE, related_name="sessions",
                                       verbose_name=_("training class"))
    course = models.ForeignKey(Course, on_delete=models.PROTECT, related_name="sessions", verbose_name=_("course"))
    held_on = models.DateField(_("date"))
    place = models.CharField(_("place"), max_length=100, blank=True)
    hours = models.DecimalField(pgettext_lazy("study", "hours"), max_digits=4, decimal_places=1)

    objects = SessionQuerySet.as_manager()

    class Meta:
        ordering = ["held_on", "id"]
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        constraints = [models.CheckConstraint(condition=Q(hours__gt=0), name="session_hours_positive")]

    def __str__(self) -> str:
        return f"{self.held_on} {self.course}"

    @property
    def audit_organization(self):
        return self.training_class.organization


class AttendanceStatus(models.TextChoices):
    PRESENT = "present", pgettext_lazy("study", "Present")
    LEAVE = "leave", _("On leave")
    ABSENT = "absent", pgettext_lazy("study", "Absent")


class Attendance(models.Model):
    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="attendances")
    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="attendances")
    status = models.CharField(pgettext_lazy("study", "attendance"), max_length=8, choices=AttendanceStatus)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    recorded_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = pgettext_lazy("study", "attendance")
        verbose_name_plural = pgettext_lazy("study", "attendance")
        constraints = [models.UniqueConstraint(fields=["session", "enrolment"], name="attendance_once")]

    def __str__(self) -> str:
        return f"{self.session_id}:{self.enrolment_id} {self.status}"


class MaterialKind(models.TextChoices):
    ARTICLE = "article", _("Article")
    DOCUMENT = "document", _("Document")
    VIDEO = "video", _("Video")
    HISTORY = "history", _("Party history topic")


class MaterialQuerySet(PublishedQuerySet):
    pass


class Material(models.Model):
    organization = models.ForeignKey("orgs.Organization", on_delete=models.PROTECT, related_name="study_materials",
                                     verbose_name=_("published by"))
    title = models.CharField(_("title"), max_length=100)
    kind = models.CharField(_("kind"), max_length=16, choices=MaterialKind)
    body = models.TextField(_("text"), blank=True, max_length=20000)
    link = models.URLField(_("link"), blank=True, help_text=_("Video or document address."))
    suggested_minutes = models.PositiveSmallIntegerField(_("suggested minutes"), default=30)
    published_on = models.DateField(_("published"))
    withdrawn_on = models.DateField(_("withdrawn"), null=True, blank=True,
                                    help_text=_("Withdrawn materials leave the lists; their study records stay."))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")

    objects = MaterialQuerySet.as_manager()

    class Meta:
        ordering = ["-published_on", "-id"]
        verbose_name = _("study material")
        verbose_name_plural = _("study materials")

    def __str__(self) -> str:
        return self.title

    @property
    def audit_organization(self):
        return self.organization


class StudyRecordQuerySet(ScopedQuerySet):
    def own_q(self, user):
        return fk_in_q(self.model, "member__user", user)

    def in_year(self, year: int):
        return self.filter(studied_on__year=year)


REFLECTION_MAX = 500


class StudyRecord(models.Model):
    """A member studied a material: once per member per material (database constraint)."""

    material = models.ForeignKey(Material, on_delete=models.PROTECT, related_name="records")
    member = models.ForeignKey("members.Member", on_delete=models.PROTECT, related_name="study_records")
    organization = models.ForeignKey("orgs.Organization", on_delete=models.PROTECT, related_name="+",
                                     help_text=_("The member's branch when studying (for scoping and figures)."))
    studied_on = models.DateField(_("studied on"))
    minutes = models.PositiveSmallIntegerField(_("minutes spent"))
    reflection = models.CharField(_("reflection"), max_length=REFLECTION_MAX, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = StudyRecordQuerySet.as_manager()

    class Meta:
        ordering = ["-studied_on", "-id"]
        # Study figures of an organization's subtree for a year.
        indexes = [models.Index(fields=["organization", "studied_on"], name="study_org_day")]
        verbose_name = _("study record")
        verbose_name_plural = _("study records")
        constraints = [
            models.UniqueConstraint(fields=["material", "member"], name="study_once_per_material"),
            models.CheckConstraint(condition=Q(minutes__gt=0) & Q(minutes__lte=600), name="study_minutes_range"),
        ]

    def __str__(self) -> str:
        return f"{self.member_id}:{self.material_id}"


class QuizQuerySet(PublishedQuerySet):
    scope_path = "material__organization__path"


class Quiz(models.Model):
    material = models.OneToOneField(Material, on_delete=models.CASCADE, related_name="quiz")
    title = models.CharField(_("title"), max_length=100)
    pass_mark = models.PositiveSmallIntegerField(_("pass mark (%)"), default=60)

    objects = QuizQuerySet.as_manager()

    class Meta:
        verbose_name = _("quiz")
        verbose_name_plural = _("quizzes")
        constraints = [models.CheckConstraint(condition=Q(pass_mark__gte=1) & Q(pass_mark__lte=100),
                                              name="quiz_pass_mark_range")]

    def __str__(self) -> str:
        return self.title

    @property
    def audit_organization(self):
        return self.material.organization


class QuestionKind(models.TextChoices):
    SINGLE = "single", _("Single choice")
    MULTIPLE = "multiple", _("Multiple choice")


class Question(models.Model):
    quiz = models.ForeignKey(Quiz, on_delete=models.CASCADE, related_name="questions")
    text = models.CharField(_("question"), max_length=300)
    kind = models.CharField(_("kind"), max_length=8, choices=QuestionKind, default=QuestionKind.SINGLE)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.text


class Choice(models.Model):
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="choices")
    text = models.CharField(_("choice"), max_length=200)
    correct = models.BooleanField(default=False)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.text


class QuizAttemptQuerySet(ScopedQuerySet):
    def own_q(self, user):
        return Q(member__user=user)


class QuizAttempt(models.Model):
    quiz = models.ForeignKey(Quiz, on_delete=models.CASCADE, related_name="attempts")
    member = models.ForeignKey("members.Member", on_delete=models.PROTECT, related_name="quiz_attempts")
    organization = models.ForeignKey("orgs.Organization", on_delete=models.PROTECT, related_name="+")
    score = models.PositiveSmallIntegerField(_("score (%)"))
    passed = models.BooleanField(_("passed"))
    answers = models.JSONField(default=dict)
    taken_at = models.DateTimeField(auto_now_add=True)

    objects = QuizAttemptQuerySet.as_manager()

    class Meta:
        ordering = ["-taken_at", "-id"]

    def __str__(self) -> str:
        return f"{self.quiz_id}:{self.member_id} {self.score}"
