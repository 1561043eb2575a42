"""Budget years of an agreement, the months inside them, and the P/L price level of each.

Budget years are calendar years. A year covers the whole months of the agreement that fall in
it. What each kind of cost item costs in a year is its own rule (core/items.py).
"""

from __future__ import annotations

import calendar
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from fractions import Fraction


@dataclass(frozen=True)
class Indexation:
    """P/L regulation: yearly amounts are in `base_year`'s prices; `rates[Y]` is the percent change into Y.

    A year after the last rate given is priced at the last rate's level (provisional: its own rate is not
    known yet), unless `projecting` is off; a year missing between given rates is always a gap."""

    base_year: int
    rates: Mapping[int, Fraction] = field(default_factory=dict)
    projecting: bool = True

    @property
    def last_year(self) -> int:
        """The newest price level the rates reach (the base year where none is given)."""
        return max([self.base_year, *self.rates])

    def price_year(self, year: int) -> int:
        """Whose prices `year` is computed in: its own, or the last rate's where its own is not known yet."""
        return min(year, self.last_year) if self.projecting else year

    def missing_years(self, year: int) -> list[int]:
        """The years whose rate the factor for `year` needs and does not have."""
        return [y for y in range(self.base_year + 1, self.price_year(year) + 1) if y not in self.rates]

    def factor(self, year: int) -> Fraction:
        """The product of (1 + rate/100) over base_year+1 … price_year(year); 1 up to the base year."""
        missing = self.missing_years(year)
        if missing:
            raise ValueError(f"no P/L rate for {', '.join(map(str, missing))}")
        product = Fraction(1)
        for factor in self.chain(year):
            product *= factor
        return product

    def chain(self, year: int) -> tuple[Fraction, ...]:
        """The factors (1 + rate/100) that multiply into `factor(year)`, year by year."""
        return tuple(1 + self.rates[y] / 100 for y in range(self.base_year + 1, self.price_year(year) + 1))


@dataclass(frozen=True)
class Period:
    """One budget year as far as the agreement covers it."""

    year: int
    first_month: int
    last_month: int

    @property
    def months(self) -> int:
        return self.last_month - self.first_month + 1

    @property
    def start(self) -> date:
        return date(self.year, self.first_month, 1)

    @property
    def end(self) -> date:
        return date(self.year, self.last_month, calendar.monthrange(self.year, self.last_month)[1])

    @property
    def is_full_year(self) -> bool:
        return self.months == 12


def published(year: int, today: date) -> bool:
    """Whether Statistics Denmark has published the population on 1 January `year` by `today` (FOLK1A's first
    quarter comes out in February)."""
    return today >= date(year, 3, 1)


def is_month_start(day: date) -> bool:
    return day.day == 1


def is_month_end(day: date) -> bool:
    return day.day == calendar.monthrange(day.year, day.month)[1]


def budget_periods(start: date, end: date) -> tuple[Period, ...]:
    """The calendar years from `start` (first of a month) to `end` (last of a month)."""
    if not is_month_start(start) or not is_month_end(end) or end < start:
        raise ValueError(f"agreement {start} – {end} does not run from a month's first to a month's last day")
    return tuple(
        Period(
            year=year,
            first_month=start.month if year == start.year else 1,
            last_month=end.month if year == end.year else 12,
        )
        for year in range(start.year, end.year + 1)
    )


def month_index(day: date) -> int:
    """Months since year 0, so spans compare and subtract as plain numbers."""
    return day.year * 12 + day.month - 1


def months_within(period: Period, first: date | None, last: date | None) -> int:
    """Months of `period` from the month of `first` through the month of `last` (None: unbounded)."""
    low = period.year * 12 + period.first_month - 1  # month_index of its first and its last day
    high = period.year * 12 + period.last_month - 1
    if first is not None:
        low = max(low, month_index(first))
    if last is not None:
        high = min(high, month_index(last))
    return max(0, high - low + 1)


def missing_rates(
    spans: Mapping[int, tuple[date | None, date | None]], periods: tuple[Period, ...], indexation: Indexation
) -> dict[int, int]:
    """The P/L rates indexed items need and `indexation` does not give: {year: the first item that needs it}.
    `spans`: each indexed item's position → its first and last day (None: the agreement's)."""
    needed: dict[int, int] = {}
    for index, (start, end) in sorted(spans.items()):
        for period in periods:
            if months_within(period, start, end):
                for year in indexation.missing_years(period.year):
                    needed.setdefault(year, index)
    return dict(sorted(needed.items()))
