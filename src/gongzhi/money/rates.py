"""What a member owes for a month, from the brackets in force that month and the year's declared base.

    monthly_due(basis=Basis.SALARY, base=Decimal("3000.00"), month=date(2026, 5, 1))  # 15.00

The brackets are rows of ``DuesRate`` with the date they take effect: a month is computed with the rows of
the latest date not after the month's first day, so a change from a date never alters an earlier month.
Amounts are rounded half up to the fen.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from gongzhi.members.models import MemberCategory

from .models import Basis, DuesBase, DuesRate

CENT = Decimal("0.01")

#: The basis a member's category suggests when no base has been declared for the year.
DEFAULT_BASIS = {
    MemberCategory.IN_SERVICE: Basis.SALARY, MemberCategory.OTHER: Basis.SALARY,
    MemberCategory.RETIRED: Basis.PENSION, MemberCategory.RURAL: Basis.RURAL,
    MemberCategory.STUDENT: Basis.STUDENT, MemberCategory.UNEMPLOYED: Basis.UNEMPLOYED,
}


def first_of_month(day: date) -> date:
    return day.replace(day=1)


def add_months(month: date, n: int) -> date:
    index = month.year * 12 + month.month - 1 + n
    return date(index // 12, index % 12 + 1, 1)


def months_between(first: date, last: date) -> list[date]:
    """Every month from ``first`` to ``last`` (first days, both included)."""
    result, month = [], first_of_month(first)
    while month <= last:
        result.append(month)
        month = add_months(month, 1)
    return result


def apply_schedule(rates: Iterable[DuesRate], base: Decimal | None) -> Decimal | None:
    """The monthly dues the brackets (ordered by ``up_to``, open-ended last) give for ``base``."""
    for rate in rates:
        if rate.fixed is not None:
            return rate.fixed
        if base is None:
            return None
        if rate.up_to is None or base <= rate.up_to:
            return (base * rate.percent / 100).quantize(CENT, rounding=ROUND_HALF_UP)
    return None


class Schedules:
    """The rate rows, read once, answering "which brackets apply to this basis in this month"."""

    def __init__(self, rates: Iterable[DuesRate] | None = None):
        rows = list(DuesRate.objects.all() if rates is None else rates)
        self._by_basis: dict[str, dict[date, list[DuesRate]]] = {}
        for row in rows:
            self._by_basis.setdefault(row.basis, {}).setdefault(row.effective_from, []).append(row)
        for dates in self._by_basis.values():
            for brackets in dates.values():
                brackets.sort(key=lambda r: (r.up_to is None, r.up_to or 0))

    def brackets(self, basis: str, month: date) -> list[DuesRate]:
        dates = [d for d in self._by_basis.get(basis, {}) if d <= month]
        return self._by_basis[basis][max(dates)] if dates else []

    def due(self, basis: str, base: Decimal | None, month: date) -> Decimal | None:
        return apply_schedule(self.brackets(basis, first_of_month(month)), base)


def monthly_due(*, basis: str, base: Decimal | None, month: date) -> Decimal | None:
    """The dues for one month (None when the basis needs a base and none is known)."""
    return apply_schedule(DuesRate.objects.schedule(basis, first_of_month(month)), base)


@dataclass(frozen=True)
class Assessment:
    """What a member owes for a month and why (the basis; whether a base was declared)."""

    basis: str
    due: Decimal | None
    declared: bool

    @property
    def missing_base(self) -> bool:
        return self.due is None and Basis.needs_amount(self.basis)


def assess(member, month: date, *, bases: dict | None = None, schedules: Schedules | None = None) -> Assessment:
    """The assessment of ``member`` for ``month``: the year's declared base, or the category's default basis
    (which gives an amount only for the fixed-amount groups)."""
    month = first_of_month(month)
    if bases is None:
        base = DuesBase.objects.filter(member=member, year=month.year).first()
    else:
        base = bases.get((member.pk, month.year))
    schedules = schedules or Schedules()
    if base is not None:
        return Assessment(base.basis, schedules.due(base.basis, base.amount, month), True)
    basis = DEFAULT_BASIS.get(member.category, Basis.SALARY)
    due = None if Basis.needs_amount(basis) else schedules.due(basis, None, month)
    return Assessment(basis, due, False)


def bases_for(members, years: Iterable[int]) -> dict:
    """``{(member_id, year): DuesBase}`` for the members and years, in one query."""
    rows = DuesBase.objects.filter(member__in=[m.pk for m in members], year__in=sorted(set(years)))
    return {(b.member_id, b.year): b for b in rows}
