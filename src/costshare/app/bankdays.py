"""The days Danish banks are closed on a weekday, for the due dates of e-invoices (core.issuing.due_date).

A bank day is a weekday that is neither a Danish public holiday (the `holidays` package's Denmark) nor one of the days
the banks close besides: grundlovsdag (5 June), juleaftensdag (24 December), nytårsaftensdag (31 December) and the
Friday after Kristi himmelfartsdag.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from functools import cache


def closed_days(years: Iterable[int]) -> frozenset[date]:
    """The days of `years` the Danish banks are closed besides Saturdays and Sundays."""
    return _closed(tuple(sorted(set(years))))


@cache
def _closed(chosen: tuple[int, ...]) -> frozenset[date]:
    """closed_days for sorted years, worked out once a run: a year's due dates are planned more than once."""
    from holidays import country_holidays

    public = country_holidays("DK", years=list(chosen), language="en_US")
    ascension = public.get_named("Ascension Day", lookup="exact")
    extra = [date(year, month, day) for year in chosen for month, day in ((6, 5), (12, 24), (12, 31))]
    return frozenset([*public, *extra, *(day + timedelta(days=1) for day in ascension)])
