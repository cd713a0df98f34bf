"""Every write to meetings and appraisals. Keyword-only, one transaction, the audit row in the
same transaction; a refused write raises ValidationError with a message for the user and
writes nothing."""

from __future__ import annotations

from datetime import date, time

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from gongzhi.accounts.models import Role, RoleKind
from gongzhi.core import audit
from gongzhi.core.models import Notification
from gongzhi.members.models import Member, MemberCategory, MemberStatus
from gongzhi.orgs.models import OrgKind
from gongzhi.points.models import PointEntry, RuleCode
from gongzhi.points.services import post_points, reverse_entry

from .models import (
    AmendedField,
    Appraisal,
    AppraisalStatus,
    Attendance,
    AttendanceStatus,
    Ballot,
    CommitteeMembership,
    Grade,
    Meeting,
    MeetingAmendment,
    MeetingAttachment,
    MeetingKind,
    MeetingRequirement,
    MeetingStatus,
    Participant,
    VoteRoll,
)
from .uploads import check_upload

BRANCH_ONLY_KINDS = {MeetingKind.GENERAL, MeetingKind.COMMITTEE, MeetingKind.LIFE}
#: The party members' meeting (党员大会) of a community or village organization: its roll is every member held in
#: its subtree (the members of its branches), and it is the only meeting such an organization holds here.
MEMBERS_MEETING_KINDS = {MeetingKind.MEMBERS}


# ---------------------------------------------------------------------------------------------
# Meetings


def expected_attendees(organization, kind: str, on: date):
    """Who should attend: the branch's members (and reported members serving there); for a
    committee meeting the committee; for a group the members of its buildings."""
    members = Member.objects.current()
    if kind == MeetingKind.MEMBERS:
        return members.held_in(organization)
    if kind == MeetingKind.COMMITTEE:
        seats = CommitteeMembership.objects.filter(branch=organization).active(on).values("member_id")
        return members.filter(pk__in=seats)
    if organization.kind == OrgKind.GROUP:
        return members.filter(Q(home_org=organization) | Q(serving_org=organization)
                              | Q(home_org_id=organization.parent_id, building__group=organization))
    return members.filter(Q(home_org=organization) | Q(serving_org=organization))


@transaction.atomic
def plan_meeting(*, organization, kind: str, topic: str, date: date, start_time: time, by,
                 end_time: time | None = None, place: str = "", online: bool = False, online_link: str = "",
                 host: Member | None = None, request=None) -> Meeting:
    if organization.kind in (OrgKind.COMMUNITY, OrgKind.VILLAGE):
        if kind not in MEMBERS_MEETING_KINDS:
            raise ValidationError(_("A community or village organization holds its party members' meeting here; "
                                    "other meetings are held by its branches."))
    elif organization.kind not in (OrgKind.BRANCH, OrgKind.GROUP):
        raise ValidationError(_("Meetings are held by a branch or a party group."))
    elif kind in MEMBERS_MEETING_KINDS:
        raise ValidationError(_("A party members' meeting of a community or village is held by that organization."))
    if kind in BRANCH_ONLY_KINDS and organization.kind != OrgKind.BRANCH:
        raise ValidationError(_("This kind of meeting is held by a branch, not by a party group."))
    if kind == MeetingKind.GROUP and organization.kind != OrgKind.GROUP:
        raise ValidationError(_("A party group meeting is held by a party group."))
    if not place.strip() and not (online and online_link):
        raise ValidationError(_("Give a place, or a link for an online meeting."))
    if end_time is not None and end_time <= start_time:
        raise ValidationError(_("The meeting must end after it starts."))
    attendees = list(expected_attendees(organization, kind, date))
    if kind == MeetingKind.COMMITTEE and not attendees:
        raise ValidationError(_("This branch has no committee: record its committee first."))
    if host is not None and host.pk not in {m.pk for m in attendees}:
        raise ValidationError(_("The host must be one of the members expected to attend."))
    meeting = Meeting.objects.create(
        organization=organization, kind=kind, topic=topic.strip(), date=date, start_time=start_time,
        end_time=end_time, place=place.strip(), online=online, online_link=online_link, host=host, created_by=by)
    Attendance.objects.bulk_create([Attendance(meeting=meeting, member=m) for m in attendees])
    audit.record(actor=by, action="meetings.meeting.plan", obj=meeting, request=request,
                 detail={"kind": kind, "attendees": len(attendees)})
    notify_attendees(meeting=meeting, attendees=attendees)
    return meeting


def notify_attendees(*, meeting: Meeting, attendees) -> int:
    """One in-app notification per attendee with an account (idempotent on the key)."""
    from django.urls import reverse

    url = reverse("meetings:detail", kwargs={"pk": meeting.pk})
    title = _("Meeting: %(kind)s on %(date)s") % {"kind": meeting.get_kind_display(), "date": meeting.date}
    body = f"{meeting.topic} · {meeting.start_time:%H:%M} · {meeting.place or _('online')}"
    notes = [Notification(user_id=m.user_id, title=title[:200], body=body, url=url, key=f"meeting:{meeting.pk}:planned")
             for m in attendees if m.user_id]
    Notification.objects.bulk_create(notes, ignore_conflicts=True)
    return len(notes)


def _check_recordable(meeting: Meeting, today: date | None = None) -> None:
    if meeting.is_locked:
        raise ValidationError(_("The record is confirmed and locked: make an amendment instead."))
    if meeting.status == MeetingStatus.CANCELLED:
        raise ValidationError(_("The meeting was cancelled."))
    if meeting.date > (today or timezone.localdate()):
        raise ValidationError(_("A meeting cannot be recorded before it takes place (it is on %(date)s).")
                              % {"date": meeting.date})


def _clean_attendance(status: str, leave_reason: str) -> str:
    if status not in (AttendanceStatus.PRESENT, AttendanceStatus.LEAVE, AttendanceStatus.ABSENT):
        raise ValidationError(_("Choose present, on leave or absent."))
    leave_reason = (leave_reason or "").strip()
    if status == AttendanceStatus.LEAVE and not leave_reason:
        raise ValidationError(_("Give the reason for the leave."))
    return leave_reason if status == AttendanceStatus.LEAVE else ""


def _attendance_for(meeting: Meeting, member_id) -> Attendance:
    attendance = Attendance.objects.select_related("member").filter(meeting=meeting, member_id=member_id).first()
    if attendance is not None:
        return attendance
    # A member who joined the branch after the meeting was planned may still be added.
    member = expected_attendees(meeting.organization, meeting.kind, meeting.date).filter(pk=member_id).first()
    if member is None:
        raise ValidationError(_("This person is not a member of the branch for this meeting."))
    return Attendance.objects.create(meeting=meeting, member=member)


@transaction.atomic
def record_attendance(*, meeting: Meeting, member_id: int, status: str, by, leave_reason: str = "",
                      request=None) -> Attendance:
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    _check_recordable(meeting)
    leave_reason = _clean_attendance(status, leave_reason)
    attendance = _attendance_for(meeting, member_id)
    attendance.status, attendance.leave_reason, attendance.recorded_at = status, leave_reason, timezone.now()
    attendance.save(update_fields=["status", "leave_reason", "recorded_at"])
    if meeting.status == MeetingStatus.PLANNED:
        meeting.status, meeting.recorded_by, meeting.recorded_at = MeetingStatus.RECORDED, by, timezone.now()
        meeting.save(update_fields=["status", "recorded_by", "recorded_at"])
    audit.record(actor=by, action="meetings.attendance.record", obj=meeting, request=request,
                 subject_user=attendance.member.user, detail={"status": status})
    return attendance


@transaction.atomic
def record_minutes(*, meeting: Meeting, minutes: str, resolutions: str, by, request=None) -> Meeting:
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    _check_recordable(meeting)
    meeting.minutes, meeting.resolutions = minutes.strip(), resolutions.strip()
    meeting.status, meeting.recorded_by, meeting.recorded_at = MeetingStatus.RECORDED, by, timezone.now()
    meeting.save(update_fields=["minutes", "resolutions", "status", "recorded_by", "recorded_at"])
    audit.record(actor=by, action="meetings.minutes.record", obj=meeting, request=request)
    return meeting


@transaction.atomic
def add_attachment(*, meeting: Meeting, upload, by, request=None) -> MeetingAttachment:
    if meeting.is_locked:
        raise ValidationError(_("The record is confirmed and locked: make an amendment instead."))
    content_type = check_upload(upload)
    attachment = MeetingAttachment(meeting=meeting, original_name=upload.name[:200], content_type=content_type,
                                   size=upload.size, uploaded_by=by)
    upload.seek(0)
    attachment.file.save(upload.name, upload, save=False)
    attachment.save()
    audit.record(actor=by, action="meetings.meeting.attach", obj=meeting, request=request,
                 detail={"type": content_type, "size": upload.size})
    return attachment


def _post_attendance_points(meeting: Meeting, attendance: Attendance, by, key: str) -> None:
    code = {AttendanceStatus.PRESENT: RuleCode.MEETING_ATTENDANCE,
            AttendanceStatus.ABSENT: RuleCode.MEETING_ABSENCE}.get(attendance.status)
    if code is None:
        return
    from .permissions import branch_of

    post_points(member=attendance.member, code=code, key=key, occurred_on=meeting.date, source=meeting,
                organization=branch_of(meeting.organization), by=by)


def attendance_key(meeting: Meeting, member) -> str:
    return f"meeting:{meeting.pk}:member:{member.pk}"


@transaction.atomic
def confirm_meeting(*, meeting: Meeting, by, request=None) -> Meeting:
    """The branch secretary confirms the record: it is locked and attendance posts points."""
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if meeting.is_locked:
        return meeting
    _check_recordable(meeting)
    attendances = list(meeting.attendances.select_related("member"))
    if any(a.status == AttendanceStatus.EXPECTED for a in attendances):
        raise ValidationError(_("Record the attendance of every member before confirming."))
    if not meeting.minutes.strip():
        raise ValidationError(_("Write the minutes before confirming."))
    meeting.status, meeting.confirmed_by, meeting.confirmed_at = MeetingStatus.CONFIRMED, by, timezone.now()
    meeting.save(update_fields=["status", "confirmed_by", "confirmed_at"])
    for attendance in attendances:
        _post_attendance_points(meeting, attendance, by, attendance_key(meeting, attendance.member))
    audit.record(actor=by, action="meetings.meeting.confirm", obj=meeting, request=request,
                 detail={"attendances": len(attendances)})
    return meeting


def current_text(meeting: Meeting, field: str) -> str:
    """The minutes or resolutions as last amended (the original if never amended)."""
    last = meeting.amendments.filter(field=field).order_by("-created_at", "-id").first()
    return last.new_value if last else getattr(meeting, field)


@transaction.atomic
def amend_meeting(*, meeting: Meeting, field: str, reason: str, by, new_value: str = "", member_id=None,
                  status: str = "", leave_reason: str = "", request=None) -> MeetingAmendment:
    """Change a confirmed record: the original stays, the amendment holds the change and why."""
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if not meeting.is_locked:
        raise ValidationError(_("Only a confirmed record is amended; edit this one directly."))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("Give the reason for the amendment."))
    if field in (AmendedField.MINUTES, AmendedField.RESOLUTIONS):
        new_value = (new_value or "").strip()
        old_value = current_text(meeting, field)
        if new_value == old_value:
            raise ValidationError(_("The text is unchanged."))
        amendment = MeetingAmendment.objects.create(meeting=meeting, field=field, old_value=old_value,
                                                    new_value=new_value, reason=reason[:200], by=by)
    elif field == AmendedField.ATTENDANCE:
        leave_reason = _clean_attendance(status, leave_reason)
        attendance = Attendance.objects.select_related("member").filter(meeting=meeting, member_id=member_id).first()
        if attendance is None:
            raise ValidationError(_("This person is not a member of the branch for this meeting."))
        if attendance.status == status and attendance.leave_reason == leave_reason:
            raise ValidationError(_("The attendance is unchanged."))
        amendment = MeetingAmendment.objects.create(
            meeting=meeting, field=field, member=attendance.member, old_value=attendance.status,
            new_value=status, reason=reason[:200], by=by)
        # The points follow the corrected attendance: reverse what was posted, post afresh.
        for entry in PointEntry.objects.filter(source_type="meetings.meeting", source_id=str(meeting.pk),
                                               member=attendance.member, reverses__isnull=True,
                                               reversed_by__isnull=True).exclude(code=RuleCode.REVERSAL):
            reverse_entry(entry=entry, reason=_("Meeting attendance amended"), by=by, request=request)
        attendance.status, attendance.leave_reason, attendance.recorded_at = status, leave_reason, timezone.now()
        attendance.save(update_fields=["status", "leave_reason", "recorded_at"])
        key = f"{attendance_key(meeting, attendance.member)}:amendment:{amendment.pk}"
        _post_attendance_points(meeting, attendance, by, key)
    else:
        raise ValidationError(_("Choose what to amend."))
    audit.record(actor=by, action="meetings.meeting.amend", obj=meeting, request=request, detail={"field": field})
    return amendment


@transaction.atomic
def set_requirement(*, organization, kind: str, period: str, times: int, by, request=None) -> MeetingRequirement:
    if times < 0 or times > 31:
        raise ValidationError(_("Give a number of times between 0 and 31."))
    requirement, _created = MeetingRequirement.objects.update_or_create(
        organization=organization, kind=kind, defaults={"period": period, "times": times, "updated_by": by})
    audit.record(actor=by, action="meetings.requirement.set", obj=requirement, organization=organization,
                 request=request, detail={"kind": kind, "period": period, "times": times})
    return requirement


def branch_secretaries(branch_ids) -> dict[int, list[int]]:
    """User ids of the active branch secretaries of each branch (1 query)."""
    result: dict[int, list[int]] = {}
    for org_id, user_id in Role.objects.active(timezone.localdate()).filter(
            kind=RoleKind.BRANCH_SECRETARY, organization_id__in=branch_ids).values_list("organization_id", "user_id"):
        result.setdefault(org_id, []).append(user_id)
    return result


# ---------------------------------------------------------------------------------------------
# Appraisal


def is_unreported_in_service(member: Member) -> bool:
    """An in-service member living in the community who has not reported to it (no post there)."""
    return member.category == MemberCategory.IN_SERVICE and member.serving_org_id is None


@transaction.atomic
def open_appraisal(*, branch, year: int, by, unreported_cap: bool = False, request=None) -> Appraisal:
    if branch.kind != OrgKind.BRANCH:
        raise ValidationError(_("An appraisal is opened by a branch."))
    if Appraisal.objects.filter(branch=branch, year=year).exists():
        raise ValidationError(_("This branch already has an appraisal for %(year)s.") % {"year": year})
    members = list(Member.objects.current().filter(home_org=branch))
    if not members:
        raise ValidationError(_("The branch has no members to appraise."))
    appraisal = Appraisal.objects.create(branch=branch, year=year, unreported_cap=unreported_cap, opened_by=by)
    Participant.objects.bulk_create([
        Participant(appraisal=appraisal, member=m, may_vote=m.status == MemberStatus.FULL) for m in members])
    audit.record(actor=by, action="meetings.appraisal.open", obj=appraisal, request=request,
                 detail={"year": year, "participants": len(members)})
    return appraisal


def participant_of(appraisal: Appraisal, user) -> Participant | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return appraisal.participants.select_related("member").filter(member__user=user).first()


@transaction.atomic
def submit_self_assessment(*, appraisal: Appraisal, participant: Participant, text: str, by,
                           request=None) -> Participant:
    if appraisal.status != AppraisalStatus.OPEN:
        raise ValidationError(_("The appraisal is past the self-assessment stage."))
    text = (text or "").strip()
    if len(text) < 10:
        raise ValidationError(_("Write at least a few sentences (10 characters or more)."))
    participant.self_assessment, participant.self_assessed_at = text[:5000], timezone.now()
    participant.save(update_fields=["self_assessment", "self_assessed_at"])
    audit.record(actor=by, action="meetings.appraisal.self_assess", obj=appraisal, request=request)
    return participant


def cast_vote(*, appraisal: Appraisal, voter: Participant, grades: dict[int, str], request=None) -> int:
    """Mark the voter on the roll and add one anonymous ballot per evaluated member, in one
    transaction; a second vote is refused. The audit row names the voter, never a choice."""
    if Appraisal.objects.filter(pk=appraisal.pk).values_list("status", flat=True).first() != AppraisalStatus.OPEN:
        raise ValidationError(_("Voting has closed."))
    if not voter.may_vote:
        raise ValidationError(_("Only full members vote; probationary members take part without a vote."))
    others = {p.pk for p in appraisal.participants.exclude(pk=voter.pk)}
    grades = {int(k): v for k, v in grades.items() if v}
    if set(grades) - others:
        raise ValidationError(_("A ballot may only grade the other members of this appraisal."))
    if set(grades.values()) - set(Grade.values):
        raise ValidationError(_("Choose one of the four grades."))
    if not grades:
        raise ValidationError(_("Grade at least one member."))
    try:
        with transaction.atomic():
            # The appraisal row lock orders a vote against closing the voting.
            locked = Appraisal.objects.select_for_update().filter(pk=appraisal.pk, status=AppraisalStatus.OPEN)
            if locked.first() is None:
                raise ValidationError(_("Voting has closed."))
            VoteRoll.objects.create(appraisal=appraisal, voter=voter)
            Ballot.objects.bulk_create([Ballot(appraisal=appraisal, subject_id=pk, grade=g)
                                        for pk, g in sorted(grades.items())])
            audit.record(actor=voter.member.user, action="meetings.appraisal.vote", obj=appraisal, request=request)
    except IntegrityError as exc:
        raise ValidationError(_("You have already voted in this appraisal; a vote cannot be cast twice.")) from exc
    return len(grades)


@transaction.atomic
def close_voting(*, appraisal: Appraisal, by, request=None) -> Appraisal:
    """End the evaluation: only now is the tally shown, so no one can watch it move vote by vote."""
    appraisal = Appraisal.objects.select_for_update().get(pk=appraisal.pk)
    if appraisal.status != AppraisalStatus.OPEN:
        raise ValidationError(_("Voting is already closed."))
    appraisal.status = AppraisalStatus.CLOSED
    appraisal.save(update_fields=["status"])
    audit.record(actor=by, action="meetings.appraisal.close_voting", obj=appraisal, request=request)
    return appraisal


@transaction.atomic
def propose_grades(*, appraisal: Appraisal, grades: dict[int, str], by, request=None) -> list[str]:
    """The branch committee proposes a grade for every member; returns warnings (e.g. too many
    "excellent"). Grades breaking the configured unreported-member rule are refused."""
    appraisal = Appraisal.objects.select_for_update().get(pk=appraisal.pk)
    if appraisal.status == AppraisalStatus.CONFIRMED:
        raise ValidationError(_("The grades are confirmed already."))
    if appraisal.status == AppraisalStatus.OPEN:
        raise ValidationError(_("Close the voting before proposing grades."))
    participants = list(appraisal.participants.select_related("member"))
    grades = {int(k): v for k, v in grades.items()}
    missing = [p for p in participants if grades.get(p.pk) not in Grade.values]
    if missing:
        raise ValidationError(_("Propose a grade for every member (missing: %(names)s).")
                              % {"names": "、".join(p.member.name for p in missing[:5])})
    if appraisal.unreported_cap:
        capped = [p for p in participants if is_unreported_in_service(p.member)
                  and grades[p.pk] in (Grade.EXCELLENT, Grade.QUALIFIED)]
        if capped:
            raise ValidationError(
                _("In-service members who did not report to the community cannot be graded qualified or "
                  "better: %(names)s.") % {"names": "、".join(p.member.name for p in capped[:5])})
    for participant in participants:
        participant.proposed_grade = grades[participant.pk]
    Participant.objects.bulk_update(participants, ["proposed_grade"])
    appraisal.status = AppraisalStatus.PROPOSED
    appraisal.save(update_fields=["status"])
    audit.record(actor=by, action="meetings.appraisal.propose", obj=appraisal, request=request)
    return excellent_warnings(participants, [grades[p.pk] for p in participants])


def excellent_warnings(participants, grades) -> list[str]:
    excellent = sum(1 for g in grades if g == Grade.EXCELLENT)
    if participants and excellent * 3 > len(participants):
        return [_("%(n)s of %(total)s members are graded excellent: generally at most one third.")
                % {"n": excellent, "total": len(participants)}]
    return []


@transaction.atomic
def confirm_grades(*, appraisal: Appraisal, by, meeting: Meeting | None = None, request=None) -> Appraisal:
    """The branch general meeting confirms the proposed grades; they become the results."""
    appraisal = Appraisal.objects.select_for_update().get(pk=appraisal.pk)
    if appraisal.status != AppraisalStatus.PROPOSED:
        raise ValidationError(_("The branch committee must propose the grades first."))
    if meeting is not None and (meeting.organization_id != appraisal.branch_id or meeting.kind != MeetingKind.GENERAL
                                or not meeting.is_held):
        raise ValidationError(_("Choose a general meeting of this branch that has been held."))
    participants = list(appraisal.participants.all())
    for participant in participants:
        participant.grade = participant.proposed_grade
    Participant.objects.bulk_update(participants, ["grade"])
    appraisal.status, appraisal.confirmed_at, appraisal.confirmed_at_meeting = (
        AppraisalStatus.CONFIRMED, timezone.now(), meeting)
    appraisal.save(update_fields=["status", "confirmed_at", "confirmed_at_meeting"])
    audit.record(actor=by, action="meetings.appraisal.confirm", obj=appraisal, request=request)
    return appraisal
