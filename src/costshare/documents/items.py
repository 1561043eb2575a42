"""What the documents say about a cost item of each kind: the amount it is listed at, its key or rate in words, its
line in an explanation, and its record in the JSON export.

Each is one `match` over the kinds of core/items.py, ending in `assert_never`: a kind left out here fails mypy at
every place it must be said, and every such place is in this module.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from datetime import date
from fractions import Fraction
from typing import TYPE_CHECKING, Any, assert_never

from ..core.items import BY_POPULATION, OneOffItem, RateItem, YearlyItem
from ..core.keys import BUILT_IN_BASES
from ..core.money import major, to_major
from ..words import Lang, label
from ..words.display import EXACT_DECIMALS, exact_places, factor_decimal, format_count, format_factor, format_money

if TYPE_CHECKING:
    from ..app.view import View
    from ..core.allocate import PeriodAllocation
    from ..core.items import CostItem, ItemCost, SharedItem


def broken_down(view: View) -> tuple[CostItem, ...]:
    """The items each member's amount is broken down into where a document lists them all (the CSV files, the
    workbook, the JSON of a year split by population): every item of an agreement of more than one (an agreement's one
    item is what its members' amounts are)."""
    items = view.allocation.items
    return items if len(items) > 1 else ()


def listed_amount(item: CostItem) -> tuple[int, int | None]:
    """What the documents list an item at, in minor units, and the year of a one-off amount (None: per full year).
    A rate item has no fixed amount and is listed at 0."""
    match item:
        case YearlyItem():
            return item.yearly, None
        case OneOffItem():
            return item.amount, item.year
        case RateItem():
            return 0, None
        case _:
            assert_never(item)


def listed_text(view: View, item: CostItem, lang: Lang) -> str:
    """What an item costs as the config gives it, in words: '730.000 kr. pr. helt år' (in its base year's prices,
    where it is P/L-indexed), '150.000 kr. engangsbeløb i 2025', or a rate item's rate."""
    match item:
        case YearlyItem():
            text = f"{format_money(item.yearly, view.unit, lang, view.currency)} {label('per_full_year', lang)}"
            indexation = view.allocation.indexation
            return text + (" " + label("in_prices", lang, year=indexation.base_year) if item.indexed and indexation else "")
        case OneOffItem():
            return f"{format_money(item.amount, view.unit, lang, view.currency)} {label('one_off_in', lang, year=item.year)}"
        case RateItem():
            return rate_text(view, item, lang)
        case _:
            assert_never(item)


def item_key_text(view: View, item: CostItem, lang: Lang) -> str:
    """'80 % timer (timer.csv) + 20 % indbyggertal, højst 300.000 kr. …' for a shared item; its rate for a rate item."""
    match item:
        case YearlyItem() | OneOffItem():
            return _key_text(view, item, lang)
        case RateItem():
            return rate_text(view, item, lang)
        case _:
            assert_never(item)


def item_line(view: View, period: PeriodAllocation, item_cost: ItemCost, lang: Lang, money: Callable[..., str]) -> str:
    """One item's cost in the budget year, for an explanation: a yearly amount pro-rated (and P/L-indexed), a
    one-off, or what a rate item's members pay together."""
    item = item_cost.item
    match item:
        case RateItem():
            return label("explain_item_rate", lang, label=item.label, cost=money(item_cost.cost))
        case OneOffItem():
            return label("explain_item_one_off", lang, label=item.label, amount=money(item_cost.cost))
        case YearlyItem():
            return _yearly_line(view, period, item_cost, item, lang, money)
        case _:
            assert_never(item)


def item_record(item: CostItem) -> dict[str, Any]:
    """An item in the JSON export as the config gives it, with its key and cap where it has its own; money as Decimal
    in currency units."""
    match item:
        case YearlyItem():
            return {"label": item.label, "kind": item.kind, "yearly": to_major(item.yearly).normalize(), "indexed": item.indexed,
                    "from": _day(item.start), "to": _day(item.end)} | _key_record(item)  # fmt: skip
        case OneOffItem():
            one_off = {"label": item.label, "kind": item.kind, "one_off": to_major(item.amount).normalize(), "year": item.year}
            return one_off | _key_record(item)
        case RateItem():
            return _rate_record(item)
        case _:
            assert_never(item)


# ---- a shared item's key


def _key_text(view: View, item: SharedItem, lang: Lang) -> str:
    """Its bases with their percents (where there are several) and its cap."""
    bases = " + ".join(
        (f"{format_factor(percent, lang)} % " if len(item.key) > 1 else "") + _base_text(view, base, lang) for base, percent in item.key
    )
    cap = label("key_cap", lang, cap=format_money(item.cap, view.unit, lang, view.currency)) if item.cap is not None else ""
    return bases + cap


def _base_text(view: View, base: str, lang: Lang) -> str:
    if base in BUILT_IN_BASES:
        return label(f"key_{base}", lang)
    return f"{base} ({view.weights_files.get(base, base)})"


def _key_record(item: SharedItem) -> dict[str, Any]:
    """An item's key and cap, where it has its own (an item split by population alone says nothing new)."""
    if item.by_population:
        return {}
    return {
        "key": {base: factor_decimal(percent) for base, percent in item.key},
        "cap": to_major(item.cap) if item.cap is not None else None,
    }


# ---- a yearly item's cost in a year


def _yearly_line(view: View, period: PeriodAllocation, item_cost: ItemCost, item: YearlyItem, lang: Lang, money: Callable[..., str]) -> str:
    """The yearly amount × its months / 12 (× the P/L factors from the base year, where it is indexed), and the rounding."""
    indexation = view.allocation.indexation
    rounded = "" if item_cost.exact == item_cost.cost else label("explain_rounded", lang, rounded=money(item_cost.cost))
    values = {"label": item.label, "yearly": money(item.yearly), "months": item_cost.months, "exact": money(item_cost.exact, 2)}
    if not item.indexed or indexation is None:
        return label("explain_item", lang, **values) + rounded
    chain = " × ".join(format_factor(f, lang) for f in indexation.chain(period.year)) or "1"
    return label("explain_item_indexed", lang, base=indexation.base_year, chain=chain, **values) + rounded


# ---- a rate item


def rate_text(view: View, item: RateItem, lang: Lang) -> str:
    """'25 kr. pr. indbygger op til 150.000, derefter 12,50 kr.; grundbeløb 2.500 kr.; …' for a rate item."""

    def money(minor: Fraction | int) -> str:
        return format_money(minor, 1, lang, view.currency, exact_places(minor))

    steps = item.steps
    text = label("rate_per_inhabitant", lang, rate=money(steps[0][1]))
    for (up_to, _), (_, rate) in itertools.pairwise(steps):
        text += " " + label("rate_step", lang, up_to=format_count(up_to or 0, lang), rate=money(rate))
    extras = []
    if item.base:
        extras.append(label("rate_base_text", lang, base=money(item.base)))
    if item.max_inhabitants is not None:
        extras.append(label("rate_max_text", lang, count=format_count(item.max_inhabitants, lang)))
    if item.cap is not None:  # with no base, the per-inhabitant part is the whole payment
        extras.append(label("rate_cap_text" if item.base else "rate_cap_whole", lang, cap=money(item.cap)))
    return ", ".join([text, *extras])


def _rate_record(item: RateItem) -> dict[str, Any]:
    """A rate item's steps, base, count, span and cap; its `key` is the default every item has written, since each
    member pays it by its own inhabitants."""
    return {
        "label": item.label,
        "kind": item.kind,
        "steps": [{"up_to": up_to, "rate": major(rate, EXACT_DECIMALS)} for up_to, rate in item.steps],
        "base": to_major(item.base),
        "max_inhabitants": item.max_inhabitants,
        "indexed": item.indexed,
        "from": _day(item.start),
        "to": _day(item.end),
        "key": {base: factor_decimal(percent) for base, percent in BY_POPULATION},
        "cap": to_major(item.cap) if item.cap is not None else None,
    }


def _day(day: date | None) -> str | None:
    return day.isoformat() if day else None
