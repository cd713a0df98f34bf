"""Member records' to-dos (待办): dual reportings to accept and transfers to receive; for a co-building unit's
administrator, its members' reportings still awaiting the community's acceptance and its in-service members who
have not reported to the community they live in."""

from __future__ import annotations

from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from gongzhi.accounts.models import RoleKind
from gongzhi.accounts.permissions import has_any_role
from gongzhi.core.registries import TodoItem, TodoSource
from gongzhi.core.scoping import scope_paths, subtree_q
from gongzhi.core.todolist import CompiledCount

from .models import Member, MemberCategory, Reporting, ReportingStatus, Transfer, TransferStatus


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


def _unit_paths(user) -> list[str]:
    return scope_paths(user, {RoleKind.UNIT_ADMIN})


def _unit_awaiting(user):
    """Reportings of the unit's members that the community has not yet accepted or returned."""
    return Reporting.objects.filter(subtree_q("member__home_org__path", _unit_paths(user)),
                                    status=ReportingStatus.SUBMITTED)


def _unit_awaiting_items(user, limit: int) -> list[TodoItem]:
    url = reverse("members:reported") + "?status=" + ReportingStatus.SUBMITTED
    return [TodoItem(title=r.member.name, url=url, detail=r.community.name)
            for r in _unit_awaiting(user).select_related("member", "community").order_by("created_at", "id")[:limit]]


def _unit_unreported(user):
    """In-service members held by the unit who have no reporting submitted or accepted (returned ones count as
    not reported: they are to report again)."""
    reported = Reporting.objects.filter(member=OuterRef("pk"),
                                        status__in=[ReportingStatus.SUBMITTED, ReportingStatus.ACCEPTED])
    return (Member.objects.current().filter(subtree_q("home_org__path", _unit_paths(user)),
                                            category=MemberCategory.IN_SERVICE)
            .exclude(Exists(reported)))


def _unit_unreported_items(user, limit: int) -> list[TodoItem]:
    url = reverse("members:reported")
    return [TodoItem(title=m.name, url=url, detail=m.home_org.name if m.home_org else "")
            for m in _unit_unreported(user).select_related("home_org").order_by("name", "id")[:limit]]


def _is_unit_admin(user) -> bool:
    return has_any_role(user, {RoleKind.UNIT_ADMIN})


SOURCES = [
    TodoSource(key="members.reportings", label=_("Dual reportings to accept"), icon="person-check",
               url_name="members:reported", applies=lambda user: has_any_role(user, RoleKind.staff_kinds()),
               count=CompiledCount(_reportings), items=_reporting_items, order=10),
    TodoSource(key="members.transfers", label=_("Transfers to receive"), icon="arrow-left-right",
               url_name="members:transfers", applies=lambda user: has_any_role(user, RoleKind.managing_kinds()),
               count=CompiledCount(_transfers), items=_transfer_items, order=11),
    TodoSource(key="members.unit_awaiting", label=_("Your members' reportings awaiting the community"),
               icon="hourglass-split", url_name="members:reported", applies=_is_unit_admin,
               count=CompiledCount(_unit_awaiting), items=_unit_awaiting_items, order=30),
    TodoSource(key="members.unit_unreported", label=_("In-service members yet to report to their community"),
               icon="person-exclamation", url_name="members:reported", applies=_is_unit_admin,
               count=CompiledCount(_unit_unreported), items=_unit_unreported_items, order=31),
]
