"""CSV files: a document's header and typed rows written in a dialect Danish Excel or any program reads.

Numbers carry no thousands separators; the excel-da dialect uses a decimal comma, `;`, a BOM and
CRLF so Danish Excel opens it with numbers as numbers. Text that a spreadsheet would run as a
formula gets a leading '.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from ..core.text import FORMULA_STARTS


def inert(text: str) -> str:
    """Text a spreadsheet will not run as a formula: a leading ' where it could start one."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


@dataclass(frozen=True)
class CsvDialect:
    delimiter: str
    decimal: str
    bom: bool


DIALECTS: dict[str, CsvDialect] = {
    "excel-da": CsvDialect(delimiter=";", decimal=",", bom=True),
    "rfc4180": CsvDialect(delimiter=",", decimal=".", bom=False),
}


def _csv_cell(value: Any, dialect: CsvDialect) -> str:
    """Numbers with the dialect's decimal mark, dates as ISO 8601, text made inert."""
    if value is None:  # not a member that year
        return ""
    if isinstance(value, (int, Decimal)):
        return str(value).replace(".", dialect.decimal)
    if isinstance(value, date):
        return value.isoformat()
    return inert(str(value))


def csv_table_bytes(header: list[str], rows: list[list[Any]], dialect: CsvDialect) -> bytes:
    """A header and rows as CSV in `dialect`: numbers with its decimal mark, text made inert."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=dialect.delimiter, lineterminator="\r\n")
    writer.writerow([inert(cell) for cell in header])
    for row in rows:
        writer.writerow([_csv_cell(cell, dialect) for cell in row])
    text = buffer.getvalue()
    return (("\ufeff" + text) if dialect.bom else text).encode("utf-8")
