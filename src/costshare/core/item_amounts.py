"""Each member's amount of each cost item in a budget year, in whole units that add up both ways: across a member's
items to its amount, and across the members to each item's cost.

A member's amount is the year's one ranked split (core/allocate.py) and stays as it is; an item's cost is its own
(core/items.py). A rate item is already paid in whole units member by member; a shared item's exact shares (by its
key and cap, core/keys.py, or by population × months where every item goes by population) are rounded by the
controlled rounding of the member × item table (core/controlled.py), each to the unit below or above its exact value.
A table that has no such rounding (rare: members that a weights file gives nothing of some items, with ties in the
split) lets the fewest cells go one unit further, so that rows and columns still add up.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import TYPE_CHECKING

from .controlled import TableRoundingError, controlled_rounding
from .errors import AllocationError, Problem
from .items import CostItem, ItemCost, RatePayment, is_shared

if TYPE_CHECKING:
    from .keys import ItemShare


@dataclass(frozen=True)
class ItemAmounts:
    """One budget year's items (in item order) and each member's amount of each in minor units, by code, position for
    position with `costs`: a member's amounts add up to its amount, each item's over the members to its cost. `exact`:
    each member's exact amount of each item (minor units), which its amount is rounded from."""

    costs: tuple[ItemCost, ...]
    by_member: Mapping[str, tuple[int, ...]]
    exact: Mapping[str, tuple[Fraction, ...]]

    def of(self, code: str) -> tuple[tuple[ItemCost, int], ...]:
        """The member's amount of each item, with the item's cost in the year."""
        return tuple(zip(self.costs, self.by_member[code], strict=True))

    def amount(self, code: str, item: CostItem) -> int | None:
        """The member's amount of `item` in the year; None where the member does not pay in it or the item does not run."""
        position = self._position(item)
        return None if position is None or code not in self.by_member else self.by_member[code][position]

    def exact_of(self, code: str, item: CostItem) -> Fraction | None:
        """The member's exact amount of `item` in the year (minor units); None where `amount` is None."""
        position = self._position(item)
        return None if position is None or code not in self.exact else self.exact[code][position]

    def cost(self, item: CostItem) -> int | None:
        """The item's cost in the year (its members' amounts added up); None where it does not run in the year."""
        position = self._position(item)
        return None if position is None else self.costs[position].cost

    def _position(self, item: CostItem) -> int | None:
        return next((position for position, cost in enumerate(self.costs) if cost.item == item), None)


def item_sum(years: Sequence[ItemAmounts | None], item: CostItem, code: str | None = None) -> int | None:
    """The item's amounts over `years` added up: a member's (`code`), or its cost (None); None where one of the years
    holds no item amounts (a decided year) or the item runs in none of them."""
    if any(found is None for found in years):
        return None
    amounts = [found.amount(code, item) if code is not None else found.cost(item) for found in years if found is not None]
    present = [amount for amount in amounts if amount is not None]
    return sum(present) if present else None


def running_items(items: Sequence[CostItem], years: Sequence[ItemAmounts | None]) -> tuple[CostItem, ...]:
    """Those of `items` (in their order) that run in at least one of `years`."""
    return tuple(item for item in items if any(found is not None and found.cost(item) is not None for found in years))


@dataclass(frozen=True)
class MemberRow:
    """What a member's row of the table is made from: its code, its amount, its weight in the split (population ×
    months where every item goes by population), its exact shares of the shared items (where they have their own
    keys) and its payments of the rate items (where there are any)."""

    code: str
    amount: int
    weight: int
    item_shares: tuple[ItemShare, ...] | None
    payments: tuple[RatePayment, ...]


def item_amounts(year: int, costs: tuple[ItemCost, ...], rows: Sequence[MemberRow], unit: int) -> ItemAmounts:
    """Each member's amount of each of `costs` in budget year `year`, in whole `unit`s (minor units out)."""
    weight_sum = sum(row.weight for row in rows)
    exact = {row.code: _exact_row(costs, row, weight_sum) for row in rows}
    try:
        rounded = controlled_rounding(
            [[cell / unit for cell in exact[row.code]] for row in rows],
            [row.amount // unit for row in rows],
            [cost.cost // unit for cost in costs],
            [row.code for row in rows],
            list(range(len(costs))),
            slack=1,
        )
    except TableRoundingError as exc:  # the table's totals are the split's own: this is a split that does not add up
        raise AllocationError([Problem("err_items_unrounded", params=(("year", year),))]) from exc
    return ItemAmounts(costs, {row.code: _minor(found, unit) for row, found in zip(rows, rounded, strict=True)}, exact)


def _minor(units: tuple[int, ...], unit: int) -> tuple[int, ...]:
    return tuple(count * unit for count in units)


def _exact_row(costs: tuple[ItemCost, ...], row: MemberRow, weight_sum: int) -> tuple[Fraction, ...]:
    """A member's exact amount of each item, minor units: its payment of a rate item, its exact share of a shared one."""
    shared, rated = iter(row.item_shares or ()), iter(row.payments)
    cells = []
    for cost in costs:
        if not is_shared(cost.item):
            cells.append(Fraction(next(rated).amount))
        elif row.item_shares is not None:
            cells.append(next(shared).exact)
        else:
            cells.append(Fraction(cost.cost * row.weight, weight_sum) if weight_sum else Fraction(0))
    return tuple(cells)
