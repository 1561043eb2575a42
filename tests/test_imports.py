"""The import diet: each command loads only what it uses (an import-graph check, not a timing)."""

import subprocess
import sys

import pytest

from .conftest import SHIPPED_CONFIG
from .test_invoices import SENDER, billing

HEAVY = {"pandas", "numpy", "openpyxl", "httpx"}

pytestmark = pytest.mark.slow  # real processes: `pytest -m 'not slow'` skips them in the inner loop


def imported_modules(*args: str, cwd) -> set[str]:
    result = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "costshare", *args], capture_output=True, text=True, cwd=cwd, timeout=120
    )
    assert result.returncode == 0, result.stderr[-2000:]
    modules = set()
    for line in result.stderr.splitlines():
        if line.startswith("import time:") and "|" in line:
            name = line.rsplit("|", 1)[1].strip()
            modules.add(name.split(".")[0])
    assert "costshare" in modules  # the listing really is of our run
    return modules


@pytest.mark.parametrize("args", [("--version",), ("--help",), ("table", "--help")])
def test_help_and_version_import_nothing_heavy(tmp_path, args):
    assert imported_modules(*args, cwd=tmp_path) & HEAVY == set()


@pytest.mark.parametrize("args", [("table",), ("explain", "soro"), ("validate",), ("statement", "soro"), ("population", "show")])
def test_reading_commands_import_nothing_heavy(tmp_path, args):
    """pandas and numpy are for analysis at scale; reading the files and splitting 17 ways needs neither."""
    modules = imported_modules(*args, "--config", str(SHIPPED_CONFIG), cwd=tmp_path)
    assert modules & HEAVY == set()
    assert {"yaml", "pydantic", "babel"} <= modules  # the listing is of a run that really read the config and formatted figures


def test_export_xlsx_does_load_openpyxl(tmp_path):
    modules = imported_modules("export", "out.xlsx", "--config", str(SHIPPED_CONFIG), cwd=tmp_path)
    assert "openpyxl" in modules and "httpx" not in modules


def test_the_bank_holidays_are_read_only_where_a_document_shows_an_invoice(workspace):
    """With billing configured, `table` and `explain` plan no invoice, so they never load the holidays package that
    due dates need; a statement lists the planned e-invoices with their due dates, so it does."""
    workspace.write_config(workspace.config.read_text(encoding="utf-8") + SENDER + billing())
    assert "holidays" not in imported_modules("table", "-c", "alliance.yaml", cwd=workspace.root)
    assert "holidays" not in imported_modules("explain", "Sorø", "-c", "alliance.yaml", cwd=workspace.root)
    assert "holidays" in imported_modules("statement", "Sorø", "--year", "2026", "-c", "alliance.yaml", cwd=workspace.root)
