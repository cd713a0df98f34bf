"""The dates of a recurring series: weekly (every N weeks) on chosen weekdays, or monthly (every N
months) on a day of the month, from a first date until a last date or a number of occurrences.

Bounded on purpose: at most ``MAX_DAYS`` after the first date and ``MAX_OCCURRENCES`` dates, so a
slip of the finger never writes years of activities. A day of the month that a month lacks
(the 31st in April) falls on that month's last day.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta

from django.utils.translation import gettext as _

MAX_OCCURRENCES = 60
MAX_DAYS = 366


class RecurrenceError(ValueError):
    """The rule is incomplete or unbounded (the message is shown to the user)."""


@dataclass(frozen=True)
class Rule:
    frequency: str  # "weekly" or "monthly"
    starts_on: date
    interval: int = 1
    weekdays: tuple[int, ...] = ()
    month_day: int | None = None
    ends_on: date | None = None
    count: int | None = None

    @classmethod
    def of(cls, series) -> Rule:
        return cls(frequency=series.frequency, starts_on=series.starts_on, interval=series.interval,
                   weekdays=tuple(series.weekday_list), month_day=series.month_day, ends_on=series.ends_on,
                   count=series.count)


def _check(rule: Rule) -> None:
    if rule.ends_on is None and rule.count is None:
        raise RecurrenceError(_("Give a last date or a number of occurrences."))
    if not 1 <= rule.interval <= 12:
        raise RecurrenceError(_("Repeat every 1 to 12 weeks or months."))
    if rule.count is not None and not 1 <= rule.count <= MAX_OCCURRENCES:
        raise RecurrenceError(_("A series has at most %(n)d occurrences.") % {"n": MAX_OCCURRENCES})
    if rule.ends_on is not None:
        if rule.ends_on < rule.starts_on:
            raise RecurrenceError(_("The last date is before the first date."))
        if (rule.ends_on - rule.starts_on).days > MAX_DAYS:
            raise RecurrenceError(_("A series lasts at most one year; create another series for the next year."))
    if rule.frequency == "weekly":
        if not rule.weekdays or any(not 0 <= d <= 6 for d in rule.weekdays):
            raise RecurrenceError(_("Choose at least one weekday."))
    elif rule.frequency == "monthly":
        if rule.month_day is None or not 1 <= rule.month_day <= 31:
            raise RecurrenceError(_("Choose a day of the month between 1 and 31."))
    else:
        raise RecurrenceError(_("Choose how the activity repeats."))


def _candidates(rule: Rule):
    """Dates matching the pattern from the first date on, up to the one-year bound."""
    limit = rule.starts_on + timedelta(days=MAX_DAYS)
    if rule.frequency == "weekly":
        week_start = rule.starts_on - timedelta(days=rule.starts_on.weekday())
        day = rule.starts_on
        while day <= limit:
            if day.weekday() in rule.weekdays and ((day - week_start).days // 7) % rule.interval == 0:
                yield day
            day += timedelta(days=1)
        return
    year, month, step = rule.starts_on.year, rule.starts_on.month, 0
    while True:
        index = month - 1 + step * rule.interval
        y, m = year + index // 12, index % 12 + 1
        day = date(y, m, min(rule.month_day, calendar.monthrange(y, m)[1]))
        if day > limit:
            return
        if day >= rule.starts_on:
            yield day
        step += 1


def occurrence_dates(rule: Rule) -> list[date]:
    """Every date of the series, or RecurrenceError when the rule is incomplete or too long."""
    _check(rule)
    dates: list[date] = []
    for day in _candidates(rule):
        if rule.ends_on is not None and day > rule.ends_on:
            break
        if rule.count is not None and len(dates) >= rule.count:
            break
        if len(dates) >= MAX_OCCURRENCES:
            raise RecurrenceError(_("This rule gives more than %(n)d occurrences; choose an earlier last date.")
                                  % {"n": MAX_OCCURRENCES})
        dates.append(day)
    else:
        # The one-year bound cut the series short of its count.
        if rule.count is not None and len(dates) < rule.count and rule.ends_on is None:
            raise RecurrenceError(_("A series lasts at most one year; create another series for the next year."))
    if not dates:
        raise RecurrenceError(_("This rule gives no dates between the first and the last date."))
    return dates
