"""Largest remainder for very many weights, in numpy with int64: the same rule as apportion.py, exact.

Two entry points:
- `split_parts`, behind `apportion.largest_remainder` from FAST_PATH_MIN weights on: floors,
  remainders and the whole leftover queue, by vectorised divmod and one lexsort.
- `largest_remainder_array`, for numpy arrays where only the amounts are wanted: no full sort,
  one pass in cache-sized steps (benchmarks/run.py measures it at 10⁶ weights).

Used only where int64 cannot overflow (`fits`); elsewhere apportion.py's Python ints run. numpy
is imported by this module only, and this module only when a split is large. The ranking rule is
vectorised here as lexsort keys; the tests hold it to apportion.leftover_queue.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

from .apportion import largest_remainder

if TYPE_CHECKING:
    from numpy.typing import NDArray

_INT64_MAX = 2**63 - 1
_FLOAT_EXACT_TOTAL = 2**50  # below this, total × weight / Σweight in float64 is off by less than one
# Elements per step: each step's scratch arrays (under 128 KiB) stay in the CPU cache and on the
# heap, so a million weights cost one output array and no per-element Python work.
_CHUNK = 16_000


def fits(total: int, max_weight: int, weight_sum: int) -> bool:
    """Whether int64 arithmetic (and the float estimate of a floor) is exact for these magnitudes."""
    return total < _FLOAT_EXACT_TOTAL and (total + 1) * max_weight + weight_sum <= _INT64_MAX


def split_parts(total: int, weights: Sequence[int], ranks: Sequence[int], weight_sum: int) -> tuple[list[int], list[int], list[int]]:
    """Floors, remainders and the leftover queue (larger remainder, larger weight, lower rank first)."""
    array = np.asarray(weights, dtype=np.int64)
    floors, remainders = np.divmod(array * total, weight_sum)
    queue = np.lexsort((np.asarray(ranks, dtype=np.int64), -array, -remainders))
    return floors.tolist(), remainders.tolist(), queue.tolist()


def largest_remainder_array(total: int, weights: Any, tie_rank: Any) -> NDArray[Any]:
    """The amounts of largest_remainder for a numpy integer array of weights.

    `tie_rank` is an integer array, distinct per weight: among equal remainders and weights, the
    lower rank wins. Returns an int64 array (Python ints, dtype object, where int64 would overflow)."""
    weights = np.asarray(weights)
    tie_rank = np.asarray(tie_rank)
    if weights.ndim != 1 or weights.dtype.kind not in "iu":
        raise TypeError("weights must be a one-dimensional integer array")
    if tie_rank.shape != weights.shape or tie_rank.dtype.kind not in "iu":
        raise TypeError("tie_rank must be an integer array with one rank per weight")
    if isinstance(total, bool) or not isinstance(total, int):
        raise TypeError("total must be an int number of units")
    if total < 0:
        raise ValueError(f"total must not be negative, got {total}")
    if weights.size == 0:
        raise ValueError("weights must not all be zero")
    if int(weights.min()) < 0:
        raise ValueError("weights must not be negative")
    max_weight = int(weights.max())
    # an int64 sum could overflow where max_weight × size does not fit: then Python ints add them
    weight_sum = int(weights.sum(dtype=np.int64)) if max_weight * weights.size <= _INT64_MAX else sum(weights.tolist())
    if weight_sum == 0:
        raise ValueError("weights must not all be zero")
    if not fits(total, max_weight, weight_sum):
        return np.array(largest_remainder(total, weights.tolist(), tie_rank.tolist()).amounts, dtype=object)
    return _fast(total, weights.astype(np.int64, copy=False), tie_rank, weight_sum)


def _fast(total: int, weights: NDArray[np.int64], tie_rank: NDArray[Any], weight_sum: int) -> NDArray[np.int64]:
    size = len(weights)
    amounts = np.empty(size, dtype=np.int64)
    step = min(size, _CHUNK)
    estimate, exact, scratch = np.empty(step), np.empty(step, dtype=np.int64), np.empty(step, dtype=np.int64)
    ratio = total / weight_sum
    half = -(-weight_sum // 2)

    def remainders(w: NDArray[np.int64], a: NDArray[np.int64]) -> NDArray[np.int64]:
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
    # queue order: larger remainder, then larger weight, then lower tie rank
    order = candidates[np.lexsort((tie_rank[candidates], -weights[candidates], -candidate_remainders))]
    if missing > 0:
        amounts[order[:missing]] += 1
    else:
        amounts[order[missing:]] -= 1
    return amounts


def _scan_beyond_band(
    weights: NDArray[np.int64],
    amounts: NDArray[np.int64],
    weight_sum: int,
    missing: int,
    width: int,
    remainders: Callable[[NDArray[np.int64], NDArray[np.int64]], NDArray[np.int64]],
    step: int,
) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
    """Pass 2, rarely needed: widen the band until it holds enough candidates on the needed side.

    After pass 1, w × total − a × Σweight is the remainder (≥ 0, below one half) or the remainder
    minus Σweight (< 0, rounded up), so the candidates lie near +half or −half respectively."""
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
