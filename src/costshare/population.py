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
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from .core.errors import DataError, Problem
from .core.municipality import Municipality, normalise_code
from .datatext import shown, text_problem
from .limits import MAX_POPULATION, MAX_POPULATION_BYTES, MAX_YEAR, MIN_YEAR
from .textfile import read_utf8

COLUMNS = ("year", "code", "municipality", "population")
_DANISH_THOUSANDS = re.compile(r"\d{1,3}([.\s]\d{3})+")


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


def sniff_delimiter(header: str) -> str:
    """';' when the header uses it (Danish Excel), else ','."""
    return ";" if header.count(";") > header.count(",") else ","


class _RowError(ValueError):
    def __init__(self, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.hint = hint


def population_value(text: str) -> int:
    """A population figure as written in a data file or a StatBank reply: a positive whole number, bounded."""
    if text.isascii() and text.isdigit():
        if len(text.lstrip("0")) > len(str(MAX_POPULATION)):  # too long to be a population, whatever it says
            raise _RowError(f"population {text[:12]}… is more than {MAX_POPULATION:,}".replace(",", "."))
        value = int(text)
        if value <= 0:
            raise _RowError(f"population must be positive, got {text}")
        if value > MAX_POPULATION:
            raise _RowError(f"population {text} is more than {MAX_POPULATION:,}".replace(",", "."))
        return value
    if text.startswith("-") and text[1:].isdigit():
        raise _RowError(f"population must be positive, got {text if len(text) <= 20 else text[:19] + '…'}")
    if _DANISH_THOUSANDS.fullmatch(text):
        digits = re.sub(r"[.\s]", "", text)
        raise _RowError(f"population {text!r} is not a whole number", f"write {digits} without thousands separators")
    raise _RowError(f"population {shown(text)} is not a whole number")


def _year(text: str) -> int:
    if text.isascii() and text.isdigit() and len(text) == 4 and MIN_YEAR <= int(text) <= MAX_YEAR:
        return int(text)
    raise _RowError(f"year {shown(text)} is not a four-digit year from {MIN_YEAR} to {MAX_YEAR}")


def municipality_name(text: str) -> str:
    """A municipality's name as the data gives it: non-empty text that stays text in every output."""
    if not text:
        raise ValueError("municipality name is empty")
    problem = text_problem(text)
    if problem:
        raise ValueError(f"municipality name {problem}")
    return text


def csv_records(text: str, delimiter: str, display: str) -> Iterator[tuple[int, str, list[str]]]:
    """(first line number, source text without its line ending, cells) for every CSV record."""
    consumed: list[str] = []

    def lines() -> Iterator[str]:
        for physical in io.StringIO(text, newline=""):
            consumed.append(physical)
            yield physical

    reader = csv.reader(lines(), delimiter=delimiter)
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            raise DataError(f"not readable as CSV: {exc}", file=display, location=str(reader.line_num)) from None
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


def parse_population(text: str, display: str, sha256: str = "", bom: bool = False) -> PopulationFile:
    """Parse and check population CSV text, collecting every problem before failing."""
    if not text.strip():
        raise DataError("the population file is empty", file=display, hint=f"expected a header {','.join(COLUMNS)}")
    header_line = text.splitlines()[0]
    delimiter = sniff_delimiter(header_line)
    newline = "\r\n" if "\r\n" in text else "\n"
    records = csv_records(text, delimiter, display)
    _, header_text, header_cells = next(records)
    header = tuple(cell.strip().lower() for cell in header_cells)  # as written, for the merge
    width = len(_trim(header_cells))
    missing = [column for column in COLUMNS if column not in header]
    if missing:
        raise DataError(
            f"missing column(s) {', '.join(missing)}",
            file=display,
            location="1",
            hint=f"the header must be {','.join(COLUMNS)}",
        )
    at = [header.index(column) for column in COLUMNS]
    problems: list[Problem] = []
    rows: list[PopulationRow] = []
    table: dict[int, dict[str, Municipality]] = {}
    first_line: dict[tuple[int, str], int] = {}
    for line, source, raw_cells in records:
        cells = [cell.strip() for cell in raw_cells]
        if not any(cells):
            continue
        found = wrong_field_count(cells, width)
        if found is not None:
            problems.append(Problem(f"expected {width} fields, found {found}", display, str(line)))
            continue
        year_text, code_text, name, population_text = (cells[i] for i in at)
        try:
            year = _year(year_text)
            code = normalise_code(code_text)
            name = municipality_name(name)
            population = population_value(population_text)
        except ValueError as exc:
            problems.append(Problem(str(exc), display, str(line), getattr(exc, "hint", None)))
            continue
        if (year, code) in first_line:
            problems.append(
                Problem(f"municipality {code} appears again for {year} (first on line {first_line[(year, code)]})", display, str(line))
            )
            continue
        first_line[(year, code)] = line
        municipality = Municipality(code, name, population)
        rows.append(PopulationRow(line, source, year, municipality))
        table.setdefault(year, {})[code] = municipality
    if problems:
        raise DataError(problems=problems)
    if not rows:
        raise DataError("the population file has a header but no rows", file=display)
    return PopulationFile(tuple(rows), table, header, header_text, delimiter, newline, bom, sha256)


def load_population(path: Path, display: str) -> PopulationFile:
    """Read and check the population file."""
    raw, text = read_utf8(
        path,
        display,
        DataError,
        "population file",
        "check population.file in the config; it is relative to the config file",
        "save the file as CSV UTF-8",
        MAX_POPULATION_BYTES,
    )
    return parse_population(text, display, hashlib.sha256(raw).hexdigest(), raw.startswith(codecs.BOM_UTF8))
