"""`explain`: the chain from a yearly cost to one municipality's rounded amount, step by step.

Every figure comes from the core's split (floors, remainders, the leftover queue); nothing is recomputed.
"""

from __future__ import annotations

from collections.abc import Callable
from fractions import Fraction
from typing import TYPE_CHECKING, assert_never

from ..core.items import OneOffItem, RateItem, YearlyItem
from ..core.keys import BUILT_IN_BASES
from ..core.money import display_decimals
from ..words import Lang, label
from ..words.display import (
    exact_places,
    format_count,
    format_factor,
    format_long_date,
    format_money,
    format_percent,
    genitive,
    period_label,
    telling_decimals,
)

if TYPE_CHECKING:
    from ..app.view import View
    from ..core.allocate import PeriodAllocation
    from ..core.items import ItemCost, RatePayment
    from ..core.keys import ItemShare


def explain_period(view: View, period: PeriodAllocation, code: str, lang: Lang) -> list[str]:
    """The chain from yearly cost to one municipality's rounded amount, one line per step."""

    def text(key: str, **values: object) -> str:
        return label(f"explain_{key}", lang, **values)

    allocation = view.allocation
    unit = allocation.unit
    currency = view.currency

    def money(minor: int | Fraction, decimals: int | None = None) -> str:
        if isinstance(minor, Fraction) and minor.denominator == 1 and minor % unit == 0:
            minor, decimals = int(minor), None  # a whole number of units reads better without øre
        return format_money(minor, unit, lang, currency, decimals)

    heading = {
        "name": view.name(code),
        "code": code,
        "alliance": view.alliance,
        "period": period_label(period.period, lang, period.projected),
    }
    if not period.has(code):
        return [text("heading", **heading), "  " + _not_paying(view, period, code, lang)]
    share = period.share_of(code)
    lines = [text("heading", **(heading | {"name": share.municipality}))]
    lines.extend("  " + item_line(view, period, item_cost, lang, money) for item_cost in period.item_costs)
    lines.append("  " + text("cost", cost=money(period.cost)))
    rates = period.rate_payments[code] if period.rate_payments else ()
    split_cost = period.cost - sum(c.cost for c in period.item_costs if isinstance(c.item, RateItem))  # what is shared
    exact = share.quota - sum((p.exact for p in rates), Fraction(0))
    if split_cost or not rates:
        population = format_count(share.population, lang)
        total = format_count(period.population_total, lang)
        if period.item_shares is not None:  # items with their own keys: each item's parts, then the sum
            for item_share in period.item_shares[code]:
                lines.extend("  " + line for line in _keyed_lines(item_share, share.municipality, share.months, lang, money))
            lines.append("  " + text("exact_sum", exact=money(exact, 2)))
        elif period.full_membership:
            share_text = format_percent(share.fraction, lang, 4)
            lines.append("  " + text("population", year=period.population_year, population=population, total=total, share=share_text))
            lines.append("  " + text("exact", cost=money(split_cost), population=population, total=total, exact=money(exact, 2)))
        else:
            weight = format_count(share.population_months, lang)
            weights = format_count(sum(s.population_months for s in period.shares), lang)
            lines.append("  " + text("population_months", year=period.population_year, population=population, months=share.months,
                                     period_months=period.period.months, weight=weight))  # fmt: skip
            lines.append("  " + text("exact_weight", cost=money(split_cost), weight=weight, weights=weights, exact=money(exact, 2)))
        amount = share.amount - sum(p.amount for p in rates)
        lines.append("  " + text("amount_shared" if rates else "amount", amount=money(amount)))
        lines.extend("  " + line for line in _rounding_reason(period, share.code, genitive(share.municipality, lang), text, unit, money))
    for payment in rates:
        lines.append("  " + rate_line(payment, lang, money))
    if rates:
        lines.append("  " + text("amount_total", amount=money(share.amount)))
    return lines


def item_line(view: View, period: PeriodAllocation, item_cost: ItemCost, lang: Lang, money: Callable[..., str]) -> str:
    """One item's cost in the budget year: a yearly amount pro-rated (and P/L-indexed), a one-off, or what a rate
    item's members pay together."""

    def text(key: str, **values: object) -> str:
        return label(f"explain_{key}", lang, **values)

    item, indexation = item_cost.item, view.allocation.indexation
    match item:
        case RateItem():
            return text("item_rate", label=item.label, cost=money(item_cost.cost))
        case OneOffItem():
            return text("item_one_off", label=item.label, amount=money(item_cost.cost))
        case YearlyItem():
            rounded = "" if item_cost.exact == item_cost.cost else text("rounded", rounded=money(item_cost.cost))
            values = {"label": item.label, "yearly": money(item.yearly), "months": item_cost.months, "exact": money(item_cost.exact, 2)}
            if not item.indexed or indexation is None:
                return text("item", **values) + rounded
            chain = " × ".join(format_factor(f, lang) for f in indexation.chain(period.year)) or "1"
            return text("item_indexed", base=indexation.base_year, chain=chain, **values) + rounded
        case _:
            assert_never(item)


def rate_line(payment: RatePayment, lang: Lang, money: Callable[..., str]) -> str:
    """One member's payment of a rate item: inhabitants through the steps, the cap, the base, months, P/L, rounding."""
    steps = " + ".join(f"{format_count(count, lang)} × {money(rate, exact_places(rate))}" for count, rate in payment.steps)
    if payment.counted < payment.population:
        steps += " " + label("rate_counted", lang, counted=format_count(payment.counted, lang))
    part = money(payment.per_inhabitant, 2)
    if payment.cap is not None:
        part = label("rate_capped", lang, part=part, cap=money(payment.cap))
    yearly = label("rate_base", lang, part=part, base=money(payment.base)) if payment.base else part
    factor = f" × {format_factor(payment.factor, lang)}" if payment.factor != 1 else ""
    return label("explain_rate", lang, label=payment.label, steps=steps or "0", yearly=yearly, months=payment.months, factor=factor,
                 exact=money(payment.exact, 2), amount=money(payment.amount))  # fmt: skip


def key_word(base: str, lang: Lang) -> str:
    """A key's base in words: indbyggertal, ligelig fordeling, or the weights file's name."""
    return label(f"key_{base}", lang) if base in BUILT_IN_BASES else base


def _keyed_lines(item_share: ItemShare, name: str, months: int, lang: Lang, money: Callable[..., str]) -> list[str]:
    """One item's share by its key: each part's value × months of the total weight, or the cap reached."""
    if item_share.cap is not None:
        key = "explain_capped_one" if item_share.rounds == 1 else "explain_capped"
        return [label(key, lang, label=item_share.label, name=name, cap=money(item_share.cap, 2), rounds=item_share.rounds)]
    lines = []
    for part in item_share.parts:
        cost = item_share.shared * part.percent / 100
        lines.append(label("explain_part", lang, label=item_share.label, percent=format_factor(part.percent, lang), by=key_word(part.base, lang),
                           cost=money(cost, 2), value=format_factor(part.value, lang), months=months, total=format_factor(part.total, lang),
                           exact=money(part.exact, 2)))  # fmt: skip
    if item_share.rounds:
        lines.append(label("explain_after_caps", lang, label=item_share.label, shared=money(item_share.shared, 2)))
    return lines


def _not_paying(view: View, period: PeriodAllocation, code: str, lang: Lang) -> str:
    """Why a member pays nothing in a budget year: it has left, has not joined yet, or is not a member then."""
    change = view.changes.get(code)
    values = {"name": view.name(code), "period": period_label(period.period, lang, period.projected)}
    nothing = format_money(0, view.unit, lang, view.currency)
    if change is not None and change.leaves is not None and change.leaves <= period.period.start:
        return label("explain_left", lang, date=format_long_date(change.leaves, lang), amount=nothing, **values)
    if change is not None and change.joins is not None and change.joins > period.period.end:
        return label("explain_joins", lang, date=format_long_date(change.joins, lang), amount=nothing, **values)
    return label("explain_not_member", lang, **values)


def _rounding_reason(
    period: PeriodAllocation, code: str, owner: str, text: Callable[..., str], unit: int, money: Callable[..., str]
) -> list[str]:
    remainder = period.remainder_of(code)
    if remainder == 0:
        return [text("exact_fit", unit=money(unit))]
    leftover = period.leftover_units
    lines = [text("floors", count=len(period.shares), floors=money(period.floor_total), leftover=leftover, unit=money(unit))]
    if leftover == 0:
        return lines + [text("none_left")]
    rank = period.remainder_rank(code)
    key = "up" if rank <= leftover else "down"
    # the remainder is a part of one unit: two more decimals than the unit has show which is largest, and more
    # where those would round it to a whole unit
    decimals = telling_decimals(remainder, unit, display_decimals(unit) + 2)
    lines.append(text(key, owner=owner, remainder=money(remainder, decimals), rank=rank, leftover=leftover))
    return lines


def explain_lines(view: View, code: str, lang: Lang) -> list[str]:
    """The chain for every budget year of the view, a blank line between them."""
    lines: list[str] = []
    for period in view.periods:
        if lines:
            lines.append("")
        lines.extend(explain_period(view, period, code, lang))
    return lines
