"""Run the whole test suite on SQLite and on PostgreSQL at the same time (`make test`).

The two runs share the machine: while one waits on its database server, a browser or a subprocess,
the other computes, and neither's last module leaves the cores idle. The SQLite run prints as it goes;
the PostgreSQL run (scripts/test_postgres.py, which also runs the live replica test after it) writes
to var/test-postgres.log, printed whole when both are done. The exit status is the first failure's.

    python scripts/test_both.py [pytest options, e.g. -n auto --dist loadfile]
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LOG = ROOT / "var" / "test-postgres.log"


def main() -> int:
    options = sys.argv[1:]
    LOG.parent.mkdir(exist_ok=True)
    began = time.monotonic()
    with LOG.open("w") as log:
        postgres = subprocess.Popen([sys.executable, str(ROOT / "scripts" / "test_postgres.py"), *options],  # noqa: S603
                                    cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)
        print("Running the test suite on SQLite here and on PostgreSQL beside it "
              f"(its output: {LOG.relative_to(ROOT)})", flush=True)
        sqlite = subprocess.call([sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-q", *options],  # noqa: S603
                                 cwd=ROOT)
        print(f"SQLite: exit {sqlite} after {time.monotonic() - began:.0f} s; waiting for PostgreSQL", flush=True)
        postgres_status = postgres.wait()
    print(LOG.read_text(), end="")
    print(f"PostgreSQL: exit {postgres_status} after {time.monotonic() - began:.0f} s", flush=True)
    return sqlite or postgres_status


if __name__ == "__main__":
    sys.exit(main())
