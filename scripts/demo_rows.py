"""Load the demo street at a frozen moment and write every row of every table, to compare two commits' demos.

The demo's "now" (``timezone.now()``, ``localdate()``) is pinned with time-machine, so two loads of the same
code give byte-identical dumps and a change to the demo loader that keeps its contents gives no diff:

    DATABASE_URL=sqlite:////tmp/old.sqlite3 uv run --frozen python scripts/demo_rows.py /tmp/old.txt  # old commit
    DATABASE_URL=sqlite:////tmp/new.sqlite3 uv run --frozen python scripts/demo_rows.py /tmp/new.txt  # new commit
    diff /tmp/old.txt /tmp/new.txt && echo identical

Each database must be freshly migrated and empty. Rows are written table by table (every table of the
database, ``django_migrations`` aside), ordered by primary key (tables without one: by every column), with
their primary keys, so a row made in another order shows. What differs between two loads of the *same* code is
made the same: uploaded files go to a new empty directory, ``PYTHONHASHSEED`` is 0, the operating system's
randomness (``os.urandom``, behind ``secrets``, ``uuid4``, password salts and encryption nonces) is replaced
by a seeded generator for the load; encrypted values are written decrypted, ``sealed(<plain>)``, and UUIDs
numbered in order of first appearance (``<uuid 1>``…, the same UUID in two places shows as one), so that a
change which only draws the same random bytes in another order shows where. The points rules' version number,
drawn by a SQLite trigger, is written ``<varies>``. The CPU time of the load itself (``time.process_time``)
goes to stderr. The files the demo uploads are listed after the rows with their SHA-256.
"""

from __future__ import annotations

import hashlib
import os
import random
import re
import shutil
import sys
import tempfile
import time
import uuid
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

#: The moment the demo is loaded at: any fixed moment will do, as long as both sides use it.
MOMENT = datetime(2026, 11, 22, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
IGNORED_TABLES = {"django_migrations"}
#: (table, column) drawn at random by the database itself (SQLite's ``random()`` in a trigger): not compared.
VARYING = {("points_rulesversion", "version")}
UUID = re.compile(r"\b[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}\b")
SEALED_TEXT = re.compile(r"\b[a-z]\d+:[A-Za-z0-9+/=]{20,}")


class Normaliser:
    def __init__(self):
        from gongzhi.core import crypto

        self.crypto = crypto
        self.uuids: dict[str, str] = {}

    def __call__(self, value) -> str:
        if self.crypto.is_sealed(value):
            return f"sealed({self.crypto.unseal(value)!r})"
        if isinstance(value, uuid.UUID):
            value = value.hex
        text = repr(value)
        text = SEALED_TEXT.sub(lambda m: f"sealed({self.crypto.unseal(m.group(0))!r})"
                               if self.crypto.is_sealed(m.group(0)) else m.group(0), text)
        return UUID.sub(self._uuid, text)

    def _uuid(self, match) -> str:
        key = match.group(0).replace("-", "")
        return self.uuids.setdefault(key, f"<uuid {len(self.uuids) + 1}>")


def main(out: str) -> int:
    if os.environ.get("PYTHONHASHSEED") != "0":  # set iteration order, the same in both loads
        os.execve(sys.executable, [sys.executable, *sys.argv], {**os.environ, "PYTHONHASHSEED": "0"})  # noqa: S606
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongzhi.settings")
    # Uploaded files go to an empty directory: a name already taken there gets a random suffix.
    os.environ["GONGZHI_MEDIA_ROOT"] = tempfile.mkdtemp(prefix="demo-rows-media-")
    import django

    django.setup()
    import time_machine
    from django.db import connection
    from django.utils import timezone

    from gongzhi.core.demo import build_demo
    from gongzhi.orgs.models import Organization

    if Organization.objects.exists():
        print("The database is not empty: migrate a fresh one.", file=sys.stderr)
        return 2
    seeded = random.Random(20261122)
    os.urandom = random._urandom = seeded.randbytes  # secrets and SystemRandom draw through random._urandom
    with time_machine.travel(MOMENT, tick=False):
        started = time.process_time()
        build_demo(timezone.localdate(), log=lambda _line: None)
        cpu = time.process_time() - started
    print(f"demo load: {cpu:.2f} s CPU", file=sys.stderr)

    lines, normalise = [], Normaliser()
    with connection.cursor() as cursor:
        tables = sorted(set(connection.introspection.table_names(cursor)) - IGNORED_TABLES)
        for table in tables:
            description = connection.introspection.get_table_description(cursor, table)
            columns = [column.name for column in description]
            key = connection.introspection.get_primary_key_column(cursor, table)
            order = connection.ops.quote_name(key) if key else ", ".join(
                connection.ops.quote_name(c) for c in columns)
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)} ORDER BY {order}")  # noqa: S608
            for row in cursor.fetchall():
                values = ["<varies>" if (table, column) in VARYING else normalise(value)
                          for column, value in zip(columns, row, strict=True)]
                lines.append(f"{table}: {', '.join(values)}")
    media = os.environ["GONGZHI_MEDIA_ROOT"]
    for path in sorted(Path(media).rglob("*")):
        if path.is_file():
            lines.append(f"file {path.relative_to(media)}: {hashlib.sha256(path.read_bytes()).hexdigest()}")
    shutil.rmtree(media)
    with open(out, "w", encoding="utf-8") as handle:
        handle.write("\n".join(lines) + "\n")
    print(f"{len(lines)} rows in {len(tables)} tables → {out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
