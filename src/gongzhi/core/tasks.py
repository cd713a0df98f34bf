"""Background work of core: the monthly run that creates the history partitions ahead, and the resealing
of personal data under the current key (``gongzhi keys rotate``).

``partitions_ahead`` creates this year's and next year's partitions of the ledger and the audit log
(``core.partitions.ahead``), then enqueues its own next run on the first day of next month at
03:00 with django-tasks' ``run_after`` (the database backend keeps it until then; ``db_worker``
runs it), unless a run is already waiting. ``gongzhi partitions schedule`` starts the chain once;
a December run creates the year after next ahead as well, so a missed month costs nothing.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django_tasks import task

TASK_PATH = "gongzhi.core.tasks.partitions_ahead"


def next_run(now: datetime | None = None) -> datetime:
    """The first day of next month, 03:00 local time."""
    from django.utils import timezone

    local = timezone.localtime(now)
    first = (local.date().replace(day=1) + timedelta(days=32)).replace(day=1)
    return timezone.make_aware(datetime.combine(first, time(3, 0)))


def waiting_run_exists() -> bool:
    """A run is already enqueued and not yet done (database backend only)."""
    from django.conf import settings

    if not settings.TASKS["default"]["BACKEND"].startswith("django_tasks_db."):
        return False
    from django_tasks import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    return DBTaskResult.objects.filter(task_path=TASK_PATH, status=TaskResultStatus.READY).exists()


def schedule(now: datetime | None = None) -> datetime | None:
    """Enqueue the next run unless one waits; the time it was set for (None: nothing enqueued, or a
    backend that cannot defer, which runs it at once)."""
    from django_tasks import default_task_backend

    if waiting_run_exists():
        return None
    if not default_task_backend.supports_defer:
        return None
    when = next_run(now)
    partitions_ahead.using(run_after=when).enqueue(years=1, reschedule=True)
    return when


@task()
def partitions_ahead(years: int = 1, reschedule: bool = True) -> dict:
    from .services import create_partitions_ahead

    try:
        done = create_partitions_ahead(years=years)
    finally:
        if reschedule:
            schedule()
    return done


@task()
def rotate_keys_task(job_id: str) -> None:
    from .keys import run_rotation

    run_rotation(job_id)
