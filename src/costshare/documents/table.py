"""The table a person reads: municipality × budget year with totals, fitted to the terminal, and the
population per year side by side. Plain text cells (no markup), figures never wrapped.
"""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction
from typing import TYPE_CHECKING

from ..words import Lang, label
from ..words.display import NOT_A_MEMBER, currency_symbol, format_amount, format_count, format_percent, period_label, signed

if TYPE_CHECKING:
    from rich.console import JustifyMethod
    from rich.table import Table

    from ..app.view import View
    from ..core.allocate import PeriodAllocation
    from ..core.municipality import Municipality


def selected_periods(view: View, years: tuple[int, ...] | None) -> tuple[PeriodAllocation, ...]:
    """The periods of `years` among those the view shows (None: all it shows)."""
    return tuple(p for p in view.periods if years is None or p.year in years)


def text_table(title: str, columns: list[tuple[str, JustifyMethod]], rows: list[list[str]], totals: list[str]) -> Table:
    """A rich table of plain text (no markup, so a name like "[b]" prints as typed); figures never wrap."""
    from rich.table import Table
    from rich.text import Text

    table = Table(title=Text(title), title_justify="left")
    for header, justify in columns:
        table.add_column(Text(header), justify=justify, no_wrap=True)
    for row in rows:
        table.add_row(*(Text(cell) for cell in row))
    table.add_section()
    table.add_row(*(Text(cell) for cell in totals), style="bold")
    return table


def table_width(table: Table) -> int:
    """Columns needed to print `table` without squeezing a cell: widest cell, padding and borders."""
    from rich.cells import cell_len

    widths = [max([cell_len(str(column.header))] + [cell_len(str(cell)) for cell in column.cells]) for column in table.columns]
    return sum(widths) + 3 * len(widths) + 1


def allocation_table(
    view: View,
    years: tuple[int, ...] | None,
    codes: tuple[str, ...] | None,
    lang: Lang,
    key_columns: bool = True,
    total_column: bool = True,
    total_of_all_years: bool = False,
) -> Table:
    """Municipality × budget year, with population and share for a fixed key (unless `key_columns` is off),
    a total column (unless `total_column` is off), and a totals row for all members."""
    allocation = view.allocation
    periods = selected_periods(view, years)
    fixed = key_columns and allocation.same_key_every_year(periods)
    unit = allocation.unit
    first = periods[0]
    columns: list[tuple[str, JustifyMethod]] = [(label("municipality", lang), "left"), (label("code", lang), "left")]
    if fixed:
        columns += [(label("population_on", lang, year=first.population_year), "right"), (label("share", lang), "right")]
    columns += [(period_label(p.period, lang, p.projected), "right") for p in periods]
    selected_years = view.years if total_of_all_years else tuple(p.year for p in periods)
    if total_column:
        summed = view.whole and set(selected_years) == set(view.years)
        columns.append((label("total" if summed else "total_shown", lang), "right"))
    rows = []
    for code in codes or allocation.codes:
        cells = [allocation.name(code), code]
        if fixed:
            share = first.share_of(code)
            cells += [format_count(share.population, lang), format_percent(share.fraction, lang)]
        cells += [format_amount(p.share_of(code).amount, unit, lang) if p.has(code) else NOT_A_MEMBER for p in periods]
        if total_column:
            cells.append(format_amount(allocation.total_of(code, selected_years), unit, lang))
        rows.append(cells)
    totals = [label("all_members", lang, count=len(allocation.codes)), ""]
    if fixed:
        totals += [format_count(first.population_total, lang), format_percent(Fraction(1), lang)]
    totals += [format_amount(p.cost, unit, lang) for p in periods]
    if total_column:
        totals.append(format_amount(allocation.total(selected_years), unit, lang))
    return text_table(f"{view.alliance} — {currency_symbol(view.currency, lang)}", columns, rows, totals)


def fitting_tables(view: View, codes: tuple[str, ...] | None, lang: Lang, width: int) -> list[Table]:
    """The table as one piece if it fits `width` columns; else without population and share; else the budget
    years in as few side-by-side groups as fit, one table under the other, the total in the last."""
    full = allocation_table(view, None, codes, lang)
    if table_width(full) <= width:
        return [full]
    compact = allocation_table(view, None, codes, lang, key_columns=False)
    if table_width(compact) <= width:
        return [compact]
    years = list(view.years)
    tables: list[Table] = []
    group: list[int] = []
    for index, year in enumerate(years):
        last = index == len(years) - 1
        candidate = allocation_table(view, (*group, year), codes, lang, False, last, total_of_all_years=True)
        if group and table_width(candidate) > width:  # this year starts the next group
            tables.append(allocation_table(view, tuple(group), codes, lang, key_columns=False, total_column=False))
            group = []
            candidate = allocation_table(view, (year,), codes, lang, False, last, total_of_all_years=True)
        group.append(year)
        if last:
            tables.append(candidate)
    return tables


def _change(new: int, old: int, lang: Lang) -> str:
    """'+123 (+0,15 %)': the change and, when there was a figure before, its percentage."""
    delta = signed(new - old, lambda size: format_count(size, lang), zero="+")
    return f"{delta} ({signed(Fraction(new - old, old), lambda size: format_percent(size, lang), zero='+')})" if old else delta


def population_table(
    table: dict[int, dict[str, Municipality]], years: tuple[int, ...], codes: tuple[str, ...], lang: Lang, title: str
) -> Table:
    """Population per year side by side, each year after the first with its change, and totals."""
    names = {code: row.name for year in years for code, row in table[year].items()}  # latest name wins
    columns: list[tuple[str, JustifyMethod]] = [(label("municipality", lang), "left"), (label("code", lang), "left")]
    for index, year in enumerate(years):
        columns.append((str(year), "right"))
        if index:
            columns.append((f"{label('change', lang)} {years[index - 1]}–{year}", "right"))

    def cells(values: Sequence[int | None]) -> list[str]:
        out: list[str] = []
        for index, value in enumerate(values):
            out.append(format_count(value, lang) if value is not None else "–")
            if index:
                previous = values[index - 1]
                out.append(_change(value, previous, lang) if value is not None and previous is not None else "")
        return out

    rows = [[names.get(code, ""), code, *cells([table[y][code].population if code in table[y] else None for y in years])] for code in codes]
    totals = [sum(table[year][code].population for code in codes if code in table[year]) for year in years]
    return text_table(title, columns, rows, [label("total", lang), "", *cells(totals)])
