"""(PG) Parallel check-ins, visits and wish fulfilments for the same member and month all count in the
summary of who served (the triggers add one in an upsert; none recounts), and parallel removals take
away exactly what they removed."""

import threading
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import connection, connections, transaction

from gongzhi.care.models import Pairing, Visit
from gongzhi.recognition import summary
from gongzhi.recognition.models import ServedMonth
from gongzhi.service.models import Activity, CheckIn
from gongzhi.voice.models import Wish, WishStatus

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL's concurrency"),
]
THREADS = 6
TZ = ZoneInfo("Asia/Shanghai")


def _parallel(target):
    barrier = threading.Barrier(THREADS)
    errors = []

    def run(n):
        try:
            barrier.wait(timeout=120)
            with transaction.atomic():
                target(n)
        except Exception as exc:  # noqa: BLE001 - reported by the assertion below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(n,)) for n in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return errors


def test_parallel_records_for_one_member_month_all_count(world):
    march = datetime(2025, 3, 8, 9, tzinfo=TZ)
    activities = [Activity.objects.create(organization=world.branch_a, title=f"巡逻{n}", place="东门",
                                          starts_at=march + timedelta(days=n),
                                          ends_at=march + timedelta(days=n, hours=2))
                  for n in range(THREADS)]
    pairing = Pairing.objects.create(member=world.member_a, resident=world.resident_a, started_on=date(2025, 1, 1))
    wishes = [Wish.objects.create(community=world.community_a, text="心愿", claimed_by=world.member_a,
                                  status=WishStatus.CLAIMED) for _n in range(THREADS)]

    def record(n):
        CheckIn.objects.create(activity=activities[n], member=world.member_a, checked_in_at=activities[n].starts_at)
        Visit.objects.create(pairing=pairing, visited_on=date(2025, 3, 10 + n))
        Wish.objects.filter(pk=wishes[n].pk).update(status=WishStatus.FULFILLED, fulfilled_at=march)

    assert _parallel(record) == []
    row = ServedMonth.objects.get(member=world.member_a, month=date(2025, 3, 1))
    assert (row.checkins, row.visits, row.wishes) == (THREADS, THREADS, THREADS)
    assert summary.verify() == []

    def remove(n):
        CheckIn.objects.filter(activity=activities[n]).delete()
        Visit.objects.filter(pairing=pairing, visited_on=date(2025, 3, 10 + n)).delete()
        Wish.objects.filter(pk=wishes[n].pk).update(status=WishStatus.CLAIMED)

    assert _parallel(remove) == []
    assert not ServedMonth.objects.filter(member=world.member_a).exists()
    assert summary.verify() == []
