"""The supervision committee's pages: overview, checks, rectifications with evidence, complaints (public form,
tracking by receipt, handling), the audit log of a scope and the yearly summary. Thin: parse, authorise,
call a service or selector, render."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from gongzhi.core import audit, ratelimit, spreadsheets
from gongzhi.core.edge import require
from gongzhi.core.periods import parse_year
from gongzhi.core.scoping import get_visible_or_404
from gongzhi.orgs.models import COMMUNITY_LEVEL, UPPER_LEVEL, Organization

from . import selectors, services
from .forms import (
    AuditFilterForm,
    ComplaintForm,
    ConclusionForm,
    NoteForm,
    ProgressForm,
    ReceiptForm,
    RectificationForm,
    SupervisionItemForm,
    VerifyForm,
)
from .models import (
    Complaint,
    ComplaintStatus,
    Evidence,
    Rectification,
    RectificationStatus,
    SupervisionItem,
)
from .permissions import (
    READ_SUPERVISION,
    RECORD_SUPERVISION,
    SUMMARISE,
    can_handle_complaints,
    can_read_audit_log,
    can_record,
    can_report,
    can_summarise,
    can_use_supervision,
    can_verify,
    is_committee,
)


def _errors(error: ValidationError) -> str:
    return " ".join(error.messages)


def _form_errors(form) -> str:
    return " ".join(m for errors in form.errors.values() for m in errors)


# --- public: complaints and tracking -----------------------------------------------------------------


def _complaint_form(community, data=None):
    from gongzhi.orgs.models import BRANCH_LEVEL

    organizations = list(Organization.objects.filter(
        path__startswith=community.path, is_active=True, kind__in=COMMUNITY_LEVEL | BRANCH_LEVEL).order_by("path"))
    return ComplaintForm(data, community=community, organizations=organizations,
                         roles=list(services.complaint_subjects(community)))


@login_not_required
@sensitive_post_parameters("contact_name", "contact_phone", "text")
def complain(request, code):
    community = get_object_or_404(Organization, code=code, kind__in=COMMUNITY_LEVEL, is_active=True)
    form = _complaint_form(community, request.POST or None)
    status = 200
    if request.method == "POST":
        if not form.is_valid():
            status = 400
        elif not ratelimit.allow(request, "complaint"):
            # Counted once a complaint would be written: corrections of a form are not a flood.
            form.add_error(None, _("Too many complaints have been sent from this device in the past hour. Please try "
                                   "again later, or speak to the supervision committee in person."))
            status = 429
        else:
            data = form.cleaned_data
            user = request.user if request.user.is_authenticated else None
            try:
                complaint, receipt = services.submit_complaint(
                    community=community, organization=data["organization"], subject_user=data["subject_user"],
                    subject_role=data["subject_role"], kind=data["kind"], text=data["text"],
                    anonymous=data["anonymous"], submitted_by=None if data["anonymous"] else user,
                    contact_name=data["contact_name"], contact_phone=data["contact_phone"],
                    request=None if data["anonymous"] else request)
            except ValidationError as error:
                form.add_error(None, _errors(error))
                status = 400
            else:
                response = render(request, "supervision/complained.html", {
                    "complaint": complaint, "receipt": receipt, "community": community})
                response["Cache-Control"] = "no-store"
                return response
    return render(request, "supervision/complain.html", {"form": form, "community": community}, status=status)


@login_not_required
@sensitive_post_parameters("receipt")
def track(request):
    """Follow a complaint with its receipt (sent by POST, so that it never sits in an address or a log)."""
    form = ReceiptForm(request.POST or None)
    complaint, status = None, 200
    if request.method == "POST":
        if not ratelimit.allow(request, "complaint_track"):
            form.add_error(None, _("Too many attempts from this device; please try again in an hour."))
            status = 429
        elif form.is_valid():
            complaint = services.find_by_receipt(form.cleaned_data["receipt"])
            if complaint is None:
                form.add_error("receipt", _("No complaint has this receipt. Check it and try again."))
                status = 404
        else:
            status = 400
    context = {"form": form, "complaint": complaint}
    if complaint is not None:
        context["replies"] = [e for e in complaint.events.all() if e.shown_to_complainant]
    response = render(request, "supervision/track.html", context, status=status)
    response["Cache-Control"] = "no-store"
    return response


# --- the committee's overview, checks and rectifications ---------------------------------------------


def index(request):
    require(can_use_supervision(request.user) or can_handle_complaints(request.user))
    today = timezone.localdate()
    return render(request, "supervision/index.html", {
        "rows": selectors.overview(request.user, today) if is_committee(request.user) else [],
        "mine": list(selectors.open_for_owner(request.user).select_related("organization").order_by("deadline")[:20]),
        "today": today, "committee": is_committee(request.user),
        "complaints": selectors.complaints_for(request.user).open().count(),
        "may_handle": can_handle_complaints(request.user), "may_audit": can_read_audit_log(request.user),
        "may_summarise": SUMMARISE.anywhere(request.user)})


def items(request):
    require(can_use_supervision(request.user))
    page = Paginator(selectors.items_for(request.user).order_by("-checked_on", "-id"), 25).get_page(
        request.GET.get("page"))
    return render(request, "supervision/items.html", {"page": page, "committee": is_committee(request.user)})


def item_new(request):
    require(is_committee(request.user))
    organizations = Organization.objects.where_user_can(request.user, RECORD_SUPERVISION).filter(
        is_active=True).order_by("path")
    form = SupervisionItemForm(request.POST or None, organizations=organizations,
                               initial={"checked_on": timezone.localdate(), "organization": organizations.first()})
    if request.method == "POST":
        if form.is_valid():
            try:
                item = services.record_item(by=request.user, request=request, **form.cleaned_data)
            except ValidationError as error:
                form.add_error(None, _errors(error))
            else:
                messages.success(request, _("The check is recorded."))
                return redirect("supervision:item", pk=item.pk)
        return render(request, "supervision/item_form.html", {"form": form}, status=400)
    return render(request, "supervision/item_form.html", {"form": form})


def _item(request, pk) -> SupervisionItem:
    return get_visible_or_404(SupervisionItem.objects.where_user_can(request.user, READ_SUPERVISION)
                              .select_related("organization", "recorded_by"), request.user, pk=pk)


def item_detail(request, pk):
    item = _item(request, pk)
    may_order = can_record(request.user, item.organization)
    return render(request, "supervision/item.html", {
        "item": item, "rectifications": list(item.rectifications.select_related("owner", "organization")),
        "today": timezone.localdate(),
        "form": RectificationForm(people=services.responsible_people(item.organization)) if may_order else None})


@require_POST
def item_rectify(request, pk):
    item = _item(request, pk)
    require(can_record(request.user, item.organization))
    form = RectificationForm(request.POST, people=services.responsible_people(item.organization))
    if not form.is_valid():
        messages.error(request, _form_errors(form))
        return redirect("supervision:item", pk=item.pk)
    try:
        rectification = services.order_rectification(item=item, by=request.user, request=request,
                                                     **form.cleaned_data)
    except ValidationError as error:
        messages.error(request, _errors(error))
        return redirect("supervision:item", pk=item.pk)
    messages.success(request, _("The rectification is ordered; the person responsible has been told."))
    return redirect("supervision:rectification", pk=rectification.pk)


def rectifications(request):
    require(can_use_supervision(request.user) or selectors.open_for_owner(request.user).exists())
    today = timezone.localdate()
    rows = selectors.rectifications_for(request.user).order_by("status", "deadline", "id")
    status = request.GET.get("status", "")
    if status in RectificationStatus.values:
        rows = rows.filter(status=status)
    overdue = request.GET.get("overdue") == "1"
    if overdue:
        rows = rows.filter(status=RectificationStatus.OPEN, deadline__lt=today)
    page = Paginator(rows, 25).get_page(request.GET.get("page"))
    return render(request, "supervision/rectifications.html", {
        "page": page, "status": status, "overdue": overdue, "statuses": RectificationStatus.choices,
        "today": today})


def _rectification(request, pk) -> Rectification:
    rectification = get_object_or_404(selectors.rectifications_for(request.user), pk=pk)
    return rectification


def rectification_detail(request, pk):
    rectification = _rectification(request, pk)
    user = request.user
    return render(request, "supervision/rectification.html", {
        "r": rectification, "today": timezone.localdate(),
        "events": list(rectification.events.select_related("actor").prefetch_related("files")),
        "progress_form": ProgressForm() if rectification.status == RectificationStatus.OPEN
        and can_report(user, rectification) else None,
        "verify_form": VerifyForm() if rectification.status == RectificationStatus.REPORTED
        and can_verify(user, rectification) else None})


@require_POST
def rectification_report(request, pk):
    rectification = _rectification(request, pk)
    require(can_report(request.user, rectification))
    form = ProgressForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _form_errors(form))
    else:
        try:
            services.report_progress(rectification=rectification, note=form.cleaned_data["note"],
                                     files=form.cleaned_data["files"], done=form.cleaned_data["done"],
                                     by=request.user, request=request)
        except ValidationError as error:
            messages.error(request, _errors(error))
        else:
            messages.success(request, _("Reported to the committee.") if form.cleaned_data["done"]
                             else _("Progress recorded."))
    return redirect("supervision:rectification", pk=rectification.pk)


@require_POST
def rectification_verify(request, pk):
    rectification = _rectification(request, pk)
    require(can_verify(request.user, rectification))
    form = VerifyForm(request.POST)
    if not form.is_valid():
        messages.error(request, _form_errors(form))
    else:
        try:
            services.verify(rectification=rectification, accept=form.cleaned_data["decision"] == "close",
                            note=form.cleaned_data["note"], by=request.user, request=request)
        except ValidationError as error:
            messages.error(request, _errors(error))
        else:
            messages.success(request, _("Done."))
    return redirect("supervision:rectification", pk=rectification.pk)


def evidence_file(request, pk, file_pk):
    rectification = _rectification(request, pk)
    evidence = get_object_or_404(Evidence, rectification=rectification, pk=file_pk)
    from gongzhi.publicity.uploads import IMAGE_TYPES

    return FileResponse(evidence.file.open("rb"), content_type=evidence.content_type,
                        as_attachment=evidence.content_type not in IMAGE_TYPES, filename=evidence.name)


# --- complaints (handlers) -----------------------------------------------------------------------------


def complaints(request):
    require(can_handle_complaints(request.user))
    today = timezone.localdate()
    rows = selectors.complaints_for(request.user).order_by("status", "-received_on", "-id")
    status = request.GET.get("status", "")
    if status in ComplaintStatus.values:
        rows = rows.filter(status=status)
    page = Paginator(rows, 25).get_page(request.GET.get("page"))
    return render(request, "supervision/complaints.html", {
        "page": page, "status": status, "statuses": ComplaintStatus.choices, "today": today})


def _complaint(request, pk) -> Complaint:
    return get_object_or_404(selectors.complaints_for(request.user).select_related("subject_user"), pk=pk)


def complaint_detail(request, pk):
    complaint = _complaint(request, pk)
    return render(request, "supervision/complaint.html", {
        "c": complaint, "events": list(complaint.events.select_related("actor")), "today": timezone.localdate(),
        "note_form": NoteForm(), "conclusion_form": ConclusionForm(),
        "open": complaint.status != ComplaintStatus.CONCLUDED})


@require_POST
def complaint_step(request, pk):
    complaint = _complaint(request, pk)
    action = request.POST.get("action", "")
    try:
        if action == "take_up":
            services.take_up(complaint=complaint, by=request.user, request=request)
        elif action == "note":
            form = NoteForm(request.POST)
            if not form.is_valid():
                raise ValidationError(_form_errors(form))
            services.add_note(complaint=complaint, by=request.user, request=request, **form.cleaned_data)
        elif action == "conclude":
            form = ConclusionForm(request.POST)
            if not form.is_valid():
                raise ValidationError(_form_errors(form))
            services.conclude(complaint=complaint, by=request.user, request=request, **form.cleaned_data)
        else:
            raise ValidationError(_("The request could not be understood."))
    except ValidationError as error:
        messages.error(request, _errors(error))
    else:
        messages.success(request, _("Done."))
    return redirect("supervision:complaint", pk=complaint.pk)


@require_POST
def complaint_reveal(request, pk):
    """The complainant's contact for a handler who must call back; refused for an anonymous complaint."""
    complaint = _complaint(request, pk)
    try:
        contact = services.reveal_contact(complaint=complaint, by=request.user, request=request)
    except ValidationError as error:
        messages.error(request, _errors(error))
        return render(request, "supervision/complaint.html", {
            "c": complaint, "events": list(complaint.events.select_related("actor")),
            "today": timezone.localdate(), "note_form": NoteForm(), "conclusion_form": ConclusionForm(),
            "open": complaint.status != ComplaintStatus.CONCLUDED}, status=409)
    response = render(request, "supervision/complaint.html", {
        "c": complaint, "events": list(complaint.events.select_related("actor")), "today": timezone.localdate(),
        "note_form": NoteForm(), "conclusion_form": ConclusionForm(), "contact": contact,
        "open": complaint.status != ComplaintStatus.CONCLUDED})
    response["Cache-Control"] = "no-store"
    return response


def complaints_export(request):
    """The complaints the user handles as CSV: no identity of anonymous complainants (there is none), the
    phone of the others masked; logged with the number of rows."""
    from gongzhi.core.personal import mask_phone

    require(can_handle_complaints(request.user))
    rows = list(selectors.complaints_for(request.user).order_by("-received_on", "-id")[:5000])
    audit.record(actor=request.user, action="supervision.complaint.export", request=request,
                 detail={"rows": len(rows)})
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="complaints.csv"'
    response.write("\ufeff")
    writer = spreadsheets.csv_writer(response)
    writer.writerow([_("Reference"), _("Received on"), _("Answer due"), _("Kind"), _("Organization concerned"),
                     _("Status"), _("Anonymous"), _("Contact phone"), _("What happened"), _("Conclusion")])
    for c in rows:
        writer.writerow([c.reference, c.received_on.isoformat(), c.answer_due.isoformat(), c.get_kind_display(),
                         c.organization.name, c.get_status_display(), _("yes") if c.anonymous else _("no"),
                         "" if c.anonymous else mask_phone(c.contact_phone), c.text, c.conclusion])
    return response


# --- audit log and yearly summary -----------------------------------------------------------------------


def audit_log(request):
    from .permissions import READ_AUDIT_LOG

    require(can_read_audit_log(request.user))
    form = AuditFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_bound and form.is_valid() else {}
    org_id = request.GET.get("org", "")
    organization = None
    if org_id.isdigit():
        organization = Organization.objects.filter(READ_AUDIT_LOG.q(request.user, "path", None),
                                                   pk=int(org_id)).first()
        require(organization is not None)
    rows = selectors.audit_events(request.user, organization=organization, action=filters.get("action", ""),
                                  start=filters.get("start"), end=filters.get("end"))
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    return render(request, "supervision/audit.html", {"page": page, "form": form, "organization": organization})


def summary(request):
    today = timezone.localdate()
    candidates = (Organization.objects.where_user_can(request.user, SUMMARISE)
                  .filter(is_active=True, kind__in=UPPER_LEVEL | COMMUNITY_LEVEL).order_by("path"))
    org_id = request.GET.get("org", "")
    organization = candidates.filter(pk=int(org_id)).first() if org_id.isdigit() else candidates.first()
    require(organization is not None and can_summarise(request.user, organization))
    year = parse_year(request.GET.get("year"), today.year)
    return render(request, "supervision/summary.html", {
        "s": selectors.yearly_summary(organization, year), "year": year, "organization": organization,
        "candidates": candidates})
