"""The dates of a recurring series: weekly on chosen weekdays, every N weeks, monthly on a day;
bounded by a last date or a count, never more than a year or 60 dates."""

from datetime import date

import pytest

from gongzhi.service.recurrence import RecurrenceError, Rule, occurrence_dates


def test_weekly_on_wednesday_and_saturday_until_a_last_date():
    rule = Rule("weekly", date(2026, 3, 2), weekdays=(2, 5), ends_on=date(2026, 3, 15))  # Monday 2 March
    assert occurrence_dates(rule) == [date(2026, 3, 4), date(2026, 3, 7), date(2026, 3, 11), date(2026, 3, 14)]


def test_every_second_week_counts_weeks_from_the_first_date():
    rule = Rule("weekly", date(2026, 3, 4), interval=2, weekdays=(2,), count=3)
    assert occurrence_dates(rule) == [date(2026, 3, 4), date(2026, 3, 18), date(2026, 4, 1)]


def test_a_weekday_before_the_first_date_in_its_week_is_skipped():
    rule = Rule("weekly", date(2026, 3, 5), weekdays=(0, 3), count=3)  # Thursday
    assert occurrence_dates(rule) == [date(2026, 3, 5), date(2026, 3, 9), date(2026, 3, 12)]


def test_monthly_on_the_31st_falls_on_the_last_day_of_shorter_months():
    rule = Rule("monthly", date(2026, 1, 1), month_day=31, count=4)
    assert occurrence_dates(rule) == [date(2026, 1, 31), date(2026, 2, 28), date(2026, 3, 31), date(2026, 4, 30)]


def test_the_twice_yearly_dumpling_banquet():
    rule = Rule("monthly", date(2026, 1, 20), interval=6, month_day=25, count=2)
    assert occurrence_dates(rule) == [date(2026, 1, 25), date(2026, 7, 25)]


def test_a_monthly_day_before_the_first_date_starts_next_month():
    rule = Rule("monthly", date(2026, 1, 20), month_day=5, ends_on=date(2026, 3, 31))
    assert occurrence_dates(rule) == [date(2026, 2, 5), date(2026, 3, 5)]


def test_the_count_stops_before_the_last_date():
    rule = Rule("weekly", date(2026, 3, 2), weekdays=(0,), ends_on=date(2026, 6, 30), count=2)
    assert occurrence_dates(rule) == [date(2026, 3, 2), date(2026, 3, 9)]


@pytest.mark.parametrize(("rule", "message"), [
    (Rule("weekly", date(2026, 3, 2), weekdays=(2,)), "last date or a number"),
    (Rule("weekly", date(2026, 3, 2), count=3), "weekday"),
    (Rule("monthly", date(2026, 3, 2), count=3), "day of the month"),
    (Rule("monthly", date(2026, 3, 2), month_day=32, count=3), "day of the month"),
    (Rule("weekly", date(2026, 3, 2), weekdays=(2,), count=61), "at most 60"),
    (Rule("weekly", date(2026, 3, 2), weekdays=(2,), ends_on=date(2027, 4, 1)), "at most one year"),
    (Rule("weekly", date(2026, 3, 2), weekdays=(2,), ends_on=date(2026, 3, 1)), "before the first date"),
    (Rule("monthly", date(2026, 3, 2), month_day=1, count=20), "at most one year"),
    (Rule("weekly", date(2026, 3, 2), weekdays=(0, 1, 2, 3, 4), ends_on=date(2026, 12, 31)), "more than 60"),
    (Rule("weekly", date(2026, 3, 2), interval=13, weekdays=(0,), count=2), "1 to 12"),
    (Rule("weekly", date(2026, 3, 3), weekdays=(0,), ends_on=date(2026, 3, 8)), "no dates"),
    (Rule("yearly", date(2026, 3, 3), count=2), "how the activity repeats"),
])
def test_incomplete_or_unbounded_rules_are_refused(rule, message, settings):
    settings.LANGUAGE_CODE = "en"
    from django.utils import translation

    with translation.override("en"), pytest.raises(RecurrenceError, match=message):
        occurrence_dates(rule)


def test_a_year_of_weekly_patrols_fits():
    rule = Rule("weekly", date(2026, 1, 3), weekdays=(5,), ends_on=date(2026, 12, 31))
    dates = occurrence_dates(rule)
    assert len(dates) == 52 and dates[-1] == date(2026, 12, 26)
