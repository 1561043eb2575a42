"""The agreement's record of decided years (`decided: ../data/vedtaget.csv`): read, and appended to by `decide`.

UTF-8 CSV, one row per budget year and member, with the column names of the other data files: year, code,
municipality, amount, reference, provisional, decided_on (Danish headings are read too: år, kode, kommune, beløb,
henvisning, foreløbig, vedtaget_den). An amount is kroner with øre and `.` as the decimal mark (13075.00), as
costshare's files for machines write amounts; a reader takes `,` too. `provisional` is written yes or no, the words
of the column names, so the file reads as one language; ja and nej are read as well, as a hand-edited file may say.
`decided_on` is an ISO date. It is read like the population file: bounded, strict, with its own line numbers.

The record is history: `decide` appends to it, never rewrites a row, and writes only if the file is still the one
it read (old bytes + the new rows, atomically).
"""

from __future__ import annotations

import contextlib
import csv
import io
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from ..core.errors import DataError, ExportError, InvalidValueError, Problem, error
from ..core.money import major
from ..core.record import DecidedYear
from ..core.text import FORMULA_STARTS
from ..limits import MAX_POPULATION_BYTES
from .atomic import write_files
from .datatext import shown, text_problem
from .lock import record_lock
from .population import municipality_name, read_table, repeated_row, sniff_delimiter
from .textfile import read_utf8
from .values import code_of, kroner_value, year_of

COLUMNS = ("year", "code", "municipality", "amount", "reference", "provisional", "decided_on")
ALIASES = {
    "year": ("år",),
    "code": ("kode",),
    "municipality": ("kommune", "name", "navn"),
    "amount": ("beløb",),
    "reference": ("henvisning",),
    "provisional": ("foreløbig",),
    "decided_on": ("vedtaget_den", "vedtaget den"),
}
_YES, _NO = ("yes", "ja"), ("no", "nej")


@dataclass
class _Year:
    """A decided year as its rows are read: the first row's reference, mark and date, and every member's amount."""

    line: int
    reference: str
    provisional: bool
    decided_on: date
    amounts: dict[str, int] = field(default_factory=dict)
    names: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class RecordFile:
    """The record as read: its years, and its bytes (None: no file yet), which an append must find unchanged."""

    years: Mapping[int, DecidedYear]
    data: bytes | None


def _provisional(text: str) -> bool:
    if text.lower() in _YES + _NO:
        return text.lower() in _YES
    raise InvalidValueError("err_record_provisional", value=shown(text))


def _decided_on(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise InvalidValueError("err_record_date", value=shown(text)) from None


def _amount(text: str, unit: int) -> int:
    amount = kroner_value(text)
    if amount < 0:
        raise InvalidValueError("err_record_negative", value=shown(text))
    if amount % unit:
        raise InvalidValueError("err_record_unit", "hint_record_unit", value=shown(text))
    return amount


def _reference(text: str) -> str:
    refusal = text_problem(text)
    if refusal is not None:
        raise refusal
    return text


def reference_problem(reference: str) -> InvalidValueError | None:
    """Why `reference` cannot be written to the record by decide, or None: text that stays text (io/datatext.py), and
    nothing a spreadsheet opening the record would run as a formula (=HYPERLINK(...) in a cell of its own)."""
    if (refusal := text_problem(reference)) is not None:
        return refusal
    if reference.startswith(FORMULA_STARTS):
        return InvalidValueError("err_reference_formula", character=reference[0])
    return None


def _add_row(years: dict[int, _Year], year: int, code: str, line: int, cells: Mapping[str, str], unit: int) -> None:
    """A member's row of a decided year; the year's reference, mark and date are its first row's, and every other
    row of the year must say the same (a year is decided once, as one decision)."""
    name, amount = municipality_name(cells["municipality"]), _amount(cells["amount"], unit)
    said = _Year(line, _reference(cells["reference"]), _provisional(cells["provisional"]), _decided_on(cells["decided_on"]))
    entry = years.setdefault(year, said)
    if (entry.reference, entry.provisional, entry.decided_on) != (said.reference, said.provisional, said.decided_on):
        raise InvalidValueError("err_record_year_differs", "hint_record_year_differs", year=year, first=entry.line)
    entry.amounts[code], entry.names[code] = amount, name


def read_record(path: Path, display: str, unit: int) -> RecordFile:
    """The decided years of the record at `path` (none where there is no file yet); every amount a whole number of
    `unit`s; every problem reported at once, at its line."""
    if not path.exists():
        return RecordFile({}, None)
    data, text = read_utf8(path, display, DataError, "word_record_file", "hint_check_path", "hint_save_csv_utf8", MAX_POPULATION_BYTES)
    if not text.strip():
        raise error(DataError, "err_missing_columns", display, "1", "hint_record_header", columns=", ".join(COLUMNS))
    table = read_table(text, display, COLUMNS, "hint_record_header", ALIASES)
    years: dict[int, _Year] = {}
    first: dict[tuple[int, str], int] = {}
    problems: list[Problem] = []
    for line, _, cells in table.rows(problems):
        try:
            year, code = year_of(cells["year"]), code_of(cells["code"])
            if again := repeated_row(first, year, code, line, display):
                problems.append(again)
                continue
            _add_row(years, year, code, line, cells, unit)
        except InvalidValueError as refusal:
            problems.append(refusal.at(display, str(line)))
    if problems:
        raise DataError(problems)
    decided = {year: _frozen(year, entry) for year, entry in sorted(years.items())}
    return RecordFile(decided, data)


def _frozen(year: int, entry: _Year) -> DecidedYear:
    amounts = {code: entry.amounts[code] for code in sorted(entry.amounts)}
    return DecidedYear(year, amounts, dict(entry.names), entry.reference, entry.provisional, entry.decided_on, entry.line)


def record_rows(decided: DecidedYear, delimiter: str = ",", header: bool = False) -> bytes:
    """The rows of a decided year as the record writes them (the header first where `header`)."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\n")
    if header:
        writer.writerow(COLUMNS)
    mark = _YES[0] if decided.provisional else _NO[0]
    for code in decided.codes:
        amount = f"{major(decided.amounts[code], 2):.2f}"
        writer.writerow([decided.year, code, decided.names[code], amount, decided.reference, mark, decided.decided_on.isoformat()])
    return out.getvalue().encode("utf-8")


def append_record(path: Path, display: str, read: RecordFile, decided: DecidedYear) -> None:
    """Append `decided` to the record as it was read, atomically: refused if the file changed since (or appeared)."""
    now = path.read_bytes() if path.exists() else None
    if now != read.data:
        raise error(ExportError, "err_record_changed", display, None, "hint_record_changed")
    old = read.data or b""
    ending = _line_ending(old)
    if old and not old.endswith(ending):
        old += ending
    delimiter = sniff_delimiter(old.decode("utf-8-sig").splitlines()[0]) if old.strip() else ","
    rows = record_rows(decided, delimiter, header=not old.strip())
    write_files({str(path): old + rows.replace(b"\n", ending)}, force=True)


def _line_ending(data: bytes) -> bytes:
    """The line ending the file uses (CRLF from Excel on Windows, a lone CR from an old Mac program), so the rows
    appended end their lines as the rows before them do."""
    first = data.find(b"\n")
    if first > 0 and data[first - 1 : first] == b"\r":
        return b"\r\n"
    return b"\r" if first < 0 and b"\r" in data else b"\n"


@contextlib.contextmanager
def decided_lock(path: Path, display: str) -> Iterator[None]:
    """Hold the record's lock (io/lock.py) inside the block, so two runs of `decide` never append from the same
    reading: one waits for the other, then reads what it wrote."""
    with record_lock(path, display, "err_record_cannot_lock", "err_record_busy", "hint_record_busy"):
        yield
