"""The ledger's unique keys live in ``PointEntryKey`` (the partitioned ledger on PostgreSQL cannot hold a
unique constraint without the year): on both databases a key is taken once, an entry is reversed
once, a reversal and a redemption name an entry that exists, and the key table is append-only."""

from datetime import date
from decimal import Decimal

import pytest
from django.db import DatabaseError, IntegrityError, connection, transaction

from gongzhi.points import totals
from gongzhi.points.models import ManualAward, PointEntry, PointEntryKey, Redemption, Reward, RuleCode
from gongzhi.points.services import post_points, reverse_entry


@pytest.fixture
def world(world_copy):
    return world_copy


pytestmark = pytest.mark.django_db


def _entry(world, key, day=date(2025, 5, 1), **extra):
    return PointEntry.objects.create(member=world.member_a, organization=world.branch_a, points=Decimal(3),
                                     code=RuleCode.MANUAL_AWARD, idempotency_key=key, occurred_on=day, **extra)


def _refused(action) -> None:
    with pytest.raises((IntegrityError, DatabaseError)), transaction.atomic():
        if connection.vendor == "postgresql":  # foreign keys are deferred to the commit, as Django's are
            with connection.cursor() as cursor:
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        action()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")


def test_every_entry_has_its_key_row_written_with_it(world):
    first = _entry(world, "k1")
    second = _entry(world, "k2", day=date(2026, 2, 3))
    PointEntry.objects.bulk_create([PointEntry(member=world.member_b, organization=world.branch_b, points=Decimal(1),
                                               code=RuleCode.MANUAL_AWARD, idempotency_key=f"bulk:{n}",
                                               occurred_on=date(2024 + n, 1, 1)) for n in range(3)])
    keys = dict(PointEntryKey.objects.values_list("idempotency_key", "entry_id"))
    assert keys["k1"] == first.pk and keys["k2"] == second.pk
    assert len(keys) == PointEntry.objects.count() == 5
    assert set(keys.values()) == set(PointEntry.objects.values_list("pk", flat=True))


def test_a_taken_idempotency_key_is_refused_in_any_year(world):
    _entry(world, "same")
    _refused(lambda: _entry(world, "same"))
    _refused(lambda: _entry(world, "same", day=date(2027, 7, 7)))  # another year: another partition on PG
    assert PointEntry.objects.filter(idempotency_key="same").count() == 1
    assert totals.verify() == []


def test_a_double_submission_is_recorded_once(world):
    once = post_points(member=world.member_a, code=RuleCode.MANUAL_AWARD, key="tap", occurred_on=date(2025, 6, 1),
                       points=Decimal(2), organization=world.branch_a)
    again = post_points(member=world.member_a, code=RuleCode.MANUAL_AWARD, key="tap", occurred_on=date(2026, 6, 1),
                        points=Decimal(2), organization=world.branch_a)
    assert again.pk == once.pk and PointEntry.objects.count() == 1


def test_an_entry_is_reversed_once_and_only_an_entry_that_exists(world):
    entry = _entry(world, "to-reverse")
    reversal = reverse_entry(entry=entry, reason="录入错误", by=None)
    assert reverse_entry(entry=entry, reason="again", by=None).pk == reversal.pk
    # Past the service: a second reversal of the same entry under another key is refused by the database.
    _refused(lambda: _entry(world, "sneaky", reverses=entry))
    _refused(lambda: _entry(world, "dangling", reverses_id=entry.pk + 1000))
    assert list(PointEntry.objects.filter(reverses=entry)) == [reversal]
    assert PointEntryKey.objects.get(entry=reversal).reverses_id == entry.pk


def test_redemptions_and_manual_awards_name_an_entry_that_exists(world):
    entry = _entry(world, "for-reward")
    reward = Reward.objects.create(organization=world.community_a, name="环保袋", price=Decimal(3), stock=5)
    Redemption.objects.create(member=world.member_a, reward=reward, points=Decimal(3), idempotency_key="r1",
                              entry=entry)
    missing = entry.pk + 1000
    _refused(lambda: Redemption.objects.create(member=world.member_a, reward=reward, points=Decimal(3),
                                               idempotency_key="r2", entry_id=missing))
    award = ManualAward.objects.create(member=world.member_a, organization=world.branch_a, points=Decimal(2),
                                       reason="表现突出", proposed_by=world.users["community_secretary"])
    _refused(lambda: ManualAward.objects.filter(pk=award.pk).update(entry_id=missing))
    ManualAward.objects.filter(pk=award.pk).update(entry_id=entry.pk)
    if connection.vendor == "postgresql":  # what was accepted holds at the commit
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")


def test_the_key_table_is_append_only(world):
    entry = _entry(world, "fixed")
    _refused(lambda: PointEntryKey.objects.filter(entry=entry).update(idempotency_key="free-again"))
    _refused(lambda: PointEntryKey.objects.filter(entry=entry).delete())
    assert PointEntryKey.objects.get(entry=entry).idempotency_key == "fixed"
