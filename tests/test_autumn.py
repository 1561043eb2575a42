"""The autumn budget: the agreement as it stands in autumn 2025 (key year the year before, population figures
to 1 January 2025, P/L rates to 2026, a one-off in 2026, Stevns leaving on 1 January 2027), through every
command. Budget years 2027 and 2028 are overslag on the 2025 figures at the 2026 price level.

Every expected amount is worked out here with Fraction arithmetic and the test's own largest-remainder oracle,
never with the product's code."""

from __future__ import annotations

import json
import math
from decimal import Decimal
from fractions import Fraction

import openpyxl
import pytest
from typer.testing import CliRunner

from costshare.cli import app
from costshare.words.display import genitive, telling_decimals

from .conftest import CODES, REGION_2023
from .test_apportion import oracle

runner = CliRunner()
STEVNS = "336"
RATES = {2024: Fraction(31, 10), 2025: Fraction(26, 10), 2026: Fraction(29, 10)}
YEARS = {2023: 6, 2024: 12, 2025: 12, 2026: 12, 2027: 12, 2028: 6}  # budget year → months of the agreement in it
ONE_OFF = {2026: 150000}


def figures(year: int) -> dict[str, int]:
    """Made-up 1 January figures for 2022–2025: 2023's real ones, moved a little each year."""
    return {code: people + (year - 2023) * (int(code) % 7 * 11 - 30) for code, people in zip(CODES, REGION_2023, strict=True)}


POPULATION = {year: figures(year) for year in (2022, 2023, 2024, 2025)}
NAMES = {"253": "Greve", "259": "Køge", "265": "Roskilde", "269": "Solrød", "306": "Odsherred", "316": "Holbæk",
         "320": "Faxe", "326": "Kalundborg", "329": "Ringsted", "330": "Slagelse", "336": "Stevns", "340": "Sorø",
         "350": "Lejre", "360": "Lolland", "370": "Næstved", "376": "Guldborgsund", "390": "Vordingborg"}  # fmt: skip

CONFIG = """\
alliance: Sjællands Klimaalliance
agreement:
  start: 2023-07-01
  end: 2028-06-30
costs:
  - label: KKR Sjællands årsværk (Gate21)
    yearly: 730000
    indexed: true
  - label: Analyse af klimadata
    one_off: 150000
    year: 2026
indexation:
  base_year: 2023
  rates:
    2024: 3.1
    2025: 2.6
    2026: 2.9
population:
  file: population.csv
  basis: previous
members:
{members}  - municipality: Stevns
    leaves: 2027-01-01
rounding:
  unit: 1
"""


def expected() -> dict[int, dict[str, int]]:
    """{budget year: {code: kroner}} by the rules, from scratch."""
    result = {}
    for year, months in YEARS.items():
        factor = Fraction(1)
        for rate_year in range(2024, min(year, 2026) + 1):  # after 2026: the 2026 price level (an overslag)
            factor *= 1 + RATES[rate_year] / 100
        cost = math.floor(730000 * factor * months / 12 + Fraction(1, 2)) + ONE_OFF.get(year, 0)
        key = min(year - 1, 2025)  # 2027 and 2028 wait for 2026 and 2027's figures: the newest, 2025, stands in
        paying = [code for code in CODES if code != STEVNS or year < 2027]
        weights = [POPULATION[key][code] * months for code in paying]
        result[year] = dict(zip(paying, oracle(cost, weights, paying)[2], strict=True))
    return result


@pytest.fixture
def autumn(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("COSTSHARE_CONFIG", raising=False)
    rows = [f"{year},{code},{NAMES[code]},{people}" for year, table in POPULATION.items() for code, people in table.items()]
    (tmp_path / "population.csv").write_text("year,code,municipality,population\n" + "\n".join(rows) + "\n", encoding="utf-8")
    members = "".join(f"  - {code}\n" for code in CODES if code != STEVNS)
    (tmp_path / "alliance.yaml").write_text(CONFIG.format(members=members), encoding="utf-8")
    return tmp_path


def danish(amount: int) -> str:
    return f"{amount:,}".replace(",", ".")


def ok(*args: str, lang: str = "da"):
    result = runner.invoke(app, [*args, "-c", "alliance.yaml", "--lang", lang])
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output
    return result


# --- 1. overslag ----------------------------------------------------------------------------------


def test_every_amount_agrees_with_the_rules_and_the_last_two_years_are_overslag(autumn):
    ok("export", "o.json")
    document = json.loads((autumn / "o.json").read_text(encoding="utf-8"), parse_float=Decimal)
    want = expected()
    for period in document["periods"]:
        year = period["year"]
        assert {a["code"]: a["amount"] for a in period["allocations"]} == want[year], year
        assert period["projected"] is (year >= 2027)
        assert period["population_year"] == min(year - 1, 2025)
        assert period["population_year_wanted"] == (year - 1 if year >= 2027 else None)
        assert period["price_year"] == min(year, 2026)
    assert document["total"] == sum(sum(amounts.values()) for amounts in want.values())


@pytest.mark.parametrize(
    "args",
    [["validate"], ["table"], ["table", "-m", "stevns", "--year", "2027"], ["export", "-"], ["export", "o.xlsx"],
     ["explain", "stevns", "--year", "2027"], ["statement", "sorø"], ["statement", "stevns", "--out", "s.pdf"],
     ["bundle", "ud"], ["compare", "alliance.yaml"]],
    ids=lambda args: "-".join(args[:2]),
)  # fmt: skip
@pytest.mark.parametrize("lang", ["da", "en"])
def test_the_autumn_case_runs_in_every_command(autumn, args, lang):
    ok(*args, lang=lang)


def test_validate_names_each_overslag_and_what_it_waits_for(autumn):
    lines = ok("validate").stdout.splitlines()
    assert "2027 er en foreløbig beregning i 2026-priser, indtil KL's P/L-satser til og med 2027 kendes." in lines
    assert "2028 (jan–jun) er en foreløbig beregning i 2026-priser, indtil KL's P/L-satser til og med 2028 kendes." in lines
    key_2028 = next(line for line in lines if line.startswith("2028 (jan–jun) er en foreløbig beregning på indbyggertal"))
    assert key_2028.startswith("2028 (jan–jun) er en foreløbig beregning på indbyggertal pr. 1. januar 2025; ")
    english = ok("validate", lang="en").stdout
    assert "2027 is provisional, computed in 2026 prices until KL's P/L rates up to 2027 are known." in english


def test_overslag_is_marked_in_the_table_the_long_csv_and_the_workbook(autumn):
    header = ok("table").stdout
    assert "2027 (foreløbig)" in header and "2028 (jan–jun, foreløbig)" in header and "2026 (foreløbig)" not in header
    assert "2027 (provisional)" in ok("table", lang="en").stdout
    long = ok("export", "-", "--layout", "long").stdout.splitlines()
    assert long[0].lstrip("\ufeff").split(";")[-1] == "Foreløbig"
    marks = {(row.split(";")[0], row.split(";")[-1]) for row in long[1:]}
    assert marks == {(str(year), "ja" if year >= 2027 else "nej") for year in YEARS}
    ok("export", "o.xlsx")
    book = openpyxl.load_workbook(autumn / "o.xlsx")
    headers = [cell.value for cell in book.worksheets[0][2]]
    assert "2027 (foreløbig)" in headers
    basis = {row[0]: row[1] for row in book.worksheets[1].iter_rows(values_only=True) if row[0]}
    assert basis["Udgift over hele aftalen"] == sum(sum(amounts.values()) for amounts in expected().values())
    assert basis["Medlemsperiode"] == "Stevns (336): medlem 1. juli 2023 – 31. december 2026"
    assert basis["P/L-satser"].startswith("Beløb i løbende priser: P/L-reguleret fra 2023-niveau med satserne 2024: 3,1 %")


def test_final_refuses_overslag_and_the_hint_never_invents_a_rate(autumn):
    result = runner.invoke(app, ["validate", "-c", "alliance.yaml", "--lang", "en", "--final"])
    assert result.exit_code == 1
    first = result.stderr.splitlines()[0]
    assert first == (
        "error: alliance.yaml:14: indexation.rates: no P/L rate for 2027, which costs[0] needs (hint: KL publishes the rate "
        "for 2027 in its pris- og lønskøn; without --final the year is computed provisionally at the last rate's price level)"
    )
    assert "e.g." not in result.stderr and "2.5" not in result.stderr


def test_a_gap_between_given_rates_stays_an_error(autumn):
    config = autumn / "alliance.yaml"
    config.write_text(config.read_text(encoding="utf-8").replace("    2025: 2.6\n", ""), encoding="utf-8")
    result = runner.invoke(app, ["validate", "-c", "alliance.yaml", "--lang", "en"])
    assert result.exit_code == 1
    assert result.stderr.startswith(
        "error: alliance.yaml:14: indexation.rates: no P/L rate for 2025, which costs[0] needs (hint: add the rate"
    )


def test_a_key_year_before_the_file_stays_an_error(autumn):
    population = autumn / "population.csv"
    population.write_text("".join(line for line in population.open(encoding="utf-8") if not line.startswith("2022,")), encoding="utf-8")
    result = runner.invoke(app, ["validate", "-c", "alliance.yaml", "--lang", "en"])
    assert result.exit_code == 1
    assert result.stderr == (
        "error: population.csv: no population figures for 1 January 2022, the key year of budget year 2023 (years in file: 2023–2025) "
        "(hint: fetch it with: costshare population fetch --year 2022)\n"
    )


# --- 2. one selection; totals that say what they add up -----------------------------------------------


def test_bundle_for_one_year_keeps_the_agreements_totals_and_labels_the_years_sum(autumn):
    ok("bundle", "ud", "--year", "2026")
    want = expected()
    soro_total = sum(amounts["340"] for amounts in want.values())
    markdown = (autumn / "ud" / "statements" / "340-Sorø.md").read_text(encoding="utf-8")
    assert f"Samlet forpligtelse over aftalen: {danish(soro_total)} kr." in markdown
    assert f"| **I alt, viste år** | **{danish(want[2026]['340'])} kr.**" in markdown
    assert "| 2025 |" not in markdown and "| 2026 |" in markdown
    report = (autumn / "ud" / "report.html").read_text(encoding="utf-8")
    agreement_total = sum(sum(amounts.values()) for amounts in want.values())
    assert f"over hele aftalen: {danish(agreement_total)} kr." in report
    assert "I alt, viste år" in report


@pytest.mark.parametrize(("given", "years"), [("2026", [2026]), ("2026-2028", [2026, 2027, 2028]), ("2024,2026", [2024, 2026]),
                                              ("2025..2026", [2025, 2026]), ("2025–2026", [2025, 2026])])  # fmt: skip
def test_one_year_parser_for_every_command(autumn, given, years):
    document = json.loads(ok("export", "-", "--format", "json", "--year", given).stdout)
    assert [p["year"] for p in document["periods"]] == years
    assert document["years"] == years
    assert document["years_total"] == sum(sum(expected()[year].values()) for year in years)
    for command in (["table"], ["explain", "340"], ["statement", "340"], ["validate"]):
        ok(*command, "--year", given)


@pytest.mark.parametrize(("given", "lang", "message"), [("2026-2024", "en", "'2026-2024' is not a year or a run of years"),
                                                       ("26", "da", "'26' er ikke et år eller en række af år")])  # fmt: skip
def test_a_year_that_is_no_year_is_a_usage_error(autumn, monkeypatch, given, lang, message):
    monkeypatch.setenv("COSTSHARE_LANG", lang)  # options are parsed before --lang is read: the environment speaks
    result = runner.invoke(app, ["table", "-c", "alliance.yaml", "--year", given])
    assert result.exit_code == 2 and message in " ".join(result.output.replace("│", " ").split())


# --- 3. members who join and leave ----------------------------------------------------------------


@pytest.mark.parametrize(("lang", "line"), [
    ("da", "  Stevns udtræder pr. 1. januar 2027 og betaler 0 kr. for budgetår 2027 (foreløbig)."),
    ("en", "  Stevns leaves on 1 January 2027 and pays 0 DKK for budget year 2027 (provisional)."),
])  # fmt: skip
def test_a_member_that_has_left_is_known_and_explained(autumn, lang, line):
    assert ok("explain", "Stevns", "--year", "2027", lang=lang).stdout.splitlines()[1] == line
    table = ok("table", "-m", "stevns", "--year", "2026-2027", lang=lang).stdout
    assert "Stevns" in table and f"{expected()[2026][STEVNS]:,}".replace(",", "." if lang == "da" else ",") in table


def test_statements_and_the_report_show_the_membership_period(autumn):
    assert "Medlemsperiode: 1. juli 2023 – 31. december 2026" in ok("statement", "stevns").stdout
    ok("bundle", "ud")
    assert "Stevns (336): medlem 1. juli 2023 – 31. december 2026" in (autumn / "ud" / "report.html").read_text(encoding="utf-8")


# --- 4. an explanation that never rounds the truth ----------------------------------------------------


def test_a_remainder_is_never_shown_as_a_whole_unit():
    assert telling_decimals(Fraction(996, 10), 100, 2) == 3  # 0,996 kr. (99,6 øre): two decimals would say 1,00
    assert telling_decimals(Fraction(42), 100, 2) == 2  # 0,42 kr. is exact with two
    assert telling_decimals(Fraction(1, 3000), 100, 2) == 6  # 0,000003… kr.: never 0,00


def test_the_danish_genitive():
    assert [genitive(name, "da") for name in ("Stevns", "Sorø", "Faxe", "Vordingborg")] == ["Stevns'", "Sorøs", "Faxes", "Vordingborgs"]
    assert [genitive(name, "en") for name in ("Stevns", "Sorø")] == ["Stevns'", "Sorø's"]


def test_explain_says_stevns_rest(autumn):
    text = ok("explain", "stevns", "--year", "2026").stdout
    assert "Stevns' rest på " in text and "Stevnss" not in text
    assert "heltalsdelen af sin præcise andel" in text


# --- 5. inputs as a Danish finance officer writes them ----------------------------------------------


@pytest.mark.parametrize(("old", "new", "expected_line"), [
    ("    2025: 2.6\n", "    2025: 2,6\n", "indexation.rates: 2025: 2,6 is written with a decimal comma, which YAML does not read as a number; write 2025: 2.6 (with a point)"),
    ("  rates:\n    2024: 3.1\n    2025: 2.6\n    2026: 2.9\n", "  rates: {2024: 3.1, 2025: 2,6, 2026: 2.9}\n",
     "indexation.rates: 2025: 2,6 is written with a decimal comma, which YAML does not read as a number; write 2025: 2.6 (with a point)"),
    ("    2024: 3.1\n", "    2024: 3.1%\n", "indexation.rates: 2024: 3.1% has a percent sign; the rate is already in percent: write 2024: 3.1"),
])  # fmt: skip
def test_a_rate_written_the_danish_way_gets_the_right_spelling(autumn, old, new, expected_line):
    config = autumn / "alliance.yaml"
    config.write_text(config.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")
    result = runner.invoke(app, ["validate", "-c", "alliance.yaml", "--lang", "en"])
    assert result.exit_code == 1
    (line,) = result.stderr.splitlines()
    assert line.endswith(expected_line)


@pytest.mark.parametrize("layout", [["--layout", "long"], ["--layout", "wide"], ["--layout", "long", "--dialect", "rfc4180"]])
def test_check_reads_costshares_own_exports(autumn, layout):
    ok("export", "decided.csv", *layout)
    raw = (autumn / "decided.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") == ("rfc4180" not in layout)  # excel-da carries a BOM
    count = sum(len(amounts) for amounts in expected().values())
    assert ok("check", "decided.csv").stdout.splitlines()[-1] == f"Alle {count} besluttede beløb stemmer med beregningen."


def test_check_refuses_a_name_that_is_not_its_codes(autumn):
    (autumn / "d.csv").write_text("År;Kode;Kommune;Beløb\n2026;340;Slagelse;1000,00\n", encoding="utf-8")
    result = runner.invoke(app, ["check", "d.csv", "-c", "alliance.yaml"])
    assert result.exit_code == 1
    assert result.stderr == "fejl: d.csv:2: kode 340 er Sorø, men rækken siger Slagelse; ret koden eller navnet\n"


def test_documents_state_when_they_were_made_and_on_which_population(autumn):
    from datetime import date

    from costshare.words.display import format_long_date

    made = f"Udarbejdet {format_long_date(date.today(), 'da')} på indbyggertal pr. 1. januar 2022–2025."
    assert made in ok("statement", "340").stdout
    ok("bundle", "ud")
    assert made in (autumn / "ud" / "report.html").read_text(encoding="utf-8")
