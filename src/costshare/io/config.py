"""alliance.yaml → a frozen, validated config; every problem reported with its line.

The schema (schema.py) is strict (unknown keys are errors) and money is read as Decimal from
its text, never through float. This module words pydantic's findings by our catalogs, runs the
checks that span fields (rules.py), and finds which config to use.
"""

from __future__ import annotations

import difflib
import hashlib
import os
import re
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Any, get_args, get_origin

from pydantic import BaseModel, ValidationError

from ..core.errors import ConfigError, InvalidValueError, Problem, error
from ..core.items import CostItem
from ..core.money import to_minor
from ..core.periods import Indexation, Period, budget_periods
from ..limits import MAX_CONFIG_BYTES
from .datatext import shown
from .items import cost_item
from .rules import config_problem, rule_problems
from .schema import AllianceConfig, MemberModel
from .textfile import read_utf8
from .yamlsource import YamlDocument, parse_yaml

LOCAL_CONFIG = Path("config") / "alliance.yaml"


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
    if kind == "literal_error":  # pydantic's "'fixed', 'previous' or 'latest'", as choices each language words
        expected = str(context.get("expected", ""))  # numbers come unquoted: "1, 2, 4 or 12"
        return "err_one_of", {
            "choices": tuple(re.findall(r"'([^']*)'", expected) or re.findall(r"[^,\s]+", expected.replace(" or ", ", ")))
        }
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
        refusal = detail.get("ctx", {}).get("error")
        if hint is None and isinstance(refusal, InvalidValueError):  # the field's hint first (yearly: write 730000), else the refusal's
            hint = refusal.hint
        problems.append(config_problem(doc, file, path, key, hint, **params, **hint_params))
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
        return tuple(cost_item(item) for item in self.model.costs)

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
    problems = rule_problems(doc, file, model)
    if problems:
        raise ConfigError(problems=problems)
    return LoadedConfig(path=resolved(path), display=file, model=model, sha256=hashlib.sha256(raw).hexdigest(), doc=doc)


def _looked_for(path: Path) -> str:
    """Where costshare looked for a config it did not find, as the user should read it."""
    try:
        return str(Path.cwd() / path) if not path.is_absolute() else str(path)
    except OSError:  # the working folder was removed
        return str(path)


def shipped_folder() -> Path:
    """The folder holding the shipped config/ and data/: copied into the wheel as costshare/defaults, and in a
    source tree (an editable install, or tests run from src/) the repository itself, so there is one source of truth."""
    package = Path(__file__).resolve().parent.parent
    inside = package / "defaults"
    if (inside / "config" / "alliance.yaml").is_file():
        return inside
    return package.parent.parent  # src/costshare → the repository


def packaged_config() -> Path:
    """The alliance.yaml shipped with costshare (the repository's config/alliance.yaml)."""
    return shipped_folder() / "config" / "alliance.yaml"


def find_config(explicit: str | None) -> Path:
    """--config / COSTSHARE_CONFIG if given, else ./config/alliance.yaml, else the packaged copy."""
    if explicit:
        return Path(explicit)
    if LOCAL_CONFIG.is_file():
        return LOCAL_CONFIG
    return packaged_config()
