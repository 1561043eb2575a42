"""The register of issued documents (register.csv): read strictly, its rows chained by hash, appended atomically.

UTF-8 CSV with a header, one row per issued document: amounts in kroner with '.' decimals, dates ISO, the numbers a
document refers to separated by spaces, the SHA-256 of the document's bytes, and `hash`: the SHA-256 over the row's
fields and the previous row's hash (the first row's over its fields and START), so a row changed, removed or moved
breaks the chain from there on. Only costshare writes it: rows are appended by replacing the file with its old bytes
and the new rows in one step (io/atomic.py), under the register's lock (io/kept.py).
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from ..core.errors import DataError, ExportError, error
from ..core.register import Issued, Kind, Purpose, issued_numbers
from ..limits import MAX_REGISTER_BYTES, MAX_YEAR, MIN_YEAR
from .atomic import write_files
from .datatext import text_problem
from .textfile import read_utf8

COLUMNS = ("number", "kind", "purpose", "year", "code", "name", "instalment", "start", "end", "issued", "due",
           "net", "vat", "gross", "currency", "references", "sha256", "hash")  # fmt: skip
HEADER = ",".join(COLUMNS) + "\n"
START = "0" * 64  # the hash the first row is chained to
KINDS: tuple[Kind, ...] = ("invoice", "credit_note")
PURPOSES: tuple[Purpose, ...] = ("aconto", "settlement")
_NUMBER = re.compile(r"[A-Za-z0-9][A-Za-z0-9-]{0,79}")
_AMOUNT = re.compile(r"(0|[1-9][0-9]{0,14})\.([0-9]{2})")
_DIGEST = re.compile(r"[0-9a-f]{64}")
_CODE = re.compile(r"[0-9]{3}")
_YEAR = re.compile(r"[0-9]{4}")
_CURRENCY = re.compile(r"[A-Z]{3}")
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_INSTALMENT = re.compile(r"[1-9][0-9]?")


@dataclass(frozen=True)
class Register:
    """The register as read: its rows in the order they were issued, its bytes (appended to as they are) and the hash
    of its last row."""

    rows: tuple[Issued, ...]
    data: bytes
    head: str

    @property
    def numbers(self) -> frozenset[str]:
        return issued_numbers(self.rows)


EMPTY = Register((), b"", START)


def chained(previous: str, fields: Sequence[str]) -> str:
    """The hash of a row: SHA-256 over the previous row's hash and the row's fields, as a JSON list (unambiguous
    whatever a field holds)."""
    text = json.dumps([previous, *fields], ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def kroner(minor: int) -> str:
    """6538,00 kr. as the register writes it: '6538.00'."""
    return f"{minor // 100}.{minor % 100:02d}"


def fields_of(row: Issued) -> list[str]:
    """The row's fields as the file writes them, without its hash."""
    return [row.number, row.kind, row.purpose, str(row.year), row.code, row.name, "" if row.instalment is None else str(row.instalment),
            row.start.isoformat(), row.end.isoformat(), row.issued.isoformat(), row.due.isoformat(), kroner(row.net), kroner(row.vat),
            kroner(row.gross), row.currency, " ".join(row.references), row.sha256]  # fmt: skip


def _minor(text: str) -> int:
    match = _AMOUNT.fullmatch(text)
    if match is None:
        raise ValueError(text)
    return int(match[1]) * 100 + int(match[2])


def _matching(pattern: re.Pattern[str], text: str) -> str:
    if pattern.fullmatch(text) is None:
        raise ValueError(text)
    return text


def _year(text: str) -> int:
    year = int(_matching(_YEAR, text))
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise ValueError(text)
    return year


def _day(text: str) -> date:
    """A date as the register writes it: YYYY-MM-DD, within the years costshare handles."""
    day = date.fromisoformat(_matching(_DATE, text))
    _year(text[:4])
    return day


def _name(text: str) -> str:
    """The member's name: text that stays text in every output (io/datatext.py), never blank."""
    if not text.strip() or text_problem(text) is not None:
        raise ValueError(text)
    return text


def _kind(text: str) -> Kind:
    for kind in KINDS:
        if kind == text:
            return kind
    raise ValueError(text)


def _purpose(text: str) -> Purpose:
    for purpose in PURPOSES:
        if purpose == text:
            return purpose
    raise ValueError(text)


def row_of(fields: Sequence[str]) -> Issued:
    """The issued document a row's fields (without its hash) say; ValueError where one does not hold."""
    (number, kind, purpose, year, code, name, instalment, start, end, issued, due, net, vat, gross, currency, references,
     sha256) = fields  # fmt: skip
    row = Issued(_matching(_NUMBER, number), _kind(kind), _purpose(purpose), _year(year), _matching(_CODE, code), _name(name),
                 int(_matching(_INSTALMENT, instalment)) if instalment else None, _day(start), _day(end), _day(issued),
                 _day(due), _minor(net), _minor(vat), _matching(_CURRENCY, currency),
                 tuple(references.split(" ")) if references else (), _matching(_DIGEST, sha256))  # fmt: skip
    if row.gross != _minor(gross) or not all(_NUMBER.fullmatch(n) for n in row.references):
        raise ValueError(gross)
    if (row.instalment is not None and row.instalment > 12) or row.start > row.end or row.due < row.issued:
        raise ValueError(instalment)
    return row


def parse_register(data: bytes, text: str, display: str) -> Register:
    """The register's rows, every hash checked; the first row that does not hold is an error naming its line."""
    if not text:
        return Register((), data, START)
    if not text.startswith(HEADER):
        raise error(DataError, "err_register_header", display, "1", "hint_register_by_costshare")
    reader = csv.reader(io.StringIO(text[len(HEADER) :], newline=""), strict=True)
    rows: list[Issued] = []
    numbers: set[str] = set()
    head, line = START, 2
    try:
        for fields in reader:
            if len(fields) != len(COLUMNS) or chained(head, fields[:-1]) != fields[-1]:
                raise ValueError(fields)
            row = row_of(fields[:-1])
            if row.number in numbers:
                raise ValueError(row.number)
            numbers.add(row.number)
            rows.append(row)
            head, line = fields[-1], reader.line_num + 2
    except (ValueError, csv.Error):
        raise error(DataError, "err_register_row", display, str(line), "hint_register_row") from None
    if not text.endswith("\n"):
        raise error(DataError, "err_register_row", display, str(line - 1), "hint_register_row")
    return Register(tuple(rows), data, head)


def read_register(path: Path, display: str) -> Register:
    """The register at `path`, strictly (none there: an empty register)."""
    if not os.path.lexists(path):
        return EMPTY
    data, text = read_utf8(path, display, DataError, "word_register_file", "hint_check_path", "hint_register_by_costshare",
                           MAX_REGISTER_BYTES)  # fmt: skip
    if data.startswith(b"\xef\xbb\xbf"):  # costshare writes no BOM: one there was put there by another program
        raise error(DataError, "err_register_header", display, "1", "hint_register_by_costshare")
    return parse_register(data, text, display)


def appended(register: Register, rows: Iterable[Issued]) -> tuple[bytes, str]:
    """The register's bytes with `rows` after its own, and the new last hash; a number already in it is refused."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\n")
    head, numbers = register.head, set(register.numbers)
    for row in rows:
        if row.number in numbers:
            raise error(ExportError, "err_register_number_issued", number=row.number)
        numbers.add(row.number)
        fields = fields_of(row)
        head = chained(head, fields)
        writer.writerow([*fields, head])
    start = register.data if register.data else HEADER.encode("utf-8")
    return start + buffer.getvalue().encode("utf-8"), head


def append_rows(path: Path, register: Register, rows: Sequence[Issued]) -> Register:
    """Append `rows` to the register at `path` (as `register` read it, under its lock) in one atomic replace."""
    data, head = appended(register, rows)
    write_files({str(path): data}, force=True)
    return Register((*register.rows, *rows), data, head)
