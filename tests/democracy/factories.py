"""Data for the democracy tests, made through the services where a secretary would make it."""

from __future__ import annotations

from datetime import date, time, timedelta

from django.utils import timezone

from gongzhi.meetings.models import Attendance, AttendanceStatus, Meeting, MeetingKind, MeetingStatus
from gongzhi.members.models import MemberStatus
from gongzhi.orgs.models import OrgKind
from tests.factories import MemberFactory, OrganizationFactory

CSRF = "a" * 32


def post(client, url, data=None, **extra):
    client.cookies["csrftoken"] = CSRF
    return client.post(url, data or {}, HTTP_X_CSRFTOKEN=CSRF, **extra)


def yesterday() -> date:
    return timezone.localdate() - timedelta(days=1)


def full_members(branch, count: int, **extra) -> list:
    return [MemberFactory(home_org=branch, name=f"党员{branch.pk}-{i}", **extra) for i in range(count)]


def probationary(branch, *, ends_on: date | None = None, name="王预备", **extra):
    ends_on = ends_on or timezone.localdate() + timedelta(days=10)
    return MemberFactory(home_org=branch, name=name, status=MemberStatus.PROBATIONARY, full_member_on=None,
                         joined_on=ends_on - timedelta(days=365), probation_ends_on=ends_on, **extra)


def general_meeting(branch, *, present, absent=(), leave=(), day: date | None = None, by=None,
                    kind=MeetingKind.GENERAL) -> Meeting:
    """A held meeting with its roll: ``present``, ``absent`` and ``leave`` are members."""
    meeting = Meeting.objects.create(organization=branch, kind=kind, topic="支部党员大会", date=day or yesterday(),
                                     start_time=time(9, 0), place="党群服务站", status=MeetingStatus.RECORDED,
                                     created_by=by)
    rows = [Attendance(meeting=meeting, member=m, status=AttendanceStatus.PRESENT) for m in present]
    rows += [Attendance(meeting=meeting, member=m, status=AttendanceStatus.ABSENT) for m in absent]
    rows += [Attendance(meeting=meeting, member=m, status=AttendanceStatus.LEAVE, leave_reason="出差") for m in leave]
    Attendance.objects.bulk_create(rows)
    return meeting


def village(world, code="SA-V1"):
    found = type(world.street_a).objects.filter(code=code).first()
    return found or OrganizationFactory(code=code, name="东风村党总支", kind=OrgKind.VILLAGE, parent=world.street_a)


def election_world(world, *, entitled=10, present=9, seats=3, candidates=4, branch=None):
    """A branch (``branch_b`` unless given) with ``entitled`` full members with accounts, an approved election of
    ``seats`` among the first ``candidates`` members, a vote monitor (the last member), and a general meeting held
    yesterday where the first ``present`` are present. Returns (election, members, meeting)."""
    from gongzhi.democracy import services
    from tests.factories import UserFactory

    branch = branch or world.branch_b
    members = [*branch.held_members.filter(name="钱明"), *full_members(branch, entitled - 1)][:entitled]
    for member in members:
        if member.user_id is None:
            member.user = UserFactory()
            member.save(update_fields=["user"])
    secretary = world.users["branch_secretary_b"]
    election = services.open_election(organization=branch, seats=seats, by=secretary)
    for member in members[:candidates]:
        services.add_candidate(election=election, member=member, by=secretary)
    services.add_monitor(election=election, member=members[-1], duty="scrutineer", by=secretary)
    services.submit_candidates(election=election, by=secretary)
    services.review_candidates(election=election, approve=True, by=world.users["community_secretary"])
    meeting = general_meeting(branch, present=members[:present], absent=members[present:])
    election.refresh_from_db()
    return election, members, meeting
