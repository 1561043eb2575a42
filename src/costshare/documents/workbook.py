"""The rows of the split as typed values (exact Decimals, dates, text), shared by the CSV, XLSX and HTML writers.

Each layout is built once here; a writer only decides how a cell is written.
"""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from typing import TYPE_CHECKING, Any

from ..words import Lang, label
from ..words.display import amount_decimal, percent_number, period_label, share_decimal
from .facts import total_label

if TYPE_CHECKING:
    from ..app.compare import Comparison
    from ..app.view import View

Row = list[Any]


def wide_rows(view: View, lang: Lang) -> tuple[list[str], list[list[Any]]]:
    """Header and rows, one per municipality plus a totals row: the layout people read."""
    allocation = view.allocation
    unit = allocation.unit
    fixed = allocation.same_key_every_year(view.periods)
    header = [label("code", lang), label("municipality", lang)]
    if fixed:
        header += [label("population", lang), label("share", lang)]
    periods, years = view.periods, view.years
    header += [period_label(p.period, lang, p.projected) for p in periods] + [total_label(view, lang)]
    rows: list[list[Any]] = []
    first = periods[0]
    for code in allocation.codes:
        row: list[Any] = [code, allocation.name(code)]
        if fixed:
            share = first.share_of(code)
            row += [share.population, share_decimal(share.fraction)]
        row += [amount_decimal(p.share_of(code).amount, unit) if p.has(code) else None for p in periods]
        rows.append(row + [amount_decimal(allocation.total_of(code, years), unit)])
    totals: list[Any] = ["", label("total", lang)]
    if fixed:
        totals += [first.population_total, Decimal(1)]
    totals += [amount_decimal(p.cost, unit) for p in periods]
    rows.append(totals + [amount_decimal(allocation.total(years), unit)])
    return header, rows


def long_rows(view: View, lang: Lang) -> tuple[list[str], list[list[Any]]]:
    """One row per budget year and municipality, with the period's dates: the layout pivot tables want."""
    allocation = view.allocation
    keys = ("year", "start", "end", "months", "code", "municipality", "population_year", "population", "share", "amount", "projected")
    header = [label(key, lang) for key in keys]
    rows: list[list[Any]] = []
    for period in view.periods:
        for share in period.shares:
            rows.append(
                [
                    period.year,
                    period.period.start,
                    period.period.end,
                    period.period.months,
                    share.code,
                    share.municipality,
                    period.population_year,
                    share.population,
                    share_decimal(share.fraction),
                    amount_decimal(share.amount, allocation.unit),
                    label("word_yes" if period.projected else "word_no", lang),
                ]
            )
    return header, rows


def comparison_rows(comparison: Comparison, lang: Lang) -> tuple[list[str], list[list[Any]]]:
    """The comparison for files: a row per municipality and budget year, and a totals row; empty where a side has no amount."""
    unit = comparison.unit
    header = [label(key, lang) for key in ("year", "code", "municipality", "compare_base", "compare_other", "compare_difference")]
    header.append(label("compare_difference_percent", lang))

    def money(minor: int | None) -> Decimal | None:
        return None if minor is None else amount_decimal(minor, unit)

    def percent(value: Fraction | None) -> Decimal | None:
        return None if value is None else percent_number(value)

    rows: list[list[Any]] = [
        [row.year, row.code, row.municipality, money(row.base), money(row.other), money(row.difference), percent(row.percent)]
        for row in comparison.rows
    ]
    totals = comparison.totals
    rows.append(["", "", label("total", lang), money(totals.base), money(totals.other), money(totals.difference), percent(totals.percent)])
    return header, rows
