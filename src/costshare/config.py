"""alliance.yaml → a frozen, validated config; every problem reported with its line.

The schema is strict (unknown keys are errors) and money is read as Decimal from its
text, never through float.
"""

from __future__ import annotations

import difflib
import hashlib
import os
import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from fractions import Fraction
from importlib import resources
from pathlib import Path
from typing import Annotated, Any, Literal, get_args, get_origin

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, ValidationError, field_validator, model_validator

from .core.errors import ConfigError, Problem
from .core.money import ROUNDING_UNITS, decimals_of, to_minor
from .core.municipality import normalise_code
from .core.periods import CostItem, Indexation, Period, budget_periods, is_month_end, is_month_start, months_within
from .datatext import shown, text_problem
from .limits import MAX_AMOUNT, MAX_CONFIG_BYTES, MAX_YEAR, MIN_YEAR
from .messages import InvalidValueError, error, problem
from .textfile import read_utf8
from .yamlsource import YamlDocument, dotted, parse_yaml

LOCAL_CONFIG = Path("config") / "alliance.yaml"


def _decimals_hint(amount: Decimal, allowed: int) -> str:
    """730.000 is a Danish thousands dot; 730000.50 means øre; anything else needs rounding (catalog ids)."""
    written = decimals_of(amount)
    if allowed == 0 and written == 3:
        return "hint_thousands"
    if allowed == 0 and written <= 2:
        return "hint_ore"
    return "hint_round"


def _code(value: Any) -> str:
    try:
        return normalise_code(value)
    except ValueError:
        raise InvalidValueError("err_code", value=shown(value)) from None


Code = Annotated[str, BeforeValidator(_code)]

_PLAIN_AMOUNT = re.compile(r"[-+]?([0-9]+(\.[0-9]*)?|\.[0-9]+)")


def _data_text(value: str) -> str:
    """Names, labels, notes and sources: text that stays text in every output (datatext.py)."""
    problem = text_problem(value)
    if problem:
        raise problem
    return value


def _plain_date(value: Any) -> date:
    """Dates only as YYYY-MM-DD, within the years costshare handles."""
    if not isinstance(value, str) or not re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", value):
        raise InvalidValueError("err_date_form", value=shown(value))
    try:
        day = date.fromisoformat(value)
    except ValueError:
        raise InvalidValueError("err_date_calendar", value=value) from None
    if not MIN_YEAR <= day.year <= MAX_YEAR:
        raise InvalidValueError("err_date_years", value=value, first=MIN_YEAR, last=MAX_YEAR)
    return day


def _exact_number(value: Any) -> Any:
    """An amount or unit as written: a plain decimal number, never a boolean, float or other YAML form."""
    if isinstance(value, (bool, float)):
        raise InvalidValueError("err_not_amount", value=shown(value))
    if isinstance(value, str):
        if not _PLAIN_AMOUNT.fullmatch(value.strip()):
            raise InvalidValueError("err_not_amount", value=shown(value))
        return Decimal(value.strip())
    return value


Text = Annotated[str, Field(min_length=1), AfterValidator(_data_text)]
Year = Annotated[int, Field(strict=True, ge=MIN_YEAR, le=MAX_YEAR)]
PlainDate = Annotated[date, BeforeValidator(_plain_date)]
Amount = Annotated[Decimal, BeforeValidator(_exact_number)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def _amount_in_range(value: Decimal | None) -> Decimal | None:
    if value is None:
        return value
    if value < 0:
        raise InvalidValueError("err_negative", value=shown(value))
    if value > MAX_AMOUNT:
        raise InvalidValueError("err_amount_too_large", value=shown(value), limit=f"{MAX_AMOUNT:,}".replace(",", "."))
    return value


def _first_of_month(value: date | None) -> date | None:
    if value is not None and not is_month_start(value):
        raise InvalidValueError("err_not_month_start", value=value)
    return value


def _last_of_month(value: date | None) -> date | None:
    if value is not None and not is_month_end(value):
        raise InvalidValueError("err_not_month_end", value=value)
    return value


Money = Annotated[Amount, AfterValidator(_amount_in_range)]
MonthStart = Annotated[PlainDate, AfterValidator(_first_of_month)]
MonthEnd = Annotated[PlainDate, AfterValidator(_last_of_month)]


class CostItemModel(_Strict):
    """A yearly item (yearly, optionally indexed, from, to) or a one-off item (one_off, year)."""

    label: Text
    yearly: Money | None = None
    indexed: Annotated[bool, Field(strict=True)] = False
    from_: MonthStart | None = Field(default=None, alias="from")
    to: MonthEnd | None = None
    one_off: Money | None = None
    year: Year | None = None

    @model_validator(mode="after")
    def _one_kind(self) -> CostItemModel:
        if (self.yearly is None) == (self.one_off is None):
            raise InvalidValueError("err_item_kind")
        if self.one_off is not None:
            extra = [name for name, given in (("indexed", self.indexed), ("from", self.from_), ("to", self.to)) if given]
            if extra:
                raise InvalidValueError("err_one_off_extra", keys=", ".join(extra))
            if self.year is None:
                raise InvalidValueError("err_one_off_year")
        elif self.year is not None:
            raise InvalidValueError("err_year_on_yearly")
        return self

    @property
    def amount(self) -> Decimal:
        return self.yearly if self.yearly is not None else self.one_off  # type: ignore[return-value]


def _rate(value: Any) -> Any:
    value = _exact_number(value)
    if isinstance(value, (int, Decimal)) and not Decimal(value) > -100:
        raise InvalidValueError("err_rate_low", value=value)
    if isinstance(value, (int, Decimal)) and Decimal(value) > 1000:
        raise InvalidValueError("err_rate_high", value=value)
    return value


class IndexationModel(_Strict):
    base_year: Year
    rates: dict[Year, Annotated[Decimal, BeforeValidator(_rate)]] = {}


def _member_entry(value: Any) -> Any:
    """`340`, `Sorø` or a mapping {municipality: …, joins: …, leaves: …}: all become the mapping."""
    return value if isinstance(value, dict) else {"municipality": value}


def _code_or_name(value: Any) -> str:
    if isinstance(value, bool):
        raise InvalidValueError("err_member_bool", value=repr(value))
    if isinstance(value, int) or (isinstance(value, str) and value.strip().isdigit()):
        return _code(value if isinstance(value, int) else value.strip())
    if isinstance(value, str):
        return _data_text(value.strip())
    raise InvalidValueError("err_member_kind", value=shown(value))


class MemberModel(_Strict):
    municipality: Annotated[str, BeforeValidator(_code_or_name)]
    joins: MonthStart | None = None
    leaves: MonthStart | None = None

    @model_validator(mode="after")
    def _in_order(self) -> MemberModel:
        if self.joins is not None and self.leaves is not None and self.leaves <= self.joins:
            raise InvalidValueError("err_leaves_joins", leaves=self.leaves, joins=self.joins)
        return self


class AgreementModel(_Strict):
    start: MonthStart
    end: MonthEnd
    note: Text | None = None  # what is assumed about the agreement, shown with the figures


class PopulationModel(_Strict):
    file: Text
    source: Text | None = None
    basis: Literal["fixed", "previous", "latest", "yearly"] = "fixed"
    year: Year | None = None
    region: Code | None = None  # the area whose total the members must add up to when fetching


class RoundingModel(_Strict):
    unit: Amount = Decimal(1)

    @field_validator("unit")
    @classmethod
    def _known_unit(cls, value: Decimal) -> Decimal:
        """Compared by value, and returned as written in ROUNDING_UNITS, so 1.0 means 1 and 0.010 means 0.01."""
        for unit in ROUNDING_UNITS:
            if value == unit:
                return unit
        raise InvalidValueError("err_unit", value=value)


def _digits(count: int, what: str) -> Any:
    def check(value: Any) -> str:
        text = str(value).strip() if isinstance(value, (int, str)) and not isinstance(value, bool) else ""
        if not (text.isascii() and text.isdigit() and len(text) == count):
            raise InvalidValueError(f"err_digits_{what}", count=count, value=shown(value))
        return text

    return check


def _gln(value: str) -> str:
    """A 13-digit EAN/GLN location number whose last digit is its GS1 check digit (mod 10, weights 1 and 3)."""
    digits = [int(digit) for digit in value]
    check = (10 - sum(digit * (3 if index % 2 else 1) for index, digit in enumerate(digits[:12])) % 10) % 10
    if digits[12] != check:
        raise InvalidValueError("err_ean_check", value=value, digit=digits[12], check=check)
    return value


class SenderModel(_Strict):
    name: Text
    address: list[Text] = Field(default=[], max_length=6)
    cvr: Annotated[str, BeforeValidator(_digits(8, "cvr"))] | None = None
    contact: Text | None = None


class BillingMemberModel(_Strict):
    ean: Annotated[str, BeforeValidator(_digits(13, "ean")), AfterValidator(_gln)] | None = None
    reference: Text | None = None
    account: Text | None = None


BillingKey = Annotated[str, BeforeValidator(_code_or_name)]


class BillingModel(_Strict):
    payment_terms_days: Annotated[int, Field(strict=True, ge=0, le=365)] | None = None
    members: dict[BillingKey, BillingMemberModel] = Field(default={}, max_length=1000)


class AllianceConfig(_Strict):
    alliance: Text
    currency: str = Field(default="DKK", pattern=r"^[A-Z]{3}$")
    locale: Literal["da", "da_DK", "en"] | None = None  # None: COSTSHARE_LANG or the system's language
    agreement: AgreementModel
    costs: list[CostItemModel] = Field(min_length=1, max_length=100)
    indexation: IndexationModel | None = None
    population: PopulationModel
    members: list[Annotated[MemberModel, BeforeValidator(_member_entry)]] | None = Field(default=None, min_length=1, max_length=1000)
    rounding: RoundingModel = RoundingModel()
    notes: list[Text] = Field(default=[], max_length=100)
    sender: SenderModel | None = None
    billing: BillingModel | None = None


def _inner_model(annotation: Any) -> type[BaseModel] | None:
    """The model inside an annotation such as `list[CostItemModel] | None` or `dict[str, BillingMemberModel]`."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for argument in reversed(get_args(annotation)):  # for a dict, the value type comes last
        found = _inner_model(argument)
        if found is not None:
            return found
    return None


def _is_mapping(annotation: Any) -> bool:
    return get_origin(annotation) is dict or any(_is_mapping(argument) for argument in get_args(annotation))


def _keys_at(path: tuple[str | int, ...]) -> list[str]:
    """The keys the schema allows in the mapping at `path` (field names as written, e.g. `from`)."""
    model: type[BaseModel] | None = AllianceConfig
    after_mapping = False  # the part after a mapping field (billing.members) is a key, not a field
    for part in path:
        if model is None:
            return []
        if after_mapping or isinstance(part, int):  # a mapping's key, or a list's index
            after_mapping = False
            continue
        field = next((f for name, f in model.model_fields.items() if (f.alias or name) == part), None)
        if field is None:
            return []
        model, after_mapping = _inner_model(field.annotation), _is_mapping(field.annotation)
    return [field.alias or name for name, field in model.model_fields.items()] if model is not None else []


def _hint_for(path: tuple[str | int, ...], kind: str) -> tuple[str | None, dict[str, object]]:
    """The hint's catalog id and values for a schema problem at `path`."""
    field = path[-1] if path else ""
    if kind == "extra_forbidden" and isinstance(field, str):
        close = difflib.get_close_matches(field, _keys_at(path[:-1]), n=1, cutoff=0.6)
        return ("hint_did_you_mean", {"name": close[0]}) if close else ("hint_spelling", {})
    if field == "yearly":
        return "hint_amount", {}
    if field in ("start", "end"):
        return "hint_dates", {}
    return None, {}


def _problem(doc: YamlDocument, file: str, path: tuple[str | int, ...], key: str, hint: str | None = None, **params: object) -> Problem:
    line = doc.line_of(path)
    return problem(key, file, str(line) if line else None, hint, subject=dotted(path) or None, **params)


# pydantic's error types, worded by our catalogs: no pydantic text reaches a user
_SCHEMA_WORDS: dict[str, str] = {
    "extra_forbidden": "err_unknown_key",
    "missing": "err_missing_field",
    "int_type": "err_whole_number",
    "int_parsing": "err_whole_number",
    "int_from_float": "err_whole_number",
    "string_type": "err_text_type",
    "bool_type": "err_true_false",
    "bool_parsing": "err_true_false",
    "string_too_short": "err_empty",
    "list_type": "err_list",
    "dict_type": "err_mapping",
    "model_type": "err_mapping",
    "model_attributes_type": "err_mapping",
    "string_pattern_mismatch": "err_currency",
}


def _schema_words(detail: Any) -> tuple[str, dict[str, object]]:
    """Our catalog id and values for one of pydantic's errors."""
    kind, context = detail["type"], detail.get("ctx", {})
    if isinstance(context.get("error"), InvalidValueError):
        return context["error"].key, dict(context["error"].params)
    if kind in _SCHEMA_WORDS:
        return _SCHEMA_WORDS[kind], {}
    if kind == "literal_error":
        return "err_one_of", {"choices": str(context.get("expected", "")).replace("'", "")}
    if kind in ("greater_than_equal", "greater_than"):
        return "err_at_least", {"limit": context.get("ge", context.get("gt"))}
    if kind in ("less_than_equal", "less_than"):
        return "err_at_most", {"limit": context.get("le", context.get("lt"))}
    if kind == "too_short":
        return "err_too_few", {"limit": context.get("min_length")}
    if kind == "too_long":
        return "err_too_many", {"limit": context.get("max_length")}
    if kind.startswith("decimal"):
        return "err_not_amount", {"value": shown(detail.get("input"))}
    return "err_invalid", {}


def _schema_problems(doc: YamlDocument, file: str, error: ValidationError) -> list[Problem]:
    problems = []
    for detail in error.errors(include_url=False):
        path = tuple(detail["loc"])
        key, params = _schema_words(detail)
        hint, hint_params = _hint_for(path, detail["type"])
        problems.append(_problem(doc, file, path, key, hint, **params, **hint_params))
    return problems


def _rule_problems(doc: YamlDocument, file: str, config: AllianceConfig) -> list[Problem]:
    """Checks that span fields: dates in order and inside the agreement, amounts fine enough for the unit,
    the P/L rates every indexed item needs, a key year where the basis needs one."""
    problems = []
    agreement = config.agreement
    if agreement.end < agreement.start:
        problems.append(_problem(doc, file, ("agreement", "end"), "err_end_before_start", end=agreement.end, start=agreement.start))
        return problems
    periods = budget_periods(agreement.start, agreement.end)
    budget_years = [period.year for period in periods]
    first, last = budget_years[0], budget_years[-1]
    unit = config.rounding.unit
    allowed = decimals_of(unit)
    needed_rates: dict[int, list[int]] = {}
    for index, item in enumerate(config.costs):
        field = "yearly" if item.yearly is not None else "one_off"
        if decimals_of(item.amount) > allowed:
            hint = _decimals_hint(item.amount, allowed)
            where = ("costs", index, field)
            problems.append(_problem(doc, file, where, "err_decimals", hint, amount=item.amount, unit=unit, allowed=allowed))
        if item.one_off is not None:
            if item.year not in budget_years:
                problems.append(
                    _problem(doc, file, ("costs", index, "year"), "err_not_budget_year", year=item.year, first=first, last=last)
                )
            elif item.one_off % unit:
                problems.append(_problem(doc, file, ("costs", index, "one_off"), "err_not_whole_units", amount=item.one_off, unit=unit))
            continue
        if item.from_ is not None and item.from_ < agreement.start:
            problems.append(_problem(doc, file, ("costs", index, "from"), "err_before_agreement", value=item.from_, start=agreement.start))
        if item.to is not None and item.to > agreement.end:
            problems.append(_problem(doc, file, ("costs", index, "to"), "err_after_agreement", value=item.to, end=agreement.end))
        if item.from_ is not None and item.to is not None and item.to < item.from_:
            problems.append(_problem(doc, file, ("costs", index, "to"), "err_to_before_from", to=item.to, start=item.from_))
        if item.indexed:
            if config.indexation is None:
                problems.append(_problem(doc, file, ("costs", index, "indexed"), "err_indexed_without_indexation", "hint_readme"))
                continue
            base = config.indexation.base_year
            for period in periods:
                if period.year > base and months_within(period, item.from_, item.to):
                    for year in range(base + 1, period.year + 1):
                        if year not in config.indexation.rates:
                            needed_rates.setdefault(year, []).append(index)
    for year in sorted(needed_rates):
        problems.append(
            _problem(
                doc,
                file,
                ("indexation", "rates"),
                "err_missing_rate",
                "hint_rate",
                year=year,
                item=needed_rates[year][0],
                previous=year - 1,
            )
        )
    basis = config.population.basis
    if basis == "fixed" and config.population.year is None:
        problems.append(_problem(doc, file, ("population",), "err_fixed_needs_year", "hint_key_year"))
    if basis != "fixed" and config.population.year is not None:
        problems.append(_problem(doc, file, ("population", "year"), "err_year_only_fixed", "hint_remove", basis=basis))
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
        return resolved(self.path.parent / self.model.population.file)

    @property
    def population_display(self) -> str:
        return display_path(self.population_file)

    @property
    def unit(self) -> int:
        """The rounding unit in minor units."""
        return to_minor(self.model.rounding.unit)

    doc: YamlDocument | None = None

    def location(self, path: tuple[str | int, ...]) -> str | None:
        """The line of a key in the config, for messages the edge words after loading."""
        line = self.doc.line_of(path) if self.doc is not None else None
        return str(line) if line else None

    @property
    def cost_items(self) -> tuple[CostItem, ...]:
        return tuple(
            CostItem(item.label, yearly=to_minor(item.yearly), indexed=item.indexed, start=item.from_, end=item.to)
            if item.yearly is not None
            else CostItem(item.label, one_off=to_minor(item.amount), year=item.year)
            for item in self.model.costs
        )

    @property
    def indexation(self) -> Indexation | None:
        model = self.model.indexation
        if model is None:
            return None
        return Indexation(model.base_year, {year: Fraction(rate) for year, rate in model.rates.items()})

    @property
    def periods(self) -> tuple[Period, ...]:
        return budget_periods(self.model.agreement.start, self.model.agreement.end)

    @property
    def member_entries(self) -> tuple[MemberModel, ...] | None:
        """The members as written (codes or names, with their dates); pipeline.members resolves the names."""
        return tuple(self.model.members) if self.model.members is not None else None


def resolved(path: Path) -> Path:
    """The absolute path without symbolic links; the path as given where that cannot be known (a link
    loop, a working folder that was removed), so reading it then fails with a clean message."""
    try:
        return path.resolve()
    except (OSError, RuntimeError):  # RuntimeError: a symlink loop, before Python 3.13
        return path


def display_path(path: Path) -> str:
    """A path as the user should read it: relative when under the current folder, else absolute."""
    try:
        cwd = Path.cwd()
    except OSError:  # the working folder was removed
        return str(path)
    absolute = resolved(path)
    return os.path.relpath(absolute) if absolute.is_absolute() and absolute.is_relative_to(cwd) else str(absolute)


def load_config(path: Path) -> LoadedConfig:
    """Read and validate alliance.yaml, reporting every problem at once."""
    file = display_path(path)
    raw, text = read_utf8(
        path, file, ConfigError, "word_file", "hint_config_not_found", "hint_save_utf8", MAX_CONFIG_BYTES, looked=_looked_for(path)
    )
    doc = parse_yaml(text, file)
    if not isinstance(doc.data, dict):
        raise error(ConfigError, "err_config_not_mapping", file, "1")
    try:
        model = AllianceConfig.model_validate(doc.data)
    except ValidationError as exc:
        raise ConfigError(problems=_schema_problems(doc, file, exc)) from None
    problems = _rule_problems(doc, file, model)
    if problems:
        raise ConfigError(problems=problems)
    return LoadedConfig(path=resolved(path), display=file, model=model, sha256=hashlib.sha256(raw).hexdigest(), doc=doc)


def _looked_for(path: Path) -> str:
    """Where costshare looked for a config it did not find, as the user should read it."""
    try:
        return str(Path.cwd() / path) if not path.is_absolute() else str(path)
    except OSError:  # the working folder was removed
        return str(path)


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
