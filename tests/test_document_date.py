"""Statements and the report name the day the user gives (--date, default today): identical input and date give
identical bytes, whichever day the command runs on."""

from __future__ import annotations

from datetime import UTC, date, datetime

from typer.testing import CliRunner

from costshare.cli import app
from costshare.run import Run

runner = CliRunner()


def on_day(today: date) -> Run:
    """A run begun on `today` (at a different hour each day, so the time of making differs too)."""
    return Run("da", (), datetime(today.year, today.month, today.day, today.month, tzinfo=UTC), today)


def made(workspace, today: date, folder: str, *date_option: str) -> dict[str, bytes]:
    """Every statement format, and the bundle's statements and report, made on `today` into `folder`."""
    (workspace.root / folder).mkdir()
    commands = [
        ["statement", "340", "--out", f"{folder}/soro.txt"],
        ["statement", "340", "--out", f"{folder}/soro.md", "--lang", "en"],
        ["statement", "340", "--out", f"{folder}/soro.pdf"],
        ["bundle", f"{folder}/bundle"],
    ]
    for command in commands:
        result = runner.invoke(app, [*command, "-c", "alliance.yaml", *date_option], obj=on_day(today), catch_exceptions=False)
        assert result.exit_code == 0, result.output
    files = sorted(path for path in (workspace.root / folder).rglob("*") if path.is_file())
    # the workbook records the time it was made (and SHA256SUMS its checksum): not a statement or the report
    kept = [path for path in files if path.suffix != ".xlsx" and path.name != "SHA256SUMS"]
    return {str(path.relative_to(workspace.root / folder)): path.read_bytes() for path in kept}


def test_the_same_input_and_date_give_the_same_bytes_on_any_day(workspace):
    first = made(workspace, date(2026, 1, 5), "a", "--date", "2026-02-01")
    second = made(workspace, date(2026, 11, 30), "b", "--date", "2026-02-01")
    assert {"soro.txt", "soro.md", "soro.pdf", "bundle/report.html", "bundle/statements/340-Sorø.pdf"} <= set(first)
    assert first == second
    assert "Udarbejdet 1. februar 2026 på indbyggertal pr. 1. januar 2023." in first["soro.txt"].decode("utf-8")
    assert "Made on 1 February 2026" in first["soro.md"].decode("utf-8")
    assert "Udarbejdet 1. februar 2026" in first["bundle/report.html"].decode("utf-8")


def test_without_a_date_a_document_names_the_day_it_is_made(workspace):
    first = made(workspace, date(2026, 1, 5), "a")
    second = made(workspace, date(2026, 11, 30), "b")
    assert "Udarbejdet 5. januar 2026" in first["soro.txt"].decode("utf-8")
    assert "Udarbejdet 30. november 2026" in second["soro.txt"].decode("utf-8")
    assert first["soro.pdf"] != second["soro.pdf"]


def test_a_date_that_is_not_one_is_refused_as_the_invoices_refuse_it(workspace):
    result = runner.invoke(app, ["statement", "340", "-c", "alliance.yaml", "--date", "1.2.2026"], obj=on_day(date(2026, 1, 5)))
    assert result.exit_code == 2
    assert "--date" in result.output and "1.2.2026" in result.output
