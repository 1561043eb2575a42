"""The numpy fast path behind largest_remainder gives exactly what the oracle gives, ties included.

Hypothesis draws a few numbers (a length, a bound, a seed) and numpy makes the weights from them: hundreds of
weights drawn one by one through hypothesis take long enough that, on a busy machine, hypothesis stops the test as
"input generation is slow". Drawn like this, making an example costs next to nothing on any machine. The oracle's
Fractions over a thousand weights take their time, so no example has a deadline: only timing could fail one.
"""

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from costshare.core.apportion import FAST_PATH_MIN, largest_remainder
from costshare.core.apportion_fast import fits, split_parts

from .test_apportion import oracle

SEEDS = st.integers(0, 2**64 - 1)


def weights_from(seed: int, count: int, largest: int, zero_share: float) -> list[int]:
    """`count` weights from 0 to `largest`, about `zero_share` of them 0 but never all, made by numpy from `seed`."""
    rng = np.random.default_rng(seed)
    weights = rng.integers(0, largest, count, endpoint=True)
    weights[rng.random(count) < zero_share] = 0
    weights[rng.integers(count)] = rng.integers(1, largest, endpoint=True)
    return [int(weight) for weight in weights]


@settings(deadline=None)
@given(st.integers(0, 2**49), st.integers(1, 400), st.integers(1, 10**9), st.sampled_from([0.0, 0.5, 0.95]), SEEDS)
def test_split_parts_equal_the_oracle(total, count, largest, zero_share, seed):
    weights = weights_from(seed, count, largest, zero_share)
    if fits(total, max(weights), sum(weights)):
        floors, queue, _ = oracle(total, weights, list(range(len(weights))))
        parts = split_parts(total, weights, list(range(len(weights))), sum(weights))
        assert (parts[0], parts[2]) == (floors, queue)


@settings(deadline=None)
@given(st.integers(0, 10**6), st.integers(1, 40), SEEDS)
def test_through_largest_remainder_ties_follow_the_tie_key_not_the_position(total, period, seed):
    """Enough weights for the fast path, few distinct ones: many equal remainders, so the tie rule decides.
    A short pattern of weights from 0 to 3 is repeated past FAST_PATH_MIN, and the tie keys are shuffled."""
    weights = weights_from(seed, period, 3, 0.25) * (FAST_PATH_MIN // period + 1)
    keys = [int(key) for key in np.random.default_rng(seed).permutation(len(weights))]
    result = largest_remainder(total, weights, keys)
    assert list(result.amounts) == oracle(total, weights, keys)[2]


def test_fits_only_where_int64_and_the_float_estimate_are_exact():
    assert fits(10**9, 10**5, 10**9)
    assert not fits(2**50, 1, 1)  # a total too large for the float estimate
    assert not fits(10**10, 10**9, 10**9)  # (total + 1) × weight past int64


def test_where_it_does_not_fit_python_ints_give_the_same_rule():
    weights = [10**12 + index for index in range(FAST_PATH_MIN)]
    total = 10**9  # total × weight > 2**63: the fast path declines
    assert not fits(total, max(weights), sum(weights))
    assert (
        list(largest_remainder(total, weights, list(range(len(weights)))).amounts) == oracle(total, weights, list(range(len(weights))))[2]
    )
