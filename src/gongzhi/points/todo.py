"""Points' to-dos (待办): manual awards a colleague proposed, waiting for a second person's approval, and
rewards redeemed in the shop, waiting to be handed over."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from gongzhi.accounts.models import RoleKind
from gongzhi.accounts.permissions import has_any_role
from gongzhi.core.registries import TodoItem, TodoSource
from gongzhi.core.scoping import role_organizations, subtree_q
from gongzhi.core.todolist import CompiledCount

from .models import AwardStatus, ManualAward, Redemption
from .permissions import can_edit_rules


def _shop_paths(user) -> tuple[str, ...]:
    """Where the user runs the shop and decides manual awards (as the points views do)."""
    return tuple(o.path for o in role_organizations(user, RoleKind.staff_kinds()) if can_edit_rules(user, o))


def _shop(user) -> dict:
    # Decided on the real paths (a role's organization below another role's), given to the statement as values.
    return {"paths": _shop_paths(user)}


def _awards(user, *, paths):
    # The proposer may not approve his or her own proposal (a database constraint): not his or her to-do.
    return (ManualAward.objects.filter(subtree_q("organization__path", paths), status=AwardStatus.PENDING)
            .exclude(proposed_by=user))


def _award_items(user, limit: int) -> list[TodoItem]:
    url = reverse("points:manual_awards")
    return [TodoItem(title=f"{a.member.name} {a.points:+}", url=url, detail=a.reason)
            for a in _awards(user, **_shop(user)).select_related("member").order_by("proposed_at", "id")[:limit]]


def _redemptions(user, *, paths):
    return Redemption.objects.filter(subtree_q("reward__organization__path", paths),
                                     handed_over_at__isnull=True, cancelled_at__isnull=True)


def _redemption_items(user, limit: int) -> list[TodoItem]:
    url = reverse("points:redemptions")
    return [TodoItem(title=f"{r.reward.name} · {r.member.name}", url=url, detail=r.reward.organization.name)
            for r in _redemptions(user, **_shop(user)).select_related("member", "reward__organization")
            .order_by("created_at", "id")[:limit]]


def _staff(user) -> bool:
    return has_any_role(user, RoleKind.staff_kinds())


SOURCES = [
    TodoSource(key="points.manual_awards", label=_("Manual awards to approve"), icon="plus-slash-minus",
               url_name="points:manual_awards", applies=_staff, count=CompiledCount(_awards, _shop),
               items=_award_items, order=40),
    TodoSource(key="points.redemptions", label=_("Rewards to hand over"), icon="gift",
               url_name="points:redemptions", applies=_staff, count=CompiledCount(_redemptions, _shop),
               items=_redemption_items, order=41),
]
