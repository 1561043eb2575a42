"""Largest remainder for very many weights, in numpy with int64: the same rule as apportion.py, exact.

`split_parts`, behind `apportion.largest_remainder` from FAST_PATH_MIN weights on: floors,
remainders and the whole leftover queue, by vectorised divmod and one lexsort
(benchmarks/run.py measures it at 10⁶ weights, through largest_remainder).

Used only where int64 cannot overflow (`fits`); elsewhere apportion.py's Python ints run. numpy
is imported by this module only, and this module only when a split is large. The ranking rule is
vectorised here as lexsort keys; the tests hold it to apportion.leftover_queue.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

_INT64_MAX = 2**63 - 1
_FLOAT_EXACT_TOTAL = 2**50  # below this, total × weight / Σweight in float64 is off by less than one


def fits(total: int, max_weight: int, weight_sum: int) -> bool:
    """Whether int64 arithmetic (and the float estimate of a floor) is exact for these magnitudes."""
    return total < _FLOAT_EXACT_TOTAL and (total + 1) * max_weight + weight_sum <= _INT64_MAX


def split_parts(total: int, weights: Sequence[int], ranks: Sequence[int], weight_sum: int) -> tuple[list[int], list[int], list[int]]:
    """Floors, remainders and the leftover queue (larger remainder, larger weight, lower rank first)."""
    array = np.asarray(weights, dtype=np.int64)
    floors, remainders = np.divmod(array * total, weight_sum)
    queue = np.lexsort((np.asarray(ranks, dtype=np.int64), -array, -remainders))
    return floors.tolist(), remainders.tolist(), queue.tolist()
