"""The points ledger and the audit log partitioned by year on PostgreSQL (``core.partitions``): the
tables are partitioned, partitions are created ahead (idempotently, by the application role too),
rows waiting in the default partition are moved without counting their points twice, every
partition refuses UPDATE, DELETE and TRUNCATE, and the retention detaches only audit partitions
wholly older than the legal minimum. On SQLite the commands say there is nothing to do."""

from datetime import date, datetime
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from gongzhi.core import partitions
from gongzhi.core.checks import audit_retention_not_below_the_legal_minimum, history_partitions_ahead
from gongzhi.core.models import AuditEvent
from gongzhi.core.services import create_partitions_ahead, detach_old_audit_partitions
from gongzhi.points import totals
from gongzhi.points.models import PointEntry, RuleCode

postgres_only = pytest.mark.skipif(connection.vendor != "postgresql", reason="partitions are PostgreSQL's")
HISTORY = ["points_pointentry", "core_auditevent"]


def _refused(sql: str, params=None) -> str:
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, params)
    except DatabaseError as exc:
        return str(exc)
    pytest.fail(f"not refused: {sql}")


def _entry(world, key, day, points=3):
    return PointEntry.objects.create(member=world.member_a, organization=world.branch_a, points=Decimal(points),
                                     code=RuleCode.MANUAL_AWARD, idempotency_key=key, occurred_on=day)


def _audit_row_at(when: datetime) -> None:
    """An audit row written at ``when`` (the model stamps the present; the partition key is the time)."""
    with connection.cursor() as cursor:
        cursor.execute("INSERT INTO core_auditevent (action, object_type, object_id, object_repr, success, detail, "
                       "created_at) VALUES ('test.old', '', '', '', true, '{}', %s)", [when])


def _names(table):
    return [p.name for p in partitions.partitions(connection, table)]


@pytest.mark.django_db
def test_on_sqlite_there_is_nothing_to_partition(capsys):
    if connection.vendor == "postgresql":
        pytest.skip("SQLite's answer")
    call_command("partitions", "ahead")
    call_command("partitions", "retain")
    assert capsys.readouterr().out.count("Nothing to do") == 2
    assert create_partitions_ahead() == {}
    assert not partitions.is_partitioned(connection, "points_pointentry")


def test_a_retention_below_the_legal_minimum_is_refused_at_check(settings):
    for days in (90, 179, "365"):
        settings.GONGZHI_AUDIT_RETENTION_DAYS = days
        assert [m.id for m in audit_retention_not_below_the_legal_minimum(None)] == ["gongzhi.E002"]
    for days in (180, 365, 3650):
        settings.GONGZHI_AUDIT_RETENTION_DAYS = days
        assert audit_retention_not_below_the_legal_minimum(None) == []


@postgres_only
@pytest.mark.django_db
def test_the_ledger_and_the_audit_log_are_partitioned_by_year():
    year = timezone.localdate().year
    for table, column in (("points_pointentry", "occurred_on"), ("core_auditevent", "created_at")):
        assert partitions.is_partitioned(connection, table)
        names = _names(table)
        assert {f"{table}_y{year}", f"{table}_y{year + 1}", f"{table}_default"} <= set(names)
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_get_constraintdef(oid) FROM pg_constraint WHERE conrelid = %s::regclass "
                           "AND contype = 'p'", [table])
            assert cursor.fetchone()[0] == f"PRIMARY KEY (id, {column})"
    assert partitions.missing_ahead(connection) == []


@postgres_only
@pytest.mark.django_db
def test_partitions_are_created_ahead_once_and_audited(world, capsys):
    year = timezone.localdate().year
    done = create_partitions_ahead(years=3)
    for table in HISTORY:
        assert done[table]["created"] == [f"{table}_y{year + 2}", f"{table}_y{year + 3}"]
        assert f"{table}_y{year + 3}" in _names(table)
    assert create_partitions_ahead(years=3) == {table: {"created": [], "moved_years": []} for table in HISTORY}
    call_command("partitions", "ahead", "--years", "3")
    assert capsys.readouterr().out.count("none (all present)") == 2
    logged = AuditEvent.objects.filter(action="core.partition.create")
    assert sorted(e.detail["table"] for e in logged) == sorted(HISTORY)
    # A partition made ahead takes its rows and keeps the points totals.
    entry = _entry(world, "ahead", date(year + 3, 2, 1))
    with connection.cursor() as cursor:
        cursor.execute("SELECT tableoid::regclass::text FROM points_pointentry WHERE id = %s", [entry.pk])
        assert cursor.fetchone()[0] == f"points_pointentry_y{year + 3}"
    assert totals.verify() == []


@postgres_only
@pytest.mark.django_db
def test_rows_in_the_default_partition_are_warned_about_then_moved_to_their_year(world):
    kept = _entry(world, "far", date(2040, 3, 1), points=7)
    _entry(world, "near", date(2040, 12, 31), points=1)
    _audit_row_at(timezone.make_aware(datetime(2039, 6, 1, 12)))
    assert partitions.default_rows(connection, "points_pointentry") == 2
    warning = history_partitions_ahead(None)
    assert [m.id for m in warning] == ["gongzhi.W006"] and "points_pointentry 2" in warning[0].msg
    done = create_partitions_ahead()
    assert done["points_pointentry"]["moved_years"] == [2040]
    assert "points_pointentry_y2040" in done["points_pointentry"]["created"]
    assert done["core_auditevent"]["moved_years"] == [2039]
    assert partitions.default_rows(connection, "points_pointentry") == 0
    assert partitions.default_rows(connection, "core_auditevent") == 0
    assert history_partitions_ahead(None) == []
    moved = PointEntry.objects.get(idempotency_key="far")
    assert (moved.pk, moved.points) == (kept.pk, Decimal(7))  # the same row, not a copy counted again
    assert totals.verify() == []
    # The partitions rebuilt by the move still refuse changes.
    assert "append-only" in _refused("UPDATE points_pointentry_y2040 SET points = 0")
    assert "append-only" in _refused("TRUNCATE points_pointentry_default")


@postgres_only
@pytest.mark.django_db
def test_every_partition_refuses_update_delete_and_truncate(world):
    # A row in every partition (a row trigger fires only for a row): the year's, or 2035 for the default one.
    for table in HISTORY:
        for part in partitions.partitions(connection, table):
            year = part.year or 2035
            if table == "points_pointentry":
                _entry(world, f"e{year}", date(year, 6, 1))
            else:
                _audit_row_at(timezone.make_aware(datetime(year, 6, 1, 12)))
    with connection.cursor() as cursor:  # the foreign keys' checks at commit would come before the TRUNCATE's
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    for table in HISTORY:
        for name in _names(table):
            with connection.cursor() as cursor:
                cursor.execute(f'SELECT count(*) FROM "{name}"')  # noqa: S608
                assert cursor.fetchone()[0] == 1, name
            assert "append-only" in _refused(f'UPDATE "{name}" SET id = id')  # noqa: S608 - a partition's name
            if table == "points_pointentry":  # the audit log lets a purge delete rows older than 180 days
                assert "append-only" in _refused(f'DELETE FROM "{name}"')  # noqa: S608
            assert "append-only" in _refused(f'TRUNCATE "{name}"')
    AuditEvent.objects.create(action="test.now")
    assert "append-only" in _refused("DELETE FROM core_auditevent WHERE action = 'test.now'")


@postgres_only
@pytest.mark.django_db
def test_retention_detaches_only_audit_partitions_older_than_the_legal_minimum(settings, capsys):
    _audit_row_at(timezone.make_aware(datetime(2021, 6, 1, 12)))
    _audit_row_at(timezone.make_aware(datetime(2024, 12, 20, 12)))
    create_partitions_ahead()
    now = timezone.make_aware(datetime(2025, 5, 1, 12))  # 2024-12-20 is 132 days before
    settings.GONGZHI_AUDIT_RETENTION_DAYS = 100  # refused at check, and never applied
    result = detach_old_audit_partitions(now=now, dry_run=True)
    assert result["detached"] == ["core_auditevent_y2021"] and "core_auditevent_y2024" in result["kept"]
    assert "core_auditevent_y2021" in _names("core_auditevent")  # a dry run detaches nothing
    result = detach_old_audit_partitions(now=now)
    assert result["detached"] == ["core_auditevent_y2021"]
    assert "core_auditevent_y2021" not in _names("core_auditevent")
    assert "core_auditevent_y2024" in _names("core_auditevent")
    assert not AuditEvent.objects.filter(created_at__year=2021).exists()
    logged = AuditEvent.objects.get(action="core.partition.detach")
    assert logged.detail["partition"] == "core_auditevent_y2021" and logged.detail["rows"] == 1
    # The detached table waits for its archive, still append-only.
    assert "append-only" in _refused("UPDATE core_auditevent_y2021 SET action = 'x'")
    assert "append-only" in _refused("TRUNCATE core_auditevent_y2021")
    # A year later the 2024 partition has aged past the period too; the ledger never is detached.
    settings.GONGZHI_AUDIT_RETENTION_DAYS = 365
    later = timezone.make_aware(datetime(2025, 12, 25, 12))  # 365 days before: 2024-12-25, in the 2024 partition
    assert detach_old_audit_partitions(now=later, dry_run=True)["detached"] == []
    assert detach_old_audit_partitions(now=timezone.make_aware(datetime(2026, 1, 20)),
                                       dry_run=True)["detached"] == ["core_auditevent_y2024"]
    with pytest.raises(ValueError, match="not a table whose partitions may be detached"):
        partitions.detachable(connection, "points_pointentry")
    call_command("partitions", "retain", "--dry-run")
    assert "Would detach core_auditevent_y2024 (1 rows" in capsys.readouterr().out


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_the_application_role_creates_partitions_ahead_but_cannot_detach(world):
    from tests.production import database_roles

    year = timezone.localdate().year
    created = []
    try:
        with database_roles() as (_owner, app):
            with connection.cursor() as cursor:
                cursor.execute(f'SET ROLE "{app}"')
            try:
                done = create_partitions_ahead(years=4)
                created = [name for result in done.values() for name in result["created"]]
                assert f"points_pointentry_y{year + 4}" in created
                assert "must be owner" in _refused(
                    f'ALTER TABLE core_auditevent DETACH PARTITION "core_auditevent_y{year + 4}"')
                assert "must be owner" in _refused(f'DROP TABLE "points_pointentry_y{year + 4}"')
            finally:
                with connection.cursor() as cursor:
                    cursor.execute("RESET ROLE")
    finally:
        with connection.cursor() as cursor:  # the next tests' database has the migrations' partitions only
            for name in created:
                cursor.execute(f'DROP TABLE IF EXISTS "{name}"')
