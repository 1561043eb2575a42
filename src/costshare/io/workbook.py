"""A workbook (XLSX) given as data: each sheet's rows as text, read within bounds.

Only the values are read (openpyxl read-only; a formula's result as the workbook saved it). The archive is checked
before openpyxl opens it: a bounded number of parts that unpack to a bounded size (a zip bomb is refused without
unpacking it, and zipfile never unpacks more of a part than it declares), none with a DTD (entities). A sheet is
read to MAX_SHEET_ROWS rows and MAX_SHEET_COLUMNS columns; text in a row below that is an error, not cut off.
Numbers come back as the text the workbook holds (see `cell_text`), so every value still goes through io/values.py.
"""

from __future__ import annotations

import io
import warnings
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time

from ..core.errors import CostShareError, Count, error
from ..limits import MAX_SHEET_COLUMNS, MAX_SHEET_ROWS, MAX_WORKBOOK_PARTS, MAX_WORKBOOK_UNPACKED

ZIP_MAGIC = b"PK\x03\x04"


@dataclass(frozen=True)
class Sheet:
    """A sheet's title and its rows that hold anything: (row number, every cell as text, stripped)."""

    title: str
    rows: tuple[tuple[int, tuple[str, ...]], ...]


def is_workbook(raw: bytes) -> bool:
    """Whether the bytes are a ZIP archive, as an XLSX workbook is (a CSV file never starts so)."""
    return raw.startswith(ZIP_MAGIC)


def cell_text(value: object) -> str:
    """A cell's value as text. A number is stored in the workbook as text ("26150.5") and openpyxl gives it as an
    int or a float; the shortest text that is that float again is what Excel and LibreOffice wrote, so repr() gives
    the text back without the float's binary digits. Dates as ISO 8601; an empty cell is ""."""
    if value is None:
        return ""
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, (datetime, date, time)):
        return value.isoformat()
    return str(value).strip()


def _checked_archive(raw: bytes, display: str, kind: type[CostShareError]) -> None:
    """Refuse an archive that is no ZIP, has too many parts, would unpack to more than MAX_WORKBOOK_UNPACKED, or
    holds a DTD in a part (an XLSX never does; entities could expand)."""
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as archive:
            parts = archive.infolist()
            if len(parts) > MAX_WORKBOOK_PARTS or sum(part.file_size for part in parts) > MAX_WORKBOOK_UNPACKED:
                raise error(kind, "err_workbook_too_large", display, None, "hint_right_file", size=f"{MAX_WORKBOOK_UNPACKED / 2**20:g}")
            for part in parts:
                if b"<!DOCTYPE" in archive.read(part):
                    raise error(kind, "err_not_workbook", display, None, "hint_save_xlsx")
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, EOFError, ValueError, OSError, zlib.error):
        raise error(kind, "err_not_workbook", display, None, "hint_save_xlsx") from None


def workbook_sheets(raw: bytes, display: str, kind: type[CostShareError]) -> Iterator[Sheet]:
    """The workbook's worksheets in order, each read when it is asked for. A file that is no XLSX workbook (an .xls,
    an .ods, a damaged file) is one error naming the file."""
    _checked_archive(raw, display, kind)
    from openpyxl import load_workbook

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # openpyxl warns of styles and extensions it does not read
            book = load_workbook(io.BytesIO(raw), read_only=True, data_only=True, keep_links=False)
            titles = [sheet.title for sheet in book.worksheets]
    except Exception:  # openpyxl raises any of a dozen kinds on a damaged or foreign file; none is costshare's bug
        raise error(kind, "err_not_workbook", display, None, "hint_save_xlsx") from None
    try:
        for title in titles:
            yield Sheet(title, _sheet_rows(book, title, display, kind))
    finally:
        book.close()


def _sheet_rows(book: object, title: str, display: str, kind: type[CostShareError]) -> tuple[tuple[int, tuple[str, ...]], ...]:
    """The rows of one sheet that hold anything, to MAX_SHEET_ROWS rows and MAX_SHEET_COLUMNS columns."""
    rows: list[tuple[int, tuple[str, ...]]] = []
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            found = book[title].iter_rows(max_row=MAX_SHEET_ROWS + 1, max_col=MAX_SHEET_COLUMNS, values_only=True)  # type: ignore[index]
            for number, values in enumerate(found, start=1):
                if values.count(None) == len(values):  # an empty row (openpyxl fills gaps with them), counted in C
                    continue
                cells = tuple(cell_text(value) for value in values)
                if any(cells):
                    rows.append((number, cells))
    except CostShareError:
        raise
    except Exception:  # as above: a sheet's XML that openpyxl cannot read
        raise error(kind, "err_not_workbook", display, None, "hint_save_xlsx") from None
    if rows and rows[-1][0] > MAX_SHEET_ROWS:
        raise error(
            kind, "err_sheet_too_long", display, f"{title}!{rows[-1][0]}:{rows[-1][0]}", "hint_right_file", rows=Count(MAX_SHEET_ROWS)
        )
    return tuple(rows)
