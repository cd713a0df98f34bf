"""Service to-dos (待办): the activities one signed up for that are still to come."""

from __future__ import annotations

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gongzhi.core.registries import TodoItem, TodoSource

from .models import Activity, SignUp, SignUpStatus
from .permissions import can_take_part


def _signed_up(user):
    mine = SignUp.objects.filter(Q(member__user=user) | Q(resident__user=user), status=SignUpStatus.SIGNED_UP)
    # Only activities the user may open: every item links to the activity's page.
    return (Activity.objects.visible_to(user).not_cancelled()
            .filter(pk__in=mine.values("activity_id"), ends_at__gte=timezone.now()))


def _items(user, limit: int) -> list[TodoItem]:
    return [TodoItem(title=a.title, url=reverse("service:detail", args=[a.pk]),
                     due=timezone.localtime(a.starts_at).date(), detail=a.place)
            for a in _signed_up(user).order_by("starts_at", "id")[:limit]]


SOURCES = [
    TodoSource(key="service.signed_up", label=_("Activities you signed up for"), icon="person-heart",
               url_name="service:mine", applies=can_take_part, count=lambda user: _signed_up(user).count(),
               items=_items, order=15),
]
