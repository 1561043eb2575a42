"""The kinds of cost item are a closed set: each kind has an example here and the config's way to write it, each is
handled wherever the code tells kinds apart, and something of no known kind is refused there rather than taken for
a yearly item."""

from __future__ import annotations

import inspect
import json
from collections.abc import Callable
from fractions import Fraction
from typing import Any, get_args

import pytest
from typer.testing import CliRunner

import costshare
from costshare.cli import app
from costshare.core.allocate import shared_items
from costshare.core.items import CostItem, ItemCost, OneOffItem, RateItem, YearlyItem, indexed_spans, is_shared, paid_per_member
from costshare.core.periods import Period
from costshare.documents import items as documented
from costshare.io.config import load_config
from costshare.io.items import KINDS

P = Fraction
EQUAL = (("equal", P(100)),)
# one of each kind, as the config below gives it: minor units, rates in øre per inhabitant
EXAMPLES: dict[type, CostItem] = {
    YearlyItem: YearlyItem("Årsværk", 730000_00, key=EQUAL, cap=60000_00),
    OneOffItem: OneOffItem("Analyse", 150000_00, 2024, key=EQUAL),
    RateItem: RateItem("Kontingent", ((40000, P(250)), (None, P(125))), base=5000_00),
}
WRITTEN = {
    YearlyItem: "  - label: Årsværk\n    yearly: 730000\n    key: equal\n    cap: 60000\n",
    OneOffItem: "  - label: Analyse\n    one_off: 150000\n    year: 2024\n    key: equal\n",
    RateItem: "  - label: Kontingent\n    per_inhabitant: [{up_to: 40000, rate: 2.5}, {rate: 1.25}]\n    base: 5000\n",
}
YEAR_2024 = Period(2024, 1, 12)


class Stranger:
    """Something with an item's label that is no kind of cost item."""

    label, kind, indexed, by_population, key, cap = "Fremmed", "stranger", False, False, EQUAL, None


def test_every_kind_has_an_example_and_a_way_to_be_written():
    assert set(EXAMPLES) == set(get_args(CostItem)) == set(WRITTEN)
    assert sorted(kind.kind for kind in get_args(CostItem)) == sorted(KINDS)  # the field the config names each kind by


@pytest.fixture
def every_kind(workspace):
    workspace.replace_in_config("  - label: KKR Sjællands årsværk (Gate21)\n    yearly: 730000\n", "".join(WRITTEN.values()))
    return workspace


def test_the_config_makes_each_kind_from_its_own_fields(every_kind):
    assert load_config(every_kind.config).cost_items == tuple(EXAMPLES.values())


def dispatchers(view) -> dict[str, Callable[[Any], Any]]:
    """Every place that tells kinds apart by their class, as a function of one item."""
    return {
        "json": documented.item_record,
        "listed amount": documented.listed_amount,
        "listed text": lambda item: documented.listed_text(view, item, "en"),
        "key text": lambda item: documented.item_key_text(view, item, "en"),
        "explain": lambda item: documented.item_line(
            view, view.periods[1], ItemCost(item, 12, P(1), P(0), 0), "en", lambda minor, *_: str(minor)
        ),
    }


@pytest.mark.parametrize("kind", list(EXAMPLES), ids=lambda kind: kind.__name__)
def test_each_kind_is_handled_wherever_kinds_are_told_apart(every_kind, kind):
    item = EXAMPLES[kind]
    view = costshare.compute(every_kind.config).view
    results = {name: dispatch(item) for name, dispatch in dispatchers(view).items()}
    assert results["json"]["kind"] == item.kind and results["json"]["label"] == item.label
    assert results["listed amount"] == {YearlyItem: (730000_00, None), OneOffItem: (150000_00, 2024), RateItem: (0, None)}[kind]
    assert results["explain"].startswith(item.label)
    cost = item.cost_in(YEAR_2024, 100)
    assert cost is not None
    assert [found for _, found in shared_items((cost,))] == ([] if kind is RateItem else [item])
    assert (is_shared(item), paid_per_member(item)) == ((False, True) if kind is RateItem else (True, False))
    assert indexed_spans((item,)) == {}


def test_every_function_that_says_something_of_any_item_is_among_them():
    """What the documents say of an item of any kind is said by documents/items.py, and each such function is
    tried on every kind above: one taking any kind that is not among the dispatchers fails here."""
    taking_any_kind = {
        name
        for name, function in inspect.getmembers(documented, inspect.isfunction)
        if function.__module__ == documented.__name__
        and not name.startswith("_")
        and {"CostItem", "ItemCost"} & {str(parameter.annotation) for parameter in inspect.signature(function).parameters.values()}
    }
    assert taking_any_kind == {"item_record", "listed_amount", "listed_text", "item_key_text", "item_line"}


@pytest.mark.parametrize("name", ["json", "listed amount", "listed text", "key text", "explain"])
def test_no_known_kind_is_refused_where_kinds_are_told_apart(every_kind, name):
    view = costshare.compute(every_kind.config).view
    with pytest.raises(AssertionError):
        dispatchers(view)[name](Stranger())


def test_every_kind_runs_through_the_commands(every_kind):
    runner = CliRunner()
    config = ["-c", str(every_kind.config), "--lang", "en"]
    document = json.loads(runner.invoke(app, ["export", "-", "--format", "json", *config], catch_exceptions=False).stdout)
    assert [item["kind"] for item in document["costs"]] == ["yearly", "one_off", "per_inhabitant"]
    (period,) = [period for period in document["periods"] if period["year"] == 2024]
    assert [item["label"] for item in period["items"]] == ["Årsværk", "Analyse", "Kontingent"]
    for command in (["validate"], ["explain", "340"], ["statement", "340"], ["table"]):
        result = runner.invoke(app, [*command, *config], catch_exceptions=False)
        assert result.exit_code == 0, result.output
