"""The summary of who served per month (``ServedMonth``, kept by triggers: ``recognition.summary``) is
exact after every kind of change to check-ins, care visits, pairings and small wishes, and activation
read from it (whole months) and from the records (the edges) gives the same answer as the records alone
for every period: month and year boundaries, local midnight, weeks, ranges starting mid-month."""

import random
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.db.models import BooleanField, ExpressionWrapper

from gongzhi.care.models import Pairing, Visit
from gongzhi.members.models import Member
from gongzhi.recognition import selectors, summary
from gongzhi.recognition.models import ServedMonth
from gongzhi.recognition.stats import activation_rate_by_children
from gongzhi.service.models import Activity, CheckIn
from gongzhi.voice.models import Wish, WishStatus
from tests.factories import MemberFactory


@pytest.fixture
def world(world_copy):
    return world_copy


pytestmark = pytest.mark.django_db
TZ = ZoneInfo("Asia/Shanghai")


def _activity(org, at: datetime) -> Activity:
    return Activity.objects.create(organization=org, title="巡逻", place="东门", starts_at=at,
                                   ends_at=at + timedelta(hours=2))


def _rows():
    return {(r.member_id, r.month): (r.checkins, r.visits, r.wishes) for r in ServedMonth.objects.all()}


def _active(start, end, condition) -> set[int]:
    return set(Member.objects.annotate(active=ExpressionWrapper(condition, output_field=BooleanField()))
               .filter(active=True).values_list("pk", flat=True))


def _same_for(start: date, end: date) -> None:
    assert _active(start, end, selectors.served(start, end)) == \
        _active(start, end, selectors.served_in_records(start, end)), (start, end)


def test_whole_months():
    assert selectors.whole_months(date(2025, 1, 1), date(2025, 12, 31)) == (date(2025, 1, 1), date(2025, 12, 1))
    assert selectors.whole_months(date(2025, 1, 15), date(2025, 3, 10)) == (date(2025, 2, 1), date(2025, 2, 1))
    assert selectors.whole_months(date(2025, 1, 31), date(2025, 3, 31)) == (date(2025, 2, 1), date(2025, 3, 1))
    assert selectors.whole_months(date(2024, 2, 1), date(2024, 2, 29)) == (date(2024, 2, 1), date(2024, 2, 1))
    assert selectors.whole_months(date(2025, 3, 3), date(2025, 3, 9)) is None
    assert selectors.whole_months(date(2025, 1, 2), date(2025, 2, 27)) is None


def test_a_check_in_at_local_midnight_counts_in_its_local_month(world):
    """23:59 on 31 December local time is 15:59 UTC the same day; 00:00 on 1 January is 16:00 UTC the day before."""
    late = _activity(world.branch_a, datetime(2024, 12, 31, 23, 59, 59, tzinfo=TZ))
    early = _activity(world.branch_a, datetime(2025, 1, 1, 0, 0, tzinfo=TZ))
    CheckIn.objects.create(activity=late, member=world.member_a, checked_in_at=late.starts_at)
    CheckIn.objects.create(activity=early, member=world.member_b, checked_in_at=early.starts_at)
    assert _rows() == {(world.member_a.pk, date(2024, 12, 1)): (1, 0, 0),
                       (world.member_b.pk, date(2025, 1, 1)): (1, 0, 0)}
    assert selectors.activation(world.community_a, date(2025, 1, 1), date(2025, 12, 31))["active"] == 1
    assert selectors.activation(world.community_a, date(2024, 12, 1), date(2024, 12, 31))["active"] == 1
    assert selectors.activation(world.community_a, date(2024, 12, 31), date(2024, 12, 31))["active"] == 1
    assert summary.verify() == []


def test_every_change_keeps_the_summary_exact(world):
    march = datetime(2025, 3, 8, 9, tzinfo=TZ)
    a, b = _activity(world.branch_a, march), _activity(world.branch_a, march + timedelta(days=30))
    checkin = CheckIn.objects.create(activity=a, member=world.member_a, checked_in_at=march)
    CheckIn.objects.create(activity=b, member=world.member_a, checked_in_at=march + timedelta(days=30))
    assert _rows() == {(world.member_a.pk, date(2025, 3, 1)): (1, 0, 0),
                       (world.member_a.pk, date(2025, 4, 1)): (1, 0, 0)}
    # A check-out (another column) changes nothing; a correction of the time moves it.
    checkin.checked_out_at = march + timedelta(hours=2)
    checkin.save()
    checkin.checked_in_at, checkin.checked_out_at = march + timedelta(days=30), None
    checkin.save()
    assert _rows() == {(world.member_a.pk, date(2025, 4, 1)): (2, 0, 0)}
    checkin.member = world.member_b
    checkin.save()
    assert _rows() == {(world.member_a.pk, date(2025, 4, 1)): (1, 0, 0),
                       (world.member_b.pk, date(2025, 4, 1)): (1, 0, 0)}
    checkin.delete()
    assert _rows() == {(world.member_a.pk, date(2025, 4, 1)): (1, 0, 0)}
    # Residents' check-ins count for nobody.
    CheckIn.objects.create(activity=a, resident=world.resident_a, checked_in_at=march)
    assert _rows() == {(world.member_a.pk, date(2025, 4, 1)): (1, 0, 0)}

    pairing = Pairing.objects.create(member=world.member_b, resident=world.resident_a, started_on=date(2025, 1, 1))
    visit = Visit.objects.create(pairing=pairing, visited_on=date(2025, 5, 31))
    Visit.objects.create(pairing=pairing, visited_on=date(2025, 6, 1))
    assert _rows()[(world.member_b.pk, date(2025, 5, 1))] == (0, 1, 0)
    visit.visited_on = date(2025, 6, 2)
    visit.save()
    assert _rows()[(world.member_b.pk, date(2025, 6, 1))] == (0, 2, 0)
    assert (world.member_b.pk, date(2025, 5, 1)) not in _rows()
    pairing.member = world.member_reported  # the pairing handed over: its visits go with it
    pairing.save()
    assert _rows()[(world.member_reported.pk, date(2025, 6, 1))] == (0, 2, 0)
    assert (world.member_b.pk, date(2025, 6, 1)) not in _rows()
    visit.delete()
    assert _rows()[(world.member_reported.pk, date(2025, 6, 1))] == (0, 1, 0)

    wish = Wish.objects.create(community=world.community_a, text="修水管", claimed_by=world.member_a,
                               status=WishStatus.CLAIMED)
    assert summary.verify() == []
    wish.status, wish.fulfilled_at = WishStatus.FULFILLED, datetime(2025, 7, 31, 23, 30, tzinfo=TZ)
    wish.save()
    assert _rows()[(world.member_a.pk, date(2025, 7, 1))] == (0, 0, 1)
    wish.status = WishStatus.CONFIRMED
    wish.save()
    assert _rows()[(world.member_a.pk, date(2025, 7, 1))] == (0, 0, 1)
    wish.status = WishStatus.CLAIMED  # sent back
    wish.save()
    assert (world.member_a.pk, date(2025, 7, 1)) not in _rows()
    wish.status = WishStatus.FULFILLED
    wish.save()
    wish.claimed_by = world.member_b
    wish.save()
    assert _rows()[(world.member_b.pk, date(2025, 7, 1))] == (0, 0, 1)
    assert (world.member_a.pk, date(2025, 7, 1)) not in _rows()
    assert summary.verify() == []
    # A member deleted takes the rows his or her visits and wishes made with him or her.
    pairing.delete()
    wish.delete()
    assert summary.verify() == []


def test_rebuild_and_verify(world, capsys):
    march = datetime(2025, 3, 8, 9, tzinfo=TZ)
    CheckIn.objects.create(activity=_activity(world.branch_a, march), member=world.member_a, checked_in_at=march)
    ServedMonth.objects.all().delete()
    ServedMonth.objects.create(member=world.member_b, month=date(2025, 1, 1), checkins=3)
    mismatches = summary.verify()
    assert {(m.member_id, m.month, m.records, m.summary) for m in mismatches} == {
        (world.member_a.pk, date(2025, 3, 1), (1, 0, 0), (0, 0, 0)),
        (world.member_b.pk, date(2025, 1, 1), (0, 0, 0), (3, 0, 0))}
    with pytest.raises(Exception, match="differs"):
        call_command("recognition", "verify_served")
    call_command("recognition", "rebuild_served")
    assert summary.verify() == []
    call_command("recognition", "verify_served")
    assert "agrees" in capsys.readouterr().out
    assert _rows() == {(world.member_a.pk, date(2025, 3, 1)): (1, 0, 0)}


def test_summary_and_records_agree_on_random_data_and_periods(world, monkeypatch):
    """Random check-ins (many at or around local midnight and at month and year ends), visits, wishes
    going back and forth, corrections and deletions; after each round the summary is exact and
    activation, its breakdown by child and who is not activated are the records' for random periods."""
    rng = random.Random(16)
    members = [world.member_a, world.member_b, world.member_reported, world.member_x]
    members += [MemberFactory(home_org=rng.choice([world.branch_a, world.branch_b]), community=world.community_a)
                for _i in range(6)]
    pairings = [Pairing.objects.create(member=m, resident=world.resident_a, started_on=date(2024, 1, 1))
                for m in members[:4]]
    days = [date(2024, 12, 31), date(2025, 1, 1), date(2025, 1, 31), date(2025, 2, 1), date(2025, 2, 28),
            date(2025, 3, 1), date(2025, 6, 30), date(2025, 7, 1), date(2025, 12, 31), date(2026, 1, 1)]
    days += [date(2024, 12, 1) + timedelta(days=rng.randrange(430)) for _i in range(10)]

    def moment():
        day = rng.choice(days)
        clock = rng.choice([(0, 0, 0), (23, 59, 59), (7, 59, 0), (8, 0, 0), (16, 0, 0), (12, 30, 0)])
        return datetime(day.year, day.month, day.day, *clock, tzinfo=TZ)

    checkins, visits, wishes = [], [], []
    for _round in range(4):
        for _i in range(12):
            at = moment()
            checkins.append(CheckIn.objects.create(activity=_activity(world.branch_a, at), member=rng.choice(members),
                                                   checked_in_at=at))
        for _i in range(6):
            visits.append(Visit.objects.create(pairing=rng.choice(pairings), visited_on=rng.choice(days)))
        for _i in range(4):
            wishes.append(Wish.objects.create(community=world.community_a, text="心愿", claimed_by=rng.choice(members),
                                              status=WishStatus.CLAIMED))
        for wish in rng.sample(wishes, min(len(wishes), 5)):  # back and forth
            wish.status = rng.choice(list(WishStatus))
            wish.fulfilled_at = moment() if wish.status in (WishStatus.FULFILLED, WishStatus.CONFIRMED) else (
                wish.fulfilled_at if rng.random() < 0.5 else None)
            wish.save()
        for checkin in rng.sample(checkins, 3):  # corrections
            checkin.checked_in_at = moment()
            checkin.member = rng.choice(members)
            if not CheckIn.objects.filter(activity=checkin.activity, member=checkin.member).exclude(pk=checkin.pk):
                checkin.save()
        for gone in rng.sample(checkins, 2):
            checkins.remove(gone)
            gone.delete()
        for gone in rng.sample(visits, 1):
            visits.remove(gone)
            gone.delete()
        visit = rng.choice(visits)
        visit.visited_on = rng.choice(days)
        visit.save()
        pairing = rng.choice(pairings)
        pairing.member = rng.choice([m for m in members if m.pk not in {p.member_id for p in pairings}])
        pairing.save()
        assert summary.verify() == []
        periods = [(date(2025, 1, 1), date(2025, 12, 31)), (date(2024, 12, 1), date(2025, 1, 31)),
                   (date(2024, 12, 31), date(2025, 1, 1)), (date(2025, 2, 1), date(2025, 2, 28))]
        for _i in range(8):
            start = rng.choice(days) + timedelta(days=rng.choice([0, 0, 1, -1]))
            periods.append((start, start + timedelta(days=rng.choice([0, 6, 27, 31, 59, 90, 365]))))
        for start, end in periods:
            _same_for(start, end)
    from gongzhi.core.periods import Period
    from gongzhi.recognition import stats

    children = [world.community_a]
    for start, end in periods:
        period = Period(start, end, "range")
        from_summary = (selectors.activation(world.street_a, start, end),
                        activation_rate_by_children(world.street_a, children, period),
                        [m.pk for m in selectors.not_activated(world.street_a, start, end)])
        monkeypatch.setattr(stats, "served", selectors.served_in_records)
        monkeypatch.setattr(selectors, "served", selectors.served_in_records)
        from_records = (selectors.activation(world.street_a, start, end),
                        activation_rate_by_children(world.street_a, children, period),
                        [m.pk for m in selectors.not_activated(world.street_a, start, end)])
        monkeypatch.undo()
        assert from_summary == from_records, (start, end)


def test_the_triggers_come_back_after_migrate(world):
    """A migration that rebuilds a table on SQLite drops its triggers: ``migrate`` reinstalls them."""
    from django.db import connection

    summary.switch(connection, on=False)
    march = datetime(2025, 3, 8, 9, tzinfo=TZ)
    CheckIn.objects.create(activity=_activity(world.branch_a, march), member=world.member_a, checked_in_at=march)
    assert _rows() == {}
    call_command("migrate", verbosity=0)
    summary.rebuild()
    CheckIn.objects.create(activity=_activity(world.branch_a, march), member=world.member_b, checked_in_at=march)
    assert _rows() == {(world.member_a.pk, date(2025, 3, 1)): (1, 0, 0),
                       (world.member_b.pk, date(2025, 3, 1)): (1, 0, 0)}
