"""Member records' to-dos (待办): dual reportings to accept and transfers to receive."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from gongzhi.accounts.models import RoleKind
from gongzhi.accounts.permissions import has_any_role
from gongzhi.core.registries import TodoItem, TodoSource
from gongzhi.core.scoping import scope_paths, subtree_q

from .models import Reporting, ReportingStatus, Transfer, TransferStatus


def _reportings(user):
    """Submitted reportings to communities where the user is staff (who may accept them)."""
    return Reporting.objects.filter(subtree_q("community__path", scope_paths(user, RoleKind.staff_kinds())),
                                    status=ReportingStatus.SUBMITTED)


def _reporting_items(user, limit: int) -> list[TodoItem]:
    url = reverse("members:reported") + "?status=" + ReportingStatus.SUBMITTED
    return [TodoItem(title=r.member.name, url=url, detail=r.community.name)
            for r in _reportings(user).select_related("member", "community").order_by("created_at", "id")[:limit]]


def _transfers(user):
    """Pending transfers into an organization the user manages (the receiving side decides)."""
    return Transfer.objects.filter(subtree_q("to_org__path", scope_paths(user, RoleKind.managing_kinds())),
                                   status=TransferStatus.PENDING)


def _transfer_items(user, limit: int) -> list[TodoItem]:
    url = reverse("members:transfers")
    return [TodoItem(title=t.member.name, url=url, detail=f"{t.source_name} → {t.destination_name}")
            for t in _transfers(user).select_related("member", "from_org", "to_org")
            .order_by("created_at", "id")[:limit]]


SOURCES = [
    TodoSource(key="members.reportings", label=_("Dual reportings to accept"), icon="person-check",
               url_name="members:reported", applies=lambda user: has_any_role(user, RoleKind.staff_kinds()),
               count=lambda user: _reportings(user).count(), items=_reporting_items, order=10),
    TodoSource(key="members.transfers", label=_("Transfers to receive"), icon="arrow-left-right",
               url_name="members:transfers", applies=lambda user: has_any_role(user, RoleKind.managing_kinds()),
               count=lambda user: _transfers(user).count(), items=_transfer_items, order=11),
]
