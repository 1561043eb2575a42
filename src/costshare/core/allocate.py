"""Budget periods × cost items × population → the frozen table of who pays what.

Each period's cost is split by largest remainder in whole rounding units, keyed on the
municipality code (ties go to the larger population, then the lower code); a period whose
amounts do not add up to its cost raises an error.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from fractions import Fraction
from typing import Literal

from .apportion import Apportionment, largest_remainder
from .errors import AllocationError, DataError, Problem
from .municipality import Municipality
from .periods import CostItem, Period, item_costs

Basis = Literal["fixed", "yearly"]


# {year: {code: Municipality}}, population on 1 January of `year`.
PopulationTable = Mapping[int, Mapping[str, Municipality]]


@dataclass(frozen=True)
class Share:
    """One municipality's part of one period. Money in minor units; `quota` is the exact, unrounded amount."""

    code: str
    municipality: str
    population: int
    fraction: Fraction
    quota: Fraction
    amount: int


@dataclass(frozen=True)
class PeriodAllocation:
    """One budget year: its cost, the population it was keyed on, every municipality's amount, and the split behind them.

    `split` counts in rounding units, position for position with `shares` (sorted by code)."""

    period: Period
    item_costs: tuple[int, ...]
    population_year: int
    population_total: int
    unit: int
    shares: tuple[Share, ...]
    split: Apportionment

    @property
    def year(self) -> int:
        return self.period.year

    @property
    def cost(self) -> int:
        return sum(self.item_costs)

    def _position(self, code: str) -> int:
        for position, share in enumerate(self.shares):
            if share.code == code:
                return position
        raise KeyError(code)

    def share_of(self, code: str) -> Share:
        return self.shares[self._position(code)]

    @property
    def floor_total(self) -> int:
        """What the municipalities got before leftover units, in minor units."""
        return self.split.floor_total * self.unit

    @property
    def leftover_units(self) -> int:
        """Units handed out by remainder after every municipality got the floor of its quota."""
        return self.split.leftover

    def remainder_of(self, code: str) -> Fraction:
        """The part of the quota below the floor, in minor units."""
        return self.split.remainder(self._position(code)) * self.unit

    def remainder_rank(self, code: str) -> int:
        """1-based place of `code` in the queue for leftover units (largest remainder first)."""
        return self.split.rank(self._position(code))


@dataclass(frozen=True)
class Allocation:
    """The whole split: every budget period of the agreement, rows sorted by code."""

    items: tuple[CostItem, ...]
    unit: int
    basis: Basis
    periods: tuple[PeriodAllocation, ...]

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(share.code for share in self.periods[0].shares)

    def name(self, code: str) -> str:
        """The municipality's name as of the latest population year used."""
        return self.periods[-1].share_of(code).municipality

    def total_of(self, code: str, years: tuple[int, ...] | None = None) -> int:
        return sum(p.share_of(code).amount for p in self.periods if years is None or p.year in years)

    def total(self, years: tuple[int, ...] | None = None) -> int:
        return sum(p.cost for p in self.periods if years is None or p.year in years)


def population_years(periods: tuple[Period, ...], basis: Basis, key_year: int | None) -> dict[int, int]:
    """Which 1 January population each budget year is keyed on."""
    if basis == "fixed":
        if key_year is None:
            raise ValueError("a fixed basis needs a key year")
        return {period.year: key_year for period in periods}
    return {period.year: period.year for period in periods}


@dataclass(frozen=True)
class PopulationGap:
    """Population data the split needs and does not have: a whole key year, or one member in it,
    or (yearly basis, no member list) a budget year whose municipalities differ from the first's."""

    kind: Literal["year", "member", "other_members"]
    year: int
    message: str


class PopulationGapError(DataError):
    """The split cannot be made: the population data has gaps. The edge words them for the user."""

    def __init__(self, gaps: list[PopulationGap]) -> None:
        super().__init__(problems=[Problem(gap.message) for gap in gaps])
        self.gaps = tuple(gaps)


def population_gaps(
    population: PopulationTable, periods: tuple[Period, ...], basis: Basis, key_year: int | None, members: tuple[str, ...] | None
) -> list[PopulationGap]:
    """Every gap that would stop the split, in the order a user should fix them."""
    gaps: list[PopulationGap] = []
    available = ", ".join(str(year) for year in sorted(population)) or "none"
    keyed_on = population_years(periods, basis, key_year)
    for year in sorted(set(keyed_on.values())):
        if year not in population:
            gaps.append(PopulationGap("year", year, f"no population figures for 1 January {year} (years in file: {available})"))
            continue
        for code in members or ():
            if code not in population[year]:
                gaps.append(PopulationGap("member", year, f"member {code} has no population figure for {year}"))
    if gaps or members is not None:
        return gaps
    first = periods[0].year
    first_codes = sorted(population[keyed_on[first]])
    for period in periods[1:]:
        codes = sorted(population[keyed_on[period.year]])
        if codes != first_codes:
            message = f"budget year {period.year} has other municipalities ({len(codes)}) than {first} ({len(first_codes)})"
            return [PopulationGap("other_members", period.year, message)]
    return []


def allocate(
    periods: tuple[Period, ...],
    items: tuple[CostItem, ...],
    unit: int,
    population: PopulationTable,
    basis: Basis = "fixed",
    key_year: int | None = None,
    members: tuple[str, ...] | None = None,
) -> Allocation:
    """Split every period's cost among the members by population, largest remainder, in whole units."""
    gaps = population_gaps(population, periods, basis, key_year, members)
    if gaps:
        raise PopulationGapError(gaps)
    keyed_on = population_years(periods, basis, key_year)
    results = []
    for period in periods:
        year_rows = population[keyed_on[period.year]]
        codes = sorted(members if members is not None else year_rows)
        rows = [year_rows[code] for code in codes]
        costs = item_costs(period, items, unit)
        cost = sum(costs)
        total_population = sum(row.population for row in rows)
        if total_population <= 0:
            raise DataError(f"the members' population for {keyed_on[period.year]} adds up to {total_population}")
        split = largest_remainder(cost // unit, [row.population for row in rows], tie_key=codes)
        shares = tuple(
            Share(
                code=row.code,
                municipality=row.name,
                population=row.population,
                fraction=Fraction(row.population, total_population),
                quota=Fraction(cost * row.population, total_population),
                amount=count * unit,
            )
            for row, count in zip(rows, split.amounts, strict=True)
        )
        allocated = sum(share.amount for share in shares)
        if allocated != cost:
            raise AllocationError(f"budget year {period.year}: amounts add up to {allocated}, not the cost {cost} (minor units)")
        results.append(PeriodAllocation(period, costs, keyed_on[period.year], total_population, unit, shares, split))
    return Allocation(items=items, unit=unit, basis=basis, periods=tuple(results))
