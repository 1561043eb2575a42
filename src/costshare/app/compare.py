"""What-if: two configs' splits side by side, per municipality and budget year, with the differences.

The join and the differences are done in pandas, on exact values: amounts stay integer minor
units (in object columns, never float) and percentages are Fractions until they are shown.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import TYPE_CHECKING, Any

from ..core.errors import ConfigError, error
from .view import Sources

if TYPE_CHECKING:
    import pandas as pd

    from ..core.periods import Period
    from ..io.schema import AllianceConfig
    from .pipeline import Computation

ASPECTS = ("agreement", "costs", "indexation", "basis", "members", "rounding", "population")


@dataclass(frozen=True)
class Amounts:
    """An amount under each config, in minor units (None where there is none), and how they differ."""

    base: int | None
    other: int | None

    @property
    def difference(self) -> int:
        """The other amount less the base amount, a side without one counting as 0: a member that joins or leaves
        differs by its whole amount, so the differences add up to the difference of the totals."""
        return (self.other or 0) - (self.base or 0)

    @property
    def percent(self) -> Fraction | None:
        """The difference as a fraction of the base amount (shown as a percent by the writers); None without one."""
        return Fraction(self.difference, self.base) if self.base else None


@dataclass(frozen=True)
class ComparisonRow(Amounts):
    """One municipality in one budget year; None where it does not pay under that config. A side's amount is
    provisional where that config computes the year on figures not published yet. Each side's period of the year
    (its months, a part year where the agreement begins or ends in it), None where that config has no such year."""

    year: int
    code: str
    municipality: str
    base_projected: bool = False
    other_projected: bool = False
    base_period: Period | None = None
    other_period: Period | None = None


@dataclass(frozen=True)
class Comparison:
    """Both splits side by side, what differs between the configs, and where each came from."""

    rows: tuple[ComparisonRow, ...]
    differs_in: tuple[str, ...]  # keys of ASPECTS
    unit: int
    currency: str
    alliance: str
    base: Sources
    other: Sources

    def total(self, side: str) -> int:
        return sum(getattr(row, side) or 0 for row in self.rows)

    @property
    def totals(self) -> Amounts:
        """Every row's amounts added up, under each config."""
        return Amounts(self.total("base"), self.total("other"))

    @property
    def provisional(self) -> Amounts:
        """How much of each side's total is provisional: the amounts that config computes on figures not published yet."""
        rows = self.rows
        return Amounts(sum(row.base or 0 for row in rows if row.base_projected), sum(row.other or 0 for row in rows if row.other_projected))


def _frame(computation: Computation) -> pd.DataFrame:
    import pandas as pd

    rows = [
        {"year": period.year, "code": share.code, "municipality": share.municipality, "amount": share.amount, "projected": period.projected}
        for period in computation.allocation.periods
        for share in period.shares
    ]
    return pd.DataFrame(rows, columns=["year", "code", "municipality", "amount", "projected"]).astype({"amount": object})


def differences(base: AllianceConfig, other: AllianceConfig, same_population: bool) -> tuple[str, ...]:
    """Which aspects of the two configs differ, in ASPECTS order."""
    found = {
        "agreement": base.agreement != other.agreement,
        "costs": base.costs != other.costs,
        "indexation": base.indexation != other.indexation,
        "basis": (base.population.basis, base.population.year) != (other.population.basis, other.population.year),
        "members": base.members != other.members,
        "rounding": base.rounding != other.rounding,
        "population": not same_population,
    }
    return tuple(aspect for aspect in ASPECTS if found[aspect])


def compare(
    base: Computation, other: Computation, codes: tuple[str, ...] | None = None, years: tuple[int, ...] | None = None
) -> Comparison:
    """Outer join of the two splits on (budget year, code), rows by code then year, of `codes` and `years` (None:
    all). Amounts in two currencies are not compared."""
    import pandas as pd

    if base.view.currency != other.view.currency:
        raise error(ConfigError, "err_compare_currency", other.view.sources.config_file, None, subject="currency",
                    other_currency=other.view.currency, currency=base.view.currency)  # fmt: skip

    merged = _frame(base).merge(_frame(other), on=["year", "code"], how="outer", suffixes=("_base", "_other"))
    if codes is not None:
        merged = merged[merged["code"].isin(codes)]
    if years is not None:
        merged = merged[merged["year"].isin(years)]
    merged = merged.sort_values(["code", "year"], kind="stable")

    def value(cell: Any) -> Any:
        return None if pd.isna(cell) else cell

    base_periods, other_periods = ({period.year: period.period for period in side.allocation.periods} for side in (base, other))

    rows = tuple(
        ComparisonRow(
            year=int(record["year"]),
            code=str(record["code"]),
            municipality=str(value(record["municipality_base"]) or record["municipality_other"]),
            base=value(record["amount_base"]),
            other=value(record["amount_other"]),
            base_projected=bool(value(record["projected_base"])),
            other_projected=bool(value(record["projected_other"])),
            base_period=base_periods.get(int(record["year"])),
            other_period=other_periods.get(int(record["year"])),
        )
        for record in merged.to_dict("records")
    )
    same_population = base.population_sha256 == other.population_sha256
    unit = min(base.allocation.unit, other.allocation.unit)  # show øre if either side has them
    aspects = differences(base.config.model, other.config.model, same_population)
    return Comparison(rows, aspects, unit, base.view.currency, base.view.alliance, base.view.sources, other.view.sources)
