"""Meetings' to-dos (待办): the 三会一课 a branch still owes this period, minutes to confirm, and the
meetings a member is asked to attend."""

from __future__ import annotations

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gongzhi.accounts.models import RoleKind
from gongzhi.accounts.permissions import has_any_role
from gongzhi.core.registries import TodoItem, TodoSource
from gongzhi.core.scoping import role_organizations, scope_paths, subtree_q
from gongzhi.orgs.models import OrgKind

from . import compliance
from .models import Meeting, MeetingStatus
from .permissions import CONFIRMING_KINDS

BRANCHES = 3  # a secretary of more branches sees the first three here; the compliance grid shows them all
AHEAD = 14  # days: meetings one is asked to attend within two weeks


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


def _invited(user):
    today = timezone.localdate()
    return Meeting.objects.filter(attendances__member__user=user, status=MeetingStatus.PLANNED,
                                  date__gte=today, date__lte=today + timedelta(days=AHEAD))


def _invited_items(user, limit: int) -> list[TodoItem]:
    return [TodoItem(title=str(m), url=reverse("meetings:detail", args=[m.pk]), due=m.date, detail=m.organization.name)
            for m in _invited(user).select_related("organization").order_by("date", "start_time", "id")[:limit]]


SOURCES = [
    TodoSource(key="meetings.owed", label=_("Meetings due this period"), icon="calendar3",
               url_name="meetings:calendar", applies=lambda user: has_any_role(user, {RoleKind.BRANCH_SECRETARY}),
               count=lambda user: len(_owed(user)), items=_owed_items, order=12),
    TodoSource(key="meetings.to_confirm", label=_("Minutes to confirm"), icon="patch-check",
               url_name="meetings:calendar", applies=lambda user: has_any_role(user, CONFIRMING_KINDS),
               count=lambda user: _to_confirm(user).count(), items=_confirm_items, order=13),
    TodoSource(key="meetings.invited", label=_("Meetings you are asked to attend"), icon="calendar-event",
               url_name="meetings:calendar", applies=lambda user: has_any_role(user, {RoleKind.MEMBER}),
               count=lambda user: _invited(user).count(), items=_invited_items, order=14),
]
