"""Every write of the reports: asking for a work summary or a statistical workbook (a background job),
producing it (the task calls these), saving the secretary's draft, and logging each download."""

from __future__ import annotations

import logging
from datetime import date

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from gongzhi.core import audit
from gongzhi.core.models import Job, JobStatus
from gongzhi.core.periods import Period

from .models import ReportStatus, StatisticsWorkbook, SummaryDraft, WorkSummary

logger = logging.getLogger(__name__)

MAX_TEXT = 20_000
MAX_PROBLEMS = 50


def _job(kind: str, organization, by) -> Job:
    return Job.objects.create(kind=kind, organization=organization, created_by=by, status=JobStatus.QUEUED)


def _progress(job_id):
    def tell(done: int, total: int) -> None:
        Job.objects.filter(pk=job_id).update(status=JobStatus.RUNNING, progress=done, total=total,
                                             updated_at=timezone.now())
    return tell


def _fail(job_id, error: Exception) -> None:
    logger.exception("report failed")
    Job.objects.filter(pk=job_id).update(status=JobStatus.FAILED, message=f"{type(error).__name__}: {error}"[:500],
                                         updated_at=timezone.now())


# -- work summary ---------------------------------------------------------------------------------

def request_summary(*, organization, period: Period, language: str, by) -> WorkSummary:
    """Ask for the work summary of ``organization`` for ``period``: the figures are computed and frozen in
    the background (``tasks.produce_summary``)."""
    from .tasks import produce_summary_task

    with transaction.atomic():
        job = _job("reports.summary", organization, by)
        summary = WorkSummary.objects.create(organization=organization, period_kind=period.kind,
                                             starts_on=period.start, ends_on=period.end, language=language,
                                             job=job, created_by=by)
        audit.record(actor=by, action="reports.summary.request", obj=summary,
                     detail={"start": period.start.isoformat(), "end": period.end.isoformat()})
        transaction.on_commit(lambda: produce_summary_task.enqueue(str(summary.pk)))
    return summary


def produce_summary(summary_id: str) -> None:
    """Compute, freeze and draft a requested summary; a failure is kept on the summary and its job."""
    from .figures import freeze
    from .narrative import draft, propose_problems

    summary = WorkSummary.objects.select_related("organization").get(pk=summary_id)
    job_id = summary.job_id
    Job.objects.filter(pk=job_id).update(status=JobStatus.RUNNING, updated_at=timezone.now())
    try:
        with translation.override(summary.language):
            frozen = freeze(summary.organization, summary.period, progress=_progress(job_id))
            narrative = draft(frozen)
            problems = propose_problems(frozen, summary.organization, summary.period)
    except Exception as error:  # noqa: BLE001 - any failure is shown on the page, not lost
        _fail(job_id, error)
        WorkSummary.objects.filter(pk=summary.pk).update(status=ReportStatus.FAILED)
        return
    with transaction.atomic():
        summary = WorkSummary.objects.select_for_update().get(pk=summary.pk)
        summary.figures, summary.computed_at = frozen, timezone.now()
        summary.narrative, summary.problems, summary.status = narrative, problems, ReportStatus.READY
        summary.save(update_fields=["figures", "computed_at", "narrative", "problems", "status", "updated_at"])
        Job.objects.filter(pk=job_id).update(status=JobStatus.DONE, updated_at=timezone.now())
        audit.record(actor=summary.created_by, action="reports.summary.produce", obj=summary)


def save_draft(*, summary: WorkSummary, narrative: dict[str, str], problems: list[dict], by) -> SummaryDraft:
    """Keep the secretary's text and choice of problems as the summary's next draft (the earlier ones stay)."""
    if summary.status != ReportStatus.READY:
        raise ValidationError(_("The summary is not ready yet."))
    narrative = {str(k)[:64]: str(v)[:MAX_TEXT] for k, v in narrative.items()}
    problems = [{"key": str(p.get("key", ""))[:80], "text": str(p.get("text", "")).strip()[:1000],
                 "kept": bool(p.get("kept"))} for p in problems[:MAX_PROBLEMS] if str(p.get("text", "")).strip()]
    with transaction.atomic():
        locked = WorkSummary.objects.select_for_update().get(pk=summary.pk)
        locked.drafts += 1
        draft = SummaryDraft.objects.create(summary=locked, number=locked.drafts, narrative=narrative,
                                            problems=problems, saved_by=by)
        locked.narrative, locked.problems = narrative, problems
        locked.save(update_fields=["drafts", "narrative", "problems", "updated_at"])
        audit.record(actor=by, action="reports.summary.edit", obj=locked, detail={"draft": draft.number})
    summary.refresh_from_db()
    return draft


def restore_draft(*, summary: WorkSummary, number: int, by) -> SummaryDraft:
    """Make an earlier draft the current text again (as a new draft, so nothing is lost)."""
    earlier = SummaryDraft.objects.filter(summary=summary, number=number).first()
    if earlier is None:
        raise ValidationError(_("There is no such draft."))
    return save_draft(summary=summary, narrative=earlier.narrative, problems=earlier.problems, by=by)


def record_download(*, obj, by, request=None) -> None:
    """Log a download of a summary or a workbook."""
    action = "reports.summary.download" if isinstance(obj, WorkSummary) else "reports.statistics.download"
    audit.record(actor=by, action=action, obj=obj, request=request)


# -- statistical tables -------------------------------------------------------------------------

def request_statistics(*, organization, at_date: date, language: str, by) -> StatisticsWorkbook:
    from .tasks import produce_statistics_task

    with transaction.atomic():
        job = _job("reports.statistics", organization, by)
        book = StatisticsWorkbook.objects.create(organization=organization, at_date=at_date, language=language,
                                                 job=job, created_by=by)
        audit.record(actor=by, action="reports.statistics.request", obj=book, detail={"at": at_date.isoformat()})
        transaction.on_commit(lambda: produce_statistics_task.enqueue(str(book.pk)))
    return book


def produce_statistics(book_id: str) -> None:
    from .statistics import compute, workbook

    book = StatisticsWorkbook.objects.select_related("organization").get(pk=book_id)
    job_id = book.job_id
    Job.objects.filter(pk=job_id).update(status=JobStatus.RUNNING, updated_at=timezone.now())
    try:
        with translation.override(book.language):
            computed = compute(book.organization, book.at_date, progress=_progress(job_id))
            content = workbook(book.organization, book.at_date, computed)
    except Exception as error:  # noqa: BLE001 - any failure is shown on the page, not lost
        _fail(job_id, error)
        StatisticsWorkbook.objects.filter(pk=book.pk).update(status=ReportStatus.FAILED)
        return
    with transaction.atomic():
        book = StatisticsWorkbook.objects.select_for_update().get(pk=book.pk)
        book.file.save(f"{book.pk}.xlsx", ContentFile(content), save=False)
        book.totals, book.status = computed["totals"], ReportStatus.READY
        book.save(update_fields=["file", "totals", "status"])
        Job.objects.filter(pk=job_id).update(status=JobStatus.DONE, updated_at=timezone.now())
        audit.record(actor=book.created_by, action="reports.statistics.produce", obj=book,
                     detail={"members": computed["totals"]["members"]})
