"""Budget periods × cost items × members → the frozen table of who pays what.

Each budget year's cost is split by largest remainder in whole rounding units. A member's
weight is its key-year population × the months of that budget year in which it is a member,
so a municipality that joins or leaves pays for its months only; ties go to the larger weight,
then the lower code. A period whose amounts do not add up to its cost raises an error.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date, timedelta
from fractions import Fraction
from functools import partial
from typing import Literal

from .apportion import Apportionment, largest_remainder
from .errors import AllocationError, DataError, Problem, Years
from .keys import ItemShare, item_cap, key_values, share_item, whole_weights
from .municipality import Municipality
from .periods import CostItem, Indexation, ItemCost, Period, item_costs, months_within
from .rates import RatePayment, paid_costs, rate_payments

Basis = Literal["fixed", "previous", "latest", "yearly"]


# {year: {code: Municipality}}, population on 1 January of `year`.
PopulationTable = Mapping[int, Mapping[str, Municipality]]


@dataclass(frozen=True)
class Membership:
    """A member and the months it pays: from `joins` (first day of a month) until before `leaves`."""

    code: str
    joins: date | None = None
    leaves: date | None = None

    def days_within(self, start: date, end: date) -> tuple[date, date]:
        """The first and last day it is a member between `start` and `end`."""
        first = max(start, self.joins) if self.joins is not None else start
        last = min(end, self.leaves - timedelta(days=1)) if self.leaves is not None else end
        return first, last

    def months_in(self, period: Period, item: CostItem | None = None) -> int:
        """Months of `period` it is a member (and, given an `item`, the item runs too)."""
        last = None
        if self.leaves is not None:  # the month before the one it leaves in
            last = date(self.leaves.year - (self.leaves.month == 1), (self.leaves.month - 2) % 12 + 1, 1)
        first = self.joins
        if item is not None:
            first = max(filter(None, (first, item.start)), default=None)
            last = min(filter(None, (last, item.end)), default=None)
        return months_within(period, first, last)


@dataclass(frozen=True)
class Share:
    """One municipality's part of one period. Money in minor units; `quota` is the exact, unrounded amount.

    `weight` = key-year population × `months` of membership in the period; `fraction` = weight / all weights."""

    code: str
    municipality: str
    population: int
    months: int
    weight: int
    fraction: Fraction
    quota: Fraction
    amount: int


@dataclass(frozen=True)
class PeriodAllocation:
    """One budget year: its items' costs, the population it was keyed on, every member's amount, and the split behind them.

    `split` counts in rounding units, position for position with `shares` (sorted by code)."""

    period: Period
    item_costs: tuple[ItemCost, ...]
    population_year: int
    population_total: int
    unit: int
    shares: tuple[Share, ...]
    split: Apportionment
    item_shares: Mapping[str, tuple[ItemShare, ...]] | None = None  # by code, per item, where an item has its own key or a cap
    rate_payments: Mapping[str, tuple[RatePayment, ...]] | None = None  # by code, per rate item, where there are any
    key_wanted: int | None = None  # the 1 January the basis asks for, where it is not in the file yet (an overslag)
    price_year: int | None = None  # whose prices an indexed item is in: the year's own, or the last rate's (an overslag)

    @property
    def year(self) -> int:
        return self.period.year

    @property
    def projected(self) -> bool:
        """An overslag: computed on the figures known now, to be replaced by the year's own."""
        return self.key_wanted is not None or self.price_projected

    @property
    def price_projected(self) -> bool:
        """Priced at an earlier year's level because this year's P/L rate is not given yet."""
        return self.price_year is not None and self.price_year < self.year

    @property
    def cost(self) -> int:
        return sum(item.cost for item in self.item_costs)

    def _position(self, code: str) -> int:
        for position, share in enumerate(self.shares):
            if share.code == code:
                return position
        raise KeyError(code)

    def has(self, code: str) -> bool:
        return any(share.code == code for share in self.shares)

    def share_of(self, code: str) -> Share:
        return self.shares[self._position(code)]

    @property
    def floor_total(self) -> int:
        """What the members got before leftover units, in minor units."""
        return self.split.floor_total * self.unit

    @property
    def leftover_units(self) -> int:
        """Units handed out by remainder after every member got the floor of its quota."""
        return self.split.leftover

    def remainder_of(self, code: str) -> Fraction:
        """The part of the quota below the floor, in minor units."""
        return self.split.remainder(self._position(code)) * self.unit

    def remainder_rank(self, code: str) -> int:
        """1-based place of `code` in the queue for leftover units (largest remainder first)."""
        return self.split.rank(self._position(code))

    @property
    def full_membership(self) -> bool:
        """Whether every member paid for every month of the period."""
        return all(share.months == self.period.months for share in self.shares)


@dataclass(frozen=True)
class Allocation:
    """The whole split: every budget period computed, rows sorted by code."""

    items: tuple[CostItem, ...]
    unit: int
    basis: Basis
    periods: tuple[PeriodAllocation, ...]
    indexation: Indexation | None = None

    @property
    def codes(self) -> tuple[str, ...]:
        """Every municipality that pays in at least one period."""
        return tuple(sorted({share.code for period in self.periods for share in period.shares}))

    def name(self, code: str) -> str:
        """The municipality's name as of the latest population year it was keyed on."""
        for period in reversed(self.periods):
            if period.has(code):
                return period.share_of(code).municipality
        raise KeyError(code)

    def total_of(self, code: str, years: tuple[int, ...] | None = None) -> int:
        return sum(p.share_of(code).amount for p in self.periods if (years is None or p.year in years) and p.has(code))

    def total(self, years: tuple[int, ...] | None = None) -> int:
        return sum(p.cost for p in self.periods if years is None or p.year in years)

    def same_key_every_year(self, periods: tuple[PeriodAllocation, ...] | None = None) -> bool:
        """Whether one population and share per member hold for all these periods: a fixed key year and
        the same members paying every month. Only then do tables show them as columns."""
        chosen = self.periods if periods is None else periods
        member_sets = {tuple(share.code for share in period.shares) for period in chosen}
        by_population = all(item.by_population for item in self.items)
        return by_population and self.basis == "fixed" and len(member_sets) == 1 and all(period.full_membership for period in chosen)

    @property
    def indexed(self) -> bool:
        return self.indexation is not None and any(item.indexed for item in self.items)


@dataclass(frozen=True)
class PopulationGap:
    """Population data the split needs and does not have: a whole key year, or one member in it,
    or (no member list) a budget year whose municipalities differ from the first's."""

    kind: Literal["year", "member", "other_members", "no_members"]
    year: int  # the key year (the budget year for other_members and no_members)
    budget_years: tuple[int, ...] = ()
    available: tuple[int, ...] = ()  # the years the population data has
    code: str = ""
    first: int = 0
    count: int = 0
    first_count: int = 0


def _paying(members: tuple[Membership, ...] | None, period: Period) -> tuple[Membership, ...] | None:
    return None if members is None else tuple(m for m in members if m.months_in(period) > 0)


@dataclass(frozen=True)
class Key:
    """The 1 January a budget year is keyed on: `year`, the figures used; `wanted`, the year the basis asks for.
    Where `wanted` is after the newest year in the population file, the newest year with every paying member
    stands in for it and the budget year is an overslag (`projected`)."""

    year: int
    wanted: int
    projected: bool = False


def key_years(
    periods: tuple[Period, ...],
    basis: Basis,
    key_year: int | None,
    population: PopulationTable,
    members: tuple[Membership, ...] | None = None,
    projecting: bool = True,
) -> dict[int, Key]:
    """Which 1 January population each budget year is keyed on.

    fixed: `key_year`; previous: the year before; yearly: the year itself; latest: the newest year up
    to the budget year with figures for every member paying in it (the budget year itself if none).
    With `projecting`, a key year after the newest year in the file becomes the newest year that has every
    member paying in that budget year (an overslag)."""
    if basis == "fixed" and key_year is None:
        raise ValueError("a fixed basis needs a key year")
    newest = max(population, default=None)
    chosen = {}
    for period in periods:
        paying = _paying(members, period)
        # the years with figures for every member paying in this budget year, newest first
        complete = [y for y in sorted(population, reverse=True) if paying is None or all(m.code in population[y] for m in paying)]
        wanted = {"fixed": key_year or 0, "previous": period.year - 1, "yearly": period.year, "latest": period.year}[basis]
        if projecting and newest is not None and wanted > newest:
            chosen[period.year] = Key(complete[0] if complete else newest, wanted, projected=True)
        elif basis == "latest":
            chosen[period.year] = Key(next((y for y in complete if y <= period.year), period.year), wanted)
        else:
            chosen[period.year] = Key(wanted, wanted)
    return chosen


def population_gaps(
    population: PopulationTable,
    periods: tuple[Period, ...],
    basis: Basis,
    key_year: int | None,
    members: tuple[Membership, ...] | None,
    projecting: bool = True,
) -> list[PopulationGap]:
    """Every gap that would stop the split of these periods, in the order a user should fix them."""
    gaps: list[PopulationGap] = []
    available = tuple(sorted(population))
    keyed_on = {year: key.year for year, key in key_years(periods, basis, key_year, population, members, projecting).items()}
    budget_years: dict[int, list[int]] = {}
    for period in periods:
        budget_years.setdefault(keyed_on[period.year], []).append(period.year)
    for year in sorted(budget_years):
        if year not in population:
            gaps.append(PopulationGap("year", year, budget_years=tuple(budget_years[year]), available=available))
    if gaps:
        return gaps
    for period in periods:
        key = keyed_on[period.year]
        for member in _paying(members, period) or ():
            if member.code not in population[key]:
                gap = PopulationGap("member", key, code=member.code)
                if gap not in gaps:
                    gaps.append(gap)
        if members is not None and not _paying(members, period):
            gaps.append(PopulationGap("no_members", period.year))
    if gaps or members is not None or not periods:
        return gaps
    first = periods[0].year
    first_codes = sorted(population[keyed_on[first]])
    for period in periods[1:]:
        codes = sorted(population[keyed_on[period.year]])
        if codes != first_codes:
            return [PopulationGap("other_members", period.year, first=first, count=len(codes), first_count=len(first_codes))]
    return []


class PopulationGapError(DataError):
    """The split cannot be made: the population data has gaps. The edge words them, with the file and a hint."""

    def __init__(self, gaps: list[PopulationGap]) -> None:
        super().__init__([gap_problem(gap) for gap in gaps])
        self.gaps = tuple(gaps)


def gap_problem(gap: PopulationGap) -> Problem:
    """The gap as a problem of its kind, with its values (the edge adds the file and a hint)."""
    if gap.kind == "year":
        key = "err_gap_year_one" if len(gap.budget_years) == 1 else "err_gap_year_many"
        return Problem(key, params=(("year", gap.year), ("budget_years", Years(gap.budget_years)), ("available", Years(gap.available))))
    if gap.kind == "member":
        return Problem("err_gap_member", params=(("code", gap.code), ("year", gap.year)))
    if gap.kind == "no_members":
        return Problem("err_gap_no_members", params=(("year", gap.year),))
    return Problem(
        "err_gap_other_members", params=(("year", gap.year), ("first", gap.first), ("count", gap.count), ("first_count", gap.first_count))
    )


def _months_of(memberships: Mapping[str, Membership], period: Period, code: str, item: CostItem) -> int:
    return memberships[code].months_in(period, item)


def allocate(
    periods: tuple[Period, ...],
    items: tuple[CostItem, ...],
    unit: int,
    population: PopulationTable,
    *,
    basis: Basis = "fixed",
    key_year: int | None = None,
    members: tuple[Membership, ...] | None = None,
    indexation: Indexation | None = None,
    projecting: bool = True,
    key_weights: Mapping[str, Mapping[int, Mapping[str, Fraction]]] | None = None,
) -> Allocation:
    """Split every period's cost among the members paying in it, by population × months, largest remainder, in whole units.

    An item with its own key or a cap (core/keys.py) is shared exactly by it; each member's exact shares of the
    year's items are then added and the year's cost split by largest remainder on those sums (ties: the larger
    exact share, then the lower code). `key_weights`: {name: {budget year: {code: value}}} for keys by a weights file.

    With `projecting` (the default), a year whose key figures or P/L rate are not known yet is computed on the
    newest ones known and marked as an overslag; without it, such a year is a gap."""
    if indexation is not None and indexation.projecting != projecting:
        indexation = replace(indexation, projecting=projecting)
    gaps = population_gaps(population, periods, basis, key_year, members, projecting)
    if gaps:
        raise PopulationGapError(gaps)
    keys = key_years(periods, basis, key_year, population, members, projecting)
    keyed_on = {year: key.year for year, key in keys.items()}
    results = []
    for period in periods:
        year_rows = population[keyed_on[period.year]]
        paying = _paying(members, period)
        months = dict.fromkeys(year_rows, period.months) if paying is None else {m.code: m.months_in(period) for m in paying}
        codes = sorted(months)
        rows = [year_rows[code] for code in codes]
        weights = [row.population * months[row.code] for row in rows]
        costs = item_costs(period, items, unit, indexation)
        memberships = {m.code: m for m in paying} if paying is not None else {code: Membership(code) for code in codes}
        payments = rate_payments(
            costs, {code: year_rows[code].population for code in codes}, partial(_months_of, memberships, period), unit
        )
        costs = paid_costs(costs, payments)  # a rate item's cost is what its members pay
        fixed = [c for c in costs if c.item.rate_steps is None]
        cost = sum(c.cost for c in fixed)
        item_shares = None
        if not all(c.item.by_population for c in fixed):
            values = key_values(period.year, rows, key_weights or {}, {base for c in fixed for base, _ in c.item.key})
            by_item = [share_item(c.item.label, c.cost, c.item.key, item_cap(c), values, months, period.year) for c in fixed]
            item_shares = {code: tuple(found[code] for found in by_item) for code in codes}
            exact = [sum((s.exact for s in item_shares[code]), Fraction(0)) for code in codes]
            weights = whole_weights(exact) if cost else [1] * len(codes)
        weight_total = sum(weights)
        split = largest_remainder(cost // unit, weights, tie_key=codes)
        shares = tuple(
            Share(
                code=row.code,
                municipality=row.name,
                population=row.population,
                months=months[row.code],
                weight=weight,
                fraction=Fraction(weight, weight_total),
                quota=Fraction(cost * weight, weight_total) + sum((p.exact for p in payments.get(row.code, ())), Fraction(0)),
                amount=count * unit + sum(p.amount for p in payments.get(row.code, ())),
            )
            for row, weight, count in zip(rows, weights, split.amounts, strict=True)
        )
        cost = sum(c.cost for c in costs)
        allocated = sum(share.amount for share in shares)
        if allocated != cost:
            params = (("year", period.year), ("allocated", allocated), ("cost", cost))
            raise AllocationError([Problem("err_unreconciled", params=params)])
        population_total = sum(row.population for row in rows)
        key = keys[period.year]
        priced = indexation is not None and any(c.item.indexed and c.months for c in costs)
        results.append(
            PeriodAllocation(period, costs, key.year, population_total, unit, shares, split, item_shares, payments or None,
                             key_wanted=key.wanted if key.projected else None,
                             price_year=indexation.price_year(period.year) if priced and indexation is not None else None)
        )  # fmt: skip
    return Allocation(items=items, unit=unit, basis=basis, periods=tuple(results), indexation=indexation)
