"""Budget periods × cost items × population → the frozen table of who pays what.

Each period's cost is split by largest remainder in whole rounding units, keyed on the
municipality code; a period whose amounts do not add up to its cost raises an error.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from fractions import Fraction
from typing import Literal

from .apportion import largest_remainder, remainder_order
from .errors import AllocationError, DataError, Problem
from .municipality import Municipality
from .periods import CostItem, Period, item_costs

Basis = Literal["fixed", "yearly"]


# {year: {code: Municipality}}, population on 1 January of `year`.
PopulationTable = Mapping[int, Mapping[str, Municipality]]


@dataclass(frozen=True)
class Share:
    """One municipality's part of one period. Money in minor units; `exact` is the unrounded quota."""

    code: str
    municipality: str
    population: int
    share: Fraction
    exact: Fraction
    amount: int


@dataclass(frozen=True)
class PeriodAllocation:
    """One budget year: its cost, the population it was keyed on, and every municipality's amount."""

    period: Period
    item_costs: tuple[int, ...]
    population_year: int
    population_total: int
    unit: int
    shares: tuple[Share, ...]

    @property
    def cost(self) -> int:
        return sum(self.item_costs)

    def share_of(self, code: str) -> Share:
        for share in self.shares:
            if share.code == code:
                return share
        raise KeyError(code)

    @property
    def floor_total(self) -> int:
        """What the municipalities got before leftover units: each quota's floor in whole units, added up."""
        return sum(int(share.exact // self.unit) * self.unit for share in self.shares)

    @property
    def leftover_units(self) -> int:
        """Units handed out by remainder after every municipality got the floor of its quota."""
        return (self.cost - self.floor_total) // self.unit

    def remainder_rank(self, code: str) -> int:
        """1-based place of `code` in the queue for leftover units (largest remainder first)."""
        weights = [share.population for share in self.shares]
        order = remainder_order(self.cost // self.unit, weights)
        position = next(i for i, share in enumerate(self.shares) if share.code == code)
        return order.index(position) + 1


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
        return sum(p.share_of(code).amount for p in self.periods if years is None or p.period.year in years)

    def total(self, years: tuple[int, ...] | None = None) -> int:
        return sum(p.cost for p in self.periods if years is None or p.period.year in years)

    def period(self, year: int) -> PeriodAllocation:
        for period in self.periods:
            if period.period.year == year:
                return period
        raise KeyError(year)


def population_years(periods: tuple[Period, ...], basis: Basis, key_year: int | None) -> dict[int, int]:
    """Which 1 January population each budget year is keyed on."""
    if basis == "fixed":
        if key_year is None:
            raise ValueError("a fixed basis needs a key year")
        return {period.year: key_year for period in periods}
    return {period.year: period.year for period in periods}


def check_population(
    population: PopulationTable,
    periods: tuple[Period, ...],
    basis: Basis,
    key_year: int | None,
    members: tuple[str, ...] | None,
    file: str | None = None,
) -> list[Problem]:
    """Every problem that would stop the split: a missing key year, or members missing from it."""
    problems: list[Problem] = []
    available = ", ".join(str(year) for year in sorted(population)) or "none"
    for year in sorted(set(population_years(periods, basis, key_year).values())):
        if year not in population:
            hint = (
                f"fetch it with: costshare population fetch --year {year}"
                if basis == "yearly"
                else "set population.year to a year in the file"
            )
            problems.append(Problem(f"no population figures for 1 January {year} (years in file: {available})", file, None, hint))
            continue
        for code in members or ():
            if code not in population[year]:
                problems.append(Problem(f"member {code} has no population figure for {year}", file, None, "check members in the config"))
    return problems


def allocate(
    periods: tuple[Period, ...],
    items: tuple[CostItem, ...],
    unit: int,
    population: PopulationTable,
    basis: Basis = "fixed",
    key_year: int | None = None,
    members: tuple[str, ...] | None = None,
    file: str | None = None,
) -> Allocation:
    """Split every period's cost among the members by population, largest remainder, in whole units."""
    problems = check_population(population, periods, basis, key_year, members, file)
    if problems:
        raise DataError(problems=problems)
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
            raise DataError(f"the members' population for {keyed_on[period.year]} adds up to {total_population}", file=file)
        units = largest_remainder(cost // unit, [row.population for row in rows])
        shares = tuple(
            Share(
                code=row.code,
                municipality=row.name,
                population=row.population,
                share=Fraction(row.population, total_population),
                exact=Fraction(cost * row.population, total_population),
                amount=count * unit,
            )
            for row, count in zip(rows, units)
        )
        allocated = sum(share.amount for share in shares)
        if allocated != cost:
            raise AllocationError(f"budget year {period.year}: amounts add up to {allocated}, not the cost {cost} (minor units)")
        results.append(PeriodAllocation(period, costs, keyed_on[period.year], total_population, unit, shares))
    if basis == "yearly":
        _check_same_members(results)
    return Allocation(items=items, unit=unit, basis=basis, periods=tuple(results))


def _check_same_members(periods: list[PeriodAllocation]) -> None:
    first = [share.code for share in periods[0].shares]
    for period in periods[1:]:
        codes = [share.code for share in period.shares]
        if codes != first:
            raise DataError(
                f"budget year {period.period.year} has other municipalities ({len(codes)}) than {periods[0].period.year} ({len(first)})",
                hint="list the municipalities under members in the config",
            )
