"""The QR check-in's CPU against an authenticated trivial request, measured in one process (issue 16).

``uv run python -m load.cpu [postgres|sqlite] [N]`` prepares a database as ``make load`` does (the demo street,
members with accounts; ``LOAD_POSTGRES_URL`` names the PostgreSQL one, which is emptied first, default
``postgres://postgres@127.0.0.1:5432/gongzhi_load_cpu``; kept under var/load/cpu-<label>/ and reused while its
spec is there: ``--fresh`` prepares it again), then, in a child process with the load test's production settings
(DEBUG off, behind a trusted proxy, Redis sessions when Redis answers), sends requests through Django's WSGI
handler with every middleware, as gunicorn would: members sign in; just before each round, its members open the
check-in page of a new activity (as a phone does after scanning the code), then ``N`` of them post their check-ins
(302) and ``N`` signed-in ``/healthz`` GETs follow. Prints,
per request, the process's CPU (``time.process_time``: the Python side, what a gunicorn worker spends), the
database server's CPU (its backends' /proc on this machine; PostgreSQL only) and the queries; with
``--statements`` (PostgreSQL), the database server's CPU of a further round of check-ins statement by statement (its
backend's schedstat before and after each) and outside them (BEGIN, COMMIT); with ``--profile``, cProfile's top
functions of a further round of check-ins. CPU time hardly depends on what else
the shared machine runs; wall time does, and is not used.
"""

from __future__ import annotations

import cProfile
import io
import json
import os
import pstats
import re
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
# Check-ins and trivial requests before the measured ones: statements compiled, the pool's connections opened and
# past PostgreSQL's first five runs of each prepared statement (planned anew each time before it settles on a plan).
WARM_UP = 20


def parent(argv: list[str]) -> int:
    from load.__main__ import environment, run

    label = "sqlite" if "sqlite" in argv else "postgres"
    count = next((int(a) for a in argv if a.isdigit()), 100)
    profile = "--profile" in argv
    statements = "--statements" in argv and label == "postgres"
    var_dir = ROOT / "var" / "load" / f"cpu-{label}"
    pg_url = os.environ.get("LOAD_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/gongzhi_load_cpu")
    database_url = f"sqlite:///{var_dir / 'load.sqlite3'}" if label == "sqlite" else pg_url
    members = WARM_UP + count * (1 + profile + statements)
    spec_path = var_dir / "spec.json"
    fresh = "--fresh" in argv or not spec_path.exists() or len(json.loads(spec_path.read_text())["members"]) < members
    env = environment(var_dir, database_url)
    env["LOAD_USERS"] = str(members)
    if fresh:
        import shutil

        shutil.rmtree(var_dir, ignore_errors=True)
        var_dir.mkdir(parents=True)
        if label == "postgres":
            _empty(pg_url)
        run([sys.executable, "-m", "gongzhi", "migrate", "--noinput", "-v0"], env)
        run([sys.executable, "-m", "gongzhi", "collectstatic", "--noinput", "-v0"], env)
        run([sys.executable, "-m", "load.prepare", str(spec_path)], env)
    env.update(LOAD_CPU_SPEC=str(spec_path), LOAD_CPU_COUNT=str(count), LOAD_CPU_PROFILE="1" if profile else "",
               LOAD_CPU_STATEMENTS="1" if statements else "")
    return subprocess.run([sys.executable, "-m", "load.cpu", "--child"], cwd=ROOT, env=env,  # noqa: S603
                          check=False).returncode


def _empty(url: str) -> None:
    import psycopg

    server, name = url.rsplit("/", 1)
    if "load" not in name:
        raise SystemExit(f"refusing to empty {url}: the database's name must contain 'load'")
    with psycopg.connect(f"{server}/postgres", autocommit=True) as db:
        db.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        db.execute(f'CREATE DATABASE "{name}"')


class Phone:
    """One member's phone behind the proxy, talking to the WSGI application in this process."""

    def __init__(self, application, address: str):
        self.application, self.address, self.cookies = application, address, {}

    def request(self, method: str, path: str, data: dict | None = None) -> tuple[int, str]:
        body = urlencode(data).encode() if data is not None else b""
        environ = {
            "REQUEST_METHOD": method, "PATH_INFO": path, "QUERY_STRING": "", "SCRIPT_NAME": "",
            "SERVER_NAME": "127.0.0.1", "SERVER_PORT": "8000", "SERVER_PROTOCOL": "HTTP/1.1",
            "REMOTE_ADDR": "127.0.0.1", "HTTP_HOST": "127.0.0.1:8000", "HTTP_X_FORWARDED_FOR": self.address,
            "HTTP_X_FORWARDED_PROTO": "https", "wsgi.url_scheme": "http", "wsgi.input": io.BytesIO(body),
            "wsgi.errors": sys.stderr, "CONTENT_LENGTH": str(len(body)),
            "HTTP_COOKIE": "; ".join(f"{k}={v}" for k, v in self.cookies.items()),
        }
        if data is not None:
            environ.update(CONTENT_TYPE="application/x-www-form-urlencoded",
                           HTTP_REFERER=f"https://127.0.0.1:8000{path}")
        answer = {}

        def start_response(status, headers, exc_info=None):
            answer["status"], answer["headers"] = int(status.split()[0]), headers

        response = self.application(environ, start_response)
        try:
            text = b"".join(response).decode("utf-8", "replace")
        finally:
            response.close()  # request_finished: the connection goes back to the pool, as under gunicorn
        for name, value in answer["headers"]:
            if name.lower() == "set-cookie":
                key, _, rest = value.partition("=")
                self.cookies[key] = rest.split(";", 1)[0]
        return answer["status"], text


def database_cpu(database_url: str) -> float:
    from load.__main__ import database_cpu as cpu

    return cpu(database_url)


def child() -> int:
    import django

    django.setup()
    from datetime import timedelta

    from django.db import connections
    from django.utils import timezone

    from gongzhi.orgs.models import Organization, OrgKind
    from gongzhi.service import services
    from gongzhi.service.models import Activity, ActivityKind, OpenTo
    from gongzhi.wsgi import application

    spec = json.loads(Path(os.environ["LOAD_CPU_SPEC"]).read_text(encoding="utf-8"))
    count = int(os.environ["LOAD_CPU_COUNT"])
    profile = bool(os.environ.get("LOAD_CPU_PROFILE"))
    by_statement = bool(os.environ.get("LOAD_CPU_STATEMENTS"))
    database_url = os.environ["DATABASE_URL"]
    street = Organization.objects.filter(kind=OrgKind.STREET).order_by("path").first()
    now = timezone.now()
    event = Activity.objects.create(  # a new activity each run: every member checks in anew
        organization=street, title="全街道党员集中报到日（负载测试）", kind=ActivityKind.OTHER, place="街道广场",
        starts_at=now - timedelta(minutes=5), ends_at=now + timedelta(hours=3), open_to=OpenTo.MEMBERS,
        requires_signup=False)
    scan = f"/service/scan/{services.checkin_token(event)}/"
    connections.close_all()
    csrf = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
    phones = []
    for index, username in enumerate(spec["members"][:WARM_UP + count * (1 + profile + by_statement)]):
        phone = Phone(application, f"198.51.{100 + index // 250}.{index % 250 + 1}")
        _, page = phone.request("GET", "/accounts/login/")
        status, _ = phone.request("POST", "/accounts/login/", {
            "username": username, "password": spec["password"], "csrfmiddlewaretoken": csrf.search(page).group(1)})
        assert status == 302, f"{username} could not sign in ({status})"
        phones.append(phone)

    def open_pages(group):
        """Each phone of a round opens the check-in page just before the round, as a phone does after scanning the
        code: signing everyone in takes longer than a session's idle window moves on in
        (``GONGZHI_SESSION_REFRESH_SECONDS``), and a page opened then would leave its session's row to be written by
        the measured check-in (and not by the trivial requests that follow it)."""
        pairs = []
        for phone in group:
            _, page = phone.request("GET", scan)
            pairs.append((phone, csrf.search(page).group(1)))
        return pairs

    def check_in(phone, token):
        status, _ = phone.request("POST", scan, {"csrfmiddlewaretoken": token})
        assert status == 302, f"a check-in answered {status}"

    def trivial(phone, _token):
        status, _ = phone.request("GET", "/healthz")
        assert status == 200, f"/healthz answered {status}"

    queries = []

    def counting(execute, sql, params, many, context):
        queries.append(sql)
        return execute(sql, params, many, context)

    def measure(work, pairs, probe) -> None:
        database, cpu = database_cpu(database_url), time.process_time()
        for phone, token in pairs:
            work(phone, token)
        cpu, database = time.process_time() - cpu, database_cpu(database_url) - database
        queries.clear()
        with connections["default"].execute_wrapper(counting):
            work(*probe)
        print(f"{work.__name__:>9}: {len(pairs)} requests; CPU a request: this process "
              f"{cpu * 1000 / len(pairs):.2f} ms, the database server {database * 1000 / len(pairs):.2f} ms; "
              f"{len(queries)} queries", flush=True)
        if os.environ.get("LOAD_CPU_SQL"):
            for sql in queries:
                print("    ", sql[:300])

    warm, timed = open_pages(phones[:WARM_UP]), open_pages(phones[WARM_UP:WARM_UP + count])
    for phone, token in warm:
        check_in(phone, token)
        trivial(phone, token)
    measure(check_in, timed[1:], timed[0])  # the first member's check-in counts the queries
    measure(trivial, timed, timed[0])
    rounds = [phones[WARM_UP + count * n:WARM_UP + count * (n + 1)] for n in (1, 2)]
    if by_statement:
        statement_cpu(check_in, open_pages(rounds.pop(0)), database_url)
    if profile:
        pairs = open_pages(rounds[0])
        profiler = cProfile.Profile(time.process_time)
        profiler.enable()
        for phone, token in pairs:
            check_in(phone, token)
        profiler.disable()
        if os.environ.get("LOAD_CPU_PSTATS"):
            profiler.dump_stats(os.environ["LOAD_CPU_PSTATS"])
        out = io.StringIO()
        stats = pstats.Stats(profiler, stream=out)
        print(f"cProfile: {stats.total_calls / count:.0f} function calls a check-in")
        stats.sort_stats("cumulative").print_stats(45)
        stats.sort_stats("tottime").print_stats(30)
        print(out.getvalue())
    return 0


def _backend_cpu(pid: int) -> int:
    """Nanoseconds of CPU so far of one PostgreSQL backend (Linux's schedstat: finer than /proc's ticks)."""
    return int(Path(f"/proc/{pid}/schedstat").read_text().split()[0])


def statement_cpu(work, pairs, database_url: str) -> None:
    """The database server's CPU a request, statement by statement (its backend's schedstat before and after each),
    and what is left outside them (BEGIN, COMMIT with the deferred foreign keys' checks, the pool's checks)."""
    from django.db import connections

    spent: dict[str, list[int]] = {}

    def timing(execute, sql, params, many, context):
        pid = context["connection"].connection.info.backend_pid
        before = _backend_cpu(pid)
        try:
            return execute(sql, params, many, context)
        finally:
            spent.setdefault(" ".join(sql.split()[:6])[:90], []).append(_backend_cpu(pid) - before)

    total = database_cpu(database_url)
    for phone, token in pairs:
        with connections["default"].execute_wrapper(timing):
            work(phone, token)
    total = (database_cpu(database_url) - total) * 1e9
    print(f"the database server's CPU a {work.__name__}, statement by statement ({len(pairs)} requests):")
    inside = 0
    for sql, times in spent.items():
        inside += sum(times)
        print(f"  {sum(times) / len(pairs) / 1000:7.0f} µs  ×{len(times) / len(pairs):.0f}  {sql}")
    print(f"  {(total - inside) / len(pairs) / 1000:7.0f} µs  outside them (BEGIN, COMMIT, checks), of "
          f"{total / len(pairs) / 1000:.0f} µs", flush=True)


if __name__ == "__main__":
    sys.exit(child() if "--child" in sys.argv else parent(sys.argv[1:]))
