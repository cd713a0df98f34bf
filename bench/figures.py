"""The street dashboard and the street's work summary against a floor of hand-written SQL (``make bench``).

The floor is what the best SQL we can write by hand costs for the same numbers, not the ORM's own queries
replayed: one grouped statement per table and purpose (both periods in one scan with ``FILTER``, the twelve
months of a trend in one ``GROUP BY``, the sub-organizations' bars in one ``GROUP BY``, the 三会一课
compliance in the one grouped statement of ``meetings.compliance``). Every number of the floor is checked
against the dashboard's own (``dashboards.selectors``): the floor must give the same answers.

Figures over tables the bench leaves empty (requests, care, learning, democracy, publicity, supervision, dues,
transfers, dual reporting, appraisals) cost the database next to nothing either way; for those the floor is
their ORM statements replayed (their database time), and the report says how many they are.

PostgreSQL only (the times are compared in the database's time zone arithmetic). ``ensure_meetings`` adds
the meetings of two years to a generated street (once; it is kept with ``--reuse``), so that the compliance
figure has something to count.
"""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta
from datetime import time as clock
from decimal import Decimal

FLOOR_CEILING = 1.5


def ensure_meetings(street, year: int, seed: int = 11) -> int:
    """Two years of 三会一课 for every branch of the street (a tenth of them skipped at random), committee seats
    for half of the branches; nothing when the street has meetings already. Returns the meetings added."""
    from django.db import connection

    from gongzhi.meetings.compliance import periods_of_year
    from gongzhi.meetings.models import CommitteeMembership, Meeting, MeetingKind, MeetingStatus, Period
    from gongzhi.members.models import Member
    from gongzhi.orgs.models import Organization, OrgKind

    if Meeting.objects.filter(organization__path__startswith=street.path).exists():
        return 0
    rng = random.Random(seed)
    branches = list(Organization.objects.filter(path__startswith=street.path, kind=OrgKind.BRANCH).order_by("path"))
    first_group = {}
    for group in Organization.objects.filter(path__startswith=street.path, kind=OrgKind.GROUP).order_by("path"):
        first_group.setdefault(group.parent_id, group)
    seats = []
    for index, branch in enumerate(branches):
        if index % 2 == 0:
            member = Member.objects.filter(home_org=branch).order_by("pk").first()
            if member is not None:
                seats.append(CommitteeMembership(branch=branch, member=member, starts_on=date(year - 1, 1, 1)))
    CommitteeMembership.objects.bulk_create(seats)
    with_seat = {seat.branch_id for seat in seats}
    every = {MeetingKind.THEME_DAY: Period.MONTH, MeetingKind.COMMITTEE: Period.MONTH, MeetingKind.GROUP: Period.MONTH,
             MeetingKind.GENERAL: Period.QUARTER, MeetingKind.LESSON: Period.QUARTER, MeetingKind.LIFE: Period.YEAR}
    meetings = []
    for branch in branches:
        for kind, period in every.items():
            if kind == MeetingKind.COMMITTEE and branch.pk not in with_seat:
                continue
            holder = first_group.get(branch.pk) if kind == MeetingKind.GROUP else branch
            if holder is None:
                continue
            for y in (year - 1, year):
                for span in periods_of_year(period, y):
                    if rng.random() < 0.1:
                        continue
                    day = span.start + timedelta(days=rng.randrange((span.end - span.start).days + 1))
                    meetings.append(Meeting(organization=holder, kind=kind, topic="学习", date=day,
                                            start_time=clock(9), place="党群服务站", status=MeetingStatus.CONFIRMED))
    Meeting.objects.bulk_create(meetings, batch_size=5000)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE meetings_meeting")
        cursor.execute("ANALYZE meetings_committeemembership")
    return len(meetings)


# -- the hand-written floor ---------------------------------------------------------------------------------

HAND_WRITTEN = {
    "orgs.branches", "orgs.groups", "members.total", "members.probationary", "members.share_of_residents",
    "members.age_bands", "members.joined", "meetings.held", "meetings.compliance", "service.activities",
    "service.participations", "service.hours", "points.awarded", "points.activation_rate",
}

ORGS = """
SELECT COUNT(*) FILTER (WHERE kind = 'branch' AND (established_on IS NULL OR established_on <= %(end)s)),
       COUNT(*) FILTER (WHERE kind = 'branch' AND (established_on IS NULL OR established_on <= %(previous_end)s)),
       COUNT(*) FILTER (WHERE kind = 'group' AND (established_on IS NULL OR established_on <= %(end)s)),
       COUNT(*) FILTER (WHERE kind = 'group' AND (established_on IS NULL OR established_on <= %(previous_end)s))
FROM orgs_organization WHERE path LIKE %(like)s AND is_active AND kind IN ('branch', 'group')
"""

MEMBERS = """
SELECT COUNT(*) FILTER (WHERE cur AND joined_on <= %(end)s),
       COUNT(*) FILTER (WHERE cur AND joined_on <= %(previous_end)s),
       COUNT(*) FILTER (WHERE cur AND joined_on <= %(end)s AND (full_member_on IS NULL OR full_member_on > %(end)s)
                        AND (status = 'probationary' OR full_member_on IS NOT NULL)),
       COUNT(*) FILTER (WHERE cur AND joined_on <= %(previous_end)s
                        AND (full_member_on IS NULL OR full_member_on > %(previous_end)s)
                        AND (status = 'probationary' OR full_member_on IS NOT NULL)),
       COUNT(*) FILTER (WHERE joined_on >= %(start)s AND joined_on <= %(end)s),
       COUNT(*) FILTER (WHERE joined_on >= %(previous_start)s AND joined_on <= %(previous_end)s),
       {bands}
FROM (SELECT m.*, m.standing NOT IN ('transferred_out', 'deceased') AS cur
      FROM members_member m JOIN orgs_organization h ON h.id = m.home_org_id WHERE h.path LIKE %(like)s) m
"""

CATEGORIES = """
SELECT m.category, COUNT(*) FROM members_member m JOIN orgs_organization h ON h.id = m.home_org_id
WHERE h.path LIKE %(like)s AND m.standing NOT IN ('transferred_out', 'deceased') AND m.joined_on <= %(end)s
GROUP BY m.category
"""

RESIDENTS = """
SELECT COALESCE(SUM(hh.resident_count), 0) FROM orgs_household hh JOIN orgs_building b ON b.id = hh.building_id
JOIN orgs_grid g ON g.id = b.grid_id JOIN orgs_organization c ON c.id = g.community_id WHERE c.path LIKE %(like)s
"""

MEMBERS_BY_CHILD = """
SELECT SUBSTR(h.path, 1, %(width)s), COUNT(*) FROM members_member m JOIN orgs_organization h ON h.id = m.home_org_id
WHERE h.path LIKE %(like)s AND m.standing NOT IN ('transferred_out', 'deceased') AND m.joined_on <= %(end)s
GROUP BY 1
"""

MEETINGS = """
SELECT COUNT(*) FILTER (WHERE m.date >= %(start)s AND m.date <= %(end)s),
       COUNT(*) FILTER (WHERE m.date >= %(previous_start)s AND m.date <= %(previous_end)s)
FROM meetings_meeting m JOIN orgs_organization o ON o.id = m.organization_id
WHERE o.path LIKE %(like)s AND m.status IN ('recorded', 'confirmed') AND m.date >= %(previous_start)s
  AND m.date <= %(end)s
"""

MEETINGS_BY_MONTH = """
SELECT TO_CHAR(m.date, 'YYYY-MM'), COUNT(*) FROM meetings_meeting m JOIN orgs_organization o ON o.id = m.organization_id
WHERE o.path LIKE %(like)s AND m.status IN ('recorded', 'confirmed') AND m.date >= %(first)s AND m.date <= %(last)s
GROUP BY 1
"""

ACTIVITIES = """
SELECT COUNT(*) FILTER (WHERE a.starts_at >= %(since)s AND a.starts_at < %(until)s),
       COUNT(*) FILTER (WHERE a.starts_at >= %(previous_since)s AND a.starts_at < %(previous_until)s)
FROM service_activity a JOIN orgs_organization o ON o.id = a.organization_id
WHERE o.path LIKE %(like)s AND a.cancelled_at IS NULL AND a.starts_at >= %(previous_since)s AND a.starts_at < %(until)s
"""

ACTIVITIES_BY = """
SELECT {key}, COUNT(*) FROM service_activity a JOIN orgs_organization o ON o.id = a.organization_id
WHERE o.path LIKE %(like)s AND a.cancelled_at IS NULL AND a.starts_at >= %(since)s AND a.starts_at < %(until)s
GROUP BY 1
"""

CHECKINS = """
SELECT COUNT(*) FILTER (WHERE k.checked_in_at >= %(since)s), SUM(k.hours) FILTER (WHERE k.checked_in_at >= %(since)s),
       COUNT(*) FILTER (WHERE k.checked_in_at < %(previous_until)s),
       SUM(k.hours) FILTER (WHERE k.checked_in_at < %(previous_until)s)
FROM service_checkin k JOIN service_activity a ON a.id = k.activity_id
JOIN orgs_organization o ON o.id = a.organization_id
WHERE o.path LIKE %(like)s AND k.checked_in_at >= %(previous_since)s AND k.checked_in_at < %(until)s
  AND (k.checked_in_at >= %(since)s OR k.checked_in_at < %(previous_until)s)
"""

HOURS_BY = """
SELECT {key}, SUM(k.hours) FROM service_checkin k JOIN service_activity a ON a.id = k.activity_id
JOIN orgs_organization o ON o.id = a.organization_id
WHERE o.path LIKE %(like)s AND k.checked_in_at >= %(since)s AND k.checked_in_at < %(until)s
GROUP BY 1
"""

AWARDED = """
SELECT SUM(e.points) FILTER (WHERE e.occurred_on >= %(start)s),
       SUM(e.points) FILTER (WHERE e.occurred_on <= %(previous_end)s)
FROM points_pointentry e JOIN orgs_organization o ON o.id = e.organization_id
WHERE o.path LIKE %(like)s AND e.occurred_on >= %(previous_start)s AND e.occurred_on <= %(end)s
  AND e.code <> 'redemption'
  AND NOT EXISTS (SELECT 1 FROM points_pointentry r WHERE r.id = e.reverses_id AND r.code = 'redemption')
"""

# Who served, from the summary of who served per month: the dashboard's periods (a year and the year
# before) are whole months (``Floor`` checks it), so one probe of its (member, month) index per member.
SERVED = """EXISTS (SELECT 1 FROM recognition_servedmonth s WHERE s.member_id = m.id
        AND s.month >= %(first_month{p})s AND s.month <= %(last_month{p})s)"""

ACTIVATION = f"""
SELECT COUNT(*), COUNT(*) FILTER (WHERE {SERVED.format(p="")}), COUNT(*) FILTER (WHERE {SERVED.format(p="_previous")})
FROM members_member m
LEFT JOIN orgs_organization h ON h.id = m.home_org_id
LEFT JOIN orgs_organization c ON c.id = m.community_id
WHERE (h.path LIKE %(like)s OR c.path LIKE %(like)s) AND m.standing NOT IN ('transferred_out', 'deceased')
"""

ACTIVATION_BY_CHILD = f"""
SELECT x.child, COUNT(*), COUNT(*) FILTER (WHERE x.active) FROM (
  SELECT DISTINCT m.id, part.child, {SERVED.format(p="")} AS active
  FROM members_member m
  LEFT JOIN orgs_organization h ON h.id = m.home_org_id
  LEFT JOIN orgs_organization c ON c.id = m.community_id
  CROSS JOIN LATERAL (VALUES (SUBSTR(h.path, 1, %(width)s)), (SUBSTR(c.path, 1, %(width)s))) AS part (child)
  WHERE (h.path LIKE %(like)s OR c.path LIKE %(like)s) AND m.standing NOT IN ('transferred_out', 'deceased')
    AND part.child LIKE %(like)s AND LENGTH(part.child) = %(width)s
) x GROUP BY x.child
"""


def _percent(part, whole):
    from gongzhi.core.figures import percent

    return percent(part, whole)


def _money(value, places="0.01"):
    return Decimal(str(value or 0)).quantize(Decimal(places))


class Floor:
    """The hand-written statements for the street's dashboard: run them (``run``) and give the numbers in the
    dashboard's shape (``values``) to compare."""

    def __init__(self, street, period, children, months, replayed):
        from django.utils import timezone

        from gongzhi.members.selectors import AGE_BANDS, birth_range
        from gongzhi.recognition.selectors import whole_months

        self.street, self.period, self.children, self.months = street, period, children, months
        self.replayed = replayed  # [(sql, params)] of the figures left to the ORM's statements
        previous = period.previous()

        def local(day):
            return timezone.make_aware(datetime.combine(day, clock.min))

        self.params = {
            "like": street.path + "%", "width": len(street.path) + 4,
            "start": period.start, "end": period.end, "previous_start": previous.start, "previous_end": previous.end,
            "since": local(period.start), "until": local(period.end + timedelta(days=1)),
            "previous_since": local(previous.start), "previous_until": local(previous.end + timedelta(days=1)),
            "first": months[0].start, "last": months[-1].end,
            "start_previous": previous.start, "end_previous": previous.end,
            "since_previous": local(previous.start), "until_previous": local(previous.end + timedelta(days=1)),
        }
        for suffix, each in (("", period), ("_previous", previous)):
            months = whole_months(each.start, each.end)
            last_day = (months[1] + timedelta(days=31)).replace(day=1) - timedelta(days=1) if months else None
            assert months and months[0] == each.start and last_day == each.end, "the floor reads whole months"
            self.params[f"first_month{suffix}"], self.params[f"last_month{suffix}"] = months
        self.bands = [(key, *birth_range(low, high, period.end)) for key, _label, low, high in AGE_BANDS]
        for key, earliest, latest in self.bands:
            self.params[f"band_{key}_from"], self.params[f"band_{key}_to"] = earliest, latest
        self.tz = timezone.get_current_timezone_name()

    def _sql(self, query, cursor):
        cursor.execute(query, self.params)
        return cursor.fetchall()

    def run(self, *, dashboard: bool = True) -> dict:
        """Every statement of the floor: the dashboard's (with its trends and bars), or the summary's (figures of
        both periods, their breakdowns, and the children's activation and compliance for the problems)."""
        from django.db import connection

        from gongzhi.meetings import compliance

        bands = ", ".join(f"COUNT(*) FILTER (WHERE cur AND joined_on <= %(end)s AND birth_date >= %(band_{key}_from)s "
                          f"AND birth_date <= %(band_{key}_to)s)" for key, *_dates in self.bands)
        month = f"TO_CHAR(a.starts_at AT TIME ZONE '{self.tz}', 'YYYY-MM')"
        checkin_month = f"TO_CHAR(k.checked_in_at AT TIME ZONE '{self.tz}', 'YYYY-MM')"
        trend = dict(self.params, since=self.params["since"].replace(year=self.months[0].start.year,
                                                                      month=self.months[0].start.month, day=1))
        today = date.today()
        found = {}
        with connection.cursor() as cursor:
            found["orgs"] = self._sql(ORGS, cursor)[0]
            found["members"] = self._sql(MEMBERS.format(bands=bands), cursor)[0]
            found["categories"] = dict(self._sql(CATEGORIES, cursor))
            found["residents"] = self._sql(RESIDENTS, cursor)[0][0]
            found["meetings"] = self._sql(MEETINGS, cursor)[0]
            found["activities"] = self._sql(ACTIVITIES, cursor)[0]
            found["activities_by_kind"] = dict(self._sql(ACTIVITIES_BY.format(key="a.kind"), cursor))
            found["checkins"] = self._sql(CHECKINS, cursor)[0]
            if dashboard:
                found["members_by_child"] = dict(self._sql(MEMBERS_BY_CHILD, cursor))
                found["meetings_by_month"] = dict(self._sql(MEETINGS_BY_MONTH, cursor))
                cursor.execute(ACTIVITIES_BY.format(key=month), trend)
                found["activities_by_month"] = dict(cursor.fetchall())
                cursor.execute(HOURS_BY.format(key=checkin_month), trend)
                found["hours_by_month"] = dict(cursor.fetchall())
                found["hours_by_child"] = dict(self._sql(HOURS_BY.format(key="SUBSTR(o.path, 1, %(width)s)"),
                                                         cursor))
            found["awarded"] = self._sql(AWARDED, cursor)[0]
            found["activation"] = self._sql(ACTIVATION, cursor)[0]
            found["activation_by_child"] = {row[0]: row[1:] for row in self._sql(ACTIVATION_BY_CHILD, cursor)}
            for sql, params in self.replayed:
                cursor.execute(sql, params)
                cursor.fetchall()
        previous = self.period.previous()
        found["compliance"] = compliance.owed_and_held(self.street, self.period.start, self.period.end, today)
        found["compliance_previous"] = compliance.owed_and_held(self.street, previous.start, previous.end, today)
        if not dashboard:
            found["compliance_by_child"] = {child.path: compliance.owed_and_held(child, self.period.start,
                                                                                 self.period.end, today)
                                            for child in self.children}
        return found

    def values(self, found) -> dict:
        """The floor's numbers keyed as the dashboard's: (figure, this period, previous), trends, bars and
        distributions."""
        orgs, members, meetings = found["orgs"], found["members"], found["meetings"]
        activities, checkins, awarded, activation = (found["activities"], found["checkins"], found["awarded"],
                                                     found["activation"])

        def rate(cells):
            return _percent(sum(h for _o, h in cells.values()), sum(o for o, _h in cells.values()))

        def tenths(value):
            return Decimal(str(value or 0)).quantize(Decimal("0.1"))

        result = {
            ("orgs.branches", "now"): orgs[0], ("orgs.branches", "before"): orgs[1],
            ("orgs.groups", "now"): orgs[2], ("orgs.groups", "before"): orgs[3],
            ("members.total", "now"): members[0], ("members.total", "before"): members[1],
            ("members.age_bands", "now"): members[0], ("members.age_bands", "before"): members[1],
            ("members.probationary", "now"): members[2], ("members.probationary", "before"): members[3],
            ("members.joined", "now"): members[4], ("members.joined", "before"): members[5],
            ("members.share_of_residents", "now"): _percent(members[0], found["residents"]),
            ("members.share_of_residents", "before"): _percent(members[1], found["residents"]),
            ("meetings.held", "now"): meetings[0], ("meetings.held", "before"): meetings[1],
            ("meetings.compliance", "now"): rate(found["compliance"]),
            ("meetings.compliance", "before"): rate(found["compliance_previous"]),
            ("service.activities", "now"): activities[0], ("service.activities", "before"): activities[1],
            ("service.participations", "now"): checkins[0], ("service.participations", "before"): checkins[2],
            ("service.hours", "now"): _money(checkins[1]), ("service.hours", "before"): _money(checkins[3]),
            ("points.awarded", "now"): tenths(awarded[0]), ("points.awarded", "before"): tenths(awarded[1]),
            ("points.activation_rate", "now"): _percent(activation[1], activation[0]),
            ("points.activation_rate", "before"): _percent(activation[2], activation[0]),
        }
        labels = [f"{m.start:%Y-%m}" for m in self.months]
        result["trend-service.hours"] = [_money(found["hours_by_month"].get(label)) for label in labels]
        result["trend-service.activities"] = [found["activities_by_month"].get(label, 0) for label in labels]
        result["trend-meetings.held"] = [found["meetings_by_month"].get(label, 0) for label in labels]
        paths = [child.path for child in self.children]
        result["bars-members.total"] = [found["members_by_child"].get(p, 0) for p in paths]
        result["bars-service.hours"] = [_money(found["hours_by_child"].get(p)) for p in paths]
        result["bars-points.activation_rate"] = [
            _percent(found["activation_by_child"].get(p, (0, 0))[1], found["activation_by_child"].get(p, (0, 0))[0])
            for p in paths]
        result["dist-members.age_bands"] = list(members[6:])
        result["dist-members.total"] = found["categories"]
        result["dist-service.activities"] = found["activities_by_kind"]
        return result


def dashboard_numbers(street, period, user) -> dict:
    """The dashboard's own numbers for the hand-written figures (``dashboards.selectors``, nothing cached)."""
    from django.core.cache import cache

    from gongzhi.dashboards import selectors
    from gongzhi.members.models import MemberCategory
    from gongzhi.service.models import ActivityKind

    cache.clear()
    result = {}
    for value in selectors.figure_values(street, period):
        if value.figure.key in HAND_WRITTEN:
            result[(value.figure.key, "now")] = value.value
            result[(value.figure.key, "before")] = value.previous
    for series in selectors.trend(street, period) + selectors.comparisons(street, period, user):
        if series.key.split("-", 1)[1] in HAND_WRITTEN:
            result[series.key] = series.rows[0][1]
    for series in selectors.distributions(street, period):
        key = series.key.split("-", 1)[1]
        if key not in HAND_WRITTEN:
            continue
        numbers = series.rows[0][1]
        if key == "members.total":
            labels = {str(label): value for value, label in MemberCategory.choices}
            result[series.key] = {labels[label]: n for label, n in zip(series.labels, numbers, strict=True) if n}
        elif key == "service.activities":
            labels = {str(label): value for value, label in ActivityKind.choices}
            result[series.key] = {labels[label]: n for label, n in zip(series.labels, numbers, strict=True) if n}
        else:
            result[series.key] = list(numbers)
    return result


def replayed_statements(street, period, user) -> tuple[list, int]:
    """The ORM's statements of the dashboard's figures that have no hand-written SQL (their values, trends,
    bars and distributions), to replay in the floor; and how many such figures there are."""
    from django.core.cache import cache
    from django.db import connection

    from gongzhi.dashboards import selectors

    left = [f for f in selectors.applicable(street) if f.key not in HAND_WRITTEN]
    keys = {f.key for f in left}
    recorded = []

    def record(execute, sql, params, many, context):
        if sql.lstrip().upper().startswith(("SELECT", "WITH")):
            recorded.append((sql, params))
        return execute(sql, params, many, context)

    cache.clear()
    with connection.execute_wrapper(record):
        for item in left:
            item.compute(street, period)
            item.compute(street, period.previous())
        selectors.trend(street, period, keys=tuple(k for k in selectors.TREND_KEYS if k in keys))
        selectors.comparisons(street, period, user, keys=tuple(k for k in selectors.BAR_KEYS if k in keys))
        selectors.distributions(street, period, keys=tuple(k for k in selectors.DISTRIBUTION_KEYS if k in keys))
    return recorded, len(left)


def dashboard_against_floor(street, year: int, user, render, timed, repeat: int) -> bool:
    """Print the street dashboard's time against the hand-written floor; False when above the ceiling or when
    the floor's numbers differ from the dashboard's."""
    from gongzhi.core.periods import Period
    from gongzhi.dashboards import selectors

    period = Period.year(year)
    children = selectors.children(street)
    months = selectors.trend_months(period)
    replayed, left = replayed_statements(street, period, user)
    floor = Floor(street, period, children, months, replayed)
    expected, got = floor.values(floor.run()), dashboard_numbers(street, period, user)
    differ = sorted(str(k) for k in set(expected) | set(got) if expected.get(k) != got.get(k))
    print(f"street dashboard: {len(HAND_WRITTEN)} figures against hand-written SQL, {left} figures over tables "
          f"the bench leaves empty replayed ({len(replayed)} statements)")
    if differ:
        for key in differ[:10]:
            print(f"  the floor differs at {key}: floor {expected.get(key)!r}, dashboard {got.get(key)!r}")
        return False
    t_page, t_floor = timed(render, repeat), timed(floor.run, repeat)
    ratio = t_page / t_floor
    verdict = "ok" if ratio <= FLOOR_CEILING else "ABOVE CEILING"
    print(f"{'street dashboard against hand-written SQL':48} {t_page * 1000:9.1f} {t_floor * 1000:9.1f} "
          f"{ratio:6.2f}  {verdict}")
    return ratio <= FLOOR_CEILING


def summary_against_floor(street, year: int, timed) -> tuple[float, float, int, int]:
    """The street's whole year-end work summary (figures of the year and the previous one, breakdowns, text,
    problems, the .docx with its charts) against its floor: the hand-written statements for the figures above
    (both periods, the breakdowns, the children's activation and compliance for the problems), and the ORM's
    statements replayed for the figures over empty tables and the apps' report sections. Returns (summary
    seconds, floor seconds, figures, statements replayed)."""
    from django.db import connection
    from django.utils import translation

    from gongzhi.core.periods import Period
    from gongzhi.core.registries import report_sections
    from gongzhi.orgs.models import Organization
    from gongzhi.reports.document import summary_docx
    from gongzhi.reports.figures import applicable, freeze
    from gongzhi.reports.models import WorkSummary
    from gongzhi.reports.narrative import draft, propose_problems

    period = Period.year(year)
    items = applicable(street)
    recorded = []

    def record(execute, sql, params, many, context):
        if sql.lstrip().upper().startswith(("SELECT", "WITH")):
            recorded.append((sql, params))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(record):
        for item in items:
            if item.key in HAND_WRITTEN:
                if item.key == "meetings.held":  # its breakdown by kind has no hand-written statement
                    item.breakdown(street, period)
                continue
            item.compute(street, period)
            item.compute(street, period.previous())
            if item.breakdown:
                item.breakdown(street, period)
        for section in report_sections():
            section.build(street, period)
    children = list(Organization.objects.filter(parent=street, is_active=True).order_by("path"))
    floor = Floor(street, period, children, [period], recorded)

    def whole():
        with translation.override("zh-hans"):
            frozen = freeze(street, period)
            summary = WorkSummary(organization=street, period_kind="year", starts_on=period.start,
                                  ends_on=period.end, language="zh-hans", figures=frozen, narrative=draft(frozen),
                                  problems=propose_problems(frozen, street, period))
            return summary_docx(summary)

    t_whole = timed(whole, 1)
    t_floor = timed(lambda: floor.run(dashboard=False), 1)
    return t_whole, t_floor, len(items), len(recorded)
