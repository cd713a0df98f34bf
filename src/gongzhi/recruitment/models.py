"""People on the way into the party and the steps they have passed.

A ``Candidate`` is a person, not a member: name, ID number (sensitive, masked), phone, the branch handling his or
her application. Each of the 25 steps of the 2014 working rules (中国共产党发展党员工作细则) is a ``Step`` row, dated,
with who recorded it, notes and documents; the service records them strictly in order. The upper organization's
approval (step 17) creates the probationary member through the members service and links it here; the conversion
(steps 23 and 24) is the democracy app's vote and approval, read back from it.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from gongzhi.accounts.models import RoleKind
from gongzhi.core.fields import BlindIndexField, EncryptedCharField, LastCharsField, SealedModel
from gongzhi.core.scoping import ScopedQuerySet
from gongzhi.core.uploads import unguessable_path
from gongzhi.members.models import Education, MemberCategory, Sex


class Stage(models.IntegerChoices):
    """The five stages of the working rules."""

    APPLICATION = 1, _("Application for membership")
    ACTIVIST = 2, _("Activists: selection and cultivation")
    CANDIDATE = 3, _("Development candidates: selection and assessment")
    ADMISSION = 4, _("Admission of probationary members")
    PROBATION = 5, pgettext_lazy("recruitment stage", "Probation and conversion")


class StepNumber(models.IntegerChoices):
    """The 25 steps, numbered as in the working rules."""

    APPLICATION = 1, _("Application submitted")
    TALK = 2, _("Talk with the applicant")
    ACTIVIST = 3, _("Recommended and confirmed as activist")
    ACTIVIST_FILED = 4, _("Activist filed with the upper party committee")
    CONTACTS = 5, _("Two contact members appointed")
    CULTIVATION = 6, _("Cultivation and assessment (at least a year)")
    CANDIDATE = 7, _("Confirmed as development candidate")
    CANDIDATE_FILED = 8, _("Candidate filed with the upper party committee")
    INTRODUCERS = 9, _("Two introducers chosen")
    POLITICAL_REVIEW = 10, _("Political review")
    TRAINING = 11, _("Concentrated training")
    COMMITTEE_REVIEW = 12, _("Branch committee review and public notice")
    PRE_REVIEW = 13, _("Pre-review by the upper party committee")
    FORM = 14, _("Application form (入党志愿书) filled in")
    GENERAL_MEETING = 15, _("Branch general meeting votes on admission")
    UPPER_TALK = 16, _("Talk by the upper party committee")
    APPROVAL = 17, _("Approval by the upper party committee")
    APPROVAL_FILED = 18, _("Filed with the organization department above")
    ASSIGNED = 19, _("Placed in the branch and a party group")
    OATH = 20, _("Oath of admission")
    PROBATION_ASSESSMENT = 21, _("Education and assessment during probation")
    CONVERSION_APPLICATION = 22, _("Application for full membership")
    CONVERSION_VOTE = 23, _("Branch general meeting votes on conversion")
    CONVERSION_APPROVAL = 24, _("Upper party committee approves the conversion")
    ARCHIVED = 25, _("Documents archived")


STAGE_OF = {n: Stage.APPLICATION for n in (1, 2)} | {n: Stage.ACTIVIST for n in (3, 4, 5, 6)} \
    | {n: Stage.CANDIDATE for n in (7, 8, 9, 10, 11)} | {n: Stage.ADMISSION for n in range(12, 19)} \
    | {n: Stage.PROBATION for n in range(19, 26)}
#: Steps that belong to the upper party committee (the community or the street), never to the branch.
UPPER_STEPS = frozenset({4, 8, 13, 16, 17, 18})
#: Steps naming two full members: the contact members (5) and the introducers (9).
TWO_MEMBER_STEPS = frozenset({5, 9})
#: Steps recorded by the democracy app (the conversion vote and its approval) and read back from it.
DEMOCRACY_STEPS = frozenset({23, 24})


class Standing(models.TextChoices):
    """Where a person stands: the issue's five stations, or out of the pipeline."""

    APPLICANT = "applicant", _("Applicant")
    ACTIVIST = "activist", _("Activist")
    CANDIDATE = "candidate", _("Development candidate")
    PROBATIONARY = "probationary", _("Probationary member")
    FULL = "full", _("Full member")
    CLOSED = "closed", pgettext_lazy("recruitment", "Not admitted")


class CandidateQuerySet(ScopedQuerySet):
    """Seen in the handling branch's subtree by staff, the branch secretary and the supervisor (not by party group
    leaders or co-building units: applicants are people with personal data, not the group's members)."""

    scope_path = "branch__path"
    scope_roles = frozenset({*RoleKind.staff_kinds(), RoleKind.BRANCH_SECRETARY, RoleKind.SUPERVISOR})

    def in_pipeline(self):
        return self.exclude(standing__in=[Standing.CLOSED, Standing.FULL])


class Candidate(SealedModel):
    """A person who applied to join the party, handled by one branch; not a member until admitted."""

    branch = models.ForeignKey("orgs.Organization", on_delete=models.PROTECT, related_name="+",
                               verbose_name=_("handling branch"))
    name = models.CharField(pgettext_lazy("person", "name"), max_length=50)
    sex = models.CharField(_("sex"), max_length=8, choices=Sex)
    ethnicity = models.CharField(_("ethnic group"), max_length=20, default="汉族")
    id_number = EncryptedCharField(_("ID number"), max_length=18)
    id_number_bidx = BlindIndexField(source="id_number", kind="id", db_index=True)
    id_number_last4 = LastCharsField(source="id_number", kind="id")
    birth_date = models.DateField(_("date of birth"))
    education = models.CharField(_("education"), max_length=16, choices=Education, blank=True)
    category = models.CharField(pgettext_lazy("applicant", "category"), max_length=16, choices=MemberCategory)
    phone = EncryptedCharField(_("mobile number"), max_length=20, blank=True)
    workplace = models.CharField(_("workplace"), max_length=100, blank=True)
    standing = models.CharField(pgettext_lazy("recruitment", "standing"), max_length=16, choices=Standing,
                                default=Standing.APPLICANT)
    last_step = models.PositiveSmallIntegerField(_("last step"), default=0)
    member = models.OneToOneField("members.Member", null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="recruitment", verbose_name=_("member record"))
    closed_on = models.DateField(pgettext_lazy("application", "closed on"), null=True, blank=True)
    closed_reason = models.CharField(_("reason"), max_length=300, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = CandidateQuerySet.as_manager()

    class Meta:
        ordering = ["-last_step", "name", "id"]
        verbose_name = _("applicant")
        verbose_name_plural = _("applicants")
        indexes = [models.Index(fields=["branch", "standing"])]
        constraints = [
            models.UniqueConstraint(fields=["id_number_bidx"], condition=~Q(standing="closed"),
                                    name="recruitment_one_open_application"),
            models.CheckConstraint(condition=Q(last_step__gte=0, last_step__lte=25), name="recruitment_last_step"),
            models.CheckConstraint(condition=~Q(standing="closed") | Q(closed_on__isnull=False),
                                   name="recruitment_closed_has_date"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def audit_organization(self):
        return self.branch

    @property
    def current_standing(self) -> str:
        """The stored standing, or "full" once the democracy app converted the member."""
        if self.member_id and self.member.status == "full":
            return Standing.FULL
        return self.standing


class Step(models.Model):
    """One of the 25 steps passed by a person: its date, notes, who recorded it, and what it needs."""

    candidate = models.ForeignKey(Candidate, on_delete=models.PROTECT, related_name="steps")
    number = models.PositiveSmallIntegerField(pgettext_lazy("recruitment", "step"), choices=StepNumber)
    on = models.DateField(_("date"))
    notes = models.TextField(_("notes"), max_length=5000, blank=True)
    first_member = models.ForeignKey("members.Member", null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="+", verbose_name=_("first member"))
    second_member = models.ForeignKey("members.Member", null=True, blank=True, on_delete=models.PROTECT,
                                      related_name="+", verbose_name=_("second member"))
    notice_starts_on = models.DateField(_("public notice from"), null=True, blank=True)
    notice_ends_on = models.DateField(_("public notice until"), null=True, blank=True)
    resolution = models.OneToOneField("democracy.Resolution", null=True, blank=True, on_delete=models.PROTECT,
                                      related_name="+", verbose_name=_("vote"))
    group = models.ForeignKey("orgs.Organization", null=True, blank=True, on_delete=models.PROTECT,
                              related_name="+", verbose_name=_("party group"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                                    related_name="+", verbose_name=_("recorded by"))
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["candidate", "number"]
        verbose_name = pgettext_lazy("recruitment", "step")
        verbose_name_plural = pgettext_lazy("recruitment", "steps")
        constraints = [
            models.UniqueConstraint(fields=["candidate", "number"], name="recruitment_one_step_each"),
            models.CheckConstraint(condition=Q(number__gte=1, number__lte=25), name="recruitment_25_steps"),
            models.CheckConstraint(condition=Q(notice_ends_on__isnull=True)
                                   | Q(notice_ends_on__gt=models.F("notice_starts_on")),
                                   name="recruitment_notice_ordered"),
        ]

    def __str__(self) -> str:
        return f"{self.candidate} {self.number}"

    @property
    def stage(self) -> int:
        return STAGE_OF[self.number]


def _document_path(instance, filename: str) -> str:
    return unguessable_path(f"recruitment/{instance.step.candidate_id}", instance.content_type)


class StepDocument(models.Model):
    """A document of a step (the application letter, the talk's record, the 志愿书 …): checked by content."""

    step = models.ForeignKey(Step, on_delete=models.PROTECT, related_name="documents")
    file = models.FileField(_("file"), upload_to=_document_path)
    original_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(max_length=64)
    size = models.PositiveIntegerField(_("size"))
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at", "id"]
        verbose_name = _("document")
        verbose_name_plural = _("documents")

    def __str__(self) -> str:
        return self.original_name


class Assessment(models.Model):
    """A quarterly assessment record of an activist in cultivation or a probationary member."""

    candidate = models.ForeignKey(Candidate, on_delete=models.PROTECT, related_name="assessments")
    on = models.DateField(_("date"))
    text = models.TextField(_("assessment"), max_length=3000)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["candidate", "on", "id"]
        verbose_name = _("assessment")
        verbose_name_plural = _("assessments")

    def __str__(self) -> str:
        return f"{self.candidate} {self.on}"
