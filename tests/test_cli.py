"""The commands as a user runs them: exit codes, exact error lines, and what the output says."""

import json
import re
from decimal import Decimal
from fractions import Fraction

import pytest
from typer.testing import CliRunner

from costshare import __version__
from costshare.cli import app
from costshare.formats.registry import Document

from .conftest import flat, usage_line

runner = CliRunner()


def run(*args: str, env: dict[str, str] | None = None):
    return runner.invoke(app, list(args), env=env, catch_exceptions=False)


def fail(*args: str, code: int = 1):
    """Run a command that must fail; its messages in English, the wording these tests hold."""
    result = runner.invoke(app, [*args, *(["--lang", "en"] if "--lang" not in args and args[0] != "--version" else [])])
    assert result.exit_code == code, result.output
    assert "Traceback" not in result.output
    return result


def test_version():
    result = run("--version")
    assert result.exit_code == 0
    assert result.stdout.strip() == f"costshare {__version__}"


def test_table_shows_every_municipality_year_and_totals(workspace):
    result = run("table", "--config", str(workspace.config))
    assert result.exit_code == 0
    out = result.stdout
    for name in (
        "Faxe",
        "Greve",
        "Guldborgsund",
        "Holbæk",
        "Kalundborg",
        "Køge",
        "Lejre",
        "Lolland",
        "Næstved",
        "Odsherred",
        "Ringsted",
        "Roskilde",
        "Slagelse",
        "Solrød",
        "Sorø",
        "Stevns",
        "Vordingborg",
    ):
        assert name in out
    for header in ("2023 (jul–dec)", "2024", "2027", "2028 (jan–jun)", "I alt"):
        assert header in out
    soro = next(line for line in out.splitlines() if "Sorø" in line)
    assert [cell.strip() for cell in soro.split("│")[5:12]] == ["13.075", "26.150", "26.150", "26.150", "26.150", "13.075", "130.750"]
    totals = next(line for line in out.splitlines() if "I alt (17 kommuner)" in line)
    assert [c.strip() for c in totals.split("│")[3:12]] == [
        "849.857",
        "100,00 %",
        "365.000",
        "730.000",
        "730.000",
        "730.000",
        "730.000",
        "365.000",
        "3.650.000",
    ]
    assert "Kilde: Danmarks Statistik, FOLK1A, 1. januar 2023" in out
    assert "Region Sjælland bidrager selv." in out


def test_table_filters_years_and_municipalities_and_speaks_english(workspace):
    result = run("table", "-c", str(workspace.config), "--year", "2026", "-m", "soro", "-m", "330", "--lang", "en")
    out = result.stdout
    rows = [line for line in out.splitlines() if line.startswith("│")]
    assert [r.split("│")[1].strip() for r in rows] == ["Slagelse", "Sorø", "Total (17 municipalities)"]
    assert [c.strip() for c in rows[1].split("│")[3:7]] == ["30,444", "3.58 %", "26,150", "26,150"]
    assert "2025" not in out


def test_config_from_environment_variable(workspace):
    workspace.replace_in_config("alliance: Sjællands Klimaalliance", "alliance: Env Alliance")
    result = run("table", env={"COSTSHARE_CONFIG": str(workspace.config)})
    assert "Env Alliance" in result.stdout


def test_local_config_folder_is_used_before_the_packaged_copy(workspace):
    (workspace.root / "config").mkdir()
    workspace.config.rename(workspace.root / "config" / "alliance.yaml")
    (workspace.root / "config" / "alliance.yaml").write_text(
        (workspace.root / "config" / "alliance.yaml")
        .read_text(encoding="utf-8")
        .replace("file: population.csv", "file: ../population.csv")
        .replace("Sjællands Klimaalliance", "Lokal"),
        encoding="utf-8",
    )
    assert "Lokal" in run("table").stdout


def test_export_json_reproduces_the_decision_and_reconciles(workspace):
    assert run("export", "out.json", "-c", str(workspace.config)).exit_code == 0
    doc = json.loads((workspace.root / "out.json").read_text(encoding="utf-8"), parse_float=Decimal)
    assert doc["method"] == "largest_remainder" and doc["currency"] == "DKK" and doc["population_basis"] == "fixed"
    assert [p["year"] for p in doc["periods"]] == [2023, 2024, 2025, 2026, 2027, 2028]
    for period in doc["periods"]:
        assert sum(a["amount"] for a in period["allocations"]) == period["cost"]
        soro = next(a for a in period["allocations"] if a["code"] == "340")
        assert soro["amount"] == (13075 if period["months"] == 6 else 26150)
        assert soro["population"] == 30444 and period["population_total"] == 849857
    assert doc["periods"][0]["start"] == "2023-07-01" and doc["periods"][0]["end"] == "2023-12-31"
    assert doc["total"] == 3650000 == sum(t["amount"] for t in doc["totals"])
    assert next(t for t in doc["totals"] if t["code"] == "340")["amount"] == 130750


def test_export_is_byte_identical_and_refuses_to_overwrite(workspace):
    run("export", "a.json", "-c", str(workspace.config))
    run("export", "b.json", "-c", str(workspace.config))
    assert (workspace.root / "a.json").read_bytes() == (workspace.root / "b.json").read_bytes()
    for layout in ("wide", "long"):
        first = run("export", "-", "-c", str(workspace.config), "--layout", layout).stdout_bytes
        assert first and first == run("export", "-", "-c", str(workspace.config), "--layout", layout).stdout_bytes
    (workspace.root / "a.csv").write_text("keep me", encoding="utf-8")
    result = fail("export", "a.csv", "-c", str(workspace.config))
    assert result.stderr == "error: a.csv: file exists (hint: pass --force to overwrite it)\n"
    assert (workspace.root / "a.csv").read_text(encoding="utf-8") == "keep me"
    assert run("export", "a.csv", "-c", str(workspace.config), "--force").exit_code == 0
    assert (workspace.root / "a.csv").read_bytes().startswith("\ufeffKode;Kommune".encode())
    assert [p.name for p in workspace.root.iterdir() if p.name.endswith(".tmp")] == []


def test_export_excel_da_csv(workspace):
    run("export", "out.csv", "-c", str(workspace.config))
    raw = (workspace.root / "out.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    text = raw[3:].decode("utf-8")
    lines = text.split("\r\n")
    assert lines[0] == "Kode;Kommune;Indbyggere;Andel;2023 (jul–dec);2024;2025;2026;2027;2028 (jan–jun);I alt"
    assert "340;Sorø;30444;0,03582250;13075;26150;26150;26150;26150;13075;130750" in lines
    assert lines[-2] == ";I alt;849857;1;365000;730000;730000;730000;730000;365000;3650000"
    assert lines[-1] == ""


def test_export_rfc4180_long_to_stdout(workspace):
    result = run("export", "-", "-c", str(workspace.config), "--dialect", "rfc4180", "--layout", "long", "--lang", "en")
    lines = result.stdout_bytes.decode("utf-8").split("\r\n")
    assert lines[0] == "Year,Start,End,Months,Code,Municipality,Population year,Population,Share,Amount,Provisional"
    assert "2023,2023-07-01,2023-12-31,6,340,Sorø,2023,30444,0.03582250,13075,no" in lines
    assert len([line for line in lines if line]) == 1 + 6 * 17


def test_export_json_to_stdout(workspace):
    result = run("export", "-", "--format", "json", "-c", str(workspace.config))
    assert json.loads(result.stdout)["total"] == 3650000


def test_export_with_ore_unit(workspace):
    workspace.replace_in_config("yearly: 730000", "yearly: 1000.01")
    workspace.replace_in_config("unit: 1", "unit: 0.01")
    run("export", "out.json", "-c", str(workspace.config))
    doc = json.loads((workspace.root / "out.json").read_text(encoding="utf-8"), parse_float=Decimal)
    assert doc["rounding_unit"] == Decimal("0.01")
    assert doc["periods"][0]["cost"] == Decimal("500.01")  # 1000.01 × 6/12 = 500.005 → half up
    for period in doc["periods"]:
        assert sum(a["amount"] for a in period["allocations"]) == period["cost"]


def test_export_format_must_be_known():
    result = fail("export", "out.txt", code=2)
    assert "cannot tell the format from 'out.txt'" in flat(result.output)


# --- the formats: the registry is the one list; each command's help and choices come from it -------------

# Each command that writes a file in a format of its choosing, the document it writes, and its parameters whose
# help names the formats.
FORMAT_COMMANDS: dict[str, tuple[Document, tuple[str, ...]]] = {
    "export": ("split", ("out", "format")), "statement": ("statement", ("format",)),
    "compare": ("comparison", ("out",)), "settle": ("settlement", ("out",))}  # fmt: skip


def named_formats(text: str) -> list[str]:
    """The formats a help text names, each once, in order: '.csv-, .json- eller .xlsx-fil' names csv, json and xlsx."""
    from costshare.formats.registry import KNOWN

    return list(dict.fromkeys(word for word in re.findall(r"[a-z]+", text) if word in KNOWN))


def test_each_document_is_written_in_the_formats_users_know():
    from costshare.formats.registry import formats_of

    assert formats_of("split") == ("csv", "json", "xlsx")  # report.html is the bundle's, not the export's
    assert formats_of("report") == ("html",)
    assert formats_of("statement") == ("txt", "md", "pdf")
    assert formats_of("comparison") == formats_of("settlement") == ("csv", "json", "xlsx")


def help_text(parameter: object) -> str:
    """The help of a command's argument or option (typer gives both one)."""
    import typer.core

    assert isinstance(parameter, typer.core.TyperArgument | typer.core.TyperOption) and parameter.help is not None, parameter
    return parameter.help


@pytest.mark.parametrize("lang", ["da", "en"])
def test_the_help_of_each_command_lists_the_registrys_formats(lang):
    """Read from the parameters of the commands as built for `lang`."""
    import typer.core
    import typer.main

    from costshare.cli import build_app
    from costshare.formats.registry import formats_of

    group = typer.main.get_command(build_app(lang))
    assert isinstance(group, typer.core.TyperGroup)
    commands = group.commands
    for command, (document, parameters) in FORMAT_COMMANDS.items():
        named = {parameter.name: parameter for parameter in commands[command].params}
        for parameter in parameters:
            assert named_formats(help_text(named[parameter])) == list(formats_of(document)), (command, parameter)


@pytest.mark.parametrize("fmt", ["csv", "html", "json", "md", "pdf", "txt", "xlsx", "xml"])
@pytest.mark.parametrize("command", ["export", "statement"])
def test_a_format_is_accepted_exactly_when_the_registry_lists_it(workspace, command, fmt):
    from costshare.formats.registry import formats_of

    subject = "-" if command == "export" else "340"
    result = runner.invoke(app, [command, subject, "--format", fmt, "-c", str(workspace.config), "--lang", "en"])
    if fmt in formats_of(FORMAT_COMMANDS[command][0]):
        assert result.exit_code == 0, result.output
    else:
        assert result.exit_code == 2
        assert f"'{fmt}' is not one of the formats {', '.join(formats_of(FORMAT_COMMANDS[command][0])[:-1])} or" in flat(result.output)


def test_explain_gives_the_chain_and_the_reason(workspace):
    out = run("explain", "soro", "-c", str(workspace.config), "--year", "2024").stdout
    assert out.splitlines() == [
        "Sorø (340) · Sjællands Klimaalliance · budgetår 2024",
        "  KKR Sjællands årsværk (Gate21): 730.000 kr. om året × 12/12 = 730.000 kr.",
        "  Årets udgift: 730.000 kr.",
        "  Indbyggere 1. januar 2023: 30.444 af 849.857 (3,5822 %)",
        "  Præcis andel: 730.000 kr. × 30.444 / 849.857 = 26.150,42 kr.",
        "  Beløb: 26.150 kr.",
        "  Hver af de 17 kommuner fik først heltalsdelen af sin præcise andel, i alt 729.991 kr.; de 9 resterende enheder à 1 kr. "
        "gik én ad gangen til de største rester (ved lige store rester: flest indbyggere, så laveste kode).",
        "  Sorøs rest på 0,42 kr. var nr. 11 i køen, efter de 9, der fik en ekstra enhed, så beløbet er rundet ned.",
    ]


def test_explain_rounded_up_in_english(workspace):
    out = run("explain", "Greve", "-c", str(workspace.config), "-y", "2024", "--lang", "en").stdout
    assert "  Amount: 44,243 DKK" in out
    assert "Greve's remainder of 0.87 DKK was number 2 of the 9 that got an extra unit, so the amount was rounded up." in out


def test_explain_without_year_covers_every_budget_year(workspace):
    out = run("explain", "340", "-c", str(workspace.config)).stdout
    assert out.count("Beløb: 13.075 kr.") == 2 and out.count("Beløb: 26.150 kr.") == 4


def test_validate_summarises(workspace):
    result = run("validate", "-c", str(workspace.config), "--lang", "en")
    assert result.stdout.startswith(
        "alliance.yaml and population.csv are valid. Sjællands Klimaalliance: agreement 1 July 2023 to 30 June 2028, 6 budget years"
    )
    assert "17 municipalities" in result.stdout and "3,650,000 DKK" in result.stdout
    danish = run("validate", "-c", str(workspace.config)).stdout
    assert "aftale 1. juli 2023 til 30. juni 2028, 6 budgetår" in danish


def test_unknown_municipality_and_year_are_usage_errors(workspace):
    result = fail("explain", "Sorr", "-c", str(workspace.config), code=2)
    assert "no municipality named 'Sorr'; did you mean Sorø" in flat(result.output)
    result = fail("table", "-c", str(workspace.config), "--year", "2030", code=2)
    assert "2030 is not a budget year of the agreement (2023–2028)" in flat(result.output)
    fail("table", "--lang", "de", code=2)
    fail("export", "x.csv", "--dialect", "excel", code=2)


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        (
            "yearly: 730000",
            "yearly: 730.000",
            'error: alliance.yaml:7: costs[0].yearly: 730.000 has more decimals than rounding unit 1 allows (hint: in YAML "." is a decimal point, not a thousands separator: write 730000 for 730.000 kr.)\n',
        ),
        (
            "  year: 2023",
            "  year: 2019",
            "error: population.csv: no population figures for 1 January 2019, the key year of budget years 2023–2028 (years in file: 2023) "
            "(hint: set population.year to a year in the file, or fetch it with: costshare population fetch --year 2019)\n",
        ),
        (
            "rounding:",
            "members: [340, 999]\nrounding:",
            "error: alliance.yaml:13: members[1]: there is no municipality 999 in the population file population.csv "
            "(hint: check the code: municipality codes have three digits, e.g. 340 for Sorø)\n",
        ),
        (
            "file: population.csv",
            "file: nowhere.csv",
            "error: nowhere.csv: population file not found (hint: check population.file in the config; it is relative to the config file)\n",
        ),
        (
            "alliance: Sjællands Klimaalliance",
            "alliance: !!python/name:os.system",
            "error: alliance.yaml:1: YAML tag 'tag:yaml.org,2002:python/name:os.system' is not allowed (hint: costshare reads YAML safely: plain values, lists and mappings only)\n",
        ),
    ],
)
def test_bad_config_gives_one_error_line_and_exit_1(workspace, old, new, expected):
    workspace.replace_in_config(old, new)
    for command in (["table"], ["validate"], ["explain", "soro"], ["export", "out.json"]):
        result = fail(*command, "-c", "alliance.yaml")
        assert result.stderr == expected
        assert result.stdout == ""
    assert not (workspace.root / "out.json").exists()


def test_bad_population_gives_error_lines_and_no_file(workspace):
    lines = workspace.population_lines()
    lines[12] = lines[12].replace("30444", '"30.444"')
    workspace.write_population("\n".join(lines) + "\n")
    result = fail("export", "out.csv", "-c", "alliance.yaml")
    assert (
        result.stderr
        == "error: population.csv:13: population '30.444' is not a whole number (hint: write 30444 without thousands separators)\n"
    )
    assert not (workspace.root / "out.csv").exists()


def test_missing_config_says_where_costshare_looked(workspace):
    result = fail("table", "-c", "missing.yaml")
    assert result.stderr == (
        f"error: missing.yaml: file not found (hint: costshare looked for {workspace.root / 'missing.yaml'}"
        "; without --config or COSTSHARE_CONFIG it uses ./config/alliance.yaml, else the copy shipped with costshare, "
        "and costshare init writes one to edit)\n"
    )


def test_yearly_basis_with_a_municipality_missing_in_a_later_year_names_the_file_and_the_fix(workspace):
    lines = workspace.population_lines()
    later = [line.replace("2023,", "2024,", 1) for line in lines[1:] if ",340," not in line]
    workspace.write_population("\n".join([*lines, *later]) + "\n")
    workspace.replace_in_config("  basis: fixed\n  year: 2023\n", "  basis: yearly\n")
    workspace.replace_in_config("end: 2028-06-30", "end: 2024-12-31")
    result = fail("table", "-c", "alliance.yaml")
    assert result.stderr == (
        "error: population.csv: budget year 2024 has other municipalities (16) than 2023 (17) "
        "(hint: list the municipalities under members in the config)\n"
    )


def test_explain_speaks_of_one_leftover_unit_in_the_singular(workspace):
    """Three members and a yearly cost whose floors leave exactly one unit over, found in the test by Fraction."""
    population = {"Greve": 51507, "Køge": 62458, "Sorø": 30444}
    codes = {"Greve": 253, "Køge": 259, "Sorø": 340}
    workspace.write_population("year,code,municipality,population\n" + "".join(f"2023,{codes[n]},{n},{c}\n" for n, c in population.items()))
    total = sum(population.values())

    def remainders(cost: int) -> dict[str, Fraction]:
        return {name: Fraction(cost * count, total) % 1 for name, count in population.items()}

    cost = next(cost for cost in range(730_000, 731_000) if sum(remainders(cost).values()) == 1)
    ranked = sorted(remainders(cost).items(), key=lambda pair: (-pair[1], -population[pair[0]]))
    (first, _), (second, _) = ranked[:2]
    workspace.replace_in_config("yearly: 730000", f"yearly: {cost}")
    up = run("explain", first, "-c", str(workspace.config), "-y", "2024").stdout
    assert "; den ene resterende enhed à 1 kr. gik til den største rest (ved lige store rester: flest indbyggere, så laveste kode)." in up
    assert "var den største, så den fik den ene ekstra enhed, og beløbet er rundet op." in up
    down = run("explain", second, "-c", str(workspace.config), "-y", "2024", "--lang", "en").stdout
    assert "; the one unit of 1 DKK left over went to the largest remainder (ties: larger population, then lower code)." in down
    assert "was number 2 in the queue, after the one that got the extra unit, so the amount was rounded down." in down


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (
            ("statement", "soro", "--out", "s.docx"),
            "Invalid value: cannot tell the format from 's.docx'; use a suffix (txt, md, pdf) or --format",
        ),
        (
            ("compare", "alliance.yaml", "--out", "c.txt"),
            "Invalid value: cannot tell the format from 'c.txt'; use a suffix (csv, json, xlsx)",
        ),
        (("export", "out.docx"), "Invalid value: cannot tell the format from 'out.docx'; use a suffix (csv, json, xlsx) or --format"),
    ],
)
def test_an_unknown_suffix_is_refused_and_no_option_the_command_lacks_is_named(workspace, args, expected):
    """A statement to s.docx is not written as text under that name; compare, which has no --format, is not told of one."""
    result = runner.invoke(app, [*args, "-c", "alliance.yaml", "--lang", "en"])
    assert (result.exit_code, usage_line(result.output)) == (2, expected)
    assert not (workspace.root / args[-1]).exists()
