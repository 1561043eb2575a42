"""Figures that councils have already decided, read and checked against the computed split.

A table whose header names `year`, `code` and `amount` (a `municipality` or `name` column may be there too, and is
checked against the code; other columns are left alone), with amounts in kroner. costshare's own exports read as
decided figures too: the Danish headings (År, Kode, Kommune, Beløb), the long layout and the wide one (a column
per budget year), and its workbook. So does what a spreadsheet saves of them:

- CSV with `;` or `,` between fields, in UTF-8 (with or without a BOM) or Windows-1252;
- a title row or two above the header (costshare's workbook has one);
- amounts as shown, with thousands dots and a decimal comma (46.874, 46.874,00: io/values.py); an empty cell, a
  dash or 0 for a member that does not pay that year;
- names as costshare's CSV writes them ('=Sorø is =Sorø);
- XLSX: the first sheet that holds such a table (costshare's own workbook: its split), read within bounds.

It is read like the population file: bounded, strict, each problem at its line (a workbook's: its sheet and cell).
"""

from __future__ import annotations

import csv
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from ..core.errors import DataError, InvalidValueError, Problem, error, problem
from ..limits import MAX_POPULATION_BYTES
from .population import csv_records, sniff_delimiter, wrong_field_count
from .textfile import read_file, spreadsheet_text
from .values import NO_AMOUNT, code_of, exported_text, shown_kroner, year_of
from .workbook import is_workbook, workbook_sheets


@dataclass(frozen=True)
class Decided:
    """One decided figure: where it is in the file, which budget year and municipality, and the amount in minor units."""

    line: int
    year: int
    code: str
    amount: int
    name: str | None = None  # as the row writes it, where it has a name column
    where: str = ""  # the figure's place in a message where it is not its line: a workbook's sheet and cell

    @property
    def place(self) -> str:
        """Where the figure is, as a message names it: its line, or its sheet and cell."""
        return self.where or str(self.line)


@dataclass(frozen=True)
class DecidedFigures:
    """The decided figures, each (year, code) once, and a warning for each row that only repeats an earlier one."""

    rows: list[Decided]
    repeated: list[Problem]


# costshare's own exports say these in Danish; the decided figures may be one of them, long or wide
ALIASES = {"year": ("år",), "code": ("kode",), "amount": ("beløb",), "municipality": ("kommune", "name", "navn")}
_YEAR_COLUMN = re.compile(r"(\d{4})(?:\s*\(.*\))?")  # "2024", "2023 (jul–dec)", "2027 (foreløbig)"
_Value = TypeVar("_Value", int, str)
_HEADER_WITHIN = 10  # rows the header may be under: a title, a blank row


@dataclass(frozen=True)
class _Grid:
    """A table as read, from CSV text or a workbook's sheet: its header (lower-cased) and its rows of cells."""

    header: tuple[str, ...]
    header_line: int
    rows: Iterable[tuple[int, Sequence[str]]]
    sheet: str | None = None  # the sheet's title; None for CSV

    def where(self, line: int, column: int | None = None) -> str:
        """A line of CSV; a workbook's cell (Fordeling!H5), or its row (Fordeling!2:2) where no column is meant."""
        if self.sheet is None:
            return str(line)
        sheet = self.sheet if self.sheet.replace("_", "").isalnum() else "'" + self.sheet.replace("'", "''") + "'"
        return f"{sheet}!{_column_letters(column)}{line}" if column is not None else f"{sheet}!{line}:{line}"

    def column(self, name: str) -> int | None:
        """Where a column is, by its name or one of its aliases; None where the header has none."""
        names = (name, *ALIASES.get(name, ()))
        return next((index for index, written in enumerate(self.header) if written in names), None)


def _column_letters(index: int) -> str:
    """A column's letters as a spreadsheet names it: 0 is A, 26 is AA."""
    letters = ""
    number = index + 1
    while number:
        number, rest = divmod(number - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def _names_code(cells: Iterable[str]) -> bool:
    return any(cell.strip().lower() in ("code", *ALIASES["code"]) for cell in cells)


def _csv_grid(text: str, display: str, problems: list[Problem]) -> _Grid:
    """The CSV text's header (the first of its first lines that names a code column, else line 1) and its rows, each
    with the header's number of fields (another number is added to `problems`)."""
    lines = text.splitlines()[:_HEADER_WITHIN]
    split = {index: {mark: next(csv.reader([line], delimiter=mark), []) for mark in ";,"} for index, line in enumerate(lines)}
    start = next((index for index in split if any(_names_code(cells) for cells in split[index].values())), 0)
    delimiter = sniff_delimiter(lines[start])
    records = csv_records(text, delimiter, display)
    header = next(tuple(cell.strip().lower() for cell in cells) for first, _, cells in records if first > start)
    width = len(header)
    while width and not header[width - 1]:  # a trailing delimiter adds nothing
        width -= 1

    def rows() -> Iterator[tuple[int, list[str]]]:
        for line, _, raw in records:
            cells = [cell.strip() for cell in raw]
            if not any(cells):
                continue
            found = wrong_field_count(cells, width)
            if found is not None:
                problems.append(problem("err_field_count", display, str(line), expected=width, found=found))
                continue
            yield line, cells

    return _Grid(header, start + 1, rows())


def _workbook_grid(raw: bytes, display: str) -> _Grid:
    """The first sheet whose header (in its first rows) names a code column: its header and the rows under it."""
    first = None
    for sheet in workbook_sheets(raw, display, DataError):
        first = first or sheet.title
        for position, (line, cells) in enumerate(sheet.rows):
            if line > _HEADER_WITHIN:
                break
            if _names_code(cells):
                header = tuple(cell.lower() for cell in cells)
                while header and not header[-1]:
                    header = header[:-1]
                rows = ((number, row[: len(header)]) for number, row in sheet.rows[position + 1 :])
                return _Grid(header, line, rows, sheet.title)
    where = _Grid((), 1, (), first).where(1) if first else None
    raise error(DataError, "err_missing_columns", display, where, "hint_decided_header", columns="code")


@dataclass(frozen=True)
class _Figure:
    """One figure as written: each value's text and the place a message names for it."""

    line: int
    values: dict[str, tuple[str, str]]  # year, code, amount: (text, place)
    name: str | None


def _figures(grid: _Grid, display: str) -> Iterator[_Figure]:
    """Every figure: one per row in the long layout (year, code, amount), one per budget-year column in the wide
    one (code, then a column per year, as `costshare export` writes it)."""
    code, name = grid.column("code"), grid.column("municipality")
    if code is None:
        raise error(DataError, "err_missing_columns", display, grid.where(grid.header_line), "hint_decided_header", columns="code")
    long = {column: grid.column(column) for column in ("year", "amount")}
    if any(index is not None for index in long.values()):
        missing = [column for column, index in long.items() if index is None]
        if missing:
            raise error(DataError, "err_missing_columns", display, grid.where(grid.header_line), "hint_decided_header",
                        columns=", ".join(missing))  # fmt: skip
        year_at, amount_at = long["year"], long["amount"]
        assert year_at is not None and amount_at is not None
        columns: list[tuple[int, str | None, int]] = [(year_at, None, amount_at)]
    else:
        columns = [(index, match[1], index) for index, written in enumerate(grid.header) if (match := _YEAR_COLUMN.fullmatch(written))]
        if not columns:
            raise error(DataError, "err_missing_columns", display, grid.where(grid.header_line), "hint_decided_header", columns="year")
    for line, cells in grid.rows:
        if not cells[code] and columns[0][1] is not None:  # the wide layout's totals row
            continue
        written = exported_text(cells[name]) if name is not None and cells[name] else None
        for year_column, headed, amount_column in columns:
            if headed is not None and cells[amount_column] in NO_AMOUNT:  # no figure in a wide row's year
                continue
            values = {
                "year": (headed or cells[year_column], grid.where(line, year_column)),
                "code": (cells[code], grid.where(line, code)),
                "amount": (cells[amount_column], grid.where(line, amount_column)),
            }
            yield _Figure(line, values, written)


def _decided(figure: _Figure, sheet: str | None, display: str) -> Decided | Problem:
    """The figure's values read (io/values.py), or the first refusal at that value's own place."""
    year = _read(year_of, figure.values["year"], display)
    code = _read(code_of, figure.values["code"], display)
    amount = _read(shown_kroner, figure.values["amount"], display)
    for value in (year, code, amount):
        if isinstance(value, Problem):
            return value
    assert isinstance(year, int) and isinstance(code, str) and isinstance(amount, int)
    return Decided(figure.line, year, code, amount, figure.name, figure.values["amount"][1] if sheet is not None else "")


def _read(reader: Callable[[str], _Value], written: tuple[str, str], display: str) -> _Value | Problem:
    """A value read from its text, or its refusal at its place."""
    text, place = written
    try:
        return reader(text)
    except InvalidValueError as refusal:
        return refusal.at(display, place)


def load_decided(path: Path, display: str) -> DecidedFigures:
    """Every figure of the decided file, checked; every problem reported at once. A row that repeats an earlier
    one is named (a warning); one that gives the same year and municipality another amount is an error."""
    raw = read_file(path, display, DataError, "word_decided_file", "hint_check_path", MAX_POPULATION_BYTES)
    problems: list[Problem] = []
    if is_workbook(raw):
        grid = _workbook_grid(raw, display)
    else:
        text = spreadsheet_text(raw, display, DataError, "hint_save_csv_utf8")
        if not text.strip():
            raise error(DataError, "err_decided_empty", display, None, "hint_decided_header")
        grid = _csv_grid(text, display, problems)
    rows: list[Decided] = []
    repeated: list[Problem] = []
    first: dict[tuple[int, str], Decided] = {}
    for figure in _figures(grid, display):
        row = _decided(figure, grid.sheet, display)
        if not isinstance(row, Decided):
            problems.append(row)
            continue
        earlier = first.get((row.year, row.code))
        if earlier is None:
            first[(row.year, row.code)] = row
            rows.append(row)
            continue
        key = "warn_decided_repeated" if earlier.amount == row.amount else "err_decided_conflict"
        found = problem(key, display, row.place, code=row.code, year=row.year, first=earlier.line)
        (repeated if earlier.amount == row.amount else problems).append(found)
    if problems:
        raise DataError(problems=problems)
    if not rows:
        raise error(DataError, "err_decided_no_rows", display)
    return DecidedFigures(rows, repeated)
