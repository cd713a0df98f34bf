"""Demo meetings: a year of 三会一课 for every demo branch (most branches compliant, a few
behind), branch committees where a branch has seven or more full members, and last year's
confirmed appraisal. Everything with bulk_create."""

from __future__ import annotations

from calendar import monthrange
from collections import defaultdict
from datetime import date, time

from django.utils import timezone

from gongzhi.members.models import Member, MemberStatus
from gongzhi.orgs.models import Organization, OrgKind
from gongzhi.points.models import RuleCode
from gongzhi.points.services import bulk_post

from .models import (
    Appraisal,
    AppraisalStatus,
    Attendance,
    AttendanceStatus,
    Ballot,
    CommitteeMembership,
    CommitteePost,
    Grade,
    Meeting,
    MeetingKind,
    MeetingStatus,
    Participant,
    VoteRoll,
)

TOPICS = {
    MeetingKind.GENERAL: ["学习贯彻党的二十届三中全会精神", "讨论老旧小区改造议事方案", "发展党员工作通报",
                          "党费收缴情况通报"],
    MeetingKind.COMMITTEE: ["研究本月支部工作安排", "研究困难党员走访名单", "讨论网格服务事项", "研究党员积分情况"],
    MeetingKind.GROUP: ["楼栋环境整治分工", "学习社区近期工作要点", "收集居民诉求", "楼栋党员联系户走访"],
    MeetingKind.LESSON: ["党的历史专题党课", "《中国共产党章程》学习", "基层治理专题党课", "廉洁自律警示教育"],
    MeetingKind.THEME_DAY: ["社区环境清洁志愿服务", "重温入党誓词", "走访慰问独居老人", "垃圾分类宣传"],
    MeetingKind.LIFE: ["年度组织生活会暨民主评议党员"],
}
MONTHLY = (MeetingKind.THEME_DAY, MeetingKind.COMMITTEE, MeetingKind.GROUP)
QUARTERLY = (MeetingKind.GENERAL, MeetingKind.LESSON)


def _months(today: date) -> list[tuple[int, int]]:
    months, year, month = [], today.year - 1, today.month + 1
    for _i in range(12):
        if month > 12:
            year, month = year + 1, 1
        months.append((year, month))
        month += 1
    return months


def build(ctx) -> None:
    rng, today = ctx.rng, ctx.today
    branches = list(Organization.objects.filter(kind=OrgKind.BRANCH, path__startswith=ctx["street"].path)
                    .order_by("path"))
    first_group = {}
    for group in Organization.objects.filter(kind=OrgKind.GROUP, parent__in=branches).order_by("path"):
        first_group.setdefault(group.parent_id, group)
    members_by_branch = defaultdict(list)
    for member in Member.objects.filter(home_org__in=branches).order_by("id"):
        members_by_branch[member.home_org_id].append(member)
    for member in Member.objects.filter(serving_org__in=branches).exclude(home_org__in=branches).order_by("id"):
        members_by_branch[member.serving_org_id].append(member)

    # Branch committees: three to five seats where seven or more full members.
    seats, committees = [], {}
    posts = [CommitteePost.SECRETARY, CommitteePost.ORGANIZATION, CommitteePost.PROPAGANDA,
             CommitteePost.DISCIPLINE, CommitteePost.MEMBER]
    for branch in branches:
        full = [m for m in members_by_branch[branch.pk] if m.home_org_id == branch.pk and m.status == MemberStatus.FULL]
        if len(full) >= 7:
            chosen = full[: 3 if len(full) < 15 else 5]
            committees[branch.pk] = chosen
            seats += [CommitteeMembership(branch=branch, member=m, post=posts[i], starts_on=date(today.year - 2, 1, 1))
                      for i, m in enumerate(chosen)]
    CommitteeMembership.objects.bulk_create(seats)

    # A few branches fall behind: some months without a theme day, a quarter without a general meeting.
    behind = {b.pk for i, b in enumerate(branches) if i % 9 == 4}
    meetings, rolls = [], []
    user = ctx["users"]["zhibu1"]
    now = timezone.now()
    for branch in branches:
        host_pool = members_by_branch[branch.pk]
        plan = []
        for year, month in _months(today):
            last_day = monthrange(year, month)[1]
            for kind in MONTHLY:
                if kind == MeetingKind.COMMITTEE and branch.pk not in committees:
                    continue
                if kind == MeetingKind.GROUP and branch.pk not in first_group:
                    continue
                skipped = (2, 7, 8, (today.month - 1) or 12)
                if branch.pk in behind and kind == MeetingKind.THEME_DAY and month in skipped:
                    continue
                day = 15 if kind == MeetingKind.THEME_DAY else 8 + rng.randint(0, 12)
                plan.append((kind, date(year, month, min(day, last_day))))
            if month in (3, 6, 9, 12):
                for kind in QUARTERLY:
                    if branch.pk in behind and kind == MeetingKind.GENERAL and month == 6:
                        continue
                    plan.append((kind, date(year, month, min(20 + rng.randint(0, 5), last_day))))
            if month == 12:
                plan.append((MeetingKind.LIFE, date(year, 12, 26)))
        for kind, day in plan:
            org = first_group[branch.pk] if kind == MeetingKind.GROUP else branch
            if kind == MeetingKind.COMMITTEE:
                roll = committees[branch.pk]
            elif kind == MeetingKind.GROUP:
                roll = [m for m in host_pool if m.building_id and m.home_org_id == branch.pk][:8]
            else:
                roll = host_pool
            past = day < today
            meeting = Meeting(
                organization=org, kind=kind, topic=rng.choice(TOPICS[kind]), date=day, start_time=time(9, 0),
                end_time=time(10, 30), place=f"{branch.name.removesuffix('党支部')}党群服务站",
                host=roll[0] if roll else None,
                status=MeetingStatus.CONFIRMED if past else MeetingStatus.PLANNED,
                minutes="会议由支部书记主持，传达学习有关精神，与会党员逐一发言。" if past else "",
                resolutions="会议一致同意会议议题。" if past and kind == MeetingKind.GENERAL else "",
                created_by=user, recorded_at=now if past else None, confirmed_at=now if past else None)
            meetings.append(meeting)
            rolls.append((meeting, roll, past))
    Meeting.objects.bulk_create(meetings, batch_size=1000)
    attendance = []
    # The demo group leader's to-do: one member absent from the group's last meeting.
    group_held = [m for m, roll, past in rolls if past and roll and m.organization_id == ctx["xingfu_group_1"].pk]
    last_of_group = max(group_held, key=lambda m: m.date, default=None)
    for meeting, roll, past in rolls:
        for member in roll:
            status, reason = AttendanceStatus.EXPECTED, ""
            if past:
                draw = rng.random()
                if draw < 0.84:
                    status = AttendanceStatus.PRESENT
                elif draw < 0.94:
                    status, reason = AttendanceStatus.LEAVE, rng.choice(["身体不适", "外出探亲", "单位加班"])
                else:
                    status = AttendanceStatus.ABSENT
            if meeting is last_of_group and member is roll[-1]:
                status, reason = AttendanceStatus.ABSENT, ""
            attendance.append(Attendance(meeting=meeting, member=member, status=status, leave_reason=reason,
                                         recorded_at=now if past else None))
    Attendance.objects.bulk_create(attendance, batch_size=5000)
    _post_attendance_points(rolls, attendance, user)

    # Last year's appraisal, confirmed, for every branch; ballots for the first grid branch.
    year = today.year - 1
    appraisals = [Appraisal(branch=b, year=year, status=AppraisalStatus.CONFIRMED, opened_by=user, confirmed_at=now)
                  for b in branches if members_by_branch[b.pk]]
    Appraisal.objects.bulk_create(appraisals)
    participants = []
    for appraisal in appraisals:
        own = [m for m in members_by_branch[appraisal.branch_id] if m.home_org_id == appraisal.branch_id]
        for index, member in enumerate(own):
            grade = Grade.EXCELLENT if index % 4 == 0 else Grade.QUALIFIED
            if rng.random() < 0.04:
                grade = Grade.BASIC
            participants.append(Participant(
                appraisal=appraisal, member=member, may_vote=member.status == MemberStatus.FULL,
                self_assessment="一年来认真学习，积极参加组织生活和志愿服务，今后继续发挥先锋模范作用。",
                self_assessed_at=now, proposed_grade=grade, grade=grade))
    Participant.objects.bulk_create(participants, batch_size=2000)
    showcase = next((a for a in appraisals if a.branch_id == ctx["xingfu_branch_1"].pk), None)
    if showcase is not None:
        group = [p for p in participants if p.appraisal_id == showcase.pk]
        voters = [p for p in group if p.may_vote]
        VoteRoll.objects.bulk_create([VoteRoll(appraisal=showcase, voter=v) for v in voters])
        Ballot.objects.bulk_create([
            Ballot(appraisal=showcase, subject=subject,
                   grade=subject.grade if rng.random() < 0.8 else rng.choice([Grade.EXCELLENT, Grade.QUALIFIED]))
            for voter in voters for subject in group if subject.pk != voter.pk])
    ctx["meetings_count"] = len(meetings)


def _post_attendance_points(rolls, attendance, user) -> None:
    """The points confirming each meeting would post (same rules, caps and keys as
    ``services.confirm_meeting``), through the ledger's bulk path so that the demo loads fast."""
    from .permissions import branch_of
    from .services import attendance_key

    codes = {AttendanceStatus.PRESENT: RuleCode.MEETING_ATTENDANCE, AttendanceStatus.ABSENT: RuleCode.MEETING_ABSENCE}
    meetings = {meeting.pk: meeting for meeting, _roll, past in rolls if past}
    branches, events = {}, defaultdict(list)
    for row in attendance:
        meeting = meetings.get(row.meeting_id)
        code = codes.get(row.status)
        if meeting is None or code is None:
            continue
        if meeting.organization_id not in branches:
            branches[meeting.organization_id] = branch_of(meeting.organization)
        events[code].append((row.member_id, branches[meeting.organization_id], meeting.date,
                             attendance_key(meeting, row.member), meeting))
    for code, posted in events.items():
        bulk_post(code=code, events=posted, by=user)
