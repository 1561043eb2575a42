"""alliance.yaml → a frozen, validated config; every problem reported with its line.

The schema (schema.py) is strict (unknown keys are errors) and money is read as Decimal from
its text, never through float. This module words pydantic's findings by our catalogs (reading the
schema's own types to name each place as the user wrote it, one problem a place, and to keep a
count's hint within what its field takes), runs the checks that span fields (rules.py), and finds
which config to use.
"""

from __future__ import annotations

import difflib
import hashlib
import os
import re
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from types import NoneType, UnionType
from typing import Annotated, Any, Literal, Union, get_args, get_origin

from pydantic import BaseModel, Tag, ValidationError

from ..core.errors import ConfigError, Count, InvalidValueError, Problem, error
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


Path_ = tuple[str | int, ...]


def _bare(annotation: Any) -> Any:
    """The type under Annotated and Optional: `Annotated[int, …] | None` is int; a union of two kinds stays a union."""
    while True:
        members = _members(annotation)
        if get_origin(annotation) is Annotated:
            annotation = get_args(annotation)[0]
        elif len(members) == 1:
            annotation = members[0]
        else:
            return annotation


def _members(annotation: Any) -> tuple[Any, ...]:
    """The kinds a union takes, None aside; () for any other type."""
    if get_origin(annotation) not in (Union, UnionType):
        return ()
    return tuple(member for member in get_args(annotation) if member is not NoneType)


def _inside(annotation: Any, part: str | int) -> Any:
    """The type of `part` (a field as written, a list's index, a mapping's key) in a value of type `annotation`, with
    the constraints pydantic keeps beside a field; in a union, the first member that has it; None where none has."""
    bare = _bare(annotation)
    if _members(bare):
        return next((found for member in _members(bare) if (found := _inside(member, part)) is not None), None)
    if isinstance(bare, type) and issubclass(bare, BaseModel):
        field = next((f for name, f in bare.model_fields.items() if (f.alias or name) == part), None)
        if field is None:
            return None
        return Annotated[field.annotation, *field.metadata] if field.metadata else field.annotation
    if get_origin(bare) in (list, dict):
        return get_args(bare)[-1]  # a list's items, a mapping's values
    return None


def _type_at(path: Path_) -> Any:
    """The schema's type of the value at `path` (None where the schema has no such place)."""
    annotation: Any = AllianceConfig
    for part in path:
        annotation = _inside(annotation, part) if annotation is not None else None
    return annotation


def _keys_at(path: Path_) -> list[str]:
    """The keys the schema allows in the mapping at `path` (field names as written, e.g. `from`)."""
    bare = _bare(_type_at(path))
    models = [member for member in map(_bare, _members(bare) or (bare,)) if isinstance(member, type) and issubclass(member, BaseModel)]
    return [field.alias or name for model in models for name, field in model.model_fields.items()]


def _as_written(detail: Any) -> Path_:
    """Where pydantic found a problem, as the user wrote it: without the member of a union that pydantic names (a union
    whose members the schema does not tag is the problem's place itself), and a refused mapping key as written."""
    annotation: Any = AllianceConfig
    path: list[str | int] = []
    for part in detail["loc"]:
        if part == "[key]":  # the key itself was refused: pydantic gives it as input (`true`, which its place says as 1)
            key = detail["input"]
            path[-1] = str(key).lower() if isinstance(key, bool) else key if isinstance(key, (int, str)) else str(key)
            break
        members = _members(_bare(annotation))
        if members:
            annotation = next((member for member in members if _tag_of(member) == part), None)
            if annotation is None:
                break
            continue
        path.append(part)
        annotation = _inside(annotation, part)
    return tuple(path)


def _tag_of(member: Any) -> str | None:
    """The tag the schema gives a member of a union (pydantic.Tag), which pydantic puts in a problem's place."""
    return next((item.tag for item in get_args(member)[1:] if isinstance(item, Tag)), None) if get_origin(member) is Annotated else None


def _constraint(annotation: Any, name: str) -> Any:
    """A bound (ge, gt, le, lt) the schema puts on a type, as given there; None where it puts none."""
    while get_origin(annotation) is Annotated or len(_members(annotation)) == 1:
        if get_origin(annotation) is not Annotated:
            annotation = _members(annotation)[0]
            continue
        for item in get_args(annotation)[1:]:
            for given in (item, *getattr(item, "metadata", ())):
                if getattr(given, name, None) is not None:
                    return getattr(given, name)
        annotation = get_args(annotation)[0]
    return None


def _takes(annotation: Any) -> tuple[tuple[int, ...], int | None, int | None]:
    """What a count's field takes: its choices (a Literal), or its lowest and highest value (None where unbounded)."""
    bare = _bare(annotation)
    if get_origin(bare) is Literal:
        return get_args(bare), None, None
    gt, lt = _constraint(annotation, "gt"), _constraint(annotation, "lt")
    return (), _constraint(annotation, "ge") if gt is None else gt + 1, _constraint(annotation, "le") if lt is None else lt - 1


def _count_hint(path: Path_, refusal: InvalidValueError) -> tuple[str | None, dict[str, object]]:
    """The hint for a count that values.whole_number refused: its own (write 50000 without thousands dots) where
    that is a value the field takes, else what the field takes: its choices (1, 2, 4 or 12) or its range."""
    choices, low, high = _takes(_type_at(path))
    digits = refusal.params.get("digits")
    meant = int(str(digits)) if digits is not None else None
    if meant is not None and (meant in choices if choices else (low is None or low <= meant) and (high is None or meant <= high)):
        return refusal.hint, {}
    if choices:
        return "hint_count_choices", {"choices": choices}
    if low is not None and high is not None:
        return "hint_count_range", {"low": Count(low), "high": Count(high)}
    return refusal.hint, {}


def _hint_for(path: Path_, detail: Any) -> tuple[str | None, dict[str, object]]:
    """The hint's catalog id and values for a schema problem at `path`: the field's own (yearly: write 730000), else
    the refusal's."""
    field, kind, refusal = (path[-1] if path else ""), detail["type"], detail.get("ctx", {}).get("error")
    if kind == "extra_forbidden" and isinstance(field, str):
        close = difflib.get_close_matches(field, _keys_at(path[:-1]), n=1, cutoff=0.6)
        return ("hint_did_you_mean", {"name": close[0]}) if close else ("hint_spelling", {})
    if field == "yearly":
        return "hint_amount", {}
    if field in ("start", "end"):
        return "hint_dates", {}
    if isinstance(refusal, InvalidValueError):
        return _count_hint(path, refusal) if refusal.key == "err_whole_number" else (refusal.hint, {})
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

# a bound as the schema gives it: the catalog id that says it, and the bound's name in pydantic's ctx
_BOUNDS: dict[str, tuple[str, str]] = {
    "greater_than_equal": ("err_at_least", "ge"),
    "greater_than": ("err_more_than", "gt"),
    "less_than_equal": ("err_at_most", "le"),
    "less_than": ("err_less_than", "lt"),
    "too_short": ("err_too_few", "min_length"),
    "too_long": ("err_too_many", "max_length"),
}


def _schema_words(detail: Any) -> tuple[str, dict[str, object]]:
    """Our catalog id and values for one of pydantic's errors."""
    kind, context = detail["type"], detail.get("ctx", {})
    if isinstance(context.get("error"), InvalidValueError):
        return context["error"].key, dict(context["error"].params)
    if kind.startswith("err_"):  # a kind the schema names by our catalog (a union's custom_error_type)
        return kind, {}
    if kind in _SCHEMA_WORDS:
        return _SCHEMA_WORDS[kind], {}
    if kind == "literal_error":  # pydantic's "'fixed', 'previous' or 'latest'", as choices each language words
        expected = str(context.get("expected", ""))  # numbers come unquoted: "1, 2, 4 or 12"
        return "err_one_of", {
            "choices": tuple(re.findall(r"'([^']*)'", expected) or re.findall(r"[^,\s]+", expected.replace(" or ", ", ")))
        }
    if kind in _BOUNDS:
        key, bound = _BOUNDS[kind]
        limit = context.get(bound)
        # a length, or a bound too large to be a year, is a count each language groups (1.000.000); a year is not
        counted = isinstance(limit, int) and (kind.startswith("too_") or abs(limit) >= 10_000)
        return key, {"limit": Count(limit) if counted else limit}
    if kind.startswith("decimal"):
        return "err_not_amount", {"value": shown(detail.get("input"))}
    return "err_invalid", {}


def _schema_problems(doc: YamlDocument, file: str, error: ValidationError) -> list[Problem]:
    """pydantic's errors as our problems, one for each place: a union that pydantic tried member by member is one."""
    problems: dict[Path_, Problem] = {}
    for detail in error.errors(include_url=False):
        path = _as_written(detail)
        if path not in problems:
            key, params = _schema_words(detail)
            hint, hint_params = _hint_for(path, detail)
            problems[path] = config_problem(doc, file, path, key, hint, **params, **hint_params)
    return list(problems.values())


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
    def weights_files(self) -> dict[str, Path]:
        """Each key's weights file, by the key's name."""
        return {name: resolved(self.path.parent / file) for name, file in self.model.weights.items()}

    @property
    def input_files(self) -> tuple[Path, ...]:
        """The files the config itself is made of and reads: itself, the population and the weights files."""
        return (resolved(self.path), self.population_file, *self.weights_files.values())

    @property
    def record_file(self) -> Path | None:
        """The agreement's record of decided years (None: the config names none)."""
        return resolved(self.path.parent / self.model.decided) if self.model.decided is not None else None

    @property
    def register_file(self) -> Path | None:
        """The register of issued documents, where the config bills its members (None where it bills no one)."""
        billing = self.model.billing
        if billing is None:
            return None
        return resolved(self.path.parent / (billing.register_file or DEFAULT_REGISTER))

    @property
    def register_display(self) -> str:
        return display_path(self.register_file) if self.register_file is not None else ""

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


DEFAULT_REGISTER = "../data/register.csv"  # beside the population file, as `init` lays a project out


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
