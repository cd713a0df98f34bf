"""Periods of time that pages, the API, figures and reports speak of.

One ``Period`` type (a closed range of dates with a kind and a label) and one way to read a
year, a day, a month or a period from a request, bounded to the years Gongzhi accepts
(``MIN_YEAR``..``MAX_YEAR``), so that ``year=0`` or ``year=124612`` is a clear 422 (the API's
``Year``, ``Day`` and ``PeriodName`` types) or falls back to the current period (pages:
``parse_year``, ``parse_day``, ``parse_month``, ``parse_period``), never a 500 deep inside a query.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Annotated, Literal

from django.utils.translation import gettext as _
from pydantic import Field

MIN_YEAR = 2000
MAX_YEAR = 2100

KINDS = ("year", "half", "quarter", "month", "range")


def valid_year(year: int) -> bool:
    return MIN_YEAR <= year <= MAX_YEAR


FIRST_DAY = date(MIN_YEAR, 1, 1)
LAST_DAY = date(MAX_YEAR, 12, 31)

#: The API's year parameter: 2000–2100, anything else a 422.
Year = Annotated[int, Field(ge=MIN_YEAR, le=MAX_YEAR, description=f"A year, {MIN_YEAR}–{MAX_YEAR}.")]
#: The API's day parameter: an ISO date in the years above, anything else a 422.
Day = Annotated[date, Field(ge=FIRST_DAY, le=LAST_DAY, description=f"A date, ISO, in {MIN_YEAR}–{MAX_YEAR}.")]
#: The periods figures are given for in the API.
PeriodName = Literal["year", "half", "quarter", "month"]


def parse_year(value, default: int) -> int:
    """A year from a query-string value; anything missing, malformed or out of range gives ``default``."""
    try:
        year = int(str(value).strip())
    except (TypeError, ValueError):
        return default
    return year if valid_year(year) else default


def parse_day(value, default: date) -> date:
    """An ISO date from a query-string value, within the years above; else ``default``."""
    try:
        day = date.fromisoformat(str(value).strip())
    except (TypeError, ValueError):
        return default
    return day if valid_year(day.year) else default


def parse_month(value, default: date) -> date:
    """The first day of a month written ``YYYY-MM``, within the years above; else ``default``."""
    try:
        day = date.fromisoformat(f"{str(value).strip()}-01")
    except (TypeError, ValueError):
        return default
    return day if valid_year(day.year) else default


def _month_end(year: int, month: int) -> date:
    return (date(year + (month == 12), month % 12 + 1, 1)) - timedelta(days=1)


@dataclass(frozen=True)
class Period:
    """A closed range of days: ``start`` and ``end`` are both included."""

    start: date
    end: date
    kind: str = "range"

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise ValueError("a period ends after it starts")

    # -- constructors --------------------------------------------------------------------------
    @classmethod
    def year(cls, year: int) -> Period:
        return cls(date(year, 1, 1), date(year, 12, 31), "year")

    @classmethod
    def half(cls, year: int, half: int) -> Period:
        first = 1 if half == 1 else 7
        return cls(date(year, first, 1), _month_end(year, first + 5), "half")

    @classmethod
    def quarter(cls, year: int, quarter: int) -> Period:
        first = 3 * (quarter - 1) + 1
        return cls(date(year, first, 1), _month_end(year, first + 2), "quarter")

    @classmethod
    def month(cls, year: int, month: int) -> Period:
        return cls(date(year, month, 1), _month_end(year, month), "month")

    @classmethod
    def containing(cls, kind: str, day: date) -> Period:
        """The year, half, quarter or month that holds ``day``."""
        if kind == "year":
            return cls.year(day.year)
        if kind == "half":
            return cls.half(day.year, 1 if day.month <= 6 else 2)
        if kind == "quarter":
            return cls.quarter(day.year, (day.month - 1) // 3 + 1)
        if kind == "month":
            return cls.month(day.year, day.month)
        raise ValueError(f"unknown period kind {kind!r}")

    # -- derived -------------------------------------------------------------------------------
    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def previous(self) -> Period:
        """The period of the same kind just before (a range: the same number of days before)."""
        if self.kind in ("year", "half", "quarter", "month"):
            return Period.containing(self.kind, self.start - timedelta(days=1))
        return Period(self.start - timedelta(days=self.days), self.start - timedelta(days=1), "range")

    def months(self) -> list[Period]:
        """The calendar months the period touches, each cut to the period."""
        result, day = [], self.start.replace(day=1)
        while day <= self.end:
            month = Period.month(day.year, day.month)
            result.append(Period(max(month.start, self.start), min(month.end, self.end), "month"))
            day = month.end + timedelta(days=1)
        return result

    def contains(self, day: date) -> bool:
        return self.start <= day <= self.end

    @property
    def label(self) -> str:
        if self.kind == "year":
            return _("%(year)s") % {"year": self.start.year}
        if self.kind == "half":
            return (_("first half of %(year)s") if self.start.month == 1 else _("second half of %(year)s")) % {
                "year": self.start.year}
        if self.kind == "quarter":
            return _("Q%(quarter)s %(year)s") % {"quarter": (self.start.month - 1) // 3 + 1, "year": self.start.year}
        if self.kind == "month":
            return _("%(year)s-%(month)02d") % {"year": self.start.year, "month": self.start.month}
        return f"{self.start.isoformat()} – {self.end.isoformat()}"

    def as_dict(self) -> dict:
        return {"kind": self.kind, "start": self.start.isoformat(), "end": self.end.isoformat(), "label": self.label}


def parse_period(params, today: date, default_kind: str = "year") -> Period:
    """A period from query parameters: ``period`` (year, half, quarter, month, range), ``year``,
    ``number`` (half 1–2, quarter 1–4, month 1–12), or ``start``/``end`` for a range. Anything
    malformed or out of bounds falls back to the period of ``default_kind`` containing ``today``."""
    kind = params.get("period") or default_kind
    fallback = Period.containing(default_kind, today)
    if kind not in KINDS:
        return fallback
    if kind == "range":
        try:
            start, end = date.fromisoformat(params.get("start", "")), date.fromisoformat(params.get("end", ""))
        except ValueError:
            return fallback
        if not (valid_year(start.year) and valid_year(end.year)) or end < start:
            return fallback
        return Period(start, end, "range")
    year = parse_year(params.get("year"), today.year)
    if kind == "year":
        return Period.year(year)
    limit = {"half": 2, "quarter": 4, "month": 12}[kind]
    current = Period.containing(kind, today)
    default_number = {"half": 1 if today.month <= 6 else 2, "quarter": (today.month - 1) // 3 + 1,
                      "month": today.month}[kind]
    try:
        number = int(params.get("number", default_number))
    except (TypeError, ValueError):
        return current
    if not 1 <= number <= limit:
        return current
    return {"half": Period.half, "quarter": Period.quarter, "month": Period.month}[kind](year, number)
