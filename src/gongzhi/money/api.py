"""The dues API (``/api/dues/``) and the funds API (``/api/funds/``), with the same scoping as the pages: a
branch's dues staff reach their branch, a member his or her own dues. An income base may be declared through
the API (by the member or the branch's dues staff) but is never answered. An expenditure is recorded with its
receipt as base64 in the JSON body (the same content check and size limit as the page's upload)."""

import base64
import binascii
from datetime import date
from decimal import Decimal
from typing import Annotated, Literal

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status
from ninja.pagination import paginate
from pydantic import Field

from gongzhi.core.api_types import ObjectId
from gongzhi.core.edge import api_error, api_require
from gongzhi.core.periods import Year, parse_month
from gongzhi.core.scoping import get_visible_or_404
from gongzhi.members.models import Member
from gongzhi.orgs.models import COMMUNITY_LEVEL, Organization

from . import rates, selectors, services
from .models import (
    Basis,
    BudgetLine,
    DuesBase,
    DuesHandover,
    DuesPayment,
    Expenditure,
    ExpenditureStatus,
    Method,
    Purpose,
    Source,
)
from .permissions import (
    COLLECTING,
    READ_DUES,
    READ_FUNDS,
    RECORD_DUES,
    RECORD_FUNDS,
    can_approve,
    can_change_rates,
    can_confirm,
    can_see_base,
    can_set_approval,
    can_use_money,
    has_own_dues,
)

router = Router()
dues = Router(tags=["dues"])
funds = Router(tags=["funds"])
MonthText = Annotated[str, Field(pattern=r"^\d{4}-\d{2}$", description="A month, YYYY-MM.")]


def _organization(request, organization_id: int, capability, kinds=COLLECTING) -> Organization:
    organization = (Organization.objects.where_user_can(request.user, capability)
                    .filter(pk=organization_id, kind__in=kinds, is_active=True).first())
    api_require(organization is not None)
    return organization


def _month(value: str) -> date:
    month = parse_month(value, None)
    if month is None:
        raise api_error(ValidationError("Enter a month as YYYY-MM between 2000 and 2100."))
    return month


# --- dues ------------------------------------------------------------------------------------------------


class DuesPaymentOut(Schema):
    id: int
    member_id: int
    member_name: str
    organization_id: int
    month: date
    amount: Decimal
    due: Decimal | None
    voluntary: Decimal
    large_voluntary: bool
    method: str
    paid_on: date
    paid_for_by: str
    reverses_id: int | None

    @staticmethod
    def resolve_member_name(obj) -> str:
        return obj.member.name


class DuesSheetRowOut(Schema):
    member_id: int
    member_name: str
    basis: str
    due: Decimal | None
    missing_base: bool
    payment: DuesPaymentOut | None


class DuesSheetOut(Schema):
    organization_id: int
    month: date
    members: int
    paid: int
    due: Decimal
    collected: Decimal
    rows: list[DuesSheetRowOut]


class DuesPayIn(Schema):
    member_id: ObjectId
    months: list[MonthText] = Field(min_length=1, max_length=24, description="Months paid for.")
    key: str = Field(pattern=r"^[A-Za-z0-9_-]{8,64}$", description="One per submission: the same key again "
                                                                     "records nothing more.")
    amount: Decimal | None = Field(None, gt=0, le=1_000_000, decimal_places=2,
                                   description="Per month; empty: what the rates ask.")
    method: Literal["cash", "transfer", "statement"] = Method.CASH
    paid_on: date | None = None
    paid_for_by: str = Field("", max_length=50)


class DuesRecordedOut(Schema):
    payments: list[DuesPaymentOut]


class DuesMonthOut(Schema):
    month: date
    due: Decimal | None
    paid: Decimal | None
    paid_on: date | None


class DuesMineOut(Schema):
    member_id: int
    current_month: date
    current_due: Decimal | None
    current_paid: bool
    months: list[DuesMonthOut]


class DuesArrearOut(Schema):
    member_id: int
    member_name: str
    organization_id: int
    months: int
    since: date
    warning: bool


class DuesArrearsOut(Schema):
    organization_id: int
    arrears: list[DuesArrearOut]


class DuesHandoverOut(Schema):
    id: int
    organization_id: int
    receiver_id: int
    amount: Decimal
    handed_on: date
    confirmed: bool
    confirmed_at: str | None

    @staticmethod
    def resolve_confirmed(obj) -> bool:
        return obj.confirmed_at is not None

    @staticmethod
    def resolve_confirmed_at(obj) -> str | None:
        return obj.confirmed_at.isoformat() if obj.confirmed_at else None


@dues.get("/sheet", response=DuesSheetOut)
def sheet(request, organization_id: ObjectId, month: MonthText):
    organization = _organization(request, organization_id, READ_DUES)
    month_ = _month(month)
    rows = selectors.sheet(organization, month_)
    totals = selectors.sheet_totals(rows)
    return {"organization_id": organization.pk, "month": month_, "members": totals["members"], "paid": totals["paid"],
            "due": totals["due"], "collected": totals["collected"],
            "rows": [{"member_id": r.member.pk, "member_name": r.member.name, "basis": r.assessment.basis,
                      "due": r.assessment.due, "missing_base": r.assessment.missing_base, "payment": r.payment}
                     for r in rows]}


@dues.get("/payments", response=list[DuesPaymentOut])
@paginate
def payments(request, organization_id: ObjectId | None = None, year: Year | None = None):
    rows = DuesPayment.objects.visible_to(request.user).select_related("member")
    if organization_id is not None:
        rows = rows.filter(organization_id=organization_id)
    if year is not None:
        rows = rows.filter(month__year=year)
    return rows.order_by("-month", "-id")


@dues.post("/payments", response={200: DuesRecordedOut, 201: DuesRecordedOut})
def pay(request, payload: DuesPayIn):
    member = Member.objects.select_related("home_org").filter(pk=payload.member_id).first()
    api_require(member is not None and member.home_org is not None
                and Organization.objects.where_user_can(request.user, RECORD_DUES)
                .filter(pk=member.home_org_id).exists())
    months = [_month(m) for m in payload.months]
    replay = DuesPayment.objects.filter(key__in=[f"{payload.key}:{m:%Y%m}" for m in months]).exists()
    try:
        created = services.record_payment(
            member=member, months=months, key=payload.key, amount=payload.amount, method=payload.method,
            paid_on=payload.paid_on, paid_for_by=payload.paid_for_by, by=request.user, request=request)
    except ValidationError as error:
        raise api_error(error) from None
    return Status(200 if replay else 201, {"payments": created})


class DuesRateOut(Schema):
    up_to: Decimal | None
    percent: Decimal | None
    fixed: Decimal | None


class DuesScheduleOut(Schema):
    basis: str
    effective_from: date
    in_force: bool
    coming: bool
    note: str
    rates: list[DuesRateOut]


class DuesBaseIn(Schema):
    member_id: ObjectId
    year: Year
    basis: Basis
    amount: Decimal | None = Field(None, ge=0, le=1_000_000, decimal_places=2,
                                   description="Monthly after-tax income or pension; only for salary and pension.")


class DuesBaseOut(Schema):
    member_id: int
    year: int
    basis: str
    declared: bool = True


@dues.get("/rates", response=list[DuesScheduleOut])
@paginate
def rate_schedules(request):
    """Every basis's schedules by the month they take effect (the one in force marked), newest first."""
    api_require(can_use_money(request.user) or has_own_dues(request.user) or can_change_rates(request.user))
    return [{"basis": b["basis"].value, "effective_from": s["effective_from"], "in_force": s["in_force"],
             "coming": s["coming"], "note": s["rows"][0].note, "rates": s["rows"]}
            for b in selectors.rate_schedules(timezone.localdate()) for s in b["schedules"]]


@dues.post("/bases", response={200: DuesBaseOut, 201: DuesBaseOut})
def declare_base(request, payload: DuesBaseIn):
    """Declare a member's income base for a year (the member, or the dues staff of the member's branch).
    The amount is sensitive: it is never in an answer and its audit row names only the basis."""
    member = Member.objects.select_related("home_org").filter(pk=payload.member_id).first()
    api_require(member is not None and can_see_base(request.user, member))
    existed = DuesBase.objects.filter(member=member, year=payload.year).exists()
    try:
        services.declare_base(member=member, year=payload.year, basis=payload.basis, amount=payload.amount,
                              by=request.user, request=request)
    except ValidationError as error:
        raise api_error(error) from None
    return Status(200 if existed else 201, {"member_id": member.pk, "year": payload.year,
                                            "basis": Basis(payload.basis).value})


@dues.get("/mine", response=DuesMineOut)
def mine(request):
    member = Member.objects.filter(user=request.user).first()
    api_require(member is not None)
    today = timezone.localdate()
    months = selectors.member_months(member, today.year, today)
    current = next((m for m in months if m["month"] == rates.first_of_month(today)), None)
    return {"member_id": member.pk, "current_month": rates.first_of_month(today),
            "current_due": current["assessment"].due if current else None,
            "current_paid": bool(current and current["payment"]),
            "months": [{"month": m["month"], "due": m["assessment"].due,
                        "paid": m["payment"].amount if m["payment"] else None,
                        "paid_on": m["payment"].paid_on if m["payment"] else None} for m in months]}


@dues.get("/arrears", response=DuesArrearsOut)
def arrears(request, organization_id: ObjectId):
    organization = _organization(request, organization_id, READ_DUES)
    rows = selectors.arrears(organization, timezone.localdate())
    return {"organization_id": organization.pk,
            "arrears": [{"member_id": a.member.pk, "member_name": a.member.name,
                         "organization_id": a.member.home_org_id, "months": a.months, "since": a.since,
                         "warning": a.warning} for a in rows]}


@dues.get("/handovers", response=list[DuesHandoverOut])
@paginate
def handovers(request):
    return selectors.handovers_for(request.user).order_by("-handed_on", "-id")


@dues.post("/handovers/{int:handover_id}/confirm", response=DuesHandoverOut)
def confirm(request, handover_id: int):
    handover = get_visible_or_404(DuesHandover.objects.select_related("receiver"), request.user, pk=handover_id)
    api_require(can_confirm(request.user, handover))
    try:
        return services.confirm_handover(handover=handover, by=request.user, request=request)
    except ValidationError as error:
        raise api_error(error) from None


# --- funds -----------------------------------------------------------------------------------------------


class FundsLineOut(Schema):
    id: int
    source: str
    purpose: str
    amount: Decimal
    spent: Decimal
    remaining: Decimal


class FundsBudgetOut(Schema):
    organization_id: int
    year: int
    budget: Decimal
    spent: Decimal
    remaining: Decimal
    pending: Decimal
    approval_above: Decimal
    lines: list[FundsLineOut]


class FundsExpenditureOut(Schema):
    id: int
    organization_id: int
    line_id: int
    spent_on: date
    amount: Decimal
    purpose: str
    payee: str
    activity_id: int | None
    meeting_id: int | None
    status: str
    entered_by_id: int
    approved_by_id: int | None


class FundsLineIn(Schema):
    organization_id: ObjectId
    year: Year
    source: Source
    purpose: Purpose
    amount: Decimal = Field(ge=0, le=1_000_000, decimal_places=2)
    note: str = Field("", max_length=200)


#: The largest receipt, base64-encoded (10 MB of file).
RECEIPT_BASE64_MAX = (services.RECEIPT_MAX_BYTES + 2) // 3 * 4


class FundsExpenditureIn(Schema):
    organization_id: ObjectId
    line_id: ObjectId
    spent_on: date
    amount: Decimal = Field(gt=0, le=1_000_000, decimal_places=2)
    purpose: str = Field(min_length=1, max_length=200)
    payee: str = Field(min_length=1, max_length=100)
    activity_id: ObjectId | None = None
    meeting_id: ObjectId | None = None
    receipt_name: str = Field(min_length=1, max_length=100, pattern=r"^[^/\\]+$")
    receipt_base64: str = Field(min_length=4, max_length=RECEIPT_BASE64_MAX,
                                description="The receipt file (a photo or a PDF), base64-encoded.")
    key: str = Field(pattern=r"^[A-Za-z0-9_-]{8,64}$", description="One per submission: the same key again "
                                                                     "records nothing more.")
    note: str = Field("", max_length=200)


class FundsDecisionIn(Schema):
    action: Literal["approve", "refuse", "reverse"]
    note: str = Field("", max_length=200)


@funds.get("/budget", response=FundsBudgetOut)
def budget(request, organization_id: ObjectId, year: Year | None = None):
    organization = _organization(request, organization_id, READ_FUNDS, COMMUNITY_LEVEL)
    year = year or timezone.localdate().year
    account = selectors.budget(organization, year)
    return {"organization_id": organization.pk, "year": year, "budget": account["budget"],
            "spent": account["spent"], "remaining": account["remaining"], "pending": account["pending"],
            "approval_above": services.approval_above(organization), "lines": account["lines"]}


@funds.post("/lines", response={200: FundsLineOut, 201: FundsLineOut})
def save_line(request, payload: FundsLineIn):
    """Add a budget line, or change the amount of the organization's line of that year, source and purpose
    (never below what it has spent)."""
    organization = _organization(request, payload.organization_id, RECORD_FUNDS, COMMUNITY_LEVEL)
    existed = BudgetLine.objects.filter(organization=organization, year=payload.year, source=payload.source,
                                        purpose=payload.purpose).exists()
    try:
        line = services.save_budget_line(organization=organization, year=payload.year, source=payload.source,
                                         purpose=payload.purpose, amount=payload.amount, note=payload.note,
                                         by=request.user, request=request)
    except ValidationError as error:
        raise api_error(error) from None
    return Status(200 if existed else 201, line)


def _linked(model, pk, user, organization):
    """An activity or meeting the expenditure served: one the user sees, of the organization's subtree."""
    if pk is None:
        return None
    found = model.objects.visible_to(user).filter(pk=pk, organization__path__startswith=organization.path).first()
    if found is None:
        raise api_error(ValidationError(_("Choose an activity or meeting of this organization.")))
    return found


def _receipt(payload: FundsExpenditureIn) -> SimpleUploadedFile:
    try:
        content = base64.b64decode(payload.receipt_base64, validate=True)
    except (binascii.Error, ValueError):
        raise api_error(ValidationError({"receipt": _("The receipt is not valid base64.")})) from None
    return SimpleUploadedFile(payload.receipt_name, content)


@funds.post("/expenditures", response={200: FundsExpenditureOut, 201: FundsExpenditureOut})
def record_expenditure(request, payload: FundsExpenditureIn):
    """Record an expenditure with its receipt; above the approval amount it waits for a second person.
    The same ``key`` again answers 200 with what was recorded the first time."""
    from gongzhi.meetings.models import Meeting
    from gongzhi.service.models import Activity

    organization = _organization(request, payload.organization_id, RECORD_FUNDS, COMMUNITY_LEVEL)
    replay = Expenditure.objects.filter(key=payload.key, organization=organization).first()
    if replay is not None:
        return Status(200, replay)
    line = BudgetLine.objects.filter(pk=payload.line_id, organization=organization).first()
    if line is None:
        raise api_error(ValidationError({"line": _("Choose a budget line of this organization.")}))
    try:
        item = services.record_expenditure(
            organization=organization, line=line, spent_on=payload.spent_on, amount=payload.amount,
            purpose=payload.purpose, payee=payload.payee, receipt=_receipt(payload), key=payload.key,
            activity=_linked(Activity, payload.activity_id, request.user, organization),
            meeting=_linked(Meeting, payload.meeting_id, request.user, organization),
            note=payload.note, by=request.user, request=request)
    except ValidationError as error:
        raise api_error(error) from None
    return Status(201, item)


@funds.get("/expenditures", response=list[FundsExpenditureOut])
@paginate
def expenditures(request, organization_id: ObjectId | None = None, year: Year | None = None,
                 status: Literal["pending", "counted", "refused", "reversed"] | None = None):
    rows = Expenditure.objects.visible_to(request.user)
    if organization_id is not None:
        rows = rows.filter(organization_id=organization_id)
    if year is not None:
        rows = rows.filter(line__year=year)
    if status is not None:
        rows = rows.filter(status=status)
    return rows.order_by("-spent_on", "-id")


@funds.get("/expenditures/{int:expenditure_id}", response=FundsExpenditureOut)
def expenditure(request, expenditure_id: int):
    return get_visible_or_404(Expenditure, request.user, pk=expenditure_id)


@funds.post("/expenditures/{int:expenditure_id}/decision", response=FundsExpenditureOut)
def decide(request, expenditure_id: int, payload: FundsDecisionIn):
    item = get_visible_or_404(Expenditure, request.user, pk=expenditure_id)
    if payload.action == "reverse":
        api_require(can_set_approval(request.user, item.organization))
    else:
        api_require(can_approve(request.user, item) or (item.status != ExpenditureStatus.PENDING
                                                        and can_set_approval(request.user, item.organization)))
    try:
        if payload.action == "reverse":
            services.reverse_expenditure(expenditure=item, reason=payload.note, by=request.user, request=request)
        else:
            services.decide_expenditure(expenditure=item, approve=payload.action == "approve", note=payload.note,
                                        by=request.user, request=request)
    except ValidationError as error:
        raise api_error(error) from None
    item.refresh_from_db()
    return item


router.add_router("/dues/", dues)
router.add_router("/funds/", funds)
