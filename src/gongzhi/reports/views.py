"""The reports' pages: "my reports" with the forms to ask for a summary or a workbook (and their progress), the
summary page where the secretary edits the drafted narrative and keeps or drops the proposed problems, and the
logged downloads. Thin: parse, authorise, call a service or selector, render."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gongzhi.core.edge import messages_of, require
from gongzhi.core.scoping import get_visible_or_404, parse_id

from . import selectors, services
from .document import slots, summary_docx
from .forms import StatisticsRequestForm, SummaryRequestForm
from .models import ReportStatus
from .permissions import can_use_reports

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _forms(request, summary_form=None, statistics_form=None) -> dict:
    return {"summary_form": summary_form or SummaryRequestForm(
                organizations=selectors.summary_organizations(request.user)),
            "statistics_form": statistics_form or StatisticsRequestForm(
                organizations=selectors.statistics_organizations(request.user))}


def _pending(reports: dict) -> bool:
    return any(r.status == ReportStatus.PENDING for group in reports.values() for r in group)


def index(request, summary_form=None, statistics_form=None, status=200):
    require(can_use_reports(request.user))
    reports = selectors.my_reports(request.user)
    context = {"reports": reports, "pending": _pending(reports), **_forms(request, summary_form, statistics_form),
               "others": selectors.others_summaries(request.user)}
    if request.htmx:
        return render(request, "reports/index.html#my-reports", context)
    return render(request, "reports/index.html", context, status=status)


@require_POST
def summary_new(request):
    require(can_use_reports(request.user))
    form = SummaryRequestForm(request.POST, organizations=selectors.summary_organizations(request.user))
    if not form.is_valid():
        return index(request, summary_form=form, status=400)
    summary = services.request_summary(organization=form.cleaned_data["organization"],
                                       period=form.cleaned_data["the_period"],
                                       language=form.cleaned_data["language"], by=request.user)
    return redirect("reports:summary", pk=summary.pk)


def _summary(request, pk):
    return get_visible_or_404(selectors.summaries_for(request.user), request.user, pk=pk)


def summary(request, pk):
    summary = _summary(request, pk)
    context = {"summary": summary, "job": summary.job}
    if request.htmx or summary.status != ReportStatus.READY:
        if request.htmx:
            response = render(request, "reports/summary.html#progress", context)
            if summary.status == ReportStatus.READY:
                response["HX-Refresh"] = "true"  # the editor replaces the progress
            return response
        return render(request, "reports/summary.html", context)
    problems = summary.problems
    context.update({"slots": [{**slot, "text": summary.narrative.get(slot["key"], "")} for slot in slots(summary)],
                    "plans": summary.narrative.get("plans", ""), "problems": problems,
                    "history": selectors.history(summary), "frozen": summary.figures})
    return render(request, "reports/summary.html", context)


@require_POST
def summary_save(request, pk):
    summary = _summary(request, pk)
    keys = [slot["key"] for slot in slots(summary)] + ["plans"] if summary.status == ReportStatus.READY else []
    narrative = {key: request.POST.get(f"text-{key}", "") for key in keys}
    problems = []
    for index, proposed in enumerate(summary.problems):
        problems.append({"key": proposed.get("key", ""), "text": request.POST.get(f"problem-{index}-text",
                                                                                  proposed.get("text", "")),
                         "kept": request.POST.get(f"problem-{index}-kept") == "on"})
    for line in request.POST.get("problem-new", "").splitlines():
        if line.strip():
            problems.append({"key": "own", "text": line.strip(), "kept": True})
    try:
        draft = services.save_draft(summary=summary, narrative=narrative, problems=problems, by=request.user)
    except ValidationError as error:
        messages.error(request, messages_of(error))
    else:
        messages.success(request, _("Draft %(n)s saved.") % {"n": draft.number})
    return redirect("reports:summary", pk=summary.pk)


@require_POST
def summary_restore(request, pk):
    summary = _summary(request, pk)
    number = parse_id(request.POST.get("draft"))
    try:
        draft = services.restore_draft(summary=summary, number=number or 0, by=request.user)
    except ValidationError as error:
        messages.error(request, messages_of(error))
    else:
        messages.success(request, _("The earlier text is back as draft %(n)s.") % {"n": draft.number})
    return redirect("reports:summary", pk=summary.pk)


def summary_download(request, pk):
    summary = _summary(request, pk)
    require(summary.status == ReportStatus.READY)
    content = summary_docx(summary)
    services.record_download(obj=summary, by=request.user, request=request)
    response = HttpResponse(content, content_type=DOCX)
    response["Content-Disposition"] = (f'attachment; filename="summary-{summary.organization.code}-'
                                       f'{summary.starts_on.isoformat()}-{summary.ends_on.isoformat()}.docx"')
    return response


@require_POST
def statistics_new(request):
    require(can_use_reports(request.user))
    form = StatisticsRequestForm(request.POST, organizations=selectors.statistics_organizations(request.user))
    if not form.is_valid():
        return index(request, statistics_form=form, status=400)
    services.request_statistics(organization=form.cleaned_data["organization"], at_date=form.cleaned_data["at_date"],
                                language=form.cleaned_data["language"], by=request.user)
    messages.success(request, _("The workbook is being produced; it appears in your reports when ready."))
    return redirect("reports:index")


def statistics_download(request, pk):
    book = get_visible_or_404(selectors.workbooks_for(request.user), request.user, pk=pk)
    require(book.status == ReportStatus.READY and bool(book.file))
    services.record_download(obj=book, by=request.user, request=request)
    return FileResponse(book.file.open("rb"), content_type=XLSX, as_attachment=True,
                        filename=f"statistics-{book.organization.code}-{book.at_date.isoformat()}.xlsx")
