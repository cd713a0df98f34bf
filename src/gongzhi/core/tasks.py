"""Background work of core: resealing personal data under the current key (``gongzhi keys rotate``)."""

from __future__ import annotations

from django_tasks import task


@task()
def rotate_keys_task(job_id: str) -> None:
    from .keys import run_rotation

    run_rotation(job_id)
