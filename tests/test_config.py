"""alliance.yaml: the shipped config loads; every kind of mistake is named with file, line and field."""

from decimal import Decimal

import pytest

from costshare.core.errors import ConfigError
from costshare.core.items import YearlyItem
from costshare.io.config import load_config

from .conftest import english


def problems(path) -> list[str]:
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    return english(caught.value)


def test_the_test_config_loads_with_exact_amounts(workspace):
    config = load_config(workspace.config)
    assert config.model.costs[0].yearly == Decimal("730000")
    item = config.cost_items[0]
    assert isinstance(item, YearlyItem) and item.yearly == 73000000
    assert config.unit == 100
    assert config.model.currency == "DKK" and config.model.locale is None
    assert config.population_file == workspace.population
    assert len(config.sha256) == 64


def test_the_shipped_config_has_no_members_and_a_fixed_2023_key():
    from costshare.io.config import packaged_config

    config = load_config(packaged_config())
    assert config.member_entries is None
    assert config.model.population.basis == "fixed" and config.model.population.year == 2023
    assert config.model.population.region == "085"
    assert config.population_file.is_file()


AMOUNT_HINT = "(hint: write the amount per full year in kroner without thousands separators, e.g. 730000)"
DATE_HINT = "(hint: write dates as YYYY-MM-DD, e.g. 2023-07-01)"
THOUSANDS_HINT = '(hint: in YAML "." is a decimal point, not a thousands separator: write 730000 for 730.000 kr.)'

# (edits to the test config, the exact lines expected). A line ending in "…" is a prefix: what follows
# it is pydantic's own wording, which a later change replaces with ours.
MISTAKES = {
    "thousands-dot": (
        [("yearly: 730000", "yearly: 730.000")],
        ["alliance.yaml:7: costs[0].yearly: 730.000 has more decimals than rounding unit 1 allows " + THOUSANDS_HINT],
    ),
    "ore-with-unit-1": (
        [("yearly: 730000", "yearly: 1234.50")],
        ["alliance.yaml:7: costs[0].yearly: 1234.50 has more decimals than rounding unit 1 allows …"],
    ),
    "decimal-comma": (
        [("yearly: 730000", "yearly: 730.000,00")],
        ["alliance.yaml:7: costs[0].yearly: '730.000,00' is not an amount " + AMOUNT_HINT],
    ),
    "negative": ([("yearly: 730000", "yearly: -5")], ["alliance.yaml:7: costs[0].yearly: must not be negative, got -5 " + AMOUNT_HINT]),
    "infinite": ([("yearly: 730000", "yearly: .inf")], ["alliance.yaml:7: costs[0].yearly: '.inf' is not an amount " + AMOUNT_HINT]),
    "unknown-key": (
        [("  basis: fixed", "  basis: fixed\n  yeer: 2023")],
        ["alliance.yaml:12: population.yeer: unknown key (hint: did you mean year?)"],
    ),
    "wrong-type": ([("  year: 2023", "  year: [2023]")], ["alliance.yaml:12: population.year: …"]),
    "off-month-boundaries": (
        [("start: 2023-07-01", "start: 2023-07-02"), ("end: 2028-06-30", "end: 2028-06-29")],
        [
            "alliance.yaml:3: agreement.start: 2023-07-02 is not the first day of a month " + DATE_HINT,
            "alliance.yaml:4: agreement.end: 2028-06-29 is not the last day of a month " + DATE_HINT,
        ],
    ),
    "end-before-start": (
        [("end: 2028-06-30", "end: 2022-12-31")],
        ["alliance.yaml:4: agreement.end: 2022-12-31 is before start 2023-07-01"],
    ),
    "impossible-date": ([("start: 2023-07-01", "start: 2023-02-30")], ["alliance.yaml:3: agreement.start: …"]),
    "danish-date-order": ([("start: 2023-07-01", "start: 01-07-2023")], ["alliance.yaml:3: agreement.start: …"]),
    "unknown-unit": ([("unit: 1", "unit: 5")], ["alliance.yaml:14: rounding.unit: must be one of 0.01, 1, 10, 100 or 1000, got 5"]),
    "fixed-without-year": (
        [("  year: 2023\n", "")],
        ["alliance.yaml:8: population: population.year is required when basis is fixed (hint: e.g. year: 2023)"],
    ),
    "member-not-a-code": (
        [("rounding:", "members: [340, 3400]\nrounding:")],
        ["alliance.yaml:13: members[1].municipality: expected a municipality code of 1–3 digits such as 340, got 3400"],
    ),
    "yaml-syntax": ([("costs:\n", "costs:\n  - label: [unclosed\n")], ["alliance.yaml:7: invalid YAML: …"]),
    "unsafe-tag": (
        [("alliance: Sjællands Klimaalliance", "alliance: !!python/object/apply:os.system ['echo hacked']")],
        [
            "alliance.yaml:1: YAML tag 'tag:yaml.org,2002:python/object/apply:os.system' is not allowed "
            "(hint: costshare reads YAML safely: plain values, lists and mappings only)"
        ],
    ),
    "duplicate-key": (
        [("rounding:\n  unit: 1", "rounding:\n  unit: 1\n  unit: 10")],
        ["alliance.yaml:15: rounding.unit: key appears more than once"],
    ),
}


@pytest.mark.parametrize(("edits", "expected"), MISTAKES.values(), ids=MISTAKES.keys())
def test_each_mistake_is_named_with_file_line_and_field(workspace, edits, expected):
    for old, new in edits:
        workspace.replace_in_config(old, new)
    lines = problems(workspace.config)
    assert len(lines) == len(expected)
    for line, wanted in zip(lines, expected, strict=True):
        if wanted.endswith("…"):
            assert line.startswith(wanted.removesuffix("…")), line
        else:
            assert line == wanted
    if any(old.startswith("start:") for old, _ in edits):
        assert lines[0].endswith(DATE_HINT)


def test_ore_amounts_are_allowed_with_unit_001(workspace):
    workspace.replace_in_config("yearly: 730000", "yearly: 1234.50")
    workspace.replace_in_config("unit: 1", "unit: 0.01")
    config = load_config(workspace.config)
    item = config.cost_items[0]
    assert isinstance(item, YearlyItem) and item.yearly == 123450
    assert config.unit == 1


def test_missing_fields_are_all_reported(workspace):
    workspace.write_config("alliance: X\npopulation:\n  year: 2023\n")
    assert problems(workspace.config) == [
        "alliance.yaml: agreement: required field is missing",
        "alliance.yaml: costs: required field is missing",
        "alliance.yaml:2: population.file: required field is missing",
    ]


def test_region_code_is_normalised(workspace):
    workspace.replace_in_config("  year: 2023\n", "  year: 2023\n  region: 085\n")
    assert load_config(workspace.config).model.population.region == "085"


def test_member_codes_are_normalised(workspace):
    workspace.replace_in_config("rounding:", "members: [340, 85, '330']\nrounding:")
    entries = load_config(workspace.config).member_entries
    assert entries is not None and [m.municipality for m in entries] == ["340", "085", "330"]


def test_empty_file_and_non_mapping(workspace):
    workspace.write_config("")
    assert problems(workspace.config) == ["alliance.yaml: the file is empty (hint: start from the shipped config/alliance.yaml)"]
    workspace.write_config("- just\n- a list\n")
    assert problems(workspace.config) == ["alliance.yaml:1: expected a mapping of keys such as alliance:, agreement:, costs:"]


def test_missing_and_non_utf8_files(workspace):
    assert problems(workspace.root / "nope.yaml") == [
        f"nope.yaml: file not found (hint: costshare looked for {workspace.root / 'nope.yaml'}"
        "; without --config or COSTSHARE_CONFIG it uses ./config/alliance.yaml, else the copy shipped with costshare, and costshare init writes one to edit)"
    ]
    workspace.config.write_bytes("alliance: Sorø\n".encode("latin-1"))
    assert problems(workspace.config) == ["alliance.yaml:1: not UTF-8 text (hint: save the file as UTF-8)"]


def test_bom_is_accepted(workspace):
    workspace.config.write_bytes(b"\xef\xbb\xbf" + workspace.config.read_bytes())
    assert load_config(workspace.config).model.alliance == "Sjællands Klimaalliance"


def test_complex_key_is_refused(workspace):
    workspace.write_config("alliance: x\n? [a, b]\n: 1\n")
    assert problems(workspace.config) == ["alliance.yaml:2: top level: keys must be plain words"]
