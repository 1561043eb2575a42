"""The kinds of cost item, each with only its own fields and its own rule for what it costs in a budget year.

A yearly item costs yearly × P/L factor × (months of the year inside both the agreement and the item's span) / 12,
computed exactly and rounded once, half up, to the rounding unit; a one-off item costs its whole amount in its own
year; a rate item has no fixed total: each member pays by its own inhabitants (`RateItem.payment`), and the item
costs what they pay together (core/rates.py). Shares are split from the year's rounded cost, never halved or
indexed afterwards. A new kind of item is one class here with its rule, named in `SharedItem` or `MemberItem`;
`CostItem` names them all.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from fractions import Fraction
from typing import ClassVar, Literal, TypeGuard

from .keys import POPULATION
from .membership import Membership
from .money import exact_products, round_half_up
from .periods import Indexation, Period, months_within

# An item's key: bases and their percents (core/keys.py); population 100 unless the item says otherwise.
Key = tuple[tuple[str, Fraction], ...]
BY_POPULATION: Key = ((POPULATION, Fraction(100)),)


@dataclass(frozen=True)
class ItemCost:
    """One item's cost in one budget year: the months it ran, its P/L factor, the exact and the rounded amount."""

    item: CostItem
    months: int | None  # None for a one-off amount, which is never pro-rated
    factor: Fraction
    exact: Fraction  # minor units, before the one rounding
    cost: int  # minor units, rounded half up to the unit


def _price_factor(indexed: bool, period: Period, indexation: Indexation | None) -> Fraction:
    return indexation.factor(period.year) if indexed and indexation is not None else Fraction(1)


class _Keyed:
    """What an item split by a key says of its key: the two dataclasses below give it `key` and `cap`."""

    key: Key
    cap: int | None

    @property
    def by_population(self) -> bool:
        """Split by population alone, with no cap: the key every item had before keys were chosen per item."""
        return self.key == BY_POPULATION and self.cap is None

    @property
    def parts(self) -> int:
        """What one member's share of it is worked out in: one part per base of its key."""
        return len(self.key)


@dataclass(frozen=True)
class YearlyItem(_Keyed):
    """An amount per full year in minor units (e.g. one full-time post) over its span, optionally P/L-indexed,
    split by its `key` with at most `cap` per member per full year."""

    kind: ClassVar[Literal["yearly"]] = "yearly"

    label: str
    yearly: int
    indexed: bool = False
    start: date | None = None  # first day of the item's span; None: from the agreement's start
    end: date | None = None  # last day of the item's span; None: to the agreement's end
    key: Key = BY_POPULATION
    cap: int | None = None  # minor units a member pays at most per full year (× the months it pays of the item / 12)

    def cost_in(self, period: Period, unit: int, indexation: Indexation | None = None) -> ItemCost | None:
        """Pro-rated by its months in the period, indexed, rounded once half up to `unit`; None outside its span."""
        months = months_within(period, self.start, self.end)
        if not months:
            return None
        factor = _price_factor(self.indexed, period, indexation)
        exact = self.yearly * factor * months / 12
        return ItemCost(self, months, factor, exact, round_half_up(exact.numerator, exact.denominator, unit))

    def cap_of(self, member: Membership, period: Period) -> Fraction | None:
        """The most `member` pays of it in the period: the cap per full year × the months it pays of it (it is a
        member and the item runs) / 12."""
        return None if self.cap is None else Fraction(self.cap * member.months_in(period, self.start, self.end), 12)


@dataclass(frozen=True)
class OneOffItem(_Keyed):
    """An amount in minor units charged whole in one budget year, split by its `key` with at most `cap` per member."""

    kind: ClassVar[Literal["one_off"]] = "one_off"
    indexed: ClassVar[bool] = False  # a one-off amount is in the prices of its own year

    label: str
    amount: int
    year: int
    key: Key = BY_POPULATION
    cap: int | None = None

    def cost_in(self, period: Period, unit: int, indexation: Indexation | None = None) -> ItemCost | None:
        """The whole amount, rounded half up to `unit`, in its own year; None in any other."""
        if period.year != self.year:
            return None
        return ItemCost(self, None, Fraction(1), Fraction(self.amount), round_half_up(self.amount, 1, unit))

    def cap_of(self, member: Membership, period: Period) -> Fraction | None:
        """The most `member` pays of it: the cap, whole for a member all through its budget year, else × the months
        it is a member / the year's months."""
        return None if self.cap is None else Fraction(self.cap * member.months_in(period), period.months)


@dataclass(frozen=True, slots=True)
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


@dataclass(frozen=True)
class RateItem:
    """A rate per inhabitant (`per_inhabitant`): each member pays (base + its inhabitants through the rate steps in
    order, e.g. 25 kr. up to 150.000 and 12,50 kr. above, counting at most `max_inhabitants`, at most `cap` per full
    year) × its months of the item in the budget year / 12 × the P/L factor, rounded half up to the unit on its own."""

    kind: ClassVar[Literal["per_inhabitant"]] = "per_inhabitant"
    by_population: ClassVar[bool] = False  # each member pays by its own inhabitants, not a share of a total

    label: str
    steps: tuple[tuple[int | None, Fraction], ...]  # (up to this many inhabitants or None: all the rest, minor units each)
    base: int = 0  # minor units per member per full year
    cap: int | None = None  # minor units the per-inhabitant part comes to at most per full year
    max_inhabitants: int | None = None
    indexed: bool = False
    start: date | None = None
    end: date | None = None

    def cost_in(self, period: Period, unit: int, indexation: Indexation | None = None) -> ItemCost | None:
        """Nothing fixed: its months and P/L factor in the period, the cost being what its members pay; None outside its span."""
        months = months_within(period, self.start, self.end)
        if not months:
            return None
        return ItemCost(self, months, _price_factor(self.indexed, period, indexation), Fraction(0), 0)

    @property
    def parts(self) -> int:
        """What one member's payment of it is worked out in: one part per step of its rate."""
        return len(self.steps)

    def counted_steps(self, population: int) -> tuple[int, tuple[tuple[int, Fraction], ...]]:
        """The inhabitants counted and how many of them each step takes, in order: (inhabitants, rate)."""
        counted = population if self.max_inhabitants is None else min(population, self.max_inhabitants)
        taken: list[tuple[int, Fraction]] = []
        below = 0
        for up_to, rate in self.steps:
            count = counted - below if up_to is None else min(counted, up_to) - below
            if count <= 0:
                break
            taken.append((count, rate))
            below += count
        return counted, tuple(taken)

    def payment(self, population: int, months: int, factor: Fraction, unit: int) -> RatePayment:
        """One member's payment: its inhabitants through the steps, the cap, the base, its months and the P/L factor."""
        counted, steps = self.counted_steps(population)
        part = exact_products(steps)
        cap = self.cap if self.cap is not None and part > self.cap else None
        exact = (self.base + (part if cap is None else cap)) * Fraction(months, 12) * factor
        amount = round_half_up(exact.numerator, exact.denominator, unit)
        return RatePayment(self.label, population, counted, steps, part, cap, self.base, months, factor, exact, amount)


SharedItem = YearlyItem | OneOffItem  # its cost is shared among the members by its key, at most its cap each
MemberItem = RateItem  # each member pays it on its own, by its own inhabitants (`payment`)
CostItem = SharedItem | MemberItem


def is_shared(item: CostItem) -> TypeGuard[SharedItem]:
    """Whether the members share the item's cost by its key (else each pays it on its own)."""
    return isinstance(item, SharedItem)


def paid_per_member(item: CostItem) -> TypeGuard[MemberItem]:
    """Whether each member pays the item on its own, by its own figures (else they share its cost by a key)."""
    return isinstance(item, MemberItem)


def indexed_spans(items: tuple[CostItem, ...]) -> dict[int, tuple[date | None, date | None]]:
    """Each P/L-indexed item's position → its first and last day (None: the agreement's), for the rates it needs."""
    return {index: (item.start, item.end) for index, item in enumerate(items) if isinstance(item, YearlyItem | RateItem) and item.indexed}


def item_costs(period: Period, items: tuple[CostItem, ...], unit: int, indexation: Indexation | None = None) -> tuple[ItemCost, ...]:
    """The cost of every item that runs in the period (in item order); items outside it are left out."""
    costs = (item.cost_in(period, unit, indexation) for item in items)
    return tuple(cost for cost in costs if cost is not None)
