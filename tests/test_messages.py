"""Messages a finance officer can act on, and the language they are in (issue: Danish help and messages)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from costshare.cli import app, build_app
from costshare.words import Lang

from .conftest import flat, usage_line

runner = CliRunner()


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ("yearly: 730000", "yearly: 730000.50", "alliance.yaml:7: costs[0].yearly: 730000.50 har flere decimaler, end afrundingsenheden 1 tillader (tip: for beløb i øre, sæt rounding.unit: 0.01)"),
        ("yearly: 730000", "yearly: 730.000", 'alliance.yaml:7: costs[0].yearly: 730.000 har flere decimaler, end afrundingsenheden 1 tillader (tip: i YAML er "." et decimaltegn, ikke en tusindtalsprik: skriv 730000 for 730.000 kr.)'),
        ("  start: 2023-07-01", "\tstart: 2023-07-01", "alliance.yaml:3: ugyldig YAML: et tabulatortegn, hvor YAML kun tillader mellemrum (tip: ryk ind med mellemrum, fx to pr. niveau)"),
        ("    yearly: 730000", "    yealry: 730000", "alliance.yaml:7: costs[0].yealry: ukendt nøgle (tip: mente du yearly?)"),
        ("    yearly: 730000", "   yearly: 730000", "alliance.yaml:7: ugyldig YAML: indrykningen passer ikke; linjen står længere inde eller ude end linjerne, den hører sammen med (tip: nøgler på samme niveau skal stå lige under hinanden, med mellemrum, ikke tabulatorer)"),
        ("alliance: Sjællands Klimaalliance", "alliance: Sjælland: Klima", "alliance.yaml:1: ugyldig YAML: et kolon efterfulgt af mellemrum, hvor der ikke må stå et (tip: sæt værdien i anførselstegn, hvis den selv indeholder ': ', fx label: \"Drift: sekretariat\"; og tjek, at linjen før har sit kolon)"),
        ("alliance: Sjællands Klimaalliance", 'alliance: "Sjællands Klimaalliance', "alliance.yaml:1: ugyldig YAML: et anførselstegn bliver aldrig lukket (tip: luk teksten med det samme anførselstegn, som den begynder med)"),
    ],
    ids=["ore", "thousands-dot", "tab", "misspelt-key", "indent", "colon", "quote"],
)  # fmt: skip
def test_hints_that_say_what_to_do(workspace, old, new, expected):
    workspace.replace_in_config(old, new)
    result = runner.invoke(app, ["validate", "-c", "alliance.yaml"])
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0] == "fejl: " + expected


@pytest.mark.parametrize("name", ["Sorø Kommune", "sorø kommune", "Soro", "SORØ", "340"])
def test_a_municipality_named_with_kommune_is_found(workspace, name):
    result = runner.invoke(app, ["explain", name, "-c", "alliance.yaml", "-y", "2024"], catch_exceptions=False)
    assert result.stdout.splitlines()[0] == "Sorø (340) · Sjællands Klimaalliance · budgetår 2024"


def test_fetch_years_are_checked_before_any_request(workspace):
    for year in ("1990", "2031"):
        result = runner.invoke(
            app, ["population", "fetch", "-c", "alliance.yaml", "--year", year, "--api-url", "http://127.0.0.1:9/v1/data"]
        )
        assert result.exit_code == 2
        assert f"{year}: FOLK1A har tal for 1. januar fra 2008 til" in flat(result.output)
        assert "kan skrives ind i befolkningsfilen i hånden" in flat(result.output)


@pytest.mark.parametrize(
    ("args", "env", "expected"),
    [
        (["--lang", "en"], {}, "Amount: 26,150 DKK"),
        (["--lang", "da_DK"], {}, "Beløb: 26.150 kr."),
        ([], {"COSTSHARE_LANG": "en"}, "Amount: 26,150 DKK"),
        ([], {"LANG": "en_GB.UTF-8"}, "Amount: 26,150 DKK"),
        ([], {"LANG": "da_DK.UTF-8"}, "Beløb: 26.150 kr."),
        ([], {}, "Beløb: 26.150 kr."),
    ],
    ids=["option", "option-alias", "environment", "system-en", "system-da", "default"],
)
def test_the_language_routes(workspace, args, env, expected):
    result = runner.invoke(app, ["explain", "soro", "-c", "alliance.yaml", "-y", "2024", *args], env=env, catch_exceptions=False)
    assert f"  {expected}" in result.stdout.splitlines()


@pytest.mark.parametrize(
    ("args", "env", "expected"),
    [
        (["--lang", "en", "table"], {"COSTSHARE_LANG": "da"}, "Invalid value for --year: '20x' is not a year or a run of years"),
        (["table", "--lang", "da"], {"COSTSHARE_LANG": "en"}, "Ugyldig værdi for --year: '20x' er ikke et år eller en række af år"),
    ],
)
def test_a_usage_error_while_parsing_speaks_the_lang_of_the_command_line_it_is_in(workspace, args, env, expected):
    result = runner.invoke(app, [*args, "-c", "alliance.yaml", "--year", "20x"], env=env)
    assert result.exit_code == 2
    assert expected in flat(result.output)


@pytest.mark.parametrize("command", [["table"], ["population", "show"]])
def test_errors_speak_the_configs_locale_once_the_config_is_read(workspace, command):
    workspace.replace_in_config("alliance: Sjællands Klimaalliance", "alliance: Sjællands Klimaalliance\nlocale: en")
    workspace.population.unlink()
    after = runner.invoke(app, [*command, "-c", "alliance.yaml"], env={"LANG": "da_DK.UTF-8"})
    assert (after.exit_code, after.stderr.split(":")[0]) == (1, "error")
    workspace.replace_in_config("  start: 2023-07-01", "\tstart: 2023-07-01")  # now the config itself cannot be read
    before = runner.invoke(app, [*command, "-c", "alliance.yaml"], env={"LANG": "da_DK.UTF-8"})
    assert (before.exit_code, before.stderr.split(":")[0]) == (1, "fejl")


def test_the_configs_locale_comes_after_the_environment_and_before_the_system(workspace):
    workspace.replace_in_config("alliance: Sjællands Klimaalliance", "alliance: Sjællands Klimaalliance\nlocale: en")
    english = runner.invoke(
        app, ["explain", "soro", "-c", "alliance.yaml", "-y", "2024"], env={"LANG": "da_DK.UTF-8"}, catch_exceptions=False
    )
    assert "  Amount: 26,150 DKK" in english.stdout.splitlines()
    danish = runner.invoke(
        app, ["explain", "soro", "-c", "alliance.yaml", "-y", "2024"], env={"COSTSHARE_LANG": "da"}, catch_exceptions=False
    )
    assert "  Beløb: 26.150 kr." in danish.stdout.splitlines()


def test_danish_outputs_say_kr_and_show_the_remainder_of_an_ore_unit(workspace):
    table = runner.invoke(app, ["table", "-c", "alliance.yaml"], catch_exceptions=False).stdout
    assert table.splitlines()[0].strip() == "Sjællands Klimaalliance — kr."
    workspace.replace_in_config("unit: 1", "unit: 0.01")
    lines = runner.invoke(app, ["explain", "soro", "-c", "alliance.yaml", "-y", "2024"], catch_exceptions=False).stdout.splitlines()
    # 730.000 × 30.444 / 849.857 = 26.150,4229… kr.: the remainder below a whole øre is 0,0029… kr.
    assert lines[-1].startswith("  Sorøs rest på 0,0030 kr. var nr. ")


def test_population_show_names_the_file_as_the_file(workspace):
    out = runner.invoke(app, ["population", "show", "-c", "alliance.yaml"], catch_exceptions=False).stdout
    assert out.splitlines()[-1] == "Befolkningsfil: population.csv"


def test_what_is_assumed_is_said_under_the_table_in_statements_and_in_the_report(workspace):
    workspace.replace_in_config("  end: 2028-06-30\n", "  end: 2028-06-30\n  note: Slutdato antaget\n")
    assert "Slutdato antaget" in runner.invoke(app, ["table", "-c", "alliance.yaml"], catch_exceptions=False).stdout.splitlines()
    statement = runner.invoke(app, ["statement", "soro", "-c", "alliance.yaml"], catch_exceptions=False).stdout.splitlines()
    assert "Aftaleperiode: 1. juli 2023 – 30. juni 2028 (Slutdato antaget)" in statement
    assert runner.invoke(app, ["bundle", "ud", "-c", "alliance.yaml"], catch_exceptions=False).exit_code == 0
    assert "<p>Aftaleperiode: 1. juli 2023 – 30. juni 2028 (Slutdato antaget)</p>" in (workspace.root / "ud" / "report.html").read_text(
        encoding="utf-8"
    )


@pytest.mark.parametrize("width", [100, 80, 60])
def test_the_table_fits_a_narrow_terminal_and_keeps_every_year_and_the_total(workspace, width):
    import costshare
    from costshare.formats.terminal import fitting_tables, table_width

    result = costshare.compute(workspace.config)
    tables = fitting_tables(result.view, None, "da", width)
    assert all(table_width(table) <= width for table in tables)
    headers = [str(column.header) for table in tables for column in table.columns]
    assert [h for h in headers if h[:4].isdigit()] == ["2023 (jul–dec)", "2024", "2025", "2026", "2027", "2028 (jan–jun)"]
    assert "Andel" not in headers  # the share column goes first
    last = tables[-1].columns[-1]
    assert str(last.header) == "I alt" and str(list(last.cells)[-1]) == "3.650.000"  # the whole agreement's total


def test_a_wide_terminal_gets_the_whole_table(workspace):
    import costshare
    from costshare.formats.terminal import fitting_tables

    result = costshare.compute(workspace.config)
    (table,) = fitting_tables(result.view, None, "da", 200)
    assert [str(column.header) for column in table.columns][2:4] == ["Indbyggere 1.1.2023", "Andel"]


# --- the five routes to a language, with a real process each (help texts are made at start-up) -------------

HELP = {"da": "Vis hver kommunes beløb pr. budgetår med totaler.", "en": "Show every municipality's amount per budget year, with totals."}
ERROR = {
    "da": "fejl: nowhere.csv: befolkningsfilen findes ikke (tip: tjek population.file i konfigurationen; stien regnes fra konfigurationsfilen)",
    "en": "error: nowhere.csv: population file not found (hint: check population.file in the config; it is relative to the config file)",
}


def costshare_process(args: list[str], env: dict[str, str], cwd) -> subprocess.CompletedProcess[str]:
    script = str(Path(sys.executable).with_name("costshare"))
    base = {"PATH": os.environ.get("PATH", ""), "HOME": str(cwd)}
    return subprocess.run([script, *args], cwd=cwd, capture_output=True, text=True, env={**base, **env}, timeout=120)


ROUTES = [(route, lang) for route in ("option", "environment", "config", "system") for lang in ("da", "en")] + [("default", "da")]


@pytest.mark.slow
@pytest.mark.parametrize(("route", "lang"), ROUTES)
def test_each_route_to_a_language_gives_help_errors_and_hints_in_it(workspace, route, lang):
    workspace.replace_in_config("file: population.csv", "file: nowhere.csv")
    args, env = [], {}
    if route == "option":
        args = ["--lang", lang]
    elif route == "environment":
        env = {"COSTSHARE_LANG": lang}
    elif route == "config":
        workspace.replace_in_config("alliance: Sjællands Klimaalliance", f"alliance: Sjællands Klimaalliance\nlocale: {lang}")
    elif route == "system":
        env = {"LANG": {"da": "da_DK.UTF-8", "en": "en_GB.UTF-8"}[lang]}
    helped = costshare_process(["table", "--help", "-c", "alliance.yaml", *args], env, workspace.root)
    assert HELP[lang] in " ".join(helped.stdout.split())
    assert ("Indstillinger" if lang == "da" else "Options") in helped.stdout
    failed = costshare_process(["table", "-c", "alliance.yaml", *args], env, workspace.root)
    assert failed.returncode == 1
    assert failed.stderr.splitlines() == [ERROR[lang]]


@pytest.mark.parametrize("locale", ["da", "da_DK"])
def test_the_config_takes_da_and_da_dk_alike(workspace, locale):
    workspace.replace_in_config("alliance: Sjællands Klimaalliance", f"alliance: Sjællands Klimaalliance\nlocale: {locale}")
    result = runner.invoke(
        app, ["explain", "soro", "-c", "alliance.yaml", "-y", "2024"], env={"LANG": "en_GB.UTF-8"}, catch_exceptions=False
    )
    assert "  Beløb: 26.150 kr." in result.stdout.splitlines()


def test_the_usage_line_of_a_refused_option_is_danish(workspace):
    result = runner.invoke(app, ["decide", "--year", "2099"])
    assert result.exit_code == 2
    assert result.stderr.splitlines()[0] == "Brug: costshare decide [INDSTILLINGER]"


def test_the_usage_line_of_the_bare_command_is_danish():
    result = runner.invoke(app, ["--lang", "da"])
    assert result.stderr.splitlines()[0] == "Brug: costshare [INDSTILLINGER] KOMMANDO [ARGUMENTER]..."


@pytest.mark.parametrize(
    ("args", "danish", "english"),
    [
        (["table", "--foo"], "Indstillingen --foo findes ikke.", "No such option: --foo."),
        (["table", "--yaer", "2024"], "Indstillingen --yaer findes ikke. Mente du --year?", "No such option: --yaer. Did you mean --year?"),
        (["table", "--year"], "Indstillingen --year skal have en værdi.", "Option --year requires a value."),
        (["explain"], "Argumentet KOMMUNE mangler.", "Missing argument MUNICIPALITY."),
        (["table", "x", "y"], "For mange argumenter: x y", "Got unexpected extra arguments: x y"),
    ],
    ids=["unknown-option", "misspelt-option", "option-without-value", "missing-argument", "extra-arguments"],
)
def test_the_parsers_own_errors_speak_the_runs_language(args, danish, english):
    """What click's parser says in English without gettext is said in the run's language, in its own words; the app
    is built in that language, as costshare.launch builds it."""
    said: tuple[tuple[Lang, str], ...] = (("da", danish), ("en", english))
    for lang, expected in said:
        result = runner.invoke(build_app(lang), ["--lang", lang, *args], env={"LANGUAGE": lang})
        assert (result.exit_code, usage_line(result.output)) == (2, expected)


@pytest.mark.parametrize(
    ("lang", "expected"),
    [("da", "Kommandoen 'tabel' findes ikke. Mente du 'table'?"), ("en", "No such command 'tabel'. Did you mean 'table'?")],
)
def test_a_misspelt_command_is_answered_in_the_runs_language(lang, expected):
    """The command as costshare.launch runs it: typer's own words come from the catalog bound there."""
    result = subprocess.run([sys.executable, "-m", "costshare", "--lang", lang, "tabel"], capture_output=True, text=True, timeout=60)
    assert (result.returncode, usage_line(result.stderr)) == (2, expected)
