"""Compare two migrated databases: their schema and every row, ``django_migrations`` aside.

Made to check that squashed migrations build the database the replaced chain built: migrate one database
on the old commit, one on the new, then

    python scripts/compare_databases.py sqlite:///old.sqlite3 sqlite:///new.sqlite3
    python scripts/compare_databases.py postgres://postgres@127.0.0.1:5432/old postgres://postgres@127.0.0.1:5432/new

SQLite: ``sqlite_master`` (tables, indexes, triggers with their SQL), sorted. PostgreSQL: ``pg_dump
--schema-only`` without comments and settings (tables, columns in order, partitions, indexes, constraints,
functions, triggers, sequences, extensions). The rows of every table, sorted, compared as text. Exit status
1 and a unified diff when anything differs; ``--dump DIR`` also writes both sides there.
"""

from __future__ import annotations

import argparse
import difflib
import re
import sqlite3
import subprocess
import sys
from pathlib import Path

IGNORED_TABLES = {"django_migrations"}  # the names recorded differ: that is the point of a squash
# Rows made by ``post_migrate`` in the order the models were created: compared by their natural keys.
BY_NATURAL_KEY = {
    "django_content_type": "SELECT app_label, model FROM django_content_type",
    "auth_permission": "SELECT t.app_label, t.model, p.codename, p.name FROM auth_permission p "
                       "JOIN django_content_type t ON t.id = p.content_type_id",
}
# When a row was written (``created_at`` and the like) differs between two runs; the rest must not.
MOMENT = re.compile(r"'\d{4}-\d\d-\d\d[ T]\d\d:\d\d:\d\d(\.\d+)?([+-]\d\d:?\d\d)?'"  # SQLite's text
                    r"|datetime\.datetime\([^()]*(\([^()]*\)[^()]*)*\)")  # psycopg's datetime (its tzinfo)


def _sqlite_path(url: str) -> str:
    return url.removeprefix("sqlite:///") if url.startswith("sqlite:////") else url.removeprefix("sqlite:///")


def _select(table: str) -> str:
    return BY_NATURAL_KEY.get(table, f'SELECT * FROM "{table}"')  # noqa: S608 (names from the catalog)


def _rows(table: str, rows) -> list[str]:
    return [f"{table}: {row}" for row in sorted(MOMENT.sub("<moment>", repr(r)) for r in rows)]


def _split_top_level(body: str) -> list[str]:
    parts, depth, start = [], 0, 0
    for i, char in enumerate(body):
        depth += char == "("
        depth -= char == ")"
        if char == "," and depth == 0:
            parts.append(body[start:i].strip())
            start = i + 1
    parts.append(body[start:].strip())
    return parts


def _columns_sorted(sql: str) -> str:
    """A CREATE TABLE with its column definitions sorted (its table constraints kept in order)."""
    head, _, rest = sql.partition("(")
    body = rest[:rest.rindex(")")]
    parts = _split_top_level(body)
    columns = sorted(p for p in parts if p.startswith('"'))
    return f"{head}({', '.join(columns + [p for p in parts if not p.startswith(chr(34))])})"


def _sqlite_dump(url: str, any_column_order: bool = False) -> tuple[list[str], list[str]]:
    db = sqlite3.connect(f"file:{_sqlite_path(url)}?mode=ro", uri=True)
    try:
        rows = db.execute("SELECT type, name, tbl_name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' "
                          "ORDER BY type, name").fetchall()
        schema = [f"{kind} {name} on {table}: "
                  f"{_columns_sorted(sql) if any_column_order and kind == 'table' and sql else sql}"
                  for kind, name, table, sql in rows]
        tables = [name for kind, name, _table, _sql in rows if kind == "table" and name not in IGNORED_TABLES]
        data = []
        for table in tables:
            data += _rows(table, db.execute(_select(table)))
        return schema, data
    finally:
        db.close()


# PostgreSQL names a partition's copy of a parent index itself (``<partition>_<columns>_idx``, then ``_idx1``…),
# in the order ``core.partitions.convert`` reads the parent's indexes: the catalog's physical order.
PARTITION_INDEX_NAME = re.compile(r"\b(\w+_(?:default|y\d{4})_\w+_idx)\d*\b")


def _postgres_dump(url: str, any_partition_index_names: bool = False) -> tuple[list[str], list[str]]:
    schema_text = subprocess.run(["pg_dump", "--schema-only", "--no-owner", "--no-privileges", url],
                                 check=True, capture_output=True, text=True).stdout
    schema = [line for line in schema_text.splitlines()
              if line.strip() and not line.startswith("--") and not line.startswith("SET ")
              and not line.startswith("SELECT pg_catalog.set_config")
              and not line.startswith("\\restrict") and not line.startswith("\\unrestrict")]
    if any_partition_index_names:
        schema = sorted(PARTITION_INDEX_NAME.sub(r"\1", line) for line in schema)
    import psycopg

    data = []
    with psycopg.connect(url) as connection:
        tables = [name for (name,) in connection.execute(
            "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') AND NOT c.relispartition ORDER BY 1")]
        for table in tables:
            if table in IGNORED_TABLES:
                continue
            data += _rows(table, connection.execute(_select(table)))
    return schema, data


def dump(url: str, loose: bool = False) -> tuple[list[str], list[str]]:
    return _sqlite_dump(url, loose) if url.startswith("sqlite:") else _postgres_dump(url, loose)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("old")
    parser.add_argument("new")
    parser.add_argument("--dump", type=Path, help="write old/new schema and data there")
    parser.add_argument("--loose", action="store_true",
                        help="SQLite: compare a table's columns as a set (an altered field's table rebuild moves "
                             "its column last; a squash creates it in the model's order). PostgreSQL: ignore the "
                             "number PostgreSQL appends to a partition's index name (idx, idx1…)")
    args = parser.parse_args(argv)
    old, new = dump(args.old, args.loose), dump(args.new, args.loose)
    if args.dump:
        args.dump.mkdir(parents=True, exist_ok=True)
        for side, (schema, data) in (("old", old), ("new", new)):
            (args.dump / f"{side}.schema").write_text("\n".join(schema) + "\n")
            (args.dump / f"{side}.data").write_text("\n".join(data) + "\n")
    status = 0
    for what, a, b in (("schema", old[0], new[0]), ("data", old[1], new[1])):
        diff = list(difflib.unified_diff(a, b, f"old {what}", f"new {what}", lineterm="", n=1))
        if diff:
            status = 1
            print("\n".join(diff[:400]))
        print(f"{what}: {len(a)} / {len(b)} lines, {'identical' if not diff else 'DIFFERENT'}")
    return status


if __name__ == "__main__":
    sys.exit(main())
