"""Round trip through a real spreadsheet engine: LibreOffice opens our CSV (Danish locale) and XLSX,
and what it reads back is numbers that add up, with æ, ø and å intact."""

import os
import shutil
import subprocess
from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner

from costshare.cli import app

SOFFICE = shutil.which("soffice")
pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is not installed; .ci/run installs libreoffice-calc-nogui"),
]

# ; separated, " quoted, UTF-8 (76), from row 1, default column types, Danish locale (1030).
DANISH_CSV_FILTER = "CSV:59,34,76,1,,1030,false,false"


def convert(source: Path, outdir: Path, profile: Path, infilter: str | None = None) -> Path:
    outdir.mkdir(exist_ok=True)
    assert SOFFICE is not None  # the tests are skipped without it
    command = [SOFFICE, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore"]
    if infilter:
        command.append(f"--infilter={infilter}")
    command += ["--convert-to", "xlsx", "--outdir", str(outdir), str(source)]
    subprocess.run(command, check=True, capture_output=True, timeout=180)
    converted = outdir / (source.stem + ".xlsx")
    assert converted.exists(), f"LibreOffice did not write {converted}"
    return converted


def assert_sums_and_letters(path: Path) -> None:
    sheet = openpyxl.load_workbook(path).worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    rows = rows[next(i for i, row in enumerate(rows) if row[0] == "Kode") :]  # the XLSX has a title row above the header
    header, body, totals = rows[0], rows[1:-1], rows[-1]
    assert len(body) == 17
    amount_columns = range(4, len(header))  # 2023 … 2028 and the total
    for column in amount_columns:
        values = [row[column] for row in body]
        assert all(isinstance(value, (int, float)) for value in values), f"{header[column]}: not all numeric"
        assert isinstance(totals[column], (int, float))
        assert sum(values) == totals[column], header[column]
    assert sum(row[2] for row in body) == totals[2] == 849857
    names = {row[1] for row in body}
    assert {"Sorø", "Køge", "Holbæk", "Næstved", "Solrød"} <= names
    assert header[4] == "2023 (jul–dec)"
    soro = next(row for row in body if row[1] == "Sorø")
    assert soro[4:] == (13075, 26150, 26150, 26150, 26150, 13075, 130750)
    assert abs(soro[3] - 0.0358225) < 1e-9  # the share, read with a decimal comma


def test_excel_da_csv_opens_with_numbers_in_a_danish_locale(workspace, tmp_path):
    CliRunner().invoke(app, ["export", "budget.csv", "-c", "alliance.yaml"], catch_exceptions=False)
    converted = convert(workspace.root / "budget.csv", tmp_path / "from-csv", tmp_path / "profile", DANISH_CSV_FILTER)
    assert_sums_and_letters(converted)


def test_xlsx_survives_libreoffice(workspace, tmp_path):
    CliRunner().invoke(app, ["export", "budget.xlsx", "-c", "alliance.yaml"], catch_exceptions=False)
    converted = convert(workspace.root / "budget.xlsx", tmp_path / "from-xlsx", tmp_path / "profile")
    assert_sums_and_letters(converted)


# --- check reads what LibreOffice (as Danish Excel would) saves of costshare's workbook -----------------------

# Export filter options: ; separated (59), " quoted (34), Windows-1252 (LibreOffice's encoding 1), from row 1,
# default column types, Danish (1030), text cells not all quoted, special numbers detected, and cell contents
# saved as shown (token 9): 26.150 with its thousands dot, 3,58 % as a percent. "As shown" formats by the
# document's locale, which LibreOffice takes from the environment: LC_ALL=da_DK.UTF-8 makes it Danish.
DANISH_CSV_EXPORT = "csv:Text - txt - csv (StarCalc):59,34,1,1,,1030,false,true,true"


def saved_by_libreoffice(source: Path, outdir: Path, profile: Path, target: str) -> Path:
    """`source` opened and saved by LibreOffice as `target` (a filter), in a Danish locale."""
    outdir.mkdir(exist_ok=True)
    assert SOFFICE is not None  # the tests are skipped without it
    command = [SOFFICE, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore",
               "--convert-to", target, "--outdir", str(outdir), str(source)]  # fmt: skip
    environment = {**os.environ, "LC_ALL": "da_DK.UTF-8"}
    subprocess.run(command, check=True, capture_output=True, timeout=180, env=environment)
    saved = outdir / (source.stem + "." + target.split(":")[0])
    assert saved.exists(), f"LibreOffice did not write {saved}"
    return saved


def check_lines(path: Path, *options: str) -> tuple[int, list[str]]:
    result = CliRunner().invoke(app, ["check", str(path), "-c", "alliance.yaml", *options])
    return result.exit_code, result.stdout.splitlines() + result.stderr.splitlines()


ALL_102 = "Alle 102 besluttede beløb stemmer med beregningen."  # 17 members × 6 budget years
SORO_2026_CHANGED = [
    "2026 · Sorø (340): beregnet 26.150 kr., besluttet 26.151 kr., forskel -1 kr.",
    "101 besluttede beløb stemmer og vises ikke.",
    "1 af 102 besluttede beløb afviger fra beregningen.",
]


def test_check_reads_the_workbook_saved_as_a_danish_windows_1252_csv(workspace, tmp_path):
    CliRunner().invoke(app, ["export", "budget.xlsx", "-c", "alliance.yaml"], catch_exceptions=False)
    saved = saved_by_libreoffice(workspace.root / "budget.xlsx", tmp_path / "csv", tmp_path / "profile", DANISH_CSV_EXPORT)
    raw = saved.read_bytes()
    soro = next(line for line in raw.split(b"\r\n" if b"\r\n" in raw else b"\n") if line.startswith(b"340;"))
    assert soro.startswith(b"340;Sor\xf8;30.444;3,58\xa0%;13.075;26.150;")  # Windows-1252, thousands dots, as shown
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")
    assert check_lines(saved, "--differences") == (0, [ALL_102])
    columns = soro.split(b";")
    columns[7] = b"26.151"  # Kode, Kommune, Indbyggere, Andel, 2023 (jul–dec), 2024, 2025, 2026
    changed = b";".join(columns)
    saved.write_bytes(raw.replace(soro, changed))
    assert check_lines(saved, "--differences") == (1, SORO_2026_CHANGED)


def test_check_reads_costshares_xlsx_and_as_libreoffice_saves_it(workspace, tmp_path):
    CliRunner().invoke(app, ["export", "budget.xlsx", "-c", "alliance.yaml"], catch_exceptions=False)
    assert check_lines(workspace.root / "budget.xlsx", "--differences") == (0, [ALL_102])
    book = openpyxl.load_workbook(workspace.root / "budget.xlsx")
    sheet = book.worksheets[0]
    header = next(row for row in sheet.iter_rows() if row[0].value == "Kode")
    column = next(cell.column for cell in header if cell.value == "2026")
    soro = next(row for row in sheet.iter_rows() if row[0].value == "340")
    soro[column - 1].value = 26151
    book.save(tmp_path / "changed.xlsx")
    saved = saved_by_libreoffice(tmp_path / "changed.xlsx", tmp_path / "xlsx", tmp_path / "profile", "xlsx")
    assert check_lines(saved, "--differences") == (1, SORO_2026_CHANGED)
