"""The totals summary kept by a database trigger: it always agrees with the ledger, whichever code
inserted the entries, and rankings read the same figures from it as from the ledger."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from gongzhi.points import selectors, totals
from gongzhi.points.models import PointEntry, PointTotal, RuleCode
from gongzhi.points.services import post_points, reverse_entry


@pytest.fixture
def world(world_copy):
    return world_copy


pytestmark = pytest.mark.django_db


def _entry(member, org, points, day, key):
    return PointEntry(member=member, organization=org, points=Decimal(points), code=RuleCode.MANUAL_AWARD,
                      idempotency_key=key, occurred_on=day)


def _rows(member):
    return {(t.year, t.month): (t.points, t.entries) for t in PointTotal.objects.filter(member=member)}


def test_every_insert_adds_to_the_month_and_the_year(world):
    w = world
    PointEntry.objects.bulk_create([_entry(w.member_a, w.branch_a, 5, date(2025, 3, 10), "a"),
                                    _entry(w.member_a, w.branch_a, 2.5, date(2025, 3, 30), "b"),
                                    _entry(w.member_a, w.branch_a, 1, date(2025, 12, 31), "c"),
                                    _entry(w.member_a, w.branch_a, 4, date(2026, 1, 1), "d")])
    first = post_points(member=w.member_b, code=RuleCode.MANUAL_AWARD, key="e", occurred_on=date(2025, 4, 2),
                        points=Decimal(6), organization=w.branch_b)
    post_points(member=w.member_b, code=RuleCode.MANUAL_AWARD, key="e", occurred_on=date(2025, 4, 2),
                points=Decimal(6), organization=w.branch_b)  # the same key twice: one entry
    reverse_entry(entry=first, reason="录入错误", by=None)
    assert _rows(w.member_a) == {(2025, 3): (Decimal("7.5"), 2), (2025, 12): (Decimal(1), 1),
                                 (2025, 0): (Decimal("8.5"), 3), (2026, 1): (Decimal(4), 1),
                                 (2026, 0): (Decimal(4), 1)}
    assert _rows(w.member_b) == {(2025, 4): (Decimal(0), 2), (2025, 0): (Decimal(0), 2)}
    assert totals.verify() == []


def test_verify_finds_a_difference_and_rebuild_repairs_it(world, capsys):
    w = world
    PointEntry.objects.bulk_create([_entry(w.member_a, w.branch_a, 5, date(2025, 3, 10), "a"),
                                    _entry(w.member_b, w.branch_b, 3, date(2025, 5, 1), "b")])
    PointTotal.objects.filter(member=w.member_a, month=0).update(points=Decimal(50))
    PointTotal.objects.filter(member=w.member_b, month=5).delete()
    found = {(m.member_id, m.year, m.month, m.ledger, m.summary) for m in totals.verify()}
    assert found == {(w.member_a.pk, 2025, 0, Decimal(5), Decimal(50)),
                     (w.member_b.pk, 2025, 5, Decimal(3), Decimal(0))}
    with pytest.raises(CommandError):
        call_command("points", "verify")
    assert "ledger 5.0, summary 50.0" in capsys.readouterr().out
    call_command("points", "rebuild_totals")
    assert totals.verify() == []
    call_command("points", "verify")
    assert "agrees" in capsys.readouterr().out
    assert _rows(w.member_a) == {(2025, 3): (Decimal(5), 1), (2025, 0): (Decimal(5), 1)}


def test_the_ledger_stays_append_only_while_the_summary_is_kept(world):
    from django.db import IntegrityError, InternalError, transaction
    from django.db.utils import DatabaseError

    entry = PointEntry.objects.create(member=world.member_a, organization=world.branch_a, points=Decimal(3),
                                      code=RuleCode.MANUAL_AWARD, idempotency_key="x", occurred_on=date(2025, 6, 1))
    with pytest.raises((IntegrityError, InternalError, DatabaseError)), transaction.atomic():
        PointEntry.objects.filter(pk=entry.pk).update(points=Decimal(30))
    assert _rows(world.member_a)[(2025, 0)] == (Decimal(3), 1)


@pytest.mark.parametrize(("start", "end", "expected"), [
    (date(2025, 1, 1), date(2025, 12, 31), (2025, [0])),
    (date(2025, 4, 1), date(2025, 6, 30), (2025, [4, 5, 6])),
    (date(2024, 2, 1), date(2024, 2, 29), (2024, [2])),
    (date(2025, 3, 3), date(2025, 3, 9), None),
    (date(2025, 3, 1), date(2025, 3, 30), None),
    (date(2024, 12, 1), date(2025, 1, 31), None),
])
def test_which_periods_the_summary_answers(start, end, expected):
    assert selectors.summary_period(start, end) == expected


def test_rankings_from_the_summary_equal_rankings_from_the_ledger(world):
    """The same figures whether the period is read from the summary (a whole quarter) or summed from
    the ledger (the same days given as a period the summary cannot answer)."""
    w = world
    entries = []
    for n, (member, points, day) in enumerate([
            (w.member_a, 5, date(2025, 4, 10)), (w.member_a, -2, date(2025, 6, 30)), (w.member_b, 6, date(2025, 5, 2)),
            (w.member_reported, 2, date(2025, 4, 1)), (w.member_b, 9, date(2025, 7, 1)),
            (w.member_a, 7, date(2025, 3, 31))]):
        entries.append(_entry(member, w.branch_a, points, day, f"k{n}"))
    PointEntry.objects.bulk_create(entries)
    quarter = (date(2025, 4, 1), date(2025, 6, 30))
    assert selectors.summary_period(*quarter) is not None
    assert selectors.summary_period(date(2025, 3, 31), quarter[1]) is None

    def both(selector, key):
        from_summary = [(r[key], r["total"]) for r in selector(w.community_a, *quarter)]
        from_ledger = [(r[key], r["total"]) for r in selector(w.community_a, date(2025, 4, 1), date(2025, 6, 29))]
        return from_summary, from_ledger

    summary, ledger = both(selectors.member_totals, "pk")
    assert dict(summary) == {w.member_a.pk: Decimal(3), w.member_b.pk: Decimal(6), w.member_reported.pk: Decimal(2)}
    # 30 June (member_a's -2) is outside the ledger period: only that member's figure differs
    assert dict(ledger) == {**dict(summary), w.member_a.pk: Decimal(5)}
    # per home branch: member_b's (6), member_a's (3); the reported member's branch is elsewhere
    assert [r["total"] for r in selectors.branch_totals(w.community_a, *quarter)] == [Decimal(6), Decimal(3)]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite runs every test on one connection")
def test_member_rank_counts_in_the_database(world, django_assert_max_num_queries):
    w = world
    PointEntry.objects.bulk_create([_entry(w.member_a, w.branch_a, 5, date(2025, 3, 10), "a"),
                                    _entry(w.member_b, w.branch_b, 9, date(2025, 5, 1), "b")])
    with django_assert_max_num_queries(3):
        rank = selectors.member_rank(w.member_a, w.community_a, date(2025, 1, 1), date(2025, 12, 31))
    assert rank == (2, 3)
