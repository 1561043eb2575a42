"""The numpy fast path behind largest_remainder gives exactly what the oracle gives, ties included."""

from hypothesis import given
from hypothesis import strategies as st

from costshare.core.apportion import FAST_PATH_MIN, largest_remainder
from costshare.core.apportion_fast import fits, split_parts

from .test_apportion import oracle


@given(st.integers(0, 2**49), st.lists(st.integers(0, 10**9), min_size=1, max_size=400).filter(lambda w: sum(w) > 0))
def test_split_parts_equal_the_oracle(total, weights):
    if fits(total, max(weights), sum(weights)):
        floors, queue, _ = oracle(total, weights, list(range(len(weights))))
        parts = split_parts(total, weights, list(range(len(weights))), sum(weights))
        assert (parts[0], parts[2]) == (floors, queue)


@given(
    st.integers(0, 10**6),
    # a short pattern repeated past FAST_PATH_MIN: small for hypothesis to make, long enough for the fast path
    st.lists(st.integers(0, 3), min_size=1, max_size=40).filter(lambda w: sum(w) > 0).map(lambda w: w * (FAST_PATH_MIN // len(w) + 1)),
    st.randoms(),
)
def test_through_largest_remainder_ties_follow_the_tie_key_not_the_position(total, weights, random):
    """Enough weights for the fast path, few distinct ones: many equal remainders, so the tie rule decides."""
    keys = list(range(len(weights)))
    random.shuffle(keys)
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
