"""Learning's to-dos (待办): study materials published for the member this month that he or she has not
studied yet. Nothing counts study time (no "formalism at the fingertips"): it is a reading list."""

from __future__ import annotations

from datetime import timedelta

from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gongzhi.core.registries import TodoItem, TodoSource

from .models import Material, StudyRecord
from .permissions import has_member_record

RECENT = 30  # days: materials published within a month


def _unstudied(user):
    studied = StudyRecord.objects.filter(material=OuterRef("pk"), member__user=user)
    return (Material.objects.visible_to(user)
            .filter(withdrawn_on__isnull=True, published_on__gte=timezone.localdate() - timedelta(days=RECENT))
            .exclude(Exists(studied)))


def _items(user, limit: int) -> list[TodoItem]:
    return [TodoItem(title=m.title, url=reverse("learning:material", args=[m.pk]), detail=m.organization.name)
            for m in _unstudied(user).select_related("organization").order_by("-published_on", "-id")[:limit]]


SOURCES = [
    TodoSource(key="learning.study", label=_("New study materials"), icon="book", url_name="learning:my_study",
               applies=has_member_record, count=lambda user: _unstudied(user).count(), items=_items, order=16),
]
