"""One run's inputs and result: the config, the population file's checksum and the allocation.

Everything that renders or exports takes a Computation, so provenance (which files, which
version) travels with the figures.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from . import __version__
from .allocate import Allocation, allocate
from .config import LoadedConfig, load_config
from .population import load_population


@dataclass(frozen=True)
class Computation:
    config: LoadedConfig
    allocation: Allocation
    population_sha256: str

    @property
    def generated_by(self) -> str:
        return f"costshare {__version__}"


def compute(config_path: Path) -> Computation:
    """Config → population → allocation, each step validated at its edge."""
    config = load_config(config_path)
    population = load_population(config.population_file, config.population_display)
    model = config.model
    allocation = allocate(
        config.periods, config.cost_items, config.unit, population.table,
        basis=model.population.basis, key_year=model.population.year, members=config.members, file=config.population_display,
    )
    return Computation(config, allocation, population.sha256)
