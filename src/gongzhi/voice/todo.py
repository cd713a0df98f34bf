"""Residents' voice to-dos (待办): requests due or overdue for those who handle them, wishes no one has
claimed yet for the community's party members, and a consultation open for one's opinion for residents."""

from __future__ import annotations

from datetime import timedelta

from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gongzhi.accounts.models import RoleKind
from gongzhi.accounts.permissions import has_any_role
from gongzhi.core.registries import TodoItem, TodoSource
from gongzhi.core.scoping import scope_paths, subtree_q
from gongzhi.core.todolist import CompiledCount

from .models import OPEN_STATUSES, Consultation, ConsultationStatus, Opinion, Request, Status, Wish, WishStatus
from .permissions import HANDLER_KINDS

SOON = 2  # days: a request whose resolution falls due within two days is on the list


def _due_soon(user) -> dict:
    return {"answer_by": timezone.now() + timedelta(days=1),
            "resolve_by": timezone.localdate() + timedelta(days=SOON)}


def _requests(user, *, answer_by, resolve_by):
    """Open requests the user may handle (as ``permissions.can_handle``) that are due soon or overdue."""
    mine = (subtree_q("handler__path", scope_paths(user, HANDLER_KINDS))
            | subtree_q("community__path", scope_paths(user, RoleKind.staff_kinds())))
    due = (Q(status__in=[Status.RECEIVED, Status.ACCEPTED], first_answer_due__lt=answer_by)
           | Q(resolution_due__lte=resolve_by))
    return Request.objects.filter(mine, due, status__in=OPEN_STATUSES)


def _request_items(user, limit: int) -> list[TodoItem]:
    now = timezone.now()
    return [TodoItem(title=f"{r.tracking_number} · {r.get_category_display()}",
                     url=reverse("voice:detail", args=[r.pk]), due=r.resolution_due, overdue=r.is_overdue(now),
                     detail=r.community.name)
            for r in _requests(user, **_due_soon(user)).select_related("community")
            .order_by("resolution_due", "id")[:limit]]


def _wishes(user):
    return Wish.objects.visible_to(user).filter(status=WishStatus.OPEN)


def _wish_items(user, limit: int) -> list[TodoItem]:
    url = reverse("voice:wishes")
    return [TodoItem(title=w.text[:60], url=url, detail=w.community.name)
            for w in _wishes(user).select_related("community").order_by("created_at", "id")[:limit]]


def _consultations(user):
    """Topics open for opinions in the resident's place to which he or she has not yet given one."""
    today = timezone.localdate()
    given = Opinion.objects.filter(consultation=OuterRef("pk"), resident__user=user)
    return (Consultation.objects.visible_to(user)
            .filter(status=ConsultationStatus.OPEN, opens_on__lte=today, closes_on__gte=today)
            .exclude(Exists(given)))


def _consultation_items(user, limit: int) -> list[TodoItem]:
    return [TodoItem(title=c.title, url=reverse("voice:consultation", args=[c.pk]), due=c.closes_on,
                     detail=c.community.name)
            for c in _consultations(user).select_related("community").order_by("closes_on", "id")[:limit]]


SOURCES = [
    TodoSource(key="voice.requests", label=_("Requests due or overdue"), icon="megaphone", url_name="voice:queue",
               applies=lambda user: has_any_role(user, HANDLER_KINDS), count=CompiledCount(_requests, _due_soon),
               items=_request_items, order=20),
    TodoSource(key="voice.wishes", label=_("Small wishes no one has claimed"), icon="gift", url_name="voice:wishes",
               applies=lambda user: has_any_role(user, {RoleKind.MEMBER}), count=CompiledCount(_wishes),
               items=_wish_items, order=22),
    TodoSource(key="voice.consultations", label=_("Consultations open for your opinion"), icon="people-fill",
               url_name="voice:consultations", applies=lambda user: has_any_role(user, {RoleKind.RESIDENT}),
               count=lambda user: _consultations(user).count(), items=_consultation_items, order=23),
]
