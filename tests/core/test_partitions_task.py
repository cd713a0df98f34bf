"""The monthly task that creates the history partitions ahead: it runs the same service, and enqueues
its own next run (the first of next month, 03:00) on the database task backend, once."""

from datetime import datetime

import pytest
from django.db import connection
from django.utils import timezone

from gongzhi.core import tasks
from gongzhi.core.models import AuditEvent

pytestmark = pytest.mark.django_db
DATABASE_BACKEND = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "ENQUEUE_ON_COMMIT": False}}


@pytest.mark.parametrize(("now", "expected"), [
    (datetime(2026, 12, 6, 13, 0), datetime(2027, 1, 1, 3, 0)),
    (datetime(2027, 1, 31, 23, 59), datetime(2027, 2, 1, 3, 0)),
    (datetime(2027, 1, 1, 2, 0), datetime(2027, 2, 1, 3, 0)),
])
def test_the_next_run_is_the_first_of_next_month_at_three(now, expected):
    assert tasks.next_run(timezone.make_aware(now)) == timezone.make_aware(expected)


def test_the_task_creates_the_partitions_ahead(world):
    year = timezone.localdate().year
    result = tasks.partitions_ahead.enqueue(years=2, reschedule=False)  # immediate backend in tests
    if connection.vendor != "postgresql":
        assert result.return_value == {}
        return
    assert result.return_value["points_pointentry"]["created"] == [f"points_pointentry_y{year + 2}"]
    assert AuditEvent.objects.filter(action="core.partition.create").count() == 2


def test_the_task_is_scheduled_once_on_the_database_backend(settings):
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = DATABASE_BACKEND
    now = timezone.make_aware(datetime(2026, 12, 6, 13, 0))
    assert tasks.schedule(now) == timezone.make_aware(datetime(2027, 1, 1, 3, 0))
    assert tasks.schedule(now) is None  # one run waits already
    waiting = DBTaskResult.objects.get(task_path=tasks.TASK_PATH)
    assert waiting.run_after == timezone.make_aware(datetime(2027, 1, 1, 3, 0))
    assert waiting.args_kwargs["kwargs"] == {"years": 1, "reschedule": True}


def test_a_backend_that_cannot_defer_schedules_nothing():
    assert tasks.schedule() is None  # the immediate backend of the tests
