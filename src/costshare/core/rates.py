"""Rate items (`per_inhabitant`) in a budget year: what each member pays of each, and the items' costs from that.

Each member's payment is the rate item's own rule (core/items.py, `RateItem.payment`), rounded half up to the unit
on its own; a rate item's cost is the sum of what its members pay.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace

from .items import ItemCost, RatePayment, paid_per_member
from .membership import Membership
from .money import exact_sum
from .periods import Period


def rate_payments(
    costs: tuple[ItemCost, ...], period: Period, payers: tuple[Membership, ...], populations: Mapping[str, int], unit: int
) -> dict[str, tuple[RatePayment, ...]]:
    """What each of `payers` (in their order; `populations`: code → key-year population) pays of each rate item among
    `costs`, in their order ({} where there is none), for the months it and the item share in `period`."""
    rated = [(cost, cost.item) for cost in costs if paid_per_member(cost.item)]
    if not rated:
        return {}
    return {
        member.code: tuple(
            item.payment(populations[member.code], member.months_in(period, item.start, item.end), cost.factor, unit)
            for cost, item in rated
        )
        for member in payers
    }


def paid_costs(costs: tuple[ItemCost, ...], payments: Mapping[str, tuple[RatePayment, ...]]) -> tuple[ItemCost, ...]:
    """`costs` with each rate item's cost set to the sum of its members' payments, exact and rounded."""
    result, position = [], 0
    for cost in costs:
        if not paid_per_member(cost.item):
            result.append(cost)
            continue
        paid = [found[position] for found in payments.values()]
        result.append(replace(cost, exact=exact_sum([p.exact for p in paid]), cost=sum(p.amount for p in paid)))
        position += 1
    return tuple(result)
