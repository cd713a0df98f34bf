"""Exact sums of decimal columns on both databases.

PostgreSQL sums ``numeric`` exactly. SQLite keeps a decimal column as a double and ``SUM`` adds
doubles, so ten entries of 0.1 add up to 0.9999999999999999. ``ExactSum`` sums the column in
integer units of its last decimal place instead (``SUM(ROUND(x * 10))`` for one place, exact up
to 2**53 units) and divides once, so the result is the double nearest the exact decimal, which
the decimal converter reads back exactly.
"""

from __future__ import annotations

from decimal import Decimal

from django.db.models import DecimalField, Sum


class ExactSum(Sum):
    """``Sum`` of a decimal expression with ``places`` decimal places, exact on SQLite too."""

    def __init__(self, expression, *, places: int = 1, max_digits: int = 14, **extra):
        self.places = places
        extra.setdefault("output_field", DecimalField(max_digits=max_digits, decimal_places=places))
        super().__init__(expression, **extra)

    def as_sqlite(self, compiler, connection, **extra_context):
        if self.filter is not None:
            raise ValueError("ExactSum takes no filter on SQLite: filter the rows instead")
        scale = 10 ** self.places
        return self.as_sql(
            compiler, connection,
            template=f"(CAST(%(function)s(%(distinct)sCAST(ROUND((%(expressions)s) * {scale}) AS INTEGER)) "
                     f"AS REAL) / {scale})",
            **extra_context)


def tenths(value) -> Decimal:
    """A points figure (``None``: none) as a ``Decimal`` with one place."""
    if isinstance(value, float):
        value = str(value)
    return Decimal(value or 0).quantize(Decimal("0.1"))


def year_month_sum_sql(vendor: str, day: str, amount: str) -> tuple[str, str, str]:
    """Raw SQL for a summary rebuilt from a ledger: the year and the month (integers) of the date column ``day``
    and the exact ``SUM`` of the one-place decimal column ``amount`` (as ``ExactSum`` on SQLite), for
    ``connection.vendor``."""
    if vendor == "sqlite":
        return (f"CAST(strftime('%Y', {day}) AS INTEGER)", f"CAST(strftime('%m', {day}) AS INTEGER)",
                f"CAST(SUM(CAST(ROUND({amount} * 10) AS INTEGER)) AS REAL) / 10")
    return f"EXTRACT(YEAR FROM {day})::int", f"EXTRACT(MONTH FROM {day})::int", f"SUM({amount})"
