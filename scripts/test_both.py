"""Run the whole test suite on SQLite and on PostgreSQL at the same time (`make test`).

The two runs share the machine: while one waits on its database server, a browser or a subprocess,
the other computes, and neither's last module leaves the cores idle. The SQLite run prints as it goes;
the PostgreSQL run (scripts/test_postgres.py, which also runs the live replica test after it) writes
to var/test-postgres.log, printed whole when both are done. The exit status is the first failure's.

When PostgreSQL is reachable, both runs split the browser crawl of the demo between them (tests/crawl.py:
each crawl module runs in one database's run only); a run alone, or without PostgreSQL, crawls it whole.

The checks given with ``--check COMMAND`` (`make test`: the deploy check, the migrations check, the
translations check) run one after the other once the first of the two runs has finished, on the core it
leaves idle, rather than before both; their output is printed at the end.

    python scripts/test_both.py [--check COMMAND]... [pytest options, e.g. -n auto --dist loadfile]
"""

from __future__ import annotations

import os
import shlex
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from test_postgres import DEFAULT_URL, reachable

ROOT = Path(__file__).resolve().parent.parent
LOG = ROOT / "var" / "test-postgres.log"
CRAWL_SPLIT = "GONGZHI_CRAWL_SPLIT"  # tests/crawl.py's SPLIT


def run_environment(postgres: bool) -> dict[str, str]:
    """Both runs' environment: the crawl split between them when the PostgreSQL run happens (``postgres``)."""
    env = {key: value for key, value in os.environ.items() if key != CRAWL_SPLIT}
    if postgres:
        env[CRAWL_SPLIT] = "1"
    return env


def _split(arguments: list[str]) -> tuple[list[str], list[str]]:
    checks, options = [], []
    while arguments:
        argument = arguments.pop(0)
        if argument == "--check":
            checks.append(arguments.pop(0))
        else:
            options.append(argument)
    return checks, options


def _run_checks(checks: list[str], output) -> int:
    status = 0
    for command in checks:
        output.write(f"$ {command}\n".encode())
        output.flush()
        status = status or subprocess.call(shlex.split(command), cwd=ROOT, stdout=output, stderr=subprocess.STDOUT)  # noqa: S603
    return status


def _finished(status: int, began: float) -> None:
    print(f"SQLite: exit {status} after {time.monotonic() - began:.0f} s; waiting for PostgreSQL", flush=True)


def main() -> int:
    checks, options = _split(sys.argv[1:])
    LOG.parent.mkdir(exist_ok=True)
    began = time.monotonic()
    env = run_environment(reachable(os.environ.get("TEST_DATABASE_URL", DEFAULT_URL)))
    with LOG.open("w") as log, tempfile.TemporaryFile() as checks_output:
        postgres = subprocess.Popen([sys.executable, str(ROOT / "scripts" / "test_postgres.py"), *options],  # noqa: S603
                                    cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, env=env)
        print("Running the test suite on SQLite here and on PostgreSQL beside it "
              f"(its output: {LOG.relative_to(ROOT)})", flush=True)
        sqlite = subprocess.Popen([sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-q", *options],  # noqa: S603
                                  cwd=ROOT, env=env)
        while sqlite.poll() is None and postgres.poll() is None:
            time.sleep(1)
        if sqlite.poll() is not None:
            _finished(sqlite.returncode, began)
        checks_status = _run_checks(checks, checks_output)
        if sqlite.returncode is None:
            _finished(sqlite.wait(), began)
        sqlite_status = sqlite.returncode
        postgres_status = postgres.wait()
        checks_output.seek(0)
        checks_text = checks_output.read().decode(errors="replace")
    print(LOG.read_text(), end="")
    print(f"PostgreSQL: exit {postgres_status} after {time.monotonic() - began:.0f} s", flush=True)
    if checks:
        print(checks_text, end="")
        print(f"Checks: exit {checks_status}", flush=True)
    return sqlite_status or postgres_status or checks_status


if __name__ == "__main__":
    sys.exit(main())
