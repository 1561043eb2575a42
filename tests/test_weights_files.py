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


# --- the one bound on a member's key figure ------------------------------------------------------------

TOP = "1000000000000000"  # MAX_POPULATION, written out: the largest figure a population or a weights file may give
JUST_BELOW = "999999999999999.9999999999"  # the largest a weights file may give with its 10 decimals
BY_HALF_HOURS = "  - label: Linje\n    yearly: 730000\n    key: {blend: {timer: 50, population: 50}}\n"


def test_the_bound_is_the_one_in_limits():
    from costshare.limits import MAX_POPULATION

    assert str(MAX_POPULATION) == TOP


def at_the_bound(workspace, hours_of) -> None:
    """Every member at the bound: its population, and its hours as `hours_of` gives them."""
    write_hours(workspace, hours_of)
    rows = [line.split(",") for line in workspace.population_lines()[1:]]
    workspace.write_population("year,code,municipality,population\n" + "".join(f"{y},{c},{n},{TOP}\n" for y, c, n, _ in rows))
    write_config(workspace, BY_HALF_HOURS)


@pytest.mark.parametrize("hours", [TOP, JUST_BELOW, "0.0000000001"], ids=["top", "just-below-with-decimals", "the-least"])
def test_every_command_is_exact_at_the_bound(workspace, hours):
    import json
    from decimal import Decimal
    from fractions import Fraction

    import openpyxl

    at_the_bound(workspace, lambda code: hours if code != "340" else TOP)
    for command in (["export", "out.json"], ["export", "out.csv"], ["export", "out.xlsx"], ["bundle", "ud"], ["validate"]):
        result = runner.invoke(app, [*command, "-c", "alliance.yaml", "--lang", "en"])
        assert result.exit_code == 0, (command, result.output)
    document = json.loads((workspace.root / "out.json").read_text(encoding="utf-8"), parse_float=Decimal)
    sorø = next(a for a in document["periods"][0]["allocations"] if a["code"] == "340")
    assert sorø["population"] == 10**15 and sorø["weight"] == 12 * 10**15
    assert [part["value"] for part in sorø["items"][0]["parts"]] == [Decimal(TOP), Decimal(TOP)]
    other = next(a for a in document["periods"][0]["allocations"] if a["code"] == "253")
    assert other["items"][0]["parts"][0]["value"] == Decimal(hours.replace(",", "."))
    # Sorø's exact share of 2024 by the rule, worked out here: half by hours, half in equal parts (equal populations)
    value = Fraction(Decimal(hours.replace(",", ".")))
    exact = Fraction(730000) / 2 * 10**15 / (16 * value + 10**15) + Fraction(730000) / 2 / 17
    assert Decimal(sorø["items"][0]["exact"]) == round(Decimal(exact.numerator) / Decimal(exact.denominator), 6)
    sheets = openpyxl.load_workbook(workspace.root / "out.xlsx").worksheets
    assert any(cell.value == 10**15 for sheet in sheets for row in sheet.iter_rows() for cell in row)
    assert (workspace.root / "ud").is_dir()
    explained = runner.invoke(app, ["explain", "Sorø", "--year", "2024", "-c", "alliance.yaml", "--lang", "en"])
    assert explained.exit_code == 0, explained.output
    total = 16 * Decimal(hours.replace(",", ".")) * 12 + 12 * 10**15
    shown = f"{total:,f}".rstrip("0").rstrip(".") if total % 1 else f"{total:,.0f}"
    assert f"Linje, 50 % by timer: 365,000 DKK × 1,000,000,000,000,000 × 12 months / {shown} = " in explained.stdout


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        ("1000000000000000.0000000001", "1000000000000000.0000000001"),
        ("1000000000000001", "1000000000000001"),
        ("10000000000000000000", "10000000000000000000"),
        ("99999999999999999999.5", "99999999999999999999.5"),
    ],
    ids=["a-hair-above", "one-above", "ten-to-the-19th", "twenty-digits"],
)
def test_a_weight_above_the_bound_is_one_line_naming_the_file_and_line(workspace, value, shown):
    write_hours(workspace, lambda code: value if code == "340" else 1, years=(2024,))
    write_config(workspace)
    for command in (["validate"], ["export", "out.json"], ["bundle", "ud"]):
        result = runner.invoke(app, [*command, "-c", "alliance.yaml", "--lang", "en"])
        assert result.exit_code == 1, result.output
        assert result.stderr.splitlines() == [f"error: timer.csv:13: the weight '{shown}' is more than 1,000,000,000,000,000"]


def test_a_population_above_the_bound_is_one_line_naming_the_file_and_line(workspace):
    lines = workspace.population_lines()
    number = next(i for i, line in enumerate(lines) if line.startswith("2023,340,"))
    lines[number] = lines[number].rsplit(",", 1)[0] + ",1000000000000001"
    workspace.write_population("\n".join(lines) + "\n")
    result = runner.invoke(app, ["export", "out.json", "-c", "alliance.yaml", "--lang", "en"])
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"error: population.csv:{number + 1}: population 1000000000000001 is more than 1,000,000,000,000,000"
    ]


def test_figures_any_paying_members_reach_below_the_bound_are_shown_to_the_last_digit():
    """A thousand members (as many as three-digit codes allow) at the bound with 10 decimals, 12 months each: the
    total weight an explanation shows has 30 digits, more than Python's decimals hold by default."""
    from decimal import Decimal
    from fractions import Fraction

    from costshare.words.display import factor_decimal, format_count, format_factor

    value = Fraction(Decimal(JUST_BELOW))
    total = 1000 * 12 * value
    assert format_factor(total, "en") == "11,999,999,999,999,999,999.9999988"
    assert format_factor(total, "da") == "11.999.999.999.999.999.999,9999988"
    assert factor_decimal(total) == Decimal("11999999999999999999.9999988")
    assert factor_decimal(value) == Decimal(JUST_BELOW)
    assert format_count(1000 * 12 * 10**15, "en") == "12,000,000,000,000,000,000"


def test_a_hundred_and_one_members_at_the_bound_are_explained_to_the_last_digit(workspace):
    """101 members at the bound with 10 decimals: a total weight of 29 digits, beyond Python's default 28."""
    import json
    from decimal import Decimal

    codes = [str(code) for code in range(100, 201)]
    workspace.write_population("year,code,municipality,population\n" + "".join(f"2023,{code},Kommune {code},{TOP}\n" for code in codes))
    rows = "".join(f"{year},{code},{JUST_BELOW}\n" for year in (2024, 2025) for code in codes)
    (workspace.root / "timer.csv").write_text("year,code,value\n" + rows, encoding="utf-8")
    write_config(workspace, BY_HALF_HOURS)
    explained = runner.invoke(app, ["explain", "150", "--year", "2024", "-c", "alliance.yaml", "--lang", "en"])
    assert explained.exit_code == 0, explained.output
    scaled = 101 * 12 * int(JUST_BELOW.replace(".", ""))  # the total weight in units of 10⁻¹⁰, worked out in whole numbers
    whole, decimals = divmod(scaled, 10**10)
    total = f"{whole:,}.{decimals:010d}".rstrip("0")
    assert total == "1,211,999,999,999,999,999.9999998788" and len(total.replace(",", "").replace(".", "")) == 29
    # equal weights: 365.000 kr. / 101 = 3.613,86 kr. each
    assert f"× 999,999,999,999,999.9999999999 × 12 months / {total} = 3,613.86 DKK" in explained.stdout
    assert runner.invoke(app, ["export", "out.json", "-c", "alliance.yaml"]).exit_code == 0
    document = json.loads((workspace.root / "out.json").read_text(encoding="utf-8"), parse_float=Decimal)
    values = {part["value"] for a in document["periods"][0]["allocations"] for part in a["items"][0]["parts"]}
    assert values == {Decimal(JUST_BELOW), Decimal(TOP)}


# --- a weights file no item uses ------------------------------------------------------------------------

UNUSED = {
    "en": "warning: alliance.yaml:3: weights.timer: no cost item is split by timer, so timer.csv is not used "
    "(hint: write key: timer on the item to be split by it, or remove the line)",
    "da": "advarsel: alliance.yaml:3: weights.timer: ingen udgiftspost fordeles efter timer, så timer.csv bruges ikke "
    "(tip: skriv key: timer ved den post, der skal fordeles efter den, eller fjern linjen)",
}


def unhashed(text: str) -> list[str]:
    return [line for line in text.splitlines() if "sha256" not in line]


@pytest.mark.parametrize(
    "command",
    [["validate"], ["table"], ["explain", "Sorø"], ["export", "-", "--format", "json"], ["check", "decided.csv"], ["bundle", "ud"]],
    ids=lambda command: command[0],
)
@pytest.mark.parametrize("lang", ["en", "da"])
def test_a_weights_file_no_item_uses_is_a_warning_and_the_command_runs_as_before(workspace, command, lang):
    (workspace.root / "decided.csv").write_text("year,code,amount\n2024,340,26150\n", encoding="utf-8")
    write_hours(workspace, lambda code: 1)
    write_config(workspace, "  - label: KKR\n    yearly: 730000\n")
    with_file = runner.invoke(app, [*command, "-c", "alliance.yaml", "--lang", lang])
    assert [line for line in with_file.stderr.splitlines() if line.startswith(("warning", "advarsel"))] == [UNUSED[lang]]
    workspace.config.write_text(CONFIG.replace("weights: {{timer: timer.csv}}\n", "").format(items="  - label: KKR\n    yearly: 730000\n"))
    without = runner.invoke(app, [*command, "-c", "alliance.yaml", "--lang", lang, "--force"] if command[0] == "bundle" else
                            [*command, "-c", "alliance.yaml", "--lang", lang])  # fmt: skip
    assert with_file.exit_code == without.exit_code
    assert unhashed(with_file.stdout) == unhashed(without.stdout)  # the config's checksum differs, as the config does
    assert with_file.stderr.replace(UNUSED[lang] + "\n", "") == without.stderr


def test_a_weights_file_an_item_uses_says_nothing(workspace):
    write_hours(workspace, lambda code: 1)
    write_config(workspace)
    result = runner.invoke(app, ["validate", "-c", "alliance.yaml", "--lang", "en"])
    assert result.exit_code == 0 and result.stderr == ""


def test_a_broken_weights_file_no_item_uses_is_still_an_error(workspace):
    write_hours(workspace, lambda code: "mange")
    write_config(workspace, "  - label: KKR\n    yearly: 730000\n")
    result = runner.invoke(app, ["validate", "-c", "alliance.yaml", "--lang", "en"])
    assert result.exit_code == 1
    assert result.stderr.splitlines()[:2] == [UNUSED["en"], "error: timer.csv:2: 'mange' is not a weight (a number such as 12 or 12.5)"]


def test_the_other_config_of_compare_is_warned_about_too(workspace):
    write_hours(workspace, lambda code: 1)
    write_config(workspace, "  - label: KKR\n    yearly: 730000\n")
    other = workspace.root / "other.yaml"
    other.write_text(workspace.config.read_text(encoding="utf-8").replace("yearly: 730000", "yearly: 740000"), encoding="utf-8")
    result = runner.invoke(app, ["compare", "other.yaml", "-c", "alliance.yaml", "--lang", "en"])
    assert result.exit_code == 0, result.output
    assert result.stderr.splitlines() == [UNUSED["en"], UNUSED["en"].replace("alliance.yaml", "other.yaml")]
