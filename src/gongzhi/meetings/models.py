"""Meetings, attendance, attachments, amendments, frequency requirements, the branch
committee, and the annual democratic appraisal of members (民主评议党员).

A meeting belongs to a branch or a party group; the party members' meeting (党员大会) of a community or
village organization belongs to that organization, and its roll is every member held in its subtree.
Its attendance roll is written when it is planned (the members it concerns at that moment); once the
branch secretary confirms the record it is locked and later changes are amendments that keep the
original.
"""

from __future__ import annotations

import uuid
from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from gongzhi.core.scoping import ScopedQuerySet
from gongzhi.core.uploads import unguessable_path


class MeetingKind(models.TextChoices):
    GENERAL = "general", _("Branch general meeting")
    COMMITTEE = "committee", _("Branch committee meeting")
    GROUP = "group", _("Party group meeting")
    LESSON = "lesson", _("Party lesson")
    THEME_DAY = "theme_day", _("Theme party day")
    LIFE = "life", _("Organizational life meeting")
    OTHER = "other", _("Other meeting")
    MEMBERS = "members", _("Party members' meeting of a community or village")


class Period(models.TextChoices):
    MONTH = "month", _("Month")
    QUARTER = "quarter", _("Quarter")
    YEAR = "year", _("Year")


# docs/domain.md: general meeting quarterly, committee and group meetings monthly, a party lesson
# quarterly (common local practice), a theme party day monthly, a life meeting yearly.
DEFAULT_REQUIREMENTS: dict[str, tuple[str, int]] = {
    MeetingKind.GENERAL: (Period.QUARTER, 1),
    MeetingKind.COMMITTEE: (Period.MONTH, 1),
    MeetingKind.GROUP: (Period.MONTH, 1),
    MeetingKind.LESSON: (Period.QUARTER, 1),
    MeetingKind.THEME_DAY: (Period.MONTH, 1),
    MeetingKind.LIFE: (Period.YEAR, 1),
}


class MeetingStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    RECORDED = "recorded", _("Recorded")
    CONFIRMED = "confirmed", _("Confirmed and locked")
    CANCELLED = "cancelled", _("Cancelled")


HELD_STATUSES = (MeetingStatus.RECORDED, MeetingStatus.CONFIRMED)


class AttendanceStatus(models.TextChoices):
    EXPECTED = "expected", _("Not yet recorded")
    PRESENT = "present", _("Present")
    LEAVE = "leave", _("On leave")
    ABSENT = "absent", _("Absent")


class RequirementQuerySet(ScopedQuerySet):
    pass


class MeetingRequirement(models.Model):
    """How often a kind of meeting is required in an organization's subtree.

    The deepest organization on a branch's path with a row for the kind decides;
    without any row the defaults of DEFAULT_REQUIREMENTS apply. ``times`` 0 means not required.
    """

    organization = models.ForeignKey("orgs.Organization", on_delete=models.CASCADE, related_name="+",
                                     verbose_name=_("organization"))
    kind = models.CharField(_("kind"), max_length=16, choices=MeetingKind)
    period = models.CharField(_("period"), max_length=8, choices=Period)
    times = models.PositiveSmallIntegerField(_("times per period"), default=1)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    objects = RequirementQuerySet.as_manager()

    class Meta:
        verbose_name = _("meeting frequency")
        verbose_name_plural = _("meeting frequencies")
        constraints = [models.UniqueConstraint(fields=["organization", "kind"], name="one_requirement_per_kind")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.times}/{self.get_period_display()}"


class CommitteePost(models.TextChoices):
    SECRETARY = "secretary", _("Secretary")
    DEPUTY = "deputy", _("Deputy secretary")
    ORGANIZATION = "organization", _("Organization committee member")
    PROPAGANDA = "propaganda", _("Propaganda committee member")
    DISCIPLINE = "discipline", _("Discipline committee member")
    MEMBER = "member", _("Committee member")


class CommitteeQuerySet(ScopedQuerySet):
    scope_path = "branch__path"

    def active(self, on: date):
        return self.filter(Q(starts_on__lte=on), Q(ends_on__isnull=True) | Q(ends_on__gte=on))


class CommitteeMembership(models.Model):
    """A seat on a branch committee (支部委员会) for a term."""

    branch = models.ForeignKey("orgs.Organization", on_delete=models.CASCADE, related_name="committee_seats",
                               verbose_name=_("branch"))
    member = models.ForeignKey("members.Member", on_delete=models.CASCADE, related_name="committee_seats",
                               verbose_name=_("member"))
    post = models.CharField(pgettext_lazy("committee", "post"), max_length=16, choices=CommitteePost,
                            default=CommitteePost.MEMBER)
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until"), null=True, blank=True)

    objects = CommitteeQuerySet.as_manager()

    class Meta:
        ordering = ["branch", "post", "id"]
        verbose_name = _("branch committee seat")
        verbose_name_plural = _("branch committee seats")
        constraints = [
            models.UniqueConstraint(fields=["branch", "member", "starts_on"], name="one_seat_per_term"),
            models.CheckConstraint(condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                                   name="committee_seat_ordered"),
        ]

    def __str__(self) -> str:
        return f"{self.branch} · {self.get_post_display()} · {self.member}"


class MeetingQuerySet(ScopedQuerySet):
    def own_q(self, user):
        # A member sees the meetings he or she was asked to attend (a subquery: no join, no DISTINCT).
        return Q(pk__in=Attendance.objects.filter(member__user=user).values("meeting_id"))

    def held(self):
        return self.filter(status__in=HELD_STATUSES)

    def in_year(self, year: int):
        return self.filter(date__year=year)


class Meeting(models.Model):
    organization = models.ForeignKey("orgs.Organization", on_delete=models.PROTECT, related_name="meetings",
                                     verbose_name=_("branch or group"))
    kind = models.CharField(_("kind"), max_length=16, choices=MeetingKind)
    topic = models.CharField(_("topic"), max_length=200)
    date = models.DateField(_("date"), db_index=True)
    start_time = models.TimeField(_("starts at"))
    end_time = models.TimeField(_("ends at"), null=True, blank=True)
    place = models.CharField(_("place"), max_length=200, blank=True)
    online = models.BooleanField(_("online"), default=False)
    online_link = models.URLField(_("online meeting link"), blank=True)
    host = models.ForeignKey("members.Member", null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
                             verbose_name=_("host"))
    status = models.CharField(_("status"), max_length=16, choices=MeetingStatus, default=MeetingStatus.PLANNED)
    minutes = models.TextField(_("minutes"), blank=True)
    resolutions = models.TextField(_("resolutions"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    recorded_at = models.DateTimeField(null=True, blank=True)
    confirmed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+", verbose_name=_("confirmed by"))
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)

    objects = MeetingQuerySet.as_manager()

    class Meta:
        ordering = ["-date", "-start_time", "-id"]
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        indexes = [models.Index(fields=["organization", "kind", "date"])]
        constraints = [
            models.CheckConstraint(condition=Q(online=False) | ~Q(online_link="") | ~Q(place=""),
                                   name="meeting_has_place_or_link"),
        ]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.get_kind_display()} {self.topic}"

    @property
    def audit_organization(self):
        return self.organization

    @property
    def is_locked(self) -> bool:
        return self.status == MeetingStatus.CONFIRMED

    @property
    def is_held(self) -> bool:
        return self.status in HELD_STATUSES


class AttendanceQuerySet(ScopedQuerySet):
    scope_path = "meeting__organization__path"

    def own_q(self, user):
        return Q(member__user=user)


class Attendance(models.Model):
    """One member on a meeting's roll and whether he or she came."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendances")
    member = models.ForeignKey("members.Member", on_delete=models.PROTECT, related_name="meeting_attendances",
                               verbose_name=_("member"))
    status = models.CharField(_("attendance"), max_length=16, choices=AttendanceStatus,
                              default=AttendanceStatus.EXPECTED)
    leave_reason = models.CharField(_("reason for leave"), max_length=200, blank=True)
    recorded_at = models.DateTimeField(null=True, blank=True)

    objects = AttendanceQuerySet.as_manager()

    class Meta:
        ordering = ["meeting", "member__name_initials", "id"]
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        constraints = [
            models.UniqueConstraint(fields=["meeting", "member"], name="one_attendance_per_member"),
            models.CheckConstraint(condition=~Q(status="leave") | ~Q(leave_reason=""), name="leave_has_reason"),
        ]

    def __str__(self) -> str:
        return f"{self.member} {self.get_status_display()}"


def attachment_path(instance, filename: str) -> str:
    return unguessable_path(f"meetings/{instance.meeting_id}", instance.content_type)


class MeetingAttachment(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(_("file"), upload_to=attachment_path)
    original_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(max_length=64)
    size = models.PositiveIntegerField(_("size"))
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at", "id"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self) -> str:
        return self.original_name


class AmendedField(models.TextChoices):
    MINUTES = "minutes", _("Minutes")
    RESOLUTIONS = "resolutions", _("Resolutions")
    ATTENDANCE = "attendance", _("Attendance")


class MeetingAmendment(models.Model):
    """A change to a confirmed meeting: the original stays on the meeting, the amendment
    holds the new text (or the attendance change) with its reason."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="amendments")
    field = models.CharField(_("changed"), max_length=16, choices=AmendedField)
    member = models.ForeignKey("members.Member", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    old_value = models.TextField(_("before"), blank=True)
    new_value = models.TextField(_("after"))
    reason = models.CharField(_("reason"), max_length=200)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+",
                           verbose_name=_("by"))
    created_at = models.DateTimeField(_("time"), auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("amendment")
        verbose_name_plural = _("amendments")

    def __str__(self) -> str:
        return f"{self.meeting} {self.get_field_display()}"


# ---------------------------------------------------------------------------------------------
# Annual democratic appraisal (民主评议党员)


class Grade(models.TextChoices):
    EXCELLENT = "excellent", _("Excellent")
    QUALIFIED = "qualified", _("Qualified")
    BASIC = "basic", _("Basically qualified")
    UNQUALIFIED = "unqualified", _("Unqualified")


GRADE_ORDER = [Grade.EXCELLENT, Grade.QUALIFIED, Grade.BASIC, Grade.UNQUALIFIED]


class AppraisalStatus(models.TextChoices):
    OPEN = "open", _("Self-assessment and evaluation")
    CLOSED = "closed", _("Voting closed, tally available")
    PROPOSED = "proposed", _("Grades proposed by the branch committee")
    CONFIRMED = "confirmed", _("Confirmed by the general meeting")


class AppraisalQuerySet(ScopedQuerySet):
    scope_path = "branch__path"
    needs_distinct = True

    def own_q(self, user):
        return Q(participants__member__user=user)


class Appraisal(models.Model):
    branch = models.ForeignKey("orgs.Organization", on_delete=models.PROTECT, related_name="appraisals",
                               verbose_name=_("branch"))
    year = models.PositiveSmallIntegerField(_("year"))
    status = models.CharField(_("stage"), max_length=16, choices=AppraisalStatus, default=AppraisalStatus.OPEN)
    unreported_cap = models.BooleanField(
        _("in-service members who did not report cannot be graded qualified or better"), default=False)
    confirmed_at_meeting = models.ForeignKey(Meeting, null=True, blank=True, on_delete=models.SET_NULL,
                                             related_name="+", verbose_name=_("confirming general meeting"))
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    opened_at = models.DateTimeField(auto_now_add=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)

    objects = AppraisalQuerySet.as_manager()

    class Meta:
        ordering = ["-year", "branch__path"]
        verbose_name = _("appraisal")
        verbose_name_plural = _("appraisals")
        constraints = [models.UniqueConstraint(fields=["branch", "year"], name="one_appraisal_per_branch_year")]

    def __str__(self) -> str:
        return f"{self.branch} {self.year}"

    @property
    def audit_organization(self):
        return self.branch


class Participant(models.Model):
    """A member being appraised (the roll frozen when the appraisal opens)."""

    appraisal = models.ForeignKey(Appraisal, on_delete=models.CASCADE, related_name="participants")
    member = models.ForeignKey("members.Member", on_delete=models.PROTECT, related_name="appraisals",
                               verbose_name=_("member"))
    may_vote = models.BooleanField(_("may vote"), default=True, help_text=_("Only full members vote."))
    self_assessment = models.TextField(_("self-assessment"), blank=True)
    self_assessed_at = models.DateTimeField(null=True, blank=True)
    proposed_grade = models.CharField(_("proposed grade"), max_length=16, choices=Grade, blank=True)
    grade = models.CharField(_("grade"), max_length=16, choices=Grade, blank=True)

    class Meta:
        ordering = ["appraisal", "member__name_initials", "id"]
        verbose_name = _("appraised member")
        verbose_name_plural = _("appraised members")
        constraints = [models.UniqueConstraint(fields=["appraisal", "member"], name="one_participant_per_member")]

    def __str__(self) -> str:
        return f"{self.appraisal} {self.member}"


class VoteRoll(models.Model):
    """That a member has voted in an appraisal: nothing about how."""

    appraisal = models.ForeignKey(Appraisal, on_delete=models.CASCADE, related_name="roll")
    voter = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="+")

    class Meta:
        verbose_name = _("has voted")
        verbose_name_plural = _("has voted")
        constraints = [models.UniqueConstraint(fields=["appraisal", "voter"], name="one_vote_per_voter")]

    def __str__(self) -> str:
        return f"{self.appraisal}: {self.voter.member}"


class Ballot(models.Model):
    """One anonymous grade for one member: no voter, no time, a random key so the row order
    cannot be matched against the roll."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    appraisal = models.ForeignKey(Appraisal, on_delete=models.CASCADE, related_name="ballots")
    subject = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="ballots_received")
    grade = models.CharField(max_length=16, choices=Grade)

    class Meta:
        verbose_name = _("ballot")
        verbose_name_plural = _("ballots")

    def __str__(self) -> str:
        return str(self.appraisal)
