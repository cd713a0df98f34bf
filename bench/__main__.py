"""``uv run python -m bench [--members N] [--entries N] [--repeat N]``: time the member ranking
selector (``points.selectors.member_totals``) against hand-written SQL on a generated data set
(its own SQLite file under var/ unless DATABASE_URL is set) and print the ratio."""

from __future__ import annotations

import argparse
import os
import random
import sys
import time
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

SQL = """
SELECT m.id, m.name, COALESCE(SUM(e.points), 0) AS total
FROM members_member m
LEFT JOIN orgs_organization h ON h.id = m.home_org_id
LEFT JOIN orgs_organization c ON c.id = m.community_id
LEFT JOIN points_pointentry e ON e.member_id = m.id AND e.occurred_on >= %s AND e.occurred_on <= %s
WHERE (h.path LIKE %s OR c.path LIKE %s) AND m.standing NOT IN ('transferred_out', 'deceased')
GROUP BY m.id, m.name
ORDER BY total DESC, m.name, m.id
"""


def generate(members: int, entries: int, seed: int = 7):
    from gongzhi.members.models import Member
    from gongzhi.orgs.models import Organization, OrgKind
    from gongzhi.points.models import PointEntry, RuleCode

    rng = random.Random(seed)
    street = Organization.objects.create(code="BENCH", name="测试街道", kind=OrgKind.STREET)
    community = Organization.objects.create(code="BENCH-C", name="测试社区", kind=OrgKind.COMMUNITY, parent=street)
    branches = [Organization.objects.create(code=f"BENCH-C-B{n}", name=f"第{n}支部", kind=OrgKind.BRANCH,
                                            parent=community) for n in range(1, 21)]
    Member.objects.bulk_create([
        Member(name=f"党员{i}", sex="male", id_number=f"B{i:017d}", birth_date=date(1970, 1, 1),
               joined_on=date(2000, 7, 1), category="in_service", home_org=rng.choice(branches), community=community)
        for i in range(members)], batch_size=2000)
    ids = list(Member.objects.filter(community=community).values_list("pk", flat=True))
    start = date(2025, 1, 1)
    PointEntry.objects.bulk_create([
        PointEntry(member_id=rng.choice(ids), organization=community, points=Decimal(rng.choice([1, 2, 3, 4])),
                   code=RuleCode.MANUAL_AWARD, idempotency_key=f"bench:{i}",
                   occurred_on=start + timedelta(days=rng.randrange(365)))
        for i in range(entries)], batch_size=5000)
    return community


def timed(fn, repeat: int) -> float:
    best = float("inf")
    for _i in range(repeat):
        began = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - began)
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--members", type=int, default=5000)
    parser.add_argument("--entries", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()

    db = ROOT / "var" / "bench.sqlite3"
    if "DATABASE_URL" not in os.environ:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{db}{suffix}").unlink(missing_ok=True)
        os.environ["DATABASE_URL"] = f"sqlite:///{db}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongzhi.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from gongzhi.points.selectors import member_totals

    call_command("migrate", verbosity=0)
    began = time.perf_counter()
    community = generate(args.members, args.entries)
    print(f"generated {args.members} members, {args.entries} entries in {time.perf_counter() - began:.1f} s "
          f"({connection.vendor})")
    period = (date(2025, 1, 1), date(2025, 12, 31))

    def orm():
        return list(member_totals(community, *period))

    def raw():
        with connection.cursor() as cursor:
            cursor.execute(SQL, [*period, community.path + "%", community.path + "%"])
            return cursor.fetchall()

    a, b = orm(), raw()
    assert [(r["pk"], r["total"]) for r in a] == [(r[0], Decimal(str(r[2]))) for r in b], "results differ"
    t_orm, t_raw = timed(orm, args.repeat), timed(raw, args.repeat)
    print(f"member_totals (ORM): {t_orm * 1000:.1f} ms; hand-written SQL: {t_raw * 1000:.1f} ms; "
          f"ratio ORM/SQL = {t_orm / t_raw:.2f}")


if __name__ == "__main__":
    main()
