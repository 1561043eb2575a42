"""The bound on the shares one run works out (limits.MAX_SHARES): members × budget years × parts, checked before
any figure is worked out, so a config within every other limit cannot keep `validate` busy for minutes.

The configs here have made-up municipalities (codes 001, 002, …) over 50 budget years and 10 parts: a yearly item
by population (1), a blend of two keys (2), a rate in three steps (3) and four instalments a year (4)."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from costshare.app.pipeline import check_size, members
from costshare.cli import app
from costshare.core.errors import ConfigError
from costshare.io.config import load_config
from costshare.io.population import load_population

from .conftest import english

runner = CliRunner()

TEN_PARTS = """\
alliance: Stor aftale
agreement: {start: 2023-01-01, end: 2072-12-31}
costs:
  - label: Sekretariat
    yearly: 730000
  - label: Bestyrelse
    yearly: 170000
    key: {blend: {equal: 30, population: 70}}
  - label: Kontingent
    per_inhabitant: [{up_to: 1000, rate: 2}, {up_to: 5000, rate: 1}, {rate: 0.5}]
population: {file: population.csv, basis: fixed, year: 2023}
billing: {instalments: 4}
"""


def municipalities(folder: Path, count: int) -> None:
    """A population file of `count` made-up municipalities on 1 January 2023."""
    rows = "".join(f"2023,{code:03d},Kommune {code:03d},{1000 + 37 * code}\n" for code in range(1, count + 1))
    (folder / "population.csv").write_text("year,code,municipality,population\n" + rows, encoding="utf-8")


def test_one_member_past_the_bound_is_refused_with_one_line_naming_the_config_and_what_to_reduce(workspace):
    """801 × 50 × 10 = 400.500 shares."""
    municipalities(workspace.root, 801)
    workspace.write_config(TEN_PARTS)
    result = runner.invoke(app, ["validate", "--config", "alliance.yaml", "--lang", "en"])
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        "error: alliance.yaml: 801 members × 50 budget years × 10 parts (of keys, rates and instalments) = 400,500 shares "
        "to work out, at most 400,000 (hint: split the agreement into configs with fewer members, budget years or cost "
        "items; each part of a key, each step of a rate and each instalment a year is one part)"
    ]


def test_the_bound_is_checked_before_the_split_is_started(workspace):
    """Past the bound and keyed in part by a weights file that is not there: the split would stop where it reads the
    file, so the bound's line (and no other) shows that nothing was read or worked out first."""
    municipalities(workspace.root, 801)
    workspace.write_config(TEN_PARTS.replace("equal: 30", "timer: 30") + "weights: {timer: timer.csv}\n")
    result = runner.invoke(app, ["validate", "--config", "alliance.yaml", "--lang", "en"])
    assert result.exit_code == 1
    (line,) = result.stderr.splitlines()
    assert line.startswith("error: alliance.yaml: 801 members × 50 budget years × 10 parts")
    municipalities(workspace.root, 800)  # within the bound, the same config gets as far as the weights file
    result = runner.invoke(app, ["validate", "--config", "alliance.yaml", "--lang", "en"])
    assert result.exit_code == 1 and "timer.csv" in result.stderr and "shares" not in result.stderr


def test_the_bound_is_said_in_danish_too(workspace):
    municipalities(workspace.root, 801)
    workspace.write_config(TEN_PARTS)
    result = runner.invoke(app, ["table", "--config", "alliance.yaml"])
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        "fejl: alliance.yaml: 801 medlemmer × 50 budgetår × 10 dele (af fordelingsnøgler, satser og a conto-rater) = "
        "400.500 andele at beregne, højst 400.000 (tip: del aftalen op i konfigurationer med færre medlemmer, budgetår "
        "eller udgiftsposter; hver del af en fordelingsnøgle, hvert trin i en sats og hver a conto-rate om året tæller "
        "som én del)"
    ]


def test_the_members_counted_are_those_the_config_lists(workspace):
    """999 municipalities in the file, 801 of them listed: 801 × 50 × 10 is past the bound; 800 of them are not."""
    municipalities(workspace.root, 999)
    listed = "members:\n" + "".join(f'  - "{code:03d}"\n' for code in range(1, 802))
    workspace.write_config(TEN_PARTS + listed)
    result = runner.invoke(app, ["validate", "--config", "alliance.yaml", "--lang", "en"])
    assert result.exit_code == 1
    assert "801 members × 50 budget years × 10 parts" in result.stderr
    config = load_config(workspace.write_config(TEN_PARTS + listed.replace('  - "801"\n', "")))
    population = load_population(workspace.population, "population.csv").table
    check_size(config, population, members(config, population))  # 800 × 50 × 10 = 400.000: at the bound, accepted


def test_every_member_in_the_population_file_counts_when_the_config_lists_none(workspace):
    municipalities(workspace.root, 800)
    config = load_config(workspace.write_config(TEN_PARTS))
    population = load_population(workspace.population, "population.csv").table
    check_size(config, population, None)  # 800 × 50 × 10 = 400.000
    more = load_config(workspace.write_config(TEN_PARTS.replace("instalments: 4", "instalments: 12")))
    with pytest.raises(ConfigError) as refused:
        check_size(more, population, None)
    assert english(refused.value) == [
        "alliance.yaml: 800 members × 50 budget years × 18 parts (of keys, rates and instalments) = 720,000 shares to work "
        "out, at most 400,000 (hint: split the agreement into configs with fewer members, budget years or cost items; each "
        "part of a key, each step of a rate and each instalment a year is one part)"
    ]


@pytest.mark.slow
def test_the_largest_config_the_bound_accepts_is_worked_out(workspace):
    """800 × 50 × 10 = 400.000 shares, every one of them: each budget year adds up to its cost."""
    municipalities(workspace.root, 800)
    workspace.write_config(TEN_PARTS)
    result = runner.invoke(app, ["validate", "--config", "alliance.yaml", "--lang", "en"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert "50 budget years (2023–2072, 600 months)" in result.stdout
    assert "split among 800 municipalities by each item's own key or rate, with the population on 1 January 2023" in result.stdout
    assert "every budget year's amounts add up exactly" in result.stdout
