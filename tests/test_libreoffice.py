"""Round trip through a real spreadsheet engine: LibreOffice opens our CSV (Danish locale) and XLSX,
and what it reads back is numbers that add up, with æ, ø and å intact."""

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
