"""`explain`: the chain from a yearly cost to one municipality's rounded amount, step by step.

Every figure comes from the core's split (floors, remainders, the leftover queue); nothing is recomputed.
"""

from __future__ import annotations

from collections.abc import Callable
from fractions import Fraction
from typing import TYPE_CHECKING

from ..core.money import display_decimals
from ..words import Lang, label
from ..words.display import (
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
    from ..core.allocate import PeriodAllocation
    from ..view import View


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
    for item_cost in period.item_costs:
        item = item_cost.item
        if item_cost.months is None:
            lines.append("  " + text("item_one_off", label=item.label, amount=money(item_cost.cost)))
            continue
        rounded = "" if item_cost.exact == item_cost.cost else text("rounded", rounded=money(item_cost.cost))
        values = {"label": item.label, "yearly": money(item.yearly), "months": item_cost.months, "exact": money(item_cost.exact, 2)}
        if item.indexed and allocation.indexation is not None:
            chain = " × ".join(format_factor(f, lang) for f in allocation.indexation.chain(period.year)) or "1"
            line = text("item_indexed", base=allocation.indexation.base_year, chain=chain, **values)
        else:
            line = text("item", **values)
        lines.append("  " + line + rounded)
    lines.append("  " + text("cost", cost=money(period.cost)))
    population = format_count(share.population, lang)
    total = format_count(period.population_total, lang)
    if period.full_membership:
        share_text = format_percent(share.fraction, lang, 4)
        lines.append("  " + text("population", year=period.population_year, population=population, total=total, share=share_text))
        lines.append("  " + text("exact", cost=money(period.cost), population=population, total=total, exact=money(share.quota, 2)))
    else:
        weight, weights = format_count(share.weight, lang), format_count(sum(s.weight for s in period.shares), lang)
        lines.append("  " + text("population_months", year=period.population_year, population=population, months=share.months,
                                 period_months=period.period.months, weight=weight))  # fmt: skip
        lines.append("  " + text("exact_weight", cost=money(period.cost), weight=weight, weights=weights, exact=money(share.quota, 2)))
    lines.append("  " + text("amount", amount=money(share.amount)))
    lines.extend("  " + line for line in _rounding_reason(period, share.code, genitive(share.municipality, lang), text, unit, money))
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
