"""``make bench`` (``uv run python -m bench``): time the rankings and activation selectors against
the same aggregate in hand-written SQL on a generated district, and the street's dashboard (the figures
registry, rendered) against the SQL its figures issue, and print each ratio against the stated ceiling.

Scales (``BENCH_SCALE``):

- ``small`` (default): 5,000 members and 100,000 ledger entries in its own SQLite file under var/
  (or the database of ``DATABASE_URL``);
- ``full``: 100,000 members and 5,000,000 entries, PostgreSQL only, in a database of its own whose
  name contains ``bench`` (it is emptied first), e.g.
  ``BENCH_SCALE=full DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench make bench``.
  ``--reuse`` keeps the data of an earlier run; ``--generate-only`` fills the database and stops.

The ledger is filled with the totals trigger switched off and the summary then rebuilt from the
ledger in one statement (``points.totals.rebuild``, the same as ``gongzhi points rebuild_totals``),
which is far quicker than ten million upserts; ``points.totals.verify`` then checks it. The check-ins
are loaded with the served summary's triggers off and that summary rebuilt the same way
(``recognition.summary.rebuild``); with ``--reuse`` the migrations run (recognition 0002 creates and
fills the summary on a database generated before it) and the summary is rebuilt and verified.
Activation's hand-written SQL reads the served summary for whole months (and the records for the days
of a period outside them), as ``recognition.selectors.served`` does. On PostgreSQL the generated
years' ledger and audit rows then leave the default partition for their year's (``partitions.ahead``,
what the monthly task does in production).
Each figure is the best of ``--repeat`` runs. The ratio is ORM time / hand-written SQL time; the
ceiling is 1.5 (the ORM may cost at most half again what the hand-written query costs), or, for a
query that takes only milliseconds, an overhead of at most 2 ms (Django's fixed cost of compiling
the query and building the rows). The exit status is 1 when a figure is above the ceiling or when
the two give different answers.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

CEILING = 1.5
OVERHEAD = 0.002  # seconds
SCALES = {"small": (5_000, 100_000, 20_000), "full": (100_000, 5_000_000, 400_000)}  # members, entries, check-ins
YEAR = 2025
COMMUNITIES, BRANCHES, GROUPS = 10, 10, 3  # per street, per community, per branch

MEMBER_SQL = """
SELECT m.id, m.name, h.name AS branch, COALESCE(SUM(t.points), 0) AS total
FROM members_member m
LEFT JOIN orgs_organization h ON h.id = m.home_org_id
LEFT JOIN orgs_organization c ON c.id = m.community_id
LEFT JOIN points_pointtotal t ON t.member_id = m.id AND t.year = %s AND t.month IN ({months})
WHERE (h.path LIKE %s OR c.path LIKE %s) AND m.standing NOT IN ('transferred_out', 'deceased')
GROUP BY m.id, m.name, h.name
ORDER BY total DESC, m.name, m.id
LIMIT 100
"""

MEMBER_LEDGER_SQL = """
SELECT m.id, m.name, h.name AS branch, COALESCE(SUM(e.points), 0) AS total
FROM members_member m
LEFT JOIN orgs_organization h ON h.id = m.home_org_id
LEFT JOIN orgs_organization c ON c.id = m.community_id
LEFT JOIN points_pointentry e ON e.member_id = m.id AND e.occurred_on >= %s AND e.occurred_on <= %s
WHERE (h.path LIKE %s OR c.path LIKE %s) AND m.standing NOT IN ('transferred_out', 'deceased')
GROUP BY m.id, m.name, h.name
ORDER BY total DESC, m.name, m.id
LIMIT 100
"""

BRANCH_SQL = """
SELECT m.home_org_id, h.name, SUM(t.points) AS total, COUNT(DISTINCT t.member_id) AS members
FROM points_pointtotal t
JOIN members_member m ON m.id = t.member_id
JOIN orgs_organization h ON h.id = m.home_org_id
WHERE h.path LIKE %s AND t.year = %s AND t.month IN ({months})
GROUP BY m.home_org_id, h.name
ORDER BY total DESC, h.name
"""

# Activation from the summary of who served per month (``recognition_servedmonth``): the bench's periods
# are whole months, so one probe of its (member, month) index per member (``recognition.selectors.served``
# reads the records only for the days of a period outside whole months).
ACTIVATION_SQL = """
SELECT COUNT(*), COUNT(*) FILTER (WHERE EXISTS (
    SELECT 1 FROM recognition_servedmonth s WHERE s.member_id = m.id AND s.month >= %(first_month)s
    AND s.month <= %(last_month)s))
FROM members_member m
LEFT JOIN orgs_organization h ON h.id = m.home_org_id
LEFT JOIN orgs_organization c ON c.id = m.community_id
WHERE (h.path LIKE %(like)s OR c.path LIKE %(like)s) AND m.standing NOT IN ('transferred_out', 'deceased')
"""

# A period that starts and ends mid-month: the summary for its whole months, the records for the days at
# each end, probed only for members with a summary row in that end's month (what
# ``recognition.selectors.served`` does).
_RECORDS = """(EXISTS (SELECT 1 FROM service_checkin k WHERE k.member_id = m.id AND k.checked_in_at >= %(since{p})s
        AND k.checked_in_at < %(until{p})s)
    OR EXISTS (SELECT 1 FROM care_visit v JOIN care_pairing p ON p.id = v.pairing_id WHERE p.member_id = m.id
        AND v.visited_on >= %(first{p})s AND v.visited_on <= %(last{p})s)
    OR EXISTS (SELECT 1 FROM voice_wish w WHERE w.claimed_by_id = m.id AND w.status IN ('fulfilled', 'confirmed')
        AND w.fulfilled_at >= %(since{p})s AND w.fulfilled_at < %(until{p})s))"""
ACTIVATION_PARTIAL_SQL = f"""
SELECT COUNT(*), COUNT(*) FILTER (WHERE EXISTS (
    SELECT 1 FROM recognition_servedmonth s WHERE s.member_id = m.id AND s.month >= %(first_month)s
    AND s.month <= %(last_month)s)
  OR (EXISTS (SELECT 1 FROM recognition_servedmonth s WHERE s.member_id = m.id AND s.month = %(month_before)s)
      AND {_RECORDS.format(p="_before")})
  OR (EXISTS (SELECT 1 FROM recognition_servedmonth s WHERE s.member_id = m.id AND s.month = %(month_after)s)
      AND {_RECORDS.format(p="_after")}))
FROM members_member m
LEFT JOIN orgs_organization h ON h.id = m.home_org_id
LEFT JOIN orgs_organization c ON c.id = m.community_id
WHERE (h.path LIKE %(like)s OR c.path LIKE %(like)s) AND m.standing NOT IN ('transferred_out', 'deceased')
"""


def _partial_params(connection, org, start: date, end: date) -> dict:
    from django.utils import timezone

    from gongzhi.recognition.selectors import whole_months

    first_month, last_month = whole_months(start, end)
    after_last = (last_month + timedelta(days=31)).replace(day=1)

    def local(day):  # a local midnight as the database compares it (UTC text on SQLite)
        return connection.ops.adapt_datetimefield_value(timezone.make_aware(datetime.combine(day, datetime.min.time())))

    return {"like": org.path + "%", "first_month": first_month, "last_month": last_month,
            "month_before": start.replace(day=1), "month_after": end.replace(day=1),
            "since_before": local(start), "until_before": local(first_month), "first_before": start,
            "last_before": first_month - timedelta(days=1),
            "since_after": local(after_last), "until_after": local(end + timedelta(days=1)), "first_after": after_last,
            "last_after": end}


# The same from the records themselves, as before the summary (printed for comparison).
ACTIVATION_RECORDS_SQL = """
SELECT COUNT(*), COUNT(*) FILTER (WHERE EXISTS (
    SELECT 1 FROM service_checkin k WHERE k.member_id = m.id AND k.checked_in_at >= %(since)s
    AND k.checked_in_at < %(until)s) OR EXISTS (
    SELECT 1 FROM care_visit v JOIN care_pairing p ON p.id = v.pairing_id WHERE p.member_id = m.id
    AND v.visited_on >= %(first)s AND v.visited_on <= %(last)s) OR EXISTS (
    SELECT 1 FROM voice_wish w WHERE w.claimed_by_id = m.id AND w.status IN ('fulfilled', 'confirmed')
    AND w.fulfilled_at >= %(since)s AND w.fulfilled_at < %(until)s))
FROM members_member m
LEFT JOIN orgs_organization h ON h.id = m.home_org_id
LEFT JOIN orgs_organization c ON c.id = m.community_id
WHERE (h.path LIKE %(like)s OR c.path LIKE %(like)s) AND m.standing NOT IN ('transferred_out', 'deceased')
"""


def _setup_database(scale: str) -> None:
    if scale == "full":
        url = os.environ.get("DATABASE_URL", "")
        if not url.startswith("postgres") or "bench" not in url.rsplit("/", 1)[-1]:
            sys.exit("BENCH_SCALE=full needs DATABASE_URL=postgres://…/<a database whose name contains 'bench'>")
        _create_postgres_database(url)
    elif os.environ.get("DATABASE_URL", "").startswith("postgres"):
        if "bench" not in os.environ["DATABASE_URL"].rsplit("/", 1)[-1]:
            sys.exit("the bench empties its database: DATABASE_URL must name one whose name contains 'bench'")
        _create_postgres_database(os.environ["DATABASE_URL"])
    elif "DATABASE_URL" not in os.environ:
        db = ROOT / "var" / "bench.sqlite3"
        db.parent.mkdir(exist_ok=True)
        for suffix in ("", "-wal", "-shm"):
            Path(f"{db}{suffix}").unlink(missing_ok=True)
        os.environ["DATABASE_URL"] = f"sqlite:///{db}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongzhi.settings")


def _create_postgres_database(url: str) -> None:
    import psycopg

    base, name = url.rsplit("/", 1)
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        if conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone() is None:
            conn.execute(f'CREATE DATABASE "{name}"')


def _empty_postgres(connection) -> None:
    with connection.cursor() as cursor:
        cursor.execute("DROP SCHEMA public CASCADE")
        cursor.execute("CREATE SCHEMA public")


def generate(members: int, entries: int, checkins: int, seed: int = 7):
    """A street of 10 communities, each of 10 branches (a grid each) with 3 party groups (a building
    each); members spread over them; a year of entries and check-ins skewed towards a core of
    active members."""
    from django.db import connection
    from django.utils import timezone

    from gongzhi.members.models import Member
    from gongzhi.orgs.models import Building, Grid, Organization, OrgKind
    from gongzhi.points import totals
    from gongzhi.recognition import summary
    from gongzhi.service.models import Activity, CheckIn

    rng = random.Random(seed)
    street = Organization.objects.create(code="BENCH", name="测试街道", kind=OrgKind.STREET)
    places = []  # (community, branch, grid, building)
    for c in range(COMMUNITIES):
        community = Organization.objects.create(code=f"B-C{c}", name=f"测试社区{c}", kind=OrgKind.COMMUNITY,
                                                parent=street)
        for b in range(BRANCHES):
            branch = Organization.objects.create(code=f"B-C{c}-B{b}", name=f"社区{c}第{b}支部", kind=OrgKind.BRANCH,
                                                 parent=community)
            grid = Grid.objects.create(community=community, code=f"B-C{c}-G{b}", name=f"第{b}网格", branch=branch)
            for g in range(GROUPS):
                group = Organization.objects.create(code=f"B-C{c}-B{b}-P{g}", name=f"社区{c}支部{b}小组{g}",
                                                    kind=OrgKind.GROUP, parent=branch)
                building = Building.objects.create(grid=grid, name=f"{b}-{g}号楼", group=group)
                places.append((community, branch, grid, building))
    batch = []
    for i in range(members):
        community, branch, grid, building = rng.choice(places)
        batch.append(Member(name=f"党员{i:06d}", name_initials="dy", sex="male", id_number=f"B{i:017d}",
                            birth_date=date(1970, 1, 1), joined_on=date(2000, 7, 1), category="in_service",
                            home_org=branch, community=community, grid=grid, building=building))
        if len(batch) == 5000:
            Member.objects.bulk_create(batch)
            batch = []
    Member.objects.bulk_create(batch)
    where = dict(Member.objects.filter(home_org__path__startswith=street.path).values_list("pk", "community_id"))
    ids = list(where)
    core = ids[: len(ids) // 5]  # a fifth of the members earn four fifths of the entries
    first_day = date(YEAR, 1, 1)

    totals.switch(connection, on=False)
    rows = []
    for i in range(entries):
        member = rng.choice(core) if rng.random() < 0.8 else rng.choice(ids)
        # Three in four entries are earned in the member's community, the rest at the street's own events.
        earned_in = where[member] if rng.random() < 0.75 else street.pk
        rows.append((member, earned_in, rng.choice((1, 2, 3, 4)), (first_day + timedelta(days=rng.randrange(365))),
                     i))
        if len(rows) == 50_000:
            _insert_entries(connection, rows)
            rows = []
    _insert_entries(connection, rows)
    totals.switch(connection, on=True)
    totals.rebuild()

    communities = list(Organization.objects.filter(kind=OrgKind.COMMUNITY, parent=street))
    activities = Activity.objects.bulk_create([
        Activity(organization=rng.choice(communities), title=f"活动{n}", place="社区",
                 starts_at=timezone.make_aware(datetime(YEAR, 1, 1, 9)) + timedelta(days=n % 365),
                 ends_at=timezone.make_aware(datetime(YEAR, 1, 1, 11)) + timedelta(days=n % 365))
        for n in range(max(checkins // 200, 10))])
    summary.switch(connection, on=False)  # rebuilt in one statement after the bulk load (main)
    seen, batch = set(), []
    while len(seen) < checkins:
        member = rng.choice(core) if rng.random() < 0.7 else rng.choice(ids)
        activity = rng.choice(activities)
        if (member, activity.pk) in seen:
            continue
        seen.add((member, activity.pk))
        batch.append(CheckIn(activity=activity, member_id=member, checked_in_at=activity.starts_at,
                             checked_out_at=activity.ends_at, hours=Decimal(2)))
        if len(batch) == 5000:
            CheckIn.objects.bulk_create(batch)
            batch = []
    CheckIn.objects.bulk_create(batch)
    summary.switch(connection, on=True)
    summary.rebuild()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return street, communities[0]


def _insert_entries(connection, rows) -> None:
    """Insert ledger rows directly: COPY on PostgreSQL, executemany elsewhere."""
    from django.utils import timezone

    now = timezone.now()
    columns = ("member_id, organization_id, points, code, source_type, source_id, idempotency_key, occurred_on, "
               "reason, created_at")
    values = [(member, org, points, "manual_award", "", "", f"bench:{i}", day, "", now)
              for member, org, points, day, i in rows]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY points_pointentry ({columns}) FROM STDIN") as copy:
                for row in values:
                    copy.write_row(row)
        else:
            cursor.executemany(f"INSERT INTO points_pointentry ({columns}) VALUES ({', '.join(['%s'] * 10)})",
                               values)


def timed(fn, repeat: int) -> float:
    best = float("inf")
    for _i in range(repeat):
        began = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - began)
    return best


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--reuse", action="store_true", help="keep the data of an earlier run (full scale)")
    parser.add_argument("--no-pages", action="store_true", help="time the selectors only, not the pages")
    parser.add_argument("--pages-only", action="store_true", help="time the pages only (with --reuse: quick)")
    parser.add_argument("--generate-only", action="store_true",
                        help="generate (or complete) the data and stop, to time it later with --reuse")
    args = parser.parse_args()
    scale = os.environ.get("BENCH_SCALE", "small")
    if scale not in SCALES:
        sys.exit(f"BENCH_SCALE must be one of {', '.join(SCALES)}")
    members, entries, checkins = SCALES[scale]
    _setup_database(scale)
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from gongzhi.orgs.models import Organization, OrgKind
    from gongzhi.points import selectors, totals
    from gongzhi.recognition import selectors as recognition
    from gongzhi.recognition import summary as served_summary

    reuse = args.reuse and connection.vendor == "postgresql" and _has_data(connection)
    if not reuse:
        if connection.vendor == "postgresql" and "bench" in connection.settings_dict["NAME"]:
            _empty_postgres(connection)
        call_command("migrate", verbosity=0)
        began = time.perf_counter()
        street, _first = generate(members, entries, checkins)
        community = Organization.objects.filter(kind=OrgKind.COMMUNITY, parent=street).order_by("code").first()
        print(f"generated {members:,} members, {entries:,} entries, {checkins:,} check-ins in "
              f"{time.perf_counter() - began:.0f} s ({connection.vendor})")
    else:
        call_command("migrate", verbosity=0)  # indexes added since the data was generated
        street = Organization.objects.get(code="BENCH")
        community = Organization.objects.filter(kind=OrgKind.COMMUNITY, parent=street).order_by("code").first()
        print(f"reusing the data of an earlier run ({connection.vendor})")
    if connection.vendor == "postgresql":
        from bench import figures as figures_bench

        began = time.perf_counter()
        added = figures_bench.ensure_meetings(street, YEAR)
        if added:
            print(f"added {added:,} meetings of {YEAR - 1} and {YEAR} in {time.perf_counter() - began:.0f} s")
    from bench import fill as bench_fill

    began = time.perf_counter()
    if bench_fill.fill(street, members):
        print(f"filled residents, requests, care, meetings and learning in {time.perf_counter() - began:.0f} s")
    users = bench_fill.users(street, community)
    if connection.vendor == "postgresql":
        # As the monthly task does in production (`gongzhi partitions ahead`): the generated years' rows
        # leave the default partition for their year's, so that a year's query reads that year only.
        from gongzhi.core import partitions

        began = time.perf_counter()
        moved = {table: result.moved_years for table, result in partitions.ahead(connection).items()
                 if result.moved_years}
        if moved:
            with connection.cursor() as cursor:
                for table in moved:
                    cursor.execute(f"ANALYZE {table}")  # noqa: S608 - a registered table's name
            print(f"moved the years {moved} out of the default partitions in {time.perf_counter() - began:.0f} s")
    mismatches = totals.verify()
    print(f"totals summary agrees with the ledger: {'yes' if not mismatches else 'NO'}")
    if reuse:  # data generated before the served summary (or with its triggers off): rebuild it
        began = time.perf_counter()
        rows = served_summary.rebuild()
        print(f"rebuilt the served summary ({rows:,} member months) in {time.perf_counter() - began:.1f} s")
    if connection.vendor == "postgresql":
        # Visibility maps, hint bits and statistics, as autovacuum keeps them in production (the CI server runs
        # without it), before anything is timed: the served summary's probes are index-only scans; freshly generated
        # rows would otherwise have their hint bits set (their pages written) by whichever timing reads them first.
        # A run with --reuse follows earlier runs, whose rolled-back writes (the encryption bench's import and
        # check-ins) left dead rows that grew the tables: PostgreSQL scales its estimates by a table's current size,
        # and a second run's plans flipped (the street's ledger API floor 5 ms → 2.9 s, the community's page 21 →
        # 324 ms). The whole database takes a few seconds at full scale once vacuumed, longer right after generation.
        began = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
        print(f"vacuumed and analysed the database in {time.perf_counter() - began:.1f} s")
    served_mismatches = served_summary.verify()
    print(f"served summary agrees with the records: {'yes' if not served_mismatches else 'NO'}")
    mismatches = mismatches or served_mismatches
    if args.generate_only:
        return 0 if not mismatches else 1

    def sql(query, params):
        with connection.cursor() as cursor:
            cursor.execute(query, params)
            return cursor.fetchall()

    def like(org):
        return org.path + "%"

    cases = []

    def member_case(label, org, kind, on):
        start, end = selectors.period_bounds(kind, on)
        year, months = selectors.summary_period(start, end)
        query = MEMBER_SQL.format(months=", ".join(str(m) for m in months))
        cases.append((label, lambda: list(selectors.member_totals(org, start, end)[:100]),
                      lambda: sql(query, [year, like(org), like(org)]),
                      lambda a, b: [(r["pk"], r["total"]) for r in a] == [(r[0], Decimal(str(r[3]))) for r in b]))

    member_case("street member ranking, year (summary)", street, "year", date(YEAR, 6, 1))
    member_case("community member ranking, quarter (summary)", community, "quarter", date(YEAR, 5, 1))
    week = (date(YEAR, 3, 3), date(YEAR, 3, 9))
    cases.append(("community member ranking, a week (ledger)",
                  lambda: list(selectors.member_totals(community, *week)[:100]),
                  lambda: sql(MEMBER_LEDGER_SQL, [*week, like(community), like(community)]),
                  lambda a, b: [(r["pk"], r["total"]) for r in a] == [(r[0], Decimal(str(r[3]))) for r in b]))
    month = selectors.period_bounds("month", date(YEAR, 9, 1))
    cases.append(("street branch totals, month (summary)",
                  lambda: list(selectors.branch_totals(street, *month)),
                  lambda: sql(BRANCH_SQL.format(months="9"), [like(street), YEAR]),
                  lambda a, b: [(r["member__home_org_id"], r["total"]) for r in a]
                  == [(r[0], Decimal(str(r[2]))) for r in b]))
    activation_params = {"first_month": date(YEAR, 1, 1), "last_month": date(YEAR, 12, 1), "like": like(street)}
    cases.append(("street activation, year (summary)",
                  lambda: recognition.activation(street, date(YEAR, 1, 1), date(YEAR, 12, 31)),
                  lambda: sql(ACTIVATION_SQL, activation_params),
                  lambda a, b: (a["total"], a["active"]) == tuple(b[0])))
    quarter = (date(YEAR, 5, 12), date(YEAR, 8, 20))  # partial months at both ends: summary and records
    cases.append(("community activation, mid-May to 20 August",
                  lambda: recognition.activation(community, *quarter),
                  lambda: sql(ACTIVATION_PARTIAL_SQL, _partial_params(connection, community, *quarter)),
                  lambda a, b: (a["total"], a["active"]) == tuple(b[0])))

    dashboard = None
    if not args.pages_only:
        dashboard = _dashboard_case(street, sql)
        cases.append(dashboard)

    failed = bool(mismatches)
    print(f"{'query':48} {'ORM ms':>9} {'SQL ms':>9} {'ratio':>6}  (ceiling {CEILING}, or 2 ms)")
    for label, orm, raw, same in ([] if args.pages_only else cases):
        if not same(orm(), raw()):
            print(f"{label:48} results differ")
            failed = True
            continue
        t_orm, t_raw = timed(orm, args.repeat), timed(raw, args.repeat)
        ratio = t_orm / t_raw
        within = ratio <= CEILING or t_orm - t_raw <= OVERHEAD
        verdict = "ok" if ratio <= CEILING else ("ok (overhead under 2 ms)" if within else "ABOVE CEILING")
        failed |= not within
        print(f"{label:48} {t_orm * 1000:9.1f} {t_raw * 1000:9.1f} {ratio:6.2f}  {verdict}")
    if args.no_pages:
        pass
    elif connection.vendor != "postgresql":
        print("the page bench runs on PostgreSQL only (its SQL is PostgreSQL's): set DATABASE_URL")
    else:
        from bench import pages

        failed |= pages.run(street, community, users, sql, timed, args.repeat, ceiling=CEILING, overhead=OVERHEAD)
    if args.pages_only:
        return 1 if failed else 0
    year = selectors.period_bounds("year", date(YEAR, 6, 1))
    t_ledger = timed(lambda: sql(MEMBER_LEDGER_SQL, [*year, like(street), like(street)]), 1)
    print(f"for comparison, the street's year ranking summed from the ledger: {t_ledger * 1000:.0f} ms")
    records = _partial_params(connection, street, date(YEAR, 1, 1), date(YEAR, 12, 31))
    records.update(since=records["since_before"], until=records["until_after"], first=date(YEAR, 1, 1),
                   last=date(YEAR, 12, 31))
    t_records = timed(lambda: sql(ACTIVATION_RECORDS_SQL, records), 1)
    print(f"for comparison, the street's year activation from the records (no summary): {t_records * 1000:.0f} ms")
    if connection.vendor == "postgresql":  # the dashboard and the summary against hand-written SQL (figures.py)
        from django.contrib.auth import get_user_model

        user = get_user_model().objects.get(username="bench-street")
        failed |= not figures_bench.dashboard_against_floor(street, YEAR, user, dashboard[1], timed, args.repeat)
        t_whole, t_floor, count, replayed = figures_bench.summary_against_floor(street, YEAR, timed)
        verdict = "ok" if t_whole < 60 else "ABOVE A MINUTE"
        print(f"street work summary, {count} figures: {t_whole:.2f} s; its floor (hand-written SQL, {replayed} "
              f"statements of figures over empty tables replayed) {t_floor:.2f} s; ratio {t_whole / t_floor:.2f}  "
              f"{verdict}")
        failed |= t_whole >= 60
    else:
        _work_summary(street, timed)
    from bench.encryption import encryption_cost  # issue 21: encryption at rest, sealed vs plain

    failed |= encryption_cost(community, args.repeat)
    return 1 if failed else 0



def _work_summary(street, timed) -> None:
    """The street's year-end work summary (figures for the year and the previous one, the drafted text, the
    proposed problems, the .docx with its charts) against the floor of the same figures computed alone; the
    issue asks for under a minute at full scale."""
    from django.utils import translation

    from gongzhi.core.periods import Period
    from gongzhi.reports.document import summary_docx
    from gongzhi.reports.figures import applicable, freeze
    from gongzhi.reports.models import WorkSummary
    from gongzhi.reports.narrative import draft, propose_problems

    period = Period.year(YEAR)
    items = applicable(street)

    def figures_alone():
        for item in items:
            item.compute(street, period)
            item.compute(street, period.previous())
            if item.breakdown:
                item.breakdown(street, period)

    def whole():
        with translation.override("zh-hans"):
            frozen = freeze(street, period)
            summary = WorkSummary(organization=street, period_kind="year", starts_on=period.start,
                                  ends_on=period.end, language="zh-hans", figures=frozen, narrative=draft(frozen),
                                  problems=propose_problems(frozen, street, period))
            return summary_docx(summary)

    t_floor, t_whole = timed(figures_alone, 1), timed(whole, 1)
    verdict = "ok" if t_whole < 60 else "ABOVE A MINUTE"
    print(f"street work summary, {len(items)} figures: {t_whole:.2f} s; the figures alone {t_floor:.2f} s; "
          f"ratio {t_whole / max(t_floor, 1e-6):.2f}  {verdict}")


def _dashboard_case(street, sql):
    """The street dashboard's figures as its background task computes them (``services.compute_snapshot``:
    every figure, trend, bar and distribution, nothing cached) against the statements it sends, replayed as
    recorded (``WITH`` statements and its progress updates included): what the registry and the ORM add to
    the queries. The page itself reads the snapshot (``bench.pages``)."""
    from django.contrib.auth import get_user_model
    from django.utils import translation

    from bench.pages import _recorded, _replayer
    from gongzhi.accounts.models import Role, RoleKind
    from gongzhi.core.periods import Period
    from gongzhi.dashboards import services

    user, _created = get_user_model().objects.get_or_create(username="bench-street", defaults={"display_name": "街道"})
    Role.objects.get_or_create(user=user, organization=street, kind=RoleKind.STREET_ADMIN,
                               defaults={"starts_on": date(2020, 1, 1)})
    with translation.override("zh-hans"):
        snapshot = services.snapshot_for(street, Period.year(YEAR), "zh-hans")

    def render():
        with translation.override("zh-hans"):
            return services.compute_snapshot(snapshot.pk)

    statements = _recorded(render)
    replay = _replayer(statements)
    print(f"the street dashboard's computation sends {len(statements)} statements")
    return ("street dashboard computed, its statements replayed", render, replay,
            lambda a, b: a is not None and b == len(statements))


def _has_data(connection) -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT to_regclass('orgs_organization') IS NOT NULL")
        if not cursor.fetchone()[0]:
            return False
        cursor.execute("SELECT EXISTS (SELECT 1 FROM orgs_organization WHERE code = 'BENCH')")
        return cursor.fetchone()[0]


if __name__ == "__main__":
    sys.exit(main())
