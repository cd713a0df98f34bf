"""Page-level reads: attendance statistics, absences in a row, the appraisal tally and
grade distributions. Each is a fixed number of queries."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count, Q, Sum

from gongzhi.orgs.models import Organization, OrgKind
from gongzhi.points.models import PointEntry

from .models import (
    GRADE_ORDER,
    HELD_STATUSES,
    Appraisal,
    Attendance,
    AttendanceStatus,
    Ballot,
    Grade,
    Participant,
    VoteRoll,
)

ABSENCES_IN_A_ROW = 3


@dataclass
class MemberAttendance:
    member_id: int
    name: str
    present: int = 0
    leave: int = 0
    absent: int = 0
    flagged: bool = False

    @property
    def total(self) -> int:
        return self.present + self.leave + self.absent

    @property
    def rate(self) -> float | None:
        return self.present / self.total if self.total else None


@dataclass
class AttendanceStats:
    members: list[MemberAttendance] = field(default_factory=list)
    meetings: int = 0

    @property
    def present(self) -> int:
        return sum(m.present for m in self.members)

    @property
    def total(self) -> int:
        return sum(m.total for m in self.members)

    @property
    def rate(self) -> float | None:
        return self.present / self.total if self.total else None

    @property
    def flagged(self) -> list[MemberAttendance]:
        return [m for m in self.members if m.flagged]


def recorded_attendance(organization, start: date, end: date):
    return Attendance.objects.filter(
        meeting__organization__path__startswith=organization.path, meeting__status__in=HELD_STATUSES,
        meeting__date__gte=start, meeting__date__lte=end,
    ).exclude(status=AttendanceStatus.EXPECTED)


def attendance_stats(organization, start: date, end: date) -> AttendanceStats:
    """Attendance per member of meetings in an organization's subtree in a period (3 queries)."""
    stats: dict[int, MemberAttendance] = {}
    rows = recorded_attendance(organization, start, end).values("member_id", "member__name", "status").annotate(
        n=Count("id")).order_by("member__name")
    for row in rows:
        entry = stats.setdefault(row["member_id"], MemberAttendance(row["member_id"], row["member__name"]))
        setattr(entry, row["status"], row["n"])
    for member_id in absent_in_a_row(organization, end):
        if member_id in stats:
            stats[member_id].flagged = True
    meetings = recorded_attendance(organization, start, end).values("meeting_id").distinct().count()
    return AttendanceStats(sorted(stats.values(), key=lambda m: m.name), meetings)


def absent_in_a_row(organization, until: date, run: int = ABSENCES_IN_A_ROW) -> set[int]:
    """Members whose last ``run`` recorded meetings (up to ``until``) were all unexcused absences."""
    rows = (Attendance.objects.filter(meeting__organization__path__startswith=organization.path,
                                      meeting__status__in=HELD_STATUSES, meeting__date__lte=until)
            .exclude(status=AttendanceStatus.EXPECTED)
            .order_by("member_id", "-meeting__date", "-meeting__start_time", "-meeting_id")
            .values_list("member_id", "status"))
    recent: dict[int, list[str]] = defaultdict(list)
    for member_id, status in rows:
        if len(recent[member_id]) < run:
            recent[member_id].append(status)
    return {m for m, statuses in recent.items()
            if len(statuses) == run and all(s == AttendanceStatus.ABSENT for s in statuses)}


@dataclass
class TallyRow:
    participant: Participant
    votes: dict[str, int]
    points: object = 0
    attendance_rate: float | None = None

    @property
    def votes_cast(self) -> int:
        return sum(self.votes.values())

    @property
    def votes_list(self) -> list[int]:
        return [self.votes.get(g, 0) for g in GRADE_ORDER]


@dataclass
class Tally:
    rows: list[TallyRow]
    roll_size: int
    voted: int
    ballots: int

    @property
    def turnout(self) -> float | None:
        return self.voted / self.roll_size if self.roll_size else None


def appraisal_tally(appraisal: Appraisal) -> Tally:
    """Votes per member and grade (never per voter), with the year's points and attendance as reference."""
    participants = list(appraisal.participants.select_related("member").order_by("member__name_initials", "id"))
    votes: dict[int, Counter] = defaultdict(Counter)
    ballots = 0
    for subject_id, grade, n in Ballot.objects.filter(appraisal=appraisal).values_list("subject_id", "grade").annotate(
            n=Count("id")).order_by():
        votes[subject_id][grade] = n
        ballots += n
    member_ids = [p.member_id for p in participants]
    points = dict(PointEntry.objects.filter(member_id__in=member_ids, occurred_on__year=appraisal.year)
                  .values_list("member_id").annotate(total=Sum("points")).order_by())
    start, end = date(appraisal.year, 1, 1), date(appraisal.year, 12, 31)
    rates = {}
    for member_id, present, total in (
            recorded_attendance(appraisal.branch, start, end).filter(member_id__in=member_ids)
            .values_list("member_id").annotate(present=Count("id", filter=Q(status=AttendanceStatus.PRESENT)),
                                               total=Count("id")).order_by()):
        rates[member_id] = present / total if total else None
    rows = [TallyRow(p, dict(votes.get(p.pk, {})), points.get(p.member_id, 0), rates.get(p.member_id))
            for p in participants]
    roll_size = sum(1 for p in participants if p.may_vote)
    voted = VoteRoll.objects.filter(appraisal=appraisal).count()
    return Tally(rows, roll_size, voted, ballots)


def grade_distribution(organization, year: int) -> dict:
    """Confirmed grades in an organization's subtree: per branch and in total (2 queries)."""
    rows = (Participant.objects.filter(appraisal__branch__path__startswith=organization.path,
                                       appraisal__year=year, appraisal__status="confirmed")
            .exclude(grade="").values_list("appraisal__branch_id", "grade").annotate(n=Count("id")).order_by())
    per_branch: dict[int, Counter] = defaultdict(Counter)
    total: Counter = Counter()
    for branch_id, grade, n in rows:
        per_branch[branch_id][grade] += n
        total[grade] += n
    branches = {b.pk: b for b in Organization.objects.filter(pk__in=per_branch.keys(), kind=OrgKind.BRANCH)}
    table = []
    for branch_id, counts in sorted(per_branch.items(), key=lambda kv: branches[kv[0]].path):
        n = sum(counts.values())
        table.append({"branch": branches[branch_id], "counts": [counts.get(g, 0) for g in GRADE_ORDER], "total": n,
                      "excellent_share": counts.get(Grade.EXCELLENT, 0) / n if n else None})
    n = sum(total.values())
    return {"rows": table, "total": [total.get(g, 0) for g in GRADE_ORDER], "count": n,
            "shares": [total.get(g, 0) / n if n else None for g in GRADE_ORDER],
            "grades": [Grade(g).label for g in GRADE_ORDER]}
