"""Helpers for the tests of the production set-up: the documented PostgreSQL roles on the test
database, a collected static directory, a server process on a free port, HTTP as a browser behind
nginx would send it (X-Forwarded-For, X-Forwarded-Proto) with cookies kept by hand."""

from __future__ import annotations

import http.client
import os
import re
import signal
import socket
import subprocess
import sys
import time
from contextlib import contextmanager, suppress
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

from django.db import connection

PROJECT = Path(__file__).resolve().parent.parent
ROLES_SQL = PROJECT / "scripts" / "database_roles.sql"
#: Ports this project's tests may listen on.
PORTS = range(8100, 8150)
HOST = "gongzhi.test"


def postgres_url(user: str | None = None) -> str:
    s = connection.settings_dict
    who = user or s["USER"] or "postgres"
    password = f":{s['PASSWORD']}" if s["PASSWORD"] and user is None else ""
    return f"postgres://{who}{password}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


@contextmanager
def database_roles():
    """The owner and application roles of scripts/database_roles.sql on the test database (the script
    run by psql exactly as docs/deployment.md says), dropped afterwards. Yields (owner, app)."""
    name = connection.settings_dict["NAME"]
    owner, app = f"{name}_owner"[:63], f"{name}_app"[:63]
    _drop_roles(owner, app)  # left by a run that was killed
    psql = ["psql", "-q", postgres_url(), "-v", f"owner={owner}", "-v", f"app={app}", "-f", str(ROLES_SQL)]
    subprocess.run(psql, check=True, capture_output=True, timeout=60)  # noqa: S603, S607 - the documented command
    try:
        yield owner, app
    finally:
        _drop_roles(owner, app)


def _drop_roles(owner: str, app: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT rolname FROM pg_roles WHERE rolname IN (%s, %s)", [owner, app])
        present = {row[0] for row in cursor.fetchall()}
        cursor.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename IN (%s, %s)",
                       [owner, app])
        for role in (app, owner):  # one at a time: the default privileges name both
            if role in present:
                cursor.execute(f'REASSIGN OWNED BY "{role}" TO CURRENT_USER')
                cursor.execute(f'DROP OWNED BY "{role}"')
                cursor.execute(f'DROP ROLE "{role}"')


def free_port() -> int:
    # Each pytest-xdist worker, of the SQLite run or of the PostgreSQL run beside it, starts its search
    # elsewhere, so that two workers starting servers at once do not both find the same port free.
    worker = os.environ.get("PYTEST_XDIST_WORKER", "gw0")
    start = (int(worker[2:] or 0) * 10) % len(PORTS) if worker[2:].isdigit() else 0
    start = (start + (25 if connection.vendor == "postgresql" else 0)) % len(PORTS)
    for port in [*PORTS[start:], *PORTS[:start]]:
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError("no free port in 8100–8149")


def production_env(var_dir: Path, database_url: str, **extra) -> dict:
    """The environment README's production section sets (behind nginx on the same machine)."""
    env = {key: value for key, value in os.environ.items() if not key.startswith(("PYTEST", "DJANGO_"))}
    # README: `gongzhi keys generate --file …`, a key file kept apart from the database. The server opens the
    # test database, whose values the suite sealed with its fixed test key: the file holds that key.
    keys = var_dir / "data-keys.json"
    if not keys.exists():
        from django.conf import settings

        keys.write_text(settings.TEST_DATA_KEYS)
        keys.chmod(0o600)
    env.update({"GONGZHI_DATA_KEYS": str(keys),
        "DEBUG": "false", "SECRET_KEY": "smoke-test-" + "x" * 50, "ALLOWED_HOSTS": HOST, "DATABASE_URL": database_url,
        "GONGZHI_VAR_DIR": str(var_dir), "GONGZHI_TRUSTED_PROXIES": "127.0.0.1", "GONGZHI_DEMO": "false",
        "DJANGO_SETTINGS_MODULE": "gongzhi.settings", "LOG_LEVEL": "ERROR", **extra,
    })
    return env


def collect_static(var_dir: Path) -> None:
    """README's `gongzhi collectstatic` with the production settings into ``var_dir/static``, compressed
    once for the same sources (scripts/collected_static.py: `make check-deploy`, the SQLite run, the
    PostgreSQL run and the replica test copy one collected tree)."""
    env = production_env(var_dir, "sqlite:///" + str(var_dir / "unused.sqlite3"))
    subprocess.run([sys.executable, str(PROJECT / "scripts" / "collected_static.py"), str(var_dir / "static")],  # noqa: S603
                   cwd=PROJECT, check=True, env=env, timeout=900, capture_output=True)


@contextmanager
def server(command: list[str], env: dict, port: int, timeout: float = 30):
    """Start a server process, wait until /healthz answers, and at the end kill it with its workers (its
    process group): nothing is tested of how it stops, and gunicorn's workers stopping gracefully took
    about a second of CPU each (Python's finalization after serving the menus), ~2.1 s of the 10.5 s the
    every-page test's server cost on SQLite."""
    log = open(Path(env["GONGZHI_VAR_DIR"]) / f"server-{port}.log", "w+")
    process = subprocess.Popen(command, cwd=PROJECT, env=env, stdout=log, stderr=subprocess.STDOUT,  # noqa: S603
                               start_new_session=True)
    try:
        deadline = time.monotonic() + timeout
        while True:
            try:
                if Browser(port).get("/healthz").status == 200:
                    break
            except OSError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                log.seek(0)
                raise RuntimeError(f"the server did not start:\n{log.read()[-3000:]}")
            time.sleep(0.2)
        yield process
    finally:
        with suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait()
        log.close()


class Response:
    def __init__(self, raw: http.client.HTTPResponse):
        self.status, self.headers, self.body = raw.status, raw.headers, raw.read()

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", "replace")


class Browser:
    """One person's browser behind nginx: HTTPS as far as Django knows, the client's own address in
    X-Forwarded-For, cookies kept (Secure ones too: nginx speaks TLS to the browser)."""

    def __init__(self, port: int, client_ip: str = "203.0.113.7"):
        self.port, self.client_ip, self.cookies = port, client_ip, {}

    def request(self, method: str, path: str, body: bytes | None = None, headers: dict | None = None) -> Response:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        try:
            all_headers = {"Host": HOST, "X-Forwarded-Proto": "https", "X-Forwarded-For": self.client_ip,
                           "Accept-Language": "zh-CN"}
            if self.cookies:
                all_headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
            all_headers.update(headers or {})
            conn.request(method, path, body=body, headers=all_headers)
            response = Response(conn.getresponse())
        finally:
            conn.close()
        for header in response.headers.get_all("Set-Cookie") or []:
            for key, morsel in SimpleCookie(header).items():
                self.cookies[key] = morsel.value
        return response

    def get(self, path: str) -> Response:
        return self.request("GET", path)

    def post(self, path: str, data: dict, referer: str | None = None) -> Response:
        headers = {"Content-Type": "application/x-www-form-urlencoded", "Referer": f"https://{HOST}{referer or path}",
                   "X-CSRFToken": self.cookies.get("csrftoken", "")}
        return self.request("POST", path, urlencode(data).encode(), headers)

    def post_json(self, path: str, body: bytes) -> Response:
        headers = {"Content-Type": "application/json", "Referer": f"https://{HOST}{path}",
                   "X-CSRFToken": self.cookies.get("csrftoken", "")}
        return self.request("POST", path, body, headers)

    def log_in(self, username: str, password: str) -> Response:
        page = self.get("/accounts/login/")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
        return self.post("/accounts/login/", {"csrfmiddlewaretoken": token, "username": username,
                                              "password": password})
