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
from .money import exact_sum
from .municipality import Municipality

# The bases every agreement has, by name; a weights file adds its own (a name not among these).
POPULATION, EQUAL = "population", "equal"
BUILT_IN_BASES = (POPULATION, EQUAL)

# {base name: {code: value}} for one budget year: population, 1 for equal, a weights file's figure
Values = Mapping[str, Mapping[str, Fraction]]


@dataclass(frozen=True, slots=True)
class KeyPart:
    """One base's part of a member's share: `percent` of the item's cost, by `weight` (value × months) of `total`."""

    base: str
    percent: Fraction
    value: Fraction
    weight: Fraction
    total: Fraction
    exact: Fraction  # minor units


@dataclass(frozen=True, slots=True)
class ItemShare:
    """A member's exact share of one item in one budget year: by its key's parts, or the cap it reached."""

    label: str
    exact: Fraction  # minor units
    parts: tuple[KeyPart, ...] = ()
    shared: Fraction = Fraction(0)  # the cost shared in the round that gave `parts` (the item's cost less caps paid)
    cap: Fraction | None = None  # the member's cap for this item this year, where it pays the cap
    rounds: int = 0  # rounds the cap took for this item (0: nobody reached it)


@dataclass(frozen=True)
class Weighing:
    """Every base's weight for each member paying in a budget year (its value × its months), made once for all the
    year's items: exactly, and as whole numbers over one scale per base so each share is one exact division."""

    codes: tuple[str, ...]  # the paying members, by code
    values: Values
    weights: Mapping[str, Mapping[str, Fraction]]
    whole: Mapping[str, Mapping[str, int]]
    scales: Mapping[str, int]


def weigh(values: Values, months: Mapping[str, int]) -> Weighing:
    """The weighing of the members in `months` by every base in `values`."""
    codes = tuple(sorted(months))
    weights: dict[str, Mapping[str, Fraction]] = {}
    whole: dict[str, Mapping[str, int]] = {}
    scales: dict[str, int] = {}
    for base, by_code in values.items():
        scale = math.lcm(*(by_code[code].denominator for code in codes))
        whole[base] = {code: by_code[code].numerator * (scale // by_code[code].denominator) * months[code] for code in codes}
        weights[base] = {code: Fraction(weight, scale) for code, weight in whole[base].items()}
        scales[base] = scale
    return Weighing(codes, values, weights, whole, scales)


# One base's part of an item among some members: (base, percent, n, d, Σ whole weights); a member's exact share
# of it is n × its whole weight / d (0 where no member has a weight).
_Term = tuple[str, Fraction, int, int, int]


def _terms(
    cost: Fraction, key: tuple[tuple[str, Fraction], ...], weighing: Weighing, codes: list[str], label: str, year: int
) -> list[_Term]:
    terms = []
    for base, percent in key:
        whole = weighing.whole[base]
        whole_total = sum(whole[code] for code in codes)
        part_cost = cost * percent / 100
        if whole_total == 0 and part_cost:  # only a weights file can give every member 0 (the name it is read by)
            params = (("item", label), ("name", base), ("year", year))
            raise DataError([Problem("err_key_no_weight", hint_key="hint_fill_weights", params=params)])
        # part_cost × weight / total with the weights' common scale cancelled: one exact division per member
        terms.append((base, percent, part_cost.numerator, part_cost.denominator * whole_total or 1, whole_total))
    return terms


def _by_key(terms: list[_Term], weighing: Weighing, codes: list[str]) -> dict[str, tuple[KeyPart, ...]]:
    parts: dict[str, list[KeyPart]] = {code: [] for code in codes}
    for base, percent, numerator, denominator, whole_total in terms:
        values, weights, whole = weighing.values[base], weighing.weights[base], weighing.whole[base]
        total = Fraction(whole_total, weighing.scales[base])
        for code in codes:
            exact = Fraction(numerator * whole[code], denominator) if whole_total else Fraction(0)
            parts[code].append(KeyPart(base, percent, values[code], weights[code], total, exact))
    return {code: tuple(found) for code, found in parts.items()}


def _over(terms: list[_Term], weighing: Weighing, codes: list[str], caps: Mapping[str, Fraction]) -> list[str]:
    """The members whose exact share by `terms` is over their cap, compared as whole numbers over one denominator: a
    round that caps someone is worked out again, so only the last is made into parts."""
    common = math.lcm(*(denominator for _, _, _, denominator, _ in terms))
    scaled = [(weighing.whole[base], numerator * (common // denominator)) for base, _, numerator, denominator, _ in terms]
    if len(scaled) == 1:  # a key of one base, as most are
        ((whole, factor),) = scaled
        return [code for code in codes if factor * whole[code] * caps[code].denominator > caps[code].numerator * common]
    return [
        code
        for code in codes
        if sum(factor * whole[code] for whole, factor in scaled) * caps[code].denominator > caps[code].numerator * common
    ]


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
    return share_weighed(label, cost, key, caps, weigh(values, months), year)


def share_weighed(
    label: str,
    cost: int | Fraction,
    key: tuple[tuple[str, Fraction], ...],
    caps: Mapping[str, Fraction] | None,
    weighing: Weighing,
    year: int,
) -> dict[str, ItemShare]:
    """share_item() by a weighing of the year's members made once for all its items."""
    capped: list[str] = []
    rounds = 0
    while True:
        shared = Fraction(cost) - exact_sum([caps[code] for code in capped]) if caps is not None else Fraction(cost)
        free = _free(weighing, capped, shared, label, year)
        terms = _terms(shared, key, weighing, free, label, year)
        over = _over(terms, weighing, free, caps) if caps is not None and free else []
        if not over:
            return _item_shares(label, _by_key(terms, weighing, free), shared, capped, caps, rounds)
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
        used = {base for item in self.items for base, _ in item.key}
        weighing = weigh({base: self.values[base] for base in sorted(used)}, self.months)  # once for all the items
        by_item = [share_weighed(i.label, cost, i.key, i.caps, weighing, self.year) for i, cost in zip(self.items, amounts, strict=True)]
        return {code: tuple(found[code] for found in by_item) for code in self.months}


def _exact(parts: tuple[KeyPart, ...]) -> Fraction:
    return exact_sum([part.exact for part in parts])


def _free(weighing: Weighing, capped: list[str], shared: Fraction, label: str, year: int) -> list[str]:
    """The members a round of a capped item shares `shared` (its cost less the caps paid so far) among: those not
    capped yet. None left with cost still to share is a cap that cannot hold."""
    paying_cap = set(capped)
    free = [code for code in weighing.codes if code not in paying_cap]
    if not free and shared > 0:
        params = (("item", label), ("year", year), ("members", len(capped)))
        raise AllocationError([Problem("err_cap_unreachable", params=params)])
    return free


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
        EQUAL: dict.fromkeys((r.code for r in rows), Fraction(1)),
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
    return [share.numerator * (scale // share.denominator) for share in exact]
