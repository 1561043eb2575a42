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

from .core.allocate import Allocation
from .core.errors import DataError, Problem
from .core.money import to_minor
from .core.municipality import normalise_code
from .datatext import shown
from .limits import MAX_AMOUNT, MAX_POPULATION_BYTES, MAX_YEAR, MIN_YEAR
from .population import csv_records, sniff_delimiter, wrong_field_count
from .textfile import read_utf8

_AMOUNT = re.compile(r"-?[0-9]+([.,][0-9]{1,2})?")


@dataclass(frozen=True)
class Decided:
    """One decided figure: where it is in the file, which budget year and municipality, and the amount in minor units."""

    line: int
    year: int
    code: str
    amount: int


@dataclass(frozen=True)
class Checked:
    """A decided figure beside the computed one (None where the municipality does not pay that year)."""

    decided: Decided
    name: str | None
    computed: int | None

    @property
    def matches(self) -> bool:
        return self.computed == self.decided.amount


def _amount(text: str) -> int:
    if not _AMOUNT.fullmatch(text):
        hint = (
            " (write kroner without thousands separators, e.g. 26150 or 26150,00)"
            if re.fullmatch(r"[0-9]{1,3}([.,][0-9]{3})+", text)
            else ""
        )
        raise ValueError(f"amount {shown(text)} is not an amount in kroner{hint}")
    value = Decimal(text.replace(",", "."))
    if abs(value) > MAX_AMOUNT:
        raise ValueError(f"amount {shown(text)} is more than costshare handles")
    return to_minor(value)


def load_decided(path: Path, display: str) -> list[Decided]:
    """Every row of the decided figures, checked; every problem reported at once."""
    _, text = read_utf8(
        path, display, DataError, "file of decided figures", "check the path", "save the file as CSV UTF-8", MAX_POPULATION_BYTES
    )
    if not text.strip():
        raise DataError("the file is empty", file=display, hint="expected a header year,code,amount")
    records = csv_records(text, sniff_delimiter(text.splitlines()[0]), display)
    _, _, header_cells = next(records)
    header = [cell.strip().lower() for cell in header_cells]
    missing = [column for column in ("year", "code", "amount") if column not in header]
    if missing:
        raise DataError(
            f"missing column(s) {', '.join(missing)}", file=display, location="1", hint="the header must have year, code and amount"
        )
    at = {column: header.index(column) for column in ("year", "code", "amount")}
    rows: list[Decided] = []
    problems: list[Problem] = []
    for line, _, raw in records:
        cells = [cell.strip() for cell in raw]
        if not any(cells):
            continue
        found = wrong_field_count(cells, len(header))
        if found is not None:
            problems.append(Problem(f"expected {len(header)} fields, found {found}", display, str(line)))
            continue
        try:
            year_text = cells[at["year"]]
            if not (year_text.isascii() and year_text.isdigit() and MIN_YEAR <= int(year_text) <= MAX_YEAR):
                raise ValueError(f"year {shown(year_text)} is not a year from {MIN_YEAR} to {MAX_YEAR}")
            rows.append(Decided(line, int(year_text), normalise_code(cells[at["code"]]), _amount(cells[at["amount"]])))
        except ValueError as exc:
            problems.append(Problem(str(exc), display, str(line)))
    if problems:
        raise DataError(problems=problems)
    if not rows:
        raise DataError("the file has a header but no figures", file=display)
    return rows


def check_decided(allocation: Allocation, decided: list[Decided], display: str) -> list[Checked]:
    """Each decided figure beside the computed amount; a year outside the agreement is an error."""
    years = {period.year: period for period in allocation.periods}
    problems = [
        Problem(f"{row.year} is not a budget year of the agreement ({min(years)}–{max(years)})", display, str(row.line))
        for row in decided
        if row.year not in years
    ]
    if problems:
        raise DataError(problems=problems)
    checked = []
    for row in decided:
        period = years[row.year]
        if period.has(row.code):
            share = period.share_of(row.code)
            checked.append(Checked(row, share.municipality, share.amount))
        else:
            checked.append(Checked(row, None, None))
    return checked
