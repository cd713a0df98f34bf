"""Dues and funds figures for an organization's subtree and a period: the dues payment rate (member-months
paid among those due) and the share of the year's budget spent."""

from __future__ import annotations

from decimal import Decimal

from django.db.models import Sum, Value
from django.db.models.functions import Coalesce, ExtractMonth, ExtractYear, Greatest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gongzhi.core.registries import Figure
from gongzhi.members.models import Member

from . import rates
from .models import BudgetLine, DuesPayment


def _month_index(day):
    return day.year * 12 + day.month - 1


def payment_rate(organization, period) -> Decimal | None:
    """Of the member-months due in the period's ended months (members held in the subtree, from the month they
    joined), the share paid. Two queries whatever the size, both in the database (no member in Python)."""
    today = timezone.localdate()
    last = min(period.end, rates.add_months(rates.first_of_month(today), -1))
    months = rates.months_between(period.start, last) if last >= period.start else []
    if not months:
        return None
    held = Member.objects.held_in(organization).current()
    joined = ExtractYear("joined_on") * 12 + ExtractMonth("joined_on") - 1
    owed = Value(_month_index(months[-1]) + 1) - Greatest(Value(_month_index(months[0])), joined)
    due = held.aggregate(due=Coalesce(Sum(Greatest(Value(0), owed)), 0))["due"]
    if not due:
        return None
    paid = (DuesPayment.objects.live().filter(member__in=held.values("pk"), month__gte=months[0],
                                              month__lte=months[-1]).count())
    return (Decimal(100) * min(paid, due) / due).quantize(Decimal("0.1"))


def spent_share(organization, period) -> Decimal | None:
    """Spent against budget for the year the period ends in, over the subtree's budget lines."""
    totals = BudgetLine.objects.filter(organization__path__startswith=organization.path,
                                       year=period.end.year).aggregate(budget=Sum("amount"), spent=Sum("spent"))
    budget = Decimal(str(totals["budget"] or 0))
    if not budget:
        return None
    return (Decimal(100) * Decimal(str(totals["spent"] or 0)) / budget).quantize(Decimal("0.1"))


FIGURES = [
    Figure(key="dues.payment_rate", label=_("Dues payment rate"), unit="percent", area="money",
           compute=payment_rate,
           description=_("Of the months members owed dues in the period (months that have ended), the share paid.")),
    Figure(key="funds.spent_share", label=_("Activity funds spent against budget"), unit="percent", area="money",
           compute=spent_share, at_date=True, higher_is_better=None,
           description=_("What the year's budget lines have spent, as a share of their budget.")),
]
