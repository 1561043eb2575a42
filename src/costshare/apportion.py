"""Largest-remainder (Hamilton) apportionment in whole units. Integers only.

Every recipient first gets the floor of its exact quota `total × weight / Σweight`;
the units left over go one each to the largest remainders. Ties go to the larger
weight, then to the lower position, so callers pass recipients in a stable order
(costshare passes municipalities sorted by code).
"""

from __future__ import annotations

import math
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
    if len(weights) >= FAST_PATH_MIN and fits_fast_path(total, max(weights), weight_sum):
        import numpy as np

        return _fast(total, np.array(weights, dtype=np.int64), weight_sum).tolist()
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


# Fast path for large inputs: numpy, int64, no per-element Python loop. Exact, not approximate:
# a float estimate of each floor is corrected with exact int64 remainders, then the leftover
# units are placed by the same rule as above. Used only where int64 cannot overflow and the
# float estimate is within one unit; elsewhere the Python-int path above runs.
FAST_PATH_MIN = 1_000
_INT64_MAX = 2**63 - 1
_FLOAT_EXACT_TOTAL = 2**50  # below this, total × weight / Σweight in float64 is off by less than one


def fits_fast_path(total: int, max_weight: int, weight_sum: int) -> bool:
    """Whether the int64 fast path is exact for these magnitudes."""
    return total < _FLOAT_EXACT_TOTAL and (total + 1) * max_weight + weight_sum <= _INT64_MAX


def largest_remainder_array(total: int, weights):
    """largest_remainder for a numpy integer array; returns an int64 array (Python ints where int64 would overflow)."""
    import numpy as np

    weights = np.asarray(weights)
    if weights.ndim != 1 or weights.dtype.kind not in "iu":
        raise TypeError("weights must be a one-dimensional integer array")
    if isinstance(total, bool) or not isinstance(total, int):
        raise TypeError("total must be an int number of units")
    if total < 0:
        raise ValueError(f"total must not be negative, got {total}")
    if weights.size == 0 or int(weights.min()) < 0:
        raise ValueError("weights must not be negative" if weights.size else "weights must not all be zero")
    max_weight = int(weights.max())
    if max_weight * weights.size <= _INT64_MAX:
        weight_sum = int(weights.sum(dtype=np.int64))
    else:  # the int64 sum could overflow
        weight_sum = sum(weights.tolist())
    if weight_sum == 0:
        raise ValueError("weights must not all be zero")
    if not fits_fast_path(total, max_weight, weight_sum):
        return np.array(largest_remainder(total, weights.tolist()), dtype=object)
    return _fast(total, weights.astype(np.int64, copy=False), weight_sum)


# Elements per step: each step's scratch arrays (under 128 KiB) stay in the CPU cache and on the
# heap, so a million weights cost one output array and no per-element Python work.
_CHUNK = 16_000


def _fast(total: int, weights, weight_sum: int):
    import numpy as np

    size = len(weights)
    amounts = np.empty(size, dtype=np.int64)
    step = min(size, _CHUNK)
    estimate, exact, scratch = np.empty(step), np.empty(step, dtype=np.int64), np.empty(step, dtype=np.int64)
    ratio = total / weight_sum
    half = -(-weight_sum // 2)

    def remainders(w, a):
        """w × total − a × Σweight, exactly, in the reused scratch memory."""
        r, s = exact[: len(w)], scratch[: len(w)]
        np.multiply(w, total, out=r)
        np.multiply(a, weight_sum, out=s)
        r -= s
        return r

    # Round-half-up misses the total by a few units (about √n / 3 for n weights); they move where
    # largest remainder would put them: to the largest remainders below one half, or away from the
    # smallest from one half up. Pass 1 keeps the remainders in a band around one half on the way,
    # so a second pass over the data is needed only when that band holds too few of them.
    band = max((8 * math.isqrt(size) + 64) * weight_sum // size, 1)
    near_positions, near_remainders = [], []
    # Pass 1: round every quota half up, exactly. A float estimate of the floor is within one of
    # it; the exact integer remainder tells which way to correct it.
    for start in range(0, size, step):
        w, a = weights[start : start + step], amounts[start : start + step]
        np.multiply(w, ratio, out=estimate[: len(w)])
        a[...] = estimate[: len(w)]
        r = remainders(w, a)
        if r.min() < 0:
            a[r < 0] -= 1
            r = remainders(w, a)
        if r.max() >= weight_sum:
            a[r >= weight_sum] += 1
            r = remainders(w, a)
        near = np.flatnonzero((r >= half - band) & (r <= half + band))
        near_positions.append(near + start)
        near_remainders.append(r[near])
        a += r >= half
    missing = total - int(amounts.sum())
    if not missing:
        return amounts
    positions, their_remainders = np.concatenate(near_positions), np.concatenate(near_remainders)
    side = their_remainders < half if missing > 0 else their_remainders >= half
    candidates, candidate_remainders = positions[side], their_remainders[side]
    if len(candidates) < abs(missing):
        candidates, candidate_remainders = _scan_beyond_band(weights, amounts, weight_sum, missing, band * 4, remainders, step)
    # queue order: larger remainder, then larger weight, then lower position
    order = candidates[np.lexsort((candidates, -weights[candidates], -candidate_remainders))]
    if missing > 0:
        amounts[order[:missing]] += 1
    else:
        amounts[order[missing:]] -= 1
    return amounts


def _scan_beyond_band(weights, amounts, weight_sum, missing, width, remainders, step):
    """Pass 2, rarely needed: widen the band until it holds enough candidates on the needed side.

    After pass 1, w × total − a × Σweight is the remainder (≥ 0, below one half) or the remainder
    minus Σweight (< 0, rounded up), so the candidates lie near +half or −half respectively."""
    import numpy as np

    half = -(-weight_sum // 2)
    size = len(weights)
    while True:
        positions, their_remainders = [], []
        for start in range(0, size, step):
            r = remainders(weights[start : start + step], amounts[start : start + step])
            if missing > 0:
                hits = np.flatnonzero(r >= half - width)
                their_remainders.append(r[hits])
            else:
                hits = np.flatnonzero(r <= half + width - weight_sum)
                their_remainders.append(r[hits] + weight_sum)
            positions.append(hits + start)
        candidates = np.concatenate(positions)
        if len(candidates) >= abs(missing):
            return candidates, np.concatenate(their_remainders)
        width = min(width * 4, weight_sum)  # at Σweight the band holds every remainder
