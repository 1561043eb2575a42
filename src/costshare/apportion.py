"""Largest-remainder (Hamilton) apportionment in whole units. Integers only.

Every recipient first gets the floor of its exact quota `total × weight / Σweight`;
the units left over go one each to the largest remainders. Ties go to the larger
weight, then to the lower position, so callers pass recipients in a stable order
(costshare passes municipalities sorted by code).
"""

from __future__ import annotations

from collections.abc import Sequence


def _check(total: int, weights: Sequence[int]) -> int:
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


def _ranking(weights: Sequence[int], remainders: Sequence[int]) -> list[int]:
    return sorted(range(len(weights)), key=lambda i: (-remainders[i], -weights[i], i))


def remainder_order(total: int, weights: Sequence[int]) -> list[int]:
    """Positions in the order they receive leftover units: largest remainder first,
    ties to the larger weight, then the lower position."""
    weight_sum = _check(total, weights)
    return _ranking(weights, [total * weight % weight_sum for weight in weights])


def largest_remainder(total: int, weights: Sequence[int]) -> list[int]:
    """Split `total` units in proportion to `weights`; the result sums to `total` exactly."""
    weight_sum = _check(total, weights)
    amounts = []
    remainders = []
    for weight in weights:
        floor, remainder = divmod(total * weight, weight_sum)
        amounts.append(floor)
        remainders.append(remainder)
    leftover = total - sum(amounts)
    if leftover:
        for position in _ranking(weights, remainders)[:leftover]:
            amounts[position] += 1
    return amounts
