"""The table a person reads: municipality × budget year with totals, and the population per year side by side,
as plain text cells (no markup) with each column's alignment; formats/terminal.py draws them on the screen.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from typing import TYPE_CHECKING, Literal

from ..core.item_amounts import item_sum, running_items
from ..words import Lang, label
from ..words.display import NOT_A_MEMBER, currency_symbol, format_amount, format_count, format_percent, signed, year_label
from .facts import paying_cells, totals_label

if TYPE_CHECKING:
    from ..app.view import View
    from ..core.allocate import PeriodAllocation
    from ..core.items import CostItem
    from ..core.municipality import Municipality

Justify = Literal["left", "right"]


@dataclass(frozen=True)
class TextTable:
    """A table of text: a title, columns (heading and alignment), rows and a totals row under a rule, and any rows
    that say more of the totals under it."""

    title: str
    columns: list[tuple[str, Justify]]
    rows: list[list[str]]
    totals: list[str]
    below: list[list[str]] = field(default_factory=list)  # rows under the totals row: who pays each year, each item's cost


def selected_periods(view: View, years: tuple[int, ...] | None) -> tuple[PeriodAllocation, ...]:
    """The periods of `years` among those the view shows (None: all it shows)."""
    return tuple(p for p in view.periods if years is None or p.year in years)


def allocation_table(
    view: View,
    years: tuple[int, ...] | None,
    codes: tuple[str, ...] | None,
    lang: Lang,
    key_columns: bool = True,
    total_column: bool = True,
    total_of_all_years: bool = False,
    items: bool = False,
) -> TextTable:
    """Municipality × budget year, with population and share for a fixed key (unless `key_columns` is off),
    a total column (unless `total_column` is off) and how much of it is provisional where any year it sums is, and a
    totals row for all members with how many pay each year; with `items`, a line per cost item under each member and
    under the totals row."""
    allocation = view.allocation
    periods = selected_periods(view, years)
    fixed = key_columns and allocation.same_key_every_year(periods)
    unit, first = allocation.unit, periods[0]
    summed: tuple[int, ...] | None = None  # the years the total column sums; None: no total column
    if total_column:
        summed = view.years if total_of_all_years else tuple(p.year for p in periods)
    listed = running_items(allocation.items, [p.item_amounts for p in periods]) if items else ()
    provisional = allocation.projected_years(summed) if summed is not None else ()
    sums = [] if summed is None else [summed, provisional] if provisional else [summed]  # the total, and how much is provisional
    rows = []
    for code in codes or allocation.codes:
        cells = [allocation.name(code), code]
        if fixed:
            share = first.share_of(code)
            cells += [format_count(share.population, lang), format_percent(share.fraction, lang)]
        cells += [format_amount(p.share_of(code).amount, unit, lang) if p.has(code) else NOT_A_MEMBER for p in periods]
        rows.append(cells + [format_amount(allocation.total_of(code, chosen), unit, lang) for chosen in sums])
        rows += [_item_cells(view, item, code, periods, fixed, sums, lang) for item in listed]
    totals = [totals_label(periods, lang), ""]
    if fixed:
        totals += [format_count(first.population_total, lang), format_percent(Fraction(1), lang)]
    totals += [format_amount(p.cost, unit, lang) for p in periods]
    totals += [format_amount(allocation.total(chosen), unit, lang) for chosen in sums]
    paying = paying_cells(periods, lang)
    below = [] if paying is None else [[label("paying_members", lang), "", *[""] * (len(totals) - 2 - len(periods) - len(sums)),
                                        *paying, *[""] * len(sums)]]  # fmt: skip
    below += [_item_cells(view, item, None, periods, fixed, sums, lang) for item in listed]
    columns = _columns(view, periods, fixed, summed, lang) + [(label("of_which_provisional_column", lang), "right")] * (len(sums) - 1)
    return TextTable(f"{view.alliance} — {currency_symbol(view.currency, lang)}", columns, rows, totals, below)


def _item_cells(
    view: View,
    item: CostItem,
    code: str | None,
    periods: tuple[PeriodAllocation, ...],
    fixed: bool,
    sums: list[tuple[int, ...]],
    lang: Lang,
) -> list[str]:
    """An item's line: a member's amount of it each year (`code`), or its cost (None), and its total over each of the
    `sums` years (the total, and its provisional part); blank in a year it does not run in, the member does not pay
    in, or that was decided as a total only."""

    def amount(found: int | None) -> str:
        return "" if found is None else format_amount(found, view.unit, lang)

    cells = [f"  {item.label}", "", *(["", ""] if fixed else [])]
    cells += [amount(item_sum([p.item_amounts], item, code)) for p in periods]
    cells += [amount(item_sum([p.item_amounts for p in view.periods if p.year in chosen], item, code)) for chosen in sums]
    return cells


def _columns(
    view: View, periods: tuple[PeriodAllocation, ...], fixed: bool, summed: tuple[int, ...] | None, lang: Lang
) -> list[tuple[str, Justify]]:
    """Municipality and code; population and share where the key is fixed; the budget years; and the total of the
    `summed` years (None: no total column), headed as the agreement's total only when they are all its years."""
    columns: list[tuple[str, Justify]] = [(label("municipality", lang), "left"), (label("code", lang), "left")]
    if fixed:
        columns += [(label("population_on", lang, year=periods[0].population_year), "right"), (label("share", lang), "right")]
    columns += [(year_label(p, lang), "right") for p in periods]
    if summed is not None:
        whole = view.whole and set(summed) == set(view.years)
        columns.append((label("total" if whole else "total_shown", lang), "right"))
    return columns


def _change(new: int, old: int, lang: Lang) -> str:
    """'+123 (+0,15 %)': the change and, when there was a figure before, its percentage."""
    delta = signed(new - old, lambda size: format_count(size, lang), zero="+")
    return f"{delta} ({signed(Fraction(new - old, old), lambda size: format_percent(size, lang), zero='+')})" if old else delta


def population_table(
    table: dict[int, dict[str, Municipality]], years: tuple[int, ...], codes: tuple[str, ...], lang: Lang, title: str
) -> TextTable:
    """Population per year side by side, each year after the first with its change, and totals."""
    names = {code: row.name for year in years for code, row in table[year].items()}  # latest name wins
    columns: list[tuple[str, Justify]] = [(label("municipality", lang), "left"), (label("code", lang), "left")]
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
    return TextTable(title, columns, rows, [label("total", lang), "", *cells(totals)])
