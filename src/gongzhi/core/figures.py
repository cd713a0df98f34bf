"""Small helpers the apps' ``stats.py`` share: a percentage as the registry gives it, the keys to group
by a child organization or by a month, and ``shared``: one computation that several figures read (the request
figures' one aggregate gives three rates), done once while a dashboard's snapshot is computed."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import contextmanager
from contextvars import ContextVar
from decimal import Decimal
from functools import wraps

_memo: ContextVar[dict | None] = ContextVar("figures_memo", default=None)


@contextmanager
def sharing():
    """Inside this block a ``shared`` function computes each set of arguments once (the same numbers for every
    figure that reads them: they are computed at the same moment). Outside it, it computes every time."""
    token = _memo.set({})
    try:
        yield
    finally:
        _memo.reset(token)


def shared(fn: Callable) -> Callable:
    """Memoise ``fn(organization, period_or_day, …)`` within ``sharing()``, by the organization's id and the
    other (hashable) arguments."""
    @wraps(fn)
    def wrapper(organization, *args):
        memo = _memo.get()
        if memo is None:
            return fn(organization, *args)
        key = (fn.__module__, fn.__qualname__, organization.pk, *args)
        if key not in memo:
            memo[key] = fn(organization, *args)
        return memo[key]
    return wrapper


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
