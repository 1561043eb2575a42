"""Provisional budget years in every document: `--final` asks only that the years shown be final, every total over
provisional years says how much of it is provisional, and every document marks such a year "foreløbig".

The autumn case (tests/test_autumn.py): 2027 and 2028 are provisional; Stevns leaves on 1 January 2027. Expected
figures come from that test's own computation of the split, never from costshare's."""

from __future__ import annotations

import json
import math
from fractions import Fraction

import pytest
from typer.testing import CliRunner

from costshare.cli import app

from . import test_autumn
from .conftest import CODES
from .test_apportion import oracle
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


def other_split(fixed: bool) -> dict[int, dict[str, int]]:
    """{budget year: {code: kroner}} under other_config's config, from scratch as test_autumn.expected: Stevns stays,
    Lolland leaves on 1 January 2026; `fixed`: keyed on 1 January 2025 every year, P/L 2,0 % in 2027 and in 2028."""
    rates = {**test_autumn.RATES, **({2027: Fraction(2), 2028: Fraction(2)} if fixed else {})}
    result = {}
    for year, months in YEARS.items():
        factor = math.prod((1 + rates[y] / 100 for y in range(2024, min(year, max(rates)) + 1)), start=Fraction(1))
        cost = math.floor(730000 * factor * months / 12 + Fraction(1, 2)) + test_autumn.ONE_OFF.get(year, 0)
        key = 2025 if fixed else min(year - 1, 2025)
        paying = [code for code in CODES if code != "360" or year < 2026]
        weights = [test_autumn.POPULATION[key][code] * months for code in paying]
        result[year] = dict(zip(paying, oracle(cost, weights, paying)[2], strict=True))
    return result


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
    header, *cells, provisional = [line.split(";") for line in lines]  # the base config has provisional years
    assert provisional[2] == "Heraf foreløbigt"
    assert header[5] == "Forskel" and cells[-1][2] == "I alt"
    assert sum(int(row[5]) for row in cells[:-1]) == int(cells[-1][5]) == kroner(total[5])
    assert sum(int(row[5]) for row in cells[:-1] if row[0] == "2027") == sum(kroner(row[5]) for row in members if row[2].startswith("2027"))

    ok("compare", other, "--out", "c.xlsx")
    sheet = openpyxl.load_workbook(autumn / "c.xlsx").worksheets[0]
    *body, last, provisional = list(sheet.iter_rows(min_row=2, values_only=True))
    assert provisional[2] == "Heraf foreløbigt"
    for column in (3, 4, 5):
        assert sum(row[column] or 0 for row in body) == last[column]
    assert last[5] == kroner(total[5])


def test_compare_marks_the_provisional_years_of_each_side(autumn):
    both = screen_rows(ok("compare", other_config(autumn)).stdout)
    assert [row[2] for row in both if row[1] == "340"] == [
        "2023 (jul–dec)", "2024", "2025", "2026", "2027 (foreløbig)", "2028 (jan–jun, foreløbig)"
    ]  # fmt: skip
    one = screen_rows(ok("compare", other_config(autumn, fixed=True), "--out", "c.csv").stdout)
    sorø = [row[2] for row in one if row[1] == "340"]
    assert sorø == ["2023 (jul–dec)", "2024", "2025", "2026", "2027 (foreløbig i grundlaget)", "2028 (jan–jun, foreløbig i grundlaget)"]
    lolland, stevns = ({row[2] for row in one if row[1] == code and row[2] >= "2027"} for code in ("360", "336"))
    # the one amount shown is (not) provisional
    assert (lolland, stevns) == ({"2027 (foreløbig)", "2028 (jan–jun, foreløbig)"}, {"2027", "2028 (jan–jun)"})
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


# --- totals say how much of them is provisional, and how many pay ----------------------------------------


def danish(amount: int) -> str:
    return f"{amount:,}".replace(",", ".")


def provisional_of(code: str | None = None) -> int:
    """The provisional part of the agreement's total (of one member's, given its code), from the test's own split."""
    want = expected()
    return sum(want[year].get(code, 0) if code else sum(want[year].values()) for year in PROVISIONAL)


def whole_of(code: str | None = None) -> int:
    want = expected()
    return sum(want[year].get(code, 0) if code else sum(want[year].values()) for year in YEARS)


def test_the_table_says_how_much_of_each_total_is_provisional_and_how_many_pay_each_year(autumn):
    rows = screen_rows(ok("table").stdout)
    by_code = {row[1]: row for row in rows}
    for code in ("340", "336", "253"):
        assert by_code[code][-2:] == [danish(whole_of(code)), danish(provisional_of(code))]
    assert by_code["336"][-1] == "0"  # Stevns has left before the provisional years
    totals, paying = rows[-2], rows[-1]
    assert totals[0] == "I alt" and totals[-2:] == [danish(whole_of()), danish(provisional_of())]
    assert paying[0] == "Betalende kommuner"
    assert paying[2:8] == ["17", "17", "17", "17", "16", "16"]  # Stevns leaves on 1 January 2027
    header = ok("table").stdout.splitlines()[2]
    assert header.rstrip("┃ ").endswith("I alt ┃ Heraf foreløbigt")
    assert "Of which provisional" in ok("table", lang="en").stdout


def test_a_total_of_final_years_says_nothing_of_provisional_and_names_its_members(autumn):
    out = ok("table", "--year", "2025-2026").stdout
    assert "Heraf foreløbigt" not in out and "Betalende kommuner" not in out
    assert screen_rows(out)[-1][0] == "I alt (17 kommuner)"
    assert screen_rows(ok("table", "--year", "2027").stdout)[-1][0] == "I alt (16 kommuner)"


@pytest.mark.parametrize("lang", ["da", "en"])
def test_the_statement_says_how_much_of_its_totals_is_provisional(autumn, lang):
    lines = ok("statement", "sorø", lang=lang).stdout.splitlines()
    money = danish if lang == "da" else (lambda amount: f"{amount:,}")
    unit = "kr." if lang == "da" else "DKK"
    if lang == "da":
        assert (
            f"Samlet forpligtelse over aftalen: {money(whole_of('340'))} {unit}, heraf foreløbigt {money(provisional_of('340'))} {unit}"
            in lines
        )
    else:
        assert (
            f"Total commitment over the agreement: {money(whole_of('340'))} {unit}, of which {money(provisional_of('340'))} {unit} provisional"
            in lines
        )
    total = lines.index(next(line for line in lines if line.startswith(("I alt", "Total "))))
    assert lines[total + 1].split()[-4:] == [money(provisional_of("340")), unit, money(provisional_of()), unit]
    assert lines[total + 1].startswith("Heraf foreløbigt" if lang == "da" else "Of which provisional")
    final = ok("statement", "sorø", "--year", "2024-2026").stdout
    assert "Heraf foreløbigt" not in final  # the years shown are final; the agreement's commitment still says it
    assert f"heraf foreløbigt {danish(provisional_of('340'))} kr." in final


def test_the_report_and_the_workbook_say_how_much_is_provisional(autumn):
    import openpyxl

    ok("bundle", "ud")
    report = (autumn / "ud" / "report.html").read_text(encoding="utf-8")
    assert f"over hele aftalen: {danish(whole_of())} kr., heraf foreløbigt {danish(provisional_of())} kr." in report
    assert '<th scope="col">Heraf foreløbigt</th>' in report
    assert f"<td>{danish(whole_of('340'))}</td><td>{danish(provisional_of('340'))}</td>" in report
    assert '<th scope="row">Betalende kommuner</th>' in report

    book = openpyxl.load_workbook(autumn / "ud" / "budget.xlsx")
    header = [cell.value for cell in book.worksheets[0][2]]
    total = header.index("I alt")  # the items' columns follow where the agreement has several
    assert header[total : total + 2] == ["I alt", "Heraf foreløbigt"]
    rows = {row[0]: row for row in book.worksheets[0].iter_rows(min_row=3, values_only=True)}
    assert rows["340"][total : total + 2] == (whole_of("340"), provisional_of("340"))
    *_, totals, paying = book.worksheets[0].iter_rows()  # "I alt" in bold, then how many pay each year
    assert (totals[1].value, totals[1].font.b) == ("I alt", True)
    assert tuple(cell.value for cell in totals[total : total + 2]) == (whole_of(), provisional_of())
    assert (paying[1].value, paying[1].font.b) == ("Betalende kommuner", False)
    first = header.index("2023 (jul–dec)")
    assert [cell.value for cell in paying[first : first + 6]] == [17, 17, 17, 17, 16, 16]  # Stevns leaves on 1 January 2027
    basis = [row for row in book.worksheets[1].iter_rows(values_only=True) if row[0]]
    position = [row[0] for row in basis].index("Udgift over hele aftalen")
    assert basis[position + 1][:2] == ("Heraf foreløbigt", provisional_of())


def test_the_wide_csv_says_how_much_of_each_total_is_provisional(autumn):
    header, *rows = [line.split(";") for line in ok("export", "-").stdout.lstrip("\ufeff").splitlines()]
    part = header.index("I alt") + 1  # the items' columns follow where the agreement has several
    assert header[part] == "Heraf foreløbigt"
    *members, totals, paying = rows  # the totals, then how many pay each year: Stevns leaves on 1 January 2027
    assert {row[0]: int(row[part]) for row in members} == {code: provisional_of(code) for code in expected()[2023]}
    assert int(totals[part]) == provisional_of() == sum(int(row[part]) for row in members)
    first = header.index("2023 (jul–dec)")
    assert paying[1] == "Betalende kommuner" and paying[first : first + 6] == ["17", "17", "17", "17", "16", "16"]
    assert set(paying[first + 6 :]) == {""}  # no total of a count


# --- "foreløbig" in every document ------------------------------------------------------------------------


def test_the_wide_csv_and_the_json_mark_the_provisional_years(autumn):
    import json

    header = ok("export", "-").stdout.lstrip("\ufeff").splitlines()[0].split(";")
    assert header[2:8] == ["2023 (jul–dec)", "2024", "2025", "2026", "2027 (foreløbig)", "2028 (jan–jun, foreløbig)"]
    english = ok("export", "-", lang="en").stdout.lstrip("\ufeff").splitlines()[0].split(";")
    assert "2027 (provisional)" in english
    document = json.loads(ok("export", "-", "--format", "json").stdout)
    assert {period["year"]: period["projected"] for period in document["periods"]} == {year: year in PROVISIONAL for year in YEARS}


@pytest.mark.parametrize("format", ["txt", "md"])
def test_the_statement_marks_the_provisional_years(autumn, format):
    text = ok("statement", "sorø", "--format", format).stdout
    assert "2027 (foreløbig)" in text and "2028 (jan–jun, foreløbig)" in text and "2026 (foreløbig)" not in text
    assert "2027 er en foreløbig beregning i 2026-priser, indtil KL's P/L-satser til og med 2027 kendes." in text  # what it stands on
    assert "overslag" not in text


def test_the_pdf_statement_marks_the_provisional_years(autumn):
    import shutil
    import subprocess

    pdftotext = shutil.which("pdftotext")
    if pdftotext is None:
        pytest.skip("pdftotext (poppler-utils) is not installed; .ci/run installs it")
    ok("statement", "sorø", "--out", "s.pdf")
    text = subprocess.run([pdftotext, "-layout", "s.pdf", "-"], cwd=autumn, capture_output=True, text=True, check=True).stdout
    assert "2027 (foreløbig)" in text and "Heraf foreløbigt" in text
    assert f"heraf foreløbigt {danish(provisional_of('340'))} kr." in text


def test_the_report_marks_the_provisional_years(autumn):
    ok("bundle", "ud")
    report = (autumn / "ud" / "report.html").read_text(encoding="utf-8")
    assert '<th scope="col">2027 (foreløbig)</th>' in report and '<th scope="col">2026</th>' in report
    assert "2028 (jan–jun) er en foreløbig beregning på indbyggertal pr. 1. januar 2025" in report
    assert "overslag" not in report


def test_compare_says_how_much_of_each_total_is_provisional(autumn):
    lines = ok("compare", other_config(autumn, fixed=True), "-m", "sorø").stdout.splitlines()
    assert f"Heraf foreløbigt: {danish(provisional_of('340'))} kr. i grundlaget, 0 kr. i alternativet" in lines
    assert not any(line.startswith("Heraf") for line in ok("compare", "fixed.yaml", "--year", "2026").stdout.splitlines())


@pytest.mark.parametrize("fixed", [False, True])
def test_compares_files_say_under_the_totals_how_much_of_each_side_is_provisional(autumn, fixed):
    import openpyxl

    base, other = expected(), other_split(fixed)
    totals = [sum(sum(split[year].values()) for year in YEARS) for split in (base, other)]
    provisional_years = (PROVISIONAL, () if fixed else PROVISIONAL)  # fixed: the other config's figures are all published
    provisional = [sum(sum(split[year].values()) for year in years) for split, years in zip((base, other), provisional_years, strict=True)]
    wanted = [*provisional, provisional[1] - provisional[0]]
    name = other_config(autumn, fixed)
    for suffix in ("csv", "xlsx", "json"):
        ok("compare", name, "--out", f"c.{suffix}")

    *rows, total, of_which = [line.split(";") for line in (autumn / "c.csv").read_text(encoding="utf-8-sig").splitlines()[1:]]
    assert total[2:6] == ["I alt", *map(str, [*totals, totals[1] - totals[0]])]
    assert of_which == ["", "", "Heraf foreløbigt", *map(str, wanted), "", "", ""]
    for column, mark in ((3, 7), (4, 8)):  # each side's provisional part is its amounts marked provisional
        assert sum(int(row[column]) for row in rows if row[mark] == "ja") == int(of_which[column])
    assert sum(int(row[5]) for row in rows) == int(total[5])  # the provisional row is not part of the sum

    sheet = openpyxl.load_workbook(autumn / "c.xlsx").worksheets[0]
    *_, total_cells, of_which_cells = list(sheet.iter_rows(min_row=2))
    assert [cell.value for cell in of_which_cells[2:6]] == ["Heraf foreløbigt", *wanted]
    assert [cell.value for cell in total_cells[2:6]] == ["I alt", *totals, totals[1] - totals[0]]
    assert all(cell.font.b for cell in total_cells if cell.value is not None)  # the totals row stays the bold one
    assert not any(cell.font.b for cell in of_which_cells if cell.value is not None)

    document = json.loads((autumn / "c.json").read_text(encoding="utf-8"))
    assert document["totals"] == {
        "base": totals[0],
        "other": totals[1],
        "projected": dict(zip(("base", "other", "difference"), wanted, strict=True)),
    }


def test_compares_files_over_final_years_have_no_provisional_row(autumn):
    name = other_config(autumn, fixed=True)
    for suffix in ("csv", "json"):
        ok("compare", name, "--year", "2026", "--out", f"c.{suffix}")
    last = (autumn / "c.csv").read_text(encoding="utf-8-sig").splitlines()[-1].split(";")
    base, other = (sum(split[2026].values()) for split in (expected(), other_split(fixed=True)))
    assert last[2:6] == ["I alt", str(base), str(other), str(other - base)]
    document = json.loads((autumn / "c.json").read_text(encoding="utf-8"))
    assert document["totals"]["projected"] == {"base": 0, "other": 0, "difference": 0}


def test_compare_heads_each_year_as_the_table_does_and_each_sides_months_where_they_differ(autumn):
    heading = next(line for line in ok("table").stdout.splitlines() if line.startswith("┃"))
    years = [cell.strip() for cell in heading.split("┃")[1:-1] if cell.strip()[:2] == "20"]
    assert years[0] == "2023 (jul–dec)" and years[-1] == "2028 (jan–jun, foreløbig)"
    assert [row[2] for row in screen_rows(ok("compare", "alliance.yaml", "-m", "sorø").stdout)[:-1]] == years

    early = (autumn / "alliance.yaml").read_text(encoding="utf-8").replace("start: 2023-07-01", "start: 2023-01-01")
    (autumn / "early.yaml").write_text(early, encoding="utf-8")
    danish_rows = screen_rows(ok("compare", "early.yaml", "-m", "sorø").stdout)
    assert [row[2] for row in danish_rows[:2]] == ["2023 (jul–dec i grundlaget, jan–dec i alternativet)", "2024"]
    assert danish_rows[-2][2] == "2028 (jan–jun, foreløbig)"  # the same months under both
    english = screen_rows(ok("compare", "early.yaml", "-m", "sorø", lang="en").stdout)
    assert english[0][2] == "2023 (Jul–Dec in base, Jan–Dec in other)"


def test_validate_says_how_much_of_the_agreements_cost_is_provisional(autumn):
    summary = ok("validate").stdout.splitlines()[0]
    assert f"Udgift over hele aftalen: {danish(whole_of())} kr., heraf foreløbigt {danish(provisional_of())} kr.;" in summary
