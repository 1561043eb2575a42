from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from costshare.apportion import largest_remainder, remainder_order

REGION_2023 = [51507, 62458, 90446, 24216, 32977, 73440, 37344, 48602, 35906, 79728, 23692, 30444, 28930, 39921, 84574, 60231, 45441]

weights_strategy = st.lists(st.integers(min_value=0, max_value=10**9), min_size=1, max_size=60).filter(lambda w: sum(w) > 0)
totals_strategy = st.integers(min_value=0, max_value=10**15)


def test_half_year_of_the_alliance_adds_up_where_plain_rounding_does_not():
    plain = sum(round(Fraction(365000 * w, sum(REGION_2023))) for w in REGION_2023)
    assert plain == 364998
    amounts = largest_remainder(365000, REGION_2023)
    assert sum(amounts) == 365000
    assert amounts[REGION_2023.index(30444)] == 13075


def test_full_year_gives_soro_26150():
    assert largest_remainder(730000, REGION_2023)[REGION_2023.index(30444)] == 26150


def test_leftover_goes_to_largest_remainders():
    # quotas 3.5, 3.3, 3.2 → floors 3,3,3, one left for the .5
    assert largest_remainder(10, [35, 33, 32]) == [4, 3, 3]


def test_ties_go_to_larger_weight_then_lower_position():
    # 1 unit over weights 1 and 3 of 4 in two groups: quotas 0.25, 0.75 → the 0.75 wins
    assert largest_remainder(1, [1, 3]) == [0, 1]
    # quotas 0.5, 1.5, 1.0: equal remainders, so the larger weight wins although it comes later
    assert largest_remainder(3, [1, 3, 2]) == [0, 2, 1]
    assert largest_remainder(3, [3, 1, 2]) == [2, 0, 1]
    # equal weights and remainders: the lower position wins
    assert largest_remainder(1, [5, 5]) == [1, 0]


def test_zero_total_and_zero_weight():
    assert largest_remainder(0, [1, 2, 3]) == [0, 0, 0]
    assert largest_remainder(7, [0, 1]) == [0, 7]


@pytest.mark.parametrize(
    ("total", "weights", "error"),
    [(-1, [1], ValueError), (5, [0, 0], ValueError), (5, [], ValueError), (5, [1, -1], ValueError), (5.0, [1], TypeError), (5, [1.5], TypeError)],
)
def test_bad_input_is_refused(total, weights, error):
    with pytest.raises(error):
        largest_remainder(total, weights)


@given(totals_strategy, weights_strategy)
def test_sum_is_preserved_and_each_amount_within_one_unit_of_its_quota(total, weights):
    amounts = largest_remainder(total, weights)
    assert sum(amounts) == total
    weight_sum = sum(weights)
    for amount, weight in zip(amounts, weights):
        quota = Fraction(total * weight, weight_sum)
        assert quota - 1 < amount < quota + 1


@given(totals_strategy, weights_strategy, st.randoms())
def test_input_order_does_not_change_what_each_weight_gets(total, weights, random):
    amounts = largest_remainder(total, weights)
    order = list(range(len(weights)))
    random.shuffle(order)
    shuffled = largest_remainder(total, [weights[i] for i in order])
    # equal weights may swap who gets a tied unit, so compare per weight value
    by_weight: dict[int, list[int]] = {}
    for weight, amount in zip(weights, amounts):
        by_weight.setdefault(weight, []).append(amount)
    by_weight_shuffled: dict[int, list[int]] = {}
    for position, amount in zip(order, shuffled):
        by_weight_shuffled.setdefault(weights[position], []).append(amount)
    assert {w: sorted(a) for w, a in by_weight.items()} == {w: sorted(a) for w, a in by_weight_shuffled.items()}


@given(totals_strategy, weights_strategy)
def test_larger_weight_never_gets_less(total, weights):
    amounts = largest_remainder(total, weights)
    for i in range(len(weights)):
        for j in range(len(weights)):
            if weights[i] > weights[j]:
                assert amounts[i] >= amounts[j]


@given(totals_strategy, weights_strategy)
def test_remainder_order_names_exactly_who_got_the_extra_units(total, weights):
    amounts = largest_remainder(total, weights)
    weight_sum = sum(weights)
    floors = [total * w // weight_sum for w in weights]
    leftover = total - sum(floors)
    order = remainder_order(total, weights)
    assert sorted(order) == list(range(len(weights)))
    extra = {i for i in range(len(weights)) if amounts[i] == floors[i] + 1}
    assert extra == set(order[:leftover])


# The numpy fast path must give exactly what the Python-int path gives.
np = pytest.importorskip("numpy")

from costshare.apportion import FAST_PATH_MIN, _fast, fits_fast_path, largest_remainder_array  # noqa: E402


def _reference(total, weights):
    """The Python-int path, whatever the size."""
    weight_sum = sum(weights)
    amounts = [total * w // weight_sum for w in weights]
    for position in remainder_order(total, weights)[: total - sum(amounts)]:
        amounts[position] += 1
    return amounts


@given(
    st.integers(0, 2**49),
    st.lists(st.integers(0, 10**9), min_size=1, max_size=400).filter(lambda w: sum(w) > 0),
)
def test_fast_path_equals_the_python_path(total, weights):
    if fits_fast_path(total, max(weights), sum(weights)):
        assert _fast(total, np.array(weights, dtype=np.int64), sum(weights)).tolist() == _reference(total, weights)
    assert largest_remainder_array(total, np.array(weights, dtype=np.int64)).tolist() == _reference(total, weights)


@given(st.integers(0, 10**6), st.lists(st.integers(0, 3), min_size=2, max_size=300).filter(lambda w: sum(w) > 0))
def test_fast_path_breaks_ties_the_same_way(total, weights):
    """Few distinct weights: many equal remainders, so the tie rule decides."""
    assert largest_remainder_array(total, np.array(weights)).tolist() == _reference(total, weights)


def test_largest_remainder_switches_to_the_fast_path_for_many_weights():
    rng = np.random.default_rng(5)
    weights = rng.integers(1, 10**5, FAST_PATH_MIN * 3).tolist()
    total = 12_345_678_900
    assert largest_remainder(total, weights) == _reference(total, weights)


@pytest.mark.parametrize("total", [10**15, 2**50 + 7])
def test_huge_totals_and_populations_fall_back_to_python_ints(total):
    weights = [10**9, 10**9 - 1, 3, 999_999_937]
    amounts = largest_remainder_array(total, np.array(weights, dtype=np.int64))
    assert amounts.tolist() == _reference(total, weights)
    assert sum(amounts.tolist()) == total


def test_array_input_is_checked():
    with pytest.raises(TypeError):
        largest_remainder_array(10, np.array([1.5, 2.0]))
    with pytest.raises(ValueError):
        largest_remainder_array(10, np.array([1, -1]))
    with pytest.raises(ValueError):
        largest_remainder_array(10, np.array([0, 0]))


@pytest.mark.parametrize(
    ("total", "weights", "expected"),
    [(3, [1, 3, 2], [0, 2, 1]), (3, [3, 1, 2], [2, 0, 1]), (1, [5, 5], [1, 0]), (1, [1, 3], [0, 1]), (10, [35, 33, 32], [4, 3, 3]),
     (5, [1, 1, 1, 1, 1, 1, 3, 3], [1, 1, 1, 0, 0, 0, 1, 1])],
)
def test_fast_path_tie_rule_examples(total, weights, expected):
    assert _reference(total, weights) == expected
    assert _fast(total, np.array(weights, dtype=np.int64), sum(weights)).tolist() == expected


def test_fast_path_widens_its_search_band_when_remainders_sit_far_from_one_half():
    weights = [1] * 2000  # every quota is 3.05: remainders far below one half
    total = 2000 * 3 + 100
    assert _fast(total, np.array(weights, dtype=np.int64), sum(weights)).tolist() == _reference(total, weights) == [4] * 100 + [3] * 1900
    total = 2000 * 3 + 1900  # every quota is 3.95: one hundred must give a unit back
    assert _fast(total, np.array(weights, dtype=np.int64), sum(weights)).tolist() == [4] * 1900 + [3] * 100
