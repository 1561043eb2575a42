"""Provisional budget years in every document: `--final` asks only that the years shown be final, every total over
provisional years says how much of it is provisional, and every document marks such a year "foreløbig".

The autumn case (tests/test_autumn.py): 2027 and 2028 are provisional; Stevns leaves on 1 January 2027. Expected
figures come from that test's own computation of the split, never from costshare's."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from costshare.cli import app

from . import test_autumn
from .test_autumn import YEARS, expected, ok

autumn = test_autumn.autumn  # the fixture: the agreement in autumn 2025

runner = CliRunner()
PROVISIONAL = (2027, 2028)


def fails(*args: str, lang: str = "en"):
    result = runner.invoke(app, [*args, "-c", "alliance.yaml", "--lang", lang])
    assert result.exit_code == 1, result.output
    return result


# --- --final concerns the years shown ---------------------------------------------------------------


@pytest.mark.parametrize(
    "command",
    [["table"], ["export", "-"], ["explain", "sorø"], ["statement", "sorø"], ["validate"], ["check", "d.csv"], ["bundle", "ud"],
     ["compare", "alliance.yaml"]],
    ids=lambda command: command[0],
)  # fmt: skip
def test_final_concerns_only_the_years_shown(autumn, command):
    (autumn / "d.csv").write_text(f"year;code;amount\n2026;340;{expected()[2026]['340']}\n", encoding="utf-8")
    ok(*command, "--final", "--year", "2026")
    ok(*(part + "2" if part == "ud" else part for part in command), "--final", "--year", "2024-2026")


def test_final_still_refuses_a_provisional_year_shown(autumn):
    (line,) = fails("table", "--final", "--year", "2026-2027").stderr.splitlines()
    assert line.startswith("error: alliance.yaml:14: indexation.rates: no P/L rate for 2027, which costs[0] needs")
    assert len(fails("table", "--final").stderr.splitlines()) == 2  # 2027 and 2028


def test_final_for_a_year_shows_its_figures_as_without_final(autumn):
    final = ok("table", "--final", "--year", "2026").stdout
    assert final == ok("table", "--year", "2026").stdout
    sorø = next(line for line in final.splitlines() if "Sorø" in line)
    assert f"{expected()[2026]['340']:,}".replace(",", ".") in sorø


# --- compare adds up, and keeps the marks of both sides ------------------------------------------------


def other_config(autumn, fixed: bool = False) -> str:
    """The autumn config with Stevns staying and Lolland leaving on 1 January 2026; `fixed`: keyed on 1 January 2025
    with the P/L rates to 2028 given, so no year of it is provisional."""
    text = (autumn / "alliance.yaml").read_text(encoding="utf-8")
    text = text.replace("  - 360\n", "  - municipality: Lolland\n    leaves: 2026-01-01\n").replace("    leaves: 2027-01-01\n", "")
    if fixed:
        text = text.replace("  basis: previous\n", "  basis: fixed\n  year: 2025\n").replace(
            "    2026: 2.9\n", "    2026: 2.9\n    2027: 2.0\n    2028: 2.0\n"
        )
    name = "fixed.yaml" if fixed else "other.yaml"
    (autumn / name).write_text(text, encoding="utf-8")
    return name


def screen_rows(stdout: str) -> list[list[str]]:
    return [[cell.strip() for cell in line.split("│")[1:-1]] for line in stdout.splitlines() if line.startswith("│")]


def kroner(cell: str) -> int:
    """'-34.291 kr.' → -34291; '–' (no amount) → 0."""
    return 0 if cell == "–" else int(cell.removesuffix(" kr.").replace(".", "").replace("+", ""))


@pytest.mark.parametrize("fixed", [False, True])
def test_every_difference_column_of_compare_adds_up_to_its_total(autumn, fixed):
    import openpyxl

    other = other_config(autumn, fixed)
    rows = screen_rows(ok("compare", other, "--out", "c.csv").stdout)
    *members, total = rows
    assert total[0] == "I alt"
    for column in (3, 4, 5):  # base, other, difference
        assert sum(kroner(row[column]) for row in members) == kroner(total[column])
    base_total = sum(sum(amounts.values()) for amounts in expected().values())
    assert kroner(total[3]) == base_total
    assert kroner(total[5]) == kroner(total[4]) - base_total

    stevns_2027 = next(row for row in members if row[1] == "336" and row[2].startswith("2027"))
    assert stevns_2027[3] == "–" and kroner(stevns_2027[5]) == kroner(stevns_2027[4]) > 0  # pays under the other config only
    lolland_2026 = next(row for row in members if row[1] == "360" and row[2] == "2026")
    assert lolland_2026[4] == "–" and kroner(lolland_2026[5]) == -kroner(lolland_2026[3]) == -expected()[2026]["360"]

    lines = (autumn / "c.csv").read_text(encoding="utf-8-sig").splitlines()
    header, *cells = [line.split(";") for line in lines]
    assert header[5] == "Forskel" and cells[-1][2] == "I alt"
    assert sum(int(row[5]) for row in cells[:-1]) == int(cells[-1][5]) == kroner(total[5])
    assert sum(int(row[5]) for row in cells[:-1] if row[0] == "2027") == sum(kroner(row[5]) for row in members if row[2].startswith("2027"))

    ok("compare", other, "--out", "c.xlsx")
    sheet = openpyxl.load_workbook(autumn / "c.xlsx").worksheets[0]
    *body, last = list(sheet.iter_rows(min_row=2, values_only=True))
    for column in (3, 4, 5):
        assert sum(row[column] or 0 for row in body) == last[column]
    assert last[5] == kroner(total[5])


def test_compare_marks_the_provisional_years_of_each_side(autumn):
    both = screen_rows(ok("compare", other_config(autumn)).stdout)
    assert [row[2] for row in both if row[1] == "340"] == ["2023", "2024", "2025", "2026", "2027 (foreløbig)", "2028 (foreløbig)"]
    one = screen_rows(ok("compare", other_config(autumn, fixed=True), "--out", "c.csv").stdout)
    sorø = [row[2] for row in one if row[1] == "340"]
    assert sorø == ["2023", "2024", "2025", "2026", "2027 (foreløbig i grundlaget)", "2028 (foreløbig i grundlaget)"]
    lolland, stevns = ({row[2] for row in one if row[1] == code and row[2] >= "2027"} for code in ("360", "336"))
    assert (lolland, stevns) == ({"2027 (foreløbig)", "2028 (foreløbig)"}, {"2027", "2028"})  # the one amount shown is (not) provisional
    english = screen_rows(ok("compare", "fixed.yaml", lang="en").stdout)
    assert "2027 (provisional in base)" in {row[2] for row in english}

    header, *rows = [line.split(";") for line in (autumn / "c.csv").read_text(encoding="utf-8-sig").splitlines()]
    assert header[-2:] == ["Foreløbig i grundlaget", "Foreløbig i alternativet"]
    marks = {(row[0], row[-2], row[-1]) for row in rows[:-1] if row[1] == "340"}
    assert marks == {(str(year), "ja" if year in PROVISIONAL else "nej", "nej") for year in YEARS}
    stevns_marks = {row[0]: (row[-2], row[-1]) for row in rows[:-1] if row[1] == "336"}
    assert stevns_marks["2027"] == ("", "nej")  # no amount under the base config, so no mark there

    ok("compare", "fixed.yaml", "--out", "c.json")
    import json

    document = json.loads((autumn / "c.json").read_text(encoding="utf-8"))
    sorø_2027 = next(row for row in document["rows"] if row["code"] == "340" and row["year"] == 2027)
    assert (sorø_2027["base_projected"], sorø_2027["other_projected"]) == (True, False)
