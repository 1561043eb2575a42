"""population.csv: the shipped file loads; every kind of bad data is named with its line."""

import pytest

from costshare.core.errors import DataError
from costshare.io.population import load_population

from .conftest import english

HEADER = "year,code,municipality,population\n"


def load(workspace):
    return load_population(workspace.population, "population.csv").table


def problems(workspace) -> list[str]:
    with pytest.raises(DataError) as caught:
        load(workspace)
    return english(caught.value)


def test_the_shipped_file_has_17_municipalities_summing_to_the_region_total(workspace):
    table = load(workspace)
    assert list(table) == [2023]
    assert len(table[2023]) == 17
    assert sum(m.population for m in table[2023].values()) == 849857
    assert table[2023]["340"].name == "Sorø" and table[2023]["340"].population == 30444


def test_excel_style_file_is_accepted(workspace):
    """Semicolons, BOM and CRLF, as Danish Excel saves 'CSV UTF-8'."""
    text = "\ufeff" + "\r\n".join(line.replace(",", ";") for line in workspace.population_lines()) + "\r\n"
    workspace.write_population(text)
    table = load(workspace)
    assert table[2023]["340"].name == "Sorø" and len(table[2023]) == 17


def test_blank_lines_and_header_case_are_tolerated(workspace):
    workspace.write_population("Year,Code,Municipality,Population\n\n2023,340,Sorø,30444\n\n")
    assert load(workspace)[2023]["340"].population == 30444


def test_danish_thousands_separator_is_refused_with_a_hint(workspace):
    workspace.write_population(HEADER + '2023,330,Slagelse,79728\n2023,340,Sorø,"30.444"\n')
    assert problems(workspace) == [
        "population.csv:3: population '30.444' is not a whole number (hint: write 30444 without thousands separators)"
    ]


def test_every_bad_row_is_reported(workspace):
    workspace.write_population(
        HEADER + "2023,340,Sorø,0\n2023,330,Slagelse,-5\n23,326,Kalundborg,1\n2023,3400,X,1\n2023,350,,1\n2023,360,Lolland,12.5\n"
    )
    assert problems(workspace) == [
        "population.csv:2: population must be positive, got 0",
        "population.csv:3: population must be positive, got -5",
        "population.csv:4: year '23' is not a four-digit year from 1900 to 2199",
        "population.csv:5: expected a municipality code of 1–3 digits such as 340, got '3400'",
        "population.csv:6: municipality name is empty",
        "population.csv:7: population '12.5' is not a whole number",
    ]


def test_duplicate_year_and_code(workspace):
    workspace.write_population(HEADER + "2023,340,Sorø,30444\n2024,340,Sorø,30500\n2023,340,Sorø,1\n")
    assert problems(workspace) == ["population.csv:4: municipality 340 appears again for 2023 (first on line 2)"]


def test_missing_columns(workspace):
    workspace.write_population("year,code,name,population\n2023,340,Sorø,30444\n")
    assert problems(workspace) == [
        "population.csv:1: missing column(s) municipality (hint: the header must be year,code,municipality,population)"
    ]


def test_wrong_number_of_fields(workspace):
    workspace.write_population(HEADER + "2023,340,Sorø,30444\n2023,330,Slagelse,79,728\n")
    assert problems(workspace) == ["population.csv:3: expected 4 fields, found 5"]


def test_missing_empty_and_non_utf8_files(workspace):
    workspace.population.unlink()
    assert problems(workspace)[0].startswith("population.csv: population file not found (hint:")
    workspace.write_population("")
    assert problems(workspace)[0].startswith("population.csv: the population file is empty")
    workspace.write_population(HEADER.encode() + "2023,340,Sorø,30444\n".encode("cp1252"))
    assert problems(workspace) == ["population.csv:2: not UTF-8 text (hint: save the file as CSV UTF-8)"]


def test_header_only(workspace):
    workspace.write_population(HEADER)
    assert problems(workspace) == ["population.csv: the population file has a header but no rows"]


def test_checksum_is_of_the_file_bytes(workspace):
    import hashlib

    assert load_population(workspace.population, "population.csv").sha256 == hashlib.sha256(workspace.population.read_bytes()).hexdigest()


def test_control_characters_in_names_are_refused(workspace):
    workspace.write_population(HEADER + "2023,340,Sor\x07ø,30444\n")
    assert problems(workspace) == ["population.csv:2: municipality name contains a control character (U+0007) at position 4"]


def test_formula_like_names_are_kept_as_text(workspace):
    workspace.write_population(HEADER + '2023,340,"=HYPERLINK(""x"")",30444\n')
    assert load(workspace)[2023]["340"].name == '=HYPERLINK("x")'


def test_a_trailing_delimiter_on_every_line_is_tolerated(workspace):
    """Excel and hand-edited files often end each line with a delimiter; the columns must not shift."""
    workspace.write_population("\n".join(line + "," for line in workspace.population_lines()) + "\n")
    table = load(workspace)
    assert table[2023]["253"].name == "Greve" and table[2023]["253"].population == 51507
    assert len(table[2023]) == 17


def test_line_numbers_are_the_files_own_after_blank_lines_and_a_quoted_line_break(workspace):
    workspace.write_population(HEADER + '\n2023,340,"Sorø\nby",30444\n\n2023,330,Slagelse,x\n2023,350,Lejre,"1.000"\n')
    assert problems(workspace) == [
        "population.csv:3: municipality name contains a control character (U+000A) at position 5",  # the record starts on line 3
        "population.csv:6: population 'x' is not a whole number",
        "population.csv:7: population '1.000' is not a whole number (hint: write 1000 without thousands separators)",
    ]


def test_a_short_row_and_extra_columns(workspace):
    workspace.write_population("year,code,municipality,population,note\n2023,340,Sorø,30444,ok\n2023,330,Slagelse\n")
    assert problems(workspace) == ["population.csv:3: expected 5 fields, found 3"]
