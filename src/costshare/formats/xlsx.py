"""XLSX files: a workbook document's sheets as cells.

Amounts are numeric cells with number formats, so Danish Excel shows 26.150 and sums them;
text is always written as text, so a name like =HYPERLINK(...) can never become a formula.
"""

from __future__ import annotations

import errno
import io
import os
import sys
from contextlib import suppress
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from ..core.errors import ExportError, error
from ..documents.workbook import ListSheet, TableSheet

if TYPE_CHECKING:
    from openpyxl import Workbook as Book
    from openpyxl.worksheet.worksheet import Worksheet

    from ..documents.workbook import Kind, Printing, Workbook

WHOLE = "#,##0"
ORE = "#,##0.00"
PERCENT = "0.00%"
DATE = "yyyy-mm-dd"


def _put(sheet: Worksheet, row: int, column: int, value: Any, number_format: str | None = None) -> Any:
    cell = sheet.cell(row=row, column=column, value=value)
    if isinstance(value, str):
        cell.data_type = "s"  # text stays text, even when it starts with "="
    elif isinstance(value, date):
        cell.number_format = DATE
    elif number_format:
        cell.number_format = number_format
    return cell


def _fit_columns(sheet: Worksheet, widths: dict[int, int]) -> None:
    from openpyxl.utils import get_column_letter

    for column, width in widths.items():
        sheet.column_dimensions[get_column_letter(column)].width = min(max(width + 2, 8), 60)


def _write_table(
    sheet: Worksheet, header: list[str], rows: list[list[Any]], formats: list[str | None], totals: bool, frozen: str, first_row: int = 1,
    under_totals: int = 0
) -> None:  # fmt: skip
    """Header on `first_row`, the rows under it (the last one bold when `totals`, or the last but `under_totals`), columns fitted."""
    from openpyxl.styles import Alignment, Font

    bold = Font(bold=True)
    widths: dict[int, int] = {}
    for column, text in enumerate(header, start=1):
        cell = _put(sheet, first_row, column, text)
        cell.font = bold
        if formats[column - 1]:  # numeric column: header sits over the figures
            cell.alignment = Alignment(horizontal="right")
        widths[column] = len(text)
    for row_number, row in enumerate(rows, start=first_row + 1):
        is_total = totals and row_number == len(rows) + first_row - under_totals
        for column, value in enumerate(row, start=1):
            cell = _put(sheet, row_number, column, value, formats[column - 1])
            if is_total:
                cell.font = bold
            shown = f"{value:,.2f}" if isinstance(value, Decimal) and formats[column - 1] == ORE else str(value)
            widths[column] = max(widths[column], len(shown) + len(shown) // 3)
    sheet.freeze_panes = frozen
    _fit_columns(sheet, widths)


def _print_setup(sheet: Worksheet, printing: Printing, title_rows: str | None) -> None:
    """A4, one page wide, the header repeated on every printed page, and a footer with the page number."""
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.orientation = "landscape" if printing.landscape else "portrait"
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0  # as many pages down as it takes
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    if title_rows:
        sheet.print_title_rows = title_rows
    sheet.oddFooter.left.text = printing.footer_left
    sheet.oddFooter.right.text = printing.footer_right


def _load_openpyxl() -> None:
    """Import openpyxl without numpy, unless numpy is loaded already. openpyxl imports numpy, where it can, only to
    take numpy's number types as cell values; costshare gives it int, Decimal, str and date only, and numpy's import
    is a tenth of what `bundle` takes on the shipped config. A None in sys.modules makes `import numpy` fail."""
    if "numpy" in sys.modules or "openpyxl" in sys.modules:
        return
    sys.modules["numpy"] = None  # type: ignore[assignment]
    try:
        import openpyxl  # noqa: F401
    finally:
        if sys.modules.get("numpy", "loaded") is None:
            del sys.modules["numpy"]


def workbook_bytes(document: Workbook) -> bytes:
    """The workbook as bytes, its sheets in order, the first one active."""
    _load_openpyxl()
    from openpyxl import Workbook as Book

    book = Book()
    book.properties.creator = document.author
    book.properties.created = book.properties.modified = document.created.replace(tzinfo=None)
    amount = ORE if document.amount_decimals else WHOLE
    formats: dict[Kind, str | None] = {"plain": None, "count": WHOLE, "percent": PERCENT, "amount": amount}
    for index, part in enumerate(document.sheets):
        sheet = book.active if index == 0 else book.create_sheet(part.title)
        sheet.title = part.title
        if isinstance(part, ListSheet):
            _write_list(sheet, [(name, value, formats[kind]) for name, value, kind in part.rows])
        else:
            _write_sheet(sheet, part, [formats[kind] for kind in part.kinds])
        if part.printing is not None:
            _print_setup(sheet, part.printing, f"1:{1 + (part.heading is not None)}" if isinstance(part, TableSheet) else None)
    return _saved(book)


def _saved(book: Book) -> bytes:
    """The workbook's bytes. openpyxl writes each sheet to a temporary file first (through lxml), so a full
    temporary folder or a file-size limit fails here: an ExportError naming the folder, and nothing left there."""
    import tempfile

    from lxml.etree import LxmlError

    buffer = io.BytesIO()
    try:
        book.save(buffer)
    except (OSError, LxmlError) as exc:
        _close_sheet_writers(exc)
        reason = exc.strerror or str(exc) if isinstance(exc, OSError) else _io_reason(exc)
        raise error(
            ExportError, "err_xlsx_temporary", None, None, "hint_xlsx_temporary", folder=tempfile.gettempdir(), reason=reason
        ) from None
    return buffer.getvalue()


def _close_sheet_writers(failure: BaseException) -> None:
    """Close what openpyxl leaves open when writing a sheet fails: the sheet's lxml writer and temporary file, and
    the archive, each of which would fail again when collected (a traceback after costshare's own line). Quietly:
    they have failed already."""
    import traceback
    import zipfile

    frames = failure.__traceback__
    while frames is not None:
        for value in list(frames.tb_frame.f_locals.values()):
            if type(value).__name__ == "WorksheetWriter":
                with suppress(Exception):
                    value.close()
                with suppress(Exception):
                    value.cleanup()
            elif isinstance(value, zipfile.ZipFile):
                with suppress(Exception):
                    value.close()
        frames = frames.tb_next
    traceback.clear_frames(failure.__traceback__)


def _io_reason(failure: Exception) -> str:
    """What lxml's 'IO_ENOSPC' or 'IO_EFBIG' means, as the system says it; lxml's own words where it names no errno."""
    code = getattr(errno, str(failure).removeprefix("IO_"), None)
    return os.strerror(code) if isinstance(code, int) else str(failure)


def _write_sheet(sheet: Worksheet, part: TableSheet, formats: list[str | None]) -> None:
    """The heading (bold, larger) on the first row when there is one, the table under it, a filter when asked."""
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    first_row = 1
    if part.heading is not None:
        _put(sheet, 1, 1, part.heading).font = Font(bold=True, size=13)
        first_row = 2
    frozen = f"{get_column_letter(part.fixed_columns + 1)}{first_row + 1}"
    _write_table(sheet, part.header, part.rows, formats, part.totals, frozen, first_row, part.under_totals)
    if part.filtered:
        sheet.auto_filter.ref = sheet.dimensions  # filter by year, municipality … in Excel


def _write_list(sheet: Worksheet, rows: list[tuple[str, Any, str | None]]) -> None:
    """A bold name and its value on each row, the columns fitted."""
    from openpyxl.styles import Font

    widths = {1: 0, 2: 0}
    for row_number, (name, value, number_format) in enumerate(rows, start=1):
        _put(sheet, row_number, 1, name).font = Font(bold=True)
        _put(sheet, row_number, 2, value, number_format)
        widths[1] = max(widths[1], len(name))
        widths[2] = max(widths[2], len(str(value)))
    _fit_columns(sheet, widths)
