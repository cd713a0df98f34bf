"""README's `gongzhi collectstatic` (with the production settings of the environment), compressed once
for the same sources: the collected tree is kept under var/cache/ and copied to DEST.

`make check-deploy` and the production tests (tests/production.py) of both test runs all use it, so that
`make test` compresses every file once: whoever comes first collects, under a lock, while the others wait
for it and copy (compression is ~20 s of CPU; both runs' first production tests start at once).

    python scripts/collected_static.py DEST
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CACHE = ROOT / "var" / "cache"


def sources_key() -> str:
    """What collectstatic's output depends on: the locked packages and every static source file."""
    digest = hashlib.sha256((ROOT / "uv.lock").read_bytes())
    for path in sorted((ROOT / "src").rglob("static/**/*")):
        if path.is_file():
            stat = path.stat()
            digest.update(f"{path.relative_to(ROOT)}:{stat.st_size}:{stat.st_mtime_ns}".encode())
    return digest.hexdigest()[:16]


def collected() -> Path:
    """The collected tree for the present sources, collected now if no run has yet."""
    CACHE.mkdir(parents=True, exist_ok=True)
    cache = CACHE / f"collected-static-{sources_key()}"
    with open(CACHE / "collected-static.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (cache / "staticfiles.json").exists():
            scratch = Path(tempfile.mkdtemp(dir=CACHE))
            try:
                env = {**os.environ, "GONGZHI_VAR_DIR": str(scratch),
                       "DATABASE_URL": f"sqlite:///{scratch / 'unused.sqlite3'}"}
                subprocess.run([sys.executable, "-m", "gongzhi", "collectstatic", "--noinput", "-v0"], cwd=ROOT,
                               check=True, env=env, timeout=600)
                for old in CACHE.glob("collected-static-*"):
                    if old.is_dir() and old != cache:
                        shutil.rmtree(old, ignore_errors=True)
                (scratch / "static").rename(cache)
            finally:
                shutil.rmtree(scratch, ignore_errors=True)
    return cache


def main(destination: str) -> None:
    shutil.copytree(collected(), destination, dirs_exist_ok=True)


if __name__ == "__main__":
    main(sys.argv[1])
