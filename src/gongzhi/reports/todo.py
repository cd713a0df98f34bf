"""Reports' to-dos (待办): for a co-building unit's administrator, the feedback a community sent the unit about
its reported members that he or she has not yet downloaded (read)."""

from __future__ import annotations

from datetime import timedelta

from django.db.models import CharField, Exists, OuterRef
from django.db.models.functions import Cast
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gongzhi.accounts.models import RoleKind
from gongzhi.accounts.permissions import has_any_role
from gongzhi.core.models import AuditEvent
from gongzhi.core.registries import TodoItem, TodoSource
from gongzhi.core.scoping import scope_paths, subtree_q
from gongzhi.core.todolist import CompiledCount

from .models import UnitFeedback

RECENT = 366  # days: feedback sent within the last year


def _recent(user) -> dict:
    return {"since": timezone.now() - timedelta(days=RECENT)}


def _unread(user, *, since):
    read = AuditEvent.objects.filter(action="reports.feedback.download", object_type="reports.unitfeedback",
                                     actor=user, object_id=Cast(OuterRef("pk"), output_field=CharField()))
    return (UnitFeedback.objects.filter(subtree_q("unit__organization__path", scope_paths(user, {RoleKind.UNIT_ADMIN})),
                                        sent_at__gte=since)
            .exclude(Exists(read)))


def _items(user, limit: int) -> list[TodoItem]:
    return [TodoItem(title=str(f.period.label), url=reverse("reports:unit_feedback", args=[f.unit.organization_id]),
                     detail=f.community.name)
            for f in _unread(user, **_recent(user)).select_related("community", "unit")
            .order_by("-sent_at", "-id")[:limit]]


SOURCES = [
    TodoSource(key="reports.unit_feedback", label=_("Feedback from the community to read"), icon="envelope-paper",
               url_name="reports:index", applies=lambda user: has_any_role(user, {RoleKind.UNIT_ADMIN}),
               count=CompiledCount(_unread, _recent), items=_items, order=32),
]
