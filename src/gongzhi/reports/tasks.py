"""Background work: producing a work summary or a statistical workbook (progress on their ``core.Job``)."""

from __future__ import annotations

from django_tasks import task


@task()
def produce_summary_task(summary_id: str) -> None:
    from .services import produce_summary

    produce_summary(summary_id)


@task()
def produce_statistics_task(book_id: str) -> None:
    from .services import produce_statistics

    produce_statistics(book_id)
