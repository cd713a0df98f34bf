"""Bounds on what people enter, with messages in their language: dates of things that happen in
Gongzhi's time (activities, meetings, visits, classes, transfers) lie in MIN_YEAR..MAX_YEAR, so a
slip of the keyboard (1900, 20255) is refused with a clear message instead of stored."""

from __future__ import annotations

from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .periods import MAX_YEAR, MIN_YEAR, valid_year


def plausible_date(value: date | datetime | None) -> None:
    """A validator for a date or date-time field: its year within MIN_YEAR..MAX_YEAR."""
    if value is not None and not valid_year(value.year):
        raise ValidationError(_("Give a date between %(first)s and %(last)s."), code="implausible_date",
                              params={"first": MIN_YEAR, "last": MAX_YEAR})
