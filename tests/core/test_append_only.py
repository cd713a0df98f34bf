"""(PG) The append-only tables hold against TRUNCATE and against the application's own database role:
the documented set-up (scripts/database_roles.sql) lets the application write rows but neither empty
the ledgers nor drop or disable their triggers, and `check --deploy` says when it could."""

from datetime import date
from decimal import Decimal

import pytest
from django.db import DatabaseError, connection, transaction

from gongzhi.core.checks import application_role_cannot_undo_append_only
from gongzhi.points.models import PointEntry, RuleCode
from tests.production import database_roles

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql", reason="TRUNCATE and roles are PostgreSQL's")

APPEND_ONLY = ["core_auditevent", "points_pointentry", "points_pointentrykey", "meetings_ballot", "meetings_voteroll",
               "voice_consultationevent", "money_duespayment", "money_fundsentry"]


def _refused(sql: str, params=None) -> str:
    """Run ``sql`` in a savepoint; the database's refusal, else fail."""
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, params)
    except DatabaseError as exc:
        return str(exc)
    pytest.fail(f"not refused: {sql}")


def _entry(world, key="e1") -> PointEntry:
    return PointEntry.objects.create(member=world.member_a, organization=world.branch_a, points=Decimal(3),
                                     code=RuleCode.MANUAL_AWARD, idempotency_key=key, occurred_on=date(2025, 5, 1))


@pytest.mark.django_db
@pytest.mark.parametrize("table", APPEND_ONLY)
def test_truncate_is_refused_on_every_append_only_table(table):
    assert "append-only" in _refused(f"TRUNCATE {table} CASCADE")


@pytest.mark.django_db(transaction=True)
def test_truncating_a_table_that_cascades_into_the_ledger_is_refused(world):
    _entry(world)
    assert "append-only" in _refused("TRUNCATE members_member CASCADE")
    assert PointEntry.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_the_application_role_writes_rows_but_cannot_undo_the_append_only_tables(world):
    assert application_role_cannot_undo_append_only(None), "the test database's owner must be warned about"
    with database_roles() as (_owner, app):
        with connection.cursor() as cursor:
            cursor.execute(f'SET ROLE "{app}"')
        try:
            entry = _entry(world)  # an ordinary write, and the totals trigger it fires
            assert "append-only" in _refused("UPDATE points_pointentry SET points = 100 WHERE id = %s", [entry.pk])
            assert "permission denied" in _refused("TRUNCATE points_pointentry")
            for table in APPEND_ONLY:
                assert "must be owner" in _refused(f"ALTER TABLE {table} DISABLE TRIGGER USER")
                assert "must be owner" in _refused(f"DROP TRIGGER {table}_no_truncate ON {table}")
            assert "permission denied" in _refused("CREATE TABLE intruder (id int)")
            assert application_role_cannot_undo_append_only(None) == []
        finally:
            with connection.cursor() as cursor:
                cursor.execute("RESET ROLE")
