"""The workbook: its sheets as typed values (exact Decimals, dates, text) with each column's kind, so a spreadsheet
shows amounts as numbers it can sum. The split's two layouts (wide: a column per year; long: a row per year and
member) are also what the CSV export writes; formats/xlsx.py and formats/csv.py only decide how a cell is written.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from ..core.item_amounts import item_sum
from ..core.items import is_shared
from ..core.money import display_decimals, to_major
from ..words import Lang, label
from ..words.display import amount_decimal, share_decimal, year_label
from .facts import key_lines, key_text, made_line, membership_lines, paying_counts, price_level_line, projection_lines, total_label
from .items import broken_down, item_key_text, listed_amount, listed_text
from .listing import listed, status_word

if TYPE_CHECKING:
    from ..app.view import View

Kind = Literal["plain", "count", "percent", "amount"]  # how a column's numbers show: as they are, 26.150, 3,58 %, kroner


@dataclass(frozen=True)
class Printing:
    """How a sheet prints: A4 across (or upright), one page wide, and a footer left and right."""

    footer_left: str
    footer_right: str
    landscape: bool = True


@dataclass(frozen=True)
class TableSheet:
    """A header and rows under an optional heading; the last row a totals row when `totals` (or the last but
    `under_totals`: rows that say more of the total, such as how much of it is provisional); the first
    `fixed_columns` columns (those that name a row) and the header stay in view when scrolling."""

    title: str
    header: list[str]
    rows: list[list[Any]]
    kinds: list[Kind]
    totals: bool
    fixed_columns: int
    heading: str | None = None
    filtered: bool = False  # a filter on every column
    printing: Printing | None = None
    under_totals: int = 0


@dataclass(frozen=True)
class ListSheet:
    """One name and one value per row."""

    title: str
    rows: list[tuple[str, Any, Kind]]
    printing: Printing | None = None


@dataclass(frozen=True)
class Workbook:
    """The sheets, who made them and when; amounts show øre only when the rounding unit is øre."""

    author: str
    created: datetime
    amount_decimals: int
    sheets: list[TableSheet | ListSheet] = field(default_factory=list)


def split_workbook(view: View, lang: Lang, generated_at: datetime) -> Workbook:
    """The split's workbook: Fordeling/Allocation (the wide table under a title), Grundlag/Basis and Data (the long rows)."""
    allocation = view.allocation
    printing = Printing(view.sources.generated_by, label("page_of", lang))
    header, rows = wide_rows(view, lang)
    fixed = allocation.same_key_every_year(view.periods)
    key: list[Kind] = ["count", "percent"] if fixed else []
    amounts: list[Kind] = ["amount"] * (len(header) - 2 - len(key))
    price_level = (
        label("price_level_indexed", lang, base=allocation.indexation.base_year)
        if allocation.indexed and allocation.indexation
        else label("price_level_fixed", lang)
    )
    title = label("workbook_title", lang, alliance=view.alliance, price_level=price_level, date=generated_at.date().isoformat())
    wide = TableSheet(
        label("sheet_allocation", lang),
        header,
        rows,
        ["plain", "plain", *key, *amounts],
        totals=True,
        fixed_columns=2,
        heading=title,
        printing=printing,
        under_totals=int(len(set(paying_counts(view.periods))) > 1),  # the row of how many pay, under the totals
    )
    upright = Printing(printing.footer_left, printing.footer_right, landscape=False)
    basis = ListSheet(label("sheet_basis", lang), basis_rows(view, lang, generated_at), upright)
    header, rows = long_rows(view, lang)
    items: list[Kind] = ["amount"] * len(broken_down(view))
    data_kinds: list[Kind] = ["plain", "plain", "plain", "plain", "plain", "plain", "plain", "count", "percent", "amount", *items, "plain"]
    data = TableSheet(label("sheet_data", lang), header, rows, data_kinds, totals=False, fixed_columns=0, filtered=True, printing=printing)
    invoices = invoices_sheet(view, lang)
    sheets: list[TableSheet | ListSheet] = [wide, basis, data] if invoices is None else [wide, basis, data, invoices]
    return Workbook(view.sources.generated_by, generated_at, display_decimals(allocation.unit), sheets)


def basis_rows(view: View, lang: Lang, generated_at: datetime) -> list[tuple[str, Any, Kind]]:
    """What the split was computed from: the agreement, the costs, the population and its source, the method, the files."""
    allocation = view.allocation
    sources = view.sources
    rows: list[tuple[str, Any, Kind]] = [
        (label("alliance", lang), view.alliance, "plain"),
        (label("agreement_start", lang), view.agreement.start, "plain"),
        (label("agreement_end", lang), view.agreement.end, "plain"),
        (label("currency", lang), view.currency, "plain"),
    ]
    for item in allocation.items:  # a rate item has no amount of its own: its rate in words
        amount, year = listed_amount(item)
        heading = f"{label('one_off_item', lang, year=year) if year is not None else label('cost_item', lang)}: {item.label}"
        rows.append((heading, to_major(amount), "amount") if is_shared(item) else (heading, listed_text(view, item, lang), "plain"))
    rows.append((label("population_source", lang), sources.population_source or "", "plain"))
    basis = label("basis_fixed", lang, year=view.key_year) if allocation.basis == "fixed" else key_text(allocation, lang)
    rows.append((label("population_basis", lang), basis, "plain"))
    totals = {p.population_year: p.population_total for p in allocation.keyed_periods}
    total_key = "population_total_paying" if view.changes else "population_total_on"  # a leaving member is not in a later year's total
    rows += [(label(total_key, lang, year=year), total, "count") for year, total in sorted(totals.items())]
    rows.append((label("agreement_total", lang), to_major(allocation.total()), "amount"))
    provisional = allocation.projected_years()
    rows += [(label("of_which_provisional_column", lang), to_major(allocation.total(provisional)), "amount")] if provisional else []
    price_level = price_level_line(allocation, lang)
    rows += [(label("pl_rates", lang), price_level, "plain")] if price_level else []
    rows += [(label("membership", lang), line, "plain") for line in membership_lines(view, lang)]
    rows += [(label("key_name", lang), line, "plain") for line in key_lines(view, lang)]
    rows += [(label("word_projected", lang), line, "plain") for line in projection_lines(view, lang, generated_at.date())]
    rows.append((label("made", lang), made_line(view, lang, generated_at.date()), "plain"))
    rows += method_rows(view, lang, generated_at)
    rows += [(label("notes", lang), note, "plain") for note in view.notes]
    return rows


def method_rows(view: View, lang: Lang, generated_at: datetime) -> list[tuple[str, Any, Kind]]:
    """The method, its tie rule and rounding, and what the split was made by and from: version, files and checksums, time."""
    sources = view.sources
    return [
        (label("method_name", lang), label("method_text", lang), "plain"),
        (label("tie_rule", lang), label("tie_rule_text", lang), "plain"),
        (label("period_rounding", lang), label("period_rounding_text", lang), "plain"),
        (label("rounding_unit", lang), view.rounding_unit, "amount"),
        (label("version", lang), sources.generated_by, "plain"),
        (label("config_file", lang), Path(sources.config_file).name, "plain"),
        (label("config_sha256", lang), sources.config_sha256, "plain"),
        (label("population_file", lang), Path(sources.population_file).name, "plain"),
        (label("population_sha256", lang), sources.population_sha256, "plain"),
        (label("generated_at", lang), generated_at.strftime("%Y-%m-%d %H:%M:%S"), "plain"),
    ]


def wide_rows(view: View, lang: Lang) -> tuple[list[str], list[list[Any]]]:
    """Header and rows, one per municipality plus a totals row: the layout people read; beside each total, how much
    of it is provisional where any year summed is. Where there are several cost items, each item's total over the
    years shown follows (blank where a year shown was decided as a total)."""
    allocation = view.allocation
    unit = allocation.unit
    fixed = allocation.same_key_every_year(view.periods)
    header = [label("code", lang), label("municipality", lang)]
    if fixed:
        header += [label("population", lang), label("share", lang)]
    periods, years, items = view.periods, view.years, broken_down(view)
    provisional = allocation.projected_years(years)
    sums = [years, provisional] if provisional else [years]  # the total, and how much of it is provisional where any is
    header += [year_label(p, lang) for p in periods] + [total_label(view, lang)]
    header += [label("of_which_provisional_column", lang)] if provisional else []
    header += [item.label for item in items]
    found = [p.item_amounts for p in periods] if items else []
    rows: list[list[Any]] = []
    first = periods[0]
    for code in allocation.codes:
        row: list[Any] = [code, allocation.name(code)]
        if fixed:
            share = first.share_of(code)
            row += [share.population, share_decimal(share.fraction)]
        row += [amount_decimal(p.share_of(code).amount, unit) if p.has(code) else None for p in periods]
        row += [amount_decimal(allocation.total_of(code, chosen), unit) for chosen in sums]
        rows.append(row + [_amount(item_sum(found, item, code), unit) for item in items])
    totals: list[Any] = ["", label("total", lang)]
    if fixed:
        totals += [first.population_total, Decimal(1)]
    totals += [amount_decimal(p.cost, unit) for p in periods]
    totals += [amount_decimal(allocation.total(chosen), unit) for chosen in sums]
    rows.append(totals + [_amount(item_sum(found, item), unit) for item in items])
    counts = paying_counts(periods)
    if len(set(counts)) > 1:  # "I alt" cannot say how many pay: a row under it says so, year by year
        rows.append(["", label("paying_members", lang), *([None, None] if fixed else []), *counts, *[None] * (len(sums) + len(items))])
    return header, rows


def _amount(minor: int | None, unit: int) -> Decimal | None:
    return None if minor is None else amount_decimal(minor, unit)


def long_rows(view: View, lang: Lang) -> tuple[list[str], list[list[Any]]]:
    """One row per budget year and municipality, with the period's dates: the layout pivot tables want. Where there are
    several cost items, the member's amount of each follows its amount, headed by the item and its key in words (blank
    in a year decided as a total, or one the item does not run in)."""
    allocation = view.allocation
    keys = ("year", "start", "end", "months", "code", "municipality", "population_year", "population", "share", "amount")
    items = broken_down(view)
    header = [label(key, lang) for key in keys] + [f"{item.label}: {item_key_text(view, item, lang)}" for item in items]
    header.append(label("projected", lang))
    rows: list[list[Any]] = []
    for period in view.periods:
        found = period.item_amounts if items else None
        for share in period.shares:
            rows.append(
                [
                    period.year,
                    period.period.start,
                    period.period.end,
                    period.period.months,
                    share.code,
                    share.municipality,
                    period.population_year if period.decided is None else None,  # a decided year is keyed on nothing
                    share.population if period.decided is None else None,
                    share_decimal(period.cost_share(share.code)),  # of the year's cost: × the cost = the exact amount
                    amount_decimal(share.amount, allocation.unit),
                    *(_amount(found.amount(share.code, item) if found else None, allocation.unit) for item in items),
                    label("word_yes" if period.projected else "word_no", lang),
                ]
            )
    return header, rows


def invoices_sheet(view: View, lang: Lang) -> TableSheet | None:
    """The workbook's sheet of e-invoices, one row per document, a credit note's amount negative; None without any."""
    items = listed(view)
    if not items:
        return None
    keys = (
        "code",
        "municipality",
        "year",
        "invoice_number",
        "invoice_kind",
        "start",
        "end",
        "invoice_date",
        "due_date",
        "amount",
        "status",
    )
    rows: list[list[Any]] = [
        [item.code, view.name(item.code), item.year, item.number, label(f"word_{item.kind}", lang), item.start, item.end, item.issued,
         item.due, to_major(item.gross if item.kind == "invoice" else -item.gross), status_word(item.planned, lang)]
        for item in items
    ]  # fmt: skip
    plain: list[Kind] = ["plain"] * 9
    kinds: list[Kind] = [*plain, "amount", "plain"]
    return TableSheet(label("sheet_invoices", lang), [label(key, lang) for key in keys], rows, kinds, totals=False, fixed_columns=0,
                      filtered=True)  # fmt: skip
