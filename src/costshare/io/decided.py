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
from ..limits import MAX_AMOUNT, MAX_POPULATION_BYTES, MAX_YEAR, MIN_YEAR
from ..words.problems import InvalidValueError, error
from .datatext import shown
from .population import code_of, read_table
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


def load_decided(path: Path, display: str) -> list[Decided]:
    """Every row of the decided figures, checked; every problem reported at once."""
    _, text = read_utf8(path, display, DataError, "word_decided_file", "hint_check_path", "hint_save_csv_utf8", MAX_POPULATION_BYTES)
    if not text.strip():
        raise error(DataError, "err_decided_empty", display, None, "hint_decided_header")
    csv_table = read_table(text, display, ("year", "code", "amount"), "hint_decided_header")
    rows: list[Decided] = []
    problems: list[Problem] = []
    for line, _, cells in csv_table.rows(problems):
        try:
            year_text = cells["year"]
            if not (year_text.isascii() and year_text.isdigit() and MIN_YEAR <= int(year_text) <= MAX_YEAR):
                raise InvalidValueError("err_decided_year", value=shown(year_text), first=MIN_YEAR, last=MAX_YEAR)
            rows.append(Decided(line, int(year_text), code_of(cells["code"]), _amount(cells["amount"])))
        except InvalidValueError as refusal:
            problems.append(refusal.at(display, str(line)))
    if problems:
        raise DataError(problems=problems)
    if not rows:
        raise error(DataError, "err_decided_no_rows", display)
    return rows
