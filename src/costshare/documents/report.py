"""The report for a committee: what the agreement is, each member's amount per budget year, the e-invoices, each
member's share as a bar, one worked example of the method, and the source; formats/html.py lays it out as a page.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from fractions import Fraction
from typing import TYPE_CHECKING

from ..words import Lang, label
from ..words.display import NOT_A_MEMBER, format_amount, format_long_date, format_money, format_percent, year_label
from .explanation import explain_period
from .facts import (
    key_lines,
    key_text,
    made_line,
    membership_lines,
    method_line,
    of_which_provisional,
    paying_cells,
    price_level_line,
    projection_lines,
    source_line,
    total_label,
    totals_label,
)
from .items import item_key_text, listed_text
from .listing import grouped, status_word

if TYPE_CHECKING:
    from ..app.view import View


@dataclass(frozen=True)
class Grid:
    """A table of text under its headings: the first cell of each row names it; the totals row last, when there is one,
    and any rows that say more of the totals under it."""

    header: list[str]
    rows: list[list[str]]
    totals: list[str] | None = None
    text_columns: tuple[int, ...] = ()  # the columns after the first that hold words, not figures
    below: list[list[str]] = field(default_factory=list)


@dataclass(frozen=True)
class Bar:
    """One member's share of the whole agreement's cost, and the share in words."""

    name: str
    share: Fraction
    said: str


@dataclass(frozen=True)
class Report:
    """Everything report.html says, in the order it is read."""

    lang: Lang
    title: str
    generated_by: str
    facts: list[str]
    amounts_heading: str
    amounts_caption: str
    amounts: Grid
    items_caption: str
    items: Grid | None  # None: one item, split by population alone
    method_line: str
    invoices_heading: str
    invoices: Grid | None  # None: no budget year shown can be invoiced
    chart_title: str
    bars: list[Bar]
    chart_caption: str
    method_heading: str
    method_short: str
    example_heading: str
    example: list[str]
    source_heading: str
    source_line: str
    price_level: str | None
    notes: list[str]
    checksums: str


def amounts_grid(view: View, lang: Lang) -> Grid:
    """Municipality × budget year with each member's total and how much of it is provisional (where any year is), and the
    totals of all members with how many pay each year."""
    allocation = view.allocation
    unit, periods, years = allocation.unit, view.periods, view.years
    provisional = allocation.projected_years(years)
    sums = [years, provisional] if provisional else [years]
    header = [label("municipality", lang), label("code", lang)]
    header += [year_label(p, lang) for p in periods] + [total_label(view, lang)]
    header += [label("of_which_provisional_column", lang)] if provisional else []
    rows = [
        [allocation.name(code), code]
        + [format_amount(p.share_of(code).amount, unit, lang) if p.has(code) else NOT_A_MEMBER for p in periods]
        + [format_amount(allocation.total_of(code, chosen), unit, lang) for chosen in sums]
        for code in allocation.codes
    ]
    totals = [totals_label(periods, lang), ""]
    totals += [format_amount(p.cost, unit, lang) for p in periods] + [
        format_amount(allocation.total(chosen), unit, lang) for chosen in sums
    ]
    paying = paying_cells(periods, lang)
    below = [] if paying is None else [[label("paying_members", lang), "", *paying, *[""] * len(sums)]]
    return Grid(header, rows, totals, below=below)


def items_grid(view: View, lang: Lang) -> Grid | None:
    """Cost item × budget year with each item's key or rate in words and its cost in the year (for a rate item, what
    the members pay of it together), and the year's cost under them; None where the agreement has one item split by
    population alone (the amounts table says it all)."""
    allocation = view.allocation
    items, unit, periods, years = allocation.items, allocation.unit, view.periods, view.years
    if len(items) == 1 and items[0].by_population:
        return None
    header = [label("cost_item_word", lang), label("key_name", lang), *(year_label(p, lang) for p in periods), total_label(view, lang)]
    rows = []
    for item in items:
        costs = [next((cost.cost for cost in p.item_costs if cost.item == item), None) if p.decided is None else None for p in periods]
        total = sum(cost or 0 for cost in costs) if all(p.decided is None for p in periods) else None
        rows.append(
            [item.label, item_key_text(view, item, lang)]
            + [format_amount(cost, unit, lang) if cost is not None else NOT_A_MEMBER for cost in costs]
            + [format_amount(total, unit, lang) if total is not None else NOT_A_MEMBER]
        )
    totals = (
        [label("total", lang), ""]
        + [format_amount(p.cost, unit, lang) for p in periods]
        + [format_amount(allocation.total(years), unit, lang)]
    )
    return Grid(header, rows, totals, text_columns=(1,))


def invoices_grid(view: View, lang: Lang) -> Grid | None:
    """The e-invoices of the budget years shown, issued and planned, each member's by year: numbers, amounts, due dates."""
    rows = [[view.name(code), str(year), status_word(planned, lang), said] for code, year, planned, said in grouped(view, lang)]
    if not rows:
        return None
    header = [label("municipality", lang), label("budget_year", lang), label("status", lang), label("report_invoice_numbers", lang)]
    return Grid(header, rows)


def report(view: View, lang: Lang, today: date) -> Report:
    """The report of `view` in `lang`, made on `today`."""
    allocation, currency, sources = view.allocation, view.currency, view.sources
    example_heading, example = worked_example(view, lang)
    return Report(
        lang=lang,
        title=label("report_title", lang, alliance=view.alliance),
        generated_by=sources.generated_by,
        facts=_facts(view, lang, today),
        amounts_heading=label("report_amounts", lang),
        amounts_caption=label("report_table_caption", lang, currency=label("currency_word", lang) if currency == "DKK" else currency),
        amounts=amounts_grid(view, lang),
        items_caption=label("report_items_caption", lang, currency=label("currency_word", lang) if currency == "DKK" else currency),
        items=items_grid(view, lang),
        method_line=method_line(view, lang),
        invoices_heading=label("report_invoices", lang),
        invoices=invoices_grid(view, lang),
        chart_title=label("report_chart", lang),
        bars=share_bars(view, lang),
        chart_caption=label("report_chart_caption", lang, total=format_money(allocation.total(), allocation.unit, lang, currency))
        + of_which_provisional(view, None, None, lang),
        method_heading=label("report_method", lang),
        method_short=label("method_short" if all(item.by_population for item in allocation.items) else "method_short_own_keys", lang),
        example_heading=example_heading,
        example=example,
        source_heading=label("source", lang),
        source_line=source_line(view, lang),
        price_level=price_level_line(allocation, lang),
        notes=list(view.notes),
        checksums=f"{sources.generated_by} · "
        + label("checksums", lang, config=sources.config_sha256, population=sources.population_sha256),
    )


def share_bars(view: View, lang: Lang) -> list[Bar]:
    """Each member's share of the whole agreement's cost (0 where it costs nothing), for the chart."""
    allocation = view.allocation
    grand_total = allocation.total()
    shares = [
        (allocation.name(code), Fraction(allocation.total_of(code), grand_total) if grand_total else Fraction(0))
        for code in allocation.codes
    ]
    return [Bar(name, share, format_percent(share, lang)) for name, share in shares]


def worked_example(view: View, lang: Lang) -> tuple[str, list[str]]:
    """The method worked through for one member (340 where it is shown, else the lowest code) in its first full
    budget year as a member (else its first): the heading and the explanation's steps."""
    shown_codes = sorted({share.code for p in view.periods for share in p.shares})
    code = "340" if "340" in shown_codes else shown_codes[0]
    paying = [p for p in view.periods if p.has(code)]
    period = next((p for p in paying if p.period.is_full_year), paying[0])
    heading = label("report_example", lang, name=view.allocation.name(code), period=year_label(period, lang))
    return heading, [line.strip() for line in explain_period(view, period, code, lang)[1:]]


def _facts(view: View, lang: Lang, today: date) -> list[str]:
    """The agreement, each cost item, the key, memberships, what any provisional year stands on, and when it was made."""
    return [
        label("report_agreement", lang, start=format_long_date(view.agreement.start, lang), end=format_long_date(view.agreement.end, lang))
        + (f" ({view.agreement.note})" if view.agreement.note else ""),
        *(f"{item.label}: {listed_text(view, item, lang)}" for item in view.allocation.items),
        f"{label('key_name', lang)}: {key_text(view.allocation, lang)}",
        *key_lines(view, lang),
        *membership_lines(view, lang),
        *projection_lines(view, lang, today),
        made_line(view, lang, today),
    ]
