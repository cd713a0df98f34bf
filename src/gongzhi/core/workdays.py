"""China's working days: public holidays (休) and weekend days worked in exchange (班).

The days live in the database (``CalendarDay``), seeded from the chinese-calendar package for the
years it knows and entered by administrators for later years, since the State Council publishes
next year's arrangement each November or December. A year is *complete* when it has a
``CalendarYear`` row. For a year that is not, counting falls back to Monday to Friday, never
fails, and says so: ``Deadline.provisional_years`` names the years counted without their holidays,
``missing_year(today)`` tells the home and holiday pages to warn staff from 1 November.

Every deadline and calendar of the platform reads working days through this module: a span of
dates is loaded in two queries whatever its length.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

#: The day from which staff are warned that next year's arrangement is missing.
WARN_FROM = (11, 1)

#: chinese-calendar's holiday names → ``Festival`` values.
PACKAGE_FESTIVALS = {
    "New Year's Day": "new_year", "Spring Festival": "spring_festival", "Tomb-sweeping Day": "qingming",
    "Labour Day": "labour_day", "Dragon Boat Festival": "dragon_boat", "National Day": "national_day",
    "Mid-autumn Festival": "mid_autumn",
}
#: Holidays of one year only that chinese-calendar names; kept with their Chinese name.
PACKAGE_NAMES = {"Anti-Fascist 70th Day": "中国人民抗日战争暨世界反法西斯战争胜利70周年纪念日"}


def package_years() -> list[int]:
    """The years the installed chinese-calendar package has an arrangement for."""
    from chinese_calendar import constants

    return sorted({day.year for day in constants.holidays} | {day.year for day in constants.workdays})


def package_days(year: int) -> list[tuple[date, str, str, str]]:
    """``(day, kind, festival, name)`` for each special day of ``year`` in chinese-calendar.

    Pure (no models) so that the seeding migration can use it."""
    from chinese_calendar import constants

    rows = []
    for table, kind in ((constants.holidays, "holiday"), (constants.workdays, "workday")):
        for day, label in table.items():
            if day.year != year:
                continue
            label = getattr(label, "value", label)
            festival = PACKAGE_FESTIVALS.get(label, "other")
            rows.append((day, kind, festival, PACKAGE_NAMES.get(label, label) if festival == "other" else ""))
    return sorted(rows)


@dataclass(frozen=True)
class Deadline:
    """A date some working days after a start, and the years counted on weekends only (their holidays
    not entered yet): a deadline with such years is provisional and is recounted once they are."""

    due: date
    provisional_years: tuple[int, ...] = ()

    @property
    def provisional(self) -> bool:
        return bool(self.provisional_years)


class WorkCalendar:
    """The special days of a span of dates and the years that are complete, in two queries."""

    def __init__(self, start: date, end: date):
        from .models import CalendarDay, CalendarYear

        self.start, self.end = start, end
        self.days = {d.day: d for d in CalendarDay.objects.filter(day__range=(start, end))}
        self.complete = set(CalendarYear.objects.filter(year__range=(start.year, end.year))
                            .values_list("year", flat=True))

    def covers(self, day: date) -> bool:
        return self.start <= day <= self.end

    def is_workday(self, day: date) -> bool:
        special = self.days.get(day)
        if special is not None:
            return special.kind == "workday"
        return day.weekday() < 5

    def is_complete(self, year: int) -> bool:
        return year in self.complete

    def missing_years(self) -> list[int]:
        return [year for year in range(self.start.year, self.end.year + 1) if year not in self.complete]

    def mark(self, day: date) -> tuple[str, str] | None:
        """``("rest", name)`` for a public holiday, ``("work", name)`` for a make-up working day."""
        special = self.days.get(day)
        if special is None:
            return None
        return ("rest" if special.kind == "holiday" else "work", special.label)


def is_workday(day: date) -> bool:
    return WorkCalendar(day, day).is_workday(day)


def working_day_deadline(start: date, days: int, *, calendar: WorkCalendar | None = None) -> Deadline:
    """The day ``days`` working days after ``start`` (``start`` itself not counted).

    A caller counting many deadlines at once (the demo's requests) may pass one ``calendar`` loaded for all
    their dates: it is read while it covers the days counted, the days beyond it are loaded as without it,
    so the answer is the same either way. It lives as long as the caller keeps it: no cache outlives a
    change to the days."""
    span = max(days, 0) * 2 + 31  # no run of holidays is longer than this many extra days
    if calendar is None or not calendar.covers(start):
        calendar = WorkCalendar(start, start + timedelta(days=span))
    complete, counted = set(calendar.complete), set()
    day, left = start, days
    while left > 0:
        day += timedelta(days=1)
        if not calendar.covers(day):
            calendar = WorkCalendar(day, day + timedelta(days=span))
            complete |= calendar.complete
        counted.add(day.year)
        if calendar.is_workday(day):
            left -= 1
    return Deadline(due=day, provisional_years=tuple(sorted(counted - complete)))


def add_working_days(start: date, days: int) -> date:
    return working_day_deadline(start, days).due


def day_marks(days) -> tuple[dict[date, tuple[str, str]], list[int]]:
    """The holiday and make-up marks of ``days`` and the years among them that are not complete."""
    days = list(days)
    if not days:
        return {}, []
    calendar = WorkCalendar(min(days), max(days))
    marks = {day: mark for day in days if (mark := calendar.mark(day)) is not None}
    return marks, calendar.missing_years()


def missing_year(today: date) -> int | None:
    """The year whose arrangement staff should be warned about today: this year if it is not complete,
    else from 1 November next year if that is not complete; otherwise None."""
    from .models import CalendarYear

    wanted = [today.year]
    if (today.month, today.day) >= WARN_FROM:
        wanted.append(today.year + 1)
    complete = set(CalendarYear.objects.filter(year__in=wanted).values_list("year", flat=True))
    for year in wanted:
        if year not in complete:
            return year
    return None
