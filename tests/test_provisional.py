"""Provisional budget years in every document: `--final` asks only that the years shown be final, every total over
provisional years says how much of it is provisional, and every document marks such a year "foreløbig".

The autumn case (tests/test_autumn.py): 2027 and 2028 are provisional; Stevns leaves on 1 January 2027. Expected
figures come from that test's own computation of the split, never from costshare's."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from costshare.cli import app

from . import test_autumn
from .test_autumn import expected, ok

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
