"""``make load`` (``uv run python -m load``): a street-wide event under load.

500 party members on phones (``LOAD_USERS``) sign in and check in by the activity's QR link within two
minutes (``LOAD_SECONDS``), while the street's and a community's staff keep opening their pages; the
project runs under gunicorn on 127.0.0.1 with the production settings (DEBUG off, behind a trusted proxy,
Redis at ``LOAD_REDIS_URL`` when it answers: default ``redis://127.0.0.1:6379/14``, emptied first).
Before the load, the check-in is timed alone (the unloaded time), and its throughput is measured against an
authenticated trivial request under the same gunicorn (``/healthz`` with a signed-in member's session;
``LOAD_THROUGHPUT`` members, 300 unless set, check in, six clients at a time, and then ask for ``/healthz`` five
times each), both measured warm, after the same unmeasured warm-up of as many other members' check-ins and
``/healthz``. Prints
requests per second, the median, p95 and p99 of each step and the errors; then checks that there were no errors,
that a check-in's p95 under load stays under 10× its unloaded time, that check-ins go through at least half as
fast as the trivial request, and that the database holds exactly one check-in per member who was told "checked
in". Exit status 1 otherwise.

Runs on SQLite (a fresh file under var/load/) and, when PostgreSQL answers at ``LOAD_POSTGRES_URL``
(default ``postgres://postgres@127.0.0.1:5432/gongzhi_load``, emptied first; its name must contain
``load``), on PostgreSQL too. ``python -m load sqlite`` or ``python -m load postgres`` runs one.
"""

from __future__ import annotations

import csv
import http.client
import json
import os
import re
import resource
import shutil
import socket
import statistics
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import NamedTuple
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
PG_URL = os.environ.get("LOAD_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/gongzhi_load")
REDIS_URL = os.environ.get("LOAD_REDIS_URL", "redis://127.0.0.1:6379/14")
USERS = int(os.environ.get("LOAD_USERS", "500"))
SECONDS = int(os.environ.get("LOAD_SECONDS", "120"))
BASELINE = 10  # members whose check-ins are timed alone, before the load
# Members whose check-ins measure throughput (and as many before them, the warm-up): 300 check-ins take about a
# second; 100 took a third of one, and the ratio of two such short runs swung by a tenth from run to run.
THROUGHPUT = int(os.environ.get("LOAD_THROUGHPUT", "300"))
CLIENTS = 6  # clients at a time in the throughput measurement (gunicorn serves 3 workers × 4 threads)
CEILING = 10.0
GOAL = 0.5  # check-ins per second / authenticated trivial requests per second
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def environment(var_dir: Path, database_url: str) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "PYTEST"))}
    env.update({
        "DEBUG": "false", "SECRET_KEY": "load-test-" + "x" * 50, "ALLOWED_HOSTS": "127.0.0.1",
        "DATABASE_URL": database_url, "GONGZHI_VAR_DIR": str(var_dir), "GONGZHI_TRUSTED_PROXIES": "127.0.0.1",
        "GONGZHI_SECURE_COOKIES": "false", "GONGZHI_DEMO": "false", "DJANGO_SETTINGS_MODULE": "gongzhi.settings",
        "LOAD_USERS": str(USERS + BASELINE + 2 * THROUGHPUT), "PYTHONPATH": str(ROOT),
    })
    env.pop("GONGZHI_REDIS_URL", None)
    if redis_ready():
        env["GONGZHI_REDIS_URL"] = REDIS_URL
    return env


def redis_ready() -> bool:
    """Production runs with Redis (README): the load test does too when it answers at ``LOAD_REDIS_URL``
    (its database emptied first), else with each worker's own memory and a warning."""
    import redis

    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=3).flushdb()
        return True
    except redis.RedisError as error:
        print(f"Redis at {REDIS_URL} is not available ({error}): each gunicorn worker caches on its own")
        return False


def run(command: list[str], env: dict) -> None:
    subprocess.run(command, cwd=ROOT, env=env, check=True)  # noqa: S603


class Phone:
    """One member's phone behind the proxy, for the unloaded check-in timing."""

    def __init__(self, port: int, address: str):
        self.port, self.address, self.cookies = port, address, {}

    def request(self, method: str, path: str, data: dict | None = None) -> tuple[int, str]:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        headers = {"X-Forwarded-For": self.address, "X-Forwarded-Proto": "https",
                   "Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        body = None
        if data is not None:
            body = urlencode(data).encode()
            headers.update({"Content-Type": "application/x-www-form-urlencoded",
                            "Referer": f"https://127.0.0.1:{self.port}{path}"})
        conn.request(method, path, body=body, headers=headers)
        response = conn.getresponse()
        for name, value in response.getheaders():
            if name.lower() == "set-cookie":
                key, _, rest = value.partition("=")
                self.cookies[key] = rest.split(";", 1)[0]
        text = response.read().decode("utf-8", "replace")
        conn.close()
        return response.status, text

    def send_form(self, path: str, data: dict) -> int:
        _, page = self.request("GET", path)
        token = CSRF.search(page)
        status, _ = self.request("POST", path, {**data, "csrfmiddlewaretoken": token.group(1) if token else ""})
        return status


def unloaded_check_in(port: int, spec: dict) -> float:
    """The median time, in ms, of a check-in (the POST) by members alone on the server."""
    times = []
    for index, username in enumerate(spec["members"][:BASELINE]):
        phone = Phone(port, f"192.0.2.{index + 1}")
        assert phone.send_form("/accounts/login/", {"username": username, "password": spec["password"]}) == 302
        _, page = phone.request("GET", spec["scan"])
        token = CSRF.search(page).group(1)
        started = time.perf_counter()
        status, _ = phone.request("POST", spec["scan"], {"csrfmiddlewaretoken": token})
        times.append((time.perf_counter() - started) * 1000)
        assert status == 302, f"the unloaded check-in answered {status}"
    return statistics.median(times)


def database_cpu(database_url: str) -> float:
    """CPU seconds so far of the PostgreSQL server's processes serving ``database_url`` (its backends, on this
    machine: Linux's /proc); 0 for SQLite, whose work is the server's own."""
    if not database_url.startswith("postgres"):
        return 0.0
    import psycopg

    server, name = database_url.rsplit("/", 1)
    with psycopg.connect(f"{server}/postgres", autocommit=True) as db:
        pids = [row[0] for row in db.execute("SELECT pid FROM pg_stat_activity WHERE datname = %s", (name,))]
    return sum(tree_cpu(pid) for pid in pids)


class Rate(NamedTuple):
    """Requests a second, and the CPU a request cost gunicorn, the database server and the clients together (ms)."""

    per_second: float
    cpu_ms: float


def throughput(port: int, spec: dict, server_pid: int, database_url: str) -> tuple[Rate, Rate]:
    """Check-ins per second and authenticated trivial requests per second under the same gunicorn, each
    sent by ``CLIENTS`` clients at a time: members signed in beforehand, each with the check-in page open.

    Both are measured warm, after the same warm-up: ``THROUGHPUT`` other members check in and then ask for
    ``/healthz`` once each, ``CLIENTS`` at a time, unmeasured. Each gunicorn worker's pool opens its database
    connections under that concurrency, and every new PostgreSQL backend pays for its first uses (its catalog
    caches, the check-in's statements prepared, then planned anew for their first five runs before PostgreSQL
    settles on a plan); without the warm-up those costs fell on the check-ins, measured first on connections that
    had seen no concurrent request, and not on the trivial requests that followed on the same connections.

    The clients' own CPU (printed) shares the cores with the server: it slows the trivial request's rate
    more than the check-in's, so the ratio errs on the generous side by about that share. The CPU a request
    cost gunicorn and the database server is printed too: unlike the rates, it hardly depends on what else
    the machine runs."""
    def open_page(numbered: tuple[int, str]) -> tuple[Phone, str]:
        index, username = numbered
        phone = Phone(port, f"198.51.{100 + index // 250}.{index % 250 + 1}")
        assert phone.send_form("/accounts/login/", {"username": username, "password": spec["password"]}) == 302
        _, page = phone.request("GET", spec["scan"])
        return phone, CSRF.search(page).group(1)

    with ThreadPoolExecutor(CLIENTS) as pool:  # each sign-in hashes a password: not one after the other
        phones = list(pool.map(open_page, enumerate(spec["members"][BASELINE:BASELINE + 2 * THROUGHPUT])))
    warm_up, measured = phones[:THROUGHPUT], phones[THROUGHPUT:]

    def per_second(work, phones: list, rounds: int, label: str = "") -> Rate:
        with ThreadPoolExecutor(CLIENTS) as pool:
            server, database = tree_cpu(server_pid), database_cpu(database_url)
            started, cpu = time.perf_counter(), time.process_time()
            done = sum(pool.map(lambda share: work(share, rounds), [phones[i::CLIENTS] for i in range(CLIENTS)]))
            rate = done / (time.perf_counter() - started)
            clients = time.process_time() - cpu
            server, database = tree_cpu(server_pid) - server, database_cpu(database_url) - database
        print(f"  {label}{work.__name__}: {done} requests, {rate:.0f}/s; CPU a request: gunicorn "
              f"{server * 1000 / done:.1f} ms, the database server {database * 1000 / done:.1f} ms, "
              f"the clients {clients * 1000 / done:.1f} ms",
              flush=True)
        return Rate(rate, (server + database + clients) * 1000 / done)

    def trivial(share: list, rounds: int) -> int:
        for _ in range(rounds):
            for phone, _ in share:
                assert phone.request("GET", "/healthz")[0] == 200, "the trivial request failed"
        return rounds * len(share)

    def check_in(share: list, _rounds: int) -> int:
        for phone, token in share:
            status, _ = phone.request("POST", spec["scan"], {"csrfmiddlewaretoken": token})
            assert status == 302, f"a check-in of the throughput measurement answered {status}"
        return len(share)

    per_second(check_in, warm_up, 1, "warm-up, ")
    per_second(trivial, warm_up, 1, "warm-up, ")
    return per_second(check_in, measured, 1), per_second(trivial, measured, 5)


def count_check_ins(env: dict) -> int:
    code = ("import django; django.setup(); from gongzhi.service.models import CheckIn; "
            "print(CheckIn.objects.filter(activity__title__contains='负载测试').count())")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, check=True,  # noqa: S603
                         capture_output=True, text=True)
    return int(out.stdout.strip().splitlines()[-1])


def children_cpu() -> float:
    """CPU seconds (user + system) of the children this process has waited for."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def tree_cpu(pid: int) -> float:
    """CPU seconds (user + system) so far of a running process and its descendants (Linux's /proc)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        children = " ".join(path.read_text() for path in Path(f"/proc/{pid}/task").glob("*/children")).split()
    except OSError:
        return 0.0
    own = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return own + sum(tree_cpu(int(child)) for child in children)


def scenario(label: str, database_url: str) -> bool:
    var_dir = ROOT / "var" / "load" / label
    shutil.rmtree(var_dir, ignore_errors=True)
    var_dir.mkdir(parents=True)
    env = environment(var_dir, database_url)
    gongzhi = [sys.executable, "-m", "gongzhi"]
    run([*gongzhi, "migrate", "--noinput", "-v0"], env)
    run([*gongzhi, "collectstatic", "--noinput", "-v0"], env)
    spec_path = var_dir / "spec.json"
    run([sys.executable, "-m", "load.prepare", str(spec_path)], env)
    spec = json.loads(spec_path.read_text(encoding="utf-8"))
    port = free_port()
    log = open(var_dir / "gunicorn.log", "w")  # noqa: SIM115
    server = subprocess.Popen(  # noqa: S603
        [sys.executable, "-m", "gunicorn", "gongzhi.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", "3",
         "--worker-class", "gthread", "--threads", "4", "--timeout", "120"], cwd=ROOT, env=env, stdout=log,
        stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 300  # a loaded machine boots three workers slowly
        while True:
            try:
                if Phone(port, "192.0.2.250").request("GET", "/healthz")[0] == 200:
                    break
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError("gunicorn did not start")
            time.sleep(0.3)
        alone = unloaded_check_in(port, spec)
        rates = throughput(port, spec, server.pid, database_url)
        load_spec = {**spec, "members": spec["members"][BASELINE + 2 * THROUGHPUT:]}
        (var_dir / "load.json").write_text(json.dumps(load_spec, ensure_ascii=False), encoding="utf-8")
        prefix = var_dir / "locust"
        people = len(load_spec["members"]) + len(spec["staff"])
        before, server_before = children_cpu(), tree_cpu(server.pid)
        subprocess.run([sys.executable, "-m", "locust", "-f", str(ROOT / "load" / "locustfile.py"),  # noqa: S603
                        "--headless", "-u", str(people), "-r", str(max(1, people * 3 // (SECONDS * 2))),
                        "-t", f"{SECONDS}s", "--host", f"http://127.0.0.1:{port}", "--csv", str(prefix),
                        "--only-summary", "--loglevel", "WARNING", "--stop-timeout", "30"],
                       cwd=ROOT, env={**env, "LOAD_SPEC": str(var_dir / "load.json")}, check=False,
                       stdout=subprocess.DEVNULL)
        cpu = {"Locust": children_cpu() - before, "gunicorn under load": tree_cpu(server.pid) - server_before}
    finally:
        before = children_cpu()
        server.terminate()
        try:
            server.wait(timeout=60)  # gunicorn's workers finish their requests (graceful timeout: 30 s)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        log.close()
    # gunicorn over its whole run (start, the unloaded timing, the load): its workers are counted when the
    # master waits for them at shutdown.
    cpu["gunicorn in all"] = children_cpu() - before
    return report(label, prefix, alone, rates, count_check_ins(env) - BASELINE - 2 * THROUGHPUT, cpu)


def report(label: str, prefix: Path, alone: float, rates: tuple[Rate, Rate], stored: int, cpu: dict) -> bool:
    with open(f"{prefix}_stats.csv", encoding="utf-8") as stats_file:
        rows = list(csv.DictReader(stats_file))
    print(f"\n{label}: {USERS} members and staff for {SECONDS} s; a check-in alone: {alone:.0f} ms")
    check_ins, trivial = rates
    fast_enough = check_ins.per_second >= GOAL * trivial.per_second
    # The rates decide; the CPU's ratio says the same with less of the machine's noise (both share two cores).
    print(f"  throughput, {CLIENTS} clients at a time: {check_ins.per_second:.0f} check-ins/s, "
          f"{trivial.per_second:.0f} authenticated /healthz/s: {check_ins.per_second / trivial.per_second:.2f}× "
          f"(goal {GOAL}×): {'ok' if fast_enough else 'TOO SLOW'}; by CPU a request (gunicorn, database, clients): "
          f"{trivial.cpu_ms:.1f} / {check_ins.cpu_ms:.1f} ms = {trivial.cpu_ms / check_ins.cpu_ms:.2f}×")
    print(f"{'step':<28} {'requests':>8} {'errors':>6} {'req/s':>7} {'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7}")
    ok = fast_enough
    checked_in = 0
    for row in rows:
        name = row["Name"]
        print(f"{name:<28} {row['Request Count']:>8} {row['Failure Count']:>6} {float(row['Requests/s']):>7.1f} "
              f"{row['50%']:>7} {row['95%']:>7} {row['99%']:>7}")
        if name == "Aggregated":
            ok &= int(row["Failure Count"]) == 0
        if name == "check in":
            checked_in = int(row["Request Count"]) - int(row["Failure Count"])
            p95 = float(row["95%"])
            within = p95 <= CEILING * alone
            print(f"  check-in p95 {p95:.0f} ms = {p95 / alone:.1f}× its unloaded time (ceiling {CEILING:.0f}×): "
                  f"{'ok' if within else 'TOO SLOW'}")
            ok &= within
    requests = next((int(row["Request Count"]) for row in rows if row["Name"] == "Aggregated"), 0)
    print("  CPU: " + ", ".join(f"{name} {seconds:.0f} s ({seconds * 1000 / max(1, requests):.1f} ms a request)"
                                for name, seconds in cpu.items()))
    same = stored == checked_in
    print(f"  check-ins stored: {stored}, answered as done: {checked_in}: {'ok' if same else 'MISMATCH'}")
    return ok and stored == checked_in and checked_in > 0


def postgres_ready() -> bool:
    import psycopg

    if "load" not in PG_URL.rsplit("/", 1)[-1]:
        raise SystemExit(f"refusing to empty {PG_URL}: the load database's name must contain 'load'")
    server, name = PG_URL.rsplit("/", 1)
    try:
        with psycopg.connect(f"{server}/postgres", autocommit=True, connect_timeout=3) as db:
            db.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            db.execute(f'CREATE DATABASE "{name}"')
        return True
    except psycopg.Error as error:
        print(f"PostgreSQL at {server} is not available ({error}): the PostgreSQL run is skipped")
        return False


def main() -> int:
    which = sys.argv[1:] or ["sqlite", "postgres"]
    ok = True
    if "sqlite" in which:
        ok &= scenario("sqlite", f"sqlite:///{ROOT / 'var' / 'load' / 'sqlite' / 'load.sqlite3'}")
    if "postgres" in which and postgres_ready():
        ok &= scenario("postgres", PG_URL)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
