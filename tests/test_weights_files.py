"""Weights files at their edges: all figures 0, figures at and beyond the bound, a file no item uses.

Each through the command line, as a user meets it: one line naming the file, exit codes as promised."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from costshare.cli import app
from costshare.core.errors import Problem
from costshare.words import label
from costshare.words.problems import problem_line

from .conftest import CODES

runner = CliRunner()

CONFIG = """\
alliance: Test
agreement: {{start: 2024-01-01, end: 2025-12-31}}
weights: {{timer: timer.csv}}
costs:
{items}population: {{file: population.csv, basis: fixed, year: 2023}}
"""
BY_HOURS = "  - label: Linje\n    yearly: 730000\n    key: timer\n"


def write_hours(workspace, value_of, years=(2024, 2025)) -> None:
    rows = "".join(f"{year},{code},{value_of(code)}\n" for year in years for code in CODES)
    (workspace.root / "timer.csv").write_text("year,code,value\n" + rows, encoding="utf-8")


def write_config(workspace, items: str = BY_HOURS) -> None:
    workspace.config.write_text(CONFIG.format(items=items), encoding="utf-8")


# --- every figure 0 ----------------------------------------------------------------------------------

COMMANDS = [
    ["validate"],
    ["table"],
    ["explain", "Sorø", "--year", "2024"],
    ["export", "out.json"],
    ["export", "out.csv"],
    ["bundle", "ud"],
]


@pytest.mark.parametrize("command", COMMANDS, ids=lambda command: command[0] + "-" + command[-1])
def test_a_weights_file_of_zeros_is_one_line_naming_the_key_and_the_file(workspace, command):
    write_hours(workspace, lambda code: 0)
    write_config(workspace)
    result = runner.invoke(app, [*command, "-c", "alliance.yaml", "--lang", "en"])
    assert result.exit_code == 1, result.output
    assert result.stderr.splitlines() == [
        "error: timer.csv: Linje: no member has a weight by timer in 2024 (hint: fill in the figures for 2024, or use another key)"
    ]
    assert not (workspace.root / "out.json").exists() and not (workspace.root / "ud").exists()


def test_a_blend_part_of_zeros_is_said_in_danish_too(workspace):
    write_hours(workspace, lambda code: "0.0")
    write_config(workspace, "  - label: Linje\n    yearly: 730000\n    key: {blend: {timer: 80, population: 20}}\n")
    result = runner.invoke(app, ["validate", "-c", "alliance.yaml"])
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        "fejl: timer.csv: Linje: ingen medlem har vægt efter timer i 2024 (tip: udfyld tallene for 2024, eller brug en anden fordelingsnøgle)"
    ]


def test_a_problem_may_carry_values_named_like_the_arguments_of_label():
    """A problem's values are its own: one called key or lang never clashes with the catalog id or the language."""
    item = Problem("err_weights_gap", params=(("name", "timer"), ("year", 2024), ("codes", "340"), ("key", "x"), ("lang", "y")))
    assert problem_line(item, "en") == "the weights file timer has no figure for 340 in 2024"
    assert label("err_weights_gap", "da", name="timer", year=2024, codes="340", key="x", lang="y") == (
        "vægtfilen timer har intet tal for 340 i 2024"
    )
