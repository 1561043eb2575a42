"""alliance.yaml → a frozen, validated config; every problem reported with its line.

The schema is strict (unknown keys are errors) and money is read as Decimal from its
text, never through float.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from importlib import resources
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationError, field_validator

from .core.errors import ConfigError, Problem
from .core.money import ROUNDING_UNITS, decimals_of, to_minor
from .core.municipality import normalise_code
from .core.periods import CostItem, Period, budget_periods, is_month_end, is_month_start
from .textfile import read_utf8
from .yamlsource import YamlDocument, dotted, parse_yaml

LOCAL_CONFIG = Path("config") / "alliance.yaml"

THOUSANDS_HINT = 'in YAML "." is a decimal point, not a thousands separator: write 730000 for 730.000 kr.'


Code = Annotated[str, BeforeValidator(normalise_code)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class CostItemModel(_Strict):
    label: str = Field(min_length=1)
    yearly: Decimal

    @field_validator("yearly", mode="before")
    @classmethod
    def _amount_text(cls, value: Any) -> Any:
        if isinstance(value, float):  # never reached through our loader; refuse rather than guess
            raise ValueError("amounts must be written exactly")
        if isinstance(value, str):
            try:
                return Decimal(value.strip())
            except ArithmeticError:
                raise ValueError(f"{value!r} is not an amount") from None
        return value

    @field_validator("yearly")
    @classmethod
    def _non_negative(cls, value: Decimal) -> Decimal:
        if not value.is_finite():
            raise ValueError("expected a finite amount")
        if value < 0:
            raise ValueError(f"must not be negative, got {value}")
        return value


class AgreementModel(_Strict):
    start: date
    end: date

    @field_validator("start")
    @classmethod
    def _first_of_month(cls, value: date) -> date:
        if not is_month_start(value):
            raise ValueError(f"{value} is not the first day of a month")
        return value

    @field_validator("end")
    @classmethod
    def _last_of_month(cls, value: date) -> date:
        if not is_month_end(value):
            raise ValueError(f"{value} is not the last day of a month")
        return value


class PopulationModel(_Strict):
    file: str = Field(min_length=1)
    source: str | None = None
    basis: Literal["fixed", "yearly"] = "fixed"
    year: int | None = None
    region: Code | None = None  # the area whose total the members must add up to when fetching


class RoundingModel(_Strict):
    unit: Decimal = Decimal(1)

    @field_validator("unit")
    @classmethod
    def _known_unit(cls, value: Decimal) -> Decimal:
        if value not in ROUNDING_UNITS:
            raise ValueError(f"must be one of 0.01, 1, 10, 100 or 1000, got {value}")
        return value


class AllianceConfig(_Strict):
    alliance: str = Field(min_length=1)
    currency: str = Field(default="DKK", pattern=r"^[A-Z]{3}$")
    locale: Literal["da_DK", "en"] = "da_DK"
    agreement: AgreementModel
    costs: list[CostItemModel] = Field(min_length=1)
    population: PopulationModel
    members: list[Code] | None = Field(default=None, min_length=1)
    rounding: RoundingModel = RoundingModel()
    notes: list[str] = []


def _hint_for(path: tuple[str | int, ...], kind: str) -> str | None:
    field = path[-1] if path else ""
    if field == "yearly":
        return "write the amount per full year in kroner without thousands separators, e.g. 730000"
    if field in ("start", "end"):
        return "write dates as YYYY-MM-DD, e.g. 2023-07-01"
    if kind == "extra_forbidden":
        return "check the spelling against the schema in the README"
    return None


def _problem(doc: YamlDocument, file: str, path: tuple[str | int, ...], message: str, hint: str | None = None) -> Problem:
    line = doc.line_of(path)
    return Problem(f"{dotted(path)}: {message}" if path else message, file, str(line) if line else None, hint)


def _schema_problems(doc: YamlDocument, file: str, error: ValidationError) -> list[Problem]:
    problems = []
    for detail in error.errors(include_url=False):
        path = tuple(detail["loc"])
        kind = detail["type"]
        if kind == "extra_forbidden":
            message = "unknown key"
        elif kind == "missing":
            message = "required field is missing"
        else:
            message = detail["msg"].removeprefix("Value error, ")
        problems.append(_problem(doc, file, path, message, _hint_for(path, kind)))
    return problems


def _rule_problems(doc: YamlDocument, file: str, config: AllianceConfig) -> list[Problem]:
    """Checks that span fields: dates in order, amounts fine enough for the unit, a key year."""
    problems = []
    if config.agreement.end < config.agreement.start:
        problems.append(_problem(doc, file, ("agreement", "end"), f"{config.agreement.end} is before start {config.agreement.start}"))
    allowed = decimals_of(config.rounding.unit)
    for index, item in enumerate(config.costs):
        if decimals_of(item.yearly) > allowed:
            unit = config.rounding.unit
            hint = THOUSANDS_HINT if allowed == 0 and "." in str(item.yearly) else "round the amount or choose rounding.unit 0.01"
            problems.append(
                _problem(doc, file, ("costs", index, "yearly"), f"{item.yearly} has more decimals than rounding unit {unit} allows", hint)
            )
    if config.population.basis == "fixed" and config.population.year is None:
        problems.append(_problem(doc, file, ("population",), "population.year is required when basis is fixed", "e.g. year: 2023"))
    if config.members is not None and len(set(config.members)) != len(config.members):
        problems.append(_problem(doc, file, ("members",), "a municipality is listed more than once"))
    return problems


@dataclass(frozen=True)
class LoadedConfig:
    """A validated config, where it came from, and what the core needs from it."""

    path: Path
    display: str
    model: AllianceConfig
    sha256: str

    @property
    def population_file(self) -> Path:
        return (self.path.parent / self.model.population.file).resolve()

    @property
    def population_display(self) -> str:
        return display_path(self.population_file)

    @property
    def unit(self) -> int:
        """The rounding unit in minor units."""
        return to_minor(self.model.rounding.unit)

    @property
    def cost_items(self) -> tuple[CostItem, ...]:
        return tuple(CostItem(item.label, to_minor(item.yearly)) for item in self.model.costs)

    @property
    def periods(self) -> tuple[Period, ...]:
        return budget_periods(self.model.agreement.start, self.model.agreement.end)

    @property
    def members(self) -> tuple[str, ...] | None:
        return tuple(self.model.members) if self.model.members is not None else None


def display_path(path: Path) -> str:
    """A path as the user should read it: relative when under the current folder, else absolute."""
    resolved = path.resolve()
    return os.path.relpath(resolved) if resolved.is_relative_to(Path.cwd()) else str(resolved)


def load_config(path: Path) -> LoadedConfig:
    """Read and validate alliance.yaml, reporting every problem at once."""
    file = display_path(path)
    raw, text = read_utf8(path, file, ConfigError, "file", "pass --config PATH or set COSTSHARE_CONFIG", "save the file as UTF-8")
    doc = parse_yaml(text, file)
    if not isinstance(doc.data, dict):
        raise ConfigError("expected a mapping of keys such as alliance:, agreement:, costs:", file=file, location="1")
    try:
        model = AllianceConfig.model_validate(doc.data)
    except ValidationError as exc:
        raise ConfigError(problems=_schema_problems(doc, file, exc)) from None
    problems = _rule_problems(doc, file, model)
    if problems:
        raise ConfigError(problems=problems)
    return LoadedConfig(path=path.resolve(), display=file, model=model, sha256=hashlib.sha256(raw).hexdigest())


def packaged_config() -> Path:
    """The alliance.yaml shipped inside the package (built from the repository's config/)."""
    return Path(str(resources.files("costshare") / "defaults" / "config" / "alliance.yaml"))


def find_config(explicit: str | None) -> Path:
    """--config / COSTSHARE_CONFIG if given, else ./config/alliance.yaml, else the packaged copy."""
    if explicit:
        return Path(explicit)
    if LOCAL_CONFIG.is_file():
        return LOCAL_CONFIG
    return packaged_config()
