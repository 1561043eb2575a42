"""`costshare check` reads what Danish Excel saves: `;` CSV in Windows-1252 or UTF-8, thousands dots and decimal
commas, a title row above the header, XLSX (a hand-made workbook and costshare's own), 0 for a member that does
not pay, names as the export writes them; `--differences` shows only the figures that differ.

The figures checked against are the workspace's split of 730.000 kr. a year by the 2023 population: Sorø (30.444
of 849.857 inhabitants) pays 26.150 kr. a full year and 13.075 kr. for July–December 2023, Slagelse 68.484 kr.
(the same figures test_libreoffice.py and test_schedule.py hold)."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner

from costshare.cli import app
from costshare.core.errors import InvalidValueError
from costshare.io import values

from .test_hostile import special_file

runner = CliRunner()

# A title row, the header, Sorø with thousands dots (one with a decimal comma), Slagelse with no 2023 figure (it is
# not asked: an empty cell in the wide layout is no figure), and the totals row, as Danish Excel saves the sheet.
WIDE = (
    "Sjællands Klimaalliance · faste priser;;;;\r\n"
    "Kode;Kommune;Indbyggere;2023 (jul–dec);2024\r\n"
    "340;Sorø;30.444;13.075;26.150,00\r\n"
    "330;Slagelse;79.728;;68.484\r\n"
    ";I alt;849.857;13.075;94.634\r\n"
)
ALL_MATCH = [
    "2023 · Sorø (340): 13.075 kr. stemmer",
    "2024 · Sorø (340): 26.150 kr. stemmer",
    "2024 · Slagelse (330): 68.484 kr. stemmer",
    "Alle 3 besluttede beløb stemmer med beregningen.",
]


def check(*args: str):
    return runner.invoke(app, ["check", *args, "-c", "alliance.yaml"])


@pytest.fixture
def config(workspace):
    """The workspace: alliance.yaml (730.000 kr. a year from 1 July 2023) and the shipped population file."""
    return workspace


@pytest.mark.parametrize("encoding", ["cp1252", "utf-8", "utf-8-sig"])
def test_a_semicolon_csv_with_thousands_dots_reads_in_every_encoding_excel_saves(config, encoding):
    raw = WIDE.encode(encoding)
    if encoding == "cp1252":
        assert b"Sor\xf8" in raw and b"(jul\x96dec)" in raw  # the bytes Danish Excel writes: ø and the en dash
    (config.root / "d.csv").write_bytes(raw)
    result = check("d.csv")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == ALL_MATCH


def test_one_changed_figure_is_the_one_line_under_differences(config):
    (config.root / "d.csv").write_bytes(WIDE.replace("26.150,00", "26.151,00").encode("cp1252"))
    result = check("d.csv", "--differences")
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        "2024 · Sorø (340): beregnet 26.150 kr., besluttet 26.151 kr., forskel -1 kr.",
        "2 besluttede beløb stemmer og vises ikke.",
        "1 af 3 besluttede beløb afviger fra beregningen.",
    ]
    result = runner.invoke(app, ["check", "d.csv", "-c", "alliance.yaml", "--differences", "--lang", "en"])
    assert result.stdout.splitlines()[1:] == [
        "2 decided amounts match and are not shown.",
        "1 of 3 decided amounts differ from the computation.",
    ]


def test_differences_when_all_match_says_so_in_one_line(config):
    (config.root / "d.csv").write_bytes(WIDE.encode("cp1252"))
    result = check("d.csv", "--differences")
    assert result.exit_code == 0
    assert result.stdout.splitlines() == ["Alle 3 besluttede beløb stemmer med beregningen."]


def test_bytes_that_are_neither_utf8_nor_windows_1252_are_one_line_at_their_line(config):
    (config.root / "d.csv").write_bytes(WIDE.encode("cp1252").replace(b"79.728", b"79\x81728"))
    result = check("d.csv")
    assert result.exit_code == 1
    assert result.stderr == "fejl: d.csv:4: hverken UTF-8- eller Windows-1252-tekst (tip: gem filen som CSV UTF-8)\n"


def test_a_member_that_does_not_pay_that_year_may_be_given_0_or_nothing(config):
    config.replace_in_config("rounding:", "members:\n  - Sorø\n  - municipality: Slagelse\n    leaves: 2025-01-01\nrounding:")
    text = "År;Kode;Kommune;Beløb;Foreløbig\n2025;330;Slagelse;0;nej\n2026;330;Slagelse;;nej\n2027;330;Slagelse;–;nej\n"
    (config.root / "d.csv").write_text(text, encoding="utf-8")
    result = check("d.csv")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[0] == "2025 · 330: besluttet 0 kr., og 330 betaler ikke i 2025; det stemmer"
    assert result.stdout.splitlines()[-1] == "Alle 3 besluttede beløb stemmer med beregningen."
    (config.root / "d.csv").write_text("År;Kode;Beløb\n2025;330;1\n2024;330;0\n", encoding="utf-8")
    result = check("d.csv", "--differences")
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        "2025 · 330: besluttet 1 kr., men 330 betaler ikke i 2025",
        # two members in 2024: 730.000 × 79.728 / (79.728 + 30.444) = 528.277,97 kr.; the krone left over goes to the larger remainder
        "2024 · Slagelse (330): beregnet 528.278 kr., besluttet 0 kr., forskel +528.278 kr.",
        "2 af 2 besluttede beløb afviger fra beregningen.",
    ]


def test_a_name_the_export_made_inert_reads_back_as_the_name(config):
    """A name starting with = is written '=Sorø so a spreadsheet does not run it; check reads it as =Sorø."""
    config.write_population(config.population.read_text("utf-8").replace(",Sorø,", ",=Sorø,"))
    assert runner.invoke(app, ["export", "e.csv", "-c", "alliance.yaml", "--layout", "long"]).exit_code == 0
    assert "'=Sorø" in (config.root / "e.csv").read_text("utf-8-sig")
    result = check("e.csv", "--differences")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == ["Alle 102 besluttede beløb stemmer med beregningen."]  # 17 members × 6 budget years


# --- XLSX -------------------------------------------------------------------------------------------------


def hand_made_workbook(path: Path, amount: object = 26150) -> None:
    """A cover sheet with no table, then the figures under two title rows: long layout, numbers as a user types
    them (a whole number, a float with øre, a text with a thousands dot), the code as a number."""
    book = openpyxl.Workbook()
    cover = book.active
    cover.title = "Forside"
    cover["A1"] = "Besluttet i byrådet 12. oktober"
    sheet = book.create_sheet("Besluttet")
    sheet.append(["Budget 2024"])
    sheet.append([])
    sheet.append(["År", "Kode", "Kommune", "Beløb", "Bemærkning"])
    sheet.append([2023, 340, "Sorø", 13075.0, "halvt år"])
    sheet.append([2024, 340, "Sorø", amount])
    sheet.append(["2024", "330", "Slagelse", "68.484"])
    book.save(path)


def test_a_hand_made_workbook_is_read_from_the_sheet_that_holds_the_figures(config):
    hand_made_workbook(config.root / "d.xlsx")
    result = check("d.xlsx")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == ALL_MATCH


def test_a_bad_cell_in_a_workbook_is_named_by_its_sheet_and_cell(config):
    hand_made_workbook(config.root / "d.xlsx", "26.15O")
    result = check("d.xlsx")
    assert result.exit_code == 1
    assert result.stderr == "fejl: d.xlsx:Besluttet!D5: beløbet '26.15O' er ikke et beløb i kroner\n"


def test_costshares_own_workbook_reads_back_and_one_changed_cell_is_one_difference(config):
    assert runner.invoke(app, ["export", "budget.xlsx", "-c", "alliance.yaml"]).exit_code == 0
    result = check("budget.xlsx", "--differences")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == ["Alle 102 besluttede beløb stemmer med beregningen."]  # 17 members × 6 budget years
    book = openpyxl.load_workbook(config.root / "budget.xlsx")
    sheet = book.worksheets[0]
    header_row = next(row for row in sheet.iter_rows() if row[0].value == "Kode")
    column = next(cell.column for cell in header_row if cell.value == "2026")
    soro = next(row for row in sheet.iter_rows() if row[0].value == "340")
    assert soro[column - 1].value == 26150
    soro[column - 1].value = 26200
    book.save(config.root / "budget.xlsx")
    result = check("budget.xlsx", "--differences")
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        "2026 · Sorø (340): beregnet 26.150 kr., besluttet 26.200 kr., forskel -50 kr.",
        "101 besluttede beløb stemmer og vises ikke.",
        "1 af 102 besluttede beløb afviger fra beregningen.",
    ]


def test_a_workbook_with_no_table_of_figures_is_one_line(config):
    book = openpyxl.Workbook()
    book.active.title = "Ark1"
    book.active["A1"] = "intet her"
    book.save(config.root / "d.xlsx")
    result = check("d.xlsx")
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        "fejl: d.xlsx:Ark1!1:1: mangler kolonne(r) code (tip: overskriften skal have year, code og amount)"
    ]


# --- hostile workbooks: each one line, never a hang or a traceback ----------------------------------------------


def zipped(parts: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def test_a_zip_bomb_is_refused_before_it_is_unpacked(config):
    bomb = zipped({"xl/worksheets/sheet1.xml": b"\0" * (129 * 1024 * 1024)})
    assert len(bomb) < 1024 * 1024
    (config.root / "d.xlsx").write_bytes(bomb)
    result = check("d.xlsx")
    assert result.exit_code == 1
    assert result.stderr == "fejl: d.xlsx: projektmappen fylder mere end 128 MiB pakket ud (tip: er det den rigtige fil?)\n"


@pytest.mark.parametrize(
    "parts",
    [
        {"hello.txt": b"not a workbook"},
        {"[Content_Types].xml": b'<?xml version="1.0"?><!DOCTYPE lol [<!ENTITY lol "lol">]><Types/>'},
    ],
    ids=["some-zip", "dtd"],
)
def test_a_zip_that_is_no_workbook_is_one_line(config, parts):
    (config.root / "d.xlsx").write_bytes(zipped(parts))
    result = check("d.xlsx")
    assert result.exit_code == 1
    expected = (
        "fejl: d.xlsx: er ikke en XLSX-projektmappe, som costshare kan læse (tip: gem den som Excel-projektmappe (.xlsx) eller CSV)\n"
    )
    assert result.stderr == expected


def test_a_damaged_workbook_is_one_line(config):
    hand_made_workbook(config.root / "d.xlsx")
    raw = (config.root / "d.xlsx").read_bytes()
    (config.root / "d.xlsx").write_bytes(raw[: len(raw) // 2])
    result = check("d.xlsx")
    assert result.exit_code == 1
    assert result.stderr.startswith("fejl: d.xlsx: er ikke en XLSX-projektmappe")
    assert len(result.stderr.splitlines()) == 1


def test_a_sheet_longer_than_the_bound_is_an_error_not_cut_off(config):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Ark1"
    sheet.append(["År", "Kode", "Beløb"])
    sheet.append([2024, "340", 26150])
    sheet.cell(row=100_001, column=1, value=2025)
    book.save(config.root / "d.xlsx")
    result = check("d.xlsx")
    assert result.exit_code == 1
    assert result.stderr == "fejl: d.xlsx:Ark1!100001:100001: arket har flere end 100.000 rækker (tip: er det den rigtige fil?)\n"


@pytest.mark.parametrize(
    ("kind", "message"),
    [
        ("fifo", "filen med besluttede beløb er ikke en almindelig fil (men en enhed, et rør eller en sokkel)"),
        ("folder", "filen med besluttede beløb er en mappe"),
        ("loop", "kan ikke læse filen med besluttede beløb: Too many levels of symbolic links"),
    ],
)
def test_a_special_file_where_the_decided_file_belongs_is_one_line_never_a_hang(config, kind, message):
    path = special_file(kind, config.root)
    result = check(str(path))
    assert result.exit_code == 1
    (line,) = result.stderr.splitlines()
    assert line.startswith(f"fejl: {path}: {message}")


def test_a_huge_decided_file_is_refused_at_its_bound(config):
    with open(config.root / "d.xlsx", "wb") as huge:
        huge.write(b"PK\x03\x04")
        huge.truncate(17 * 1024 * 1024)  # sparse: nothing is written but the bytes read
    result = check("d.xlsx")
    assert result.exit_code == 1
    assert result.stderr == "fejl: d.xlsx: filen med besluttede beløb er større end 16 MiB (tip: er det den rigtige fil?)\n"


# --- the one reader of values ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "ore"),
    [("46874", 4687400), ("46.874", 4687400), ("46.874,00", 4687400), ("46.874,5", 4687450), ("1.234.567,89", 123456789),
     ("-46.874", -4687400), ("46874,50", 4687450), ("46874.50", 4687450), ("", 0), ("–", 0), ("-", 0), ("0", 0)],
)  # fmt: skip
def test_an_amount_as_a_spreadsheet_shows_it(text, ore):
    assert values.shown_kroner(text) == ore


@pytest.mark.parametrize("text", ["46,874", "4.6874", "46.874.00", "046.874", "46.87,5", "46 874", "46.874,505"])
def test_what_is_neither_a_thousands_dot_nor_ore_is_refused(text):
    with pytest.raises(InvalidValueError) as refused:
        values.shown_kroner(text)
    assert refused.value.key == "err_decided_amount"


@pytest.mark.parametrize(
    ("written", "name"), [("'=Sorø", "=Sorø"), ("'-x", "-x"), ("'@x", "@x"), ("'+x", "+x"), ("'Sorø", "'Sorø"), ("=Sorø", "=Sorø")]
)
def test_a_name_made_inert_reads_back(written, name):
    assert values.exported_text(written) == name
