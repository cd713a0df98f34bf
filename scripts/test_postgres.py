"""Run the test suite again on PostgreSQL when one is reachable.

Uses TEST_DATABASE_URL, else postgres://postgres@127.0.0.1:5432/test (trust auth).
Outside CI an unreachable server skips the run with a message; in CI (CI=true) it fails. After the
whole suite, the live replica test (tests/core/test_replica_live.py) runs again on its own.
"""

from __future__ import annotations

import os
import subprocess
import sys

import psycopg

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
    status = subprocess.call([sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-q", *sys.argv[1:]], env=env)
    if status != 0 or any(os.path.exists(arg.split("::", 1)[0]) for arg in sys.argv[1:]):
        return status  # a failure, or a run of chosen tests only
    # The live replica test runs alone: a hot standby opens for reads only once no transaction of the
    # primary is overflowing its subtransactions, which the suite's long-lived test transactions would be.
    print("Running the live replica test on its own")
    return subprocess.call([sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-q", "-p", "no:xdist",
                            LIVE_REPLICA_TEST], env={**env, "GONGZHI_LIVE_REPLICA": "1"})


if __name__ == "__main__":
    sys.exit(main())
