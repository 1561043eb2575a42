"""The year-end settlement: each member's share of the actual cost by the budget's own rules (each item's key, caps
with the member's months, equal and weights keys whatever the budget was), set against what the register says it was
invoiced less credited for the year, never a recomputed budget.

Expected shares are worked out here with Fraction arithmetic from the rules as docs/keys.md and docs/invoicing.md
state them, never with the product's functions; what a member was invoiced is added up from the rows given.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from costshare.app.invoicing import settlement
from costshare.app.view import Agreement, Sources, View
from costshare.cli import app
from costshare.core.allocate import allocate
from costshare.core.errors import AllocationError
from costshare.core.items import YearlyItem
from costshare.core.membership import Membership
from costshare.core.municipality import Municipality
from costshare.core.periods import budget_periods
from costshare.core.register import Issued
from costshare.documents.settlement import settlement_lines

from . import settling
from .conftest import CODES, REGION_2023
from .oracles import hamilton

runner = CliRunner()
P = Fraction
POPULATION = dict(zip(CODES, REGION_2023, strict=True))
HOURS = {code: P(int(code) % 13 * 7 + 20) for code in CODES}
TABLE = {2024: {code: Municipality(code, f"M{code}", people) for code, people in POPULATION.items()}}
YEAR_2024 = budget_periods(date(2024, 1, 1), date(2024, 12, 31))
VALUES = {"population": {code: P(people) for code, people in POPULATION.items()}, "equal": dict.fromkeys(CODES, P(1)), "timer": HOURS}


# --- the rules, worked out here ---------------------------------------------------------------------------------


def months_of(joins: date | None, leaves: date | None) -> int:
    """Months of 2024 a member pays: from the month it joins until the month it leaves."""
    return sum((joins is None or joins <= date(2024, m, 1)) and (leaves is None or date(2024, m, 1) < leaves) for m in range(1, 13))


def keyed_shares(cost: Fraction, key: dict[str, Fraction], months: dict[str, int], caps: dict[str, Fraction] | None) -> dict[str, Fraction]:
    """One item: each base's percent of the cost by value × months; whoever is over its own cap pays the cap, and the
    rest is shared again among the others by the same key, until nobody is over."""
    capped: set[str] = set()
    while True:
        free = [code for code in months if code not in capped]
        rest = cost - sum((caps[code] for code in capped), P(0)) if caps else cost
        shares = dict.fromkeys(free, P(0))
        for base, percent in key.items():
            total = sum(VALUES[base][code] * months[code] for code in free)
            for code in free:
                shares[code] += rest * percent / 100 * VALUES[base][code] * months[code] / total
        over = {code for code in free if caps is not None and shares[code] > caps[code]}
        if not over:
            return {**shares, **({code: caps[code] for code in capped} if caps else {})}
        capped |= over


def invoiced_less_credited(rows: list[Issued], year: int) -> dict[str, int]:
    found: dict[str, int] = {}
    for row in rows:
        if row.year == year:
            found[row.code] = found.get(row.code, 0) + (row.net if row.kind == "invoice" else -row.net)
    return found


def row(number: str, kind: str, code: str, net: int, year: int = 2024, purpose: str = "aconto") -> Issued:
    day = date(year, 1, 1)
    return Issued(number, kind, purpose, year, code, f"M{code}", None, day, date(year, 12, 31), day, day, net, 0, "DKK", (), "0" * 64)  # type: ignore[arg-type]


def view_of(items: tuple[YearlyItem, ...], members: tuple[Membership, ...], actuals: dict[str, int], rows: list[Issued]) -> View:
    allocation = allocate(YEAR_2024, items, 100, TABLE, key_year=2024, members=members, key_weights={"timer": {2024: HOURS}})
    sources = Sources("costshare", "alliance.yaml", "0" * 64, "population.csv", "0" * 64, None)
    return View("A", "DKK", Decimal(1), Agreement(date(2024, 1, 1), date(2024, 12, 31), None), allocation, 2024, (), sources,
                changes={m.code: m for m in members if m.joins or m.leaves}, actuals={2024: actuals}, issued=tuple(rows))  # fmt: skip


# --- the property -------------------------------------------------------------------------------------------------

KEYS = st.sampled_from([{"population": P(100)}, {"equal": P(100)}, {"timer": P(100)}, {"equal": P(30), "population": P(70)},
                        {"timer": P(80), "population": P(20)}])  # fmt: skip
MONTH = st.none() | st.integers(2, 12).map(lambda month: date(2024, month, 1))
ITEM = st.tuples(KEYS, st.none() | st.integers(1, 200_000), st.integers(0, 1_000_000), st.integers(0, 2_000_000_00))
ROWS = st.lists(st.tuples(st.sampled_from([*CODES, "999"]), st.sampled_from(["invoice", "credit_note"]), st.integers(1, 100_000_00),
                          st.sampled_from([2023, 2024]), st.sampled_from(["aconto", "settlement"])), max_size=30)  # fmt: skip


@settings(max_examples=120, derandomize=True)
@given(
    items=st.lists(ITEM, min_size=1, max_size=2),
    changes=st.dictionaries(st.sampled_from(CODES), st.tuples(MONTH, MONTH), max_size=6),
    given_rows=ROWS,
)
def test_each_difference_is_the_share_of_the_actual_by_the_budgets_rules_less_what_was_invoiced(items, changes, given_rows):
    """For any key, caps, memberships, actual costs item by item (øre or whole kroner) and documents issued: each
    member's difference is its share of the actual cost less what the rows say it was invoiced less credited for the
    year, and the differences add up to actual − invoiced."""
    changes = {code: dates for code, dates in changes.items() if months_of(*dates) > 0}
    members = tuple(Membership(code, *changes.get(code, (None, None))) for code in CODES)
    months = {code: months_of(*changes.get(code, (None, None))) for code in CODES}
    made = tuple(YearlyItem(f"Post {i}", yearly * 100, key=tuple(key.items()), cap=None if cap is None else cap * 1200)
                 for i, (key, cap, yearly, _) in enumerate(items))  # fmt: skip
    actuals = {item.label: actual for item, (_, _, _, actual) in zip(made, items, strict=True)}
    caps = [None if item.cap is None else {code: P(item.cap * months[code], 12) for code in CODES} for item in made]
    for item, item_caps in zip(made, caps, strict=True):  # an item beyond every cap is refused (its own tests)
        assume(item_caps is None or max(item.yearly, actuals[item.label]) <= sum(item_caps.values()))
    rows = [row(f"{year}-{code}-{n}", kind, code, net, year, purpose) for n, (code, kind, net, year, purpose) in enumerate(given_rows)]
    settled = settlement(view_of(made, members, actuals, rows), 2024)

    exact = dict.fromkeys(CODES, P(0))
    for item, item_caps in zip(made, caps, strict=True):
        for code, share in keyed_shares(P(actuals[item.label]), dict(item.key), months, item_caps).items():
            exact[code] += share
    actual = sum(actuals.values())
    shares = hamilton(actual, exact, 100 if actual % 100 == 0 else 1) if actual else dict.fromkeys(CODES, 0)
    billed = invoiced_less_credited(rows, 2024)
    assert {m.code: m.difference for m in settled.members} == {
        code: shares.get(code, 0) - billed.get(code, 0) for code in {*CODES, *billed}
    }
    assert sum(m.difference for m in settled.members) == actual - sum(billed.values()) == settled.difference
    assert all(m.actual <= c[m.code] for c in caps if c is not None and len(made) == 1 for m in settled.members if m.code in c)


def test_an_actual_cost_beyond_every_members_cap_is_refused():
    item = YearlyItem("Drift", 730000_00, key=(("population", P(100)),), cap=60000_00)
    view = view_of((item,), tuple(Membership(code) for code in CODES), {"Drift": 17 * 60000_00 + 100}, [])
    with pytest.raises(AllocationError):
        settlement(view, 2024)


def test_a_budget_of_nothing_settles_by_the_items_key_not_in_equal_parts():
    item = YearlyItem("Drift", 0, key=(("timer", P(100)),))
    settled = settlement(view_of((item,), tuple(Membership(code) for code in CODES), {"Drift": 100000_00}, []), 2024)
    exact = {code: P(100000_00) * HOURS[code] / sum(HOURS.values()) for code in CODES}
    assert {m.code: m.actual for m in settled.members} == hamilton(100000_00, exact, 100)
    assert len({m.actual for m in settled.members}) > 2


# --- through the config ------------------------------------------------------------------------------------------

SENDER = """
sender:
  name: KKR Sjælland
  address: [Alléen 15, 4180 Sorø]
  cvr: "12345674"
  bank: {registration: "1234", account: "0012345678"}
"""


def billing(extra: str = "") -> str:
    members = "".join(f'    "{code}": {{ean: "{ean(code)}", reference: "Økonomi {code}"}}\n' for code in CODES)
    return f"billing:\n  instalments: 4\n  prefix: KS\n{extra}  members:\n{members}"


def ean(code: str) -> str:
    from .peppol_rules import gln_ok

    return next(f"579800{int(code):03d}000{digit}" for digit in "0123456789" if gln_ok(f"579800{int(code):03d}000{digit}"))


@pytest.fixture
def capped(workspace):
    """The agreement with a cap of 60.000 kr. a year per member, billed quarterly from 2026."""
    workspace.replace_in_config("    yearly: 730000\n", "    yearly: 730000\n    cap: 60000\n")
    workspace.config.write_text(workspace.config.read_text(encoding="utf-8") + SENDER + billing(), encoding="utf-8")
    return workspace


def with_actuals(workspace, actuals: str) -> None:
    workspace.config.write_text(workspace.config.read_text(encoding="utf-8") + f"actuals: {actuals}\n", encoding="utf-8")


def capped_amounts(cost: int) -> dict[str, int]:
    """Each member's amount of `cost` kroner by population within its cap of 60.000 kr., in whole kroner."""
    exact = keyed_shares(P(cost * 100), {"population": P(100)}, dict.fromkeys(CODES, 12), dict.fromkeys(CODES, P(60000_00)))
    return hamilton(cost * 100, exact, 100)


def test_done_when_settling_2026_with_a_cap_sets_each_capped_share_against_what_was_invoiced(capped):
    """Issued: 2026's four instalments, and a credit note of 1.057 kr. to Sorø. The actual cost, 900.000 kr., goes
    beyond the cap for the largest members: each difference is the member's capped share less what it was invoiced."""
    with_actuals(capped, "{2026: 900000}")
    planned = settling.computation(capped.config)
    rows = [*settling.aconto_rows(planned.view, 2026), row("KS-2026-340-13", "credit_note", "340", 1057_00, 2026)]
    found = settling.computation(capped.config, rows)
    issue = settling.issue(found, 2026)
    budget, actual = capped_amounts(730000), capped_amounts(900000)
    assert max(actual.values()) == 60000_00 and sum(actual.values()) == 900000_00  # the cap holds in the settlement
    billed = {code: budget[code] - (1057_00 if code == "340" else 0) for code in CODES}
    assert issue.settled is not None
    assert {m.code: m.difference for m in issue.settled.settlement.members} == {code: actual[code] - billed[code] for code in CODES}
    for document in issue.documents:
        assert (document.net if document.kind == "invoice" else -document.net) == actual[document.code] - billed[document.code]
        assert document.number == f"KS-2026-{document.code}-99" and document.purpose == "settlement"
        expected = [f"KS-2026-{document.code}-{n}" for n in range(1, 5)] + (["KS-2026-340-13"] if document.code == "340" else [])
        assert list(document.references) == expected
    assert {d.code for d in issue.documents} == {code for code in CODES if actual[code] != billed[code]}

    # settled once: the same actual cost again settles nothing; a corrected one only the difference, numbered anew
    settled_rows = [*rows, *(settling.as_issued(found.view, document) for document in issue.documents)]
    assert settling.issue(settling.computation(capped.config, settled_rows), 2026).documents == ()
    capped.replace_in_config("actuals: {2026: 900000}", "actuals: {2026: 910000}")
    again = settling.issue(settling.computation(capped.config, settled_rows), 2026)
    corrected = capped_amounts(910000)
    assert {d.code: d.net if d.kind == "invoice" else -d.net for d in again.documents} == {
        code: corrected[code] - actual[code] for code in CODES if corrected[code] != actual[code]
    }
    first = {document.code for document in issue.documents}
    for document in again.documents:
        assert document.number == f"KS-2026-{document.code}-98" if document.code in first else f"KS-2026-{document.code}-99"
        if document.code in first:
            assert document.references == (f"KS-2026-{document.code}-99",)  # the first settlement's document


def test_a_difference_below_the_minimum_is_not_invoiced_and_settle_lists_it(capped):
    """An actual cost 8 kr. above what was invoiced: eight members 1 kr. each, none invoiced with a minimum of 2 kr."""
    capped.replace_in_config("  prefix: KS\n", "  prefix: KS\n  minimum: 2\n")
    with_actuals(capped, "{2026: 730008}")
    rows = settling.aconto_rows(settling.computation(capped.config).view, 2026)
    found = settling.computation(capped.config, rows)
    issue = settling.issue(found, 2026)
    assert issue.documents == () and issue.settled is not None
    below = issue.settled.settlement.below_minimum
    differences = {code: capped_amounts(730008)[code] - capped_amounts(730000)[code] for code in CODES}
    assert {m.code: m.difference for m in below} == {code: d for code, d in differences.items() if d} and len(below) == 8
    assert sum(m.difference for m in below) == 8_00 == issue.settled.settlement.difference
    line = settlement_lines(issue.settled, "en")[-1]
    assert line.startswith("Below the minimum of 2 DKK and so not invoiced: ") and line.endswith("(in total +8 DKK).")
    assert all(f"({m.code}) +1 DKK" in line for m in below)
    danish = settlement_lines(issue.settled, "da")[-1]
    assert danish.startswith("Under minimumsbeløbet 2 kr. og derfor ikke faktureret: ") and danish.endswith("(i alt +8 kr.).")


def test_without_a_minimum_a_difference_of_one_krone_is_invoiced(capped):
    with_actuals(capped, "{2026: 730008}")
    rows = settling.aconto_rows(settling.computation(capped.config).view, 2026)
    issue = settling.issue(settling.computation(capped.config, rows), 2026)
    assert sorted(d.net for d in issue.documents) == [1_00] * 8


ITEMS = """\
  - label: Årsværk
    yearly: 730000
  - label: Bestyrelse
    yearly: 170000
    key: equal
"""


def test_each_items_actual_cost_by_its_label_in_ore_is_split_by_that_items_key(workspace):
    workspace.replace_in_config("  - label: KKR Sjællands årsværk (Gate21)\n    yearly: 730000\n", ITEMS)
    with_actuals(workspace, '{2024: {"Årsværk": 741250.50, "Bestyrelse": 168000}}')
    result = runner.invoke(app, ["settle", "--year", "2024", "--out", "s.json", "-c", "alliance.yaml", "--lang", "en"])
    assert result.exit_code == 0, result.output
    import json

    document = json.loads((workspace.root / "s.json").read_text(encoding="utf-8"), parse_float=Decimal)
    people = sum(POPULATION.values())
    exact = {code: P(741250_50) * POPULATION[code] / people + P(168000_00, 17) for code in CODES}
    shares = hamilton(909250_50, exact, 1)  # an actual cost in øre is split to the øre
    assert {row["code"]: row["actual"] * 100 for row in document["members"]} == shares
    assert document["actual"] == Decimal("909250.50") and document["billed"] == 0


@pytest.mark.parametrize(
    ("actuals", "expected"),
    [
        ('{2024: {"Årsværk": 741.250, "Bestyrelse": 168000}}',
         'actuals[2024].Årsværk: 741.250 has more decimals than rounding unit 1 allows (hint: in YAML "." is a decimal point, '
         "not a thousands separator: write 741250 for 741.250 kr.)"),
        ("{2024: 909250}",
         'actuals[2024]: budget year 2024 has 2 cost items, so one figure for the actual cost cannot be split (hint: give each '
         "item's actual cost under its label, e.g. actuals: {2024: {\"Årsværk\": …}})"),
        ('{2024: {"Årsværk": 741250, "Bestyrelsen": 168000}}',
         'actuals[2024].Bestyrelsen: "Bestyrelsen" is not the label of a cost item of budget year 2024 (hint: the year\'s items: '
         "Årsværk, Bestyrelse)"),
        ('{2024: {"Årsværk": 741250}}', "actuals[2024]: the actual cost for budget year 2024 is missing for: Bestyrelse"),
        ("{2024: 909250.505}", "actuals[2024]: 909250.505 is not a whole number of øre (hint: round the amount to 2 decimals)"),
    ],
    ids=["thousands-dot", "one-figure-two-items", "unknown-label", "item-missing", "finer-than-ore"],
)  # fmt: skip
def test_a_bad_actual_cost_is_one_line_at_its_place(workspace, actuals, expected):
    workspace.replace_in_config("  - label: KKR Sjællands årsværk (Gate21)\n    yearly: 730000\n", ITEMS)
    with_actuals(workspace, actuals)
    result = runner.invoke(app, ["validate", "-c", "alliance.yaml", "--lang", "en"])
    assert result.exit_code == 1
    (line,) = result.stderr.splitlines()
    assert line.startswith("error: alliance.yaml:") and line.endswith(expected), line


def test_one_figure_is_the_actual_cost_of_a_years_one_item(workspace):
    """The one-off item runs in 2025 only: 2024 has one item, so one figure is its actual cost."""
    workspace.replace_in_config("    yearly: 730000\n", "    yearly: 730000\n  - label: Analyse\n    one_off: 150000\n    year: 2025\n")
    with_actuals(workspace, "{2024: 742000}")
    assert runner.invoke(app, ["validate", "-c", "alliance.yaml"]).exit_code == 0


def test_a_pl_rate_revised_after_invoicing_changes_nothing_of_what_was_invoiced(workspace):
    """Invoiced for 2024 at the P/L rate 3,1 (Sorø 26.961 kr.); KL then revises the rate to 5,0. What Sorø was invoiced
    is what the register says, not the budget recomputed at 5,0, and it owes its share of the actual cost less that."""
    workspace.replace_in_config("    yearly: 730000\n", "    yearly: 730000\n    indexed: true\n")
    workspace.config.write_text(workspace.config.read_text(encoding="utf-8") + "indexation:\n  base_year: 2023\n  rates: {2024: 3.1}\n"
                                + SENDER + billing(), encoding="utf-8")  # fmt: skip
    rows = settling.aconto_rows(settling.computation(workspace.config).view, 2024)
    workspace.replace_in_config("rates: {2024: 3.1}", "rates: {2024: 5.0}")
    with_actuals(workspace, "{2024: 770000}")
    settled = settling.settled(settling.computation(workspace.config, rows), 2024).settlement
    people = sum(POPULATION.values())
    invoiced = hamilton(752630_00, {code: P(752630_00 * POPULATION[code], people) for code in CODES}, 100)  # 730.000 × 1,031
    actual = hamilton(770000_00, {code: P(770000_00 * POPULATION[code], people) for code in CODES}, 100)
    assert invoiced["340"] == 26961_00 and settled.billed == 752630_00
    assert {m.code: (m.billed, m.difference) for m in settled.members} == {c: (invoiced[c], actual[c] - invoiced[c]) for c in CODES}


def test_settle_says_what_is_not_invoiced_and_invoices_settles_only_once_the_instalments_are_issued(workspace):
    workspace.config.write_text(workspace.config.read_text(encoding="utf-8") + SENDER + billing("  minimum: 100000\n"), encoding="utf-8")
    with_actuals(workspace, "{2024: 742000}")
    shown = runner.invoke(app, ["settle", "--year", "2024", "-c", "alliance.yaml", "--lang", "en"])
    lines = shown.stdout.splitlines()
    assert shown.exit_code == 0
    assert (
        "The register holds no issued invoice for budget year 2024: nothing is invoiced yet, and each member's whole share of the actual cost is still to invoice."
        in lines
    )
    below = next(line for line in lines if line.startswith("Below the minimum of 100,000 DKK and so not invoiced: Greve (253) +"))
    assert below.endswith("(in total +742,000 DKK).")  # every whole share is below 100.000 kr.
    result = runner.invoke(app, ["invoices", "ud", "--year", "2024", "--settlement", "-c", "alliance.yaml", "--lang", "en"])
    assert result.exit_code == 1 and not (workspace.root / "ud").exists()
    assert "not issued yet: 68, to Greve (253)" in result.stderr


def test_a_year_with_rates_per_inhabitant_is_not_settled(workspace):
    """A rate item has no budget to share afresh: each member pays it by its own inhabitants."""
    workspace.replace_in_config("    yearly: 730000\n", "    yearly: 730000\n  - label: Kontingent\n    per_inhabitant: 2.5\n")
    with_actuals(workspace, '{2024: {"KKR Sjællands årsværk (Gate21)": 742000, "Kontingent": 2100000}}')
    result = runner.invoke(app, ["settle", "--year", "2024", "-c", "alliance.yaml", "--lang", "en"])
    assert result.exit_code == 1
    (line,) = result.stderr.splitlines()
    assert line.endswith("actuals.2024: budget year 2024 has rates per inhabitant; they are paid by the rate and not settled"), line
