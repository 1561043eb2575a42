"""Whatever a user puts in the files, the answer is a CostShareError, never a crash."""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from costshare.core.errors import CostShareError
from costshare.io.config import load_config
from costshare.io.population import parse_population

from .conftest import CONFIG_TEXT, english


def outcome(call, *args):
    """(result, None) or (None, the error's lines); any other exception propagates and fails the test."""
    try:
        return call(*args), None
    except CostShareError as exc:
        return None, english(exc)


def assert_clean_config_outcome(path) -> None:
    config, lines = outcome(load_config, path)
    if lines is None:
        assert config.model.costs and config.periods  # it loaded: a usable config
    else:
        assert lines and all(line.startswith("alliance.yaml") and "\n" not in line for line in lines)


yaml_pieces = st.sampled_from(
    [
        "alliance: x\n",
        "agreement:\n  start: 2023-07-01\n  end: 2028-06-30\n",
        "costs:\n  - label: a\n    yearly: 1.5\n",
        "costs: 5\n",
        "population: {file: p.csv, year: 2023}\n",
        "members: [1, two, 3.0]\n",
        "rounding: {unit: .nan}\n",
        "? [a]\n: b\n",
        "- x\n",
        "&a b: *a\n",
        "notes: [!!binary aGk=]\n",
        "locale: 1\n",
        "agreement: 2023-13-01\n",
        ":\n",
        "'\n",
    ]
)


@settings(max_examples=150, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(yaml_pieces, max_size=6), st.text(max_size=30))
def test_any_config_text_fails_cleanly_or_loads(workspace, pieces, noise):
    workspace.config.write_text("".join(pieces) + noise, encoding="utf-8")
    assert_clean_config_outcome(workspace.config)


@settings(max_examples=100, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.integers(0, len(CONFIG_TEXT) - 1), st.text(min_size=1, max_size=5))
def test_a_mangled_config_fails_cleanly_or_loads(workspace, position, insert):
    workspace.config.write_text(CONFIG_TEXT[:position] + insert + CONFIG_TEXT[position:], encoding="utf-8")
    assert_clean_config_outcome(workspace.config)


csv_cells = st.sampled_from(["2023", "340", "Sorø", "30444", "30.444", "", "-1", "0", '"a,b"', "x", "2023K1", "9" * 30, ";", '"', "\n"])


@settings(max_examples=200)
@given(st.lists(st.lists(csv_cells, min_size=1, max_size=6), max_size=6), st.sampled_from([",", ";"]), st.booleans())
def test_any_population_text_fails_cleanly_or_parses(rows, delimiter, trailing):
    end = delimiter if trailing else ""
    text = "year,code,municipality,population\n" + "\n".join(delimiter.join(row) + end for row in rows)
    parsed, lines = outcome(parse_population, text, "p.csv")
    if lines is None:
        assert all(m.population > 0 and len(m.code) == 3 for year in parsed.table.values() for m in year.values())
        assert [row.line for row in parsed.rows] == sorted(row.line for row in parsed.rows)
    else:
        assert lines and all(line.startswith("p.csv") and "\n" not in line for line in lines)
