"""A cap counts the months a member pays: a member paying 1 month of an item pays at most 1/12 of its yearly cap,
in the budget and in the settlement alike.

Expected figures are worked out here with Fraction arithmetic from the rule as docs/keys.md states it — each
member's weight is its figure × its months of the budget year; its cap is the cap × the months it pays of the item
(it is a member and the item runs) / 12; whoever is over its cap pays it and the rest is shared again — never with
the product's functions."""

from __future__ import annotations

import json
import math
from datetime import date
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from costshare.cli import app
from costshare.core.allocate import allocate
from costshare.core.items import OneOffItem, YearlyItem
from costshare.core.membership import Membership
from costshare.core.municipality import Municipality
from costshare.core.periods import budget_periods

from . import settling
from .conftest import CODES, REGION_2023
from .oracles import hamilton

runner = CliRunner()
P = Fraction
POPULATION = dict(zip(CODES, REGION_2023, strict=True))
HOURS = {code: P(1000) if code == "340" else P(int(code) % 13 * 7 + 20) for code in CODES}  # Sorø drives the most hours
TABLE = {2024: {code: Municipality(code, f"M{code}", people) for code, people in POPULATION.items()}}
YEAR_2024 = budget_periods(date(2024, 1, 1), date(2024, 12, 31))


def months_of(joins: date | None, leaves: date | None, start: date | None = None, end: date | None = None) -> int:
    """Months of 2024 a member pays (from the month it joins, until the month it leaves) while the item runs."""
    count = 0
    for month in range(1, 13):
        first = date(2024, month, 1)
        member = (joins is None or joins <= first) and (leaves is None or first < leaves)
        runs = (start is None or date(start.year, start.month, 1) <= first) and (end is None or first <= end)
        count += member and runs
    return count


def capped_shares(cost: Fraction, values: dict[str, Fraction], months: dict[str, int], caps: dict[str, Fraction]) -> dict[str, Fraction]:
    """The item by weight (value × months), whoever is over its own cap paying the cap, the rest shared again."""
    capped: set[str] = set()
    while True:
        free = [code for code in months if code not in capped]
        rest = cost - sum((caps[code] for code in capped), P(0))
        total = sum(values[code] * months[code] for code in free)
        shares = {code: rest * values[code] * months[code] / total for code in free}
        over = {code for code in free if shares[code] > caps[code]}
        if not over:
            return {**shares, **{code: caps[code] for code in capped}}
        capped |= over


def members_with(**changes: tuple[date | None, date | None]) -> tuple[Membership, ...]:
    return tuple(Membership(code, *changes.get(f"m{code}", (None, None))) for code in CODES)


def budget(items, members, unit=100, weights=None):
    return allocate(YEAR_2024, items, unit, TABLE, key_year=2024, members=members, key_weights=weights or {"timer": {2024: HOURS}})


TIMER = (("timer", P(100)),)


@pytest.mark.parametrize(
    ("joins", "leaves", "span", "paying"),
    [
        (date(2024, 12, 1), None, (None, None), 1),
        (date(2024, 4, 1), None, (None, None), 9),
        (None, date(2024, 7, 1), (None, None), 6),
        (date(2024, 3, 1), None, (None, date(2024, 8, 31)), 6),  # the item runs January to August: March to August
        (None, date(2024, 11, 1), (date(2024, 5, 1), None), 6),  # the item from May, the member until October
    ],
    ids=["joins-december", "joins-april", "leaves-july", "item-ends-in-august", "item-from-may"],
)
def test_a_member_paying_part_of_the_year_pays_at_most_its_months_of_the_cap(joins, leaves, span, paying):
    start, end = span
    item = YearlyItem("Drift", 730000_00, key=TIMER, cap=60000_00, start=start, end=end)
    period = budget((item,), members_with(m340=(joins, leaves))).periods[0]
    months = {code: months_of(joins, leaves) if code == "340" else 12 for code in CODES}
    item_months = months_of(None, None, start, end)
    assert months_of(joins, leaves, start, end) == paying
    cost = P(730000_00 * item_months, 12)
    caps = {code: P(60000_00 * (paying if code == "340" else item_months), 12) for code in CODES}
    exact = capped_shares(cost, HOURS, months, caps)
    assert exact["340"] == P(60000_00 * paying, 12)  # Sorø's hours put it over its cap, whatever its months
    assert period.item_shares is not None and period.item_shares["340"][0].cap == P(60000_00 * paying, 12)
    assert {share.code: share.amount for share in period.shares} == hamilton(period.cost, exact, 100)


def test_a_one_off_items_cap_counts_the_members_months_of_its_year():
    item = OneOffItem("Analyse", 300000_00, 2024, key=TIMER, cap=40000_00)
    period = budget((item,), members_with(m340=(date(2024, 10, 1), None))).periods[0]
    months = {code: 3 if code == "340" else 12 for code in CODES}
    caps = {code: P(40000_00 * months[code], 12) for code in CODES}
    exact = capped_shares(P(300000_00), HOURS, months, caps)
    assert exact["340"] == 10000_00
    assert {share.code: share.amount for share in period.shares} == hamilton(300000_00, exact, 100)


def test_members_paying_the_whole_year_keep_the_whole_cap():
    item = YearlyItem("Drift", 730000_00, key=TIMER, cap=60000_00)
    period = budget((item,), None).periods[0]
    assert period.item_shares is not None and period.item_shares["340"][0].cap == 60000_00


# --- the hypothesis property: nobody ever pays more than cap × its paying months / 12 ---------------------------

JOINS = st.none() | st.integers(2, 12).map(lambda month: date(2024, month, 1))
LEAVES = st.none() | st.integers(2, 12).map(lambda month: date(2024, month, 1))


@settings(max_examples=80, deadline=None, derandomize=True)
@given(
    changes=st.dictionaries(st.sampled_from(CODES), st.tuples(JOINS, LEAVES), max_size=8),
    cost=st.integers(1, 2_000_000),
    twelfths=st.integers(1, 200_000),
    actual=st.integers(0, 3_000_000),
    span=st.tuples(st.integers(1, 12), st.integers(1, 12)),
)
def test_no_member_ever_pays_more_than_its_months_of_the_cap(changes, cost, twelfths, actual, span):
    from costshare.core.errors import AllocationError
    from costshare.core.settlement import actual_weights, settle

    changes = {code: (joins, leaves) for code, (joins, leaves) in changes.items() if joins is None or leaves is None or joins < leaves}
    first, last = min(span), max(span)
    start, end = date(2024, first, 1), date(2024, last, 28)
    cap = 12 * twelfths * 100  # whole kroner × 12, so a member's months of it are whole kroner
    members = tuple(Membership(code, *changes.get(code, (None, None))) for code in CODES)
    item = YearlyItem("Linje", cost * 100, key=(("timer", P(70)), ("equal", P(30))), cap=cap, start=start, end=end)
    dates = {code: changes.get(code, (None, None)) for code in CODES}
    payers = [code for code in CODES if months_of(dates[code][0], dates[code][1]) > 0]
    caps = {code: P(cap * months_of(dates[code][0], dates[code][1], start, end), 12) for code in payers}
    item_cost = math.floor(P(cost * 100 * (last - first + 1), 12) / 100 + P(1, 2)) * 100  # rounded half up to 1 kr.
    if item_cost > sum(caps.values()):  # the caps cannot hold: an error, never a member over its cap
        with pytest.raises(AllocationError):
            budget((item,), members)
        return
    period = budget((item,), members).periods[0]
    assert [share.code for share in period.shares] == payers
    for share in period.shares:
        assert share.amount <= caps[share.code], (share.code, share.amount, caps[share.code])
    actual *= 100
    weights = actual_weights(period, {"Linje": actual}) if actual <= sum(caps.values()) else None
    if weights is None:
        with pytest.raises(AllocationError):
            actual_weights(period, {"Linje": actual})
        return
    settled = settle(2024, tuple(payers), weights, {s.code: s.amount for s in period.shares}, actual, 100)
    for member in settled.members:
        assert member.actual <= caps[member.code], (member.code, member.actual, caps[member.code])
    assert sum(member.actual for member in settled.members) == actual


# --- through the command line: the budget, explain and the settlement ----------------------------------------

CONFIG = """\
alliance: Test
agreement: {{start: 2025-01-01, end: 2027-12-31}}
weights: {{timer: timer.csv}}
costs:
  - label: Drift
    yearly: 730000
    key: timer
    cap: 60000
population: {{file: population.csv, basis: fixed, year: 2023}}
members:
{members}  - municipality: Sorø
    joins: 2026-12-01
{actuals}"""


@pytest.fixture
def joining(workspace):
    rows = "".join(f"{year},{code},{HOURS[code]}\n" for year in (2025, 2026, 2027) for code in CODES)
    (workspace.root / "timer.csv").write_text("year,code,value\n" + rows, encoding="utf-8")
    members = "".join(f"  - {code}\n" for code in CODES if code != "340")
    workspace.config.write_text(CONFIG.format(members=members, actuals="actuals: {2026: 803000}\n"), encoding="utf-8")
    return workspace


def test_sorø_joining_for_december_pays_a_twelfth_of_the_cap(joining):
    result = runner.invoke(app, ["explain", "Sorø", "--year", "2026", "-c", "alliance.yaml", "--lang", "en"])
    assert result.exit_code == 0, result.output
    assert "Drift: Sorø reaches the cap and pays 5,000 DKK" in result.stdout  # 60.000 kr. × 1 month / 12
    months = {code: 1 if code == "340" else 12 for code in CODES}
    caps = {code: P(60000_00 * months[code], 12) for code in CODES}
    exact = capped_shares(P(730000_00), HOURS, months, caps)
    assert runner.invoke(app, ["export", "out.json", "-c", "alliance.yaml"]).exit_code == 0
    document = json.loads((joining.root / "out.json").read_text(encoding="utf-8"), parse_float=Decimal)
    year = next(period for period in document["periods"] if period["year"] == 2026)
    assert {a["code"]: a["amount"] * 100 for a in year["allocations"]} == hamilton(730000_00, exact, 100)
    later = runner.invoke(app, ["explain", "Sorø", "--year", "2027", "-c", "alliance.yaml", "--lang", "en"]).stdout
    assert "Drift: Sorø reaches the cap and pays 60,000 DKK" in later  # a whole year a member: the whole cap


def test_the_settlement_holds_each_member_to_its_months_of_the_cap(joining):
    found = settling.computation(joining.config)
    found = settling.computation(joining.config, settling.budget_rows(found.view, 2026))  # each invoiced its budget amount
    document = json.loads(settling.settlement_file(settling.settled(found, 2026), "json"), parse_float=Decimal)
    rows = {row["code"]: row for row in document["members"]}
    months = {code: 1 if code == "340" else 12 for code in CODES}
    caps = {code: P(60000_00 * months[code], 12) for code in CODES}
    budget_exact = capped_shares(P(730000_00), HOURS, months, caps)
    # the actual cost, 10 % over the budget, shared by the same key within the same caps
    actual_exact = capped_shares(P(803000_00), HOURS, months, caps)
    assert actual_exact["340"] == 5000_00
    budget, actual = hamilton(730000_00, budget_exact, 100), hamilton(803000_00, actual_exact, 100)
    for code in CODES:
        assert Decimal(rows[code]["billed"]) * 100 == budget[code] and Decimal(rows[code]["actual"]) * 100 == actual[code]
    assert Decimal(rows["340"]["difference"]) == 0  # at its cap in the budget and in the settlement


def test_an_actual_cost_beyond_every_members_cap_is_one_line_at_the_actual(joining):
    members = "".join(f"  - {code}\n" for code in CODES if code != "340")
    joining.config.write_text(CONFIG.format(members=members, actuals="actuals: {2026: 1000000}\n"), encoding="utf-8")
    result = runner.invoke(app, ["settle", "--year", "2026", "-c", "alliance.yaml", "--lang", "en"])
    assert result.exit_code == 1
    (line,) = result.stderr.splitlines()
    assert line.startswith("error: alliance.yaml:") and ": actuals.2026: Drift: the cap cannot hold in 2026" in line, line
