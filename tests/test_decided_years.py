"""Decided years: `decide` appends a year to the agreement's record, and every command then uses the decided amounts
for it, whatever today's key, P/L rates and costs say. From an empty folder, through the real command line."""

from __future__ import annotations

import json
from datetime import date
from fractions import Fraction
from pathlib import Path

import pytest
from typer.testing import CliRunner

from costshare.cli import app

from .conftest import CODES, REGION_2023

runner = CliRunner()
REFERENCE = "KKR Sjælland 15. oktober 2026, pkt. 4"
NAMES = {"253": "Greve", "259": "Køge", "340": "Sorø"}


def run(*args: str) -> str:
    """A command that must succeed; its standard output."""
    result = runner.invoke(app, list(args), catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.stdout


def fail(*args: str) -> str:
    """A command that must fail with one error line (in English); that line."""
    result = runner.invoke(app, [*args, "--lang", "en"])
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 1, result.stderr
    return errors[0]


def split(cost_kroner: int, populations: list[int]) -> list[int]:
    """Whole kroner by population, largest remainder (ties: more inhabitants, then the lower code): worked out here
    with Fractions, apart from costshare."""
    total = sum(populations)
    quotas = [Fraction(cost_kroner * population, total) for population in populations]
    amounts = [int(quota) for quota in quotas]
    order = sorted(range(len(quotas)), key=lambda i: (-(quotas[i] - amounts[i]), -populations[i], CODES[i]))
    for i in order[: cost_kroner - sum(amounts)]:
        amounts[i] += 1
    return amounts


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty folder after `costshare init`, the record's key switched on."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("COSTSHARE_CONFIG", raising=False)
    run("init")
    config = tmp_path / "config" / "alliance.yaml"
    text = config.read_text(encoding="utf-8")
    assert "# decided: ../data/vedtaget.csv" in text  # init writes the key, commented out
    config.write_text(text.replace("# decided: ../data/vedtaget.csv", "decided: ../data/vedtaget.csv"), encoding="utf-8")
    return tmp_path


def record(folder: Path) -> Path:
    return folder / "data" / "vedtaget.csv"


def rows(folder: Path) -> list[list[str]]:
    return [line.split(",") for line in record(folder).read_text(encoding="utf-8").splitlines()[1:]]


def switch_to_previous(folder: Path) -> None:
    """`basis: previous` (the year before each budget year), with population figures for 1 January 2023 only."""
    config = folder / "config" / "alliance.yaml"
    text = config.read_text(encoding="utf-8")
    assert "  basis: fixed\n  year: 2023\n" in text
    config.write_text(text.replace("  basis: fixed\n  year: 2023\n", "  basis: previous\n"), encoding="utf-8")


def test_decided_years_stay_decided_when_the_key_changes(folder: Path):
    for year in (2023, 2024, 2025):
        said = run("decide", "--year", str(year), "--reference", REFERENCE, "--lang", "en")
        assert said.startswith(f"Wrote budget year {year} as decided to data/vedtaget.csv: 17 municipalities, ")
    header = record(folder).read_text(encoding="utf-8").splitlines()[0]
    assert header == "year,code,municipality,amount,reference,provisional,decided_on"
    expected = {2023: split(365000, REGION_2023), 2024: split(730000, REGION_2023), 2025: split(730000, REGION_2023)}
    written = {(int(row[0]), row[1]): row[3] for row in rows(folder)}
    assert written == {
        (year, code): f"{amount}.00" for year, amounts in expected.items() for code, amount in zip(CODES, amounts, strict=True)
    }
    assert all(f'"{REFERENCE}"' in line for line in record(folder).read_text(encoding="utf-8").splitlines()[1:])
    # the committee decided other amounts for 2024 than the computation gives: 100 kr. moved from Greve to Køge
    greve, koge = expected[2024][0], expected[2024][1]
    text = record(folder).read_text(encoding="utf-8")
    text = text.replace(f"2024,253,Greve,{greve}.00,", f"2024,253,Greve,{greve - 100}.00,")
    text = text.replace(f"2024,259,Køge,{koge}.00,", f"2024,259,Køge,{koge + 100}.00,")
    record(folder).write_text(text, encoding="utf-8")
    switch_to_previous(folder)  # 2023 would need 1 January 2022, which the data does not have
    validated = run("validate", "--lang", "en").splitlines()
    assert "Decided budget years: 2023–2025; their amounts are in data/vedtaget.csv" in validated[1]
    table = run("table").splitlines()
    heading = next(line for line in table if "Kommune" in line)
    assert "2023 (jul–dec, vedtaget)" in heading and "2024 (vedtaget)" in heading and "2025 (vedtaget)" in heading
    assert "2026 (vedtaget)" not in heading
    greve_row = next(line for line in table if "Greve" in line)
    assert f"{(greve - 100) // 1000}.{(greve - 100) % 1000:03d}" in greve_row
    exported = json.loads(run("export", "-", "--format", "json"))
    by_year = {period["year"]: {row["code"]: row["amount"] for row in period["allocations"]} for period in exported["periods"]}
    assert int(by_year[2024]["253"]) == greve - 100 and int(by_year[2024]["259"]) == koge + 100
    assert sum(int(amount) for amount in by_year[2024].values()) == 730000  # the year's total is the sum decided
    assert [int(by_year[2023][code]) for code in CODES] == expected[2023]
    decisions = {period["year"]: period["decided"] for period in exported["periods"]}
    assert decisions[2024] == {"reference": REFERENCE, "provisional": False, "decided_on": date.today().isoformat()}
    assert decisions[2026] is None


def test_a_year_decided_for_some_members_only_is_one_error_naming_them(folder: Path):
    run("decide", "--year", "2024")
    kept = [
        line for line in record(folder).read_text(encoding="utf-8").splitlines() if ",253,Greve," not in line and ",340,Sorø," not in line
    ]
    record(folder).write_text("\n".join(kept) + "\n", encoding="utf-8")
    line = fail("table")
    assert line.startswith("error: data/vedtaget.csv: budget year 2024 has no decided amount for Greve (253), Sorø (340) (hint: ")


def test_a_year_is_decided_once(folder: Path):
    run("decide", "--year", "2024", "--reference", REFERENCE)
    before = record(folder).read_bytes()
    line = fail("decide", "--year", "2024")
    assert line.startswith("error: data/vedtaget.csv: budget year 2024 is decided already (")
    assert record(folder).read_bytes() == before
    run("decide", "--year", "2026")  # another year is appended after the rows already there, which stay as they were
    assert record(folder).read_bytes().startswith(before)
    assert {row[0] for row in rows(folder)} == {"2024", "2026"}


def test_a_year_on_figures_not_published_is_decided_only_as_provisional(folder: Path):
    run("decide", "--year", "2023")  # 2023 would be keyed on 1 January 2022, which the data does not have
    switch_to_previous(folder)  # 2025 is keyed on 1 January 2024, which the data does not have yet: an overslag
    before = record(folder).read_bytes()
    line = fail("decide", "--year", "2025")
    assert line.startswith("error: config/alliance.yaml: budget year 2025 is computed on figures not published yet")
    assert "--provisional" in line
    assert record(folder).read_bytes() == before
    said = run("decide", "--year", "2025", "--provisional", "--lang", "en")
    assert said.rstrip().endswith("(provisional)")
    assert {row[5] for row in rows(folder) if row[0] == "2025"} == {"yes"}
    assert {row[5] for row in rows(folder) if row[0] == "2023"} == {"no"}
    assert record(folder).read_bytes().startswith(before)
    heading = next(line for line in run("table").splitlines() if "Kommune" in line)
    assert "2025 (vedtaget)" in heading and "2025 (foreløbig" not in heading


def test_decide_without_a_record_in_the_config_names_the_key(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.chdir(tmp_path)
    run("init")
    line = fail("decide", "--year", "2024")
    assert line == (
        "error: config/alliance.yaml: alliance.yaml names no record of decided years "
        "(hint: add decided: ../data/vedtaget.csv to alliance.yaml)"
    )


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ("2024,340,Sorø,26.150,x,no,2026-10-15", "error: data/vedtaget.csv:3: amount '26.150' is not an amount in kroner"),
        ("2024,340,Sorø,26150.50,x,no,2026-10-15", "error: data/vedtaget.csv:3: amount '26150.50' is not a whole number"),
        ("2024,340,Sorø,26150.00,x,maybe,2026-10-15", "error: data/vedtaget.csv:3: provisional is 'maybe'; write yes or no"),
        ("2024,340,Sorø,26150.00,x,no,15-10-2026", "error: data/vedtaget.csv:3: decided_on is '15-10-2026'"),
        ("2024,340,Sorø,26150.00,x,no", "error: data/vedtaget.csv:3: "),
    ],
)
def test_a_record_line_that_cannot_be_read_is_one_error_naming_file_and_line(folder: Path, row: str, message: str):
    header = "year,code,municipality,amount,reference,provisional,decided_on"
    record(folder).write_text(f"{header}\n2024,253,Greve,44243.00,x,no,2026-10-15\n{row}\n", encoding="utf-8")
    assert fail("table").startswith(message)


def test_the_record_reads_danish_headings_and_words(folder: Path):
    amounts = split(730000, REGION_2023)
    lines = ["år;kode;kommune;beløb;henvisning;foreløbig;vedtaget_den"]
    lines += [f"2024;{code};K{code};{amount},00;KKR;nej;2026-10-15" for code, amount in zip(CODES, amounts, strict=True)]
    record(folder).write_text("\n".join(lines) + "\n", encoding="utf-8")
    run("decide", "--year", "2026")  # appended with the file's own delimiter after its rows, which stay
    text = record(folder).read_text(encoding="utf-8")
    assert text.startswith("\n".join(lines) + "\n")
    assert text.splitlines()[-1].startswith("2026;390;Vordingborg;")


def test_explain_on_a_decided_year_says_where_and_what_today_would_give(folder: Path):
    run("decide", "--year", "2023", "--reference", REFERENCE)
    run("decide", "--year", "2024", "--reference", REFERENCE)
    sorø = split(730000, REGION_2023)[CODES.index("340")]
    text = record(folder).read_text(encoding="utf-8").replace(f"2024,340,Sorø,{sorø}.00,", f"2024,340,Sorø,{sorø + 7}.00,")
    greve = split(730000, REGION_2023)[0]
    text = text.replace(f"2024,253,Greve,{greve}.00,", f"2024,253,Greve,{greve - 7}.00,")
    record(folder).write_text(text, encoding="utf-8")
    lines = run("explain", "Sorø", "--year", "2024", "--lang", "en").splitlines()
    today = date.today()
    assert lines == [
        "Sorø (340) · Sjællands Klimaalliance · budget year 2024 (decided)",
        f"  The budget year is decided: {REFERENCE} (recorded on {today.day} {today.strftime('%B')} {today.year}).",
        "  The decided amounts are in data/vedtaget.csv; they stand whatever alliance.yaml gives today.",
        f"  Decided amount: {sorø + 7:,} DKK of the year's decided 730,000 DKK",
        f"  With alliance.yaml as it is today, the amount would be {sorø:,} DKK (difference -7 DKK).",
    ]
    switch_to_previous(folder)
    lines = run("explain", "Sorø", "--year", "2023", "--lang", "en").splitlines()
    assert lines[0] == "Sorø (340) · Sjællands Klimaalliance · budget year 2023 (Jul–Dec, decided)"
    assert lines[-1].startswith("  With alliance.yaml as it is today, the amount cannot be computed: data/population.csv: ")
    assert "1 January 2022" in lines[-1]


def test_decide_writing_the_record_the_first_time_does_not_warn_that_it_is_not_written(folder: Path):
    warned = runner.invoke(app, ["validate", "--lang", "en"], catch_exceptions=False)
    assert "data/vedtaget.csv does not exist yet" in warned.stderr  # a mistyped path would otherwise decide nothing
    result = runner.invoke(app, ["decide", "--year", "2024", "--lang", "en"], catch_exceptions=False)
    assert result.exit_code == 0 and result.stderr == ""
    assert result.stdout == "Wrote budget year 2024 as decided to data/vedtaget.csv: 17 municipalities, 730,000 DKK in all\n"


def test_a_year_decided_already_is_named_with_its_decision_and_the_day_it_was_recorded(folder: Path):
    run("decide", "--year", "2024", "--reference", REFERENCE)
    today = date.today()
    assert fail("decide", "--year", "2024") == (
        f"error: data/vedtaget.csv: budget year 2024 is decided already ({REFERENCE}, recorded on {today.day} "
        f"{today.strftime('%B')} {today.year}); a decided row never changes"
    )


def test_a_provisional_year_is_refused_with_where_its_figures_come_from(folder: Path):
    switch_to_previous(folder)  # 2025 is keyed on 1 January 2024: published long ago, but not in the data
    result = runner.invoke(app, ["decide", "--year", "2025", "--lang", "da"])
    assert result.exit_code == 1, result.output
    line = " ".join(result.stderr.split())  # the one error line, however the terminal wraps it
    assert line.startswith("fejl: config/alliance.yaml: budgetår 2025 er en foreløbig beregning: ")
    assert "er ikke offentliggjort eller ikke hentet endnu" in line  # validate may say they are published: fetch them
    assert "costshare validate siger, hvilke tal der mangler" in line
    assert "--provisional" in line
    assert not record(folder).exists()
