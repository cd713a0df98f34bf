"""Periods: boundaries, the previous period, and parameters read defensively."""

from datetime import date

from gongzhi.core.periods import Period, parse_period, parse_year


def test_quarters_halves_and_months_end_on_their_last_day():
    assert Period.quarter(2026, 1) == Period(date(2026, 1, 1), date(2026, 3, 31), "quarter")
    assert Period.half(2026, 2).end == date(2026, 12, 31)
    assert Period.month(2028, 2).end == date(2028, 2, 29)
    assert Period.month(2026, 12).end == date(2026, 12, 31)


def test_previous_period_crosses_the_year_boundary():
    assert Period.quarter(2027, 1).previous() == Period.quarter(2026, 4)
    assert Period.month(2027, 1).previous() == Period.month(2026, 12)
    assert Period.year(2027).previous() == Period.year(2026)
    assert Period(date(2026, 3, 1), date(2026, 3, 10)).previous() == Period(date(2026, 2, 19), date(2026, 2, 28))


def test_months_cut_a_range_into_calendar_months():
    months = Period(date(2026, 11, 15), date(2027, 1, 10)).months()
    assert [(m.start, m.end) for m in months] == [
        (date(2026, 11, 15), date(2026, 11, 30)), (date(2026, 12, 1), date(2026, 12, 31)),
        (date(2027, 1, 1), date(2027, 1, 10))]


def test_out_of_range_or_malformed_parameters_fall_back():
    today = date(2026, 12, 6)
    for bad in ("0", "10000", "-57", "124612", "abc", None, "2026.5"):
        assert parse_year(bad, 2026) == 2026
    assert parse_period({"period": "quarter", "year": "2026", "number": "9"}, today) == Period.quarter(2026, 4)
    assert parse_period({"period": "month", "year": "99999", "number": "2"}, today) == Period.month(2026, 2)
    assert parse_period({"period": "range", "start": "2026-05-01", "end": "2026-04-01"}, today) == Period.year(2026)
    assert parse_period({"period": "nonsense"}, today) == Period.year(2026)
    assert parse_period({"period": "half", "year": "2025", "number": "2"}, today) == Period.half(2025, 2)
