"""Reads on a live streaming replica (core.replica), through the production server.

The test takes a base backup of the PostgreSQL server the tests run on (``pg_basebackup -R``), starts it
as a hot standby on a free port in a temporary directory, and serves the project with gunicorn with
``DATABASE_REPLICA_URL`` pointing at it. With the replica's replay paused, a change made on the primary
shows what each request read from: pages come from the replica, a member's page after his own check-in
from the primary (read-your-writes), a replica that lags more than allowed or is down is skipped.

It needs PostgreSQL's server programs and a server that allows replication connections from 127.0.0.1
(``.ci/run`` allows them; docs/scaling.md says how). Without the programs it skips, loudly. It runs on
its own after the PostgreSQL suite (``scripts/test_postgres.py`` sets ``GONGZHI_LIVE_REPLICA=1``), with
no other test's transaction open on the server.
"""

from __future__ import annotations

import glob
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import warnings
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path

import psycopg
import pytest
from django.db import connection
from django.utils import timezone

from tests.factories.core import PASSWORD
from tests.production import Browser, collect_static, free_port, postgres_url, production_env, server

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="a streaming replica is PostgreSQL's"),
    pytest.mark.skipif(os.environ.get("GONGZHI_LIVE_REPLICA") != "1",
                       reason="runs on its own after the PostgreSQL suite (scripts/test_postgres.py): a hot standby "
                              "opens only when no long test transaction of the primary overflows its subtransactions"),
]


def _bin(name: str) -> str | None:
    found = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))
    return found[-1] if found else shutil.which(name)


def _run(command: list[str], **options) -> subprocess.CompletedProcess:
    """Run one of PostgreSQL's programs; they refuse to run as root, so as the postgres user then."""
    if os.geteuid() == 0:
        command = ["runuser", "-u", "postgres", "--", *command]
    return subprocess.run(command, capture_output=True, text=True, **options)  # noqa: S603


@contextmanager
def live_replica():
    """A hot standby of the test server on a free port; yields the test database's url there and a
    function that stops the standby."""
    basebackup, pg_ctl = _bin("pg_basebackup"), _bin("pg_ctl")
    if not (basebackup and pg_ctl):
        message = ("PostgreSQL's server programs (pg_basebackup, pg_ctl) are not installed: "
                   "the live replica test did not run")
        warnings.warn(message, stacklevel=2)
        print(f"\n*** SKIPPED LOUDLY: {message} ***", file=sys.stderr)
        pytest.skip(message)
    settings = connection.settings_dict
    directory = Path(tempfile.mkdtemp(prefix="gongzhi-replica-"))
    data = directory / "data"
    if os.geteuid() == 0:
        shutil.chown(directory, "postgres", "postgres")
    backup = _run([
        basebackup, "-h", settings["HOST"] or "127.0.0.1", "-p", str(settings["PORT"] or 5432),
        "-U", settings["USER"] or "postgres", "-D", str(data), "-R", "-X", "stream", "-c", "fast"], timeout=300)
    if backup.returncode != 0:
        shutil.rmtree(directory, ignore_errors=True)
        hint = ("allow replication connections from 127.0.0.1 (pg_hba.conf: "
                "'host replication all 127.0.0.1/32 trust', as .ci/run does)")
        if "replication" in backup.stderr and os.environ.get("CI", "").lower() != "true":
            pytest.skip(f"the test server refuses replication connections: {hint}")
        pytest.fail(f"pg_basebackup failed ({hint}):\n{backup.stderr[-2000:]}")
    port = free_port()
    with connection.cursor() as cursor:  # a hot standby needs at least the primary's values of these
        same = []
        for name in ("max_connections", "max_worker_processes", "max_wal_senders", "max_prepared_transactions",
                     "max_locks_per_transaction"):
            cursor.execute(f"SHOW {name}")
            same.append(f"{name} = {cursor.fetchone()[0]}\n")
    (data / "postgresql.conf").write_text(
        f"port = {port}\nlisten_addresses = '127.0.0.1'\nunix_socket_directories = '{directory}'\n"
        f"hba_file = '{data / 'pg_hba.conf'}'\nhot_standby = on\nshared_buffers = 32MB\nfsync = off\n"
        + "".join(same))
    (data / "pg_hba.conf").write_text("local all all trust\nhost all all 127.0.0.1/32 trust\n")
    for extra in ("pg_ident.conf",):
        (data / extra).touch()
    if os.geteuid() == 0:
        for path in data.iterdir():
            shutil.chown(path, "postgres", "postgres")
    log = directory / "server.log"
    started = _run([pg_ctl, "-D", str(data), "-l", str(log), "-w", "-t", "120", "start"], timeout=150)
    if started.returncode != 0:
        text = log.read_text() if log.exists() else started.stderr
        _run([pg_ctl, "-D", str(data), "-m", "immediate", "stop"], timeout=60)
        shutil.rmtree(directory, ignore_errors=True)
        pytest.fail(f"the replica did not start:\n{text[-3000:]}")

    def stop() -> None:
        _run([pg_ctl, "-D", str(data), "-m", "immediate", "stop"], timeout=60)

    try:
        yield f"postgres://{settings['USER'] or 'postgres'}@127.0.0.1:{port}/{settings['NAME']}", stop
    finally:
        stop()
        shutil.rmtree(directory, ignore_errors=True)


def _on_replica(url: str, sql: str, args=()):
    with psycopg.connect(url, autocommit=True, connect_timeout=5) as db:
        return db.execute(sql, args).fetchone()


def _wait_until_caught_up(replica_url: str) -> None:
    """Until the replica has replayed everything the primary has written so far."""
    with psycopg.connect(postgres_url(), autocommit=True) as primary:
        target = primary.execute("SELECT pg_current_wal_lsn()").fetchone()[0]
    deadline = time.monotonic() + 120
    while not _on_replica(replica_url, "SELECT pg_last_wal_replay_lsn() >= %s::pg_lsn", [target])[0]:
        assert time.monotonic() < deadline, "the replica did not catch up"
        time.sleep(0.2)


def _csrf(page: str) -> str:
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)


def test_reads_go_to_a_live_replica_and_a_writer_reads_its_own_writes(world, tmp_path, settings):
    from django.contrib.auth.hashers import Argon2PasswordHasher

    from gongzhi.core.replica import COOKIE
    from gongzhi.service import services
    from gongzhi.service.models import Activity, CheckIn, SignUp
    from tests.service.factories import activity

    user = world.users["member"]
    user.password = Argon2PasswordHasher().encode(PASSWORD, Argon2PasswordHasher().salt())
    user.save(update_fields=["password"])
    now = timezone.localtime()
    since_midnight = now - now.replace(hour=0, minute=0, second=0, microsecond=0)
    event = activity(world.branch_a, title="楼道清理（旧标题）", starts_in=-min(timedelta(minutes=10), since_midnight),
                     hours=2)
    SignUp.objects.create(activity=event, member=world.member_a)
    env = production_env(tmp_path, postgres_url())
    settings.SECRET_KEY = env["SECRET_KEY"]  # the link is signed as the server signs it
    scan = f"/service/scan/{services.checkin_token(event)}/"
    collect_static(tmp_path)

    with live_replica() as (replica_url, stop_replica):
        port = free_port()
        env = production_env(tmp_path, postgres_url(), DATABASE_REPLICA_URL=replica_url,
                             GONGZHI_REPLICA_MAX_LAG_SECONDS="600", GONGZHI_REPLICA_RETRY_SECONDS="600")
        command = [sys.executable, "-m", "gunicorn", "gongzhi.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", "1"]
        with server(command, env, port):
            lagless_port = free_port()
            strict = production_env(tmp_path, postgres_url(), DATABASE_REPLICA_URL=replica_url,
                                    GONGZHI_REPLICA_MAX_LAG_SECONDS="0")
            strict_command = [*command[:-4], "--bind", f"127.0.0.1:{lagless_port}", "--workers", "1"]
            with server(strict_command, strict, lagless_port):
                phone = Browser(port, client_ip="203.0.113.60")
                assert phone.log_in("member", PASSWORD).status == 302
                assert phone.get(scan).status == 200  # the first page after logging in moves the session on
                _wait_until_caught_up(replica_url)
                phone.cookies.pop(COOKIE, None)

                # The replica stops replaying; the primary changes the title behind everybody's back.
                _on_replica(replica_url, "SELECT pg_wal_replay_pause()")
                Activity.objects.filter(pk=event.pk).update(title="楼道清理（新标题）")
                page = phone.get(scan)
                assert page.status == 200 and "旧标题" in page.text  # read from the replica

                # The member checks in: his next page reads from the primary, however far behind the replica is.
                checked = phone.post(scan, {"csrfmiddlewaretoken": _csrf(page.text)}, referer=scan)
                assert checked.status == 302, checked.status
                assert CheckIn.objects.filter(activity=event, member=world.member_a).count() == 1
                assert COOKIE in phone.cookies
                after = phone.get(scan)
                assert after.status == 200 and "新标题" in after.text and "旧标题" not in after.text

                # Another device of the same member, without the write's position: the replica again...
                other = Browser(port, client_ip="203.0.113.61")
                other.cookies = {k: v for k, v in phone.cookies.items() if k != COOKIE}
                assert "旧标题" in other.get(scan).text
                # ...unless the replica lags more than a server allows.
                strict_phone = Browser(lagless_port, client_ip="203.0.113.62")
                strict_phone.cookies = dict(other.cookies)
                assert "新标题" in strict_phone.get(scan).text

                # Replaying again, the replica catches up and serves the new title.
                _on_replica(replica_url, "SELECT pg_wal_replay_resume()")
                _wait_until_caught_up(replica_url)
                assert "新标题" in other.get(scan).text

        # The replica goes down: pages read from the primary, no error page.
        stop_replica()
        with pytest.raises(psycopg.OperationalError):
            _on_replica(replica_url, "SELECT 1")
        with server(command, env, port):
            down = Browser(port, client_ip="203.0.113.63")
            down.cookies = dict(other.cookies)
            first, second = down.get(scan), down.get(scan)
            assert first.status == second.status == 200 and "新标题" in first.text
