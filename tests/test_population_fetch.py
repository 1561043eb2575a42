"""`costshare population fetch` against a real HTTP server on 127.0.0.1 that answers like StatBank."""

from typing import Any

import pytest
from typer.testing import CliRunner

from costshare.cli import app

from .statbank_stub import Reply, StatBankStub, csv_reply, error_reply

runner = CliRunner()

NAMES_2023 = {
    "253": "Greve",
    "259": "Køge",
    "265": "Roskilde",
    "269": "Solrød",
    "306": "Odsherred",
    "316": "Holbæk",
    "320": "Faxe",
    "326": "Kalundborg",
    "329": "Ringsted",
    "330": "Slagelse",
    "336": "Stevns",
    "340": "Sorø",
    "350": "Lejre",
    "360": "Lolland",
    "370": "Næstved",
    "376": "Guldborgsund",
    "390": "Vordingborg",
}


def figures_2024(workspace) -> dict[str, int]:
    """Test figures for 1 January 2024: the 2023 figure plus a code-dependent change (not real data)."""
    rows = [line.split(",") for line in workspace.population_lines()[1:]]
    return {code: int(population) + int(code) % 97 - 40 for _, code, _, population in rows}


def good_answer(
    figures: dict[str, int],
    names: dict[str, str] = NAMES_2023,
    region_total: int | None = None,
    drop: str | None = None,
    value: dict[str, str] | None = None,
):
    def answer(body: dict[str, Any]) -> Reply:
        areas = body["variables"][0]["values"]
        times = body["variables"][4]["values"]
        rows = []
        for time in times:
            for area in areas:
                if area == drop:
                    continue
                if area == "085":
                    rows.append(("085 Region Sjælland", time, str(region_total if region_total is not None else sum(figures.values()))))
                else:
                    rows.append((f"{area} {names[area]}", time, (value or {}).get(area, str(figures[area]))))
        return csv_reply(rows)

    return answer


def fetch(stub, *args):
    language = [] if "--lang" in args else ["--lang", "en"]  # messages in English, the wording these tests hold
    return runner.invoke(app, ["population", "fetch", "-c", "alliance.yaml", "--api-url", stub.url, *language, *args])


def test_fetch_adds_2024_and_keeps_2023_byte_identical(fetch_workspace, stub):
    ws = fetch_workspace
    before = ws.population.read_bytes()
    expected = figures_2024(ws)
    stub.answer = good_answer(expected)
    result = fetch(stub, "--year", "2024")
    assert result.exit_code == 0, result.output
    after = ws.population.read_bytes()
    assert after.startswith(before)  # header and every 2023 line unchanged, in place
    added = after[len(before) :].decode("utf-8").splitlines()
    assert added == [f"2024,{code},{NAMES_2023[code]},{expected[code]}" for code in sorted(NAMES_2023)]
    assert "2024: 17 municipalities" in result.stderr and "equals 085 Region Sjælland" in result.stderr
    (request,) = stub.requests
    assert request["table"] == "FOLK1A" and request["format"] == "CSV" and request["lang"] == "da"
    assert request["valuePresentation"] == "CodeAndValue"
    assert request["variables"] == [
        {"code": "OMRÅDE", "values": sorted(NAMES_2023) + ["085"]},
        {"code": "KØN", "values": ["TOT"]},
        {"code": "ALDER", "values": ["IALT"]},
        {"code": "CIVILSTAND", "values": ["TOT"]},
        {"code": "Tid", "values": ["2024K1"]},
    ]


def test_a_yearly_basis_table_then_uses_the_fetched_figures(fetch_workspace, stub):
    ws = fetch_workspace
    expected = figures_2024(ws)
    stub.answer = good_answer(expected)
    assert fetch(stub, "--year", "2024").exit_code == 0
    ws.replace_in_config("  basis: fixed\n  year: 2023\n", "  basis: yearly\n")
    ws.replace_in_config("end: 2028-06-30", "end: 2024-12-31")
    result = runner.invoke(app, ["export", "-", "--format", "json", "-c", "alliance.yaml"], catch_exceptions=False)
    import json

    doc = json.loads(result.stdout)
    assert [(p["year"], p["population_year"]) for p in doc["periods"]] == [(2023, 2023), (2024, 2024)]
    assert doc["periods"][1]["population_total"] == sum(expected.values())
    soro = next(a for a in doc["periods"][1]["allocations"] if a["code"] == "340")
    assert soro["population"] == expected["340"]
    table = runner.invoke(app, ["table", "-c", "alliance.yaml"], catch_exceptions=False).stdout
    assert "Kilde: Danmarks Statistik, FOLK1A, 1. januar 2023; indbyggertal 1. januar i hvert budgetår (2023 og 2024)" in table


def test_yearly_basis_without_the_year_names_the_fetch_command(fetch_workspace):
    """With --final a key year missing from the file is an error; 2024's figures are published, so the hint fetches them."""
    fetch_workspace.replace_in_config("  basis: fixed\n  year: 2023\n", "  basis: yearly\n")
    result = runner.invoke(app, ["table", "-c", "alliance.yaml", "--lang", "en", "--final"])
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0] == (
        "error: population.csv: no population figures for 1 January 2024, the key year of budget year 2024 (years in file: 2023) "
        "(hint: fetch it with: costshare population fetch --year 2024)"
    )


@pytest.mark.parametrize(
    ("setup", "message"),
    [
        (lambda stub, f: setattr(stub, "answer", good_answer(f, drop="340")), ": the reply has no figure for 2024 for 340 Sorø"),
        (
            lambda stub, f: setattr(stub, "answer", good_answer(f, value={"330": "..", "340": ".."})),
            ": Statistics Denmark has no figure ('..') in 2024K1 for 330 Slagelse, 340 Sorø (hint: the figures may not be published yet)",
        ),
        (
            lambda stub, f: setattr(stub, "answer", lambda body: error_reply(400, "Tabellen FOLK1A har ikke værdien 2099K1")),
            ": Statistics Denmark answered 400: Tabellen FOLK1A har ikke værdien 2099K1",
        ),
        (
            lambda stub, f: setattr(stub, "answer", lambda body: error_reply(500, None)),
            ": Statistics Denmark answered 500: Internal Server Error",
        ),
        (
            lambda stub, f: setattr(stub, "answer", lambda body: (200, "text/html", b"<html><body>Vedligeholdelse</body></html>")),
            ": the reply is not StatBank CSV with OMRÅDE, TID and INDHOLD columns (it starts: '<html><body>Vedligeholdelse</body></html>')",
        ),
        (lambda stub, f: setattr(stub, "answer", good_answer(f, region_total=1)), ": the members add up to"),
    ],
    ids=["missing-municipality", "dotdot-value", "http-400", "http-500", "not-csv", "region-mismatch"],
)
def test_every_failure_leaves_the_file_untouched(fetch_workspace, stub, setup, message):
    before = fetch_workspace.population.read_bytes()
    setup(stub, figures_2024(fetch_workspace))
    result = fetch(stub, "--year", "2024")
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    (line,) = result.stderr.splitlines()  # one line, whatever went wrong
    assert line.startswith(f"error: {stub.url}{message}")
    assert fetch_workspace.population.read_bytes() == before


def test_a_slow_reply_times_out_and_leaves_the_file_untouched(fetch_workspace, stub):
    before = fetch_workspace.population.read_bytes()
    stub.answer = good_answer(figures_2024(fetch_workspace))
    stub.delay = 2.0
    result = fetch(stub, "--year", "2024", "--timeout", "0.3")
    assert result.exit_code == 1
    assert (
        result.stderr
        == f"error: {stub.url}: no complete answer within 0.3 seconds (hint: try again later, or allow more time with --timeout)\n"
    )
    assert fetch_workspace.population.read_bytes() == before


def test_nothing_listening(fetch_workspace):
    before = fetch_workspace.population.read_bytes()
    with StatBankStub() as closed:
        url = closed.url
    result = runner.invoke(app, ["population", "fetch", "-c", "alliance.yaml", "--lang", "en", "--api-url", url, "--year", "2024"])
    assert result.exit_code == 1 and result.stderr.startswith(f"error: {url}: cannot reach Statistics Denmark")
    assert result.stderr.rstrip().endswith(
        "(hint: check the network connection and --api-url; without a network, add the figures to the population file by hand)"
    )
    assert fetch_workspace.population.read_bytes() == before
    danish = runner.invoke(app, ["population", "fetch", "-c", "alliance.yaml", "--api-url", url, "--year", "2024"])
    assert danish.stderr.startswith(f"fejl: {url}: kan ikke nå Danmarks Statistik")
    assert danish.stderr.rstrip().endswith("uden net kan tallene skrives ind i befolkningsfilen i hånden)")


def test_dry_run_shows_the_change_and_writes_nothing(fetch_workspace, stub):
    before = fetch_workspace.population.read_bytes()
    expected = figures_2024(fetch_workspace)
    stub.answer = good_answer(expected)
    result = fetch(stub, "--year", "2024", "--dry-run", "--lang", "en")
    assert result.exit_code == 0
    assert fetch_workspace.population.read_bytes() == before
    soro = next(line for line in result.stdout.splitlines() if "Sorø" in line)
    delta = expected["340"] - 30444
    assert [c.strip() for c in soro.split("│")[1:6]] == ["Sorø", "340", "30,444", f"{expected['340']:,}", soro.split("│")[5].strip()]
    assert soro.split("│")[5].strip().startswith(f"{'+' if delta >= 0 else '-'}{abs(delta)}")
    assert "dry run: nothing written" in result.stderr


def test_a_renamed_municipality_is_a_warning(fetch_workspace, stub):
    names = dict(NAMES_2023, **{"340": "Sorø Kommune"})
    stub.answer = good_answer(figures_2024(fetch_workspace), names=names)
    result = fetch(stub, "--year", "2024")
    assert result.exit_code == 0
    assert "warning: 340: Statistics Denmark names it 'Sorø Kommune', the file 'Sorø'; the new rows use 'Sorø Kommune'" in result.stderr


def test_refetching_a_year_replaces_it_and_keeps_the_dialect_of_an_excel_file(fetch_workspace, stub):
    ws = fetch_workspace
    expected = figures_2024(ws)
    excel = "\ufeff" + "\r\n".join(line.replace(",", ";") for line in ws.population_lines()) + "\r\n"
    ws.write_population(excel)
    stub.answer = good_answer(expected)
    assert fetch(stub, "--year", "2024").exit_code == 0
    stub.answer = good_answer({code: n + 1 for code, n in expected.items()})
    assert fetch(stub, "--year", "2024").exit_code == 0
    raw = ws.population.read_bytes()
    assert raw.startswith(excel.encode("utf-8"))
    text = raw.decode("utf-8-sig")
    assert text.count("\r\n2024;") == 17 and "\r\n2024;340;Sorø;" + str(expected["340"] + 1) + "\r\n" in text
    assert "\n" not in text.replace("\r\n", "")


def test_out_writes_elsewhere_and_will_not_clobber(fetch_workspace, stub):
    ws = fetch_workspace
    before = ws.population.read_bytes()
    stub.answer = good_answer(figures_2024(ws))
    assert fetch(stub, "--year", "2024", "--out", "new.csv").exit_code == 0
    assert ws.population.read_bytes() == before
    assert (ws.root / "new.csv").read_bytes().startswith(before)
    again = fetch(stub, "--year", "2024", "--out", "new.csv")
    assert again.exit_code == 1 and again.stderr == "error: new.csv: file exists (hint: pass --force to overwrite it)\n"


def test_population_show_side_by_side(fetch_workspace, stub):
    expected = figures_2024(fetch_workspace)
    stub.answer = good_answer(expected)
    fetch(stub, "--year", "2024")
    out = runner.invoke(app, ["population", "show", "-c", "alliance.yaml"], catch_exceptions=False).stdout
    header = next(line for line in out.splitlines() if "Kommune" in line)
    assert "2023" in header and "2024" in header and "Ændring 2023–2024" in header
    total = next(line for line in out.splitlines() if "I alt" in line)
    cells = [c.strip() for c in total.split("│")[3:5]]
    assert cells[0] == "849.857"
    assert cells[1].replace(".", "") == str(sum(expected.values()))
    only = runner.invoke(app, ["population", "show", "-c", "alliance.yaml", "--year", "2023"], catch_exceptions=False).stdout
    assert "2024" not in only
