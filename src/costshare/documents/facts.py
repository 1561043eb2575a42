"""Sentences about a View that several documents share: the method, the key years, the source, the price level.

The table's footer, the statement, the workbook and the report say these the same way, from here.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from ..core.periods import published
from ..words import Lang, label
from ..words.display import format_count, format_factor, format_long_date, format_money, period_label, unit_text, years_text
from .items import item_key_text

if TYPE_CHECKING:
    from ..app.view import View
    from ..core.allocate import Allocation, PeriodAllocation


def method_line(view: View, lang: Lang) -> str:
    """How the split is made, with the rounding unit: by population where every item goes by population alone,
    else by each item's own key or rate."""
    by_population = all(item.by_population for item in view.allocation.items)
    return label("method" if by_population else "method_own_keys", lang, unit=unit_text(view.unit, lang, view.currency))


def key_text(allocation: Allocation, lang: Lang) -> str:
    """Which 1 January population each budget year was keyed on, in words."""
    years = [p.population_year for p in allocation.keyed_periods]
    if not years:
        return label("key_all_decided", lang)
    if allocation.basis == "yearly":
        return label("key_yearly", lang, years=years_text(years, lang))
    if allocation.basis in ("previous", "latest"):
        pairs = ", ".join(f"{p.year}: {p.population_year}" for p in allocation.keyed_periods)
        return label(f"key_{allocation.basis}", lang, pairs=pairs)
    return label("key_fixed", lang, year=years_text(years, lang))


def source_line(view: View, lang: Lang) -> str:
    """'Kilde: …': the configured source, if any, and always the key year(s) the split actually used."""
    source = view.sources.population_source
    key = key_text(view.allocation, lang)
    return f"{label('source', lang)}: {source}; {key}" if source else f"{label('source', lang)}: {key}"


def projection_lines(view: View, lang: Lang, today: date) -> list[str]:
    """One line per provisional year: which figures it stands on and what will replace them (as known on `today`)."""
    lines = []
    for p in view.periods:
        period = period_label(p.period, lang)
        if p.key_wanted is not None:
            key = "projected_key_published" if published(p.key_wanted, today) else "projected_key_waiting"
            lines.append(label(key, lang, period=period, used=p.population_year, wanted=p.key_wanted))
        if p.price_projected:
            lines.append(label("projected_price", lang, period=period, price=p.price_year, year=p.year))
    return lines


def decided_lines(view: View, lang: Lang) -> list[str]:
    """Which budget years shown are decided, and where their amounts are (none where no year is)."""
    years = [p.year for p in view.periods if p.decided is not None]
    provisional = [p.year for p in view.periods if p.decided is not None and p.decided.provisional]
    lines = [label("decided_years", lang, years=years_text(years, lang), file=view.record_file)] if years else []
    return lines + ([label("decided_provisional_years", lang, years=years_text(provisional, lang))] if provisional else [])


def membership_span(view: View, code: str, lang: Lang) -> str | None:
    """'1. juli 2023 – 31. december 2026': the days a member that joins or leaves is in (None: the whole agreement)."""
    change = view.changes.get(code)
    if change is None:
        return None
    first, last = change.days_within(view.agreement.start, view.agreement.end)
    return f"{format_long_date(first, lang)} – {format_long_date(last, lang)}"


def membership_lines(view: View, lang: Lang) -> list[str]:
    """One line per member that joins or leaves during the agreement."""
    spans = ((code, membership_span(view, code, lang)) for code in sorted(view.changes))
    return [label("membership_line", lang, name=view.name(code), code=code, span=span) for code, span in spans if span]


def key_lines(view: View, lang: Lang) -> list[str]:
    """Which key each item is split by, when any item has its own (nothing when all go by population, as before)."""
    items = view.allocation.items
    if all(item.by_population for item in items):
        return []
    return [label("key_lines", lang, keys="; ".join(f"{item.label}: {item_key_text(view, item, lang)}" for item in items))]


def total_label(view: View, lang: Lang) -> str:
    """The heading of a sum of the years shown: the agreement's total only when every year is shown."""
    return label("total" if view.whole else "total_shown", lang)


def paying_counts(periods: tuple[PeriodAllocation, ...]) -> list[int]:
    """How many members pay in each of `periods`."""
    return [len(period.shares) for period in periods]


def totals_label(periods: tuple[PeriodAllocation, ...], lang: Lang) -> str:
    """The totals row's heading: 'I alt (17 kommuner)' where the same number pay every year shown, else 'I alt' (a
    row of its own then says how many pay each year: paying_cells)."""
    counts = set(paying_counts(periods))
    return label("all_members", lang, count=counts.pop()) if len(counts) == 1 else label("total", lang)


def paying_cells(periods: tuple[PeriodAllocation, ...], lang: Lang) -> list[str] | None:
    """How many members pay each year, under a totals row whose heading cannot say it (None where it can)."""
    counts = paying_counts(periods)
    return None if len(set(counts)) <= 1 else [format_count(count, lang) for count in counts]


def of_which_provisional(view: View, code: str | None, years: tuple[int, ...] | None, lang: Lang) -> str:
    """', heraf foreløbigt 52.300 kr.': how much of a total over `years` (None: the agreement's) is provisional, that
    of member `code` (None: of all members); nothing where none of the years is."""
    allocation = view.allocation
    provisional = allocation.projected_years(years)
    if not provisional:
        return ""
    amount = allocation.total(provisional) if code is None else allocation.total_of(code, provisional)
    return label("of_which_provisional", lang, amount=format_money(amount, view.unit, lang, view.currency))


def made_line(view: View, lang: Lang, today: date) -> str:
    """When a document was made and which 1 January population it stands on."""
    years = years_text([p.population_year for p in view.allocation.keyed_periods], lang)
    return label("made_on" if years else "made_on_decided", lang, date=format_long_date(today, lang), years=years)


def footer_lines(view: View, lang: Lang, today: date) -> list[str]:
    """Method, population source, what any provisional year stands on, and the config's notes, shown under every table."""
    lines = [method_line(view, lang)]
    lines.extend(key_lines(view, lang))
    lines.append(source_line(view, lang))
    lines.extend(projection_lines(view, lang, today))
    price_level = price_level_line(view.allocation, lang)
    if price_level:
        lines.append(price_level)
    if view.agreement.note:
        lines.append(view.agreement.note)
    lines.extend(view.notes)
    return lines


def price_level_line(allocation: Allocation, lang: Lang) -> str | None:
    """Which prices the amounts are in, when any item is P/L-indexed; None otherwise."""
    if not allocation.indexed or allocation.indexation is None:
        return None
    indexation = allocation.indexation
    rates = ", ".join(f"{year}: {format_factor(rate, lang)} %" for year, rate in sorted(indexation.rates.items()))
    return label("price_level_current", lang, base=indexation.base_year, rates=rates)
