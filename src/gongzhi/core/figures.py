"""Small helpers the apps' ``stats.py`` share: a percentage as the registry gives it, and the keys to group
by a child organization or by a month."""

from __future__ import annotations

from decimal import Decimal


def percent(part: int | Decimal, whole: int | Decimal) -> Decimal | None:
    """``part`` of ``whole`` in per cent, to one decimal; ``None`` over nobody (a rate with no meaning)."""
    return (Decimal(100) * Decimal(part) / Decimal(whole)).quantize(Decimal("0.1")) if whole else None


def child_paths(parent, children) -> dict[str, int]:
    """The children of ``parent`` by the prefix of the path their subtrees share (for grouping by child)."""
    return {child.path: child.pk for child in children if child.parent_id == parent.pk}


def child_prefix(parent) -> int:
    """The length of a child's path: what to cut a descendant's path to, to know the child it lies under."""
    from gongzhi.orgs.models import STEP

    return len(parent.path) + STEP


def month_key(moment) -> str:
    """``YYYY-MM`` of a date or of a (local) time, as months are grouped."""
    return f"{moment:%Y-%m}"
