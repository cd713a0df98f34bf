"""Background work: the reminder pass for meetings that are due soon or overdue."""

from __future__ import annotations

from datetime import date

from django_tasks import task


@task()
def send_meeting_reminders(today: str | None = None) -> dict:
    from .reminders import run_reminders

    return run_reminders(date.fromisoformat(today) if today else None)
