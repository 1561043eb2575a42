"""Decided years as allocated budget years: the record's amounts stand in for a split of today's config.

A decided year has no items, key year or P/L rate of its own: its cost is the sum of its decided amounts, and each
member's amount, quota and weight is its decided amount (so a settlement of the year splits an actual cost in
proportion to what was decided).
"""

from __future__ import annotations

from dataclasses import replace
from fractions import Fraction

from .allocate import Allocation, PeriodAllocation, Share
from .apportion import largest_remainder
from .periods import Period
from .record import DecidedYear


def decided_period(period: Period, decided: DecidedYear, unit: int) -> PeriodAllocation:
    """The budget year `period` as decided; every amount is a whole number of `unit`s (the reader holds it so)."""
    codes = decided.codes
    units = [decided.amounts[code] // unit for code in codes]
    weights = units if any(units) else [1] * len(units)  # a year decided at 0 splits an actual cost equally
    split = largest_remainder(sum(units), weights, tie_key=list(codes))
    shares = tuple(
        Share(
            code=code,
            municipality=decided.names[code],
            population=0,
            months=period.months,
            population_months=0,
            key_weight=Fraction(decided.amounts[code]),
            fraction=Fraction(weight, sum(weights)),
            quota=Fraction(decided.amounts[code]),
            amount=decided.amounts[code],
        )
        for code, weight in zip(codes, weights, strict=True)
    )
    return PeriodAllocation(period, (), period.year, 0, unit, shares, split, decided=decided)


def with_decided(allocation: Allocation, decided: tuple[PeriodAllocation, ...]) -> Allocation:
    """The allocation of the years not decided with the `decided` ones added, every year in order."""
    periods = tuple(sorted((*allocation.periods, *decided), key=lambda period: period.year))
    return replace(allocation, periods=periods)
