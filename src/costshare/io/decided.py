"""Figures that councils have already decided (decided.csv), read and checked against the computed split.

The file has a header row with `year`, `code` and `amount` (a `municipality` or `name` column may
be there too, for people); amounts in kroner with `.` or `,` as the decimal mark, `;` or `,`
between fields. It is read like the population file: bounded, strict, with its own line numbers.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from ..core.errors import DataError, Problem
from ..core.money import to_minor
from ..limits import MAX_AMOUNT, MAX_POPULATION_BYTES
from ..words.problems import InvalidValueError, error, problem
from .datatext import shown
from .population import code_of, read_table, year_of
from .textfile import read_utf8

_AMOUNT = re.compile(r"-?[0-9]+([.,][0-9]{1,2})?")


@dataclass(frozen=True)
class Decided:
    """One decided figure: where it is in the file, which budget year and municipality, and the amount in minor units."""

    line: int
    year: int
    code: str
    amount: int


def _amount(text: str) -> int:
    if not _AMOUNT.fullmatch(text):
        thousands = re.fullmatch(r"[0-9]{1,3}([.,][0-9]{3})+", text)
        raise InvalidValueError("err_decided_amount", "hint_decided_amount" if thousands else None, value=shown(text))
    value = Decimal(text.replace(",", "."))
    if abs(value) > MAX_AMOUNT:
        raise InvalidValueError("err_decided_amount_large", value=shown(text))
    return to_minor(value)


@dataclass(frozen=True)
class DecidedFigures:
    """The decided figures, each (year, code) once, and a warning for each row that only repeats an earlier one."""

    rows: list[Decided]
    repeated: list[Problem]


def load_decided(path: Path, display: str) -> DecidedFigures:
    """Every row of the decided figures, checked; every problem reported at once. A row that repeats an earlier
    one is named (a warning); one that gives the same year and municipality another amount is an error."""
    _, text = read_utf8(path, display, DataError, "word_decided_file", "hint_check_path", "hint_save_csv_utf8", MAX_POPULATION_BYTES)
    if not text.strip():
        raise error(DataError, "err_decided_empty", display, None, "hint_decided_header")
    csv_table = read_table(text, display, ("year", "code", "amount"), "hint_decided_header")
    rows: list[Decided] = []
    problems: list[Problem] = []
    repeated: list[Problem] = []
    first: dict[tuple[int, str], Decided] = {}
    for line, _, cells in csv_table.rows(problems):
        try:
            row = Decided(line, year_of(cells["year"]), code_of(cells["code"]), _amount(cells["amount"]))
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
