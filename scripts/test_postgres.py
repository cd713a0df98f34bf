"""Run the test suite again on PostgreSQL when one is reachable.

Uses TEST_DATABASE_URL, else postgres://postgres@127.0.0.1:5432/test (trust auth).
Outside CI an unreachable server skips the run with a message; in CI (CI=true) it fails. After the
whole suite, the live replica test (tests/core/test_replica_live.py) runs again on its own, on a copy of
the database the suite migrated (tests/template_db.py), which is dropped afterwards.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

import psycopg
from psycopg import sql

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/test"
LIVE_REPLICA_TEST = "tests/core/test_replica_live.py"


def reachable(url: str) -> bool:
    try:
        with psycopg.connect(url, connect_timeout=3) as connection:
            connection.execute("SELECT 1")
        return True
    except psycopg.Error:
        return False


def main() -> int:
    url = os.environ.get("TEST_DATABASE_URL", DEFAULT_URL)
    if not reachable(url):
        if os.environ.get("CI", "").lower() == "true":
            print(f"PostgreSQL is not reachable at {url}: CI requires the PostgreSQL run.")
            return 1
        print(f"PostgreSQL is not reachable at {url}: skipping the PostgreSQL run.")
        return 0
    print(f"Running the test suite on PostgreSQL ({url.rsplit('@', 1)[-1]})")
    env = {**os.environ, "DATABASE_URL": url}
    handle, kept = tempfile.mkstemp(prefix="gongzhi-test-template-", suffix=".txt")
    os.close(handle)
    kept = Path(kept)
    kept.unlink()  # the suite's run writes the name of the template it kept here (tests/template_db.py)
    try:
        status = subprocess.call([sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-q", *sys.argv[1:]],
                                 env={**env, "GONGZHI_TEST_TEMPLATE_KEEP": str(kept)})
        if status != 0 or any(os.path.exists(arg.split("::", 1)[0]) for arg in sys.argv[1:]):
            return status  # a failure, or a run of chosen tests only
        # The live replica test runs alone: a hot standby opens for reads only once no transaction of the
        # primary is overflowing its subtransactions, which the suite's long-lived test transactions would be.
        # It copies the suite's migrated template (a run without workers made none: it migrates).
        print("Running the live replica test on its own")
        replica_env = {**env, "GONGZHI_LIVE_REPLICA": "1"}
        if kept.exists():
            replica_env["GONGZHI_TEST_TEMPLATE"] = kept.read_text()
        return subprocess.call([sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-q", "-p", "no:xdist",
                                LIVE_REPLICA_TEST], env=replica_env)
    finally:
        if kept.exists():
            _drop(url, kept.read_text().split(":", 1)[1])
            kept.unlink()


def _drop(url: str, database: str) -> None:
    with psycopg.connect(url, autocommit=True) as connection:
        connection.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(database)))


if __name__ == "__main__":
    sys.exit(main())
