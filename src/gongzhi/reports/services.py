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
    if summary.status != ReportStatus.PENDING:
        return  # produced already (a task enqueued twice): the frozen figures stay as they are
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
    """Log a download of a summary, a workbook or a unit's feedback."""
    action = {"worksummary": "reports.summary.download", "statisticsworkbook": "reports.statistics.download",
              "unitfeedback": "reports.feedback.download"}[obj._meta.model_name]
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
    if book.status != ReportStatus.PENDING:
        return
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


# -- feedback to units and the community's evaluation ---------------------------------------------

def evaluate_member(*, member, community, year: int, grade: str, comment: str = "", by):
    """Record (or change) the community's evaluation of a reported member for a year."""
    from gongzhi.members.models import Reporting, ReportingStatus

    from .models import EvaluationGrade, MemberEvaluation

    if grade not in EvaluationGrade.values:
        raise ValidationError({"grade": _("Choose an evaluation.")})
    if not Reporting.objects.filter(member=member, community=community, status=ReportingStatus.ACCEPTED).exists():
        raise ValidationError(_("Only a member who reported to the community is evaluated by it."))
    with transaction.atomic():
        evaluation, created = MemberEvaluation.objects.update_or_create(
            member=member, community=community, year=year,
            defaults={"grade": grade, "comment": comment.strip()[:300], "evaluated_by": by})
        audit.record(actor=by, action="reports.evaluation.record", obj=evaluation, subject_user=member.user,
                     detail={"year": year, "grade": grade, "created": created})
    return evaluation


def send_feedback(*, unit, community, period: Period, by):
    """Freeze the feedback rows for the unit and the period, and tell the unit's users it is there."""
    from django.urls import reverse

    from gongzhi.accounts.models import Role, RoleKind
    from gongzhi.core.models import Notification

    from .feedback import rows
    from .models import UnitFeedback

    if not unit.agreements.filter(community=community).exists():
        raise ValidationError(_("The unit has no co-building agreement with this community."))
    with transaction.atomic():
        feedback, _created = UnitFeedback.objects.update_or_create(
            community=community, unit=unit, starts_on=period.start, ends_on=period.end,
            defaults={"period_kind": period.kind, "rows": rows(unit, community, period), "sent_by": by})
        audit.record(actor=by, action="reports.feedback.send", obj=feedback,
                     detail={"unit": unit.pk, "members": len(feedback.rows), "start": period.start.isoformat()})
        url = reverse("reports:unit_feedback", args=[unit.organization_id])
        users = (Role.objects.active(timezone.localdate()).filter(kind=RoleKind.UNIT_ADMIN,
                                                                  organization=unit.organization)
                 .values_list("user_id", flat=True))
        title = _("%(community)s sent its feedback on your members for %(period)s") % {
            "community": community.name, "period": period.label}
        key = f"reports.feedback:{feedback.pk}:{feedback.sent_at:%Y%m%d%H%M%S}"
        Notification.objects.bulk_create([Notification(user_id=pk, title=title[:200], url=url, key=key)
                                          for pk in set(users)], ignore_conflicts=True)
    return feedback
