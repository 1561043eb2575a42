"""One run from files to figures: config → population file → allocation, each checked at its edge.

Everything that renders or exports takes a Computation, so provenance (which files, which
version) travels with the figures. The core knows nothing of files or commands: the file name
and the hint a user can act on are added here.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from . import __version__
from .config import LoadedConfig, load_config
from .core.allocate import Allocation, PopulationGap, PopulationGapError, allocate
from .core.errors import DataError, Problem
from .population import load_population


@dataclass(frozen=True)
class Computation:
    config: LoadedConfig
    allocation: Allocation
    population_sha256: str

    @property
    def generated_by(self) -> str:
        return f"costshare {__version__}"


def _hint(gap: PopulationGap, basis: str) -> str:
    if gap.kind == "year":
        return (
            f"fetch it with: costshare population fetch --year {gap.year}"
            if basis == "yearly"
            else "set population.year to a year in the file"
        )
    if gap.kind == "member":
        return "check members in the config"
    return "list the municipalities under members in the config"


def compute(config_path: Path) -> Computation:
    """Config → population → allocation, each step validated at its edge."""
    config = load_config(config_path)
    population = load_population(config.population_file, config.population_display)
    model = config.model
    basis, key_year = model.population.basis, model.population.year
    try:
        allocation = allocate(config.periods, config.cost_items, config.unit, population.table, basis, key_year, config.members)
    except PopulationGapError as exc:
        problems = [Problem(gap.message, config.population_display, None, _hint(gap, basis)) for gap in exc.gaps]
        raise DataError(problems=problems) from None
    return Computation(config, allocation, population.sha256)
