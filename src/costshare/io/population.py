"""population.csv → {year: {code: Municipality}}; every check on the data happens here.

The one reader of the file, for the calculation, `population show` and the merge after a fetch.
It uses the standard csv module, so `table` does not import pandas, and line numbers are the
file's own even where a quoted name spans lines. Accepts UTF-8 with or without BOM, CRLF,
`;` or `,` between fields, and a trailing delimiter on every line, because the file is often
saved from Danish Excel.
"""

from __future__ import annotations

import codecs
import csv
import hashlib
import io
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

from ..core.errors import DataError, InvalidValueError, Problem, error, problem
from ..core.municipality import Municipality
from ..limits import MAX_POPULATION_BYTES
from .datatext import text_problem
from .textfile import read_utf8
from .values import code_of, population_value, year_of

COLUMNS = ("year", "code", "municipality", "population")


@dataclass(frozen=True)
class PopulationRow:
    """One data line: where it is, its text as written (for a byte-preserving merge), and what it says."""

    line: int
    text: str
    year: int
    municipality: Municipality


@dataclass(frozen=True)
class PopulationFile:
    """The checked population file: its rows and table, its dialect and the SHA-256 of its bytes.

    `header` is the column names as written (a trailing delimiter gives an empty last name)."""

    rows: tuple[PopulationRow, ...]
    table: dict[int, dict[str, Municipality]]
    header: tuple[str, ...]
    header_text: str
    delimiter: str
    newline: str
    bom: bool
    sha256: str


def latest_names(table: Mapping[int, Mapping[str, Municipality]]) -> dict[str, str]:
    """{code: name} over every year, the latest year's name where a municipality was renamed."""
    return {code: row.name for year in sorted(table) for code, row in table[year].items()}


def sniff_delimiter(header: str) -> str:
    """';' when the header uses it (Danish Excel), else ','."""
    return ";" if header.count(";") > header.count(",") else ","


def repeated_row(first: dict[tuple[int, str], int], year: int, code: str, line: int, display: str) -> Problem | None:
    """The problem of a row giving a year and code an earlier line gave (None the first time, which is recorded)."""
    earlier = first.setdefault((year, code), line)
    return None if earlier == line else problem("err_duplicate_row", display, str(line), code=code, year=year, first=earlier)


def municipality_name(text: str) -> str:
    """A municipality's name as the data gives it: non-empty text that stays text in every output."""
    if not text:
        raise InvalidValueError("err_name_empty")
    refusal = text_problem(text)
    if refusal:
        raise InvalidValueError(f"name_{refusal.key}", **refusal.params)
    return text


def csv_records(text: str, delimiter: str, display: str) -> Iterator[tuple[int, str, list[str]]]:
    """(first line number, source text without its line ending, cells) for every CSV record."""
    consumed: list[str] = []

    def lines() -> Iterator[str]:
        for physical in io.StringIO(text, newline=""):
            consumed.append(physical)
            yield physical

    reader = csv.reader(lines(), delimiter=delimiter, strict=True)  # strict: a quote never closed is an error, not the rest of the file
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            start = str(reader.line_num - len(consumed) + 1)
            if "unexpected end of data" in str(exc):
                raise error(DataError, "err_csv_unclosed_quote", display, start) from None
            raise error(DataError, "err_csv", display, start, detail=str(exc)) from None
        source = "".join(consumed)
        first_line = reader.line_num - len(consumed) + 1
        consumed.clear()
        yield first_line, source.rstrip("\r\n"), cells


def _trim(cells: list[str]) -> list[str]:
    """Cells without the empty ones at the end: a trailing delimiter adds nothing."""
    end = len(cells)
    while end and not cells[end - 1].strip():
        end -= 1
    return cells[:end]


def wrong_field_count(cells: list[str], width: int) -> int | None:
    """How many fields a row has, when that is not `width`; None when it fits. Empty cells at the end
    (a trailing delimiter) do not count."""
    if len(cells) < width:
        return len(cells)
    found = len(_trim(cells))
    return found if found > width else None


@dataclass(frozen=True)
class CsvTable:
    """A CSV text with its header read and checked: where each needed column is, and the records still to read."""

    display: str
    delimiter: str
    header: tuple[str, ...]  # lower-cased, as written (a trailing delimiter gives an empty last name)
    header_text: str
    at: dict[str, int]
    records: Iterator[tuple[int, str, list[str]]]

    def rows(self, problems: list[Problem]) -> Iterator[tuple[int, str, dict[str, str]]]:
        """(line, source text, {column: stripped cell}) for every non-blank record with the header's number of
        fields; a record with another number is added to `problems` and skipped."""
        width = len(_trim(list(self.header)))
        for line, source, raw_cells in self.records:
            cells = [cell.strip() for cell in raw_cells]
            if not any(cells):
                continue
            found = wrong_field_count(cells, width)
            if found is not None:
                problems.append(problem("err_field_count", self.display, str(line), expected=width, found=found))
                continue
            yield line, source, {column: cells[index] for column, index in self.at.items()}


def read_table(
    text: str,
    display: str,
    columns: tuple[str, ...],
    hint: str,
    aliases: Mapping[str, tuple[str, ...]] | None = None,
    optional: tuple[str, ...] = (),
    **hint_values: object,
) -> CsvTable:
    """The header of non-empty CSV text, which must name every one of `columns` (else an error at line 1 with `hint`);
    a column may go by one of its `aliases` (costshare's own Danish headings); `optional` ones are found if there."""
    delimiter = sniff_delimiter(text.splitlines()[0])
    records = csv_records(text, delimiter, display)
    _, header_text, header_cells = next(records)
    header = tuple(cell.strip().lower() for cell in header_cells)

    def where(column: str) -> int | None:
        names = (column, *(aliases or {}).get(column, ()))
        return next((index for index, name in enumerate(header) if name in names), None)

    missing = [column for column in columns if where(column) is None]
    if missing:
        raise error(DataError, "err_missing_columns", display, "1", hint, columns=", ".join(missing), **hint_values)
    at = {column: index for column in (*columns, *optional) if (index := where(column)) is not None}
    return CsvTable(display, delimiter, header, header_text, at, records)


def parse_population(text: str, display: str, sha256: str = "", bom: bool = False) -> PopulationFile:
    """Parse and check population CSV text, collecting every problem before failing."""
    if not text.strip():
        raise error(DataError, "err_population_empty", display, None, "hint_header", header=",".join(COLUMNS))
    newline = "\r\n" if "\r\n" in text else "\n"
    csv_table = read_table(text, display, COLUMNS, "hint_header_must", header=",".join(COLUMNS))
    problems: list[Problem] = []
    rows: list[PopulationRow] = []
    table: dict[int, dict[str, Municipality]] = {}
    first_line: dict[tuple[int, str], int] = {}
    for line, source, cells in csv_table.rows(problems):
        year_text, code_text, name, population_text = (cells[column] for column in COLUMNS)
        try:
            year = year_of(year_text)
            code = code_of(code_text)
            name = municipality_name(name)
            population = population_value(population_text)
        except InvalidValueError as refusal:
            problems.append(refusal.at(display, str(line)))
            continue
        if again := repeated_row(first_line, year, code, line, display):
            problems.append(again)
            continue
        municipality = Municipality(code, name, population)
        rows.append(PopulationRow(line, source, year, municipality))
        table.setdefault(year, {})[code] = municipality
    if problems:
        raise DataError(problems=problems)
    if not rows:
        raise error(DataError, "err_no_rows", display)
    return PopulationFile(tuple(rows), table, csv_table.header, csv_table.header_text, csv_table.delimiter, newline, bom, sha256)


def load_population(path: Path, display: str) -> PopulationFile:
    """Read and check the population file."""
    raw, text = read_utf8(
        path, display, DataError, "word_population_file", "hint_population_path", "hint_save_csv_utf8", MAX_POPULATION_BYTES
    )
    return parse_population(text, display, hashlib.sha256(raw).hexdigest(), raw.startswith(codecs.BOM_UTF8))
