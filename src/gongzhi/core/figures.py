"""Small helpers the apps' ``stats.py`` share: a percentage as the registry gives it."""

from __future__ import annotations

from decimal import Decimal


def percent(part: int | Decimal, whole: int | Decimal) -> Decimal | None:
    """``part`` of ``whole`` in per cent, to one decimal; ``None`` over nobody (a rate with no meaning)."""
    return (Decimal(100) * Decimal(part) / Decimal(whole)).quantize(Decimal("0.1")) if whole else None
