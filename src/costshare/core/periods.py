"""Budget years of an agreement and each year's cost, item by item.

Budget years are calendar years. A year covers the whole months of the agreement that fall in
it. A yearly item costs yearly × P/L factor × (months of the year inside both the agreement and
the item's span) / 12, computed exactly and rounded once, half up, to the rounding unit; a
one-off item costs its whole amount in its own year. Shares are split from the year's rounded
cost, never halved or indexed afterwards.
"""

from __future__ import annotations

import calendar
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from fractions import Fraction
from typing import Literal

from .keys import BY_POPULATION
from .money import round_half_up


@dataclass(frozen=True)
class CostItem:
    """One line of the shared cost, in minor units: a yearly amount (e.g. one full-time post) over its
    span, optionally P/L-indexed, or a one-off amount charged whole in one budget year."""

    label: str
    yearly: int = 0
    indexed: bool = False
    start: date | None = None  # first day of the item's span; None: from the agreement's start
    end: date | None = None  # last day of the item's span; None: to the agreement's end
    one_off: int | None = None
    year: int | None = None  # the budget year of a one-off amount
    key: tuple[tuple[str, Fraction], ...] = BY_POPULATION  # bases and their percents (core/keys.py)
    cap: int | None = None  # minor units a member pays at most per full year (of a rate item: of its per-inhabitant part)
    rate_steps: tuple[tuple[int | None, Fraction], ...] | None = None  # a rate item: (up to, minor units per inhabitant)
    base: int = 0  # a rate item's amount per member per full year, minor units
    max_inhabitants: int | None = None  # a rate item counts at most this many inhabitants

    @property
    def by_population(self) -> bool:
        """Split by population alone, with no cap: the key every item had before keys were chosen per item."""
        return self.key == BY_POPULATION and self.cap is None and self.rate_steps is None

    @property
    def kind(self) -> Literal["yearly", "one_off", "per_inhabitant"]:
        return "per_inhabitant" if self.rate_steps is not None else "one_off" if self.one_off is not None else "yearly"


@dataclass(frozen=True)
class Indexation:
    """P/L regulation: yearly amounts are in `base_year`'s prices; `rates[Y]` is the percent change into Y.

    A year after the last rate given is priced at the last rate's level (an overslag: its own rate is not
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
class ItemCost:
    """One item's cost in one budget year: the months it ran, its P/L factor, the exact and the rounded amount."""

    item: CostItem
    months: int | None  # None for a one-off amount, which is never pro-rated
    factor: Fraction
    exact: Fraction  # minor units, before the one rounding
    cost: int  # minor units, rounded half up to the unit


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
    low = month_index(period.start)
    high = month_index(period.end)
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


def item_cost(period: Period, item: CostItem, unit: int, indexation: Indexation | None = None) -> ItemCost:
    """The item's cost in the period: pro-rated, indexed, and rounded once, half up, to `unit`."""
    if item.one_off is not None:
        amount = item.one_off if item.year == period.year else 0
        return ItemCost(item, None, Fraction(1), Fraction(amount), round_half_up(amount, 1, unit))
    months = months_within(period, item.start, item.end)
    factor = indexation.factor(period.year) if item.indexed and indexation is not None else Fraction(1)
    exact = item.yearly * factor * months / 12
    return ItemCost(item, months, factor, exact, round_half_up(exact.numerator, exact.denominator, unit))


def item_costs(period: Period, items: tuple[CostItem, ...], unit: int, indexation: Indexation | None = None) -> tuple[ItemCost, ...]:
    """The cost of every item that runs in the period (in item order); items outside it are left out."""
    costs = (item_cost(period, item, unit, indexation) for item in items)
    return tuple(cost for cost in costs if cost.months != 0 and not (cost.months is None and cost.item.year != period.year))
