"""A weights file (`weights: {timer: ../data/timer.csv}`): a key's figure per budget year and member, exact.

CSV with `year`, `code` and `value` (År, Kode, Værdi in Danish; a name column may be there too); a value is any
non-negative decimal with `.` or `,` as the decimal mark (timetable hours, a tax base in kroner), read exactly
(io/values.py); 1.500 or 150.000 is a Danish thousands dot, refused with its digits.
It is read like the population file: bounded, strict, with its own line numbers.
"""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

from ..core.errors import DataError, InvalidValueError, Problem, error
from ..limits import MAX_POPULATION_BYTES
from .population import read_table, repeated_row
from .textfile import read_utf8
from .values import code_of, weight_value, year_of

ALIASES = {"year": ("år",), "code": ("kode",), "value": ("værdi", "vægt")}


def load_weights(path: Path, display: str) -> dict[int, dict[str, Fraction]]:
    """{budget year: {code: value}} from a weights file; every problem reported at once."""
    _, text = read_utf8(path, display, DataError, "word_weights_file", "hint_check_path", "hint_save_csv_utf8", MAX_POPULATION_BYTES)
    if not text.strip():
        raise error(DataError, "err_missing_columns", display, "1", "hint_weights_header", columns="year, code, value")
    table = read_table(text, display, ("year", "code", "value"), "hint_weights_header", ALIASES)
    figures: dict[int, dict[str, Fraction]] = {}
    first: dict[tuple[int, str], int] = {}
    problems: list[Problem] = []
    for line, _, cells in table.rows(problems):
        try:
            year, code, value = year_of(cells["year"]), code_of(cells["code"]), Fraction(weight_value(cells["value"]))
        except InvalidValueError as refusal:
            problems.append(refusal.at(display, str(line)))
            continue
        if again := repeated_row(first, year, code, line, display):
            problems.append(again)
            continue
        figures.setdefault(year, {})[code] = value
    if problems:
        raise DataError(problems)
    return figures
