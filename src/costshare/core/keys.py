"""How one cost item is shared among the members paying in a budget year: by a key, with an optional cap, exactly.

A key is one or more named bases with a percent each (`population` 100 by default; `equal`; a weights file's
name; a blend such as equal 30 / population 70). A member's weight under a base is its value (its key-year
population, 1 for equal, its figure in the weights file) × its months in the budget year; each part of the cost
is shared in proportion to those weights. With a cap, a member whose share would pass its own cap (the cap × the
months it pays of the item / 12: core/items.py) pays that, and the rest is shared again among the others by the
same key, round after round, until nobody is over.

Everything here is an exact Fraction of minor units; the rounding to whole units happens once per budget year,
on the sum of a member's exact shares of every item (core/allocate.py).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from fractions import Fraction

from .errors import AllocationError, DataError, Problem
from .municipality import Municipality

# The bases every agreement has, by name; a weights file adds its own (a name not among these).
POPULATION, EQUAL = "population", "equal"
BUILT_IN_BASES = (POPULATION, EQUAL)

# {base name: {code: value}} for one budget year: population, 1 for equal, a weights file's figure
Values = Mapping[str, Mapping[str, Fraction]]


@dataclass(frozen=True)
class KeyPart:
    """One base's part of a member's share: `percent` of the item's cost, by `weight` (value × months) of `total`."""

    base: str
    percent: Fraction
    value: Fraction
    weight: Fraction
    total: Fraction
    exact: Fraction  # minor units


@dataclass(frozen=True)
class ItemShare:
    """A member's exact share of one item in one budget year: by its key's parts, or the cap it reached."""

    label: str
    exact: Fraction  # minor units
    parts: tuple[KeyPart, ...] = ()
    shared: Fraction = Fraction(0)  # the cost shared in the round that gave `parts` (the item's cost less caps paid)
    cap: Fraction | None = None  # the member's cap for this item this year, where it pays the cap
    rounds: int = 0  # rounds the cap took for this item (0: nobody reached it)


def _by_key(
    cost: Fraction,
    key: tuple[tuple[str, Fraction], ...],
    values: Values,
    months: Mapping[str, int],
    codes: list[str],
    label: str,
    year: int,
) -> dict[str, tuple[KeyPart, ...]]:
    parts: dict[str, list[KeyPart]] = {code: [] for code in codes}
    for base, percent in key:
        weights = {code: values[base][code] * months[code] for code in codes}
        total = sum(weights.values(), Fraction(0))
        part_cost = cost * percent / 100
        if total == 0 and part_cost:  # only a weights file can give every member 0 (the name it is read by)
            params = (("item", label), ("name", base), ("year", year))
            raise DataError([Problem("err_key_no_weight", hint_key="hint_fill_weights", params=params)])
        for code in codes:
            exact = part_cost * weights[code] / total if total else Fraction(0)
            parts[code].append(KeyPart(base, percent, values[base][code], weights[code], total, exact))
    return {code: tuple(found) for code, found in parts.items()}


def share_item(
    label: str,
    cost: int | Fraction,
    key: tuple[tuple[str, Fraction], ...],
    caps: Mapping[str, Fraction] | None,
    values: Values,
    months: Mapping[str, int],
    year: int,
) -> dict[str, ItemShare]:
    """Every paying member's exact share of one item's `cost` (minor units) in budget year `year`.

    `caps` is the most each member pays of this item this year, by code (None: no cap); an unreachable cap (all
    members at theirs and cost still left) is an AllocationError."""
    capped: list[str] = []
    rounds = 0
    while True:
        shared = Fraction(cost) - sum((caps[code] for code in capped), Fraction(0)) if caps is not None else Fraction(cost)
        parts = _cap_round(shared, key, values, months, capped, label, year)
        over = [code for code, found in parts.items() if caps is not None and _exact(found) > caps[code]]
        if not over:
            return _item_shares(label, parts, shared, capped, caps, rounds)
        capped += over
        rounds += 1


@dataclass(frozen=True)
class KeyedItem:
    """A shared item as its budget year shares it: its cost (minor units), its key and each paying member's cap."""

    label: str
    cost: int
    key: tuple[tuple[str, Fraction], ...]
    caps: Mapping[str, Fraction] | None  # by code; None: no cap
    exact: Fraction = Fraction(0)  # its cost before the one rounding


@dataclass(frozen=True)
class Sharing:
    """How a budget year's shared items are shared: the items, each base's value per member, each member's months."""

    year: int
    items: tuple[KeyedItem, ...]
    values: Values
    months: Mapping[str, int]

    def shares(self, costs: tuple[Fraction, ...] | None = None) -> dict[str, tuple[ItemShare, ...]]:
        """Each member's exact share of each item, by code: of the items' own costs, or of `costs` (in item order)."""
        amounts = costs if costs is not None else tuple(Fraction(item.cost) for item in self.items)
        by_item = [
            share_item(i.label, cost, i.key, i.caps, self.values, self.months, self.year)
            for i, cost in zip(self.items, amounts, strict=True)
        ]
        return {code: tuple(found[code] for found in by_item) for code in self.months}

    @property
    def capped(self) -> bool:
        """Whether an item has a cap."""
        return any(item.caps is not None for item in self.items)

    def resplit(self, actual: int) -> list[Fraction] | None:
        """Each member's exact share of an `actual` cost (in code order) where an item has a cap: each item's part of it
        (`proportions`), shared again by its key within each member's cap. None where no item has a cap (the budget's
        own weights then split it alike) or there is nothing to share."""
        if not actual or not self.capped:
            return None
        parts = proportions(self.items)
        shares = self.shares(tuple(actual * part / sum(parts) for part in parts))
        return [sum((share.exact for share in shares[code]), Fraction(0)) for code in sorted(self.months)]


def proportions(items: tuple[KeyedItem, ...]) -> list[Fraction]:
    """Each item's part of a year's actual cost: in proportion to its cost; to its exact cost where every item rounded
    to 0; equal parts where that is 0 too."""
    for parts in ([Fraction(item.cost) for item in items], [item.exact for item in items]):
        if any(parts):
            return parts
    return [Fraction(1)] * len(items)


def _exact(parts: tuple[KeyPart, ...]) -> Fraction:
    return sum((part.exact for part in parts), Fraction(0))


def _cap_round(
    shared: Fraction,
    key: tuple[tuple[str, Fraction], ...],
    values: Values,
    months: Mapping[str, int],
    capped: list[str],
    label: str,
    year: int,
) -> dict[str, tuple[KeyPart, ...]]:
    """One round of a capped item: `shared` (its cost less the caps paid so far) by key among the members not capped."""
    free = [code for code in sorted(months) if code not in capped]
    if free:
        return _by_key(shared, key, values, months, free, label, year)
    if shared > 0:
        params = (("item", label), ("year", year), ("members", len(capped)))
        raise AllocationError([Problem("err_cap_unreachable", params=params)])
    return {}


def _item_shares(
    label: str,
    parts: Mapping[str, tuple[KeyPart, ...]],
    shared: Fraction,
    capped: list[str],
    caps: Mapping[str, Fraction] | None,
    rounds: int,
) -> dict[str, ItemShare]:
    shares = {code: ItemShare(label, _exact(found), found, shared, None, rounds) for code, found in parts.items()}
    shares.update({code: ItemShare(label, caps[code], (), shared, caps[code], rounds) for code in capped if caps is not None})
    return shares


def key_values(year: int, rows: list[Municipality], weights: Mapping[str, Mapping[int, Mapping[str, Fraction]]], used: set[str]) -> Values:
    """Each base's value per member in budget year `year`; a weights file an item uses this year without the year or
    a member is a gap."""
    values: dict[str, Mapping[str, Fraction]] = {
        POPULATION: {r.code: Fraction(r.population) for r in rows},
        EQUAL: {r.code: Fraction(1) for r in rows},
    }
    for name, by_year in weights.items():
        if name not in used:
            continue
        figures = by_year.get(year, {})
        missing = [r.code for r in rows if r.code not in figures]
        if missing:
            raise DataError([Problem("err_weights_gap", params=(("name", name), ("year", year), ("codes", ", ".join(missing))))])
        values[name] = {r.code: figures[r.code] for r in rows}
    return values


def whole_weights(exact: list[Fraction]) -> list[int]:
    """Whole-number weights in proportion to exact shares: the split by them has those shares as its quotas."""
    scale = math.lcm(*(share.denominator for share in exact))
    return [int(share * scale) for share in exact]
