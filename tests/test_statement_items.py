"""A member's statement shows each cost item's amount per budget year with its key in words, and every share it shows
is the amount beside it over the cost it names: read back from the statement's text and checked by Fraction
arithmetic here, against a split of the agreement written out below."""

from __future__ import annotations

import re
import shutil
import subprocess
from fractions import Fraction

import pytest
from typer.testing import CliRunner

from costshare.cli import app

from .conftest import CODES, REGION_2023

runner = CliRunner()

CONFIG = """\
alliance: Sjællands Klimaalliance
agreement:
  start: 2026-01-01
  end: 2028-12-31
population:
  file: population.csv
  basis: fixed
  year: 2023
costs:
  - label: Sekretariat
    yearly: 6000000
    key: {blend: {equal: 30, population: 70}}
  - label: Klimasekretariat
    per_inhabitant: 8
    cap: 450000
  - label: Årsværk
    yearly: 730000
"""
YEARS = ("2026", "2027", "2028")
POPULATION = dict(zip(CODES, REGION_2023, strict=True))
TOTAL = sum(REGION_2023)


def exact_items(code: str) -> dict[str, Fraction]:
    """The member's exact amount of each item in a full year, in kroner, by the agreement's rules written out."""
    people = POPULATION[code]
    return {
        "Sekretariat": 6000000 * (Fraction(30, 100) / len(CODES) + Fraction(70, 100) * Fraction(people, TOTAL)),
        "Klimasekretariat": Fraction(min(8 * people, 450000)),
        "Årsværk": 730000 * Fraction(people, TOTAL),
    }


def kroner(text: str) -> int:
    assert text.endswith(" kr."), text
    return int(text.removesuffix(" kr.").replace(".", ""))


def percent(text: str) -> Fraction:
    assert text.endswith(" %"), text
    return Fraction(text.removesuffix(" %").replace(",", "."))


def year_table(text: str) -> list[list[str]]:
    """The statement's year table, row by row, each row its cells (an item's row begins with its indent)."""
    lines = text.splitlines()
    rules = [index for index, line in enumerate(lines) if line and set(line) == {"-"}]
    assert re.split(r"\s{2,}", lines[rules[0] - 1]) == ["Budgetår", "Beløb", "Udgift", "Fordelingsnøgle", "Andel af udgiften"]
    rows = lines[rules[0] + 1 : rules[1]] + [lines[rules[1] + 1]]
    return [[line[:2] if line.startswith("  ") else "", *re.split(r"\s{2,}", line.strip())] for line in rows]


def shown_share_is_amount_over_base(share: str, amount: int, base: int) -> None:
    """The share as shown (4 decimals) is the amount over the base, rounded: share × base = amount, to the share's
    own precision."""
    exact = Fraction(amount, base) * 100
    assert abs(percent(share) - exact) <= Fraction(1, 2 * 10**4), (share, amount, base)


@pytest.fixture
def statements(workspace) -> dict[str, str]:
    workspace.write_config(CONFIG)
    made = {}
    for code in CODES:
        result = runner.invoke(app, ["statement", code, "-c", "alliance.yaml", "--date", "2026-02-01"], catch_exceptions=False)
        assert result.exit_code == 0, result.output
        made[code] = result.stdout
    return made


def test_each_statement_shows_three_items_a_year_with_their_keys_and_shares_of_named_costs(statements):
    keys = {
        "Sekretariat": "30 % ligelig fordeling + 70 % indbyggertal",
        "Klimasekretariat": "8 kr. pr. indbygger, højst 450.000 kr. om året",
        "Årsværk": "indbyggertal",
    }
    item_columns: dict[tuple[str, str], int] = {}  # (year, item) → the members' amounts added up
    item_costs: dict[tuple[str, str], int] = {}
    for code, text in statements.items():
        rows = year_table(text)
        table, total = rows[:-1], rows[-1]
        years = [index for index, row in enumerate(table) if row[0] == ""]
        assert [table[index][1] for index in years] == list(YEARS)
        for start, end in zip(years, [*years[1:], len(table)], strict=True):
            year_row, items = table[start], table[start + 1 : end]
            year = year_row[1]
            amount, cost = kroner(year_row[2]), kroner(year_row[3])
            shown_share_is_amount_over_base(year_row[-1], amount, cost)
            assert [row[0] for row in items] == ["  "] * 3
            assert [(row[1], row[4]) for row in items] == list(keys.items())
            item_amounts = [kroner(row[2]) for row in items]
            assert sum(item_amounts) == amount  # a member's items add up to its amount
            for row, (label, exact) in zip(items, exact_items(code).items(), strict=True):
                item_amount, item_cost = kroner(row[2]), kroner(row[3])
                shown_share_is_amount_over_base(row[5], item_amount, item_cost)
                assert abs(item_amount - exact) < 1  # within one krone of its exact share
                item_columns[year, label] = item_columns.get((year, label), 0) + item_amount
                assert item_costs.setdefault((year, label), item_cost) == item_cost
            assert cost == sum(item_costs[year, label] for label in keys)
        assert total[1] == "I alt" and kroner(total[2]) == sum(kroner(table[index][2]) for index in years)
    assert item_columns == item_costs  # over the members, each item's amounts add up to its cost
    expected = {label: sum(exact_items(code)[label] for code in CODES) for label in keys}
    for year in YEARS:
        assert item_costs[year, "Sekretariat"] == expected["Sekretariat"] == 6000000
        assert item_costs[year, "Årsværk"] == expected["Årsværk"] == 730000
        assert item_costs[year, "Klimasekretariat"] == expected["Klimasekretariat"]


def test_the_statement_lists_a_rate_item_by_its_rate_never_as_0_kr(statements):
    text = statements["265"]  # Roskilde: 90.446 inhabitants × 8 kr. is over the cap
    assert (
        "Udgift der deles: Sekretariat, 6.000.000 kr. pr. helt år; Klimasekretariat, 8 kr. pr. indbygger, højst 450.000 kr. om året; "
        "Årsværk, 730.000 kr. pr. helt år"
    ) in text
    assert " 0 kr." not in text
    roskilde = [row for row in year_table(text) if row[1] == "Klimasekretariat"]
    assert [row[2] for row in roskilde] == ["450.000 kr."] * 3  # the cap holds
    assert "Metode: Fordelt efter hver udgiftsposts egen fordelingsnøgle eller sats med største brøks metode" in text


PDFTOTEXT = shutil.which("pdftotext")


@pytest.mark.skipif(PDFTOTEXT is None, reason="pdftotext (poppler-utils) is not installed; .ci/run installs it")
def test_the_pdf_and_the_markdown_show_the_same_item_rows(statements, workspace):
    assert PDFTOTEXT is not None
    assert runner.invoke(app, ["statement", "265", "-c", "alliance.yaml", "--out", "roskilde.pdf"]).exit_code == 0
    text = subprocess.run([PDFTOTEXT, "-layout", "roskilde.pdf", "-"], capture_output=True, text=True, check=True).stdout
    rows = [line.split() for line in text.splitlines() if line.strip().startswith("Klimasekretariat ")]
    rate = sum(min(8 * people, 450000) for people in REGION_2023)  # what the members pay of the rate item together
    assert len(rows) == 3 and all(row[1:5] == ["450.000", "kr.", f"{rate:,}".replace(",", "."), "kr."] for row in rows)
    for row in rows:
        shown_share_is_amount_over_base(" ".join(row[-2:]), 450000, rate)
    markdown = runner.invoke(app, ["statement", "265", "-c", "alliance.yaml", "-f", "md", "--lang", "en"]).stdout
    assert "| Budget year | Amount | Cost | Key | Share of the cost |" in markdown
    assert (
        "| &nbsp;&nbsp;Klimasekretariat | 450,000 DKK | 5,891,840 DKK | 8 DKK per inhabitant, at most 450,000 DKK a year | 7.6377 % |"
        in markdown
    )


def test_the_report_shows_each_items_cost_per_year_and_the_table_names_each_items_key(statements, workspace):
    assert runner.invoke(app, ["bundle", "b", "-c", "alliance.yaml"]).exit_code == 0
    report = (workspace.root / "b" / "report.html").read_text(encoding="utf-8")
    rate = sum(min(8 * people, 450000) for people in REGION_2023)
    assert (
        '<tr><th scope="row">Klimasekretariat</th><td class="text">8 kr. pr. indbygger, højst 450.000 kr. om året</td>'
        + f"<td>{rate:,}</td>".replace(",", ".") * 3
    ) in report
    assert "Hvert budgetårs udgift fordeles efter hver udgiftsposts egen fordelingsnøgle eller sats" in report
    table = runner.invoke(app, ["table", "-c", "alliance.yaml"]).stdout
    assert "Fordelt efter hver udgiftsposts egen fordelingsnøgle eller sats med største brøks metode" in table
    assert "Fordelt efter indbyggertal" not in table
