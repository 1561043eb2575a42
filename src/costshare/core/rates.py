"""Rate items (`per_inhabitant`): no fixed total; each member pays by its own inhabitants.

A member pays (base + the per-inhabitant part) × its months of the item in the budget year / 12 × the P/L
factor, rounded half up to the unit on its own; the item's cost is the sum of what the members pay. The
per-inhabitant part counts at most `max_inhabitants`, goes through the rate steps in order (25 kr. up to
150.000, 12,50 kr. above) and is at most `cap` per full year.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from fractions import Fraction

from .money import round_half_up
from .periods import CostItem, ItemCost


@dataclass(frozen=True)
class RatePayment:
    """What one member pays of one rate item in one budget year, and how: minor units throughout."""

    label: str
    population: int
    counted: int  # inhabitants counted (at most max_inhabitants)
    steps: tuple[tuple[int, Fraction], ...]  # (inhabitants, rate per inhabitant) of each step used
    per_inhabitant: Fraction  # the per-inhabitant part per full year, before any cap
    cap: int | None  # the cap that held it back, where it did
    base: int
    months: int
    factor: Fraction
    exact: Fraction
    amount: int


def rate_payment(item: CostItem, population: int, months: int, factor: Fraction, unit: int) -> RatePayment:
    """One member's payment of a rate item: its inhabitants through the steps, the cap, the base, months and P/L."""
    counted = population if item.max_inhabitants is None else min(population, item.max_inhabitants)
    steps: list[tuple[int, Fraction]] = []
    left, below = counted, 0
    for up_to, rate in item.rate_steps or ():
        if left <= 0:
            break
        taken = left if up_to is None else min(left, up_to - below)
        steps.append((taken, rate))
        left -= taken
        below = up_to if up_to is not None else below
    part = sum((Fraction(taken) * rate for taken, rate in steps), Fraction(0))
    cap = item.cap if item.cap is not None and part > item.cap else None
    exact = (item.base + (cap if cap is not None else part)) * Fraction(months, 12) * factor
    amount = round_half_up(exact.numerator, exact.denominator, unit)
    return RatePayment(item.label, population, counted, tuple(steps), part, cap, item.base, months, factor, exact, amount)


def rate_payments(
    costs: tuple[ItemCost, ...], populations: Mapping[str, int], months: Callable[[str, CostItem], int], unit: int
) -> dict[str, tuple[RatePayment, ...]]:
    """What each member (code → key-year population) pays of each rate item among `costs`, in their order ({} where
    there is none); `months(code, item)` is the months the member and the item share in the budget year."""
    rated = [c for c in costs if c.item.rate_steps is not None]
    if not rated:
        return {}
    return {
        code: tuple(rate_payment(c.item, people, months(code, c.item), c.factor, unit) for c in rated)
        for code, people in populations.items()
    }


def paid_costs(costs: tuple[ItemCost, ...], payments: Mapping[str, tuple[RatePayment, ...]]) -> tuple[ItemCost, ...]:
    """`costs` with each rate item's cost set to the sum of its members' payments, exact and rounded."""
    result, position = [], 0
    for cost in costs:
        if cost.item.rate_steps is None:
            result.append(cost)
            continue
        paid = [found[position] for found in payments.values()]
        result.append(replace(cost, exact=sum((p.exact for p in paid), Fraction(0)), cost=sum(p.amount for p in paid)))
        position += 1
    return tuple(result)
