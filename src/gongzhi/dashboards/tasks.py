"""Background work of the dashboards: computing a dashboard's snapshot (``services.compute_snapshot``; the
page shows its progress), and the scheduler's run that keeps the recently opened snapshots fresh.

``refresh_dashboards`` refreshes the snapshots opened within a day (``services.refresh_viewed``) and enqueues
its own next run ``REFRESH_EVERY`` seconds later with django-tasks' ``run_after`` (the database backend keeps
it until then; ``db_worker`` runs it), unless a run is already waiting. ``gongzhi dashboards schedule``
starts the chain once.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django_tasks import task

REFRESH_PATH = "gongzhi.dashboards.tasks.refresh_dashboards"


def waiting_run_exists() -> bool:
    """A refresh is already enqueued and not yet done (database backend only)."""
    from django.conf import settings

    if not settings.TASKS["default"]["BACKEND"].startswith("django_tasks_db."):
        return False
    from django_tasks import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    return DBTaskResult.objects.filter(task_path=REFRESH_PATH, status=TaskResultStatus.READY).exists()


def schedule(now: datetime | None = None) -> datetime | None:
    """Enqueue the next refresh unless one waits; the time it was set for (None: nothing enqueued, or a
    backend that cannot defer)."""
    from django.utils import timezone
    from django_tasks import default_task_backend

    from .services import REFRESH_EVERY

    if waiting_run_exists() or not default_task_backend.supports_defer:
        return None
    when = (now or timezone.now()) + timedelta(seconds=REFRESH_EVERY)
    refresh_dashboards.using(run_after=when).enqueue(reschedule=True)
    return when


@task()
def compute_snapshot_task(snapshot_id: int) -> None:
    from .services import compute_snapshot

    compute_snapshot(snapshot_id)


@task()
def refresh_dashboards(reschedule: bool = True) -> int:
    from .services import refresh_viewed

    try:
        return refresh_viewed()
    finally:
        if reschedule:
            schedule()
