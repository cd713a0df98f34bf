"""Every write of recruitment: keyword-only, one transaction, the working rules checked, the audit row in the same
transaction. A refused write raises ``ValidationError`` with a message for the user and writes nothing.

``register_applicant`` records step 1 (the application); ``record_step`` records the next step, strictly in
order, dated on or after the step it follows and after the minimum durations (a year of cultivation, the public
notice's five working days); step 15 is a vote of the branch general meeting through ``democracy.services``
(quorum and majority of those entitled, ``democracy.quorum``); step 17 enters the person in the member registry
as a probationary member through ``members.services``; steps 23 and 24 are the democracy app's conversion, read
back. ``add_assessment`` keeps the quarterly assessment records, ``add_document`` a step's documents.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gongzhi.core import audit
from gongzhi.core.idnumber import parse_id_number
from gongzhi.core.workdays import add_working_days
from gongzhi.members.models import Member, MemberCategory, MemberStatus, PartyStatus
from gongzhi.members.models import Standing as MemberStanding
from gongzhi.orgs.models import BRANCH_LEVEL, COMMUNITY_LEVEL, GROUP_LEVEL

from .models import (
    DEMOCRACY_STEPS,
    TWO_MEMBER_STEPS,
    Assessment,
    Candidate,
    Standing,
    Step,
    StepDocument,
    StepNumber,
)

#: The party's minimum age for joining (the Constitution, article 1).
MIN_AGE = 18
#: The party organization talks with an applicant within a month of the application (working rules, art. 7).
TALK_WITHIN_MONTHS = 1
#: Activists are cultivated for at least a year before becoming development candidates (art. 13).
CULTIVATION_MONTHS = 12
#: Assessment records are kept every quarter (art. 12), for activists and probationary members.
ASSESSMENT_EVERY_MONTHS = 3
#: At least this many assessment records cover the year of cultivation.
MIN_ASSESSMENTS = 4
#: The public notice of a development candidate lasts at least five working days (local practice, the common
#: value).
NOTICE_WORKING_DAYS = 5
#: The upper committee approves within three months of the branch general meeting (art. 26).
APPROVAL_WITHIN_MONTHS = 3
PROBATION_MONTHS = 12
#: The application for full membership is made at the earliest a month before the probation ends.
CONVERSION_AHEAD_DAYS = 31
MAX_DOCUMENTS = 10


def add_months(day: date, months: int) -> date:
    from gongzhi.democracy.services import add_months as democracy_add_months

    return democracy_add_months(day, months)


def _today() -> date:
    return timezone.localdate()


# ---------------------------------------------------------------------------------------------
# Reading a person's progress (pure: the pages and the API compute the same answers)


@dataclass(frozen=True)
class Overdue:
    kind: str  # "talk", "assessment", "approval"
    due: date
    reason: str


def conversion_of(candidate: Candidate):
    """The democracy app's approved conversion of the admitted member, if any (steps 23 and 24)."""
    if candidate.member_id is None:
        return None
    from gongzhi.democracy.models import Conversion, ConversionProposal, ConversionStatus

    return (Conversion.objects.filter(member_id=candidate.member_id, proposal=ConversionProposal.CONVERT,
                                      status=ConversionStatus.APPROVED).select_related("resolution").first())


def next_step(candidate: Candidate) -> int | None:
    """The number of the next step to record, or None when the person is out of the pipeline or done."""
    if candidate.standing == Standing.CLOSED or candidate.last_step >= 25:
        return None
    following = candidate.last_step + 1
    if following in DEMOCRACY_STEPS:
        member = candidate.member
        return 25 if member is not None and member.status == MemberStatus.FULL else 23
    return following


def _steps(candidate: Candidate) -> dict[int, Step]:
    prefetched = getattr(candidate, "_prefetched_objects_cache", {}).get("steps")
    rows = prefetched if prefetched is not None else candidate.steps.all()
    return {s.number: s for s in rows}


def earliest_date(candidate: Candidate, number: int, steps: dict[int, Step] | None = None,
                  conversion=None) -> tuple[date | None, str]:
    """The earliest date step ``number`` may bear, and why (the step before, or a minimum duration)."""
    steps = _steps(candidate) if steps is None else steps
    previous = steps.get(number - 1) if number != 25 else None
    earliest, reason = (previous.on, _("the date of step %(n)s") % {"n": number - 1}) if previous else (None, "")
    if number == 25 and conversion is not None:
        earliest, reason = conversion.decided_on, _("the approval of the conversion")
    if number in (StepNumber.CULTIVATION, StepNumber.CANDIDATE) and StepNumber.ACTIVIST in steps:
        year = add_months(steps[StepNumber.ACTIVIST].on, CULTIVATION_MONTHS)
        if earliest is None or year > earliest:
            earliest, reason = year, _("a year of cultivation after becoming an activist")
    if number == StepNumber.PRE_REVIEW and StepNumber.COMMITTEE_REVIEW in steps:
        notice = steps[StepNumber.COMMITTEE_REVIEW]
        if notice.notice_ends_on and notice.notice_ends_on + timedelta(days=1) > earliest:
            earliest, reason = notice.notice_ends_on + timedelta(days=1), _("the end of the public notice")
    if number == StepNumber.CONVERSION_APPLICATION and candidate.member_id:
        ahead = candidate.member.probation_ends_on and candidate.member.probation_ends_on - timedelta(
            days=CONVERSION_AHEAD_DAYS)
        if ahead and (earliest is None or ahead > earliest):
            earliest, reason = ahead, _("a month before the probation ends")
    return earliest, reason


def overdue(candidate: Candidate, today: date, steps: dict[int, Step] | None = None,
            assessments: list[Assessment] | None = None) -> list[Overdue]:
    """What is late for this person, with why: the talk not held within a month of the application, the quarterly
    assessment not recorded, the upper committee's approval not given within three months of the branch's vote.
    Listed, never refused."""
    if candidate.standing == Standing.CLOSED:
        return []
    steps = _steps(candidate) if steps is None else steps
    if assessments is None:
        prefetched = getattr(candidate, "_prefetched_objects_cache", {}).get("assessments")
        assessments = list(prefetched if prefetched is not None else candidate.assessments.all())
    found = []
    applied = steps.get(StepNumber.APPLICATION)
    if applied and StepNumber.TALK not in steps:
        due = add_months(applied.on, TALK_WITHIN_MONTHS)
        if today > due:
            found.append(Overdue("talk", due, _("No talk within a month of the application (%(date)s).")
                                 % {"date": applied.on}))
    for start, end in ((StepNumber.ACTIVIST, StepNumber.CULTIVATION),
                       (StepNumber.APPROVAL, StepNumber.PROBATION_ASSESSMENT)):
        if start in steps and end not in steps:
            began = steps[start].on
            last = max([a.on for a in assessments if a.on >= began], default=began)
            due = add_months(last, ASSESSMENT_EVERY_MONTHS)
            if today > due:
                found.append(Overdue("assessment", due, _("No assessment recorded since %(date)s (one each "
                                                          "quarter).") % {"date": last}))
    voted = steps.get(StepNumber.GENERAL_MEETING)
    if voted and StepNumber.APPROVAL not in steps:
        due = add_months(voted.on, APPROVAL_WITHIN_MONTHS)
        if today > due:
            found.append(Overdue("approval", due, _("The upper committee has not approved within three months of the "
                                                    "branch general meeting (%(date)s).") % {"date": voted.on}))
    return found


# ---------------------------------------------------------------------------------------------
# Documents


def _check_documents(uploads, already: int = 0) -> list[tuple[object, str]]:
    from gongzhi.meetings.uploads import check_upload

    uploads = [u for u in uploads or () if u]
    if already + len(uploads) > MAX_DOCUMENTS:
        raise ValidationError(_("A step holds at most %(n)s documents.") % {"n": MAX_DOCUMENTS})
    return [(upload, check_upload(upload)) for upload in uploads]


def _save_documents(step: Step, checked, by) -> None:
    for upload, content_type in checked:
        document = StepDocument(step=step, original_name=(upload.name or "file")[:200], content_type=content_type,
                                size=upload.size, uploaded_by=by)
        document.file.save(upload.name or "file", upload, save=False)
        document.save()


@transaction.atomic
def add_document(*, step: Step, upload, by, request=None) -> StepDocument:
    step = Step.objects.select_for_update().select_related("candidate").get(pk=step.pk)
    checked = _check_documents([upload], already=step.documents.count())
    if not checked:
        raise ValidationError(_("Choose a file."))
    _save_documents(step, checked, by)
    audit.record(actor=by, action="recruitment.step.attach", obj=step.candidate, request=request,
                 detail={"step": step.number, "size": upload.size})
    return step.documents.order_by("-id").first()


# ---------------------------------------------------------------------------------------------
# Registering an applicant (step 1)


def _clean_text(value, limit: int) -> str:
    return (value or "").strip()[:limit]


@transaction.atomic
def register_applicant(*, branch, name: str, id_number: str, applied_on: date, by, category: str,
                       ethnicity: str = "汉族", education: str = "", phone: str = "", workplace: str = "",
                       notes: str = "", documents=(), request=None) -> Candidate:
    """Register a person's application for membership (step 1) with the branch that handles it. The person is
    not a member: he or she enters the member registry only when admitted (step 17)."""
    if branch is None or branch.kind not in BRANCH_LEVEL:
        raise ValidationError({"branch": _("An application is handled by a party branch: choose a branch.")})
    name = _clean_text(name, 50)
    if not name:
        raise ValidationError({"name": _("Give the applicant's name.")})
    try:
        info = parse_id_number(id_number or "")
    except ValidationError as error:
        raise ValidationError({"id_number": error.messages}) from error
    if applied_on is None or applied_on > _today():
        raise ValidationError({"applied_on": _("Give the date of the application; it cannot be in the future.")})
    if applied_on < add_months(info.birth_date, 12 * MIN_AGE):
        raise ValidationError({"applied_on": _("An applicant must be at least %(age)s years old on the day of the "
                                               "application (born %(birth)s).")
                               % {"age": MIN_AGE, "birth": info.birth_date}})
    if category not in MemberCategory.values:
        raise ValidationError({"category": _("Choose the applicant's occupation category.")})
    if Member.objects.filter(id_number=info.number).exists():
        raise ValidationError({"id_number": _("A party member with this ID number is already registered.")})
    if Candidate.objects.filter(id_number=info.number).exclude(standing=Standing.CLOSED).exists():
        raise ValidationError({"id_number": _("An application with this ID number is already being handled.")})
    checked = _check_documents(documents)
    candidate = Candidate(branch=branch, name=name, sex=info.sex, ethnicity=_clean_text(ethnicity, 20) or "汉族",
                          id_number=info.number, birth_date=info.birth_date, education=education or "",
                          category=category, phone=_clean_text(phone, 20), workplace=_clean_text(workplace, 100),
                          standing=Standing.APPLICANT, last_step=StepNumber.APPLICATION, created_by=by)
    candidate.full_clean(exclude=["created_by", "member"])
    try:
        with transaction.atomic():
            candidate.save()
    except IntegrityError as exc:  # a concurrent registration of the same person
        raise ValidationError({"id_number": _("An application with this ID number is already being handled.")}) \
            from exc
    step = Step.objects.create(candidate=candidate, number=StepNumber.APPLICATION, on=applied_on,
                               notes=_clean_text(notes, 5000), recorded_by=by)
    _save_documents(step, checked, by)
    audit.record(actor=by, action="recruitment.applicant.register", obj=candidate, request=request,
                 detail={"step": 1, "on": str(applied_on)})
    return candidate


# ---------------------------------------------------------------------------------------------
# Recording the next step


def _check_two_members(candidate: Candidate, first, second, on: date, number: int) -> None:
    what = _("contact members") if number == StepNumber.CONTACTS else _("introducers")
    if first is None or second is None:
        raise ValidationError(_("Choose the two %(what)s.") % {"what": what})
    if first.pk == second.pk:
        raise ValidationError(_("The two %(what)s must be two different members.") % {"what": what})
    for member in (first, second):
        if (member.status != MemberStatus.FULL or member.party_status != PartyStatus.NORMAL
                or member.standing in (MemberStanding.TRANSFERRED_OUT, MemberStanding.DECEASED)
                or (member.full_member_on is not None and member.full_member_on > on)):
            raise ValidationError(_("%(name)s is not a full member: the %(what)s are full members.")
                                  % {"name": member.name, "what": what})
        if member.home_org_id != candidate.branch_id:
            raise ValidationError(_("%(name)s is not a member of %(branch)s: the %(what)s are members of the branch "
                                    "handling the application.")
                                  % {"name": member.name, "branch": candidate.branch.name, "what": what})


def _check_notice(on: date, starts: date | None, ends: date | None) -> None:
    if starts is None or ends is None:
        raise ValidationError({"notice_starts_on": _("Give the first and the last day of the public notice.")})
    if starts < on:
        raise ValidationError({"notice_starts_on": _("The public notice starts on or after the branch committee's "
                                                     "review (%(date)s).") % {"date": on}})
    if starts > on + timedelta(days=31):
        raise ValidationError({"notice_starts_on": _("The public notice starts within a month of the review.")})
    # The notice's first day counts: the fifth working day from it (inclusive) is the earliest last day.
    shortest = add_working_days(starts - timedelta(days=1), NOTICE_WORKING_DAYS)
    if ends < shortest:
        raise ValidationError({"notice_ends_on": _("A public notice lasts at least %(n)s working days: from "
                                                   "%(start)s it ends on %(end)s at the earliest.")
                               % {"n": NOTICE_WORKING_DAYS, "start": starts, "end": shortest}})


def _admit(candidate: Candidate, steps: dict[int, Step], by, request) -> Member:
    """Enter the person in the member registry as a probationary member of the handling branch, through the
    members service: the probation runs from the branch general meeting's vote (art. 30)."""
    from gongzhi.members import services as member_services

    joined = steps[StepNumber.GENERAL_MEETING].on
    branch = candidate.branch
    community = branch.parent if branch.parent is not None and branch.parent.kind in COMMUNITY_LEVEL else None
    member = Member(name=candidate.name, sex=candidate.sex, ethnicity=candidate.ethnicity,
                    id_number=candidate.id_number, birth_date=candidate.birth_date, education=candidate.education,
                    joined_on=joined, status=MemberStatus.PROBATIONARY,
                    probation_ends_on=add_months(joined, PROBATION_MONTHS), category=candidate.category,
                    employer=candidate.workplace, mobile=candidate.phone, home_org=branch, community=community)
    try:
        return member_services.register_member(member=member, by=by, request=request,
                                               note=_("Admitted through recruitment"))
    except member_services.DuplicateMember as exc:
        raise ValidationError(_("A party member with this ID number is already registered: the person cannot be "
                                "admitted a second time.")) from exc


def _vote(candidate: Candidate, *, on: date, meeting, present_ids, in_favour, against, abstained, notes, by,
          request):
    from gongzhi.democracy import services as democracy

    title = _("Admission of %(name)s as a probationary member") % {"name": candidate.name}
    if meeting is not None:
        if meeting.organization_id != candidate.branch_id or meeting.date != on:
            raise ValidationError({"meeting": _("Choose a general meeting of %(branch)s held on the step's date.")
                                   % {"branch": candidate.branch.name}})
        return democracy.record_show_of_hands(meeting=meeting, title=title, text=notes, in_favour=in_favour,
                                              against=against, abstained=abstained, by=by, request=request)
    return democracy.record_show_of_hands(organization=candidate.branch, held_on=on, present_ids=present_ids,
                                          title=title, text=notes, in_favour=in_favour, against=against,
                                          abstained=abstained, by=by, request=request)


@transaction.atomic
def record_step(*, candidate: Candidate, number: int, on: date, by, notes: str = "", first_member=None,
                second_member=None, notice_starts_on: date | None = None, notice_ends_on: date | None = None,
                meeting=None, present_ids=(), in_favour=None, against=None, abstained=None, group=None,
                documents=(), request=None) -> Step:
    """Record the person's next step, in order, dated on or after the step it follows and after the minimum
    durations; refuse anything else with the reason, writing nothing."""
    candidate = (Candidate.objects.select_for_update(of=("self",)).select_related("branch", "branch__parent", "member")
                 .get(pk=candidate.pk))
    expected = next_step(candidate)
    if expected is None:
        raise ValidationError(_("%(name)s's recruitment is closed: no further step can be recorded.")
                              % {"name": candidate.name}, code="closed")
    if number in DEMOCRACY_STEPS:
        raise ValidationError(_("The vote on the conversion and its approval are recorded on the conversions page "
                                "(votes and decisions)."), code="democracy")
    if expected in DEMOCRACY_STEPS:
        raise ValidationError(_("The next step is the branch general meeting's vote on the conversion, recorded on "
                                "the conversions page (votes and decisions)."), code="order")
    if number != expected:
        raise ValidationError(_("Steps cannot be skipped: the next step is %(n)s (%(label)s).")
                              % {"n": expected, "label": StepNumber(expected).label}, code="order")
    steps = _steps(candidate)
    conversion = conversion_of(candidate) if number == StepNumber.ARCHIVED else None
    if on is None or on > _today():
        raise ValidationError({"on": _("Give the step's date; it cannot be in the future.")})
    earliest, reason = earliest_date(candidate, number, steps, conversion)
    if earliest is not None and on < earliest:
        raise ValidationError({"on": _("Step %(n)s cannot be dated before %(date)s (%(reason)s).")
                               % {"n": number, "date": earliest, "reason": reason}}, code="date")
    notes = _clean_text(notes, 5000)
    step = Step(candidate=candidate, number=number, on=on, notes=notes, recorded_by=by)
    if number in TWO_MEMBER_STEPS:
        _check_two_members(candidate, first_member, second_member, on, number)
        step.first_member, step.second_member = first_member, second_member
    elif number == StepNumber.CULTIVATION:
        began = steps[StepNumber.ACTIVIST].on
        count = candidate.assessments.filter(on__gte=began, on__lte=on).count()
        if count < MIN_ASSESSMENTS:
            raise ValidationError(_("The cultivation is assessed every quarter: %(count)s assessment records since "
                                    "%(date)s, at least %(n)s are needed.")
                                  % {"count": count, "date": began, "n": MIN_ASSESSMENTS}, code="assessments")
    elif number == StepNumber.COMMITTEE_REVIEW:
        _check_notice(on, notice_starts_on, notice_ends_on)
        step.notice_starts_on, step.notice_ends_on = notice_starts_on, notice_ends_on
    elif number == StepNumber.ASSIGNED and group is not None:
        if group.kind not in GROUP_LEVEL or group.parent_id != candidate.branch_id:
            raise ValidationError({"group": _("Choose a party group of %(branch)s.")
                                   % {"branch": candidate.branch.name}})
        step.group = group
    elif number == StepNumber.ARCHIVED and (candidate.member is None or candidate.member.status != MemberStatus.FULL):
        raise ValidationError(_("The documents are archived after the conversion to full membership."))
    checked = _check_documents(documents)
    passed = True
    if number == StepNumber.GENERAL_MEETING:
        resolution = _vote(candidate, on=on, meeting=meeting, present_ids=present_ids, in_favour=in_favour,
                           against=against, abstained=abstained, notes=notes, by=by, request=request)
        step.resolution, passed = resolution, bool(resolution.passed)
    step.save()
    _save_documents(step, checked, by)
    fields = ["last_step"]
    candidate.last_step = number
    if not passed:
        candidate.standing, candidate.closed_on = Standing.CLOSED, on
        candidate.closed_reason = _("The branch general meeting did not adopt the admission.")[:300]
        fields += ["standing", "closed_on", "closed_reason"]
    elif number == StepNumber.ACTIVIST:
        candidate.standing = Standing.ACTIVIST
        fields.append("standing")
    elif number == StepNumber.CANDIDATE:
        candidate.standing = Standing.CANDIDATE
        fields.append("standing")
    elif number == StepNumber.APPROVAL:
        candidate.member = _admit(candidate, steps, by, request)
        candidate.standing = Standing.PROBATIONARY
        fields += ["member", "standing"]
    elif number == StepNumber.ARCHIVED:
        candidate.standing = Standing.FULL
        fields.append("standing")
    candidate.save(update_fields=fields)
    audit.record(actor=by, action="recruitment.step.record", obj=candidate, request=request,
                 detail={"step": number, "on": str(on), "passed": passed})
    return step


# ---------------------------------------------------------------------------------------------
# Assessments, closing, revealing


@transaction.atomic
def add_assessment(*, candidate: Candidate, on: date, text: str, by, request=None) -> Assessment:
    """A quarterly assessment record, for an activist in cultivation or a probationary member."""
    candidate = Candidate.objects.select_for_update().get(pk=candidate.pk)
    if candidate.standing not in (Standing.ACTIVIST, Standing.CANDIDATE, Standing.PROBATIONARY):
        raise ValidationError(_("Assessments are recorded for activists, development candidates and probationary "
                                "members."))
    text = _clean_text(text, 3000)
    if len(text) < 4:
        raise ValidationError({"text": _("Write the assessment.")})
    began = candidate.steps.filter(number=StepNumber.ACTIVIST).values_list("on", flat=True).first()
    if on is None or on > _today() or (began is not None and on < began):
        raise ValidationError({"on": _("An assessment is dated between becoming an activist (%(date)s) and today.")
                               % {"date": began}})
    assessment = Assessment.objects.create(candidate=candidate, on=on, text=text, recorded_by=by)
    audit.record(actor=by, action="recruitment.assessment.add", obj=candidate, request=request,
                 detail={"on": str(on)})
    return assessment


@transaction.atomic
def close_application(*, candidate: Candidate, on: date, reason: str, by, request=None) -> Candidate:
    """The person withdraws, or the branch ends the cultivation: the record is kept, closed, with the reason."""
    candidate = Candidate.objects.select_for_update().get(pk=candidate.pk)
    if candidate.standing == Standing.CLOSED or candidate.member_id is not None:
        raise ValidationError(_("Only an application still in progress, before admission, can be closed."))
    reason = _clean_text(reason, 300)
    if not reason:
        raise ValidationError({"reason": _("Say why the application is closed.")})
    if on is None or on > _today() or on < candidate.steps.order_by("-number").values_list("on", flat=True)[0]:
        raise ValidationError({"on": _("Date the closing between the last step and today.")})
    candidate.standing, candidate.closed_on, candidate.closed_reason = Standing.CLOSED, on, reason
    candidate.save(update_fields=["standing", "closed_on", "closed_reason"])
    audit.record(actor=by, action="recruitment.applicant.close", obj=candidate, request=request)
    return candidate


@transaction.atomic
def reveal_candidate(*, candidate: Candidate, by, request=None) -> Candidate:
    """The audit row of a reveal of the person's ID number and phone (if it cannot be written, nothing is shown)."""
    audit.record(actor=by, action="recruitment.applicant.reveal", obj=candidate, request=request)
    return candidate
