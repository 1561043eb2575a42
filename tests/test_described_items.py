"""`validate` describes each cost item by its own amount and its own key or rate: a rate item by its rate (never as
0 kr.), a one-off item in its year, an indexed item in its base year's prices, an item split equally as equal."""

from __future__ import annotations

from typer.testing import CliRunner

from costshare.cli import app

runner = CliRunner()

HEAD = """\
alliance: Sjællands Klimaalliance
agreement:
  start: 2026-01-01
  end: 2028-12-31
population:
  file: population.csv
  basis: fixed
  year: 2023
costs:
"""


def validated(workspace, costs: str, lang: str = "da") -> list[str]:
    workspace.write_config(HEAD + costs)
    result = runner.invoke(app, ["validate", "-c", "alliance.yaml", "--lang", lang], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.stdout.splitlines()


MIXED = """\
  - label: Sekretariat
    yearly: 6000000
    key: {blend: {equal: 30, population: 70}}
  - label: Klimasekretariat
    per_inhabitant: 8
    cap: 450000
  - label: Analyse
    one_off: 150000
    year: 2027
    key: equal
"""


def test_each_item_by_its_amount_and_key_and_a_rate_item_by_its_rate(workspace):
    summary, keys = validated(workspace, MIXED)
    assert (
        "3 udgiftsposter (Sekretariat: 6.000.000 kr. pr. helt år; Klimasekretariat: 8 kr. pr. indbygger, højst 450.000 kr. om året; "
        "Analyse: 150.000 kr. engangsbeløb i 2027), fordelt på 17 kommuner efter hver udgiftsposts egen fordelingsnøgle eller sats, "
        "med indbyggertal pr. 1. januar 2023."
    ) in summary
    assert " 0 kr." not in summary and "på i alt" not in summary
    assert keys == (
        "Fordelingsnøgler: Sekretariat: 30 % ligelig fordeling + 70 % indbyggertal; "
        "Klimasekretariat: 8 kr. pr. indbygger, højst 450.000 kr. om året; Analyse: ligelig fordeling."
    )
    english, _ = validated(workspace, MIXED, "en")
    assert (
        "3 cost items (Sekretariat: 6,000,000 DKK per full year; Klimasekretariat: 8 DKK per inhabitant, at most 450,000 DKK a year; "
        "Analyse: 150,000 DKK one-off in 2027), split among 17 municipalities by each item's own key or rate, "
        "with the population on 1 January 2023."
    ) in english


def test_an_item_split_equally_is_not_said_to_be_split_by_population(workspace):
    summary, keys = validated(workspace, "  - label: Bestyrelse\n    yearly: 170000\n    key: equal\n")
    assert (
        "1 udgiftspost (Bestyrelse: 170.000 kr. pr. helt år), fordelt på 17 kommuner efter hver udgiftsposts egen fordelingsnøgle eller sats."
        in summary
    )
    assert "indbyggertal" not in summary
    assert keys == "Fordelingsnøgler: Bestyrelse: ligelig fordeling."


def test_a_rate_with_a_base_caps_its_per_inhabitant_part(workspace):
    summary, _ = validated(workspace, "  - label: Kontingent\n    per_inhabitant: 2.5\n    base: 5000\n    cap: 90000\n")
    assert (
        "1 udgiftspost (Kontingent: 2,50 kr. pr. indbygger, grundbeløb 5.000 kr., delen pr. indbygger højst 90.000 kr. om året)" in summary
    )


def test_items_by_population_are_listed_with_one_offs_and_the_prices_of_indexed_ones(workspace):
    costs = (
        "  - label: Årsværk\n    yearly: 730000\n    indexed: true\n  - label: Analyse\n    one_off: 150000\n    year: 2027\n"
        "indexation:\n  base_year: 2025\n  rates: {2026: 2.0, 2027: 2.0, 2028: 2.0}\n"
    )
    (summary,) = validated(workspace, costs)
    assert (
        "2 udgiftsposter (Årsværk: 730.000 kr. pr. helt år i 2025-priser; Analyse: 150.000 kr. engangsbeløb i 2027), "
        "fordelt på 17 kommuner efter indbyggertal 1. januar 2023."
    ) in summary
    (english,) = validated(workspace, costs, "en")
    assert "2 cost items (Årsværk: 730,000 DKK per full year at 2025 prices; Analyse: 150,000 DKK one-off in 2027), split among" in english
