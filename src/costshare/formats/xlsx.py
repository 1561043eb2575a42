"""The XLSX export: the wide table, the basis it was computed from, and the long data.

Amounts are numeric cells with number formats, so Danish Excel shows 26.150 and sums them;
text is always written as text, so a name like =HYPERLINK(...) can never become a formula.
"""

from __future__ import annotations

import io
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..core.money import display_decimals, to_major
from ..documents.facts import key_lines, key_text, listed_amount, made_line, membership_lines, price_level_line, projection_lines
from ..documents.workbook import comparison_rows, long_rows, wide_rows
from ..words import Lang, label
from ..words.display import percent_fraction

if TYPE_CHECKING:
    from openpyxl.worksheet.worksheet import Worksheet

    from ..app.compare import Comparison
    from ..app.view import View

WHOLE = "#,##0"
ORE = "#,##0.00"
PERCENT = "0.00%"
DATE = "yyyy-mm-dd"


def _amount_format(unit: int) -> str:
    """Øre shown only when the rounding unit is øre, as in every other output."""
    return ORE if display_decimals(unit) else WHOLE


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
    sheet: Worksheet, header: list[str], rows: list[list[Any]], formats: list[str | None], totals: bool, frozen: str, first_row: int = 1
) -> None:
    """Header on `first_row`, the rows under it (the last one bold when `totals`), columns fitted."""
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
        is_total = totals and row_number == len(rows) + first_row
        for column, value in enumerate(row, start=1):
            cell = _put(sheet, row_number, column, value, formats[column - 1])
            if is_total:
                cell.font = bold
            shown = f"{value:,.2f}" if isinstance(value, Decimal) and formats[column - 1] == ORE else str(value)
            widths[column] = max(widths[column], len(shown) + len(shown) // 3)
    sheet.freeze_panes = frozen
    _fit_columns(sheet, widths)


def _print_setup(sheet: Worksheet, generated_by: str, lang: Lang, title_rows: str | None, landscape: bool = True) -> None:
    """A4, one page wide, the header repeated on every printed page, and a footer with the page number."""
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.orientation = "landscape" if landscape else "portrait"
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0  # as many pages down as it takes
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    if title_rows:
        sheet.print_title_rows = title_rows
    sheet.oddFooter.left.text = generated_by
    sheet.oddFooter.right.text = label("page_of", lang)


def _basis_rows(view: View, lang: Lang, generated_at: datetime) -> list[tuple[str, Any, str | None]]:
    allocation = view.allocation
    sources = view.sources
    amount_format = _amount_format(allocation.unit)
    rows: list[tuple[str, Any, str | None]] = [
        (label("alliance", lang), view.alliance, None),
        (label("agreement_start", lang), view.agreement.start, None),
        (label("agreement_end", lang), view.agreement.end, None),
        (label("currency", lang), view.currency, None),
    ]
    listed = [(item.label, *listed_amount(item)) for item in allocation.items]
    rows += [
        (
            f"{label('one_off_item', lang, year=year) if year is not None else label('cost_item', lang)}: {name}",
            to_major(amount),
            amount_format,
        )
        for name, amount, year in listed
    ]
    rows.append((label("population_source", lang), sources.population_source or "", None))
    basis = label("basis_fixed", lang, year=view.key_year) if allocation.basis == "fixed" else key_text(allocation, lang)
    rows.append((label("population_basis", lang), basis, None))
    totals = {p.population_year: p.population_total for p in allocation.periods}
    total_key = "population_total_paying" if view.changes else "population_total_on"  # a leaving member is not in a later year's total
    rows += [(label(total_key, lang, year=year), total, WHOLE) for year, total in sorted(totals.items())]
    rows.append((label("agreement_total", lang), to_major(allocation.total()), amount_format))
    price_level = price_level_line(allocation, lang)
    rows += [(label("pl_rates", lang), price_level, None)] if price_level else []
    rows += [(label("membership", lang), line, None) for line in membership_lines(view, lang)]
    rows += [(label("key_name", lang), line, None) for line in key_lines(view, lang)]
    rows += [(label("word_projected", lang), line, None) for line in projection_lines(view, lang, generated_at.date())]
    rows.append((label("made", lang), made_line(view, lang, generated_at.date()), None))
    rows += [
        (label("method_name", lang), label("method_text", lang), None),
        (label("tie_rule", lang), label("tie_rule_text", lang), None),
        (label("period_rounding", lang), label("period_rounding_text", lang), None),
        (label("rounding_unit", lang), view.rounding_unit, amount_format),
        (label("version", lang), sources.generated_by, None),
        (label("config_file", lang), Path(sources.config_file).name, None),
        (label("config_sha256", lang), sources.config_sha256, None),
        (label("population_file", lang), Path(sources.population_file).name, None),
        (label("population_sha256", lang), sources.population_sha256, None),
        (label("generated_at", lang), generated_at.strftime("%Y-%m-%d %H:%M:%S"), None),
    ]
    rows += [(label("notes", lang), note, None) for note in view.notes]
    return rows


def xlsx_bytes(view: View, lang: Lang, generated_at: datetime) -> bytes:
    """The workbook as bytes: Fordeling/Allocation, Grundlag/Basis and Data sheets."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    allocation = view.allocation
    generated_by = view.sources.generated_by
    amount = _amount_format(allocation.unit)
    workbook = Workbook()
    workbook.properties.creator = generated_by
    workbook.properties.created = workbook.properties.modified = generated_at.replace(tzinfo=None)

    wide = workbook.active
    wide.title = label("sheet_allocation", lang)
    header, rows = wide_rows(view, lang)
    fixed = allocation.same_key_every_year(view.periods)
    formats = [None, None] + ([WHOLE, PERCENT] if fixed else []) + [amount] * (len(view.periods) + 1)
    price_level = (
        label("price_level_indexed", lang, base=allocation.indexation.base_year)
        if allocation.indexed and allocation.indexation
        else label("price_level_fixed", lang)
    )
    title = label("workbook_title", lang, alliance=view.alliance, price_level=price_level, date=generated_at.date().isoformat())
    _put(wide, 1, 1, title).font = Font(bold=True, size=13)
    _write_table(wide, header, rows, formats, totals=True, frozen="C3", first_row=2)
    _print_setup(wide, generated_by, lang, title_rows="1:2")

    basis = workbook.create_sheet(label("sheet_basis", lang))
    widths = {1: 0, 2: 0}
    for row_number, (name, value, number_format) in enumerate(_basis_rows(view, lang, generated_at), start=1):
        _put(basis, row_number, 1, name).font = Font(bold=True)
        _put(basis, row_number, 2, value, number_format)
        widths[1] = max(widths[1], len(name))
        widths[2] = max(widths[2], len(str(value)))
    _fit_columns(basis, widths)

    data = workbook.create_sheet(label("sheet_data", lang))
    header, rows = long_rows(view, lang)
    _write_table(data, header, rows, [None, None, None, None, None, None, None, WHOLE, PERCENT, amount, None], totals=False, frozen="A2")
    data.auto_filter.ref = data.dimensions  # filter by year, municipality … in Excel
    _print_setup(data, generated_by, lang, title_rows="1:1")
    _print_setup(basis, generated_by, lang, title_rows=None, landscape=False)

    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def comparison_xlsx(comparison: Comparison, lang: Lang, generated_at: datetime) -> bytes:
    """The comparison as one sheet: amounts as numbers, the difference in percent as a percent cell."""
    from openpyxl import Workbook

    generated_by = comparison.base.generated_by
    header, rows = comparison_rows(comparison, lang)
    percents = [row.percent for row in comparison.rows] + [comparison.totals.percent]
    for row, percent in zip(rows, percents, strict=True):  # a fraction, shown by the cell's percent format
        row[6] = None if percent is None else percent_fraction(percent)
    workbook = Workbook()
    workbook.properties.creator = generated_by
    workbook.properties.created = workbook.properties.modified = generated_at.replace(tzinfo=None)
    sheet = workbook.active
    sheet.title = label("compare_difference", lang)
    amount = _amount_format(comparison.unit)
    _write_table(sheet, header, rows, [None, None, None, amount, amount, amount, PERCENT], totals=True, frozen="D2")
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
