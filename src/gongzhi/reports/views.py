"""The reports' pages: "my reports" with the forms to ask for a summary or a workbook (and their progress), the
summary page where the secretary edits the drafted narrative and keeps or drops the proposed problems, and the
logged downloads. Thin: parse, authorise, call a service or selector, render."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gongzhi.core.edge import messages_of, require
from gongzhi.core.periods import parse_period, parse_year
from gongzhi.core.scoping import get_visible_or_404, parse_id

from . import selectors, services
from .document import slots, summary_docx
from .feedback import feedback_docx, feedback_period_kind
from .feedback import reported_members as feedback_members
from .feedback import rows as feedback_rows
from .forms import StatisticsRequestForm, SummaryRequestForm
from .models import EvaluationGrade, ReportStatus, UnitFeedback
from .permissions import STATISTICS, WRITE_SUMMARY, can_read_unit_feedback, can_send_feedback, can_use_reports

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
               "others": selectors.others_summaries(request.user), "units": selectors.feedback_units(request.user)}
    if request.htmx:
        return render(request, "reports/index.html#my-reports", context)
    return render(request, "reports/index.html", context, status=status)


@require_POST
def summary_new(request):
    require(WRITE_SUMMARY.anywhere(request.user))
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
    require(STATISTICS.anywhere(request.user))
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


# --- feedback to co-building units --------------------------------------------------------------


def _unit(request, pk):
    from gongzhi.orgs.models import CoBuildingUnit

    unit = get_visible_or_404(CoBuildingUnit.objects.select_related("organization"), request.user,
                              organization_id=pk)
    require(can_read_unit_feedback(request.user, unit))
    return unit


def _feedback_period(request):
    kind = request.GET.get("period") or request.POST.get("period") or feedback_period_kind()
    params = {**request.GET.dict(), **request.POST.dict(), "period": kind if kind in ("quarter", "half") else
              feedback_period_kind()}
    today = timezone.localdate()
    return parse_period(params, today, default_kind=params["period"])


def unit_feedback(request, pk):
    unit = _unit(request, pk)
    period = _feedback_period(request)
    communities = [a.community for a in unit.agreements.select_related("community").order_by("community__path")
                   if can_send_feedback(request.user, a.community)]
    live = [{"community": c, "rows": feedback_rows(unit, c, period)} for c in communities]
    return render(request, "reports/unit_feedback.html", {
        "unit": unit, "period": period, "number": _number(period), "live": live, "grades": EvaluationGrade.choices,
        "sent": UnitFeedback.objects.visible_to(request.user).filter(unit=unit).select_related("community")[:40]})


def _sendable_community(request, unit):
    community_id = parse_id(request.POST.get("community"))
    agreement = unit.agreements.select_related("community").filter(community_id=community_id or 0).first()
    require(agreement is not None and can_send_feedback(request.user, agreement.community))
    return agreement.community


@require_POST
def unit_feedback_send(request, pk):
    unit = _unit(request, pk)
    community = _sendable_community(request, unit)
    period = _feedback_period(request)
    try:
        services.send_feedback(unit=unit, community=community, period=period, by=request.user)
    except ValidationError as error:
        messages.error(request, messages_of(error))
    else:
        messages.success(request, _("The feedback for %(period)s was sent to %(unit)s.") % {
            "period": period.label, "unit": unit.name})
    return redirect(f"{reverse('reports:unit_feedback', args=[pk])}?period={period.kind}&year={period.start.year}"
                    f"&number={_number(period)}")


def _number(period) -> int:
    return (period.start.month - 1) // (6 if period.kind == "half" else 3) + 1


@require_POST
def unit_evaluate(request, pk):
    unit = _unit(request, pk)
    community = _sendable_community(request, unit)
    member = feedback_members(unit, community).filter(pk=parse_id(request.POST.get("member")) or 0).first()
    require(member is not None)
    year = parse_year(request.POST.get("year"), timezone.localdate().year)
    try:
        services.evaluate_member(member=member, community=community, year=year, grade=request.POST.get("grade", ""),
                                 comment=request.POST.get("comment", ""), by=request.user)
    except ValidationError as error:
        messages.error(request, messages_of(error))
    else:
        messages.success(request, _("Evaluation of %(name)s recorded.") % {"name": member.name})
    period = _feedback_period(request)
    return redirect(f"{reverse('reports:unit_feedback', args=[pk])}?period={period.kind}&year={period.start.year}"
                    f"&number={_number(period)}")


def feedback_download(request, pk):
    feedback = get_visible_or_404(UnitFeedback.objects.select_related("unit__organization", "community"),
                                  request.user, pk=pk)
    require(can_read_unit_feedback(request.user, feedback.unit))
    content = feedback_docx(feedback)
    services.record_download(obj=feedback, by=request.user, request=request)
    response = HttpResponse(content, content_type=DOCX)
    response["Content-Disposition"] = (f'attachment; filename="feedback-{feedback.unit.organization.code}-'
                                       f'{feedback.starts_on.isoformat()}.docx"')
    return response
