"""Figures that councils have already decided (decided.csv), read and checked against the computed split.

The file has a header row with `year`, `code` and `amount` (a `municipality` or `name` column may
be there too, and is checked against the code); amounts in kroner with `.` or `,` as the decimal mark,
`;` or `,` between fields. costshare's own exports read as decided figures too: the Danish headings
(År, Kode, Kommune, Beløb), the long layout and the wide one (a column per budget year). It is read like
the population file: bounded, strict, with its own line numbers.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from ..core.errors import DataError, InvalidValueError, Problem, error, problem
from ..limits import MAX_POPULATION_BYTES
from .population import read_table
from .textfile import read_utf8
from .values import code_of, kroner_value, year_of


@dataclass(frozen=True)
class Decided:
    """One decided figure: where it is in the file, which budget year and municipality, and the amount in minor units."""

    line: int
    year: int
    code: str
    amount: int
    name: str | None = None  # as the row writes it, where it has a name column


@dataclass(frozen=True)
class DecidedFigures:
    """The decided figures, each (year, code) once, and a warning for each row that only repeats an earlier one."""

    rows: list[Decided]
    repeated: list[Problem]


# costshare's own exports say these in Danish; the decided figures may be one of them, long or wide
ALIASES = {"year": ("år",), "code": ("kode",), "amount": ("beløb",), "municipality": ("kommune", "name", "navn")}
_YEAR_COLUMN = re.compile(r"(\d{4})(?:\s*\(.*\))?")  # "2024", "2023 (jul–dec)", "2027 (foreløbig)"


def _records(text: str, display: str, problems: list[Problem]) -> Iterator[tuple[int, str, str, str, str | None]]:
    """(line, year, code, amount, name) for every figure: one per row in the long layout (year, code, amount), one
    per budget-year column in the wide one (code, then a column per year, as `costshare export` writes it)."""
    table = read_table(text, display, ("code",), "hint_decided_header", ALIASES, ("year", "amount", "municipality"))
    if "year" in table.at or "amount" in table.at:  # the long layout: each row one figure
        table = read_table(text, display, ("year", "code", "amount"), "hint_decided_header", ALIASES, ("municipality",))
        for line, _, cells in table.rows(problems):
            yield line, cells["year"], cells["code"], cells["amount"], cells.get("municipality") or None
        return
    years = {index: match[1] for index, name in enumerate(table.header) if (match := _YEAR_COLUMN.fullmatch(name))}
    if not years:
        raise error(DataError, "err_missing_columns", display, "1", "hint_decided_header", columns="year")
    table = dataclasses.replace(table, at={**table.at, **{f"year {year}": index for index, year in years.items()}})
    for line, _, cells in table.rows(problems):
        if not cells["code"]:  # the totals row
            continue
        for year in years.values():
            if cells[f"year {year}"] not in ("", "–", "-"):
                yield line, year, cells["code"], cells[f"year {year}"], cells.get("municipality") or None


def load_decided(path: Path, display: str) -> DecidedFigures:
    """Every figure of the decided file, checked; every problem reported at once. A row that repeats an earlier
    one is named (a warning); one that gives the same year and municipality another amount is an error."""
    _, text = read_utf8(path, display, DataError, "word_decided_file", "hint_check_path", "hint_save_csv_utf8", MAX_POPULATION_BYTES)
    if not text.strip():
        raise error(DataError, "err_decided_empty", display, None, "hint_decided_header")
    rows: list[Decided] = []
    problems: list[Problem] = []
    repeated: list[Problem] = []
    first: dict[tuple[int, str], Decided] = {}
    for line, year, code, amount, name in _records(text, display, problems):
        try:
            row = Decided(line, year_of(year), code_of(code), kroner_value(amount), name)
        except InvalidValueError as refusal:
            problems.append(refusal.at(display, str(line)))
            continue
        earlier = first.get((row.year, row.code))
        if earlier is None:
            first[(row.year, row.code)] = row
            rows.append(row)
            continue
        key = "warn_decided_repeated" if earlier.amount == row.amount else "err_decided_conflict"
        found = problem(key, display, str(line), code=row.code, year=row.year, first=earlier.line)
        (repeated if earlier.amount == row.amount else problems).append(found)
    if problems:
        raise DataError(problems=problems)
    if not rows:
        raise error(DataError, "err_decided_no_rows", display)
    return DecidedFigures(rows, repeated)
