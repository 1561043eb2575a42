"""The config's checks that span fields: every problem at once, each with its line, in the config's order; and
which fields make which kind of cost item, one check at a time."""

from __future__ import annotations

import pytest

from costshare.core.errors import ConfigError
from costshare.io.config import load_config

from .conftest import english

MANY_MISTAKES = """\
alliance: A
agreement:
  start: 2023-07-01
  end: 2028-06-30
weights:
  population: population.csv
costs:
  - label: Tidlig
    yearly: 1000.5
    from: 2023-01-01
    to: 2022-12-31
  - label: Sen
    yearly: 1000
    from: 2029-01-01
    indexed: true
  - label: Analyse
    one_off: 1500
    year: 2030
  - label: Blandet
    yearly: 1000
    key: {blend: {equal: 30, busser: 60}}
population:
  file: population.csv
  basis: previous
  year: 2023
members:
  - municipality: 340
    leaves: 2023-07-01
actuals:
  2030: 100
"""

RUNS = "but the agreement runs 2023-07-01 – 2028-06-30"


def problems(path) -> list[str]:
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    return english(caught.value)


def test_every_cross_field_problem_is_named_at_once_in_the_configs_order(workspace):
    path = workspace.write_config(MANY_MISTAKES)
    assert problems(path) == [
        "alliance.yaml:9: costs[0].yearly: 1000.5 has more decimals than rounding unit 1 allows (hint: for amounts in øre, set rounding.unit: 0.01)",
        f"alliance.yaml:11: costs[0].to: the item never costs anything: it ends 2022-12-31, {RUNS}",
        "alliance.yaml:10: costs[0].from: 2023-01-01 is before the agreement starts (2023-07-01)",
        "alliance.yaml:11: costs[0].to: 2022-12-31 is before from (2023-01-01)",
        f"alliance.yaml:14: costs[1].from: the item never costs anything: it starts 2029-01-01, {RUNS}",
        "alliance.yaml:15: costs[1].indexed: an indexed item needs indexation: base_year and rates (hint: add indexation with base_year and rates; see docs/method.md, P/L indexation)",
        "alliance.yaml:18: costs[2].year: 2030 is not a budget year of the agreement (2023–2028)",
        f"alliance.yaml:28: members[0].leaves: the member never pays: it leaves 2023-07-01, {RUNS}",
        "alliance.yaml:30: actuals[2030]: 2030 is not a budget year of the agreement (2023–2028)",
        "alliance.yaml:25: population.year: population.year is used only with basis fixed, not previous (hint: remove it)",
        "alliance.yaml:6: weights.population: population is a built-in key and cannot name a weights file",
        "alliance.yaml:21: costs[3].key: there is no key busser (hint: use equal or population)",
        "alliance.yaml:21: costs[3].key: the blend's percents add up to 90, not 100",
    ]


def test_an_agreement_ending_before_it_starts_stops_the_dated_checks_but_not_the_keys(workspace):
    text = MANY_MISTAKES.replace("end: 2028-06-30", "end: 2022-12-31")
    assert problems(workspace.write_config(text)) == [
        "alliance.yaml:4: agreement.end: 2022-12-31 is before start 2023-07-01",
        "alliance.yaml:6: weights.population: population is a built-in key and cannot name a weights file",
        "alliance.yaml:21: costs[3].key: there is no key busser (hint: use equal or population)",
        "alliance.yaml:21: costs[3].key: the blend's percents add up to 90, not 100",
    ]


KIND = "a cost item has exactly one of yearly, one_off or per_inhabitant"


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ("yearly: 1000\n    one_off: 1000\n    year: 2024", KIND),
        ("indexed: true", KIND),
        ("per_inhabitant: 8\n    key: equal\n    year: 2024", "key does not go with per_inhabitant"),
        ("per_inhabitant: 8\n    year: 2024", "year does not go with per_inhabitant"),
        ("per_inhabitant: [{up_to: 500, rate: 2}, {up_to: 400, rate: 1}, {rate: 0.5}]", "the steps need rising up_to, and the last step no up_to (it covers the rest)"),
        ("per_inhabitant: [{up_to: 500, rate: 2}, {up_to: 500, rate: 1}, {rate: 0.5}]", "the steps need rising up_to, and the last step no up_to (it covers the rest)"),
        ("per_inhabitant: [{rate: 2}, {up_to: 500, rate: 1}]", "the steps need rising up_to, and the last step no up_to (it covers the rest)"),
        ("yearly: 1000\n    base: 10\n    max_inhabitants: 5", "base goes only with per_inhabitant"),
        ("one_off: 1000\n    year: 2024\n    max_inhabitants: 5", "max_inhabitants goes only with per_inhabitant"),
        ("one_off: 1000\n    year: 2024\n    indexed: true\n    to: 2025-12-31", "a one_off item is charged whole in its year; indexed, to belong to yearly items"),
        ("one_off: 1000", "a one_off item needs year: the budget year it is charged in"),
        ("yearly: 1000\n    year: 2024", "year belongs to one_off items; a yearly item runs from/to dates"),
    ],
    ids=["two-kinds", "no-kind", "rate-key", "rate-year", "steps-falling", "steps-equal", "open-step-first", "base-on-yearly",
         "max-on-one-off", "one-off-span", "one-off-year", "year-on-yearly"],
)  # fmt: skip
def test_each_kind_takes_only_its_own_fields(workspace, fields, message):
    path = workspace.replace_in_config("    yearly: 730000", "    " + fields)
    assert problems(path) == [f"alliance.yaml:6: costs[0]: {message}"]
