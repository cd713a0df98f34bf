"""Reads on a PostgreSQL streaming replica, when one is configured (``DATABASE_REPLICA_URL``).

Which work reads from the replica:

* a GET or HEAD request (pages, dashboards, statistics, exports, API lists), as long as it has written
  nothing and is not inside a transaction on the primary — once it writes (an audit row for an export,
  a session moving on), every later read of that request goes to the primary;
* background work that only reads, inside ``with reading_from_replica():`` (summaries, workbooks).

Everything else — POST/PUT/PATCH/DELETE, migrations, commands, tasks that write — uses the primary.

Read-your-writes: a response to a request that wrote carries a cookie with the primary's WAL position
after the write; the next requests of that client read from the replica only once it has replayed that
position, so a member who has just checked in sees the check-in on the next page however far behind the
replica is. A replica that is down, lags by more than ``GONGZHI_REPLICA_MAX_LAG_SECONDS`` or is not
in recovery is not used: the request reads from the primary (never an error page), and a replica that
could not be reached is not tried again for ``GONGZHI_REPLICA_RETRY_SECONDS``.
"""

from __future__ import annotations

import re
import threading
import time
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

from django.conf import settings
from django.db import DatabaseError, connections

REPLICA = "replica"
COOKIE = "gongzhi_wal"
_LSN = re.compile(r"^[0-9A-F]{1,8}/[0-9A-F]{1,8}$")
_SAFE_METHODS = frozenset({"GET", "HEAD"})


@dataclass
class _Work:
    """What the current request or task may read from the replica."""

    allowed: bool
    min_lsn: str | None = None
    wrote: bool = False
    usable: bool | None = None  # decided at the first read, then kept for the whole request


_current: ContextVar[_Work | None] = ContextVar("gongzhi_replica_work", default=None)
_down_until = 0.0
_down_lock = threading.Lock()


def configured() -> bool:
    return REPLICA in settings.DATABASES


@contextmanager
def reading_from_replica():
    """Background work that only reads may use the replica inside this block."""
    token = _current.set(_Work(allowed=True))
    try:
        yield
    finally:
        _current.reset(token)


def replica_usable(min_lsn: str | None = None) -> bool:
    """One query on the replica: in recovery, caught up to ``min_lsn``, lagging less than allowed."""
    global _down_until
    if time.monotonic() < _down_until:
        return False
    try:
        with connections[REPLICA].cursor() as cursor:
            cursor.execute(
                "SELECT pg_is_in_recovery(),"
                " CASE WHEN pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() THEN 0"
                "      ELSE COALESCE(EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp()), 0) END,"
                " %s::pg_lsn IS NULL OR pg_last_wal_replay_lsn() >= %s::pg_lsn",
                [min_lsn, min_lsn])
            in_recovery, lag, caught_up = cursor.fetchone()
    except (DatabaseError, OSError):
        with _down_lock:
            _down_until = time.monotonic() + settings.GONGZHI_REPLICA_RETRY_SECONDS
        connections[REPLICA].close()
        return False
    return bool(in_recovery) and caught_up and float(lag) <= settings.GONGZHI_REPLICA_MAX_LAG_SECONDS


def _primary_position() -> str | None:
    with connections["default"].cursor() as cursor:
        cursor.execute("SELECT pg_current_wal_lsn()::text")
        return cursor.fetchone()[0]


class ReplicaRouter:
    """Sends the reads of ``_Work`` that allows it to the replica, everything else to the primary."""

    def db_for_read(self, model, **hints):
        work = _current.get()
        if work is None or not work.allowed or work.wrote or connections["default"].in_atomic_block:
            return "default"
        if work.usable is None:
            work.usable = replica_usable(work.min_lsn)
        return REPLICA if work.usable else "default"

    def db_for_write(self, model, **hints):
        work = _current.get()
        if work is not None:
            work.wrote = True
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        return True

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == "default"


class ReplicaMiddleware:
    """Marks safe requests as replica-readable and hands the client its last write's position.

    It sits outside the session middleware, so the session's own save counts as a write."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not configured():
            return self.get_response(request)
        seen = request.COOKIES.get(COOKIE, "")
        work = _Work(allowed=request.method in _SAFE_METHODS, min_lsn=seen if _LSN.match(seen) else None)
        token = _current.set(work)
        try:
            response = self.get_response(request)
            if work.wrote:
                try:
                    position = _primary_position()
                except DatabaseError:
                    position = None
                if position:
                    response.set_cookie(COOKIE, position, max_age=settings.GONGZHI_REPLICA_STICKY_SECONDS,
                                        httponly=True, samesite="Lax", secure=settings.SESSION_COOKIE_SECURE)
            return response
        finally:
            _current.reset(token)
