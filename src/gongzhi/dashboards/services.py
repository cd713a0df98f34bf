"""Writes of the dashboards app: creating and revoking kiosk links, each with its audit row; and the
snapshots of the dashboards' figures (``DashboardSnapshot``), computed in the background.

A snapshot is derived data, like the points summary or the cache: it is written without an audit row (no
one's act, nothing a person decided); its computation is a ``core.Job`` whose progress the page shows.
"""

from __future__ import annotations

import logging
import secrets
import time
from contextlib import contextmanager
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from gongzhi.core import audit
from gongzhi.core.models import Job, JobStatus
from gongzhi.core.periods import Period
from gongzhi.core.statements import Statement

from .models import DashboardSnapshot, KioskToken, SnapshotStatus, token_hash

logger = logging.getLogger(__name__)

STALE_SECONDS = 600  # a snapshot older than this is refreshed in the background when someone opens it
REFRESH_EVERY = 600  # the scheduler's run keeps recently opened snapshots this fresh
VIEWED_WITHIN = timedelta(days=1)  # … those opened within this time
MAX_REFRESHED = 100  # … at most this many per run (the most recently opened first)
RETRY_SECONDS = 60  # a computation that failed is tried again by a visit at least this much later
MAX_PENDING = 3  # first computations under way per organization: more periods wait for one to finish
FORGOTTEN_AFTER = timedelta(days=90)  # snapshots no one opened for this long are deleted by the scheduler

MAX_ACTIVE = 10  # active links per organization: a hall or two, not one per person


@transaction.atomic
def create_kiosk_token(*, organization, label: str, by, request=None) -> tuple[KioskToken, str]:
    """A new kiosk link; returns the record and the token, which is shown once and never stored."""
    label = (label or "").strip()
    if not label:
        raise ValidationError(_("Say where the screen is shown."), code="label")
    active = KioskToken.objects.select_for_update().filter(organization=organization, revoked_at__isnull=True)
    if active.count() >= MAX_ACTIVE:
        raise ValidationError(_("Revoke an old link first: an organization keeps at most %(n)s.") % {"n": MAX_ACTIVE},
                              code="too_many")
    token = secrets.token_urlsafe(24)
    kiosk = KioskToken.objects.create(organization=organization, label=label[:60], token_hash=token_hash(token),
                                      created_by=by)
    audit.record(actor=by, action="dashboards.kiosk.create", obj=kiosk, request=request)
    return kiosk, token


@transaction.atomic
def revoke_kiosk_token(*, kiosk: KioskToken, by, request=None) -> KioskToken:
    kiosk = KioskToken.objects.select_for_update().get(pk=kiosk.pk)
    if kiosk.revoked_at is not None:
        raise ValidationError(_("This link was already revoked."), code="revoked")
    kiosk.revoked_at, kiosk.revoked_by = timezone.now(), by
    kiosk.save(update_fields=["revoked_at", "revoked_by"])
    audit.record(actor=by, action="dashboards.kiosk.revoke", obj=kiosk, request=request)
    return kiosk


# -- snapshots ------------------------------------------------------------------------------------------

def _new_job(organization) -> Job:
    return Job.objects.create(kind="dashboards.snapshot", organization=organization, status=JobStatus.QUEUED)


def _enqueue(snapshot_id: int) -> None:
    from .tasks import compute_snapshot_task

    compute_snapshot_task.enqueue(snapshot_id)


#: A dashboard's snapshot, read on every visit: compiled once (core.statements).
_SNAPSHOT = Statement(lambda **lookup: DashboardSnapshot.objects.select_related("job").filter(**lookup)
                      .order_by("pk")[:1])


def snapshot_for(organization, period: Period, language: str | None = None) -> DashboardSnapshot:
    """The snapshot of ``organization``'s dashboard for ``period`` to show now. When there is none yet, it is
    created (pending) and its computation enqueued; when it is older than ``STALE_SECONDS`` (or failed), a
    refresh is enqueued and the page shows the figures it has, with their time (not within ``RETRY_SECONDS``
    of a failed computation: a page left open does not retry it every two seconds). A ready snapshot whose page
    was written by an older markup (``selectors.is_written``) has it written again now, from its figures. At most
    five queries (six when its page is written again); the computation itself runs in the task (at once, inside
    this call, with the immediate backend of the tests)."""
    from . import selectors

    language = (language or get_language() or "zh-hans")[:16]
    snapshot = _snapshot(organization, period, language)
    if snapshot.status == SnapshotStatus.READY and not selectors.is_written(snapshot.data):
        _write_page(snapshot, organization)
    return snapshot


def _write_page(snapshot: DashboardSnapshot, organization) -> None:
    """Write a ready snapshot's page (``selectors.written``) from its figures, in its language, and keep it unless
    a newer computation has replaced those figures meanwhile. No figure is computed."""
    from django.utils import translation

    from . import selectors

    with translation.override(snapshot.language):
        data = {**snapshot.data, "written": selectors.written(organization, snapshot.data)}
    DashboardSnapshot.objects.filter(pk=snapshot.pk, computed_at=snapshot.computed_at).update(data=data)
    snapshot.data = data


def _snapshot(organization, period: Period, language: str) -> DashboardSnapshot:
    lookup = {"organization": organization, "period_kind": period.kind, "starts_on": period.start,
              "ends_on": period.end, "language": language}
    now = timezone.now()
    snapshot = _SNAPSHOT.first(organization_id=organization.pk, period_kind=period.kind, starts_on=period.start,
                               ends_on=period.end, language=language)
    if snapshot is None:
        if DashboardSnapshot.objects.filter(organization=organization, status=SnapshotStatus.PENDING).count() \
                >= MAX_PENDING:  # someone opening period after period: this one waits (the page polls)
            return DashboardSnapshot(**lookup, status=SnapshotStatus.PENDING)
        try:
            with transaction.atomic():
                snapshot = DashboardSnapshot.objects.create(**lookup, job=_new_job(organization), viewed_at=now)
        except IntegrityError:  # another visitor created it a moment ago: his or her task computes it
            return DashboardSnapshot.objects.select_related("job").get(**lookup)
        _enqueue(snapshot.pk)
        return DashboardSnapshot.objects.select_related("job").get(pk=snapshot.pk)
    stale = snapshot.status == SnapshotStatus.FAILED or (
        snapshot.status == SnapshotStatus.READY and snapshot.computed_at < now - timedelta(seconds=STALE_SECONDS))
    failed_lately = (snapshot.job is not None and snapshot.job.status == JobStatus.FAILED
                     and snapshot.job.updated_at > now - timedelta(seconds=RETRY_SECONDS))
    if stale and not snapshot.refreshing and not failed_lately:
        with transaction.atomic():
            job = _new_job(organization)
            claimed = DashboardSnapshot.objects.filter(pk=snapshot.pk, refreshing=False).update(
                refreshing=True, job=job, viewed_at=now)
            if not claimed:  # another visitor's refresh is under way
                job.delete()
        if claimed:
            _enqueue(snapshot.pk)
            return DashboardSnapshot.objects.select_related("job").get(pk=snapshot.pk)
    elif snapshot.viewed_at is None or snapshot.viewed_at < now - timedelta(minutes=1):
        DashboardSnapshot.objects.filter(pk=snapshot.pk).update(viewed_at=now)
    return snapshot


def _progress(job_id):
    def tell(done: int, total: int) -> None:
        Job.objects.filter(pk=job_id).update(status=JobStatus.RUNNING, progress=done, total=total,
                                             updated_at=timezone.now())
    return tell


@contextmanager
def _without_jit():
    """PostgreSQL's JIT compiles every statement whose estimated cost is high: a snapshot's dozens of
    aggregates over millions of rows each paid up to a second of compilation (the street's snapshot took
    9.9 s with it, 6.9 s without, at 100,000 members). Off for this connection while the snapshot is
    computed, then back to the server's setting."""
    if connection.vendor != "postgresql":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("SET jit = off")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("RESET jit")


def compute_snapshot(snapshot_id: int) -> DashboardSnapshot | None:
    """Compute a snapshot's figures from the database (``selectors.compute``) and keep them with the time they
    were computed; a failure is kept on the snapshot and its job (the figures it had stay shown)."""
    from django.utils import translation

    from . import selectors

    snapshot = DashboardSnapshot.objects.select_related("organization").filter(pk=snapshot_id).first()
    if snapshot is None:
        return None
    period = Period(snapshot.starts_on, snapshot.ends_on, snapshot.period_kind)
    job_id = snapshot.job_id
    began, started = time.perf_counter(), timezone.now()
    try:
        with translation.override(snapshot.language), _without_jit():
            data = selectors.compute(snapshot.organization, period,
                                     progress=_progress(job_id) if job_id else None)
    except Exception as error:  # noqa: BLE001 - any failure is shown on the page, not lost
        logger.exception("dashboard snapshot failed")
        if job_id:
            Job.objects.filter(pk=job_id).update(status=JobStatus.FAILED, updated_at=timezone.now(),
                                                 message=f"{type(error).__name__}: {error}"[:500])
        DashboardSnapshot.objects.filter(pk=snapshot.pk, status=SnapshotStatus.PENDING).update(
            status=SnapshotStatus.FAILED)
        DashboardSnapshot.objects.filter(pk=snapshot.pk).update(refreshing=False)
        return None
    with transaction.atomic():
        DashboardSnapshot.objects.filter(pk=snapshot.pk).update(
            data=data, status=SnapshotStatus.READY, computed_at=started, refreshing=False,
            seconds=time.perf_counter() - began)
        if job_id:
            Job.objects.filter(pk=job_id).update(status=JobStatus.DONE, updated_at=timezone.now())
    return DashboardSnapshot.objects.get(pk=snapshot.pk)


def refresh_viewed(now=None) -> int:
    """Recompute the snapshots opened within ``VIEWED_WITHIN`` whose figures are older than half of
    ``REFRESH_EVERY`` (the scheduler's run; at most ``MAX_REFRESHED``, the most recently opened first), and
    delete those no one opened for ``FORGOTTEN_AFTER``; how many were refreshed."""
    now = now or timezone.now()
    due = list(DashboardSnapshot.objects.filter(viewed_at__gte=now - VIEWED_WITHIN, status=SnapshotStatus.READY,
                                                refreshing=False,
                                                computed_at__lt=now - timedelta(seconds=REFRESH_EVERY / 2))
               .order_by("-viewed_at").values_list("pk", flat=True)[:MAX_REFRESHED])
    for pk in due:
        compute_snapshot(pk)
    DashboardSnapshot.objects.filter(viewed_at__lt=now - FORGOTTEN_AFTER).delete()
    return len(due)
