"""`explain`: the chain from a yearly cost to one municipality's rounded amount, step by step.

Every figure comes from the core's split (floors, remainders, the leftover queue); nothing is recomputed.
"""

from __future__ import annotations

from collections.abc import Callable
from fractions import Fraction
from typing import TYPE_CHECKING

from ..core.items import paid_per_member
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
    signed,
    telling_decimals,
    year_label,
)
from ..words.problems import problem_line
from .items import item_line

if TYPE_CHECKING:
    from ..app.view import View
    from ..core.allocate import PeriodAllocation, Share
    from ..core.items import RatePayment
    from ..core.keys import ItemShare
    from ..core.record import DecidedYear


Money = Callable[..., str]  # minor units (and decimals, where more are shown) → an amount in words


def explain_period(view: View, period: PeriodAllocation, code: str, lang: Lang) -> list[str]:
    """The chain from yearly cost to one municipality's rounded amount, one line per step."""
    heading = {
        "name": view.name(code),
        "code": code,
        "alliance": view.alliance,
        "period": year_label(period, lang),
    }
    if not period.has(code):
        return [_say("heading", lang, **heading), "  " + _not_paying(view, period, code, lang)]
    if period.decided is not None:
        return [_say("heading", lang, **(heading | {"name": period.share_of(code).municipality})),
                *("  " + line for line in decided_lines(view, period, period.decided, code, lang))]  # fmt: skip
    share = period.share_of(code)
    money = _money(view, lang)
    rates = period.rate_payments[code] if period.rate_payments else ()
    shared = period.cost - sum(cost.cost for cost in period.item_costs if paid_per_member(cost.item))
    steps = [item_line(view, period, item_cost, lang, money) for item_cost in period.item_costs]
    steps.append(_say("cost", lang, cost=money(period.cost)))
    if shared or not rates:
        steps += _shared_lines(period, share, shared, rates, lang, money)
    steps += [rate_line(payment, lang, money) for payment in rates]
    if rates:
        steps.append(_say("amount_total", lang, amount=money(share.amount)))
    return [_say("heading", lang, **(heading | {"name": share.municipality})), *("  " + step for step in steps)]


def decided_lines(view: View, period: PeriodAllocation, decided: DecidedYear, code: str, lang: Lang) -> list[str]:
    """A decided year: when and by what it was decided, where the record is, the amount decided, and what today's
    config would give (or why it cannot)."""
    money = _money(view, lang)
    amount = period.share_of(code).amount
    said = {"decided_on": format_long_date(decided.decided_on, lang), "reference": decided.reference or "–"}
    lines = [_say("decided_provisional" if decided.provisional else "decided", lang, **said),
             _say("decided_file", lang, file=view.record_file), _say("decided_amount", lang, amount=money(amount), cost=money(period.cost))]  # fmt: skip
    today = view.recomputed.get(period.year)
    if isinstance(today, tuple):
        lines.append(_say("today_cannot", lang, reason=problem_line(today[0], lang)))
    elif today is not None and not today.has(code):
        lines.append(_say("today_not_paying", lang))
    elif today is not None:
        now = today.share_of(code).amount
        lines.append(_say("today_gives", lang, amount=money(now), difference=signed(now - amount, money, zero="±")))
    return lines


def _say(key: str, lang: Lang, /, **values: object) -> str:
    return label(f"explain_{key}", lang, **values)


def _money(view: View, lang: Lang) -> Money:
    """Amounts as the explanation writes them: a whole number of units without øre, other amounts to `decimals`."""
    unit = view.allocation.unit

    def money(minor: int | Fraction, decimals: int | None = None) -> str:
        if isinstance(minor, Fraction) and minor.denominator == 1 and minor % unit == 0:
            minor, decimals = int(minor), None  # a whole number of units reads better without øre
        return format_money(minor, unit, lang, view.currency, decimals)

    return money


def _shared_lines(
    period: PeriodAllocation, share: Share, shared: int, rates: tuple[RatePayment, ...], lang: Lang, money: Money
) -> list[str]:
    """The member's exact share of what the members share (`shared`: the year's cost but what each pays of the
    items it pays on its own, as its `rates`), its amount in whole units, and why it was rounded up or down."""
    exact = share.quota - sum((payment.exact for payment in rates), Fraction(0))
    if period.item_shares is not None:  # items with their own keys: each item's parts, then the sum
        lines = [
            line
            for item_share in period.item_shares[share.code]
            for line in _keyed_lines(item_share, share.municipality, share.months, lang, money)
        ]
        lines.append(_say("exact_sum", lang, exact=money(exact, 2)))
    else:
        lines = _population_lines(period, share, money(shared), exact, lang, money)
    amount = share.amount - sum(payment.amount for payment in rates)
    lines.append(_say("amount_shared" if rates else "amount", lang, amount=money(amount)))
    return lines + _rounding_reason(period, share.code, genitive(share.municipality, lang), lang, money)


def _population_lines(period: PeriodAllocation, share: Share, split_cost: str, exact: Fraction, lang: Lang, money: Money) -> list[str]:
    """The member's part of `split_cost` by population: its share of the total, or its population × months of all
    members' weights where some are members for part of the year."""
    population = format_count(share.population, lang)
    if period.full_membership:
        total = format_count(period.population_total, lang)
        share_text = format_percent(share.fraction, lang, 4)
        return [
            _say("population", lang, year=period.population_year, population=population, total=total, share=share_text),
            _say("exact", lang, cost=split_cost, population=population, total=total, exact=money(exact, 2)),
        ]
    weight = format_count(share.population_months, lang)
    weights = format_count(sum(s.population_months for s in period.shares), lang)
    months = {"months": share.months, "period_months": period.period.months}
    return [
        _say("population_months", lang, year=period.population_year, population=population, weight=weight, **months),
        _say("exact_weight", lang, cost=split_cost, weight=weight, weights=weights, exact=money(exact, 2)),
    ]


def rate_line(payment: RatePayment, lang: Lang, money: Money) -> str:
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


def _keyed_lines(item_share: ItemShare, name: str, months: int, lang: Lang, money: Money) -> list[str]:
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
    values = {"name": view.name(code), "period": year_label(period, lang)}
    nothing = format_money(0, view.unit, lang, view.currency)
    if change is not None and change.leaves is not None and change.leaves <= period.period.start:
        return label("explain_left", lang, date=format_long_date(change.leaves, lang), amount=nothing, **values)
    if change is not None and change.joins is not None and change.joins > period.period.end:
        return label("explain_joins", lang, date=format_long_date(change.joins, lang), amount=nothing, **values)
    return label("explain_not_member", lang, **values)


def _rounding_reason(period: PeriodAllocation, code: str, owner: str, lang: Lang, money: Money) -> list[str]:
    """Why the member's amount is its exact share rounded up or down: where its remainder ranks among the leftover units."""
    unit, remainder = period.unit, period.remainder_of(code)
    if remainder == 0:
        return [_say("exact_fit", lang, unit=money(unit))]
    leftover = period.leftover_units
    one = "_one" if leftover == 1 else ""  # "den ene resterende enhed", not "de 1 resterende enheder"
    lines = [_say("floors" + one, lang, count=len(period.shares), floors=money(period.floor_total), leftover=leftover, unit=money(unit))]
    if leftover == 0:
        return lines + [_say("none_left", lang)]
    rank = period.remainder_rank(code)
    key = ("up" if rank <= leftover else "down") + one
    # the remainder is a part of one unit: two more decimals than the unit has show which is largest, and more
    # where those would round it to a whole unit
    decimals = telling_decimals(remainder, unit, display_decimals(unit) + 2)
    lines.append(_say(key, lang, owner=owner, remainder=money(remainder, decimals), rank=rank, leftover=leftover))
    return lines


def explain_lines(view: View, code: str, lang: Lang) -> list[str]:
    """The chain for every budget year of the view, a blank line between them."""
    lines: list[str] = []
    for period in view.periods:
        if lines:
            lines.append("")
        lines.extend(explain_period(view, period, code, lang))
    return lines
