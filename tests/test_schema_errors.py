"""Every constraint of alliance.yaml's schema, broken one at a time: one plain line each, naming the field as written.

The bad values are made from the models' own metadata (each field's kind, bounds, lengths, choices and pattern, and
the members of a union), walked over a config that holds every model, so a field is covered as soon as it is added.
Then the slips users and an attacker met, each with the exact line it gets.
"""

from __future__ import annotations

import copy
import re
import types
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Annotated, Any, Literal, Union, get_args, get_origin

import pytest
import yaml
from pydantic import BaseModel, BeforeValidator, Discriminator, Tag
from pydantic.fields import FieldInfo
from typer.testing import CliRunner

from costshare.cli import app
from costshare.io.schema import AllianceConfig, FikModel

from .conftest import CODES

runner = CliRunner()

# A config that holds every model of the schema: a yearly, a one-off, a stepped and a flat rate item, P/L rates,
# members by code, name and mapping, a sender with a bank account, billing with VAT and a member's details, and a
# year's actual cost item by item.
BASE = """\
alliance: Prøvealliancen
currency: DKK
locale: da_DK
agreement:
  start: 2023-07-01
  end: 2028-06-30
  note: Slutdatoen er antaget.
costs:
  - label: Sekretariat
    yearly: 730000
    indexed: true
    from: 2023-07-01
    to: 2028-06-30
    key: population
    cap: 100000
  - label: Analyse
    one_off: 50000
    year: 2024
    key: {blend: {equal: 30, timer: 70}}
  - label: Kontingent
    per_inhabitant: [{up_to: 50000, rate: 2}, {rate: 1}]
    base: 1000
    max_inhabitants: 80000
  - label: Drift
    per_inhabitant: 0.5
indexation:
  base_year: 2023
  rates: {2024: 3.1, 2025: 2.6, 2026: 2.5, 2027: 2.4, 2028: 2.3}
population:
  file: population.csv
  source: Danmarks Statistik, FOLK1A
  basis: fixed
  year: 2023
  region: "085"
members: [253, 259, 265, 269, 306, 316, 320, 326, 329, 330, 336, Sorø, 350, 360, 370, 376, {municipality: 390, joins: 2024-01-01}]
rounding:
  unit: 1
notes:
  - Region Sjælland bidrager selv.
sender:
  name: KKR Sjælland
  address: [Alléen 15, 4180 Sorø]
  cvr: "12345674"
  legal_name: Sorø Kommune
  ean: "5798000000100"
  contact: sekretariat@example.dk
  bank: {registration: "1234", account: "0012345678"}
billing:
  payment_terms_days: 30
  instalments: 4
  prefix: KS
  vat: {category: S, percent: 25}
  members:
    340: {ean: "5798000000001", cvr: "29188602", reference: Att. Økonomi, order: {2026: "17"}, account: 1.2.3.4, name: Sorø Kommune}
actuals:
  2024: {Sekretariat: 742000, Analyse: 50000.50, Kontingent: 100000, Drift: 20000}
weights:
  timer: timer.csv
"""

# Models the base cannot hold beside another (a sender is paid by bank or by FI card, not both), as a config writes
# them; each is put in its place for the cases of its own fields.
EXAMPLES: dict[type[BaseModel], dict[str, Any]] = {FikModel: {"creditor": "87654321"}}

# pydantic's words, which no line a user reads may hold
PYDANTIC_WORDS = ("function-after", "function-before", "function-wrap", "constrained-str", "validator", " at 0x", "Model",
                  "Input should", "[type=", "list[", "dict[", "[key]", "Field required", "Value error", "Extra inputs",
                  "pydantic", "functools", "partial(", "union_tag", "literal_error", "tagged-union", "err_")  # fmt: skip

# A value of each kind YAML holds, wrong wherever the schema does not take that kind.
WRONG_KIND: dict[str, Any] = {"bool": True, "number": 5, "text": "abc", "list": ["x"], "mapping": {"x": 1}}

Path_ = tuple[Any, ...]
Edits = list[tuple[Path_, Any]]


def dotted(path: Path_) -> str:
    """A place as the user reads it: costs[0].key.blend.equal, actuals[2024], actuals.true."""
    text = ""
    for part in path:
        if isinstance(part, int) and not isinstance(part, bool):
            text += f"[{part}]"
        else:
            written = str(part).lower() if isinstance(part, bool) else str(part)
            text += f".{written}" if text else written
    return text


# ---- what the models say of a value


@dataclass(frozen=True)
class Node:
    """A type as the schema gives it: the type itself (or its members, for a union) and what constrains it."""

    base: Any
    members: tuple[Any, ...] = ()
    constraints: tuple[Any, ...] = ()
    converted: bool = False  # a validator runs before the type's own check, so it may take other kinds

    @property
    def model(self) -> type[BaseModel] | None:
        return self.base if isinstance(self.base, type) and issubclass(self.base, BaseModel) else None

    def bound(self, name: str) -> Any:
        return next((getattr(item, name) for item in self.constraints if getattr(item, name, None) is not None), None)


def node(annotation: Any) -> Node:
    """The type under Annotated and Optional, with every constraint met on the way (a FieldInfo's own included)."""
    constraints: list[Any] = []
    while True:
        if get_origin(annotation) is Annotated:
            annotation, *extra = get_args(annotation)
            for item in extra:
                constraints += [item, *item.metadata] if isinstance(item, FieldInfo) else [item]
            continue
        members = tuple(member for member in get_args(annotation) if member is not type(None))
        if get_origin(annotation) in (Union, types.UnionType) and len(members) == 1:
            annotation = members[0]
            continue
        converted = any(isinstance(item, BeforeValidator) for item in constraints)
        if get_origin(annotation) in (Union, types.UnionType):
            return Node(Union, members, tuple(constraints), converted)
        return Node(annotation, (), tuple(constraints), converted)


def full(info: FieldInfo) -> Any:
    """A field's type with the constraints pydantic keeps beside it."""
    return Annotated[info.annotation, *info.metadata] if info.metadata else info.annotation


def kinds(annotation: Any) -> set[str]:
    """The kinds of YAML value a type may take (a validator before a text or a model may take text or numbers too)."""
    found = node(annotation)
    if found.members:
        return set().union(*(kinds(member) for member in found.members))
    base, origin = found.base, get_origin(found.base)
    if origin is Literal:
        taken = {"bool" if isinstance(v, bool) else "number" if isinstance(v, int) else "text" for v in get_args(base)}
    elif base is bool:
        taken = {"bool"}
    elif base in (int, Decimal):
        taken = {"number"}
    elif base in (str, date):
        taken = {"text"}
    elif origin is list:
        taken = {"list"}
    else:
        assert origin is dict or found.model is not None, f"a type the walk does not know: {base!r}"
        taken = {"mapping"}
    return taken | ({"text", "number"} if found.converted and (base is str or found.model is not None) else set())


def kind_of(value: Any) -> str:
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, (int, float, Decimal)):
        return "number"
    return "list" if isinstance(value, list) else "mapping" if isinstance(value, dict) else "text"


# ---- the cases


@dataclass
class Case:
    """One bad value: the edits that put it in the base config, and the place the line must name."""

    name: str
    edits: Edits
    subject: str


DELETE = object()


@dataclass
class Walk:
    """The base config walked with the schema: a case for each constraint of every field, each constraint once."""

    examples: dict[Any, Any] = field(default_factory=dict)  # a model → its data in the base, for lists of it
    cases: dict[str, Case] = field(default_factory=dict)
    finding: bool = False  # the first walk, which only finds the examples

    def add(self, where: str, what: str, edits: Edits, subject: Path_) -> None:
        name = f"{where}:{what}"
        self.cases.setdefault(name, Case(name, edits, dotted(subject)))

    def example(self, annotation: Any) -> Any:
        model = node(annotation).model
        found = self.examples.get(model) or EXAMPLES.get(model) if model is not None else None
        if found is None and not self.finding:
            raise AssertionError(f"BASE holds no value of {annotation!r} to copy: add one")
        return found

    def value(self, where: str, path: Path_, annotation: Any, current: Any, before: Edits) -> None:
        """The cases of one value: its kind, then each constraint (of each member, for a union); then what it holds."""
        found = node(annotation)
        for kind, wrong in WRONG_KIND.items():
            if kind not in kinds(annotation):
                self.add(where, f"kind {kind}", [*before, (path, wrong)], path)
        for index, member in enumerate(found.members or (annotation,)):
            self.constraints(f"{where}|{index}", path, node(member), current, before)
        if current is not None:
            member = next((m for m in found.members if kind_of(current) in kinds(m)), None) if found.members else annotation
            self.inside(where, path, node(member), current, before)

    def constraints(self, where: str, path: Path_, found: Node, current: Any, before: Edits) -> None:
        bad = {
            "ge": lambda limit: limit - 1,
            "gt": lambda limit: limit,
            "le": lambda limit: limit + 1,
            "lt": lambda limit: limit,
            "min_length": lambda limit: self.sized(found, current, limit - 1),
            "max_length": lambda limit: self.sized(found, current, limit + 1),
            "pattern": lambda pattern: next(text for text in ("abc", "ABCD", "x") if not re.search(pattern, text)),
        }
        for name, make in bad.items():
            limit = found.bound(name)
            if limit is not None:
                self.add(where, name, [*before, (path, make(limit))], path)
        if get_origin(found.base) is Literal:
            choices = get_args(found.base)
            outside = max(choices) + 1 if isinstance(choices[0], int) else "zz"
            self.add(where, "choices", [*before, (path, outside)], path)

    def sized(self, found: Node, current: Any, size: int) -> Any:
        """A list, mapping or text of `size` valid parts."""
        origin = get_origin(found.base)
        if origin is list:
            item = current[0] if isinstance(current, list) and current else self.example(get_args(found.base)[0])
            return [copy.deepcopy(item) for _ in range(size)]
        if origin is dict:
            key_type, value_type = get_args(found.base)
            value = next(iter(current.values())) if isinstance(current, dict) and current else self.example(value_type)
            low = node(key_type).bound("ge") or 1
            keys = [f"k{i}" for i in range(size)] if "text" in kinds(key_type) else [low + i for i in range(size)]
            return {key: copy.deepcopy(value) for key in keys}
        return "x" * size

    def inside(self, where: str, path: Path_, found: Node, current: Any, before: Edits) -> None:
        """The cases of what a model, list or mapping holds."""
        if found.model is not None and isinstance(current, dict):
            self.fields(found.model, path, current, before)
        elif get_origin(found.base) is list and isinstance(current, list):
            for index, item in enumerate(current):
                self.value(f"{where}[]", (*path, index), get_args(found.base)[0], item, before)
        elif get_origin(found.base) is dict and isinstance(current, dict) and current:
            key_type, value_type = get_args(found.base)
            self.keys(where, path, key_type, current, before)
            for key, item in current.items():
                self.value(f"{where}{{}}", (*path, key), value_type, item, before)

    def keys(self, where: str, path: Path_, key_type: Any, current: dict[Any, Any], before: Edits) -> None:
        """The cases of a mapping's keys: a key of a kind the mapping does not take, or outside its bounds."""
        wrong_keys = [(f"key kind {kind}", WRONG_KIND[kind]) for kind in ("bool", "number", "text") if kind not in kinds(key_type)]
        low, high = node(key_type).bound("ge"), node(key_type).bound("le")
        wrong_keys += [("key ge", low - 1)] if low is not None else []
        wrong_keys += [("key le", high + 1)] if high is not None else []
        first = next(iter(current.values()))
        for what, wrong in wrong_keys:
            self.add(where, what, [*before, (path, {**current, wrong: copy.deepcopy(first)})], (*path, wrong))

    def fields(self, model: type[BaseModel], path: Path_, current: dict[str, Any], before: Edits) -> None:
        """The cases of a model: a key it does not know, each required field left out, and each field's value."""
        self.examples.setdefault(model, current)
        self.add(model.__name__, "unknown key", [*before, ((*path, "zz"), 1)], (*path, "zz"))
        for name, info in model.model_fields.items():
            written = info.alias or name
            where, at = f"{model.__name__}.{name}", (*path, written)
            if info.is_required():
                self.add(where, "missing", [*before, (at, DELETE)], at)
            value, inner = current.get(written), node(full(info)).model
            if value is None and inner in EXAMPLES:  # the example put in, for the cases of its fields
                value = EXAMPLES[inner]
                self.value(where, at, full(info), value, [*before, (at, value)])
            else:
                self.value(where, at, full(info), value, before)


def types_in(annotation: Any) -> list[Any]:
    """Every type an annotation names, itself included, however deep."""
    return [annotation, *(inner for argument in get_args(annotation) for inner in types_in(argument))]


def schema_models(model: type[BaseModel], seen: set[type[BaseModel]]) -> set[type[BaseModel]]:
    """Every model the schema reaches from `model`."""
    seen.add(model)
    for info in model.model_fields.values():
        for inner in types_in(info.annotation):
            if isinstance(inner, type) and issubclass(inner, BaseModel) and inner not in seen:
                schema_models(inner, seen)
    return seen


def the_cases() -> list[Case]:
    finding = Walk(finding=True)  # the first walk finds each model's data, which the second copies where it needs
    finding.fields(AllianceConfig, (), yaml.safe_load(BASE), [])
    walk = Walk(examples=finding.examples)
    walk.fields(AllianceConfig, (), yaml.safe_load(BASE), [])
    missing = schema_models(AllianceConfig, set()) - set(walk.examples)
    assert not missing, f"BASE (or EXAMPLES) must hold every model: add {missing}"
    return list(walk.cases.values())


CASES = the_cases()


def edited(edits: Edits) -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(BASE)
    for path, value in edits:
        parent = data
        for part in path[:-1]:
            parent = parent[part]
        if value is DELETE:
            del parent[path[-1]]
        else:
            parent[path[-1]] = copy.deepcopy(value)
    return data


@pytest.fixture
def base(workspace):
    rows = [f"{year},{code},{10 + i}" for year in range(2023, 2029) for i, code in enumerate(CODES)]
    (workspace.root / "timer.csv").write_text("\n".join(["year,code,value", *rows]) + "\n", encoding="utf-8")
    return workspace


def test_the_base_config_is_valid_and_every_kind_of_constraint_has_its_cases(base):
    base.write_config(BASE)
    result = runner.invoke(app, ["validate", "-c", "alliance.yaml"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    made = {case.name.split(":")[-1] for case in CASES}
    wanted = {"unknown key", "missing", "ge", "gt", "le", "min_length", "max_length", "pattern", "choices", "key ge", "key le"}
    assert wanted | {f"kind {kind}" for kind in WRONG_KIND} | {"key kind bool", "key kind text"} <= made


def unions_in(annotation: Any) -> list[Node]:
    """Every union an annotation holds, as node() reads it (with the Discriminator that wraps it)."""
    found = node(annotation)
    inner = found.members or get_args(found.base)
    return ([found] if found.members else []) + [union for member in inner for union in unions_in(member)]


def test_every_union_chooses_its_member_by_the_value_s_form():
    """pydantic reports a union without a Discriminator once per member; a tagged union only by the member chosen."""
    unions = [(model, name, union) for model in schema_models(AllianceConfig, set()) for name, info in model.model_fields.items()
              for union in unions_in(full(info))]  # fmt: skip
    assert len(unions) >= 2
    for model, name, union in unions:
        assert any(isinstance(item, Discriminator) for item in union.constraints), f"{model.__name__}.{name}"
        assert all(any(isinstance(item, Tag) for item in get_args(member)[1:]) for member in union.members), f"{model.__name__}.{name}"


# Each case runs in one of the two languages, in turn: the catalogs share their ids, so each is read by every kind
# of case without running every case twice.
@pytest.mark.parametrize(("case", "lang"), [(case, ("da", "en")[i % 2]) for i, case in enumerate(CASES)], ids=[c.name for c in CASES])
def test_each_bad_value_is_one_plain_line_naming_its_field(base, case, lang):
    base.config.write_text(yaml.safe_dump(edited(case.edits), allow_unicode=True, sort_keys=False), encoding="utf-8")
    result = runner.invoke(app, ["validate", "-c", "alliance.yaml", "--lang", lang])
    assert result.exit_code == 1, result.output
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    said = re.fullmatch(rf"{'fejl' if lang == 'da' else 'error'}: alliance\.yaml(?::[0-9]+)?: (\S+): (.+)", lines[0])
    assert said is not None, lines[0]
    assert said[1] == case.subject or said[1].startswith((case.subject + ".", case.subject + "[")), lines[0]
    assert not [word for word in PYDANTIC_WORDS if word in lines[0]], lines[0]


# ---- the slips met, each with its line


def failing(*args: str) -> list[str]:
    result = runner.invoke(app, ["validate", "-c", "alliance.yaml", *args])
    assert result.exit_code == 1, result.output
    return result.stderr.splitlines()


KEY_FORM = "skal være en fordelingsnøgles navn (population, equal eller et navn under weights) eller blend med en procent pr. nøgle"
RATE_FORM = "skal være en sats pr. indbygger eller en liste af trin med up_to og rate"
STEPS_21 = "[" + ", ".join(f"{{up_to: {100 * step}, rate: 1}}" for step in range(1, 21)) + ", {rate: 1}]"


@pytest.mark.parametrize(
    ("item", "line"),
    [
        ("yearly: 730000\n    key: {blend: {equal: -30, population: 70}}", "8: costs[0].key.blend.equal: skal være større end 0"),
        ("yearly: 730000\n    key: {blend: {equal: true, population: 70}}", "8: costs[0].key.blend.equal: True er ikke et beløb"),
        ("yearly: 730000\n    key: 5", f"8: costs[0].key: {KEY_FORM}"),
        ("yearly: 730000\n    key: [a]", f"8: costs[0].key: {KEY_FORM}"),
        ("per_inhabitant: " + STEPS_21, "7: costs[0].per_inhabitant: må højst have 20"),
        ("per_inhabitant: -5", "7: costs[0].per_inhabitant: skal være mindst 0"),
        ("per_inhabitant: [{rate: -1}]", "7: costs[0].per_inhabitant[0].rate: skal være mindst 0"),
        ("per_inhabitant: 0,5", """7: costs[0].per_inhabitant: '0,5' er ikke et beløb (tip: i YAML er decimaltegnet ".", ikke ",": skriv 0.5)"""),
        ("per_inhabitant: abc", "7: costs[0].per_inhabitant: 'abc' er ikke et beløb"),
        ("per_inhabitant: []", "7: costs[0].per_inhabitant: skal have mindst 1"),
        ("per_inhabitant: {rate: 5}", f"7: costs[0].per_inhabitant: {RATE_FORM}"),
        ("per_inhabitant: 5\n    max_inhabitants: 0", "8: costs[0].max_inhabitants: skal være større end 0"),
        ("per_inhabitant: 1000001", "7: costs[0].per_inhabitant: må højst være 1.000.000"),
    ],
    ids=["blend-negative", "blend-true", "key-number", "key-list", "steps-21", "rate-negative", "step-negative",
         "rate-decimal-comma", "rate-word", "rate-empty-list", "rate-mapping", "max-inhabitants-0", "rate-too-high"],
)  # fmt: skip
def test_a_cost_item_s_bad_value_is_one_plain_line(workspace, item, line):
    workspace.replace_in_config("yearly: 730000", item)
    assert failing() == [f"fejl: alliance.yaml:{line}"]


@pytest.mark.parametrize(
    ("billing", "line"),
    [
        ("instalments: true", "billing.instalments: skal være et helt tal (tip: skriv 1, 2, 4 eller 12)"),
        ("instalments: 4.000", "billing.instalments: skal være et helt tal (tip: skriv 1, 2, 4 eller 12)"),
        ("instalments: 3", "billing.instalments: skal være en af 1, 2, 4 eller 12"),
        ("payment_terms_days: 30.000", "billing.payment_terms_days: skal være et helt tal (tip: skriv et helt tal fra 0 til 365)"),
        ("payment_terms_days: true", "billing.payment_terms_days: skal være et helt tal (tip: skriv et helt tal fra 0 til 365)"),
    ],
    ids=["instalments-true", "instalments-thousands-dot", "instalments-3", "terms-thousands-dot", "terms-true"],
)
def test_a_count_is_a_whole_number_and_its_hint_stays_in_its_range(workspace, billing, line):
    """`instalments: true` was read as 1 instalment and `4.000` as 4; `payment_terms_days: 30.000` was told to write
    30000, which the range 0–365 refuses."""
    workspace.replace_in_config("  - Region Sjælland bidrager selv.\n", f"  - Region Sjælland bidrager selv.\nbilling:\n  {billing}\n")
    assert failing() == [f"fejl: alliance.yaml:18: {line}"]


def test_a_count_s_thousands_dot_hint_stays_where_the_digits_are_in_range(workspace):
    workspace.replace_in_config("yearly: 730000", "per_inhabitant: [{up_to: 50.000, rate: 2}, {rate: 1}]")
    assert failing() == [
        "fejl: alliance.yaml:7: costs[0].per_inhabitant[0].up_to: skal være et helt tal (tip: skriv 50000 uden tusindtalsprikker)"
    ]


@pytest.mark.parametrize(
    ("item", "line"),
    [
        ("per_inhabitant: 5\n    max_inhabitants: 0", "8: costs[0].max_inhabitants: must be more than 0"),
        ("yearly: 730000\n    key: 5",
         "8: costs[0].key: must be a key's name (population, equal or a name under weights) or blend with a percent per key"),
        ("per_inhabitant: 0,5", """7: costs[0].per_inhabitant: '0,5' is not an amount (hint: in YAML the decimal mark is ".", not ",": write 0.5)"""),
    ],
    ids=["more-than", "key-form", "decimal-comma"],
)  # fmt: skip
def test_the_same_in_english(workspace, item, line):
    workspace.replace_in_config("yearly: 730000", item)
    assert failing("--lang", "en") == [f"error: alliance.yaml:{line}"]


def test_a_mapping_s_refused_key_is_named_as_written(workspace):
    """pydantic names the key `true` by its place (1) and adds `[key]`; the user wrote `true`."""
    workspace.replace_in_config("  - Region Sjælland bidrager selv.\n", "  - Region Sjælland bidrager selv.\nactuals: {true: 5}\n")
    assert failing() == ["fejl: alliance.yaml:17: actuals.true: skal være et helt tal"]


def test_a_misspelt_key_inside_a_blend_is_met_with_the_right_name(workspace):
    workspace.replace_in_config("yearly: 730000", "yearly: 730000\n    key: {blend: {equal: 30, population: 70}, blnd: 1}")
    assert failing() == ["fejl: alliance.yaml:8: costs[0].key.blnd: ukendt nøgle (tip: mente du blend?)"]
