"""Meetings' to-dos (待办): the 三会一课 a branch still owes this period, minutes to confirm, and the
meetings a member is asked to attend; for a party group leader, the group's meeting (党小组会) due this period
or missed in the last one, and the members absent from the group's last meeting."""

from __future__ import annotations

from datetime import timedelta

from django.db.models import OuterRef, Subquery
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gongzhi.accounts.models import RoleKind
from gongzhi.accounts.permissions import has_any_role
from gongzhi.core.registries import TodoItem, TodoSource
from gongzhi.core.scoping import role_organizations, scope_paths, subtree_q
from gongzhi.core.todolist import CompiledCount
from gongzhi.orgs.models import OrgKind

from . import compliance
from .models import HELD_STATUSES, Attendance, AttendanceStatus, Meeting, MeetingKind, MeetingStatus
from .permissions import CONFIRMING_KINDS

BRANCHES = 3  # a secretary of more branches sees the first three here; the compliance grid shows them all
AHEAD = 14  # days: meetings one is asked to attend within two weeks
GROUPS = 3  # a leader of more groups sees the first three here
LAST_MEETING = 92  # days: absences of a group meeting held within the last three months


def _owed(user) -> list[tuple[object, compliance.Cell]]:
    """The required meetings of the user's own branches not yet held in their current period (kept on the
    user object for the request: the count and the items ask the same)."""
    found = getattr(user, "_todo_meetings_owed", None)
    if found is None:
        today = timezone.localdate()
        branches = [o for o in role_organizations(user, {RoleKind.BRANCH_SECRETARY}) if o.kind == OrgKind.BRANCH]
        found = [(branch, cell) for branch in branches[:BRANCHES] for cell in compliance.due_next(branch, today)
                 if cell.state in (compliance.CellState.DUE, compliance.CellState.OVERDUE)]
        user._todo_meetings_owed = found
    return found


def _owed_items(user, limit: int) -> list[TodoItem]:
    url = reverse("meetings:plan")
    return [TodoItem(title=str(cell.kind_label), url=url, due=cell.period.end,
                     overdue=cell.state == compliance.CellState.OVERDUE, detail=branch.name)
            for branch, cell in _owed(user)[:limit]]


def _to_confirm(user):
    return Meeting.objects.filter(subtree_q("organization__path", scope_paths(user, CONFIRMING_KINDS)),
                                  status=MeetingStatus.RECORDED)


def _confirm_items(user, limit: int) -> list[TodoItem]:
    return [TodoItem(title=str(m), url=reverse("meetings:detail", args=[m.pk]), detail=m.organization.name)
            for m in _to_confirm(user).select_related("organization").order_by("date", "id")[:limit]]


def _days_ahead(user) -> dict:
    today = timezone.localdate()
    return {"today": today, "until": today + timedelta(days=AHEAD)}


def _invited(user, *, today, until):
    return Meeting.objects.filter(attendances__member__user=user, status=MeetingStatus.PLANNED,
                                  date__gte=today, date__lte=until)


def _invited_items(user, limit: int) -> list[TodoItem]:
    return [TodoItem(title=str(m), url=reverse("meetings:detail", args=[m.pk]), due=m.date, detail=m.organization.name)
            for m in _invited(user, **_days_ahead(user)).select_related("organization")
            .order_by("date", "start_time", "id")[:limit]]


def _groups(user) -> list:
    return [o for o in role_organizations(user, {RoleKind.GROUP_LEADER}) if o.kind == OrgKind.GROUP][:GROUPS]


def _group_owed(user) -> list[tuple[object, compliance.PeriodSpan, bool]]:
    """(group, requirement period, overdue) for the group meetings the user's groups owe: the current period's
    when not yet held, the previous one's when missed (a group established after its midpoint owed nothing).
    One query for the requirement of each group, one for the meetings held."""
    found = getattr(user, "_todo_group_owed", None)
    if found is None:
        today = timezone.localdate()
        found, wanted = [], []
        for group in _groups(user):
            requirement = compliance.requirement_at(group, MeetingKind.GROUP)
            if requirement.times > 0:
                current = compliance.period_containing(requirement.period, today)
                wanted.append((group, requirement.times, compliance.previous_period(requirement.period, today),
                               current))
        if wanted:
            held = list(Meeting.objects.filter(organization__in=[g for g, *_rest in wanted], kind=MeetingKind.GROUP,
                                               status__in=HELD_STATUSES, date__gte=min(w[2].start for w in wanted),
                                               date__lte=today).values_list("organization_id", "date"))
            for group, times, previous, current in wanted:
                for span, overdue in ((previous, True), (current, False)):
                    if group.established_on is not None and group.established_on > span.midpoint:
                        continue
                    count = sum(1 for org_id, day in held if org_id == group.pk and span.start <= day <= span.end)
                    if count < times:
                        found.append((group, span, overdue))
        user._todo_group_owed = found
    return found


def _group_owed_items(user, limit: int) -> list[TodoItem]:
    return [TodoItem(title=f"{MeetingKind.GROUP.label} · {span.key}",
                     url=f"{reverse('meetings:plan')}?org={group.pk}&kind={MeetingKind.GROUP}", due=span.end,
                     overdue=overdue, detail=group.name)
            for group, span, overdue in _group_owed(user)[:limit]]


def _recent_days(user) -> dict:
    today = timezone.localdate()
    return {"today": today, "since": today - timedelta(days=LAST_MEETING)}


def _absent(user, *, today, since):
    """Members marked absent (not on leave) at the last meeting each of the user's groups held recently."""
    last = (Meeting.objects.filter(organization_id=OuterRef("meeting__organization_id"), status__in=HELD_STATUSES,
                                   date__lte=today).order_by("-date", "-id").values("pk")[:1])
    return Attendance.objects.filter(meeting__organization__in=[g.pk for g in _groups(user)],
                                     status=AttendanceStatus.ABSENT,
                                     meeting__date__gte=since, meeting_id=Subquery(last))


def _absent_items(user, limit: int) -> list[TodoItem]:
    return [TodoItem(title=a.member.name, url=reverse("meetings:detail", args=[a.meeting_id]),
                     detail=f"{a.meeting.organization.name} · {a.meeting}")
            for a in _absent(user, **_recent_days(user)).select_related("member", "meeting__organization")
            .order_by("meeting__organization__path", "member__name", "id")[:limit]]


def _is_group_leader(user) -> bool:
    return has_any_role(user, {RoleKind.GROUP_LEADER})


SOURCES = [
    TodoSource(key="meetings.owed", label=_("Meetings due this period"), icon="calendar3",
               url_name="meetings:calendar", applies=lambda user: has_any_role(user, {RoleKind.BRANCH_SECRETARY}),
               count=lambda user: len(_owed(user)), items=_owed_items, order=12),
    TodoSource(key="meetings.to_confirm", label=_("Minutes to confirm"), icon="patch-check",
               url_name="meetings:calendar", applies=lambda user: has_any_role(user, CONFIRMING_KINDS),
               count=CompiledCount(_to_confirm), items=_confirm_items, order=13),
    TodoSource(key="meetings.invited", label=_("Meetings you are asked to attend"), icon="calendar-event",
               url_name="meetings:calendar", applies=lambda user: has_any_role(user, {RoleKind.MEMBER}),
               count=CompiledCount(_invited, _days_ahead), items=_invited_items, order=14),
    TodoSource(key="meetings.group_owed", label=_("Party group meetings due"), icon="people",
               url_name="meetings:calendar", applies=_is_group_leader, count=lambda user: len(_group_owed(user)),
               items=_group_owed_items, order=12),
    TodoSource(key="meetings.group_absent", label=_("Absent from the group's last meeting"), icon="person-dash",
               url_name="meetings:calendar", applies=_is_group_leader, count=CompiledCount(_absent, _recent_days),
               items=_absent_items, order=15),
]
