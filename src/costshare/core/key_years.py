"""Which 1 January each budget year's population key is taken from, and what the population data lacks for it.

A basis names the year: `fixed` one key year for all, `previous` the year before the budget year, `yearly` the
budget year itself, `latest` the newest year up to the budget year with figures for every member paying in it.
A key year after the newest year in the data makes the budget year provisional: the newest year with every paying member stands in.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

from .errors import DataError, Problem, Years
from .membership import Membership, paying
from .municipality import Municipality
from .periods import Period

Basis = Literal["fixed", "previous", "latest", "yearly"]

# {year: {code: Municipality}}, population on 1 January of `year`.
PopulationTable = Mapping[int, Mapping[str, Municipality]]


@dataclass(frozen=True)
class KeyYear:
    """The 1 January a budget year is keyed on: `year`, the figures used; `wanted`, the year the basis asks for.
    Where `wanted` is after the newest year in the population file, the newest year with every paying member
    stands in for it and the budget year is provisional (`projected`)."""

    year: int
    wanted: int
    projected: bool = False


def wanted_year(basis: Basis, key_year: int | None, year: int) -> int:
    """The 1 January the basis asks for budget year `year` (`key_year` for a fixed basis)."""
    return {"fixed": key_year or 0, "previous": year - 1, "yearly": year, "latest": year}[basis]


def complete_years(population: PopulationTable, members: tuple[Membership, ...] | None) -> list[int]:
    """The years with figures for every one of `members` (None: any year), newest first."""
    return [y for y in sorted(population, reverse=True) if members is None or all(m.code in population[y] for m in members)]


def key_years(
    periods: tuple[Period, ...],
    basis: Basis,
    key_year: int | None,
    population: PopulationTable,
    members: tuple[Membership, ...] | None = None,
    projecting: bool = True,
) -> dict[int, KeyYear]:
    """Which 1 January population each budget year is keyed on.

    fixed: `key_year`; previous: the year before; yearly: the year itself; latest: the newest year up
    to the budget year with figures for every member paying in it (the budget year itself if none).
    With `projecting`, a key year after the newest year in the file becomes the newest year that has every
    member paying in that budget year (the budget year is then provisional)."""
    if basis == "fixed" and key_year is None:
        raise ValueError("a fixed basis needs a key year")
    newest = max(population, default=None) if projecting else None
    return {period.year: _key_year(period, basis, key_year, population, paying(members, period), newest) for period in periods}


def _key_year(
    period: Period,
    basis: Basis,
    key_year: int | None,
    population: PopulationTable,
    payers: tuple[Membership, ...] | None,
    newest: int | None,
) -> KeyYear:
    wanted = wanted_year(basis, key_year, period.year)
    complete = complete_years(population, payers)
    if newest is not None and wanted > newest:
        return KeyYear(complete[0] if complete else newest, wanted, projected=True)
    if basis == "latest":
        return KeyYear(next((y for y in complete if y <= period.year), period.year), wanted)
    return KeyYear(wanted, wanted)


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


def population_gaps(
    population: PopulationTable,
    periods: tuple[Period, ...],
    basis: Basis,
    key_year: int | None,
    members: tuple[Membership, ...] | None,
    projecting: bool = True,
) -> list[PopulationGap]:
    """Every gap that would stop the split of these periods, in the order a user should fix them: missing key
    years first, then members missing from a key year or budget years nobody pays in, then (no member list)
    a budget year whose municipalities differ from the first's."""
    keyed_on = {year: key.year for year, key in key_years(periods, basis, key_year, population, members, projecting).items()}
    gaps = missing_years(population, periods, keyed_on)
    if not gaps:
        gaps = list(dict.fromkeys(gap for period in periods for gap in member_gaps(population, period, keyed_on[period.year], members)))
    if gaps or members is not None or not periods:
        return gaps
    return other_members(population, periods, keyed_on)


def missing_years(population: PopulationTable, periods: tuple[Period, ...], keyed_on: Mapping[int, int]) -> list[PopulationGap]:
    """Each key year the data does not have, with the budget years keyed on it."""
    budget_years: dict[int, list[int]] = {}
    for period in periods:
        budget_years.setdefault(keyed_on[period.year], []).append(period.year)
    available = tuple(sorted(population))
    return [
        PopulationGap("year", year, budget_years=tuple(years), available=available)
        for year, years in sorted(budget_years.items())
        if year not in population
    ]


def member_gaps(population: PopulationTable, period: Period, key_year: int, members: tuple[Membership, ...] | None) -> list[PopulationGap]:
    """The members paying in the period that the key year's data does not have; a budget year nobody pays in."""
    payers = paying(members, period)
    if payers == ():
        return [PopulationGap("no_members", period.year)]
    return [PopulationGap("member", key_year, code=m.code) for m in payers or () if m.code not in population[key_year]]


def other_members(population: PopulationTable, periods: tuple[Period, ...], keyed_on: Mapping[int, int]) -> list[PopulationGap]:
    """Without a member list everyone in the data pays: the first budget year whose key year has other municipalities."""
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
