"""The numpy fast path gives exactly what the oracle gives, on every branch of its correction logic."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from costshare.core.apportion_fast import fits, largest_remainder_array, split_parts

from .test_apportion import oracle


def amounts(total: int, weights: list[int]) -> list[int]:
    return largest_remainder_array(total, np.array(weights, dtype=np.int64), np.arange(len(weights))).tolist()


def expected(total: int, weights: list[int]) -> list[int]:
    return oracle(total, weights, list(range(len(weights))))[2]


@given(st.integers(0, 2**49), st.lists(st.integers(0, 10**9), min_size=1, max_size=400).filter(lambda w: sum(w) > 0))
def test_array_amounts_and_split_parts_equal_the_oracle(total, weights):
    assert amounts(total, weights) == expected(total, weights)
    if fits(total, max(weights), sum(weights)):
        floors, queue, _ = oracle(total, weights, list(range(len(weights))))
        parts = split_parts(total, weights, list(range(len(weights))), sum(weights))
        assert (parts[0], parts[2]) == (floors, queue)


@given(st.integers(0, 10**6), st.lists(st.integers(0, 3), min_size=2, max_size=300).filter(lambda w: sum(w) > 0), st.randoms())
def test_ties_follow_the_tie_rank_not_the_position(total, weights, random):
    """Few distinct weights: many equal remainders, so the tie rule decides."""
    ranks = list(range(len(weights)))
    random.shuffle(ranks)
    got = largest_remainder_array(total, np.array(weights), np.array(ranks)).tolist()
    assert got == oracle(total, weights, ranks)[2]


def float_floor(total: int, weight: int, weight_sum: int) -> int:
    """What the fast path's first estimate of a floor is: a float product, truncated."""
    return int(np.int64(weight) * (total / weight_sum))


def test_a_float_estimate_one_too_low_is_corrected():
    total, weights = 61, [7, 0]
    assert float_floor(total, 7, 7) == 60 < 61  # the estimate is low: this input reaches that branch
    assert amounts(total, weights) == expected(total, weights) == [61, 0]


def test_a_float_estimate_one_too_high_is_corrected():
    # weight × total = k × Σweight − 1: the exact quota is just below a whole number, the float rounds up to it
    total, weight_sum = 999983, 10**12
    weight = -pow(total, -1, weight_sum) % weight_sum
    weights = [weight, weight_sum - weight]
    assert float_floor(total, weight, weight_sum) > weight * total // weight_sum  # the estimate is high
    assert amounts(total, weights) == expected(total, weights)


def test_round_half_up_that_hits_the_total_needs_no_correction():
    assert amounts(10, [25, 25, 25, 25]) == [3, 3, 2, 2]  # 2.5 each: half up gives 12, so two units go back, by rank
    assert amounts(9, [1, 1, 1]) == [3, 3, 3]  # exact quotas: half up is already right


@pytest.mark.parametrize(
    ("total", "expected_amounts"),
    [(2000 * 3 + 100, [4] * 100 + [3] * 1900), (2000 * 3 + 1900, [4] * 1900 + [3] * 100)],
    ids=["units-missing", "units-over"],
)
def test_remainders_far_from_one_half_need_the_second_pass(total, expected_amounts):
    # every quota is 3.05 (or 3.95): no remainder near one half, so pass 1 collects no candidates
    assert amounts(total, [1] * 2000) == expected_amounts


def test_the_second_pass_widens_its_band_until_it_has_enough_candidates():
    size = 200_000  # the first band is narrow (about 7 % of Σweight); remainders of 0.0005 need it widened twice
    got = largest_remainder_array(size * 3 + 100, np.ones(size, dtype=np.int64), np.arange(size))
    assert got[:100].tolist() == [4] * 100 and int(got[100:].min()) == int(got[100:].max()) == 3
    # the expected amounts by hand: quota 3.0005 each, the 100 leftover units to the 100 lowest ranks


def test_totals_beyond_int64_fall_back_to_python_ints():
    weights = [10**9, 10**9 - 1, 3, 999_999_937]
    for total in (10**15, 2**50 + 7):
        assert not fits(total, max(weights), sum(weights))
        got = largest_remainder_array(total, np.array(weights, dtype=np.int64), np.arange(4))
        assert got.tolist() == expected(total, weights) and sum(got.tolist()) == total


def test_weights_whose_int64_sum_would_overflow_are_summed_exactly():
    weights = [2**62, 2**62, 2**61]
    got = largest_remainder_array(5, np.array(weights, dtype=np.uint64), np.arange(3))
    assert got.tolist() == expected(5, weights)


@pytest.mark.parametrize(
    ("total", "weights", "ranks", "error"),
    [
        (10, np.array([1.5, 2.0]), np.arange(2), TypeError),
        (10, np.array([[1, 2]]), np.arange(2), TypeError),
        (10, np.array([1, 2]), np.arange(3), TypeError),
        (10.0, np.array([1, 2]), np.arange(2), TypeError),
        (-1, np.array([1, 2]), np.arange(2), ValueError),
        (10, np.array([1, -1]), np.arange(2), ValueError),
        (10, np.array([0, 0]), np.arange(2), ValueError),
        (10, np.array([], dtype=np.int64), np.arange(0), ValueError),
    ],
)
def test_array_input_is_checked(total, weights, ranks, error):
    with pytest.raises(error):
        largest_remainder_array(total, weights, ranks)
