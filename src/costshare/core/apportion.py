"""Largest-remainder (Hamilton) apportionment in whole units. Integers only.

Every recipient first gets the floor of its exact quota `total × weight / Σweight`; the units
left over go one each to the largest remainders. Ties go to the larger weight, then to the
lower tie key (costshare passes the municipality codes), so the result never depends on the
order the recipients were listed in.

`largest_remainder` returns the whole split, not just the amounts: the floors, the exact
remainders and the queue for leftover units are what `explain` shows, so nobody recomputes them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from _typeshed import SupportsRichComparison as Key  # any keys that sort: codes, numbers

# From this many weights on, the split runs in numpy (apportion_fast), where int64 allows it.
FAST_PATH_MIN = 1_000


@dataclass(frozen=True)
class Apportionment:
    """One split of `total` units by `weights`, position for position.

    `remainders[i]` is the numerator of recipient i's fractional quota over `weight_sum`
    (its exact remainder is remainders[i] / weight_sum of a unit); `queue` lists every position
    in the order it is offered a leftover unit, so the first `leftover` of them got one.
    """

    total: int
    weights: tuple[int, ...]
    floors: tuple[int, ...]
    remainders: tuple[int, ...]
    queue: tuple[int, ...]
    amounts: tuple[int, ...]

    @property
    def weight_sum(self) -> int:
        return sum(self.weights)

    @property
    def floor_total(self) -> int:
        """Units handed out as floors, before any leftover unit."""
        return sum(self.floors)

    @property
    def leftover(self) -> int:
        """Units handed out one each to the largest remainders."""
        return self.total - self.floor_total

    def quota(self, position: int) -> Fraction:
        """The exact, unrounded quota of one recipient, in units."""
        return Fraction(self.total * self.weights[position], self.weight_sum)

    def remainder(self, position: int) -> Fraction:
        """The fractional part of one recipient's quota, in units (0 ≤ remainder < 1)."""
        return Fraction(self.remainders[position], self.weight_sum)

    def rank(self, position: int) -> int:
        """1-based place of a recipient in the queue for leftover units."""
        return self.queue.index(position) + 1

    def got_extra_unit(self, position: int) -> bool:
        return self.amounts[position] > self.floors[position]


def check_split(total: int, weights: Sequence[int]) -> int:
    """Σweight, after checking that `total` and `weights` are non-negative ints and not all weights zero."""
    if isinstance(total, bool) or not isinstance(total, int):
        raise TypeError("total must be an int number of units")
    if total < 0:
        raise ValueError(f"total must not be negative, got {total}")
    weight_sum = 0
    for weight in weights:
        if isinstance(weight, bool) or not isinstance(weight, int):
            raise TypeError("weights must be ints")
        if weight < 0:
            raise ValueError(f"weights must not be negative, got {weight}")
        weight_sum += weight
    if weight_sum == 0:
        raise ValueError("weights must not all be zero")
    return weight_sum


def tie_ranks(tie_key: Sequence[Key]) -> list[int]:
    """Each position's place when the tie keys are sorted (0 = lowest); the keys must differ."""
    if len(set(tie_key)) != len(tie_key):
        raise ValueError("tie keys must be distinct, or the input order would decide ties")
    ranks = [0] * len(tie_key)
    for place, position in enumerate(sorted(range(len(tie_key)), key=tie_key.__getitem__)):
        ranks[position] = place
    return ranks


def leftover_queue(weights: Sequence[int], remainders: Sequence[int], ranks: Sequence[int]) -> list[int]:
    """The one ranking rule: larger remainder first, then larger weight, then lower tie rank."""
    return sorted(range(len(weights)), key=lambda i: (-remainders[i], -weights[i], ranks[i]))


def largest_remainder(total: int, weights: Sequence[int], tie_key: Sequence[Key]) -> Apportionment:
    """Split `total` units in proportion to `weights`; the amounts sum to `total` exactly.

    Ties between equal remainders go to the larger weight, then to the lower `tie_key`."""
    weight_sum = check_split(total, weights)
    if len(tie_key) != len(weights):
        raise ValueError(f"expected one tie key per weight, got {len(tie_key)} for {len(weights)}")
    ranks = tie_ranks(tie_key)
    if len(weights) >= FAST_PATH_MIN:
        from . import apportion_fast

        if apportion_fast.fits(total, max(weights), weight_sum):
            floors, remainders, queue = apportion_fast.split_parts(total, weights, ranks, weight_sum)
            return _assemble(total, weights, floors, remainders, queue)
    parts = [divmod(total * weight, weight_sum) for weight in weights]
    floors = [floor for floor, _ in parts]
    remainders = [remainder for _, remainder in parts]
    return _assemble(total, weights, floors, remainders, leftover_queue(weights, remainders, ranks))


def _assemble(total: int, weights: Sequence[int], floors: list[int], remainders: list[int], queue: list[int]) -> Apportionment:
    amounts = list(floors)
    for position in queue[: total - sum(floors)]:
        amounts[position] += 1
    return Apportionment(total, tuple(weights), tuple(floors), tuple(remainders), tuple(queue), tuple(amounts))
