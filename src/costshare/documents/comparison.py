"""The what-if comparison: each municipality's amount per budget year under two configs and the difference, as a
table on screen, rows for a CSV file, a record for JSON and a sheet for a workbook."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from fractions import Fraction
from typing import TYPE_CHECKING, Any

from ..core.money import display_decimals
from ..words import Lang, label
from ..words.display import (
    NOT_A_MEMBER,
    amount_decimal,
    format_money,
    format_percent,
    month_span,
    noted_year,
    percent_fraction,
    percent_number,
    signed,
)
from .table import Justify, TextTable
from .workbook import Kind, TableSheet, Workbook

if TYPE_CHECKING:
    from ..app.compare import Amounts, Comparison, ComparisonRow


def comparison_table(comparison: Comparison, lang: Lang) -> TextTable:
    """Municipality × budget year: base, other, difference in kroner and percent; '–' where one side has no amount."""
    unit, currency = comparison.unit, comparison.currency
    title = label("compare_title", lang, base=comparison.alliance, other=comparison.other.config_file)
    columns: list[tuple[str, Justify]] = [
        (label("municipality", lang), "left"),
        (label("code", lang), "left"),
        (label("budget_year", lang), "left"),
        (label("compare_base", lang), "right"),
        (label("compare_other", lang), "right"),
        (label("compare_difference", lang), "right"),
        (label("compare_difference_percent", lang), "right"),
    ]

    def cells(amounts: Amounts) -> list[str]:
        base, other, percent = amounts.base, amounts.other, amounts.percent
        return [
            NOT_A_MEMBER if base is None else format_money(base, unit, lang, currency),
            NOT_A_MEMBER if other is None else format_money(other, unit, lang, currency),
            signed(amounts.difference, lambda size: format_money(size, unit, lang, currency)),
            NOT_A_MEMBER if percent is None else signed(percent, lambda size: format_percent(size, lang)),
        ]

    rows = [[row.municipality, row.code, marked_year(row, lang), *cells(row)] for row in comparison.rows]
    return TextTable(title, columns, rows, [label("total", lang), "", "", *cells(comparison.totals)])


def marked_year(row: ComparisonRow, lang: Lang) -> str:
    """The budget year as the other documents head it ('2023 (jul–dec)', '2027 (foreløbig)'), said of both sides:
    where the two configs' periods of the year differ, each side's months ('2028 (jan–jun i grundlaget, jan–dec i
    alternativet)'); where one side's amount alone is provisional, that side ('2027 (foreløbig i grundlaget)')."""
    return noted_year(row.year, _months(row, lang) + _provisional_mark(row, lang))


def _months(row: ComparisonRow, lang: Lang) -> list[str]:
    """The year's months where a part year under either config: once where both configs cover the same months (or
    one config alone has the year), else each side's."""
    periods = [(period, key) for period, key in ((row.base_period, "compare_months_base"), (row.other_period, "compare_months_other"))
               if period is not None]  # fmt: skip
    if len(periods) == 2 and periods[0][0] != periods[1][0]:
        return [label(key, lang, months=month_span(period, lang)) for period, key in periods]
    return [month_span(period, lang) for period, _ in periods[:1] if not period.is_full_year]


def _provisional_mark(row: ComparisonRow, lang: Lang) -> list[str]:
    """'foreløbig' where every amount shown is provisional; else the side whose amount is; nothing where none is."""
    sides = [(projected, key) for amount, projected, key in ((row.base, row.base_projected, "compare_projected_base"),
                                                             (row.other, row.other_projected, "compare_projected_other"))
             if amount is not None]  # fmt: skip
    marked = [key for projected, key in sides if projected]
    if not marked:
        return []
    return [label("word_projected" if len(marked) == len(sides) else marked[0], lang)]


def _provisional(projected: bool, amount: int | None, lang: Lang) -> str | None:
    """Whether a side's amount is provisional, as the files say it: ja or nej, nothing where it has no amount."""
    return None if amount is None else label("word_yes" if projected else "word_no", lang)


def comparison_lines(comparison: Comparison, lang: Lang) -> list[str]:
    """How much of each total is provisional (where any is), which file is which, and what the other config changes."""
    base_role, other_role = label("compare_base", lang), label("compare_other", lang)
    provisional = comparison.provisional
    lines = []
    if provisional.base or provisional.other:
        base, other = (
            format_money(amount or 0, comparison.unit, lang, comparison.currency) for amount in (provisional.base, provisional.other)
        )
        lines.append(label("compare_of_which_provisional", lang, base=base, other=other))
    lines += [
        label("compare_config", lang, role=base_role, file=comparison.base.config_file),
        label("compare_config", lang, role=other_role, file=comparison.other.config_file),
    ]
    if comparison.differs_in:
        aspects = ", ".join(label(f"aspect_{aspect}", lang) for aspect in comparison.differs_in)
        lines.append(label("compare_differs_in", lang, role=other_role, aspects=aspects))
    else:
        lines.append(label("compare_same", lang))
    return lines


def comparison_rows(comparison: Comparison, lang: Lang) -> tuple[list[str], list[list[Any]]]:
    """The comparison for files: a row per municipality and budget year, whether each side's amount is provisional, and a
    totals row; empty where a side has no amount. Where either side has a provisional year, a row under the totals
    row says how much of each side's total is provisional, and the difference of the two."""
    unit = comparison.unit
    keys = ("year", "code", "municipality", "compare_base", "compare_other", "compare_difference", "compare_difference_percent",
            "compare_projected_base_column", "compare_projected_other_column")  # fmt: skip
    header = [label(key, lang) for key in keys]

    def money(minor: int | None) -> Decimal | None:
        return None if minor is None else amount_decimal(minor, unit)

    def percent(value: Fraction | None) -> Decimal | None:
        return None if value is None else percent_number(value)

    rows: list[list[Any]] = [
        [row.year, row.code, row.municipality, money(row.base), money(row.other), money(row.difference), percent(row.percent),
         _provisional(row.base_projected, row.base, lang), _provisional(row.other_projected, row.other, lang)]
        for row in comparison.rows
    ]  # fmt: skip
    totals = comparison.totals
    rows.append(["", "", label("total", lang), money(totals.base), money(totals.other), money(totals.difference), percent(totals.percent),
                 None, None])  # fmt: skip
    provisional = comparison.provisional
    if provisional.base or provisional.other:
        rows.append(["", "", label("of_which_provisional_column", lang), money(provisional.base), money(provisional.other),
                     money(provisional.difference), None, None, None])  # fmt: skip
    return header, rows


def comparison_record(comparison: Comparison) -> dict[str, Any]:
    """The comparison for other programs: both configs by their checksums, and every row's amounts in currency units
    with whether each side's is provisional (null where that side has none); the totals, and how much of each is
    provisional (`projected`, 0 where no year is)."""
    unit = comparison.unit
    base, other = comparison.base, comparison.other
    provisional = comparison.provisional
    return {
        "generated_by": base.generated_by,
        "base": {"config": base.config_file, "config_sha256": base.config_sha256, "population_sha256": base.population_sha256},
        "other": {"config": other.config_file, "config_sha256": other.config_sha256, "population_sha256": other.population_sha256},
        "differs_in": list(comparison.differs_in),
        "rows": [
            {
                "year": row.year,
                "code": row.code,
                "municipality": row.municipality,
                "base": None if row.base is None else amount_decimal(row.base, unit),
                "other": None if row.other is None else amount_decimal(row.other, unit),
                "difference": amount_decimal(row.difference, unit),
                "difference_percent": None if row.percent is None else percent_number(row.percent),
                "base_projected": None if row.base is None else row.base_projected,
                "other_projected": None if row.other is None else row.other_projected,
            }
            for row in comparison.rows
        ],
        "totals": {
            "base": amount_decimal(comparison.total("base"), unit),
            "other": amount_decimal(comparison.total("other"), unit),
            "projected": {
                "base": amount_decimal(provisional.base or 0, unit),
                "other": amount_decimal(provisional.other or 0, unit),
                "difference": amount_decimal(provisional.difference, unit),
            },
        },
    }


def comparison_workbook(comparison: Comparison, lang: Lang, generated_at: datetime) -> Workbook:
    """The comparison as one sheet: amounts as numbers, the difference in percent as a fraction a percent cell shows;
    the totals row bold, and under it how much is provisional where any year is."""
    header, rows = comparison_rows(comparison, lang)
    percents = [row.percent for row in comparison.rows] + [comparison.totals.percent]
    for row, percent in zip(rows[: len(percents)], percents, strict=True):  # the provisional row under the totals has none
        row[6] = None if percent is None else percent_fraction(percent)
    kinds: list[Kind] = ["plain", "plain", "plain", "amount", "amount", "amount", "percent", "plain", "plain"]
    under = len(rows) - len(percents)
    sheet = TableSheet(label("compare_difference", lang), header, rows, kinds, totals=True, fixed_columns=3, under_totals=under)
    return Workbook(comparison.base.generated_by, generated_at, display_decimals(comparison.unit), [sheet])
