"""Importing a bank or payment statement (.xlsx, .xls, .ods) of dues paid by transfer into a branch's ledger.

Each row names the payer (姓名), the month or months paid for (所属月份: ``2026-05``, ``2026年5月``, a date
cell, or a range ``2026-04~2026-06`` whose amount is split equally), the amount (金额) and optionally the
ID number or its last four digits (身份证号 / 身份证后四位, to tell two members of one name apart) and the
day paid (交易日期). ``read_statement`` checks every row without writing: a row that matches no member or
two members, an amount that is not money, a month already paid, a month twice in the file: a ``Problem``
with the row and column as in the file, and the whole file is refused. ``apply`` writes a checked plan in
one transaction, or nothing (``core.imports``: preview → confirm, all-or-nothing, report).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gongzhi.core import audit, imports
from gongzhi.core.imports import FileRefused, compact, parse_date, text
from gongzhi.members.models import Member

from . import rates, services
from .models import DuesPayment, Method

HEADERS = {
    "姓名": "name", "户名": "name", "付款人": "name", "交款人": "name", "name": "name", "payer": "name",
    "金额": "amount", "交易金额": "amount", "收入金额": "amount", "党费金额": "amount", "amount": "amount",
    "所属月份": "month", "月份": "month", "缴费月份": "month", "交纳月份": "month", "month": "month",
    "身份证号": "id", "公民身份号码": "id", "身份证号码": "id", "身份证后四位": "id", "id": "id",
    "交易日期": "paid_on", "日期": "paid_on", "交款日期": "paid_on", "date": "paid_on", "paidon": "paid_on",
}
REQUIRED = ("name", "amount", "month")
MONTH = re.compile(r"^(\d{4})\s*[-./年]\s*(\d{1,2})\s*月?$")
RANGE = re.compile(r"\s*(?:~|～|至|到)\s*")


@dataclass
class Row:
    number: int
    member: Member
    months: list[date]
    amount: Decimal  # per month
    paid_on: date


@dataclass
class Plan(imports.Checked):
    sheet: list[list] = field(default_factory=list)
    header: imports.Header | None = None
    rows: list[Row] = field(default_factory=list)

    @property
    def total(self) -> Decimal:
        return sum((r.amount * len(r.months) for r in self.rows), Decimal(0))

    @property
    def months(self) -> int:
        return sum(len(r.months) for r in self.rows)


def _month(value) -> date:
    if isinstance(value, date):
        return value.replace(day=1)
    raw = compact(value)
    match = MONTH.match(raw)
    if match:
        year, month = int(match.group(1)), int(match.group(2))
        if 2000 <= year <= 2100 and 1 <= month <= 12:
            return date(year, month, 1)
    day = parse_date(raw)  # 2026-05-03 or 20260503: the month it falls in
    if day is None:
        raise ValueError(raw)
    return day.replace(day=1)


def _months(value) -> list[date]:
    if isinstance(value, date):
        return [value.replace(day=1)]
    parts = RANGE.split(text(value))
    if len(parts) == 1:
        return [_month(parts[0])]
    if len(parts) != 2:
        raise ValueError(value)
    first, last = _month(parts[0]), _month(parts[1])
    if last < first or len(rates.months_between(first, last)) > 24:
        raise ValueError(value)
    return rates.months_between(first, last)


def read_statement(path: Path, organization) -> Plan:
    """Check every row of the statement against the organization's members; write nothing."""
    sheet = imports.read_sheet(path)
    header = imports.locate_header(sheet, HEADERS, REQUIRED, min_columns=3,
                                   missing_message=_("No header row with 姓名, 金额 and 所属月份 was found in the "
                                                     "first ten rows."))
    plan = Plan(sheet=sheet, header=header)
    members = list(Member.objects.filter(home_org=organization).current())
    by_name: dict[str, list[Member]] = {}
    for member in members:
        by_name.setdefault(compact(member.name), []).append(member)
    paid = set(DuesPayment.objects.live().filter(member__in=members).values_list("member", "month"))
    seen: dict[tuple[int, date], int] = {}
    today = timezone.localdate()
    for index in range(header.index + 1, len(sheet)):
        values = header.values(sheet[index])
        if not any(text(v) for v in values.values()):
            continue
        number = index + 1
        problems_before = len(plan.problems)
        name = compact(values.get("name"))
        candidates = by_name.get(name, [])
        id_hint = compact(values.get("id")).upper()
        if id_hint:
            candidates = [m for m in candidates if m.id_number.upper() == id_hint
                          or (len(id_hint) == 4 and m.id_number.upper().endswith(id_hint))]
        if not name:
            plan.refuse(number, header.label("name"), _("The name is missing."))
        elif not candidates:
            plan.refuse(number, header.label("name"), _("“%(name)s” matches no member of %(org)s.")
                        % {"name": name, "org": organization.name})
        elif len(candidates) > 1:
            plan.refuse(number, header.label("name"), _("“%(name)s” matches %(n)s members: add a column with the "
                                                        "last four digits of the ID number.")
                        % {"name": name, "n": len(candidates)})
        try:
            months = _months(values.get("month"))
        except (ValueError, TypeError):
            months = []
            plan.refuse(number, header.label("month"), _("Write the month as 2026-05, or a range as "
                                                         "2026-04~2026-06."))
        try:
            amount = services.parse_amount(text(values.get("amount")))
        except ValidationError as error:
            amount = None
            plan.refuse(number, header.label("amount"), " ".join(error.messages))
        paid_on = today
        if text(values.get("paid_on")):
            try:
                paid_on = parse_date(values.get("paid_on")) or today
            except ValueError:
                plan.refuse(number, header.label("paid_on"), _("This is not a date."))
            if paid_on > today:
                plan.refuse(number, header.label("paid_on"), _("The payment date cannot be in the future."))
        if amount is not None and months:
            per_month = (amount / len(months)).quantize(Decimal("0.01"))
            if per_month * len(months) != amount:
                plan.refuse(number, header.label("amount"), _("%(amount)s yuan cannot be split equally over "
                                                              "%(n)s months.") % {"amount": amount, "n": len(months)})
            amount = per_month
        if len(plan.problems) == problems_before and len(candidates) == 1:
            member = candidates[0]
            for month in months:
                if (member.pk, month) in paid:
                    plan.refuse(number, header.label("month"), _("%(month)s is already paid.")
                                % {"month": f"{month:%Y-%m}"})
                elif (member.pk, month) in seen:
                    plan.refuse(number, header.label("month"), _("%(month)s is paid in row %(row)s as well.")
                                % {"month": f"{month:%Y-%m}", "row": seen[(member.pk, month)]})
                elif month < rates.first_of_month(member.joined_on) or month > rates.add_months(
                        rates.first_of_month(today), services.MONTHS_AHEAD):
                    plan.refuse(number, header.label("month"), _("%(month)s is before the member joined or too "
                                                                 "far ahead.") % {"month": f"{month:%Y-%m}"})
                seen[(member.pk, month)] = number
            if len(plan.problems) == problems_before:
                plan.rows.append(Row(number, member, months, amount, paid_on))
    if not plan.rows and not plan.problems:
        raise FileRefused(_("The file has no rows below its header."))
    plan.sort()
    return plan


@transaction.atomic
def apply(*, plan: Plan, organization, token: str, by, request=None) -> int:
    """Record every row of a checked plan, or nothing: the first refusal undoes the whole import."""
    if not plan.ok:
        raise ValidationError(_("The statement has problems; nothing was imported."))
    entries = [(row.member, month, row.amount, row.paid_on, f"st{token[:24]}r{row.number}:{month:%Y%m}")
               for row in plan.rows for month in row.months]
    created = services.record_many(entries=entries, method=Method.STATEMENT, by=by, request=request)
    audit.record(actor=by, action="money.dues.import", obj=organization, request=request,
                 detail={"rows": len(plan.rows), "months": len(created)})
    return len(created)
