"""The agreement over time: P/L indexation, item spans and one-offs, population keys, members who join
and leave, and the analyst's API. Expected figures come from Fraction arithmetic and the test's own
largest-remainder oracle, never from the product's code."""

from __future__ import annotations

import math
from datetime import date
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

import costshare
from costshare.cli import app
from costshare.core.allocate import allocate
from costshare.core.items import OneOffItem, YearlyItem
from costshare.core.membership import Membership
from costshare.core.municipality import Municipality
from costshare.core.periods import Indexation, budget_periods

from .conftest import CODES, REGION_2023
from .test_apportion import oracle

runner = CliRunner()
PERIODS = budget_periods(date(2023, 7, 1), date(2028, 6, 30))
POPULATION = {2023: {code: Municipality(code, f"M{code}", pop) for code, pop in zip(CODES, REGION_2023, strict=True)}}
SORO, LOLLAND = CODES.index("340"), CODES.index("360")


def half_up(value: Fraction) -> int:
    return math.floor(value + Fraction(1, 2))


def run(*args: str):
    return runner.invoke(app, list(args), catch_exceptions=False)


# --- indexation, spans, one-offs -------------------------------------------------------------------


def test_the_shipped_cost_indexed_at_3_1_and_2_6_percent(workspace):
    """docs/method.md's example: 730.000 × 1,031 × 1,026 = 772.198,38 → 772.198 in 2025."""
    workspace.replace_in_config("    yearly: 730000\n", "    yearly: 730000\n    indexed: true\n")
    workspace.replace_in_config(
        "population:\n", "indexation:\n  base_year: 2023\n  rates: {2024: 3.1, 2025: 2.6, 2026: 0, 2027: 0, 2028: 0}\npopulation:\n"
    )
    result = costshare.compute(workspace.config)
    factor_2024, factor_2025 = Fraction("1.031"), Fraction("1.031") * Fraction("1.026")
    expected_costs = [365000, half_up(730000 * factor_2024), *[half_up(730000 * factor_2025)] * 3, half_up(365000 * factor_2025)]
    assert expected_costs[2] == 772198
    assert [p.cost // 100 for p in result.allocation.periods] == expected_costs
    for period, cost in zip(result.allocation.periods, expected_costs, strict=True):
        assert period.share_of("340").amount // 100 == oracle(cost, REGION_2023, CODES)[2][SORO]
    lines = run("explain", "soro", "-c", "alliance.yaml", "-y", "2025").stdout.splitlines()
    assert lines[1] == (
        "  KKR Sjællands årsværk (Gate21): 730.000 kr. om året i 2023-priser × 1,031 × 1,026 × 12/12 = 772.198,38 kr., "
        "afrundet halvt op til 772.198 kr."
    )
    table = run("table", "-c", "alliance.yaml").stdout
    assert "Beløb i løbende priser: P/L-reguleret fra 2023-niveau med satserne 2024: 3,1 %, 2025: 2,6 %" in table
    doc = __import__("json").loads(run("export", "-", "-f", "json", "-c", "alliance.yaml").stdout)
    assert doc["price_level"] == "current" and doc["indexation"] == {
        "base_year": 2023,
        "rates": {"2024": 3.1, "2025": 2.6, "2026": 0, "2027": 0, "2028": 0},
    }
    assert doc["periods"][2]["items"] == [
        {"cost": 772198, "factor": 1.057806, "kind": "yearly", "label": "KKR Sjællands årsværk (Gate21)", "months": 12}
    ]


@settings(max_examples=30, deadline=None)
@given(st.integers(0, 10**8), st.sampled_from([1, 100, 1000, 100000]))
def test_indexation_with_every_rate_zero_equals_no_indexation(yearly, unit):
    plain = allocate(PERIODS, (YearlyItem("x", yearly),), unit, POPULATION, key_year=2023)
    indexation = Indexation(2023, {year: Fraction(0) for year in range(2024, 2029)})
    indexed = allocate(PERIODS, (YearlyItem("x", yearly, indexed=True),), unit, POPULATION, key_year=2023, indexation=indexation)
    assert [p.shares for p in plain.periods] == [p.shares for p in indexed.periods]
    assert [p.cost for p in plain.periods] == [p.cost for p in indexed.periods]


def test_an_item_with_a_span_and_a_one_off_analysis():
    items = (
        YearlyItem("post", 73000000),
        YearlyItem("second post", 36000000, start=date(2025, 4, 1), end=date(2026, 9, 30)),
        OneOffItem("analysis", 15000000, 2025),
    )
    result = allocate(PERIODS, items, 100, POPULATION, key_year=2023)
    costs = {p.year: p.cost // 100 for p in result.periods}
    # 2025: the post, 9 months of the second (April–December), the analysis; 2026: 9 months (January–September)
    assert costs == {
        2023: 365000,
        2024: 730000,
        2025: 730000 + 360000 * 9 // 12 + 150000,
        2026: 730000 + 270000,
        2027: 730000,
        2028: 365000,
    }
    assert [c.item.label for c in result.periods[2].item_costs] == ["post", "second post", "analysis"]
    assert [c.months for c in result.periods[2].item_costs] == [12, 9, None]
    assert [c.item.label for c in result.periods[1].item_costs] == ["post"]


# --- members who join and leave --------------------------------------------------------------------


def test_lolland_leaving_on_1_july_2026_pays_six_months_and_the_rest_share_its_half_year():
    members = tuple(Membership(code, leaves=date(2026, 7, 1) if code == "360" else None) for code in CODES)
    result = allocate(PERIODS, (YearlyItem("post", 73000000),), 100, POPULATION, key_year=2023, members=members)
    by_year = {p.year: p for p in result.periods}
    weights_2026 = [pop * (6 if code == "360" else 12) for code, pop in zip(CODES, REGION_2023, strict=True)]
    expected_2026 = oracle(730000, weights_2026, CODES)[2]
    assert [s.amount // 100 for s in by_year[2026].shares] == expected_2026
    assert by_year[2026].share_of("360").months == 6 and by_year[2026].share_of("340").months == 12
    assert expected_2026[LOLLAND] == 17558 and expected_2026[SORO] == 26779  # docs/method.md's figures
    without = [pop for code, pop in zip(CODES, REGION_2023, strict=True) if code != "360"]
    assert not by_year[2027].has("360")
    assert [s.amount // 100 for s in by_year[2027].shares] == oracle(730000, without, [c for c in CODES if c != "360"])[2]
    half, full = oracle(365000, REGION_2023, CODES)[2], oracle(730000, REGION_2023, CODES)[2]
    assert result.total_of("360") == 100 * (half[LOLLAND] + 2 * full[LOLLAND] + expected_2026[LOLLAND])  # 2023–2026, in øre


def test_koge_joining_on_1_january_2025_pays_from_then():
    members = tuple(Membership(code, joins=date(2025, 1, 1) if code == "259" else None) for code in CODES)
    result = allocate(PERIODS, (YearlyItem("post", 73000000),), 100, POPULATION, key_year=2023, members=members)
    assert [p.has("259") for p in result.periods] == [False, False, True, True, True, True]


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.integers(1, 10**5), min_size=2, max_size=12),
    st.integers(0, 10**9),
    st.integers(0, 11),
    st.integers(0, 11),
    st.sampled_from([1, 100, 1000]),
)
def test_every_year_reconciles_and_a_members_amount_grows_with_its_months(populations, yearly, position, months, unit):
    codes = [f"{100 + i}" for i in range(len(populations))]
    position %= len(codes)
    table = {2023: {c: Municipality(c, c, p) for c, p in zip(codes, populations, strict=True)}}
    periods = budget_periods(date(2024, 1, 1), date(2024, 12, 31))

    def amount_with(months_in: int) -> int:
        # the member leaves after `months_in` months (0: not a member at all)
        members = tuple(
            Membership(c, leaves=date(2024, months_in + 1, 1) if i == position and months_in < 12 else None)
            for i, c in enumerate(codes)
            if i != position or months_in > 0
        )
        result = allocate(periods, (YearlyItem("x", yearly),), unit, table, key_year=2023, members=members)
        (period,) = result.periods
        assert sum(s.amount for s in period.shares) == period.cost
        return period.share_of(codes[position]).amount if period.has(codes[position]) else 0

    assert amount_with(months) <= amount_with(months + 1)


# --- population keys ---------------------------------------------------------------------------------


def with_2024(workspace) -> dict[str, int]:
    """Add made-up 1 January 2024 figures to the workspace's population file; returns them."""
    lines = workspace.population_lines()
    figures = {line.split(",")[1]: int(line.split(",")[3]) + int(line.split(",")[1]) % 50 for line in lines[1:]}
    names = {line.split(",")[1]: line.split(",")[2] for line in lines[1:]}
    workspace.write_population("\n".join([*lines, *(f"2024,{c},{names[c]},{n}" for c, n in figures.items())]) + "\n")
    return figures


def test_previous_basis_keys_each_budget_year_on_the_year_before(workspace):
    workspace.replace_in_config("  basis: fixed\n  year: 2023\n", "  basis: previous\n")
    past = runner.invoke(app, ["table", "-c", "alliance.yaml", "--lang", "en", "-y", "2024"])  # 2023 is keyed on 2022, not in the file
    assert past.exit_code == 1 and past.stderr.startswith("error: population.csv: no population figures for 1 January 2022")
    lines = workspace.population_lines()
    workspace.write_population("\n".join([*lines, *(line.replace("2023,", "2022,", 1) for line in lines[1:])]) + "\n")
    only_2024 = run("table", "-c", "alliance.yaml", "-y", "2024")  # the whole agreement is computed; 2024 is shown
    assert "indbyggertal 1. januar året før budgetåret (2023: 2022, 2024: 2023" in only_2024.stdout
    missing = runner.invoke(app, ["table", "-c", "alliance.yaml", "--lang", "en", "-y", "2025", "--final"])
    assert missing.exit_code == 1
    assert missing.stderr.splitlines()[0] == (
        "error: population.csv: no population figures for 1 January 2024, the key year of budget year 2025 (years in file: 2022 and 2023) "
        "(hint: fetch it with: costshare population fetch --year 2024)"
    )
    figures = with_2024(workspace)
    result = costshare.compute(workspace.config, (2024, 2025))
    assert [(p.year, p.population_year) for p in result.allocation.periods] == [(2024, 2023), (2025, 2024)]
    weights = [figures[code] for code in CODES]
    assert result.allocation.periods[1].share_of("340").amount // 100 == oracle(730000, weights, CODES)[2][SORO]


def test_latest_basis_takes_the_newest_figures_up_to_the_budget_year(workspace):
    workspace.replace_in_config("  basis: fixed\n  year: 2023\n", "  basis: latest\n")
    with_2024(workspace)
    result = costshare.compute(workspace.config)
    assert [p.population_year for p in result.allocation.periods] == [2023, 2024, 2024, 2024, 2024, 2024]


# --- the analyst's API ----------------------------------------------------------------------------------


def test_compute_and_to_frame_give_exact_values(workspace):
    frame = costshare.compute(workspace.config).to_frame()
    assert list(frame.columns) == ["year", "code", "municipality", "key_year", "population", "months", "weight", "share", "amount", "cost"]
    assert len(frame) == 6 * 17
    soro_2024 = frame[(frame.year == 2024) & (frame.code == "340")].iloc[0]
    assert soro_2024.amount == Decimal("26150.00") and isinstance(soro_2024.amount, Decimal)
    assert soro_2024.share == Fraction(30444, 849857)
    assert frame.groupby("year")["amount"].sum().tolist() == [Decimal(365000), *[Decimal(730000)] * 4, Decimal(365000)]


# --- bad input for every new key -----------------------------------------------------------------------

INDEXED = ("    yearly: 730000\n", "    yearly: 730000\n    indexed: true\n")
RATES = ("population:\n", "indexation:\n  base_year: 2023\n  rates:\n    2024: 3.1\n    2026: 2\n    2027: 2\n    2028: 2\npopulation:\n")


@pytest.mark.parametrize(
    ("edits", "expected"),
    [
        ([INDEXED, RATES], "alliance.yaml:11: indexation.rates: no P/L rate for 2025, which costs[0] needs (hint: add the rate for 2025 under indexation.rates"),
        ([INDEXED], "alliance.yaml:8: costs[0].indexed: an indexed item needs indexation: base_year and rates"),
        ([("    yearly: 730000\n", "    yearly: 730000\n    from: 2025-01-15\n")], "alliance.yaml:8: costs[0].from: 2025-01-15 is not the first day of a month"),
        ([("    yearly: 730000\n", "    yearly: 730000\n    to: 2029-12-31\n")], "alliance.yaml:8: costs[0].to: 2029-12-31 is after the agreement ends (2028-06-30)"),
        ([("    yearly: 730000\n", "    yearly: 730000\n  - label: Analyse\n    one_off: 150000\n    year: 2030\n")], "alliance.yaml:10: costs[1].year: 2030 is not a budget year of the agreement (2023–2028)"),
        ([("    yearly: 730000\n", "    yearly: 730000\n  - label: Analyse\n    one_off: 150000\n")], "alliance.yaml:8: costs[1]: a one_off item needs year"),
        ([("    yearly: 730000\n", "    yearly: 730000\n    one_off: 5\n")], "alliance.yaml:6: costs[0]: a cost item has exactly one of yearly, one_off or per_inhabitant"),
        ([("rounding:", "members: [Sorø, Sorr]\nrounding:")], "alliance.yaml:13: members[1]: no municipality named 'Sorr'; did you mean Sorø or Solrød?"),
        ([("rounding:", "members:\n  - municipality: Lolland\n    joins: 2026-01-01\n    leaves: 2025-07-01\nrounding:")], "alliance.yaml:14: members[0]: leaves (2025-07-01) must come after joins (2026-01-01)"),
        ([("rounding:", "members:\n  - municipality: Køge\n    joins: 2025-01-15\nrounding:")], "alliance.yaml:15: members[0].joins: 2025-01-15 is not the first day of a month"),
        ([("rounding:", "members: [340, soro]\nrounding:")], "alliance.yaml:13: members[1]: 340 is listed more than once (first as members[0])"),
        ([("  basis: fixed\n", "  basis: previous\n")], "alliance.yaml:12: population.year: population.year is used only with basis fixed, not previous (hint: remove it)"),
    ],
    ids=["missing-rate", "indexed-without-indexation", "from-mid-month", "to-after-agreement", "one-off-outside", "one-off-without-year",
         "both-kinds", "unknown-member", "leaves-before-joins", "joins-on-the-15th", "member-twice", "year-with-previous"],
)  # fmt: skip
def test_bad_input_for_each_new_key(workspace, edits, expected):
    for old, new in edits:
        workspace.replace_in_config(old, new)
    result = runner.invoke(app, ["table", "-c", "alliance.yaml", "--lang", "en"])
    assert result.exit_code == 1, result.output
    assert result.stderr.startswith("error: " + expected), result.stderr
    assert len(result.stderr.splitlines()) == 1


# --- check and compare -------------------------------------------------------------------------------


def test_check_the_shipped_decided_figures_and_a_wrong_one(workspace):
    (workspace.root / "decided.csv").write_text("year;code;kommune;amount\n2023;340;Sorø;13075\n2024;340;Sorø;26150,00\n", encoding="utf-8")
    result = run("check", "decided.csv", "-c", "alliance.yaml")
    assert result.exit_code == 0
    assert result.stdout.splitlines() == [
        "2023 · Sorø (340): 13.075 kr. stemmer",
        "2024 · Sorø (340): 26.150 kr. stemmer",
        "Begge besluttede beløb stemmer med beregningen.",
    ]
    (workspace.root / "wrong.csv").write_text("year,code,amount\n2024,340,26100\n2026,330,68484\n", encoding="utf-8")
    result = runner.invoke(app, ["check", "wrong.csv", "-c", "alliance.yaml", "--lang", "en"])
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        "2024 · Sorø (340): computed 26,150 DKK, decided 26,100 DKK, difference +50 DKK",
        "2026 · Slagelse (330): 68,484 DKK matches",
        "1 of 2 decided amounts differ from the computation.",
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("year,code,amount\n2024,340,26.150,00\n", "error: d.csv:2: expected 3 fields, found 4"),
        (  # a thousands dot is read (26.150); a comma before three digits is neither that nor øre
            "year;code;amount\n2024;340;26,150\n",
            "error: d.csv:2: amount '26,150' is not an amount in kroner (hint: write kroner without thousands separators",
        ),
        ("year,code,amount\n2031,340,1\n", "error: d.csv:2: 2031 is not a budget year of the agreement (2023–2028)"),
        ("year,amount\n2024,1\n", "error: d.csv:1: missing column(s) code"),
    ],
)
def test_check_refuses_a_bad_file_of_decided_figures(workspace, text, expected):
    (workspace.root / "d.csv").write_text(text, encoding="utf-8")
    result = runner.invoke(app, ["check", "d.csv", "-c", "alliance.yaml", "--lang", "en"])
    assert result.exit_code == 1
    assert result.stderr.startswith(expected)


def test_decided_figures_are_read_by_the_population_files_rules_for_a_trailing_delimiter(workspace):
    (workspace.root / "d.csv").write_text("year;code;amount;\n2024;340;26150\n2025;340;26150;\n", encoding="utf-8")
    result = run("check", "d.csv", "-c", "alliance.yaml")
    assert result.exit_code == 0
    assert result.stdout.splitlines()[:2] == ["2024 · Sorø (340): 26.150 kr. stemmer", "2025 · Sorø (340): 26.150 kr. stemmer"]
    (workspace.root / "d.csv").write_text("year;code;amount;\n2024;340;26150;1\n", encoding="utf-8")
    result = runner.invoke(app, ["check", "d.csv", "-c", "alliance.yaml", "--lang", "en"])
    assert result.exit_code == 1
    assert result.stderr.startswith("error: d.csv:2: expected 3 fields, found 4")


def lolland_leaves(workspace):
    text = workspace.config.read_text(encoding="utf-8")
    names = [line.split(",")[2] for line in workspace.population_lines()[1:]]
    members = "".join(f"  - {name}\n" if name != "Lolland" else "  - municipality: Lolland\n    leaves: 2026-07-01\n" for name in names)
    (workspace.root / "other.yaml").write_text(text.replace("rounding:", "members:\n" + members + "rounding:"), encoding="utf-8")


def test_compare_shows_base_other_and_difference_with_a_totals_row(workspace):
    lolland_leaves(workspace)
    result = run("compare", "other.yaml", "-c", "alliance.yaml", "-y", "2026", "-y", "2027", "-m", "lolland", "-m", "soro")
    rows = [[cell.strip() for cell in line.split("│")[1:-1]] for line in result.stdout.splitlines() if line.startswith("│")]
    assert rows == [
        ["Sorø", "340", "2026", "26.150 kr.", "26.779 kr.", "+629 kr.", "+2,41 %"],
        ["Sorø", "340", "2027", "26.150 kr.", "27.439 kr.", "+1.289 kr.", "+4,93 %"],
        ["Lolland", "360", "2026", "34.291 kr.", "17.558 kr.", "-16.733 kr.", "-48,80 %"],
        ["Lolland", "360", "2027", "34.291 kr.", "–", "-34.291 kr.", "-100,00 %"],  # gone: it pays 0 under the other
        ["I alt", "", "", "120.882 kr.", "71.776 kr.", "-49.106 kr.", "-40,62 %"],
    ]
    assert "Alternativ adskiller sig i: medlemmer" in result.stdout
    assert run("compare", "other.yaml", "-c", "alliance.yaml", "--out", "c.json").exit_code == 0
    doc = __import__("json").loads((workspace.root / "c.json").read_text(encoding="utf-8"))
    assert doc["differs_in"] == ["members"]
    lolland_2027 = next(r for r in doc["rows"] if r["code"] == "360" and r["year"] == 2027)
    assert lolland_2027 == {
        "base": 34291,
        "code": "360",
        "difference": -34291,
        "difference_percent": -100,
        "municipality": "Lolland",
        "other": None,
        "year": 2027,
        "base_projected": False,
        "other_projected": None,
    }
    for year in range(2023, 2029):
        rows_of_year = [r for r in doc["rows"] if r["year"] == year]
        assert sum(r["base"] or 0 for r in rows_of_year) == sum(r["other"] or 0 for r in rows_of_year)  # each side adds up to the cost
    assert run("compare", "other.yaml", "-c", "alliance.yaml", "--out", "c.xlsx").exit_code == 0
    assert run("compare", "other.yaml", "-c", "alliance.yaml", "--out", "c.csv").exit_code == 0
    again = runner.invoke(app, ["compare", "other.yaml", "-c", "alliance.yaml", "--lang", "en", "--out", "c.csv"])
    assert again.exit_code == 1 and again.stderr.endswith("error: c.csv: file exists (hint: pass --force to overwrite it)\n")


def test_the_table_marks_the_years_a_municipality_does_not_pay(workspace):
    lolland_leaves(workspace)
    out = run("table", "-c", "other.yaml").stdout
    lolland = next(line for line in out.splitlines() if "Lolland" in line)
    full_years = [oracle(cost, REGION_2023, CODES)[2][LOLLAND] for cost in (365000, 730000, 730000)]
    weights_2026 = [pop * (6 if code == "360" else 12) for code, pop in zip(CODES, REGION_2023, strict=True)]
    expected = [*full_years, oracle(730000, weights_2026, CODES)[2][LOLLAND]]
    assert [cell.strip() for cell in lolland.split("│")[3:9]] == [f"{amount:,}".replace(",", ".") for amount in expected] + ["–", "–"]
    assert "Indbyggere 1.1.2023" not in out  # no single population column when membership changes


def test_a_budget_year_in_which_no_member_pays_is_an_error(workspace):
    workspace.replace_in_config("rounding:", "members:\n  - municipality: Sorø\n    leaves: 2024-01-01\nrounding:")
    result = runner.invoke(app, ["table", "-c", "alliance.yaml", "--lang", "en"])
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0] == (
        "error: population.csv: no member pays in budget year 2024 (hint: check joins and leaves under members in the config)"
    )


def test_the_workbook_names_the_key_years_of_a_previous_basis(workspace):
    import openpyxl

    workspace.replace_in_config("  basis: fixed\n  year: 2023\n", "  basis: previous\n")
    workspace.replace_in_config("end: 2028-06-30", "end: 2024-12-31")
    with_2024(workspace)
    workspace.replace_in_config("start: 2023-07-01", "start: 2024-01-01")
    assert run("export", "b.xlsx", "-c", "alliance.yaml").exit_code == 0
    basis = {row[0]: row[1] for row in openpyxl.load_workbook(workspace.root / "b.xlsx")["Grundlag"].iter_rows(values_only=True)}
    assert basis["Befolkningsgrundlag"] == "indbyggertal 1. januar året før budgetåret (2024: 2023)"


def test_a_one_off_item_is_described_as_one_in_the_statement_and_the_workbook(workspace):
    import openpyxl

    workspace.replace_in_config(
        "    yearly: 730000\n", "    yearly: 730000\n  - label: Analyse af varmeplaner\n    one_off: 150000\n    year: 2025\n"
    )
    lines = run("statement", "soro", "-c", "alliance.yaml").stdout.splitlines()
    assert (
        "Udgift der deles: KKR Sjællands årsværk (Gate21), 730.000 kr. pr. helt år; Analyse af varmeplaner, 150.000 kr. engangsbeløb i 2025"
        in lines
    )
    assert run("export", "b.xlsx", "-c", "alliance.yaml").exit_code == 0
    basis = {row[0]: row[1] for row in openpyxl.load_workbook(workspace.root / "b.xlsx")["Grundlag"].iter_rows(values_only=True)}
    assert basis["Engangsbeløb 2025: Analyse af varmeplaner"] == 150000
    doc = __import__("json").loads(run("export", "-", "-f", "json", "-c", "alliance.yaml").stdout)
    assert doc["costs"][1] == {"kind": "one_off", "label": "Analyse af varmeplaner", "one_off": 150000, "year": 2025}
    assert doc["periods"][2]["cost"] == 880000
