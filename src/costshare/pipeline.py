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
from .core.municipality import Municipality, find_code
from .population import load_population

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


def _hint(gap: PopulationGap, basis: str) -> str:
    if gap.kind == "year":
        fetch = f"fetch it with: costshare population fetch --year {gap.year}"
        return fetch if basis != "fixed" else f"set population.year to a year in the file, or {fetch}"
    if gap.kind == "member":
        return "check members in the config"
    if gap.kind == "no_members":
        return "check joins and leaves under members in the config"
    return "list the municipalities under members in the config"


def members(config: LoadedConfig, population: Mapping[int, Mapping[str, Municipality]]) -> tuple[Membership, ...] | None:
    """The config's members with names resolved to codes (as --municipality resolves them); None: everyone in the data."""
    entries = config.member_entries
    if entries is None:
        return None
    names = {code: row.name for year in sorted(population) for code, row in population[year].items()}
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
            except LookupError as exc:
                problems.append(Problem(f"members[{index}]: {exc.args[0]}", config.display, where))
                continue
        if code in first_index:
            problems.append(
                Problem(f"members[{index}]: {code} is listed more than once (first as members[{first_index[code]}])", config.display, where)
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
        problems = [Problem(gap.message, config.population_display, None, _hint(gap, basis)) for gap in exc.gaps]
        raise DataError(problems=problems) from None
    return Computation(config, allocation, population.sha256, billing(config, population.table, allocation))


def billing(
    config: LoadedConfig, population: Mapping[int, Mapping[str, Municipality]], allocation: Allocation
) -> dict[str, BillingMemberModel]:
    """The billing details by member code; a key that is not a paying member is an error at its line."""
    if config.model.billing is None:
        return {}
    names = {code: row.name for year in sorted(population) for code, row in population[year].items()}
    found: dict[str, BillingMemberModel] = {}
    problems = []
    for key, details in config.model.billing.members.items():
        where = config.location(("billing", "members", key))
        try:
            code = key if key.isdigit() else find_code(key, names)
        except LookupError as exc:
            problems.append(Problem(f"billing.members.{key}: {exc.args[0]}", config.display, where))
            continue
        if code not in allocation.codes:
            problems.append(Problem(f"billing.members.{key}: {code} is not a member that pays in the agreement", config.display, where))
            continue
        found[code] = details
    if problems:
        raise ConfigError(problems=problems)
    return found
