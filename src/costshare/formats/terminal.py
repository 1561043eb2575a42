"""The screen: a document's text table drawn with rich, plain text cells (no markup, so a name like "[b]" prints
as typed), figures never wrapped, and the split's table fitted to the terminal's width.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..documents.table import allocation_table

if TYPE_CHECKING:
    from rich.table import Table

    from ..app.view import View
    from ..documents.table import TextTable
    from ..words import Lang


def rich_table(table: TextTable) -> Table:
    """A rich table of plain text (no markup); figures never wrap; the totals row bold under a rule, and what it says more under it."""
    from rich.table import Table
    from rich.text import Text

    drawn = Table(title=Text(table.title), title_justify="left")
    for header, justify in table.columns:
        drawn.add_column(Text(header), justify=justify, no_wrap=True)
    for row in table.rows:
        drawn.add_row(*(Text(cell) for cell in row))
    drawn.add_section()
    drawn.add_row(*(Text(cell) for cell in table.totals), style="bold")
    for row in table.below:
        drawn.add_row(*(Text(cell) for cell in row))
    return drawn


def table_width(table: Table) -> int:
    """Columns needed to print `table` without squeezing a cell: widest cell, padding and borders."""
    from rich.cells import cell_len

    widths = [max([cell_len(str(column.header))] + [cell_len(str(cell)) for cell in column.cells]) for column in table.columns]
    return sum(widths) + 3 * len(widths) + 1


def fitting_tables(view: View, codes: tuple[str, ...] | None, lang: Lang, width: int, items: bool = False) -> list[Table]:
    """The table as one piece if it fits `width` columns; else without population and share; else the budget
    years in as few side-by-side groups as fit, one table under the other, the total in the last. With `items`, a
    line per cost item under each member and under the totals."""

    def allocation(years: tuple[int, ...] | None, key_columns: bool = True, total_column: bool = True, all_years: bool = False) -> Table:
        return rich_table(allocation_table(view, years, codes, lang, key_columns, total_column, total_of_all_years=all_years, items=items))

    full = allocation(None)
    if table_width(full) <= width:
        return [full]
    compact = allocation(None, key_columns=False)
    if table_width(compact) <= width:
        return [compact]
    years = list(view.years)
    tables: list[Table] = []
    group: list[int] = []
    for index, year in enumerate(years):
        last = index == len(years) - 1
        candidate = allocation((*group, year), False, last, all_years=True)
        if group and table_width(candidate) > width:  # this year starts the next group
            tables.append(allocation(tuple(group), key_columns=False, total_column=False))
            group = []
            candidate = allocation((year,), False, last, all_years=True)
        group.append(year)
        if last:
            tables.append(candidate)
    return tables
