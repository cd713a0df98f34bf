"""Sealing what is stored plain and resealing what an old key sealed, in batches, while the site runs.

One engine serves the data migrations that encrypt existing rows and ``gongzhi keys rotate``: it walks a
table by primary key, reads the sealed columns, seals plain values and reseals values whose key (or
cipher) is not the current one, recomputes the blind indexes and last characters, and writes each row
back *only if it has not changed since it was read* (a conditional UPDATE): a write by the site in
between wins, and it was sealed with the current key anyway. Running it again does only what is left,
so an interrupted rotation resumes where it stopped.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

from django.apps import apps as global_apps
from django.db import connection as default_connection
from django.db import models, transaction

from . import crypto
from .fields import BlindIndexField, _Companion, is_encrypted

BATCH = 500


@dataclass
class Table:
    model: type
    sealed: list  # encrypted fields
    companions: list  # computed columns (blind indexes, last characters)

    @property
    def label(self) -> str:
        return self.model._meta.label_lower


def tables(apps=global_apps) -> list[Table]:
    """Every model with encrypted fields (of the live app registry, or of a migration's)."""
    found = []
    for model in apps.get_models():
        if model._meta.proxy or not model._meta.managed:
            continue
        sealed = [f for f in model._meta.concrete_fields if is_encrypted(f)]
        if sealed:
            companions = [f for f in model._meta.concrete_fields if isinstance(f, _Companion)]
            found.append(Table(model, sealed, companions))
    return sorted(found, key=lambda t: t.label)


def table_of(apps, label: str) -> Table:
    model = apps.get_model(label)
    sealed = [f for f in model._meta.concrete_fields if is_encrypted(f)]
    return Table(model, sealed, [f for f in model._meta.concrete_fields if isinstance(f, _Companion)])


def _stale(value, ring) -> bool:
    if value in (None, ""):
        return False
    return not crypto.is_sealed(value) or crypto.key_of(value) != ring.prefix


def reseal_table(table: Table, *, connection=None, ring=None, batch: int = BATCH,
                 progress: Callable[[int], None] | None = None, decrypt: bool = False) -> dict:
    """Bring every value of one table onto the current key (or, with ``decrypt``, back to plain text for a
    migration's reverse). Returns counts: rows read, rows written, rows skipped because they changed."""
    connection = connection or default_connection
    ring = ring or crypto.keyring()
    qn = connection.ops.quote_name
    meta = table.model._meta
    pk = meta.pk.column
    columns = [f.column for f in table.sealed]
    companion_columns = [f.column for f in table.companions]
    same = "IS" if connection.vendor == "sqlite" else "IS NOT DISTINCT FROM"
    # Names come from the models' metadata, quoted; values are parameters.
    select = (f"SELECT {qn(pk)}, {', '.join(qn(c) for c in columns)} FROM {qn(meta.db_table)} "  # noqa: S608
              f"WHERE {qn(pk)} > %s ORDER BY {qn(pk)} LIMIT {int(batch)}")
    assignments = ", ".join(f"{qn(c)} = %s" for c in columns + companion_columns)
    guard = " AND ".join(f"{qn(c)} {same} %s" for c in columns)
    update = f"UPDATE {qn(meta.db_table)} SET {assignments} WHERE {qn(pk)} = %s AND {guard}"  # noqa: S608
    by_column = {f.name: f for f in table.sealed}
    counts = Counter()
    last = _lowest(connection, table)
    while True:
        with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
            cursor.execute(select, [last])
            rows = cursor.fetchall()
            if not rows:
                break
            for row in rows:
                last, stored = row[0], list(row[1:])
                counts["read"] += 1
                if not decrypt and not any(_stale(v, ring) for v in stored):
                    continue
                plain = {}
                new = []
                for f, value in zip(table.sealed, stored, strict=True):
                    if value in (None, ""):
                        plain[f.name] = value
                        new.append(value)
                        continue
                    text = crypto.unseal(value, ring) if crypto.is_sealed(value) else value
                    plain[f.name] = text
                    new.append(text if decrypt else crypto.seal(text, ring))
                computed = [_companion(c, plain, by_column, ring) for c in table.companions]
                cursor.execute(update, [*new, *computed, last, *stored])
                counts["written" if cursor.rowcount else "changed meanwhile"] += 1
        if progress:
            progress(len(rows))
    return dict(counts)


def _lowest(connection, table: Table):
    """A value below every primary key (integers and UUIDs)."""
    internal = table.model._meta.pk.get_internal_type()
    if internal == "UUIDField":
        return "" if connection.vendor == "sqlite" else "00000000-0000-0000-0000-000000000000"
    return -(2 ** 62)


def _companion(field, plain: dict, by_column: dict, ring):  # noqa: ARG001
    value = plain.get(field.source)
    if value is None and field.source not in plain:
        return None
    if isinstance(field, BlindIndexField):
        return crypto.blind_index(field.kind, value, ring)
    return crypto.last_chars(field.kind, value, field.max_length)


def encrypt_existing(*labels: str):
    """A migration operation that seals what ``labels`` (``app.Model``) store plain today, in batches, and
    fills their blind indexes; its reverse opens them again."""
    from django.db import migrations

    def forward(apps, schema_editor):
        for label in labels:
            reseal_table(table_of(apps, label), connection=schema_editor.connection)

    def backward(apps, schema_editor):
        for label in labels:
            reseal_table(table_of(apps, label), connection=schema_editor.connection, decrypt=True)

    return migrations.RunPython(forward, backward, elidable=False)


# --- keys status and rotation --------------------------------------------------------------------------------


def status(*, connection=None) -> dict[str, dict[str, int]]:
    """For each sealed column ``app.model.field``: how many values each key (``v1``, ``s2``…) sealed, and
    ``plain`` for values not sealed at all (there should be none)."""
    connection = connection or default_connection
    qn = connection.ops.quote_name
    result: dict[str, dict[str, int]] = {}
    for table in tables():
        for f in table.sealed:
            column = qn(f.column)
            if connection.vendor == "postgresql":
                prefix = f"split_part({column}, ':', 1)"
            else:
                prefix = f"substr({column}, 1, instr({column}, ':') - 1)"
            sql = (f"SELECT {prefix}, COUNT(*) FROM {qn(table.model._meta.db_table)} "  # noqa: S608
                   f"WHERE {column} IS NOT NULL AND {column} <> '' GROUP BY 1")
            with connection.cursor() as cursor:
                cursor.execute(sql)
                counts = {}
                for key, n in cursor.fetchall():
                    key = key if key and key[0] in crypto.LETTER_CIPHERS and key[1:].isdigit() else "plain"
                    counts[key] = counts.get(key, 0) + n
            result[f"{table.label}.{f.name}"] = counts
    return result


def versions_in_use(report: dict[str, dict[str, int]]) -> Counter:
    used = Counter()
    for counts in report.values():
        used.update(counts)
    return used


def stale_count(report: dict[str, dict[str, int]], ring=None) -> int:
    ring = ring or crypto.keyring()
    return sum(n for counts in report.values() for key, n in counts.items() if key != ring.prefix)


def rotate(*, progress: Callable[[str, int], None] | None = None, batch: int = BATCH) -> dict[str, dict]:
    """Reseal every value not on the current key, table by table (resumable: only what is left is done)."""
    crypto.reset()
    ring = crypto.keyring()
    done = {}
    for table in tables():
        done[table.label] = reseal_table(
            table, ring=ring, batch=batch,
            progress=(lambda n, label=table.label: progress(label, n)) if progress else None)
    return done


def start_rotation(*, by=None):
    """A ``core.Job`` for a rotation, and the background task that carries it out (``gongzhi db_worker``)."""
    from .models import Job, JobStatus
    from .tasks import rotate_keys_task

    job = Job.objects.create(kind="core.keys.rotate", status=JobStatus.QUEUED, created_by=by)
    transaction.on_commit(lambda: rotate_keys_task.enqueue(str(job.pk)))
    return job


def run_rotation(job_id: str) -> dict:
    """Carry out a rotation job, recording progress (values left at the start, values done) on the job."""
    from .models import Job, JobStatus

    crypto.reset()
    job = Job.objects.get(pk=job_id)
    report = status()
    job.total = sum(n for counts in report.values() for n in counts.values())
    job.status, job.progress = JobStatus.RUNNING, 0
    job.save(update_fields=["status", "total", "progress", "updated_at"])

    def advance(_label: str, n: int) -> None:
        Job.objects.filter(pk=job.pk).update(progress=models.F("progress") + n)

    try:
        done = rotate(progress=advance)
    except Exception as exc:
        Job.objects.filter(pk=job.pk).update(status=JobStatus.FAILED, message=str(exc)[:500])
        raise
    after = status()
    left = stale_count(after)
    Job.objects.filter(pk=job.pk).update(
        status=JobStatus.DONE if left == 0 else JobStatus.FAILED,
        message="" if left == 0 else f"{left} values still on an old key: run the rotation again",
        result={"tables": done, "in_use": dict(versions_in_use(after))})
    return done
