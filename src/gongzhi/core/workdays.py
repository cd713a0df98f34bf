"""China's working days and public holidays, from the chinese-calendar package, in one place.

The package knows the State Council's holiday arrangements only up to the year it was released for;
for later years a day counts as a working day from Monday to Friday and no holiday is named.
"""

from __future__ import annotations

from datetime import date

import chinese_calendar


def is_workday(day: date) -> bool:
    try:
        return chinese_calendar.is_workday(day)
    except NotImplementedError:  # a year the package does not cover yet
        return day.weekday() < 5


def holiday_name(day: date) -> str | None:
    """The English name of the public holiday ``day`` belongs to (e.g. "National Day"), else None."""
    try:
        holiday, name = chinese_calendar.get_holiday_detail(day)
    except NotImplementedError:
        return None
    return name if holiday else None
