"""Background work: the daily retention pass (``gongzhi retention run`` does the same from the shell)."""

from __future__ import annotations

from datetime import date

from django_tasks import task


@task()
def run_retention(today: str | None = None) -> dict:
    from .services import run_retention as run

    return run(today=date.fromisoformat(today) if today else None)
