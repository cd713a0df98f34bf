"""Dues and funds pages: the branch's phone-friendly dues sheet with one-tap "paid", a member's dues (several
months at once, 代缴, the masked income base with its logged reveal), the member's own dues, arrears, hand-overs,
the funds budget and ledger with approvals and reversals, the disclosure, the .xlsx exports.
Thin: parse, authorise (``permissions``), call a service or selector, render."""

from __future__ import annotations

import io
from datetime import date

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from gongzhi.core import audit, imports, spreadsheets
from gongzhi.core.edge import add_to_form, messages_of, require
from gongzhi.core.periods import Period, parse_month, parse_period, parse_year
from gongzhi.core.personal import mask_id_number
from gongzhi.core.scoping import get_visible_or_404, parse_id
from gongzhi.members.models import Member
from gongzhi.orgs.models import COMMUNITY_LEVEL, Organization

from . import rates, selectors, services, statement
from .forms import (
    ApprovalAmountForm,
    BaseForm,
    BudgetLineForm,
    DecisionForm,
    ExpenditureForm,
    HandoverForm,
    PayForm,
    RatesForm,
    ReasonForm,
    new_key,
)
from .models import BudgetLine, DuesBase, DuesHandover, DuesPayment, Expenditure, ExpenditureStatus
from .permissions import (
    APPROVE_EXPENDITURE,
    COLLECTING,
    READ_DUES,
    READ_FUNDS,
    RECORD_DUES,
    RECORD_FUNDS,
    can_approve,
    can_change_rates,
    can_confirm,
    can_hand_over,
    can_read_dues,
    can_read_funds,
    can_record_dues,
    can_record_funds,
    can_see_base,
    can_set_approval,
    can_use_money,
    has_own_dues,
)


def _organization(user, pk, capability, kinds=COLLECTING) -> Organization:
    """The organization ``pk`` if the user holds ``capability`` there, else the same 404 as "does not exist"."""
    number = parse_id(pk)
    organization = Organization.objects.filter(pk=number, kind__in=kinds).first() if number else None
    require(organization is not None and organization.is_active
            and Organization.objects.where_user_can(user, capability).filter(pk=organization.pk).exists())
    return organization


def _month(request) -> date:
    current = rates.first_of_month(timezone.localdate())
    return parse_month(request.GET.get("month") or request.POST.get("month"), current)


# --- overview ----------------------------------------------------------------------------------------------


def index(request):
    user = request.user
    if not can_use_money(user):
        require(has_own_dues(user))
        return redirect("money:mine")
    today = timezone.localdate()
    dues_orgs = list(selectors.dues_organizations(user))
    return render(request, "money/index.html", {
        "dues_orgs": dues_orgs, "funds_orgs": list(selectors.funds_organizations(user)),
        "recording": {o.pk for o in selectors.dues_organizations(user, RECORD_DUES)},
        "to_confirm": list(selectors.handovers_to_confirm(user)[:20]),
        "to_approve": list(selectors.expenditures_to_approve(user)[:20]),
        "month": rates.first_of_month(today), "has_own": has_own_dues(user)})


# --- rates -----------------------------------------------------------------------------------------------


def _rates_context(request, form=None):
    today = timezone.localdate()
    changing = can_change_rates(request.user)
    if changing and form is None:
        form = RatesForm(initial={"effective_from": f"{rates.add_months(rates.first_of_month(today), 1):%Y-%m}"})
    return {"schedules": selectors.rate_schedules(today), "form": form if changing else None}


def rates_page(request):
    """The rates in force, their history and any change to come; the top organization's administrator enters
    a change from a month on (months before keep the rates they were collected at)."""
    require(can_use_money(request.user) or has_own_dues(request.user) or can_change_rates(request.user))
    if request.method != "POST":
        return render(request, "money/rates.html", _rates_context(request))
    require(can_change_rates(request.user))
    form = RatesForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.change_rates(basis=data["basis"], effective_from=data["effective_from"],
                                  brackets=data["brackets"], fixed=data["fixed"], note=data["note"],
                                  by=request.user, request=request)
        except ValidationError as error:
            add_to_form(form, error)
        else:
            messages.success(request, _("The new rates are saved; they apply from %(month)s.")
                             % {"month": f"{data['effective_from']:%Y-%m}"})
            return redirect("money:rates")
    return render(request, "money/rates.html", _rates_context(request, form), status=400)


# --- the dues sheet ----------------------------------------------------------------------------------------


def _sheet_context(request, organization, month):
    rows = selectors.sheet(organization, month)
    for row in rows:
        row.key = new_key()
    return {"organization": organization, "month": month, "rows": rows, "totals": selectors.sheet_totals(rows),
            "may_record": can_record_dues(request.user, organization),
            "previous": rates.add_months(month, -1), "next": rates.add_months(month, 1),
            "this_month": rates.first_of_month(timezone.localdate())}


def sheet(request, pk):
    organization = _organization(request.user, pk, READ_DUES)
    return render(request, "money/sheet.html", _sheet_context(request, organization, _month(request)))


@require_POST
def pay(request, pk):
    """One tap: the member's dues for the month, at what the rates ask; idempotent on the tap's key."""
    organization = _organization(request.user, pk, RECORD_DUES)
    month = _month(request)
    member = Member.objects.filter(pk=parse_id(request.POST.get("member")), home_org=organization).first()
    require(member is not None)
    error = ""
    try:
        services.record_payment(member=member, months=[month], key=request.POST.get("key", ""), by=request.user,
                                request=request)
    except ValidationError as exc:
        error = messages_of(exc)
    if request.htmx:
        context = _sheet_context(request, organization, month)
        row = next(r for r in context["rows"] if r.member.pk == member.pk)
        return render(request, "money/sheet.html#row", {**context, "row": row, "error": error},
                      status=400 if error else 200)
    if error:
        messages.error(request, f"{member.name}: {error}")
    return redirect(f"{reverse('money:sheet', args=[organization.pk])}?month={month:%Y-%m}")


# --- a member's dues ---------------------------------------------------------------------------------------


def _member(request, pk) -> Member:
    member = Member.objects.select_related("home_org").filter(pk=parse_id(pk)).first()
    require(member is not None and member.home_org is not None and can_read_dues(request.user, member.home_org))
    return member


def _member_context(request, member, *, pay_form=None, base_form=None, revealed=None):
    today = timezone.localdate()
    year = parse_year(request.GET.get("year"), today.year)
    base = DuesBase.objects.filter(member=member, year=today.year).first()
    return {
        "member": member, "year": year, "months": selectors.member_months(member, year, today),
        "ledger": list(selectors.member_ledger(member)[:60]), "base": base, "revealed": revealed,
        "may_see_base": can_see_base(request.user, member),
        "may_record": can_record_dues(request.user, member.home_org),
        "pay_form": pay_form or PayForm(initial={"key": new_key(), "first": f"{today:%Y-%m}", "paid_on": today}),
        "base_form": base_form or BaseForm(initial={"year": today.year, "basis": base.basis if base else
                                                    rates.DEFAULT_BASIS.get(member.category)}),
        "reason_form": ReasonForm(), "today": today,
    }


def member_dues(request, pk):
    member = _member(request, pk)
    return render(request, "money/member.html", _member_context(request, member))


@require_POST
def member_pay(request, pk):
    member = _member(request, pk)
    require(can_record_dues(request.user, member.home_org))
    form = PayForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            payments = services.record_payment(
                member=member, months=data["months"], key=data["key"], amount=data["amount"], method=data["method"],
                paid_on=data["paid_on"], paid_for_by=data["paid_for_by"], by=request.user, request=request)
        except ValidationError as error:
            add_to_form(form, error)
        else:
            messages.success(request, _("Recorded: %(n)s months.") % {"n": len(payments)})
            if any(p.large_voluntary for p in payments):
                messages.warning(request, _("A large voluntary payment (1,000 yuan or more): the branch should take "
                                            "note of it."))
            return redirect("money:member", member.pk)
    return render(request, "money/member.html", _member_context(request, member, pay_form=form), status=400)


@require_POST
@sensitive_post_parameters("amount")
def declare_base(request, pk):
    """The member declares his or her own base, or the branch's dues staff enter it."""
    member = Member.objects.select_related("home_org").filter(pk=parse_id(pk)).first()
    require(member is not None and can_see_base(request.user, member))
    own = member.user_id == request.user.pk and not can_record_dues(request.user, member.home_org)
    form = BaseForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.declare_base(member=member, year=data["year"], basis=data["basis"], amount=data["amount"],
                                  by=request.user, request=request)
        except ValidationError as error:
            add_to_form(form, error)
        else:
            messages.success(request, _("The dues base is saved."))
            return redirect("money:mine" if own else "money:member", *([] if own else [member.pk]))
    if own:
        return render(request, "money/mine.html", _mine_context(request, member, base_form=form), status=400)
    return render(request, "money/member.html", _member_context(request, member, base_form=form), status=400)


@require_POST
def reveal_base(request, pk):
    """Reveal the plain income base: a POST, logged before anything is shown."""
    member = Member.objects.select_related("home_org").filter(pk=parse_id(pk)).first()
    require(member is not None and can_see_base(request.user, member))
    year = parse_year(request.POST.get("year"), timezone.localdate().year)
    base = DuesBase.objects.visible_to(request.user).filter(member=member, year=year).first()
    require(base is not None)
    amount = services.reveal_base(base=base, by=request.user, request=request)
    if member.user_id == request.user.pk and not can_record_dues(request.user, member.home_org):
        response = render(request, "money/mine.html", _mine_context(request, member, revealed=amount))
    else:
        response = render(request, "money/member.html", _member_context(request, member, revealed=amount))
    response["Cache-Control"] = "no-store"
    return response


@require_POST
def reverse_payment(request, pk):
    payment = get_visible_or_404(DuesPayment.objects.select_related("member"), request.user, pk=parse_id(pk))
    require(can_record_dues(request.user, payment.organization))
    form = ReasonForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(_("Say why the payment is reversed."))
        services.reverse_payment(payment=payment, reason=form.cleaned_data["reason"], by=request.user,
                                 request=request)
    except ValidationError as error:
        messages.error(request, messages_of(error))
    else:
        messages.success(request, _("The payment is reversed; the month is open again."))
    return redirect("money:member", payment.member_id)


# --- one's own dues ----------------------------------------------------------------------------------------


def _mine_context(request, member, *, base_form=None, revealed=None):
    today = timezone.localdate()
    year = parse_year(request.GET.get("year"), today.year)
    base = DuesBase.objects.filter(member=member, year=today.year).first()
    months = selectors.member_months(member, year, today)
    current = next((m for m in months if m["month"] == rates.first_of_month(today)), None)
    return {"member": member, "year": year, "months": months, "current": current, "base": base,
            "revealed": revealed, "ledger": list(selectors.member_ledger(member)[:60]), "today": today,
            "base_form": base_form or BaseForm(initial={"year": today.year, "basis": base.basis if base else
                                                        rates.DEFAULT_BASIS.get(member.category)})}


def mine(request):
    member = Member.objects.select_related("home_org").filter(user=request.user).first()
    require(member is not None)
    return render(request, "money/mine.html", _mine_context(request, member))


# --- arrears and hand-overs --------------------------------------------------------------------------------


def arrears(request, pk):
    organization = _organization(request.user, pk, READ_DUES)
    rows = selectors.arrears(organization, timezone.localdate())
    return render(request, "money/arrears.html", {
        "organization": organization, "warnings": [a for a in rows if a.warning],
        "reminders": [a for a in rows if not a.warning], "reminder_months": selectors.REMINDER_MONTHS,
        "warning_months": selectors.WARNING_MONTHS})


def handovers(request):
    user = request.user
    require(can_use_money(user))
    recording = [{"organization": o, "outstanding": services.outstanding(o)}
                 for o in selectors.handover_organizations(user)]
    return render(request, "money/handovers.html", {
        "handovers": list(selectors.handovers_for(user)[:100]), "recording": recording, "form": HandoverForm(),
        "confirmable": {h.pk for h in selectors.handovers_to_confirm(user)}})


@require_POST
def handover_new(request, pk):
    organization = Organization.objects.filter(pk=parse_id(pk), is_active=True).first()
    require(organization is not None and can_hand_over(request.user, organization))
    form = HandoverForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(" ".join(m for errors in form.errors.values() for m in errors))
        data = form.cleaned_data
        handover = services.hand_over(organization=organization, amount=data["amount"], handed_on=data["handed_on"],
                                      note=data["note"], by=request.user, request=request)
    except ValidationError as error:
        messages.error(request, messages_of(error))
    else:
        messages.success(request, _("%(amount)s yuan handed over to %(receiver)s; waiting for their confirmation.")
                         % {"amount": handover.amount, "receiver": handover.receiver.name})
    return redirect("money:handovers")


@require_POST
def handover_confirm(request, pk):
    handover = get_visible_or_404(DuesHandover.objects.select_related("receiver"), request.user, pk=parse_id(pk))
    require(can_confirm(request.user, handover))
    try:
        services.confirm_handover(handover=handover, by=request.user, request=request)
    except ValidationError as error:
        messages.error(request, messages_of(error))
    else:
        messages.success(request, _("Receipt confirmed."))
    return redirect("money:handovers")


# --- funds -------------------------------------------------------------------------------------------------


def _funds_context(request, organization, year, **forms):
    user = request.user
    return {"organization": organization, "year": year, "budget": selectors.budget(organization, year),
            "expenditures": list(selectors.expenditures(organization, year)[:200]),
            "approval_above": services.approval_above(organization),
            "may_record": can_record_funds(user, organization), "may_set": can_set_approval(user, organization),
            "line_form": forms.get("line_form") or BudgetLineForm(),
            "approval_form": forms.get("approval_form") or ApprovalAmountForm(
                initial={"approval_above": services.approval_above(organization)}),
            "years": range(timezone.localdate().year + 1, timezone.localdate().year - 4, -1)}


def funds(request, pk):
    organization = _organization(request.user, pk, READ_FUNDS, COMMUNITY_LEVEL)
    year = parse_year(request.GET.get("year"), timezone.localdate().year)
    return render(request, "money/funds.html", _funds_context(request, organization, year))


@require_POST
def budget_line(request, pk):
    organization = _organization(request.user, pk, RECORD_FUNDS, COMMUNITY_LEVEL)
    year = parse_year(request.POST.get("year"), timezone.localdate().year)
    form = BudgetLineForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.save_budget_line(organization=organization, year=year, source=data["source"],
                                      purpose=data["purpose"], amount=data["amount"], note=data["note"],
                                      by=request.user, request=request)
        except ValidationError as error:
            add_to_form(form, error)
        else:
            messages.success(request, _("The budget line is saved."))
            return redirect(f"{reverse('money:funds', args=[organization.pk])}?year={year}")
    return render(request, "money/funds.html", _funds_context(request, organization, year, line_form=form),
                  status=400)


@require_POST
def approval_setting(request, pk):
    organization = _organization(request.user, pk, APPROVE_EXPENDITURE, COMMUNITY_LEVEL)
    form = ApprovalAmountForm(request.POST)
    if form.is_valid():
        services.set_approval_above(organization=organization, amount=form.cleaned_data["approval_above"],
                                    by=request.user, request=request)
        messages.success(request, _("Saved."))
        return redirect("money:funds", organization.pk)
    year = timezone.localdate().year
    return render(request, "money/funds.html", _funds_context(request, organization, year, approval_form=form),
                  status=400)


def _expenditure_form(organization, data=None, files=None, initial=None):
    from gongzhi.meetings.models import Meeting
    from gongzhi.service.models import Activity

    today = timezone.localdate()
    lines = BudgetLine.objects.filter(organization=organization, year__gte=today.year - 1).order_by("-year", "source")
    activities = Activity.objects.filter(organization__path__startswith=organization.path).order_by("-starts_at")[:50]
    meetings = Meeting.objects.filter(organization__path__startswith=organization.path).order_by("-date")[:50]
    return ExpenditureForm(data, files, initial=initial, lines=lines,
                           activities=Activity.objects.filter(pk__in=[a.pk for a in activities]),
                           meetings=Meeting.objects.filter(pk__in=[m.pk for m in meetings]))


def expenditure_new(request, pk):
    organization = _organization(request.user, pk, RECORD_FUNDS, COMMUNITY_LEVEL)
    if request.method != "POST":
        form = _expenditure_form(organization, initial={"key": new_key(), "spent_on": timezone.localdate()})
        return render(request, "money/expenditure_form.html", {"organization": organization, "form": form,
                                                               "approval_above": services.approval_above(organization)})
    form = _expenditure_form(organization, request.POST, request.FILES)
    if form.is_valid():
        data = form.cleaned_data
        try:
            expenditure = services.record_expenditure(
                organization=organization, line=data["line"], spent_on=data["spent_on"], amount=data["amount"],
                purpose=data["purpose"], payee=data["payee"], receipt=data["receipt"], key=data["key"],
                activity=data["activity"], meeting=data["meeting"], by=request.user, request=request)
        except ValidationError as error:
            add_to_form(form, error)
        else:
            if expenditure.status == ExpenditureStatus.PENDING:
                messages.info(request, _("Recorded. Above %(amount)s yuan a second person's approval is needed "
                                         "before it counts.") % {"amount": services.approval_above(organization)})
            else:
                messages.success(request, _("Recorded; it counts against the budget line."))
            return redirect("money:expenditure", expenditure.pk)
    return render(request, "money/expenditure_form.html", {
        "organization": organization, "form": form, "approval_above": services.approval_above(organization)},
        status=400)


def expenditure(request, pk):
    item = get_visible_or_404(Expenditure.objects.select_related("organization", "line", "entered_by",
                                                                 "approved_by", "activity", "meeting"),
                              request.user, pk=parse_id(pk))
    return render(request, "money/expenditure.html", {
        "expenditure": item, "may_approve": can_approve(request.user, item),
        "may_reverse": can_set_approval(request.user, item.organization)
        and item.status == ExpenditureStatus.COUNTED,
        "entries": list(item.entries.order_by("id")), "form": DecisionForm()})


@require_POST
def expenditure_step(request, pk):
    item = get_visible_or_404(Expenditure, request.user, pk=parse_id(pk))
    form = DecisionForm(request.POST)
    require(form.is_valid())
    action, note = form.cleaned_data["action"], form.cleaned_data["note"]
    if action == "reverse":
        require(can_set_approval(request.user, item.organization))
    else:
        require(can_approve(request.user, item))
    try:
        if action == "reverse":
            services.reverse_expenditure(expenditure=item, reason=note, by=request.user, request=request)
        else:
            services.decide_expenditure(expenditure=item, approve=action == "approve", note=note, by=request.user,
                                        request=request)
    except ValidationError as error:
        messages.error(request, messages_of(error))
    else:
        messages.success(request, _("Done."))
    return redirect("money:expenditure", item.pk)


def receipt(request, pk):
    item = get_visible_or_404(Expenditure.objects.select_related("organization"), request.user, pk=parse_id(pk))
    require(can_read_funds(request.user, item.organization))
    try:
        handle = item.receipt.open("rb")
    except (FileNotFoundError, ValueError) as exc:
        raise Http404 from exc
    extension = {"application/pdf": "pdf", "image/jpeg": "jpg", "image/png": "png", "image/gif": "gif",
                 "image/webp": "webp"}.get(item.receipt_type, "bin")
    # A download, never shown inline: an uploaded file is not rendered in the application's origin.
    response = FileResponse(handle, content_type=item.receipt_type or "application/octet-stream")
    response["Content-Disposition"] = f'attachment; filename="receipt-{item.pk}.{extension}"'
    response["Cache-Control"] = "private, no-store"
    return response


# --- disclosure --------------------------------------------------------------------------------------------


def disclosure(request, pk):
    from gongzhi.publicity.models import Item
    from gongzhi.publicity.permissions import can_read_board

    from . import disclosure as texts

    organization = _organization(request.user, pk, READ_FUNDS, COMMUNITY_LEVEL)
    today = timezone.localdate()
    default = Period.containing("quarter", today).previous()
    period = parse_period(request.GET if request.method != "POST" else request.POST, default.start, "quarter")
    if request.method == "POST":
        require(can_record_funds(request.user, organization))
        try:
            item = services.publish_disclosure(organization=organization, period=period, by=request.user,
                                               request=request)
        except ValidationError as error:
            messages.error(request, messages_of(error))
        else:
            messages.success(request, _("The disclosure is on the publicity board, waiting for approval there."))
            if can_read_board(request.user, organization):
                return redirect("publicity:item", item.pk)
        return redirect(f"{reverse('money:disclosure', args=[organization.pk])}?period=quarter&year="
                        f"{period.start.year}&number={(period.start.month - 1) // 3 + 1}")
    source = services.disclosure_source(organization, period)
    published = Item.objects.filter(organization=organization, source=source).first()
    earlier = list(Item.objects.filter(organization=organization, source__startswith="money.disclosure:")
                   .order_by("-period_start")[:12])
    return render(request, "money/disclosure.html", {
        "organization": organization, "period": period, "text": texts.draft(organization, period),
        "title": texts.title(period), "item": published, "earlier": earlier,
        "may_publish": can_record_funds(request.user, organization),
        "may_read_board": can_read_board(request.user, organization),
        "quarters": [Period.quarter(y, q) for y in (today.year, today.year - 1) for q in (4, 3, 2, 1)
                     if Period.quarter(y, q).end < today]})


# --- exports -----------------------------------------------------------------------------------------------


def _xlsx_response(buffer: io.BytesIO, name: str) -> HttpResponse:
    response = HttpResponse(buffer.getvalue(),
                            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "private, no-store"
    return response


def export_dues(request, pk):
    """The year's dues of the organization's members, month by month: ID numbers masked, no income base;
    logged with the number of rows."""
    organization = _organization(request.user, pk, READ_DUES)
    year = parse_year(request.GET.get("year"), timezone.localdate().year)
    members = list(Member.objects.filter(home_org=organization).current().order_by("name_initials", "pk"))
    paid: dict[tuple[int, int], object] = {}
    for payment in DuesPayment.objects.live().filter(member__in=members, month__year=year):
        paid[(payment.member_id, payment.month.month)] = payment.amount
    audit.record(actor=request.user, action="money.dues.export", obj=organization, request=request,
                 detail={"rows": len(members), "year": year})
    buffer = io.BytesIO()
    book = spreadsheets.xlsx_book(buffer)
    sheet_ = book.add_worksheet(_("Dues %(year)s") % {"year": year})
    spreadsheets.write_row(sheet_, 0, [pgettext("person", "Name"), _("ID number")]
                           + [f"{year}-{m:02d}" for m in range(1, 13)] + [_("Total")])
    for index, member in enumerate(members, start=1):
        amounts = [paid.get((member.pk, m)) for m in range(1, 13)]
        spreadsheets.write_row(sheet_, index, [member.name, mask_id_number(member.id_number)] + amounts
                               + [sum(a for a in amounts if a is not None)])
    book.close()
    return _xlsx_response(buffer, f"dues-{organization.code}-{year}.xlsx")


def export_funds(request, pk):
    """The yearly account: budget against spent per line, then every expenditure (no personal data)."""
    organization = _organization(request.user, pk, READ_FUNDS, COMMUNITY_LEVEL)
    year = parse_year(request.GET.get("year"), timezone.localdate().year)
    account = selectors.budget(organization, year)
    items = list(selectors.expenditures(organization, year))
    audit.record(actor=request.user, action="money.funds.export", obj=organization, request=request,
                 detail={"rows": len(items), "year": year})
    buffer = io.BytesIO()
    book = spreadsheets.xlsx_book(buffer)
    lines = book.add_worksheet(_("Budget %(year)s") % {"year": year})
    spreadsheets.write_row(lines, 0, [_("Source"), _("Purpose"), _("Budget"), _("Spent"), _("Remaining")])
    for index, line in enumerate(account["lines"], start=1):
        spreadsheets.write_row(lines, index, [line.get_source_display(), line.get_purpose_display(), line.amount,
                                              line.spent, line.remaining])
    spreadsheets.write_row(lines, len(account["lines"]) + 1, [_("Total"), "", account["budget"], account["spent"],
                                                              account["remaining"]])
    ledger = book.add_worksheet(_("Expenditures"))
    spreadsheets.write_row(ledger, 0, [_("Date"), _("Amount"), _("What for"), _("Payee"), _("Budget line"),
                                       _("Status"), _("Activity or meeting")])
    for index, item in enumerate(items, start=1):
        served = item.activity.title if item.activity else (item.meeting.topic if item.meeting else "")
        spreadsheets.write_row(ledger, index, [item.spent_on, item.amount, item.purpose, item.payee, str(item.line),
                                               item.get_status_display(), served])
    book.close()
    return _xlsx_response(buffer, f"funds-{organization.code}-{year}.xlsx")


# --- bank statement import ---------------------------------------------------------------------------------

STATEMENTS = imports.PendingImports("money.statement")


def _pending_statement(request, organization, token=None):
    found = STATEMENTS.get(request, token)
    if found is None or found[1].get("org") != organization.pk:
        return None
    try:
        return statement.read_statement(found[0], organization), found[1]
    except (imports.FileRefused, OSError):
        return None


def statement_import(request, pk):
    """Upload → preview (every row checked, nothing written) → confirm (all rows in one transaction, or none)."""
    organization = _organization(request.user, pk, RECORD_DUES)
    context = {"organization": organization}
    if request.method != "POST":
        return render(request, "money/statement.html", context)
    if request.POST.get("action") == "confirm":
        with transaction.atomic():
            found = _pending_statement(request, organization, request.POST.get("token", ""))
            if found is None:
                messages.error(request, _("This import has expired or was already done. Upload the file again."))
                return redirect("money:statement_import", organization.pk)
            plan, meta = found
            try:
                count = statement.apply(plan=plan, organization=organization, token=meta["token"], by=request.user,
                                        request=request)
            except ValidationError as error:
                messages.error(request, messages_of(error))
                return redirect("money:statement_import", organization.pk)
        STATEMENTS.discard(request)
        messages.success(request, _("Imported: %(n)s months paid.") % {"n": count})
        return redirect("money:sheet", organization.pk)
    upload = request.FILES.get("file")
    if upload is None:
        context["error"] = _("Choose the statement file (.xlsx, .xls or .ods).")
        return render(request, "money/statement.html", context, status=400)
    try:
        path = STATEMENTS.store(request, upload, org=organization.pk)
        imports.check_upload(path)
        plan = statement.read_statement(path, organization)
    except imports.FileRefused as exc:
        STATEMENTS.discard(request)
        context["error"] = str(exc)
        return render(request, "money/statement.html", context, status=400)
    context.update(plan=plan, token=STATEMENTS.get(request)[1]["token"])
    return render(request, "money/statement.html", context)


def statement_report(request, pk):
    """The uploaded statement back, row for row, with the reason beside each refused row (logged)."""
    organization = _organization(request.user, pk, RECORD_DUES)
    found = _pending_statement(request, organization)
    if found is None:
        messages.error(request, _("There is no checked statement to report on. Upload the file again."))
        return redirect("money:statement_import", organization.pk)
    plan, _meta = found
    content = imports.report_workbook(plan.sheet, plan.header, plan, sheet_name=_("Statement report"))
    audit.record(actor=request.user, action="money.dues.import_report", obj=organization, request=request,
                 detail={"rows": len(plan.rows), "problems": len(plan.problems)})
    return _xlsx_response(io.BytesIO(content), "statement-report.xlsx")
