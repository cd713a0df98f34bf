"""Every write of dues and funds: one transaction each, with its audit row in the same transaction.

Domain refusals are ``ValidationError`` with a message for the user (a month already paid, an amount out of
range, an approval by the person who entered the expenditure, a budget line that would be overspent).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, F, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from gongzhi.core import audit
from gongzhi.core.periods import Period, valid_year
from gongzhi.members.models import Member
from gongzhi.orgs.models import COMMUNITY_LEVEL, Organization

from . import rates
from .models import (
    LARGE_VOLUNTARY,
    MAX_AMOUNT,
    Basis,
    BudgetLine,
    DuesBase,
    DuesHandover,
    DuesPayment,
    DuesRate,
    Expenditure,
    ExpenditureStatus,
    FundsEntry,
    FundsSettings,
    Method,
)

CENT = Decimal("0.01")
DEFAULT_APPROVAL_ABOVE = Decimal("500.00")
#: How far ahead a member may pay (months after the current one).
MONTHS_AHEAD = 12
KEY_PATTERN = re.compile(r"^[A-Za-z0-9_-]{8,64}$")
RECEIPT_MAX_BYTES = 10 * 1024 * 1024


def total(queryset, field: str = "amount") -> Decimal:
    """A sum of money as an exact Decimal (SQLite sums decimals as floats)."""
    value = queryset.aggregate(s=Sum(field))["s"]
    return Decimal(str(value or 0)).quantize(CENT)


def parse_amount(value, *, field: str = "amount", allow_zero: bool = False) -> Decimal:
    """An amount of yuan from a form or an import: digits with at most two decimals, within range."""
    try:
        amount = Decimal(str(value).strip().replace(",", "").replace("，", ""))
    except (InvalidOperation, ValueError):
        raise ValidationError({field: _("Enter an amount in yuan, e.g. 25.50.")}) from None
    if not amount.is_finite():
        raise ValidationError({field: _("Enter an amount in yuan, e.g. 25.50.")})
    if amount < 0 or (amount == 0 and not allow_zero):
        raise ValidationError({field: _("The amount must be more than zero.")})
    if amount > MAX_AMOUNT:
        raise ValidationError({field: _("The amount is implausibly large (more than %(max)s yuan).")
                               % {"max": MAX_AMOUNT}})
    if amount != amount.quantize(CENT):
        raise ValidationError({field: _("Enter an amount with at most two decimals.")})
    return amount.quantize(CENT)


# --- rates -----------------------------------------------------------------------------------------------


@transaction.atomic
def change_rates(*, basis: str, effective_from: date, brackets: Iterable[tuple[Decimal | None, Decimal]] = (),
                 fixed: Decimal | None = None, by=None, note: str = "", request=None) -> list[DuesRate]:
    """New brackets (``[(up_to, percent), …, (None, percent)]``) or a new fixed amount for ``basis`` from
    ``effective_from`` on; months before keep the rates they had."""
    if basis not in Basis.values:
        raise ValidationError({"basis": _("Choose what the dues follow.")})
    effective_from = rates.first_of_month(effective_from)
    current = rates.first_of_month(timezone.localdate())
    if effective_from < current:
        raise ValidationError({"effective_from": _(
            "A change takes effect from the current month or later: past months keep the rates they were "
            "collected at.")})
    paid = (DuesPayment.objects.live().filter(month__gte=effective_from).order_by("-month")
            .values_list("month", flat=True).first())
    if paid is not None:
        raise ValidationError({"effective_from": _(
            "Dues up to %(month)s are already recorded at the rates in force; the change can take effect from "
            "%(next)s at the earliest.") % {"month": f"{paid:%Y-%m}", "next": f"{rates.add_months(paid, 1):%Y-%m}"}})
    if DuesRate.objects.filter(basis=basis, effective_from=effective_from).exists():
        raise ValidationError({"effective_from": _("Rates for this basis from this month exist already.")})
    if fixed is None:
        brackets = list(brackets)
        limits = [up_to for up_to, _percent in brackets[:-1]]
        if any(limit is None for limit in limits) or limits != sorted(set(limits)):
            raise ValidationError(_("Each bracket's upper limit must be higher than the one before; only the "
                                    "last has none."))
    rows = ([DuesRate(basis=basis, fixed=fixed, effective_from=effective_from, note=note)] if fixed is not None
            else [DuesRate(basis=basis, up_to=up_to, percent=percent, effective_from=effective_from, note=note)
                  for up_to, percent in brackets])
    if not rows or (fixed is None and rows[-1].up_to is not None):
        raise ValidationError(_("The last bracket must have no upper limit."))
    for row in rows:
        row.full_clean()
        row.save()
    audit.record(actor=by, action="money.rates.change", request=request,
                 detail={"basis": basis, "from": effective_from.isoformat(), "rows": len(rows)})
    return rows


# --- income bases ----------------------------------------------------------------------------------------


@transaction.atomic
def declare_base(*, member: Member, year: int, basis: str, amount, by, request=None) -> DuesBase:
    """The member's base for ``year`` (declared by the member or entered by the branch); declaring again in
    the same year replaces it, for the months not yet paid (a paid month keeps what it was paid at)."""
    if not valid_year(year):
        raise ValidationError({"year": _("Enter a year between 2000 and 2100.")})
    if basis not in Basis.values:
        raise ValidationError({"basis": _("Choose what the dues follow.")})
    if Basis.needs_amount(basis):
        if amount in (None, ""):
            raise ValidationError({"amount": _("Enter the monthly income or pension in yuan.")})
        amount = parse_amount(amount, allow_zero=True)
    else:
        amount = None
    base, created = DuesBase.objects.update_or_create(
        member=member, year=year, defaults={"basis": basis, "amount": amount, "declared_by": by})
    # The audit row names the basis, never the amount (it is sensitive).
    audit.record(actor=by, action="money.base.declare" if created else "money.base.redeclare", obj=base,
                 subject_user=member.user, request=request, detail={"year": year, "basis": basis})
    return base


@transaction.atomic
def reveal_base(*, base: DuesBase, by, request=None) -> Decimal | None:
    """The plain amount, after writing the audit row (if the row cannot be written, nothing is revealed)."""
    audit.record(actor=by, action="money.base.reveal", obj=base, subject_user=base.member.user, request=request,
                 detail={"year": base.year})
    return base.amount


# --- payments --------------------------------------------------------------------------------------------


def _month_keys(key: str, months: list[date]) -> dict[date, str]:
    return {month: f"{key}:{month:%Y%m}" for month in months}


def record_payment(*, member: Member, months: Iterable[date], by, key: str, paid_on: date | None = None,
                   amount=None, method: str = Method.CASH, paid_for_by: str = "", request=None) -> list[DuesPayment]:
    """Record ``member``'s dues for one or several months (``amount`` per month; empty: what is due).

    Idempotent on ``key`` (one per form or tap): the same key again returns the payments first recorded and
    writes nothing (double taps, retries, two devices submitting one form). A month already paid under
    another key is refused with the month named."""
    months = sorted({rates.first_of_month(m) for m in months})
    if not months:
        raise ValidationError(_("Choose at least one month."))
    if not KEY_PATTERN.match(key or ""):
        raise ValidationError(_("The form has expired; open the page again."))
    if method not in Method.values:
        raise ValidationError({"method": _("Choose how the dues were paid.")})
    keys = _month_keys(key, months)
    try:
        with transaction.atomic():
            return _record(member=member, months=months, keys=keys, by=by, paid_on=paid_on, amount=amount,
                           method=method, paid_for_by=paid_for_by, request=request)
    except IntegrityError:
        # A parallel request won the race: the same submission (its key) or another one (the month's constraint).
        existing = list(DuesPayment.objects.filter(key__in=keys.values()).order_by("month"))
        if existing:
            return existing
        raise ValidationError(_("Another payment for one of these months was recorded at the same moment; "
                                "open the page again.")) from None


def _record(*, member, months, keys, by, paid_on, amount, method, paid_for_by, request) -> list[DuesPayment]:
    # Payments of one member are written one at a time: the member's row is the lock.
    member = Member.objects.select_for_update(of=("self",)).select_related("home_org").get(pk=member.pk)
    existing = list(DuesPayment.objects.filter(key__in=keys.values()).order_by("month"))
    if existing:
        return existing
    today = timezone.localdate()
    if member.home_org is None:
        raise ValidationError(_("The member's membership is held outside the platform; the dues are collected there."))
    first_allowed, last_allowed = rates.first_of_month(member.joined_on), rates.add_months(
        rates.first_of_month(today), MONTHS_AHEAD)
    given = None if amount in (None, "") else parse_amount(amount)
    paid_on = paid_on or today
    if paid_on > today:
        raise ValidationError({"paid_on": _("The payment date cannot be in the future.")})
    live = set(DuesPayment.objects.live().filter(member=member, month__in=months).values_list("month", flat=True))
    if live:
        raise ValidationError(_("Already paid for %(months)s.")
                              % {"months": ", ".join(f"{m:%Y-%m}" for m in sorted(live))})
    bases = rates.bases_for([member], {m.year for m in months})
    schedules = rates.Schedules()
    attempts = dict(DuesPayment.objects.filter(member=member, month__in=months, reverses__isnull=True)
                    .values("month").annotate(n=Count("id")).values_list("month", "n"))
    created = []
    for month in months:
        if not first_allowed <= month <= last_allowed:
            raise ValidationError(_("Dues can be paid from the month the member joined until %(months)s months "
                                    "ahead; %(month)s is outside.")
                                  % {"months": MONTHS_AHEAD, "month": f"{month:%Y-%m}"})
        due = rates.assess(member, month, bases=bases, schedules=schedules).due
        paid = given if given is not None else due
        if paid is None:
            raise ValidationError(_("No income base is declared for %(year)s: declare it, or enter the amount.")
                                  % {"year": month.year})
        voluntary = max(paid - due, Decimal(0)) if due is not None else Decimal(0)
        payment = DuesPayment(
            member=member, organization=member.home_org, month=month, amount=paid, due=due, voluntary=voluntary,
            large_voluntary=voluntary >= LARGE_VOLUNTARY, method=method, paid_on=paid_on,
            paid_for_by=paid_for_by.strip()[:50], attempt=attempts.get(month, 0) + 1, key=keys[month],
            recorded_by=by)
        payment.save()
        created.append(payment)
    audit.record(actor=by, action="money.dues.pay", obj=created[0], subject_user=member.user, request=request,
                 detail={"months": [f"{m:%Y-%m}" for m in months], "method": method,
                         "proxy": bool(paid_for_by.strip()),
                         "large_voluntary": any(p.large_voluntary for p in created)})
    return created


@transaction.atomic
def record_many(*, entries: list[tuple], method: str, by, request=None) -> list[DuesPayment]:
    """Record many payments at once (an imported statement): ``entries`` of ``(member, month, amount, paid_on,
    key)``. All or nothing: a month already paid refuses the whole batch. A batch whose keys were recorded
    before returns those payments and writes nothing."""
    keys = [entry[4] for entry in entries]
    existing = list(DuesPayment.objects.filter(key__in=keys))
    if existing:
        return existing
    member_ids = sorted({entry[0].pk for entry in entries})
    # Lock the members in a fixed order, as a single payment locks its member.
    members = {m.pk: m for m in Member.objects.select_for_update(of=("self",)).select_related("home_org")
               .filter(pk__in=member_ids).order_by("pk")}
    months = {entry[1] for entry in entries}
    live = set(DuesPayment.objects.live().filter(member__in=member_ids, month__in=months)
               .values_list("member", "month"))
    attempts = {(m, month): n for m, month, n in DuesPayment.objects.filter(
        member__in=member_ids, month__in=months, reverses__isnull=True).values("member", "month")
        .annotate(n=Count("id")).values_list("member", "month", "n")}
    bases = rates.bases_for(list(members.values()), {month.year for month in months})
    schedules = rates.Schedules()
    rows = []
    for member_ref, month, amount, paid_on, key in entries:
        member = members[member_ref.pk]
        if (member.pk, month) in live:
            raise ValidationError(_("%(name)s: %(month)s is already paid.") % {"name": member.name,
                                                                             "month": f"{month:%Y-%m}"})
        if member.home_org is None:
            raise ValidationError(_("The member's membership is held outside the platform; the dues are collected "
                                    "there."))
        due = rates.assess(member, month, bases=bases, schedules=schedules).due
        voluntary = max(amount - due, Decimal(0)) if due is not None else Decimal(0)
        rows.append(DuesPayment(member=member, organization=member.home_org, month=month, amount=amount, due=due,
                                voluntary=voluntary, large_voluntary=voluntary >= LARGE_VOLUNTARY, method=method,
                                paid_on=paid_on, attempt=attempts.get((member.pk, month), 0) + 1, key=key,
                                recorded_by=by))
    try:
        with transaction.atomic():
            DuesPayment.objects.bulk_create(rows)
    except IntegrityError:
        raise ValidationError(_("Another payment for one of these months was recorded at the same moment; "
                                "check the file again.")) from None
    audit.record(actor=by, action="money.dues.pay_many", request=request,
                 organization=rows[0].organization if rows else None,
                 detail={"payments": len(rows), "method": method,
                         "large_voluntary": sum(1 for r in rows if r.large_voluntary)})
    return rows


@transaction.atomic
def reverse_payment(*, payment: DuesPayment, reason: str, by, request=None) -> DuesPayment:
    """Cancel a payment with an opposite entry (a wrong member or month); the month is open again."""
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Say why the payment is reversed.")})
    payment = DuesPayment.objects.select_for_update().get(pk=payment.pk)
    if payment.reverses_id is not None:
        raise ValidationError(_("A reversal cannot itself be reversed."))
    if DuesPayment.objects.filter(reverses=payment).exists():
        raise ValidationError(_("This payment has been reversed already."))
    reversal = DuesPayment.objects.create(
        member_id=payment.member_id, organization_id=payment.organization_id, month=payment.month,
        amount=-payment.amount, due=payment.due, method=payment.method, paid_on=timezone.localdate(),
        attempt=payment.attempt, key=f"reverse:{payment.pk}", reverses=payment, reason=reason.strip()[:200],
        recorded_by=by)
    audit.record(actor=by, action="money.dues.reverse", obj=payment, request=request,
                 detail={"month": f"{payment.month:%Y-%m}", "reason": reason.strip()[:200]})
    return reversal


# --- hand-overs ------------------------------------------------------------------------------------------


def outstanding(organization) -> Decimal:
    """Dues the organization holds and has not handed over: what it collected itself, plus what the levels
    below handed over to it once it confirmed receipt, less what it handed over."""
    return (total(DuesPayment.objects.filter(organization=organization))
            + total(DuesHandover.objects.filter(receiver=organization, confirmed_at__isnull=False))
            - total(DuesHandover.objects.filter(organization=organization)))


@transaction.atomic
def hand_over(*, organization, by, amount=None, handed_on: date | None = None, note: str = "",
              request=None) -> DuesHandover:
    """Hand the dues collected over to the level above (all that is outstanding unless ``amount``)."""
    organization = Organization.objects.select_for_update().get(pk=organization.pk)
    if organization.parent_id is None:
        raise ValidationError(_("This organization has no level above to hand dues over to."))
    available = outstanding(organization)
    amount = available if amount in (None, "") else parse_amount(amount)
    if amount <= 0:
        raise ValidationError(_("There are no dues to hand over."))
    if amount > available:
        raise ValidationError({"amount": _("Only %(available)s yuan collected is not yet handed over.")
                               % {"available": available}})
    handed_on = handed_on or timezone.localdate()
    if handed_on > timezone.localdate():
        raise ValidationError({"handed_on": _("The date cannot be in the future.")})
    handover = DuesHandover.objects.create(organization=organization, receiver_id=organization.parent_id,
                                           amount=amount, handed_on=handed_on, note=note.strip()[:200], handed_by=by)
    audit.record(actor=by, action="money.handover.create", obj=handover, request=request,
                 detail={"amount": str(amount)})
    return handover


@transaction.atomic
def confirm_handover(*, handover: DuesHandover, by, request=None) -> DuesHandover:
    handover = DuesHandover.objects.select_for_update().get(pk=handover.pk)
    if handover.confirmed_at is not None:
        raise ValidationError(_("Receipt was confirmed already."))
    if handover.handed_by_id == by.pk:
        raise ValidationError(_("Receipt is confirmed by someone other than the person who handed the dues over."))
    handover.confirmed_by, handover.confirmed_at = by, timezone.now()
    handover.save(update_fields=["confirmed_by", "confirmed_at"])
    audit.record(actor=by, action="money.handover.confirm", obj=handover, request=request,
                 detail={"amount": str(handover.amount)})
    return handover


# --- funds -----------------------------------------------------------------------------------------------


def approval_above(organization) -> Decimal:
    """The amount above which an expenditure needs a second person's approval (nearest setting up the tree)."""
    setting = (FundsSettings.objects.filter(organization__in=Organization.objects.ancestors_of(organization,
                                                                                                include_self=True))
               .order_by("-organization__depth").first())
    return setting.approval_above if setting else DEFAULT_APPROVAL_ABOVE


@transaction.atomic
def set_approval_above(*, organization, amount, by, request=None) -> FundsSettings:
    amount = parse_amount(amount, allow_zero=True)
    setting, _created = FundsSettings.objects.update_or_create(organization=organization,
                                                              defaults={"approval_above": amount})
    audit.record(actor=by, action="money.funds.settings", obj=organization, request=request,
                 detail={"approval_above": str(amount)})
    return setting


def _funds_organization(organization) -> None:
    if organization.kind not in COMMUNITY_LEVEL:
        raise ValidationError(_("Activity funds are kept by a community or village organization."))


@transaction.atomic
def save_budget_line(*, organization, year: int, source: str, purpose: str, amount, by, note: str = "",
                     request=None) -> BudgetLine:
    """Add a budget line, or change an existing line's amount (never below what it has spent)."""
    _funds_organization(organization)
    if not valid_year(year):
        raise ValidationError({"year": _("Enter a year between 2000 and 2100.")})
    amount = parse_amount(amount, allow_zero=True)
    line = (BudgetLine.objects.select_for_update()
            .filter(organization=organization, year=year, source=source, purpose=purpose).first())
    if line is None:
        line = BudgetLine(organization=organization, year=year, source=source, purpose=purpose, amount=amount,
                          note=note.strip()[:200], created_by=by)
        line.full_clean(validate_constraints=False, validate_unique=False)
        line.save()
        action = "money.budget.create"
    else:
        if amount < line.spent:
            raise ValidationError({"amount": _("This line has spent %(spent)s yuan already; its budget cannot be "
                                               "less.") % {"spent": line.spent}})
        line.amount, line.note = amount, note.strip()[:200] or line.note
        line.save(update_fields=["amount", "note"])
        action = "money.budget.change"
    audit.record(actor=by, action=action, obj=line, request=request, detail={"amount": str(amount), "year": year})
    return line


def check_receipt(upload) -> str:
    """The content type of a receipt (a photo or a PDF, by its content), else ValidationError."""
    from gongzhi.publicity.uploads import IMAGE_TYPES, PDF, content_type_of

    if upload is None:
        raise ValidationError({"receipt": _("Attach the receipt (a photo or a PDF).")})
    if upload.size > RECEIPT_MAX_BYTES:
        raise ValidationError({"receipt": _("The receipt is too large; the limit is %(mb)s MB.")
                               % {"mb": RECEIPT_MAX_BYTES // 1048576}})
    kind = content_type_of(upload) if upload.size else None
    if kind not in IMAGE_TYPES | {PDF}:
        raise ValidationError({"receipt": _("The receipt must be a photo (JPEG, PNG, GIF, WebP) or a PDF; this file "
                                            "is neither.")})
    return kind


def _count(expenditure: Expenditure, by) -> FundsEntry:
    """Post a counted expenditure to the ledger, within its budget line's remaining balance."""
    line = BudgetLine.objects.select_for_update().get(pk=expenditure.line_id)
    if line.spent + expenditure.amount > line.amount:
        raise ValidationError({"amount": _("The budget line has only %(remaining)s yuan left.")
                               % {"remaining": line.amount - line.spent}})
    entry = FundsEntry.objects.create(organization_id=expenditure.organization_id, line=line, expenditure=expenditure,
                                      amount=expenditure.amount, occurred_on=expenditure.spent_on, posted_by=by)
    BudgetLine.objects.filter(pk=line.pk).update(spent=F("spent") + expenditure.amount)
    return entry


def record_expenditure(*, organization, line: BudgetLine, spent_on: date, amount, purpose: str, payee: str,
                       receipt, key: str, by, activity=None, meeting=None, note: str = "",
                       request=None) -> Expenditure:
    """Enter an expenditure with its receipt. Up to the approval amount it counts at once; above, it waits
    for a second person's approval. Idempotent on ``key``."""
    existing = Expenditure.objects.filter(key=key).first() if key else None
    if existing is not None:
        return existing
    if not KEY_PATTERN.match(key or ""):
        raise ValidationError(_("The form has expired; open the page again."))
    _funds_organization(organization)
    line = BudgetLine.objects.get(pk=line.pk)  # what it has spent now, not when the form was drawn
    if line.organization_id != organization.pk:
        raise ValidationError({"line": _("Choose a budget line of this organization.")})
    amount = parse_amount(amount)
    if not (purpose or "").strip() or not (payee or "").strip():
        raise ValidationError(_("Say what the money was spent on and who was paid."))
    if spent_on > timezone.localdate():
        raise ValidationError({"spent_on": _("The date cannot be in the future.")})
    if spent_on.year != line.year:
        raise ValidationError({"line": _("Choose a budget line of the year the money was spent.")})
    if amount > line.remaining:
        raise ValidationError({"amount": _("The budget line has only %(remaining)s yuan left.")
                               % {"remaining": line.remaining}})
    receipt_type = check_receipt(receipt)
    try:
        with transaction.atomic():
            expenditure = Expenditure.objects.create(
                organization=organization, line=line, spent_on=spent_on, amount=amount, purpose=purpose.strip()[:200],
                payee=payee.strip()[:100], activity=activity, meeting=meeting, receipt=receipt,
                receipt_type=receipt_type, key=key, entered_by=by, note=note.strip()[:200])
            if amount <= approval_above(organization):
                _count(expenditure, by)
                expenditure.status = ExpenditureStatus.COUNTED
                expenditure.decided_at = timezone.now()
                expenditure.save(update_fields=["status", "decided_at"])
            audit.record(actor=by, action="money.expenditure.create", obj=expenditure, request=request,
                         detail={"amount": str(amount), "status": expenditure.status})
    except IntegrityError:
        existing = Expenditure.objects.filter(key=key).first()
        if existing is None:
            raise
        return existing
    return expenditure


@transaction.atomic
def decide_expenditure(*, expenditure: Expenditure, by, approve: bool, note: str = "", request=None) -> Expenditure:
    """The second person's decision on an expenditure above the approval amount."""
    expenditure = Expenditure.objects.select_for_update().get(pk=expenditure.pk)
    if expenditure.status != ExpenditureStatus.PENDING:
        raise ValidationError(_("This expenditure is not waiting for approval."))
    if expenditure.entered_by_id == by.pk:
        raise ValidationError(_("An expenditure is approved by someone other than the person who entered it."))
    if not approve and not (note or "").strip():
        raise ValidationError({"note": _("Say why the expenditure is refused.")})
    expenditure.approved_by = by if approve else None
    expenditure.decided_at = timezone.now()
    expenditure.note = (note or "").strip()[:200] or expenditure.note
    if approve:
        _count(expenditure, by)
        expenditure.status = ExpenditureStatus.COUNTED
    else:
        expenditure.status = ExpenditureStatus.REFUSED
    expenditure.save(update_fields=["approved_by", "decided_at", "note", "status"])
    audit.record(actor=by, action="money.expenditure.approve" if approve else "money.expenditure.refuse",
                 obj=expenditure, request=request, detail={"amount": str(expenditure.amount)})
    return expenditure


@transaction.atomic
def reverse_expenditure(*, expenditure: Expenditure, reason: str, by, request=None) -> FundsEntry:
    """Cancel a counted expenditure with a reversing entry; its budget line gets the amount back."""
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Say why the expenditure is reversed.")})
    expenditure = Expenditure.objects.select_for_update().get(pk=expenditure.pk)
    if expenditure.status != ExpenditureStatus.COUNTED:
        raise ValidationError(_("Only an expenditure that counts can be reversed."))
    entry = FundsEntry.objects.get(expenditure=expenditure, reverses__isnull=True)
    BudgetLine.objects.select_for_update().get(pk=entry.line_id)
    reversal = FundsEntry.objects.create(organization_id=entry.organization_id, line_id=entry.line_id,
                                         expenditure=expenditure, amount=-entry.amount,
                                         occurred_on=timezone.localdate(), reverses=entry,
                                         reason=reason.strip()[:200], posted_by=by)
    BudgetLine.objects.filter(pk=entry.line_id).update(spent=F("spent") - entry.amount)
    expenditure.status = ExpenditureStatus.REVERSED
    expenditure.save(update_fields=["status"])
    audit.record(actor=by, action="money.expenditure.reverse", obj=expenditure, request=request,
                 detail={"amount": str(entry.amount), "reason": reason.strip()[:200]})
    return reversal


# --- disclosure ------------------------------------------------------------------------------------------


def disclosure_source(organization, period: Period) -> str:
    return f"money.disclosure:{period.kind}:{period.start:%Y-%m-%d}:{period.end:%Y-%m-%d}"


def publish_disclosure(*, organization, period: Period, by, request=None):
    """Put the period's dues and funds disclosure (totals only) on the organization's publicity board; it waits
    for the organization's approval there. The same period twice returns the first item."""
    from gongzhi.publicity import services as publicity
    from gongzhi.publicity.models import Category

    from .disclosure import draft, title

    _funds_organization(organization)
    with transaction.atomic():
        item = publicity.publish_item(organization=organization, category=Category.FINANCE,
                                      title=title(period), body=draft(organization, period),
                                      source=disclosure_source(organization, period),
                                      catalogue_key="finance.dues_funds", period=period, by=by, request=request)
        audit.record(actor=by, action="money.disclosure.publish", obj=item, organization=organization,
                     request=request, detail={"period": period.label})
    return item
