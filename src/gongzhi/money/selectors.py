"""Reads of dues and funds, each a bounded number of queries, shared by pages, API, exports and figures."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import F, Min, Q, Sum

from gongzhi.members.models import Member
from gongzhi.orgs.models import Organization

from . import rates
from .models import (
    Basis,
    BudgetLine,
    DuesHandover,
    DuesPayment,
    DuesRate,
    Expenditure,
    ExpenditureStatus,
    Purpose,
    Source,
)
from .permissions import CONFIRM_HANDOVER, READ_DUES, READ_FUNDS, RECORD_DUES

CENT = Decimal("0.01")
#: Consecutive unpaid months that bring a reminder, and the rule's "自行脱党" warning for the branch to handle.
REMINDER_MONTHS = 3
WARNING_MONTHS = 6
LOOK_BACK = 24


def _money(value) -> Decimal:
    return Decimal(str(value or 0)).quantize(CENT)


def dues_organizations(user, capability=READ_DUES):
    """The organizations whose dues the user reads (or records), which collect dues themselves."""
    return (Organization.objects.where_user_can(user, capability).filter(is_active=True)
            .filter(Q(held_members__isnull=False)).distinct().order_by("path"))


def handover_organizations(user) -> list:
    """Where the user hands dues over: branches he or she records dues for, communities whose receipts he or
    she confirms."""
    from gongzhi.orgs.models import COMMUNITY_LEVEL

    found = {o.pk: o for o in dues_organizations(user, RECORD_DUES)}
    for organization in (Organization.objects.where_user_can(user, CONFIRM_HANDOVER)
                         .filter(kind__in=COMMUNITY_LEVEL, is_active=True)):
        found.setdefault(organization.pk, organization)
    return sorted((o for o in found.values() if o.parent_id), key=lambda o: o.path)


def funds_organizations(user, capability=READ_FUNDS):
    return Organization.objects.where_user_can(user, capability).filter(is_active=True).order_by("path")


@dataclass
class SheetRow:
    member: Member
    assessment: rates.Assessment
    payment: DuesPayment | None

    @property
    def paid(self) -> bool:
        return self.payment is not None


def sheet(organization, month: date) -> list[SheetRow]:
    """The month's dues of the members whose membership the organization holds: what is due, what was paid."""
    month = rates.first_of_month(month)
    members = list(Member.objects.filter(home_org=organization).current().order_by("name_initials", "pk"))
    bases = rates.bases_for(members, [month.year])
    schedules = rates.Schedules()
    paid = {p.member_id: p for p in DuesPayment.objects.live().filter(member__in=members, month=month)}
    return [SheetRow(m, rates.assess(m, month, bases=bases, schedules=schedules), paid.get(m.pk)) for m in members]


def sheet_totals(rows: list[SheetRow]) -> dict:
    due = sum((r.assessment.due or Decimal(0) for r in rows), Decimal(0))
    collected = sum((r.payment.amount for r in rows if r.payment), Decimal(0))
    paid = sum(1 for r in rows if r.payment)
    return {"members": len(rows), "paid": paid, "due": due, "collected": collected,
            "missing_base": sum(1 for r in rows if r.assessment.missing_base and not r.payment)}


def member_months(member, year: int, today: date) -> list[dict]:
    """The member's months of ``year`` up to the current one: due, paid, the payment."""
    last = min(date(year, 12, 1), rates.first_of_month(today))
    months = rates.months_between(max(date(year, 1, 1), rates.first_of_month(member.joined_on)), last) \
        if date(year, 1, 1) <= last else []
    bases = rates.bases_for([member], [year])
    schedules = rates.Schedules()
    paid = {p.month: p for p in DuesPayment.objects.live().filter(member=member, month__year=year)}
    return [{"month": m, "assessment": rates.assess(member, m, bases=bases, schedules=schedules),
             "payment": paid.get(m)} for m in reversed(months)]


def member_ledger(member):
    return DuesPayment.objects.filter(member=member).select_related("organization").order_by("-month", "-id")


@dataclass(frozen=True)
class Arrear:
    member: Member
    months: int  # consecutive unpaid months ending with the last month that has ended
    since: date

    @property
    def warning(self) -> bool:
        return self.months >= WARNING_MONTHS


def arrears(organization, today: date, minimum: int = REMINDER_MONTHS) -> list[Arrear]:
    """Members of the organization's subtree with at least ``minimum`` consecutive unpaid months, counted back
    from the last month that has ended (across year ends), not before the member joined nor before the month
    the member's branch recorded its first dues in Gongzhi. Nothing here changes a member's standing."""
    last = rates.add_months(rates.first_of_month(today), -1)
    first_window = rates.add_months(last, -(LOOK_BACK - 1))
    members = list(Member.objects.held_in(organization).current().select_related("home_org"))
    started = dict(DuesPayment.objects.filter(organization__path__startswith=organization.path)
                   .values("organization").annotate(first=Min("month")).values_list("organization", "first"))
    paid: dict[int, set[date]] = {}
    for member_id, month in (DuesPayment.objects.live().filter(member__in=members, month__gte=first_window,
                                                                 month__lte=last).values_list("member", "month")):
        paid.setdefault(member_id, set()).add(month)
    result = []
    for member in members:
        start = started.get(member.home_org_id)
        if start is None:
            continue
        start = max(start, rates.first_of_month(member.joined_on), first_window)
        months, month = 0, last
        while month >= start and month not in paid.get(member.pk, ()):
            months += 1
            month = rates.add_months(month, -1)
        if months >= minimum:
            result.append(Arrear(member, months, rates.add_months(last, -(months - 1))))
    return sorted(result, key=lambda a: (-a.months, a.member.name_initials))


def handovers_for(user):
    return DuesHandover.objects.visible_to(user).select_related("organization", "receiver", "handed_by",
                                                                "confirmed_by")


def handovers_to_confirm(user):
    return (DuesHandover.objects.unconfirmed()
            .filter(CONFIRM_HANDOVER.q(user, "receiver__path", "receiver__kind")).exclude(handed_by=user)
            .select_related("organization", "receiver"))


def months_to_record(user, today: date):
    """Members of the organizations where the user records dues who have not paid for the current month."""
    month = rates.first_of_month(today)
    organizations = Organization.objects.where_user_can(user, RECORD_DUES)
    return (Member.objects.current().filter(home_org__in=organizations, joined_on__lt=rates.add_months(month, 1))
            .exclude(dues_payments__in=DuesPayment.objects.live().filter(month=month)))


def rate_schedules(today: date) -> list[dict]:
    """Every basis with its schedules by the date they took effect (newest first), marking the one in force
    ``today`` and any that take effect later; one query (the rates table holds a few dozen rows)."""
    by_basis: dict[str, dict[date, list]] = {}
    for row in DuesRate.objects.order_by("basis", "-effective_from", F("up_to").asc(nulls_last=True)):
        by_basis.setdefault(row.basis, {}).setdefault(row.effective_from, []).append(row)
    month = rates.first_of_month(today)
    result = []
    for basis in Basis:
        dates = by_basis.get(basis.value, {})
        in_force = max((d for d in dates if d <= month), default=None)
        result.append({"basis": basis, "schedules": [
            {"effective_from": d, "rows": rows, "in_force": d == in_force, "coming": d > month}
            for d, rows in sorted(dates.items(), reverse=True)]})
    return result


# --- funds -----------------------------------------------------------------------------------------------


def budget(organization, year: int) -> dict:
    """Budget against spent per line, by source and by purpose, for the yearly account."""
    lines = list(BudgetLine.objects.filter(organization=organization, year=year))
    by_source: dict[str, list[Decimal]] = {}
    by_purpose: dict[str, list[Decimal]] = {}
    for line in lines:
        for bucket, key in ((by_source, line.source), (by_purpose, line.purpose)):
            row = bucket.setdefault(key, [Decimal(0), Decimal(0)])
            row[0] += line.amount
            row[1] += line.spent
    pending = _money(Expenditure.objects.filter(organization=organization, line__year=year,
                                                status=ExpenditureStatus.PENDING).aggregate(s=Sum("amount"))["s"])
    total_budget = sum((line.amount for line in lines), Decimal(0))
    total_spent = sum((line.spent for line in lines), Decimal(0))
    return {
        "lines": lines,
        "by_source": [(Source(k).label, v[0], v[1]) for k, v in sorted(by_source.items())],
        "by_purpose": [(Purpose(k).label, v[0], v[1]) for k, v in sorted(by_purpose.items())],
        "budget": total_budget, "spent": total_spent, "remaining": total_budget - total_spent, "pending": pending,
        "share": (Decimal(100) * total_spent / total_budget).quantize(Decimal("0.1")) if total_budget else None,
    }


def expenditures(organization, year: int):
    return (Expenditure.objects.filter(organization=organization, line__year=year)
            .select_related("line", "entered_by", "approved_by", "activity", "meeting").order_by("-spent_on", "-id"))


def expenditures_to_approve(user):
    from .permissions import APPROVE_EXPENDITURE

    return (Expenditure.objects.where_user_can(user, APPROVE_EXPENDITURE).filter(status=ExpenditureStatus.PENDING)
            .exclude(entered_by=user).select_related("organization").order_by("spent_on", "pk"))
