"""One run from files to figures: config → population file → allocation, each checked at its edge.

Everything that renders or exports takes a Computation, so provenance (which files, which
version) travels with the figures. The core knows nothing of files or commands: the file name,
the config line and the hint a user can act on are added here.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from . import __version__
from .config import BillingMemberModel, LoadedConfig, load_config
from .core.allocate import Allocation, Membership, PopulationGap, PopulationGapError, allocate
from .core.errors import ConfigError, DataError, Problem
from .core.municipality import Municipality, NoSuchMunicipalityError, find_code
from .messages import municipality_problem, problem
from .population import latest_names, load_population

if TYPE_CHECKING:
    import pandas as pd


@dataclass(frozen=True)
class Computation:
    config: LoadedConfig
    allocation: Allocation
    population_sha256: str
    billing: Mapping[str, BillingMemberModel] = field(default_factory=dict)  # by code: EAN, reference, account

    @property
    def generated_by(self) -> str:
        return f"costshare {__version__}"

    def to_frame(self) -> pd.DataFrame:
        """One row per budget year and paying member: year, code, municipality, key_year, population, months,
        weight, share and amount. `share` is an exact Fraction; `amount` and `cost` are Decimal kroner, exact."""
        import pandas as pd

        from .core.money import major

        rows = [
            {
                "year": period.year,
                "code": share.code,
                "municipality": share.municipality,
                "key_year": period.population_year,
                "population": share.population,
                "months": share.months,
                "weight": share.weight,
                "share": share.fraction,
                "amount": major(share.amount, 2),
                "cost": major(period.cost, 2),
            }
            for period in self.allocation.periods
            for share in period.shares
        ]
        return pd.DataFrame(
            rows, columns=["year", "code", "municipality", "key_year", "population", "months", "weight", "share", "amount", "cost"]
        )


def _gap_problem(gap: PopulationGap, basis: str, file: str) -> Problem:
    """A gap in the population data, worded with the hint a user can act on."""
    if gap.kind == "year":
        hint = "hint_fetch_year" if basis != "fixed" else "hint_fetch_or_key_year"
        return problem(f"err_gap_year_{'one' if len(gap.budget_years) == 1 else 'many'}", file, None, hint, year=gap.year,
                       budget_years=gap.budget_years_text, available=gap.available)  # fmt: skip
    if gap.kind == "member":
        return problem("err_gap_member", file, None, "hint_check_members", code=gap.code, year=gap.year)
    if gap.kind == "no_members":
        return problem("err_gap_no_members", file, None, "hint_check_joins", year=gap.year)
    return problem(
        "err_gap_other_members",
        file,
        None,
        "hint_list_members",
        year=gap.year,
        first=gap.first,
        count=gap.count,
        first_count=gap.first_count,
    )


def members(config: LoadedConfig, population: Mapping[int, Mapping[str, Municipality]]) -> tuple[Membership, ...] | None:
    """The config's members with names resolved to codes (as --municipality resolves them); None: everyone in the data."""
    entries = config.member_entries
    if entries is None:
        return None
    names = latest_names(population)
    problems: list[Problem] = []
    resolved: list[Membership] = []
    first_index: dict[str, int] = {}
    for index, entry in enumerate(entries):
        where = config.location(("members", index))
        query = entry.municipality
        if query.isdigit():
            code = query
        else:
            try:
                code = find_code(query, names)
            except NoSuchMunicipalityError as exc:
                problems.append(municipality_problem(exc, config.display, where, f"members[{index}]"))
                continue
        if code in first_index:
            problems.append(
                problem("err_member_twice", config.display, where, subject=f"members[{index}]", code=code, first=first_index[code])
            )
            continue
        first_index[code] = index
        resolved.append(Membership(code, entry.joins, entry.leaves))
    if problems:
        raise ConfigError(problems=problems)
    return tuple(resolved)


def compute(config_path: Path, years: tuple[int, ...] | None = None) -> Computation:
    """Config → population → allocation, each step validated at its edge. `years`: only these budget years
    (so a table of one year needs only that year's key figures)."""
    return compute_loaded(load_config(config_path), years)


def compute_loaded(config: LoadedConfig, years: tuple[int, ...] | None = None) -> Computation:
    """compute() for a config already loaded."""
    population = load_population(config.population_file, config.population_display)
    model = config.model
    basis, key_year = model.population.basis, model.population.year
    periods = tuple(p for p in config.periods if years is None or p.year in years)
    try:
        allocation = allocate(
            periods, config.cost_items, config.unit, population.table, basis, key_year, members(config, population.table), config.indexation
        )
    except PopulationGapError as exc:
        problems = [_gap_problem(gap, basis, config.population_display) for gap in exc.gaps]
        raise DataError(problems=problems) from None
    return Computation(config, allocation, population.sha256, billing(config, population.table, allocation))


def billing(
    config: LoadedConfig, population: Mapping[int, Mapping[str, Municipality]], allocation: Allocation
) -> dict[str, BillingMemberModel]:
    """The billing details by member code; a key that is not a paying member is an error at its line."""
    if config.model.billing is None:
        return {}
    names = latest_names(population)
    found: dict[str, BillingMemberModel] = {}
    problems = []
    for key, details in config.model.billing.members.items():
        where = config.location(("billing", "members", key))
        try:
            code = key if key.isdigit() else find_code(key, names)
        except NoSuchMunicipalityError as exc:
            problems.append(municipality_problem(exc, config.display, where, f"billing.members.{key}"))
            continue
        if code not in allocation.codes:
            problems.append(problem("err_billing_not_member", config.display, where, subject=f"billing.members.{key}", code=code))
            continue
        found[code] = details
    if problems:
        raise ConfigError(problems=problems)
    return found
