"""The one reader of user values (io/values.py): amounts, counts, weights, years and runs of years, and a
municipality by name or code; and the readers that use it refusing what a copy of it used to read wrongly.

Expected values are written out by hand or made here from the number itself (a Danish thousands dot is
f"{n:,}" with "." for ","), never with the product's own functions."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

from costshare.cli import app
from costshare.core.errors import InvalidValueError
from costshare.io import values
from costshare.limits import MAX_POPULATION, MAX_YEAR, MIN_YEAR

from .conftest import CODES, usage_line

runner = CliRunner()


def refusal(read, *args) -> InvalidValueError:
    with pytest.raises(InvalidValueError) as caught:
        read(*args)
    return caught.value


def danish(number: int) -> str:
    """A whole number with Danish thousands dots: 1500000 → '1.500.000'."""
    return f"{number:,}".replace(",", ".")


# --- amounts in alliance.yaml ------------------------------------------------------------------------


@pytest.mark.parametrize("given_value", [True, False, 1.5, [1], None])
def test_a_boolean_a_float_or_another_kind_is_not_a_number(given_value):
    assert refusal(values.plain_number, given_value).key == "err_not_amount"


def test_numbers_as_yaml_gives_them_stay_exact():
    assert values.plain_number(730000) == 730000
    assert values.plain_number(Decimal("730000.50")) == Decimal("730000.50")
    assert values.plain_number(" 1234.5 ") == Decimal("1234.5")


@pytest.mark.parametrize(
    ("text", "hint", "right"),
    [("1.500.000", "hint_thousands", "1500000"), ("730.000,50", "hint_thousands", "730000.50"), ("730000,50", "hint_decimal_comma", "730000.50"),
     ("-2,6", "hint_decimal_comma", "-2.6")],
)  # fmt: skip
def test_a_number_written_the_danish_way_is_refused_with_the_spelling_yaml_needs(text, hint, right):
    found = refusal(values.plain_number, text)
    assert (found.key, found.hint, found.params["right"], found.params["written"]) == ("err_not_amount", hint, right, text)


def test_text_that_is_no_number_at_all_has_no_spelling_hint():
    found = refusal(values.plain_number, "mange")
    assert (found.key, found.hint, found.params) == ("err_not_amount", None, {"value": "'mange'"})


@given(st.integers(min_value=1_000_000, max_value=10**14))
def test_every_number_with_two_or_more_thousands_dots_gets_its_digits(number):
    found = refusal(values.plain_number, danish(number))
    assert (found.hint, found.params["right"]) == ("hint_thousands", str(number))


@given(st.integers(min_value=0, max_value=10**12), st.integers(min_value=0, max_value=99))
def test_every_decimal_comma_gets_the_decimal_point(whole, ore):
    found = refusal(values.plain_number, f"{whole},{ore:02d}")
    assert (found.hint, found.params["right"]) == ("hint_decimal_comma", f"{whole}.{ore:02d}")


@pytest.mark.parametrize(
    ("amount", "unit", "hint"),
    [("730.000", "1", "hint_thousands"), ("50.000", "0.01", "hint_thousands"), ("1234.50", "1", "hint_ore"),
     ("1234.505", "0.01", "hint_round"), ("1234.500", "1", "hint_round")],
)  # fmt: skip
def test_an_amount_finer_than_the_unit_is_refused_with_the_likely_slip(amount, unit, hint):
    found = values.unit_refusal(Decimal(amount), Decimal(unit))
    assert found is not None and (found.key, found.hint) == ("err_decimals", hint)


def test_the_thousands_hint_names_the_amount_as_written_and_its_digits():
    found = values.unit_refusal(Decimal("742.000"), Decimal("1"))
    assert found is not None and (found.params["written"], found.params["right"]) == ("742.000", "742000")


@pytest.mark.parametrize(("amount", "unit"), [("730000", "1"), ("730000.50", "0.01"), ("730000.5", "0.01"), ("1000", "1000")])
def test_an_amount_the_unit_allows_is_not_refused(amount, unit):
    assert values.unit_refusal(Decimal(amount), Decimal(unit)) is None


def test_only_a_thousands_dot_is_refused_where_finer_amounts_are_allowed():
    assert values.thousands_refusal(Decimal("1234.50"), Decimal("1")) is None
    assert values.thousands_refusal(Decimal("50.000"), Decimal("1")) is not None
    assert values.ore_refusal(Decimal("1234.50")) is None
    assert values.ore_refusal(Decimal("1234.567")) is not None


@pytest.mark.parametrize(("amount", "key"), [("-1", "err_negative"), ("1000000000001", "err_amount_too_large")])
def test_an_amount_out_of_range_is_refused(amount, key):
    assert refusal(values.money_in_range, Decimal(amount)).key == key
    assert values.money_in_range(Decimal("0")) == 0 and values.money_in_range(None) is None


# --- counts, weights and amounts in data files -------------------------------------------------------


def test_a_count_is_a_plain_whole_number():
    assert values.whole_number(30) == 30
    assert refusal(values.whole_number, True).key == "err_whole_number"
    assert refusal(values.whole_number, Decimal("1000.5")).hint is None
    found = refusal(values.whole_number, Decimal("50.000"))
    assert (found.hint, found.params) == ("hint_population_digits", {"digits": "50000"})


@given(st.integers(min_value=1, max_value=MAX_POPULATION))
def test_a_population_figure_reads_as_written_and_with_dots_is_refused_with_its_digits(number):
    assert values.population_value(str(number)) == number
    if number >= 1000:
        found = refusal(values.population_value, danish(number))
        assert (found.key, found.params["digits"]) == ("err_population_whole", str(number))


@pytest.mark.parametrize("text", ["30 444", "30\u00a0444", "30.444"])
def test_a_population_with_any_thousands_separator_gets_its_digits(text):
    assert refusal(values.population_value, text).params["digits"] == "30444"


@pytest.mark.parametrize("text", ["150.000", "1.500", "12.500", "1.500.000"])
def test_a_weight_with_a_thousands_dot_is_refused_not_read_as_a_decimal(text):
    found = refusal(values.weight_value, text)
    assert (found.key, found.hint, found.params["digits"]) == ("err_weight_value", "hint_population_digits", text.replace(".", ""))


@pytest.mark.parametrize(
    ("text", "exact"), [("12,5", "12.5"), ("12.5", "12.5"), ("0.125", "0.125"), ("1,500", "1.5"), ("150000", "150000")]
)
def test_a_weight_reads_exactly(text, exact):
    assert values.weight_value(text) == Decimal(exact)


def test_a_negative_weight_is_named_as_such():
    assert refusal(values.weight_value, "-3").key == "err_weight_negative"


@given(st.integers(min_value=-(10**14), max_value=10**14), st.sampled_from([",", "."]))
def test_kroner_in_a_data_file_become_exact_ore(ore, mark):
    sign = "-" if ore < 0 else ""
    text = f"{sign}{abs(ore) // 100}{mark}{abs(ore) % 100:02d}"
    assert values.kroner_value(text) == ore


@pytest.mark.parametrize(("text", "hint"), [("26.150", "hint_decided_amount"), ("26,150", "hint_decided_amount"), ("26150,505", None)])
def test_kroner_written_with_thousands_separators_or_too_finely_are_refused(text, hint):
    found = refusal(values.kroner_value, text)
    assert (found.key, found.hint) == ("err_decided_amount", hint)


@pytest.mark.parametrize(("written", "code"), [(340, "340"), ("85", "085"), ("085", "085")])
def test_a_code_is_three_digits(written, code):
    assert values.code_of(written) == code


@pytest.mark.parametrize("written", ["3400", "٣٤٠", True, "Sorø"])
def test_anything_else_is_not_a_code(written):
    assert refusal(values.code_of, written).key == "err_code"


# --- years --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("text", ["2024", "1900", "2199"])
def test_a_data_year_is_four_ascii_digits_in_bounds(text):
    assert values.year_of(text) == int(text)


@pytest.mark.parametrize("text", ["٢٠٢٤", "２０２４", "𝟐𝟎𝟐𝟒", "1899", "2200", "+2024", "02024", "24"])
def test_anything_else_is_not_a_data_year(text):
    assert refusal(values.year_of, text).key == "err_year_form"


@pytest.mark.parametrize(
    ("text", "years"),
    [("2026", (2026,)), ("2026-2028", (2026, 2027, 2028)), ("2026–2028", (2026, 2027, 2028)), ("2026..2027", (2026, 2027)),
     ("2028,2026", (2026, 2028)), (" 2026 , 2026-2027 ", (2026, 2027))],
)  # fmt: skip
def test_a_year_span_names_its_years_in_order_each_once(text, years):
    assert values.year_span(text) == years


@pytest.mark.parametrize("text", ["٢٠٢٦", "２０２６", "𝟐𝟎𝟐𝟔", "2026-٢٠٢٨", "26", "2026-2024", "2026,", "", "2026x", "2026 2027"])
def test_a_year_span_is_ascii_digits_in_order(text):
    assert refusal(values.year_span, text).key == "usage_year_span"


@pytest.mark.parametrize(
    ("text", "named"), [("0000-9999", "0000-9999"), ("99999", "99999"), ("2026,1800", "1800"), ("1899-2026", "1899-2026")]
)
def test_a_year_span_reaching_outside_the_bounds_is_refused_before_it_is_counted_out(text, named):
    found = refusal(values.year_span, text)
    assert found.key == "usage_year_bounds" and found.params == {"value": named, "first": MIN_YEAR, "last": MAX_YEAR}


def test_a_huge_year_span_is_one_short_refusal():
    assert len(refusal(values.year_span, "0000-9999," * 6000 + "2026").params["value"]) <= 40
    assert len(refusal(values.year_span, "2026," * 12000 + "x").params["value"]) <= 40
    assert len(refusal(values.year_span, "9" * 60000).params["value"]) <= 40
    assert values.year_span("2026," * 12000 + "2026") == (2026,)


def test_other_bounds_are_the_callers():
    assert values.year_span("2008-2010", 2008, 2026) == (2008, 2009, 2010)
    assert refusal(values.year_span, "2007", 2008, 2026).params == {"value": "2007", "first": 2008, "last": 2026}


@given(st.integers(MIN_YEAR, MAX_YEAR), st.integers(MIN_YEAR, MAX_YEAR))
def test_a_run_within_the_bounds_is_every_year_from_its_first_to_its_last(a, b):
    first, last = min(a, b), max(a, b)
    assert values.year_span(f"{first}-{last}") == tuple(range(first, last + 1))


def years_or_refusal(text: str) -> tuple[int, ...] | InvalidValueError:
    try:
        return values.year_span(text)
    except InvalidValueError as found:
        return found


@given(st.text(max_size=60))
def test_any_text_is_years_within_the_bounds_or_one_short_refusal(text):
    outcome = years_or_refusal(text)
    if isinstance(outcome, InvalidValueError):
        assert outcome.key in ("usage_year_span", "usage_year_bounds") and len(str(outcome.params["value"])) <= 42
    else:
        assert outcome == tuple(sorted(set(outcome))) and all(MIN_YEAR <= year <= MAX_YEAR for year in outcome)


def test_a_budget_year_is_one_of_the_agreements():
    assert values.not_budget_year(2024, [2023, 2024, 2025]) is None
    found = values.not_budget_year(2030, [2023, 2024, 2025])
    assert found is not None and (found.key, found.params) == ("err_not_budget_year", {"year": 2030, "first": 2023, "last": 2025})


# --- a municipality by name or code --------------------------------------------------------------------

NAMES = {"340": "Sorø", "330": "Slagelse", "336": "Stevns", "320": "Faxe"}


@pytest.mark.parametrize("query", ["Sorø", "soro", "Soroe", "SORØ", "Sorø Kommune", "340", " 340 "])
def test_a_name_or_code_finds_its_code(query):
    assert values.municipality_code(query, NAMES) == "340"


@pytest.mark.parametrize(("query", "key"), [("999", "err_municipality_no_code"), ("Sorr", "err_municipality_no_name_close"),
                                            ("Xyzzy", "err_municipality_no_name")])  # fmt: skip
def test_a_name_or_code_that_finds_none_is_refused_by_kind(query, key):
    assert refusal(values.municipality_code, query, NAMES).key == key


def test_several_names_give_their_codes_in_code_order_each_once():
    assert values.municipality_codes(["soro", "Faxe", "340"], NAMES) == ("320", "340")


# --- through the readers and the command line ---------------------------------------------------------

WEIGHTS_CONFIG = """\
alliance: Test
agreement: {start: 2024-01-01, end: 2024-12-31}
weights: {timer: timer.csv}
costs:
  - label: Linje
    yearly: 1000
    key: timer
population: {file: population.csv, basis: fixed, year: 2023}
"""


def weights_file(workspace, delimiter: str, value_of_340: str) -> None:
    rows = [delimiter.join(("2024", code, value_of_340 if code == "340" else "12")) for code in CODES]
    (workspace.root / "timer.csv").write_text("\n".join([delimiter.join(("year", "code", "value")), *rows]) + "\n", encoding="utf-8")
    workspace.config.write_text(WEIGHTS_CONFIG, encoding="utf-8")


def failing(*args: str, code: int = 1):
    result = runner.invoke(app, [*args, "-c", "alliance.yaml"])
    assert result.exit_code == code, result.output
    return result


@pytest.mark.parametrize(("delimiter", "written", "digits"), [(",", "150.000", "150000"), (";", "1.500", "1500")])
def test_a_weights_file_with_a_thousands_dot_is_refused_at_its_line(workspace, delimiter, written, digits):
    """150.000 was read as 150 and, in a Danish Excel file, 1.500 as 1,5."""
    weights_file(workspace, delimiter, written)
    line = 2 + CODES.index("340")
    result = failing("validate", "--lang", "en")
    assert result.stderr == (
        f"error: timer.csv:{line}: '{written}' is not a weight (a number such as 12 or 12.5) (hint: write {digits} without thousands separators)\n"
    )


def test_a_danish_weights_file_reads_its_decimal_comma_exactly(workspace):
    """Sorø 13,5 hours, the 16 others 12: 1.000 kr. × 13.5 / 205.5 = 65.69 kr. and × 12 / 205.5 = 58.39 kr.; the floors
    leave 7 kr., the first to Sorø (the largest remainder), the other 6 to the lowest codes (equal weights)."""
    weights_file(workspace, ";", "13,5")
    result = runner.invoke(app, ["export", "-", "--format", "json", "-c", "alliance.yaml"], catch_exceptions=False)
    amounts = {row["code"]: row["amount"] for row in json.loads(result.stdout)["periods"][0]["allocations"]}
    others = [code for code in CODES if code != "340"]
    assert amounts == {"340": 66, **dict.fromkeys(others[:6], 59), **dict.fromkeys(others[6:], 58)}


@pytest.mark.parametrize(
    ("old", "new", "line"),
    [
        ("  - Region Sjælland bidrager selv.\n", "  - Region Sjælland bidrager selv.\nactuals: {2024: 742.000}\n",
         '17: actuals[2024]: 742.000 has more decimals than rounding unit 1 allows (hint: in YAML "." is a decimal point, not a thousands separator: write 742000 for 742.000 kr.)'),
        ("    yearly: 730000\n", "    yearly: 730000\n    cap: 50.000\n",
         '8: costs[0].cap: 50.000 has more decimals than rounding unit 1 allows (hint: in YAML "." is a decimal point, not a thousands separator: write 50000 for 50.000 kr.)'),
        ("    yearly: 730000\n", "    yearly: 730000\n    cap: 1234.567\n",
         "8: costs[0].cap: 1234.567 is not a whole number of øre (hint: round the amount to 2 decimals)"),
        ("    yearly: 730000\n", "    yearly: 730000\n    cap: 5000,50\n",
         """8: costs[0].cap: '5000,50' is not an amount (hint: in YAML the decimal mark is ".", not ",": write 5000.50)"""),
        ("    yearly: 730000\n", "    yearly: 730000\n    cap: 1.500.000\n",
         """8: costs[0].cap: '1.500.000' is not an amount (hint: in YAML "." is a decimal point, not a thousands separator: write 1500000 for 1.500.000 kr.)"""),
    ],
    ids=["actual-thousands-dot", "cap-thousands-dot", "cap-finer-than-ore", "cap-decimal-comma", "cap-dots-as-text"],
)  # fmt: skip
def test_an_amount_a_copy_read_wrongly_is_refused_with_its_hint(workspace, old, new, line):
    """actuals: {2024: 742.000} was read as 742 kr. and cap: 50.000 as 50 kr.; a cap finer than one øre stopped the run."""
    workspace.replace_in_config(old, new)
    assert failing("validate", "--lang", "en").stderr == f"error: alliance.yaml:{line}\n"


def test_a_count_with_a_thousands_dot_is_refused_with_its_digits(workspace):
    workspace.replace_in_config("    yearly: 730000\n", "    per_inhabitant: 10\n    max_inhabitants: 50.000\n")
    assert failing("validate", "--lang", "en").stderr == (
        "error: alliance.yaml:8: costs[0].max_inhabitants: must be a whole number (hint: write 50000 without thousands separators)\n"
    )


@pytest.mark.parametrize("year", ["٢٠٢٦", "２０２６", "𝟐𝟎𝟐𝟔"])
@pytest.mark.parametrize("command", [["table"], ["explain", "340"], ["export", "-", "--format", "csv"], ["statement", "340"],
                                     ["population", "show"], ["invoices", "ud"], ["settle"]])  # fmt: skip
def test_every_year_option_takes_ascii_digits_only(workspace, monkeypatch, command, year):
    monkeypatch.setenv("COSTSHARE_LANG", "en")  # options are parsed before --lang is read: the environment speaks
    result = failing(*command, "--year", year, code=2)
    assert (
        usage_line(result.output)
        == f"Invalid value for --year: '{year}' is not a year or a run of years (write e.g. 2026, 2026-2028 or 2026,2028)"
    )


def test_a_span_outside_the_bounds_is_one_short_line(workspace, monkeypatch):
    monkeypatch.setenv("COSTSHARE_LANG", "en")
    result = failing("table", "--year", "0000-9999", code=2)
    assert usage_line(result.output) == "Invalid value for --year: 0000-9999 is outside the years costshare handles (1900–2199)"
    result = failing("table", "--year", "0000-9999," * 6000 + "2026", code=2)
    assert (
        usage_line(result.output)
        == "Invalid value for --year: 0000-9999, 0000-9999, 0000-9999, 0000-9… is outside the years costshare handles (1900–2199)"
    )


def test_a_wide_span_within_the_bounds_names_the_years_outside_the_agreement_as_runs(workspace, monkeypatch):
    monkeypatch.setenv("COSTSHARE_LANG", "en")
    result = failing("table", "--year", "1900-2199," * 6000 + "2026", code=2)
    assert usage_line(result.output) == "Invalid value for --year: 1900–2022, 2029–2199 is not a budget year of the agreement (2023–2028)"


def test_population_fetch_takes_a_span_and_refuses_years_statistics_denmark_cannot_have(workspace, monkeypatch):
    monkeypatch.setenv("COSTSHARE_LANG", "en")
    result = failing("population", "fetch", "--year", "2000-2024", "--api-url", "http://127.0.0.1:9/v1/data", code=2)
    assert usage_line(result.output).startswith("Invalid value for --year: 2000-2024: FOLK1A has 1 January figures from 2008 to ")
    result = failing("population", "fetch", "--year", "２０２４", "--api-url", "http://127.0.0.1:9/v1/data", code=2)
    assert "'２０２４' is not a year or a run of years" in usage_line(result.output)
