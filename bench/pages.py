"""The page bench: every list page, figure page and API list a street administrator and a community
secretary open, each fetched through Django's test client (logged in as ``bench-street`` or
``bench-community``) and timed against the best hand-written SQL for the same content — indexed,
keyset-paginated, from the summary tables where they exist.

What a page costs beyond its data is the same for every page: the session, the user and his or her roles,
the menu, the base template. That shell is timed once per user on the profile page (``/accounts/me/``,
which shows no list) and added to the SQL's time: the ratio is page / (shell + SQL), so that a page
whose content costs what its SQL costs is at 1.0. The raw figures are printed too.

``BENCH_PAGES=text`` times only the pages whose label contains the text.

Each case states the page's known answer (the ids, some of their fields, or the totals it shows, read from the
response's context or JSON) and the SQL's; they must be equal, or the case fails."""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from typing import Any

YEAR = 2025


@dataclass
class PageCase:
    label: str
    user: str  # "street" or "community"
    url: str
    answer: Callable[[Any], Any]  # the response → its known answer
    sql: Callable[[], Any]  # the hand-written SQL → the same answer
    page: Callable[[], Any] | None = None  # timed instead of fetching ``url`` (a background task's work)
    shell: bool = True  # add the user's shell (a background task has none)


def _ids(rows) -> list:
    return [r.pk for r in rows]


def _json(response) -> dict:
    return json.loads(response.content)


def cases(street, community, sql) -> list[PageCase]:
    """The pages, for the street's administrator and the first community's secretary."""
    from django.contrib.auth import get_user_model
    from django.urls import reverse
    from django.utils import timezone

    from bench.fill import USERS
    from gongzhi.care.models import CareKind, kind_of_index

    orgs = {"street": street, "community": community}
    # The users' ids, as the session gives a page its user's (the shell's work, not the SQL's).
    user_ids = {USERS[name]: pk for name, pk in get_user_model().objects.filter(username__in=USERS)
                .values_list("username", "pk")}
    out: list[PageCase] = []

    def like(who):
        return orgs[who].path + "%"

    def ledger_where(who):
        return ("(e.organization_id IN (SELECT id FROM orgs_organization WHERE path LIKE %(like)s) OR e.member_id IN "
                "(SELECT m.id FROM members_member m JOIN orgs_organization h ON h.id = m.home_org_id "
                "WHERE h.path LIKE %(like)s))"), {"like": like(who)}

    def ledger_sql(who, cursor=None, limit=50):
        where, params = ledger_where(who)
        seek = ""
        if cursor:
            seek = " AND e.occurred_on <= %(d)s AND (e.occurred_on < %(d)s OR e.id < %(i)s)"
            params = {**params, "d": cursor[0], "i": cursor[1]}
        rows = sql(f"""
            SELECT p.id, p.occurred_on, m.name, o.name,
                   EXISTS (SELECT 1 FROM points_pointentry r WHERE r.reverses_id = p.id)
            FROM (SELECT e.id, e.occurred_on, e.member_id, e.organization_id FROM points_pointentry e
                  WHERE {where}{seek} ORDER BY e.occurred_on DESC, e.id DESC LIMIT {limit + 1}) p
            JOIN members_member m ON m.id = p.member_id JOIN orgs_organization o ON o.id = p.organization_id
            ORDER BY p.occurred_on DESC, p.id DESC""", params)
        return [r[0] for r in rows[:limit]]

    def ledger_cursor(who, row):
        where, params = ledger_where(who)
        found = sql(f"SELECT e.occurred_on, e.id FROM points_pointentry e WHERE {where} "
                    f"ORDER BY e.occurred_on DESC, e.id DESC OFFSET {row} LIMIT 1", params)
        return found[0] if found else ledger_cursor(who, row // 2)  # a tiny bench: an earlier page

    def ledger_count(who):
        where, params = ledger_where(who)
        # The API counts a keyset list up to 10,000 items (``core.api_types.capped_count``); past that, null.
        found = sql(f"SELECT count(*) FROM (SELECT 1 FROM points_pointentry e WHERE {where} LIMIT 10001) x",
                    params)[0][0]
        return found if found <= 10_000 else None

    for who in ("street", "community"):
        cursor = ledger_cursor(who, 49 * 50 - 1)  # the last row of page 49: page 50 follows it
        after = f"{cursor[0].isoformat()}_{cursor[1]}"
        out.append(PageCase(f"points ledger /points/ ({who})", who, "/points/",
                            lambda r: _ids(r.context["page"]), lambda who=who: ledger_sql(who)))
        out.append(PageCase(f"points ledger, page 50 ({who})", who, f"/points/?after={after}",
                            lambda r: _ids(r.context["page"]), lambda who=who, c=cursor: ledger_sql(who, c)))
        out.append(PageCase(f"API /api/points/entries ({who})", who, "/api/points/entries",
                            lambda r: ([i["id"] for i in _json(r)["items"]], _json(r)["count"]),
                            lambda who=who: (ledger_sql(who), ledger_count(who))))
        out.append(PageCase(f"API /api/points/entries, page 50 ({who})", who, f"/api/points/entries?after={after}",
                            lambda r: [i["id"] for i in _json(r)["items"]],
                            lambda who=who, c=cursor: ledger_sql(who, c)))

    # Rankings, the year 2025 (the summary's year row), with activation and who is not yet active.
    members_where = ("m.standing NOT IN ('transferred_out', 'deceased') AND (m.home_org_id IN "
                     "(SELECT id FROM orgs_organization WHERE path LIKE %(like)s) OR m.community_id IN "
                     "(SELECT id FROM orgs_organization WHERE path LIKE %(like)s))")
    # Who served, from the summary of who served per month (the year is twelve whole months).
    served = """EXISTS (SELECT 1 FROM recognition_servedmonth s WHERE s.member_id = m.id
                   AND s.month >= %(first)s AND s.month <= %(last_month)s)"""

    def rankings_sql(who):
        params = {"like": like(who), "year": YEAR, "first": date(YEAR, 1, 1), "last_month": date(YEAR, 12, 1)}
        top = sql(f"""
            SELECT m.id, COALESCE(t.points, 0) AS total FROM members_member m
            LEFT JOIN points_pointtotal t ON t.member_id = m.id AND t.year = %(year)s AND t.month = 0
            WHERE {members_where} ORDER BY total DESC, m.name, m.id LIMIT 100""", params)
        branches = sql("""
            SELECT m.home_org_id, SUM(t.points) AS total FROM points_pointtotal t
            JOIN members_member m ON m.id = t.member_id JOIN orgs_organization h ON h.id = m.home_org_id
            WHERE t.year = %(year)s AND t.month = 0 AND h.path LIKE %(like)s
            GROUP BY m.home_org_id, h.name ORDER BY total DESC, h.name""", params)
        sql("""SELECT b.group_id, SUM(t.points) AS total FROM points_pointtotal t
               JOIN members_member m ON m.id = t.member_id JOIN orgs_building b ON b.id = m.building_id
               WHERE t.year = %(year)s AND t.month = 0
                 AND b.group_id IN (SELECT id FROM orgs_organization WHERE path LIKE %(like)s)
               GROUP BY b.group_id ORDER BY total DESC LIMIT 100""", params)
        activation = sql(f"SELECT COUNT(*), COUNT(*) FILTER (WHERE {served}) FROM members_member m "
                         f"WHERE {members_where}", params)[0]
        sql(f"""SELECT m.id FROM members_member m JOIN orgs_organization h ON h.id = m.home_org_id
                WHERE {members_where} AND NOT {served} ORDER BY h.path, m.name LIMIT 200""", params)
        return [r[0] for r in top], [r[0] for r in branches], tuple(activation)

    for who in ("street", "community"):
        out.append(PageCase(f"rankings, year ({who})", who,
                            reverse("recognition:rankings", args=[orgs[who].pk]) + f"?period=year&on={YEAR}-06-01",
                            lambda r: ([m["pk"] for m in r.context["members"]],
                                       [b["member__home_org_id"] for b in r.context["branches"]],
                                       (r.context["activation"]["total"], r.context["activation"]["active"])),
                            lambda who=who: rankings_sql(who)))

    # The member list (first page, with its count) and the member statistics.
    def count_sql(where, params, table, capped):
        """The list's count; ``capped``: as the API counts a keyset list (at most 10,000, else null)."""
        if not capped:
            return sql(f"SELECT count(*) FROM {table} WHERE {where}", params)[0][0]
        found = sql(f"SELECT count(*) FROM (SELECT 1 FROM {table} WHERE {where} LIMIT 10001) x", params)[0][0]
        return found if found <= 10_000 else None

    def member_list_sql(who, capped=False):
        params = {"like": like(who)}
        rows = sql(f"""
            SELECT m.id, h.name, c.name FROM members_member m
            LEFT JOIN orgs_organization h ON h.id = m.home_org_id LEFT JOIN orgs_organization c ON c.id = m.community_id
            WHERE {members_where} ORDER BY m.name_initials, m.id LIMIT 25""", params)
        return [r[0] for r in rows], count_sql(members_where, params, "members_member m", capped)

    def stats_sql(who):
        today = date.today()
        params = {"like": like(who), "today": today}
        # One pass over the subtree's members: every distribution at once.
        row = sql(f"""
            SELECT count(*),
                   count(*) FILTER (WHERE m.category = 'in_service'),
                   count(*) FILTER (WHERE m.is_mobile_member), count(*) FILTER (WHERE m.standing = 'lost_contact'),
                   count(*) FILTER (WHERE m.birth_date > %(today)s::date - interval '36 years'),
                   count(*) FILTER (WHERE m.birth_date <= %(today)s::date - interval '60 years')
            FROM members_member m WHERE {members_where}""", params)[0]
        sql(f"""SELECT m.status, m.category, m.sex, m.education, m.party_status, count(*) FROM members_member m
                WHERE {members_where} GROUP BY GROUPING SETS ((m.status), (m.category), (m.sex), (m.education),
                (m.party_status))""", params)
        sql("""SELECT o.id, count(m.id) FILTER (WHERE m.standing NOT IN ('transferred_out', 'deceased'))
               FROM orgs_organization o LEFT JOIN members_member m ON m.home_org_id = o.id
               WHERE o.path LIKE %(like)s AND o.kind = 'branch' GROUP BY o.id, o.path ORDER BY o.path""", params)
        return row[0], row[1]

    for who in ("street", "community"):
        out.append(PageCase(f"member list /members/ ({who})", who, "/members/",
                            lambda r: (_ids(r.context["members"]), r.context["page"].paginator.count),
                            lambda who=who: member_list_sql(who)))
        out.append(PageCase(f"member statistics /members/stats/ ({who})", who,
                            reverse("members:stats", args=[orgs[who].pk]),
                            lambda r: (r.context["stats"]["total"], r.context["stats"]["in_service"]),
                            lambda who=who: stats_sql(who)))

    # Residents (by community path, building, door), requests (newest first), care, meetings, learning.
    def residents_sql(who):
        params = {"like": like(who)}
        rows = sql("""
            SELECT r.id FROM members_resident r JOIN orgs_organization c ON c.id = r.community_id
            LEFT JOIN orgs_household hh ON hh.id = r.household_id LEFT JOIN orgs_building b ON b.id = hh.building_id
            WHERE c.path LIKE %(like)s
            ORDER BY c.path, b.name, hh.entrance, hh.number, r.id LIMIT 25""", params)
        count = sql("SELECT count(*) FROM members_resident r WHERE r.community_id IN "
                    "(SELECT id FROM orgs_organization WHERE path LIKE %(like)s)", params)[0][0]
        return [r[0] for r in rows], count

    def requests_where(who):
        return ("(q.community_id IN (SELECT id FROM orgs_organization WHERE path LIKE %(like)s) OR q.handler_id IN "
                "(SELECT id FROM orgs_organization WHERE path LIKE %(like)s))"), {"like": like(who)}

    def requests_sql(who):
        where, params = requests_where(who)
        rows = sql(f"""SELECT q.id FROM voice_request q WHERE {where}
                       ORDER BY q.created_at DESC, q.id DESC LIMIT 25""", params)
        return [r[0] for r in rows], count_sql(where, params, "voice_request q", capped=False)

    def request_items_sql(who):
        """The API's first page (``voice.api.RequestOut``): its thirteen fields and what deciding the contact
        details needs (the resident's name and account, the community's and the handler's path and kind), one row
        past the page (its next cursor; the page's rows found first, then joined), and the capped count."""
        where, params = requests_where(who)
        columns = ("{q}.id, {q}.community_id, {q}.category, {q}.status, {q}.text, {q}.anonymous, {q}.handler_id, "
                   "{q}.created_at, {q}.first_answer_due, {q}.resolution_due, {q}.deadline_provisional, "
                   "{q}.contact_phone, {q}.resident_id")
        rows = sql(f"""
            SELECT {columns.format(q="p")}, r.name, r.user_id, c.path, c.kind, h.path, h.kind
            FROM (SELECT {columns.format(q="q")} FROM voice_request q
                  WHERE {where} ORDER BY q.created_at DESC, q.id DESC LIMIT 26) p
            JOIN orgs_organization c ON c.id = p.community_id LEFT JOIN members_resident r ON r.id = p.resident_id
            LEFT JOIN orgs_organization h ON h.id = p.handler_id
            ORDER BY p.created_at DESC, p.id DESC""", params)
        return ([(r[0], r[2], r[3], r[6]) for r in rows[:25]],
                count_sql(where, params, "voice_request q", capped=True))

    def care_sql(who):
        params = {"like": like(who)}
        rows = sql("""
            SELECT p.id, COALESCE((SELECT max(v.visited_on) FROM care_visit v WHERE v.pairing_id = p.id),
                                  p.started_on) + p.frequency_days AS due, r.name
            FROM care_pairing p JOIN members_resident r ON r.id = p.resident_id
            WHERE p.ended_on IS NULL AND r.community_id IN (SELECT id FROM orgs_organization WHERE path LIKE %(like)s)
            ORDER BY due, r.name, p.id LIMIT 50""", params)
        sql("""SELECT count(*), count(*) FILTER (WHERE COALESCE((SELECT max(v.visited_on) FROM care_visit v
                      WHERE v.pairing_id = p.id), p.started_on) + p.frequency_days < %(today)s)
               FROM care_pairing p JOIN members_resident r ON r.id = p.resident_id
               WHERE p.ended_on IS NULL
                 AND r.community_id IN (SELECT id FROM orgs_organization WHERE path LIKE %(like)s)""",
            {**params, "today": date.today()})
        return [r[0] for r in rows]

    def registry_sql(who):
        params = {"like": like(who)}
        rows = sql("""
            SELECT r.id FROM members_resident r JOIN orgs_organization c ON c.id = r.community_id
            WHERE c.path LIKE %(like)s AND r.id IN (SELECT resident_id FROM care_caretag)
            ORDER BY c.path, r.name, r.id LIMIT 50""", params)
        ids = [r[0] for r in rows]
        sql("SELECT resident_id, kind FROM care_caretag WHERE resident_id = ANY(%(ids)s)", {"ids": ids})
        sql("SELECT p.resident_id, p.member_id FROM care_pairing p WHERE p.ended_on IS NULL "
            "AND p.resident_id = ANY(%(ids)s)", {"ids": ids})
        # The page's needs panel: how many residents have each of the seven needs, and how many any (the
        # registry's length), counted by the sealed kind's blind index as any hand-written query must.
        kinds = {}
        for index, code in kind_of_index().items():
            kinds.setdefault(code, []).append(index)
        needs = ", ".join(f"count(*) FILTER (WHERE t.kind_bidx = ANY(%(k{n})s))" for n in range(len(CareKind.values)))
        count = sql(f"""SELECT count(DISTINCT t.resident_id), {needs}
                        FROM care_caretag t JOIN members_resident r ON r.id = t.resident_id
                        JOIN orgs_organization c ON c.id = r.community_id WHERE c.path LIKE %(like)s""",
                    {**params, **{f"k{n}": kinds.get(code, []) for n, code in enumerate(CareKind.values)}})[0][0]
        return ids, count

    def meetings_sql(who):
        params = {"like": like(who), "first": date(YEAR, 6, 1), "last": date(YEAR, 6, 30)}
        rows = sql("""
            SELECT g.id, count(a.id) FROM meetings_meeting g LEFT JOIN meetings_attendance a ON a.meeting_id = g.id
            WHERE g.date BETWEEN %(first)s AND %(last)s
              AND g.organization_id IN (SELECT id FROM orgs_organization WHERE path LIKE %(like)s)
            GROUP BY g.id ORDER BY g.date, g.start_time, g.id LIMIT 51""", params)
        rows = rows[:50]
        return [r[0] for r in rows]

    def learning_sql(who):
        params = {"like": like(who), "first": date(YEAR, 1, 1), "last": date(YEAR, 12, 31)}
        where = ("s.studied_on BETWEEN %(first)s AND %(last)s AND s.organization_id IN "
                 "(SELECT id FROM orgs_organization WHERE path LIKE %(like)s)")
        total = sql(f"SELECT sum(minutes), count(*), count(DISTINCT member_id) FROM learning_studyrecord s "
                    f"WHERE {where}", params)[0]
        sql(f"SELECT organization_id, sum(minutes), count(*), count(DISTINCT member_id) FROM learning_studyrecord s "
            f"WHERE {where} GROUP BY organization_id", params)
        sql(f"""SELECT s.member_id, m.name, sum(s.minutes), count(*) FROM learning_studyrecord s
                JOIN members_member m ON m.id = s.member_id WHERE {where}
                GROUP BY s.member_id, m.name, m.name_initials ORDER BY m.name_initials, s.member_id LIMIT 50""", params)
        sql("SELECT count(*) FROM (SELECT DISTINCT member_id FROM learning_studyrecord s WHERE " + where + ") x",
            params)
        return int(total[0] or 0), total[1]

    def service_sql(who):
        """The upcoming list's first page as its cards show it (``service.views.UpcomingRow``): the activity's
        columns, its organization's and team's names, the places taken and the user's own sign-up (by his or her
        member or, with none, resident record), one row past the page (its next cursor); the page's rows found
        first, then joined."""
        params = {"like": like(who), "now": timezone.now(), "user": user_ids[who]}
        rows = sql("""
            WITH me AS (SELECT (SELECT id FROM members_member WHERE user_id = %(user)s) AS member_id,
                               (SELECT id FROM members_resident WHERE user_id = %(user)s) AS resident_id)
            SELECT a.id, a.title, a.kind, a.place, a.starts_at, a.ends_at, a.capacity, a.open_to, a.series_id,
                   a.cancelled_at, o.name, t.name,
                   (SELECT count(*) FROM service_signup s WHERE s.activity_id = a.id AND s.status = 'signed_up'),
                   (SELECT s.status FROM service_signup s WHERE s.activity_id = a.id
                      AND (s.member_id = me.member_id OR (me.member_id IS NULL AND s.resident_id = me.resident_id)))
            FROM (SELECT a.id, a.title, a.kind, a.place, a.starts_at, a.ends_at, a.capacity, a.open_to, a.series_id,
                         a.cancelled_at, a.organization_id, a.team_id FROM service_activity a
                  WHERE a.ends_at >= %(now)s
                    AND a.organization_id IN (SELECT id FROM orgs_organization WHERE path LIKE %(like)s)
                  ORDER BY a.starts_at, a.id LIMIT 51) a
            CROSS JOIN me JOIN orgs_organization o ON o.id = a.organization_id
            LEFT JOIN service_serviceteam t ON t.id = a.team_id
            ORDER BY a.starts_at, a.id""", params)
        return [(r[0], r[1], r[10], r[11], r[12]) for r in rows[:50]]

    for who in ("street", "community"):
        out.append(PageCase(f"residents /members/residents/ ({who})", who, "/members/residents/",
                            lambda r: (_ids(r.context["page"]), r.context["page"].paginator.count),
                            lambda who=who: residents_sql(who)))
        out.append(PageCase(f"requests /voice/queue/ ({who})", who, "/voice/queue/",
                            lambda r: (_ids(r.context["page"]), r.context["page"].paginator.count),
                            lambda who=who: requests_sql(who)))
        out.append(PageCase(f"care pairings /care/ ({who})", who, "/care/",
                            lambda r: _ids(r.context["pairings"]), lambda who=who: care_sql(who)))
        out.append(PageCase(f"care registry /care/registry/ ({who})", who, "/care/registry/",
                            lambda r: (_ids(r.context["page"]), r.context["page"].paginator.count),
                            lambda who=who: registry_sql(who)))
        out.append(PageCase(f"meetings, a month /meetings/ ({who})", who, f"/meetings/?month={YEAR}-06",
                            lambda r: _ids(r.context["meetings"]), lambda who=who: meetings_sql(who)))
        out.append(PageCase(f"learning figures ({who})", who,
                            reverse("learning:org_stats", args=[orgs[who].pk]) + f"?year={YEAR}",
                            lambda r: (r.context["minutes"], r.context["records"]),
                            lambda who=who: learning_sql(who)))
        out.append(PageCase(f"service, upcoming /service/ ({who})", who, "/service/",
                            lambda r: [(a.id, a.title, a.organization_name, a.team_name, a.taken)
                                       for a in r.context["activities"]],
                            lambda who=who: service_sql(who)))

    # API lists of the same records.
    for who in ("street", "community"):
        out.append(PageCase(f"API /api/members/ ({who})", who, "/api/members/?limit=25",
                            lambda r: ([i["id"] for i in _json(r)["items"]], _json(r)["count"]),
                            lambda who=who: member_list_sql(who, capped=True)))
        out.append(PageCase(f"API /api/voice/requests ({who})", who, "/api/voice/requests?limit=25",
                            lambda r: ([(i["id"], i["category"], i["status"], i["handler_id"])
                                        for i in _json(r)["items"]], _json(r)["count"]),
                            lambda who=who: request_items_sql(who)))
    return out


def _clients(users):
    from django.test import Client

    clients = {}
    for who, username in (("street", "bench-street"), ("community", "bench-community")):
        client = Client()
        client.force_login(users[username])
        clients[who] = client
    return clients


def _fetcher(clients):
    from django.core.cache import cache
    from django.test import override_settings

    plain_static = override_settings(STORAGES={
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}})

    def fetch(who, url):
        cache.clear()
        with plain_static:
            response = clients[who].get(url, secure=True)
        assert response.status_code == 200, (url, response.status_code)
        return response

    return fetch


@contextmanager
def capturing():
    """Responses keep their template context (to read a page's known answer) inside this block only:
    the test environment's instrumented rendering copies every template's context, which would
    weigh on the timed pages."""
    from django.test.utils import setup_test_environment, teardown_test_environment

    try:
        setup_test_environment()
    except RuntimeError:  # under pytest it is set up already, and stays so
        yield
        return
    try:
        yield
    finally:
        teardown_test_environment()


def differences(street, community, users, sql) -> list[tuple[str, Any, Any]]:
    """Every page whose known answer differs from its SQL's, untimed (``tests/test_bench_pages.py``)."""
    fetch = _fetcher(_clients(users))
    found = []
    for case in cases(street, community, sql):
        with capturing():
            page_answer = case.answer(fetch(case.user, case.url))
        sql_answer = case.sql()
        if page_answer != sql_answer:
            found.append((case.label, page_answer, sql_answer))
    return found


def run(street, community, users, sql, timed, repeat: int, *, ceiling: float, overhead: float) -> bool:
    """Time every page against its SQL (plus the user's shell); print the table; ``True`` when a page is
    above the ceiling or gives another answer than its SQL."""
    clients = _clients(users)
    fetch = _fetcher(clients)
    for who in clients:
        fetch(who, "/accounts/me/")  # each client's first request warms what every later one reuses
    failed = False
    print(f"{'page':52} {'page ms':>9} {'SQL ms':>9} {'shell':>6} {'ratio':>6}  (ceiling {ceiling}, or 2 ms)")
    only = os.environ.get("BENCH_PAGES", "")
    for case in [*cases(street, community, sql), *_dashboard_cases(street, community, clients, fetch, sql)]:
        if only and only not in case.label:
            continue
        page = case.page or (lambda case=case: fetch(case.user, case.url))
        with capturing():
            page_answer = case.answer(page())
        sql_answer = case.sql()
        if page_answer != sql_answer:
            print(f"{case.label:52} answers differ:\n  page {page_answer}\n  SQL  {sql_answer}")
            failed = True
            continue
        # The shell, the page and the SQL in turn, each the best of ``repeat``: the machine's load moves
        # all three alike.
        t_shell = float("inf") if case.shell else 0.0
        t_page = t_sql = float("inf")
        for _i in range(repeat):
            if case.shell:
                t_shell = min(t_shell, timed(lambda case=case: fetch(case.user, "/accounts/me/"), 1))
            t_page = min(t_page, timed(page, 1))
            t_sql = min(t_sql, timed(case.sql, 1))
        floor = t_shell + t_sql
        ratio = t_page / floor
        within = ratio <= ceiling or t_page - floor <= overhead
        verdict = "ok" if ratio <= ceiling else ("ok (overhead under 2 ms)" if within else "ABOVE CEILING")
        failed |= not within
        print(f"{case.label:52} {t_page * 1000:9.1f} {t_sql * 1000:9.1f} {t_shell * 1000:6.1f} "
              f"{ratio:6.2f}  {verdict}")
    return failed


def _recorded(work) -> list[tuple[str, Any, bool]]:
    """Every statement ``work()`` sends, with whether it returns rows (``SELECT``, ``WITH``)."""
    from django.db import connection

    recorded = []

    def record(execute, query, params, many, context):
        recorded.append((query, params, query.lstrip().upper().startswith(("SELECT", "WITH"))))
        return execute(query, params, many, context)

    with connection.execute_wrapper(record):
        work()
    return recorded


def _replayer(statements):
    from django.db import connection

    def replay():
        with connection.cursor() as cursor:
            for query, params, rows in statements:
                cursor.execute(query, params)
                if rows:
                    cursor.fetchall()
        return len(statements)

    return replay


def _dashboard_cases(street, community, clients, fetch, sql) -> list[PageCase]:
    """The dashboards, which read a snapshot their background task computes (docs/dashboards.md), twice each:

    - the page reading a fresh snapshot, against the statements it sends, replayed as recorded (reads only:
      the session's save is the same for every page);
    - the snapshot's computation (``services.compute_snapshot``, what the task does) against the statements
      it sends, replayed — every one, ``WITH`` statements included, and its progress updates; no shell.

    The known answer is the number of statements. The figures themselves are compared with hand-written SQL
    by ``bench.figures`` (the selector part of the bench)."""
    from django.urls import reverse

    from gongzhi.core.periods import Period
    from gongzhi.dashboards import services

    services.STALE_SECONDS = 10**9  # the page is timed reading its snapshot, never enqueuing a refresh
    out = []
    for who, org in (("street", street), ("community", community)):
        url = reverse("dashboards:organization", args=[org.pk]) + f"?period=year&year={YEAR}"
        from django.utils import translation

        with translation.override("zh-hans"):
            snapshot = services.snapshot_for(org, Period.year(YEAR), "zh-hans")

        def compute(pk=snapshot.pk):
            with translation.override("zh-hans"):
                return services.compute_snapshot(pk)

        if snapshot.status != "ready":  # the database task backend keeps it for a worker: computed here
            compute()
        statements = [s for s in _recorded(lambda who=who, url=url: fetch(who, url)) if s[2]]

        def count_page(response, url=url, who=who):
            return len([s for s in _recorded(lambda: fetch(who, url)) if s[2]])

        out.append(PageCase(f"dashboard, year ({who}; snapshot; SQL replayed)", who, url, count_page,
                            _replayer(statements)))
        task_statements = _recorded(compute)

        def count_task(_result, compute=compute):
            return len(_recorded(compute))

        out.append(PageCase(f"dashboard computation, year ({who}; SQL replayed)", who, url, count_task,
                            _replayer(task_statements), page=compute, shell=False))
    return out
