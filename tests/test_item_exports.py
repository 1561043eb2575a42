"""Each cost item visible in the exports: with a yearly item, a 30/70 blend item and a capped rate per inhabitant, the
CSV files, the JSON and the workbook give each member's amount of each item, adding up to the member's amount and,
over the members, to each item's cost. The split is written out here with Fractions and largest remainder
(tests/oracles.py), never by costshare's code; and `table --items` shows the same lines."""

from __future__ import annotations

import csv
import io
import json
import math
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

import openpyxl
import pytest
from typer.testing import CliRunner

from costshare.cli import app

from .conftest import CODES, REGION_2023
from .oracles import hamilton

CONFIG = """\
alliance: Klimasekretariatet
agreement:
  start: 2025-07-01
  end: 2026-12-31
costs:
  - label: Sekretariat
    yearly: 730000
  - label: Bestyrelse
    yearly: 170001
    key: {blend: {equal: 30, population: 70}}
  - label: Medlemsbidrag
    per_inhabitant:
      - {rate: 8}
    cap: 450000
population:
  file: population.csv
  basis: fixed
  year: 2023
"""
ITEMS = ("Sekretariat", "Bestyrelse", "Medlemsbidrag")
POPULATION = dict(zip(CODES, REGION_2023, strict=True))
UNIT = 100  # whole kroner, in øre
runner = CliRunner()


def half_up(exact: Fraction) -> int:
    """To the nearest whole krone, in øre, halves up."""
    return math.floor(exact / UNIT + Fraction(1, 2)) * UNIT


@dataclass(frozen=True)
class Year:
    """A budget year written out: each item's cost, each member's exact share of each item, each member's amount (øre)."""

    costs: tuple[int, int, int]
    exact: dict[str, tuple[Fraction, Fraction, Fraction]]
    amounts: dict[str, int]


def written_out() -> dict[int, Year]:
    """Each budget year's split worked out here: each item's cost, each member's exact share of each item, and each
    member's amount (largest remainder of the shared items, plus its own rate), in øre."""
    total_population = sum(POPULATION.values())
    years: dict[int, Year] = {}
    for year, months in ((2025, 6), (2026, 12)):
        secretariat = half_up(Fraction(730000_00 * months, 12))
        board = half_up(Fraction(170001_00 * months, 12))
        rate = {code: half_up(min(800 * people, 450000_00) * Fraction(months, 12)) for code, people in POPULATION.items()}
        exact = {
            code: (
                Fraction(secretariat * people, total_population),
                board * (Fraction(30, 100 * 17) + Fraction(70 * people, 100 * total_population)),
                Fraction(rate[code]),
            )
            for code, people in POPULATION.items()
        }
        split = hamilton(secretariat + board, {code: shares[0] + shares[1] for code, shares in exact.items()}, UNIT)
        amounts = {code: split[code] + rate[code] for code in POPULATION}
        years[year] = Year((secretariat, board, sum(rate.values())), exact, amounts)
    return years


@pytest.fixture
def alliance(workspace):
    workspace.write_config(CONFIG)
    return workspace


def ok(*args: str):
    result = runner.invoke(app, [*args, "-c", "alliance.yaml"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result


def assert_adds_up(year: int, by_member: dict[str, list[int]]) -> None:
    """Item amounts (øre) of every member in `year`: each within a krone of its exact share, a member's adding up to
    its amount, each item's over the members to its cost."""
    expected = written_out()[year]
    assert set(by_member) == set(CODES)
    for code, amounts in by_member.items():
        assert sum(amounts) == expected.amounts[code], (year, code)
        for amount, exact in zip(amounts, expected.exact[code], strict=True):
            assert abs(amount - exact) < UNIT, (year, code, amount, exact)
    assert tuple(sum(amounts[index] for amounts in by_member.values()) for index in range(3)) == expected.costs


def in_ore(text: str) -> int:
    return int(Decimal(text) * 100)


def test_the_long_csv_gives_each_items_amount_beside_the_members_headed_by_item_and_key(alliance):
    text = ok("export", "-", "--layout", "long", "--dialect", "rfc4180", "--lang", "en").stdout
    header, *rows = list(csv.reader(io.StringIO(text)))
    assert header[9:] == [
        "Amount",
        "Sekretariat: population",
        "Bestyrelse: 30 % equal shares + 70 % population",
        "Medlemsbidrag: 8 DKK per inhabitant, at most 450,000 DKK a year",
        "Provisional",
    ]
    for year in (2025, 2026):
        of_year = [row for row in rows if row[0] == str(year)]
        cost = sum(written_out()[year].costs)
        for row in of_year:
            assert in_ore(row[9]) == written_out()[year].amounts[row[4]]
            # the share is of the year's whole cost, rate item included: × the cost it is the amount before rounding
            assert abs(Decimal(row[8]) * cost - in_ore(row[9])) < 110, row
        assert_adds_up(year, {row[4]: [in_ore(cell) for cell in row[10:13]] for row in of_year})


def test_the_wide_csv_gives_each_items_total_after_the_total(alliance):
    text = ok("export", "-", "--dialect", "rfc4180").stdout
    header, *rows = list(csv.reader(io.StringIO(text)))
    assert header[-4:] == ["I alt", *ITEMS]
    members, totals = rows[:-1], rows[-1]
    expected = written_out()
    for row in members:
        code = row[0]
        assert in_ore(row[-4]) == sum(expected[year].amounts[code] for year in (2025, 2026))
        assert sum(in_ore(cell) for cell in row[-3:]) == in_ore(row[-4])
    item_costs = [sum(expected[year].costs[index] for year in (2025, 2026)) for index in range(3)]
    assert [in_ore(cell) for cell in totals[-3:]] == item_costs
    assert [sum(in_ore(row[index]) for row in members) for index in (-3, -2, -1)] == item_costs


def test_the_json_gives_each_items_amount_beside_its_exact_share(alliance):
    doc = json.loads(ok("export", "-", "--format", "json").stdout, parse_float=Decimal)
    for period in doc["periods"]:
        by_member = {}
        for allocation in period["allocations"]:
            shared = {item["label"]: item for item in allocation["items"]}
            assert set(shared) == {"Sekretariat", "Bestyrelse"}
            assert all("exact" in item and "parts" in item for item in shared.values())  # what the export gave before
            (rate,) = allocation["rates"]
            amounts = [
                in_ore(str(shared["Sekretariat"]["amount"])),
                in_ore(str(shared["Bestyrelse"]["amount"])),
                in_ore(str(rate["amount"])),
            ]
            assert in_ore(str(allocation["amount"])) == sum(amounts)
            by_member[allocation["code"]] = amounts
        assert_adds_up(period["year"], by_member)


def test_the_workbook_gives_each_item_on_both_sheets(alliance):
    ok("export", "budget.xlsx")
    book = openpyxl.load_workbook(alliance.root / "budget.xlsx")
    data = list(book["Data"].iter_rows(values_only=True))
    assert data[0][10:13] == (
        "Sekretariat: indbyggertal",
        "Bestyrelse: 30 % ligelig fordeling + 70 % indbyggertal",
        "Medlemsbidrag: 8 kr. pr. indbygger, højst 450.000 kr. om året",
    )
    for year in (2025, 2026):
        assert_adds_up(year, {row[4]: [round(cell * 100) for cell in row[10:13]] for row in data[1:] if row[0] == year})
    wide = [row for row in book["Fordeling"].iter_rows(values_only=True) if row[0] is not None or row[1] == "I alt"]
    header = next(row for row in wide if row[0] == "Kode")
    assert header[-4:] == ("I alt", *ITEMS)
    totals = next(row for row in wide if row[1] == "I alt")
    expected = written_out()
    assert [round(cell * 100) for cell in totals[-3:]] == [sum(expected[y].costs[i] for y in (2025, 2026)) for i in range(3)]
    basis = {row[0]: row[1] for row in book["Grundlag"].iter_rows(values_only=True) if row[0]}
    assert basis["Udgiftspost (pr. helt år): Medlemsbidrag"] == "8 kr. pr. indbygger, højst 450.000 kr. om året"  # not 0 kr.


def test_the_table_shows_a_line_per_item_under_each_member_and_the_totals(alliance):
    lines = ok("table", "--items", "-m", "340").stdout.splitlines()
    expected = written_out()
    cells = [[cell.strip() for cell in line.strip("│┃").split("│")] for line in lines if line.startswith("│")]
    soro, *items = cells[:4]
    assert soro[:2] == ["Sorø", "340"] and [item[0] for item in items] == list(ITEMS)
    for column, year in ((2, 2025), (3, 2026)):
        assert in_ore(soro[column].replace(".", "")) == expected[year].amounts["340"]
        assert sum(in_ore(item[column].replace(".", "")) for item in items) == expected[year].amounts["340"]
    totals, *item_totals = cells[4:8]
    assert totals[0] == "I alt (17 kommuner)" and [item[0] for item in item_totals] == list(ITEMS)
    for column, year in ((2, 2025), (3, 2026)):
        assert [in_ore(item[column].replace(".", "")) for item in item_totals] == list(expected[year].costs)


def test_a_decided_year_shows_its_decided_amounts_and_no_item_amounts(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("COSTSHARE_CONFIG", raising=False)
    assert runner.invoke(app, ["init"], catch_exceptions=False).exit_code == 0
    config = tmp_path / "config" / "alliance.yaml"
    text = config.read_text(encoding="utf-8").replace("# decided: ../data/vedtaget.csv", "decided: ../data/vedtaget.csv")
    item = "  - label: KKR Sjællands årsværk (Gate21)\n    yearly: 730000\n"
    assert item in text
    config.write_text(text.replace(item, item + "  - label: Analyse\n    yearly: 100000\n    key: equal\n"), encoding="utf-8")
    decided = runner.invoke(app, ["decide", "--year", "2024", "--reference", "KKR pkt. 4"], catch_exceptions=False)
    assert decided.exit_code == 0, decided.output

    def run(*args: str) -> str:
        result = runner.invoke(app, list(args), catch_exceptions=False)
        assert result.exit_code == 0, result.output
        return result.stdout

    header, *rows = list(csv.reader(io.StringIO(run("export", "-", "--layout", "long", "--dialect", "rfc4180"))))
    assert header[10:12] == ["KKR Sjællands årsværk (Gate21): indbyggertal", "Analyse: ligelig fordeling"]
    soro = {row[0]: row for row in rows if row[4] == "340"}
    assert soro["2024"][10:12] == ["", ""] and soro["2024"][9] != ""  # the decided amount, no items
    assert in_ore(soro["2025"][10]) + in_ore(soro["2025"][11]) == in_ore(soro["2025"][9])
    assert abs(in_ore(soro["2025"][11]) - Fraction(100000_00, 17)) < UNIT  # Analyse equally among 17
    periods = {period["year"]: period for period in json.loads(run("export", "-", "--format", "json"))["periods"]}
    assert all("items" not in allocation for allocation in periods[2024]["allocations"])
    assert all(len(allocation["items"]) == 2 for allocation in periods[2025]["allocations"])
    wide_header, *wide = list(csv.reader(io.StringIO(run("export", "-", "--dialect", "rfc4180"))))
    assert wide_header[-2:] == ["KKR Sjællands årsværk (Gate21)", "Analyse"]
    assert all(row[-2:] == ["", ""] for row in wide)  # a total over the years that holds a decided one has no items
