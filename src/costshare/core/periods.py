"""Budget years of an agreement and each year's pro-rated cost.

Budget years are calendar years. A year covers the whole months of the agreement that
fall in it; its cost is each item's yearly amount × months / 12, rounded once, half up,
to the rounding unit. Shares are split from that rounded cost, never halved afterwards.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date

from .money import round_half_up


@dataclass(frozen=True)
class CostItem:
    """One line of the shared cost, e.g. one full-time post, in minor units per full year."""

    label: str
    yearly: int


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


def prorated_cost(yearly: int, months: int, unit: int) -> int:
    """yearly × months / 12, rounded half up to a multiple of `unit` (all in minor units)."""
    return round_half_up(yearly * months, 12, unit)


def item_costs(period: Period, items: tuple[CostItem, ...], unit: int) -> tuple[int, ...]:
    """Each cost item's pro-rated amount for the period, in item order."""
    return tuple(prorated_cost(item.yearly, period.months, unit) for item in items)
