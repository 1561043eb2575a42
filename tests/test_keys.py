"""Keys per cost item: equal shares, weights files, blends and caps, on the 17 Region Sjælland municipalities.

Expected figures are worked out here with Fraction arithmetic: each part of each item by its weights, the cap
round after round, then one largest-remainder split of the year on the members' exact sums (ties: the larger
exact share, then the lower code) — never with the product's functions."""

from __future__ import annotations

import json
import math
from datetime import date
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from costshare.cli import app
from costshare.core.allocate import allocate
from costshare.core.items import CostItem, RateItem, YearlyItem
from costshare.core.municipality import Municipality
from costshare.core.periods import budget_periods

from .conftest import CODES, REGION_2023

runner = CliRunner()
POPULATION = dict(zip(CODES, REGION_2023, strict=True))
HOURS = {code: Fraction(int(code) % 13 * 37 + 100) + Fraction(1, 2) for code in CODES}  # made-up timetable hours


def shares_by_key(cost: Fraction, key: dict[str, Fraction], values: dict[str, dict[str, Fraction]], months: dict[str, int],
                  codes: list[str]) -> dict[str, Fraction]:  # fmt: skip
    result = dict.fromkeys(codes, Fraction(0))
    for base, percent in key.items():
        weights = {code: values[base][code] * months[code] for code in codes}
        for code in codes:
            result[code] += cost * percent / 100 * weights[code] / sum(weights.values())
    return result


def item_exact(cost: int, key: dict[str, Fraction], cap: Fraction | None, values, months, rounds: list[int] | None = None):
    """The rule written out: share by key; whoever is over the cap pays it; share the rest again; repeat."""
    capped: set[str] = set()
    while True:
        free = [code for code in months if code not in capped]
        shares = shares_by_key(Fraction(cost) - (cap or 0) * len(capped), key, values, months, free)
        over = {code for code in free if cap is not None and shares[code] > cap}
        if not over:
            return {**shares, **dict.fromkeys(capped, cap)}
        capped |= over
        if rounds is not None:
            rounds.append(len(over))


def hamilton(total: int, exact: dict[str, Fraction], unit: int) -> dict[str, int]:
    quotas = {code: share / unit for code, share in exact.items()}
    amounts = {code: math.floor(quota) for code, quota in quotas.items()}
    queue = sorted(quotas, key=lambda code: (-(quotas[code] - amounts[code]), -exact[code], code))
    for code in queue[: total // unit - sum(amounts.values())]:
        amounts[code] += 1
    return {code: amount * unit for code, amount in amounts.items()}


def expected_year(items: list[tuple[int, dict[str, Fraction], Fraction | None]], months: dict[str, int], unit: int = 100):
    values = {"population": {c: Fraction(p) for c, p in POPULATION.items()}, "equal": dict.fromkeys(CODES, Fraction(1)), "timer": HOURS}
    exact = dict.fromkeys(months, Fraction(0))
    for cost, key, cap in items:
        for code, share in item_exact(cost, key, cap, values, months).items():
            exact[code] += share
    return hamilton(sum(cost for cost, _, _ in items), exact, unit), exact


TABLE = {2024: {code: Municipality(code, f"M{code}", people) for code, people in POPULATION.items()}}
YEAR_2024 = budget_periods(date(2024, 1, 1), date(2024, 12, 31))
WEIGHTS = {"timer": {2024: HOURS}}
FULL = dict.fromkeys(CODES, 12)
P = Fraction


def amounts(items: tuple[CostItem, ...], unit: int = 100) -> dict[str, int]:
    period = allocate(YEAR_2024, items, unit, TABLE, key_year=2024, key_weights=WEIGHTS).periods[0]
    assert sum(share.amount for share in period.shares) == period.cost
    return {share.code: share.amount for share in period.shares}


@pytest.mark.parametrize(
    ("item", "rule"),
    [
        (YearlyItem("Bestyrelse", 100000_00, key=(("equal", P(100)),)), (100000_00, {"equal": P(100)}, None)),
        (YearlyItem("Sekretariat", 500000_00, key=(("equal", P(30)), ("population", P(70)))), (500000_00, {"equal": P(30), "population": P(70)}, None)),
        (YearlyItem("Linje 400", 1000000_00, key=(("timer", P(80)), ("population", P(20)))), (1000000_00, {"timer": P(80), "population": P(20)}, None)),
        (YearlyItem("Drift", 500000_00, cap=50000_00), (500000_00, {"population": P(100)}, P(50000_00))),  # one round: the largest
        (YearlyItem("Drift", 500000_00, cap=33000_00), (500000_00, {"population": P(100)}, P(33000_00))),  # several rounds
        (YearlyItem("Drift", 500000_00, cap=99000_00), (500000_00, {"population": P(100)}, P(99000_00))),  # nobody reaches it
    ],
    ids=["equal", "blend-30-70", "hours-80-20", "cap-one-round", "cap-several-rounds", "cap-not-reached"],
)  # fmt: skip
def test_each_key_gives_what_the_rule_gives(item, rule):
    want, _ = expected_year([rule], FULL)
    assert amounts((item,)) == want


def test_the_cap_takes_several_rounds_when_the_excess_pushes_others_over():
    period = allocate(YEAR_2024, (YearlyItem("Drift", 500000_00, cap=33000_00),), 100, TABLE, key_year=2024).periods[0]
    values = {"population": {c: Fraction(p) for c, p in POPULATION.items()}}
    rounds: list[int] = []
    exact = item_exact(500000_00, {"population": P(100)}, P(33000_00), values, FULL, rounds)
    assert len(rounds) >= 2  # the excess of the first round pushed others over
    assert period.item_shares is not None
    assert {share.rounds for shares in period.item_shares.values() for share in shares} == {len(rounds)}
    capped = sorted(code for code, shares in period.item_shares.items() if shares[0].cap is not None)
    assert capped == sorted(code for code, share in exact.items() if share == 33000_00)


def test_items_with_different_keys_are_rounded_once_on_the_sum():
    items = (YearlyItem("Bestyrelse", 100000_00, key=(("equal", P(100)),)), YearlyItem("Drift", 730000_00),
             YearlyItem("Linje", 250000_00, key=(("timer", P(80)), ("population", P(20))), cap=20000_00))  # fmt: skip
    rules = [(100000_00, {"equal": P(100)}, None), (730000_00, {"population": P(100)}, None),
             (250000_00, {"timer": P(80), "population": P(20)}, P(20000_00))]  # fmt: skip
    want, _ = expected_year(rules, FULL)
    assert amounts(items) == want


def test_a_member_joining_mid_year_weighs_its_months_under_every_key():
    from costshare.core.membership import Membership

    members = tuple(Membership(code) for code in CODES if code != "340") + (Membership("340", joins=date(2024, 7, 1)),)
    item = YearlyItem("Sekretariat", 500000_00, key=(("equal", P(30)), ("population", P(70))))
    period = allocate(YEAR_2024, (item,), 100, TABLE, key_year=2024, members=members).periods[0]
    want, _ = expected_year([(500000_00, {"equal": P(30), "population": P(70)}, None)], {**FULL, "340": 6})
    assert {share.code: share.amount for share in period.shares} == want


def test_øre_units_and_ties_go_by_the_larger_share_then_the_lower_code():
    item = YearlyItem("Bestyrelse", 100_00, key=(("equal", P(100)),))  # 100 kr. in 17 equal parts: ties everywhere
    got = amounts((item,), unit=1)
    want, _ = expected_year([(100_00, {"equal": P(100)}, None)], FULL, unit=1)
    assert got == want and sum(got.values()) == 100_00
    leftover = 100_00 - 100_00 // 17 * 17  # every share is 588,235… øre: equal remainders, so the lowest codes get the øre
    assert [code for code in CODES if got[code] == 100_00 // 17 + 1] == CODES[:leftover]


@settings(max_examples=60, deadline=None, derandomize=True)
@given(
    cost=st.integers(0, 10**9),
    equal=st.integers(0, 100),
    cap=st.none() | st.integers(1, 10**8),
    unit=st.sampled_from([1, 100, 1000, 100000]),
)
def test_properties_years_add_up_caps_hold_and_a_full_population_blend_is_the_population_key(cost, equal, cap, unit):
    cost -= cost % unit
    key = tuple((base, P(percent)) for base, percent in (("equal", equal), ("population", 100 - equal)) if percent)
    item = YearlyItem("x", cost, key=key, cap=cap)
    if cap is not None and cap * len(CODES) < cost:
        return  # an unreachable cap: its error is tested below
    period = allocate(YEAR_2024, (item,), unit, TABLE, key_year=2024).periods[0]
    assert sum(share.amount for share in period.shares) == period.cost == cost
    if cap is not None:
        assert period.item_shares is not None
        assert all(shares[0].exact <= cap for shares in period.item_shares.values())
    blend = YearlyItem("x", cost, key=(("population", P(100)),), cap=None)
    plain = allocate(YEAR_2024, (blend,), unit, TABLE, key_year=2024).periods[0]
    mixed = allocate(YEAR_2024, (blend, YearlyItem("y", 0, key=(("equal", P(100)),))), unit, TABLE, key_year=2024).periods[0]
    assert [s.amount for s in plain.shares] == [s.amount for s in mixed.shares]  # the keyed path gives the population key's split


# --- through the command line -----------------------------------------------------------------------

CONFIG = """\
alliance: Test
agreement: {{start: 2024-01-01, end: 2024-12-31}}
weights: {{timer: timer.csv}}
costs:
{items}population: {{file: population.csv, basis: fixed, year: 2023}}
"""


@pytest.fixture
def keyed(workspace):
    text = "\n".join(f"2024,{code},{float(hours)}" for code, hours in HOURS.items())
    (workspace.root / "timer.csv").write_text("year,code,value\n" + text + "\n", encoding="utf-8")
    return workspace


def write(workspace, items: str) -> None:
    workspace.config.write_text(CONFIG.format(items=items), encoding="utf-8")


def test_the_json_and_explain_show_each_items_parts(keyed):
    write(keyed, "  - label: Linje 400\n    yearly: 1000000\n    key: {blend: {timer: 80, population: 20}}\n"
                 "  - label: Drift\n    yearly: 500000\n    cap: 33000\n")  # fmt: skip
    result = runner.invoke(app, ["export", "-", "--format", "json", "-c", "alliance.yaml"])
    document = json.loads(result.stdout, parse_float=Decimal)
    sorø = next(a for a in document["periods"][0]["allocations"] if a["code"] == "340")
    want, _ = expected_year(
        [(1000000_00, {"timer": P(80), "population": P(20)}, None), (500000_00, {"population": P(100)}, P(33000_00))], FULL
    )
    assert sorø["amount"] == want["340"] // 100
    assert [part["key"] for part in sorø["items"][0]["parts"]] == ["timer", "population"]
    roskilde = runner.invoke(app, ["explain", "roskilde", "-c", "alliance.yaml", "--lang", "en"]).stdout
    assert "Drift: Roskilde reaches the cap and pays 33,000 DKK (after 2 rounds)" in roskilde
    assert "Linje 400, 80 % by timer: 800,000 DKK × " in roskilde
    validate = runner.invoke(app, ["validate", "-c", "alliance.yaml", "--lang", "en"]).stdout
    assert (
        "Keys: Linje 400: 80 % timer (timer.csv) + 20 % population; Drift: population, at most 33,000 DKK per municipality per full year."
        in validate
    )


@pytest.mark.parametrize(
    ("items", "message"),
    [
        ("  - label: A\n    yearly: 1000\n    key: {blend: {equal: 30, population: 60}}\n", "costs[0].key: the blend's percents add up to 90, not 100"),
        ("  - label: A\n    yearly: 1000\n    key: busser\n", "costs[0].key: there is no key busser (hint: use equal, population or timer)"),
        ("  - label: A\n    yearly: 1000000\n    key: timer\n    cap: 1000\n", "the cap cannot hold in 2024: all 17 members pay the cap and cost is left over"),
    ],
    ids=["blend-not-100", "no-such-key", "cap-unreachable"],
)  # fmt: skip
def test_bad_keys_are_one_line_naming_the_place(keyed, items, message):
    write(keyed, items)
    result = runner.invoke(app, ["validate", "-c", "alliance.yaml", "--lang", "en"])
    assert result.exit_code == 1
    (line,) = result.stderr.splitlines()
    assert line.startswith("error: alliance.yaml") and line.endswith(message), line


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda text: text.replace("2024,340,", "2024,999,"), "timer.csv: the weights file timer has no figure for 340 in 2024"),
        (lambda text: text.replace(f"2024,340,{float(HOURS['340'])}", "2024,340,-3"), "timer.csv:13: the weight '-3' is negative"),
        (lambda text: text.replace(f"2024,340,{float(HOURS['340'])}", "2024,340,mange"), "timer.csv:13: 'mange' is not a weight (a number such as 12 or 12.5)"),
        (lambda text: text + "2024,340,1\n", "timer.csv:19: municipality 340 appears again for 2024 (first on line 13)"),
    ],
    ids=["missing-member", "negative", "not-a-number", "twice"],
)  # fmt: skip
def test_a_bad_weights_file_is_one_line_naming_it(keyed, change, message):
    path = keyed.root / "timer.csv"
    path.write_text(change(path.read_text(encoding="utf-8")), encoding="utf-8")
    write(keyed, "  - label: Linje\n    yearly: 1000\n    key: timer\n")
    result = runner.invoke(app, ["validate", "-c", "alliance.yaml", "--lang", "en"])
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0] == f"error: {message}"


def test_an_item_without_a_key_is_split_by_population_as_before(keyed):
    write(keyed, "  - label: KKR\n    yearly: 730000\n")
    document = json.loads(runner.invoke(app, ["export", "-", "--format", "json", "-c", "alliance.yaml"]).stdout)
    assert "key" not in document["costs"][0] and "items" not in document["periods"][0]["allocations"][0]
    assert next(a["amount"] for a in document["periods"][0]["allocations"] if a["code"] == "340") == 26150


def test_the_json_weight_is_population_times_months_also_where_items_have_their_own_keys(keyed):
    write(keyed, "  - label: Linje 400\n    yearly: 1000000\n    key: {blend: {timer: 80, population: 20}}\n")
    document = json.loads(runner.invoke(app, ["export", "-", "--format", "json", "-c", "alliance.yaml"]).stdout)
    allocations = document["periods"][0]["allocations"]
    assert {a["code"]: a["weight"] for a in allocations} == {code: people * 12 for code, people in POPULATION.items()}


# --- the shipped examples ---------------------------------------------------------------------------

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


@pytest.mark.parametrize("name", sorted(path.name for path in EXAMPLES.glob("*.yaml")))
def test_each_example_validates(name, monkeypatch):
    monkeypatch.chdir(EXAMPLES.parent)
    result = runner.invoke(app, ["validate", "--config", f"examples/{name}", "--lang", "da"])
    assert result.exit_code == 0, result.output
    assert "Fordelingsnøgler: " in result.stdout


@pytest.mark.parametrize(
    ("name", "rules"),
    [
        ("ligelig-30-befolkning-70.yaml", [(1200000_00, {"equal": P(30), "population": P(70)}, None)]),
        ("timer-80-befolkning-20.yaml", [(25000000_00, {"timer": P(80), "population": P(20)}, None)]),
        ("bestyrelse-ligelig-drift-med-loft.yaml", [(170000_00, {"equal": P(100)}, None), (730000_00, {"population": P(100)}, P(60000_00))]),
    ],
)  # fmt: skip
def test_each_examples_figures_follow_its_key(name, rules, monkeypatch):
    monkeypatch.chdir(EXAMPLES.parent)
    hours = {
        line.split(",")[1]: Fraction(line.split(",")[2])
        for line in (EXAMPLES / "timer.csv").read_text().splitlines()[1:]
        if line.startswith("2024,")
    }
    assert hours == HOURS  # the example's made-up hours are the ones the rules here use
    document = json.loads(runner.invoke(app, ["export", "-", "--format", "json", "--config", f"examples/{name}"]).stdout)
    want, _ = expected_year(rules, FULL)
    assert {a["code"]: a["amount"] * 100 for a in document["periods"][0]["allocations"]} == want


# --- rate items: per inhabitant ----------------------------------------------------------------------


def half_up(value: Fraction) -> int:
    return math.floor(value + Fraction(1, 2))


NONE, ONE = Fraction(0), Fraction(1)


def rate_rule(people: int, steps: list[tuple[int | None, Fraction]], base=NONE, cap=None, counted_at_most=None, months=12, factor=ONE):
    """One member's payment in kroner, from the rule: count, steps, cap on the per-inhabitant part, base, months, P/L."""
    counted = people if counted_at_most is None else min(people, counted_at_most)
    part, below = P(0), 0
    for up_to, rate in steps:
        taken = max(0, min(counted, up_to if up_to is not None else counted) - below)
        part += taken * rate
        below = up_to if up_to is not None else counted
    if cap is not None:
        part = min(part, cap)
    return (base + part) * P(months, 12) * factor


@pytest.mark.parametrize(
    ("name", "rule"),
    [
        ("kl-kontingent.yaml", lambda people: rate_rule(people, [(None, P("41.8766"))])),
        ("8-kr-pr-indbygger.yaml", lambda people: rate_rule(people, [(None, P(8))])),
        ("grundbeloeb-og-loft.yaml", lambda people: rate_rule(people, [(None, P("0.270"))], base=P(2500), cap=P(30000))),
        ("trin-pr-borger.yaml", lambda people: rate_rule(people, [(150000, P(25)), (None, P("12.5"))])),
        ("hoejst-100000-indbyggere.yaml", lambda people: rate_rule(people, [(None, P("0.808"))], counted_at_most=100000)),
    ],
)  # fmt: skip
def test_each_rate_example_follows_its_rule(name, rule, monkeypatch):
    monkeypatch.chdir(EXAMPLES.parent)
    document = json.loads(
        runner.invoke(app, ["export", "-", "--format", "json", "--config", f"examples/{name}"]).stdout, parse_float=Decimal
    )
    period = document["periods"][0]
    got = {a["code"]: a["amount"] for a in period["allocations"]}
    assert got == {code: half_up(rule(people)) for code, people in POPULATION.items()}
    assert period["cost"] == sum(got.values())  # the item's cost is what its members pay


@pytest.mark.parametrize(
    ("item", "rule"),
    [
        (RateItem("Trin", steps=((50000, P(2500)), (None, P(1250)))), lambda p: rate_rule(p, [(50000, P(25)), (None, P("12.5"))])),
        (RateItem("Trin", steps=((30000, P(100)), (60000, P(50)), (None, P(10)))), lambda p: rate_rule(p, [(30000, P(1)), (60000, P("0.5")), (None, P("0.1"))])),
        (RateItem("Loft", steps=((None, P(27)),), base=2500_00, cap=10000_00), lambda p: rate_rule(p, [(None, P("0.27"))], base=P(2500), cap=P(10000))),
        (RateItem("Tæller", steps=((None, P(100)),), max_inhabitants=40000), lambda p: rate_rule(p, [(None, P(1))], counted_at_most=40000)),
    ],
    ids=["two-steps-reached", "three-steps", "base-and-cap", "max-inhabitants"],
)  # fmt: skip
def test_steps_caps_and_counts_follow_the_rule(item, rule):
    got = amounts((item,))
    assert got == {code: half_up(rule(people)) * 100 for code, people in POPULATION.items()}


def test_a_member_joining_mid_year_pays_its_months_of_a_rate_item_and_pl_applies():
    from costshare.core.membership import Membership
    from costshare.core.periods import Indexation

    members = tuple(Membership(code) for code in CODES if code != "340") + (Membership("340", joins=date(2024, 4, 1)),)
    item = RateItem("Kontingent", steps=((None, P("4187.66") / 100 * 100),), indexed=True)
    indexation = Indexation(2023, {2024: P("3.1")})
    period = allocate(YEAR_2024, (item,), 100, TABLE, key_year=2024, members=members, indexation=indexation).periods[0]
    got = {share.code: share.amount for share in period.shares}
    factor = 1 + P("3.1") / 100
    assert got["340"] == half_up(rate_rule(POPULATION["340"], [(None, P("41.8766"))], months=9, factor=factor)) * 100  # whole kroner
    assert got["330"] == half_up(rate_rule(POPULATION["330"], [(None, P("41.8766"))], factor=factor)) * 100
    assert period.cost == sum(got.values())


@pytest.mark.parametrize(
    ("items", "message"),
    [
        ("  - label: A\n    yearly: 1000\n    per_inhabitant: 8\n", "costs[0]: a cost item has exactly one of yearly, one_off or per_inhabitant"),
        ("  - label: A\n    per_inhabitant: [{rate: 12.5}, {up_to: 150000, rate: 25}]\n",
         "costs[0]: the steps need rising up_to, and the last step no up_to (it covers the rest)"),
        ("  - label: A\n    per_inhabitant: [{up_to: 150000, rate: 25}, {up_to: 100000, rate: 20}, {rate: 10}]\n",
         "costs[0]: the steps need rising up_to, and the last step no up_to (it covers the rest)"),
        ("  - label: A\n    yearly: 1000\n    base: 500\n", "costs[0]: base goes only with per_inhabitant"),
        ("  - label: A\n    per_inhabitant: 8\n    key: equal\n", "costs[0]: key does not go with per_inhabitant"),
        ("  - label: A\n    per_inhabitant: -8\n", "costs[0].per_inhabitant"),
        ("  - label: A\n    yearly: 1000\n    cap: -5\n", "costs[0].cap"),
    ],
    ids=["with-yearly", "open-step-first", "steps-falling", "base-without-rate", "key-with-rate", "negative-rate", "negative-cap"],
)  # fmt: skip
def test_bad_rate_items_are_one_line(keyed, items, message):
    write(keyed, items)
    result = runner.invoke(app, ["validate", "-c", "alliance.yaml", "--lang", "en"])
    assert result.exit_code == 1
    assert message in result.stderr.splitlines()[0], result.stderr


def test_explain_shows_each_step_the_cap_and_the_base(keyed):
    write(keyed, "  - label: Trin\n    per_inhabitant: [{up_to: 60000, rate: 25}, {rate: 12.5}]\n"
                 "  - label: Erhverv\n    base: 2500\n    per_inhabitant: 0.270\n    cap: 20000\n")  # fmt: skip
    text = runner.invoke(app, ["explain", "roskilde", "-c", "alliance.yaml"]).stdout
    above = f"{POPULATION['265'] - 60000:,}".replace(",", ".")
    assert f"Trin: 60.000 × 25 kr. + {above} × 12,50 kr." in text
    assert "Erhverv: 90.446 × 0,27 kr. = 2.500 kr. + 20.000 kr. (loftet; uden loft 24.420,42 kr.) om året" in text


def test_a_weights_file_needs_only_the_years_an_item_uses_it(keyed):
    keyed.config.write_text(
        CONFIG.format(
            items="  - label: Linje\n    yearly: 1000\n    key: timer\n    to: 2024-12-31\n  - label: Drift\n    yearly: 5000\n"
        ).replace("end: 2024-12-31", "end: 2025-12-31"),
        encoding="utf-8",
    )
    result = runner.invoke(app, ["export", "-", "--format", "json", "-c", "alliance.yaml"])
    assert result.exit_code == 0, result.output  # timer.csv has 2024 only; 2025 has no item by it
    assert [p["cost"] for p in json.loads(result.stdout)["periods"]] == [6000, 5000]
