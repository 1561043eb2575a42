"""Largest remainder, held to an independent oracle: plain Fraction arithmetic and sorted(), no product code."""

import math
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from costshare.core.apportion import FAST_PATH_MIN, largest_remainder

from .conftest import REGION_2023

weights_strategy = st.lists(st.integers(min_value=0, max_value=10**9), min_size=1, max_size=60).filter(lambda w: sum(w) > 0)
totals_strategy = st.integers(min_value=0, max_value=10**15)


def oracle(total: int, weights: list[int], keys: list[int] | list[str]) -> tuple[list[int], list[int], list[int]]:
    """Hamilton's method written out from its definition: floors, the leftover queue, the amounts."""
    quotas = [Fraction(total * weight, sum(weights)) for weight in weights]
    floors = [math.floor(quota) for quota in quotas]
    queue = sorted(range(len(weights)), key=lambda i: (-(quotas[i] - floors[i]), -weights[i], keys[i]))
    amounts = list(floors)
    for position in queue[: total - sum(floors)]:
        amounts[position] += 1
    return floors, queue, amounts


def split(total: int, weights: list[int]):
    return largest_remainder(total, weights, tie_key=list(range(len(weights))))


def test_half_year_of_the_alliance_adds_up_where_plain_rounding_does_not():
    plain = sum(round(Fraction(365000 * w, sum(REGION_2023))) for w in REGION_2023)
    assert plain == 364998
    result = split(365000, REGION_2023)
    assert sum(result.amounts) == 365000
    assert result.amounts[REGION_2023.index(30444)] == 13075


def test_full_year_gives_soro_26150_and_the_queue_that_explain_shows():
    result = split(730000, REGION_2023)
    soro = REGION_2023.index(30444)
    assert result.amounts[soro] == 26150
    # worked by hand in docs/method.md: floors add up to 729.991, 9 units left, Sorø's 0.42 is 11th in line
    assert result.floor_total == 729991 and result.leftover == 9
    assert result.floors[soro] == 26150 and not result.got_extra_unit(soro)
    assert result.remainder(soro) == Fraction(730000 * 30444, 849857) - 26150
    assert result.rank(soro) == 11


def test_leftover_goes_to_largest_remainders():
    # quotas 3.5, 3.3, 3.2 → floors 3,3,3, one left for the .5
    assert split(10, [35, 33, 32]).amounts == (4, 3, 3)


def test_ties_go_to_larger_weight_then_lower_key_whatever_the_order():
    # quotas 0.5, 1.5, 1.0: equal remainders, so the larger weight wins although it comes later
    assert split(3, [1, 3, 2]).amounts == (0, 2, 1)
    assert split(3, [3, 1, 2]).amounts == (2, 0, 1)
    # equal weights and remainders: the lower key wins, wherever it stands
    assert largest_remainder(1, [5, 5], tie_key=["340", "330"]).amounts == (0, 1)
    assert largest_remainder(1, [5, 5], tie_key=["330", "340"]).amounts == (1, 0)


def test_zero_total_and_zero_weight():
    assert split(0, [1, 2, 3]).amounts == (0, 0, 0)
    assert split(7, [0, 1]).amounts == (0, 7)


@pytest.mark.parametrize(
    ("total", "weights", "keys", "error"),
    [
        (-1, [1], [0], ValueError),
        (5, [0, 0], [0, 1], ValueError),
        (5, [], [], ValueError),
        (5, [1, -1], [0, 1], ValueError),
        (5.0, [1], [0], TypeError),
        (5, [1.5], [0], TypeError),
        (5, [True], [0], TypeError),
        (5, [1, 2], [0], ValueError),
        (5, [1, 2], ["a", "a"], ValueError),
    ],
)
def test_bad_input_is_refused(total, weights, keys, error):
    with pytest.raises(error):
        largest_remainder(total, weights, tie_key=keys)


@given(totals_strategy, weights_strategy)
def test_every_part_equals_the_oracle(total, weights):
    result = split(total, weights)
    floors, queue, amounts = oracle(total, weights, list(range(len(weights))))
    assert list(result.floors) == floors
    assert list(result.queue) == queue
    assert list(result.amounts) == amounts
    assert [result.remainder(i) for i in range(len(weights))] == [result.quota(i) - floors[i] for i in range(len(weights))]


@given(totals_strategy, weights_strategy)
def test_sum_is_preserved_and_each_amount_within_one_unit_of_its_quota(total, weights):
    result = split(total, weights)
    assert sum(result.amounts) == total
    for amount, weight in zip(result.amounts, weights, strict=True):
        quota = Fraction(total * weight, sum(weights))
        assert quota - 1 < amount < quota + 1


@given(totals_strategy, weights_strategy, st.randoms())
def test_input_order_does_not_change_what_each_key_gets(total, weights, random):
    keys = [f"{i:03d}" for i in range(len(weights))]
    by_key = dict(zip(keys, largest_remainder(total, weights, keys).amounts, strict=True))
    order = list(range(len(weights)))
    random.shuffle(order)
    shuffled_keys = [keys[i] for i in order]
    shuffled = largest_remainder(total, [weights[i] for i in order], shuffled_keys)
    assert dict(zip(shuffled_keys, shuffled.amounts, strict=True)) == by_key


@given(totals_strategy, weights_strategy)
def test_larger_weight_never_gets_less(total, weights):
    amounts = split(total, weights).amounts
    for i in range(len(weights)):
        for j in range(len(weights)):
            if weights[i] > weights[j]:
                assert amounts[i] >= amounts[j]


def test_many_weights_take_the_numpy_path_and_give_the_oracles_answer():
    import random

    rng = random.Random(5)
    weights = [rng.randrange(1, 10**5) for _ in range(FAST_PATH_MIN * 3)]
    keys = [f"k{rng.random()}" for _ in weights]
    total = 12_345_678_900
    result = largest_remainder(total, weights, keys)
    floors, queue, amounts = oracle(total, weights, keys)
    assert (list(result.floors), list(result.queue), list(result.amounts)) == (floors, queue, amounts)


def test_many_weights_with_a_huge_total_stay_exact_in_python_ints():
    weights = [10**9 - i for i in range(FAST_PATH_MIN)]
    total = 2**62 + 7  # total × weight overflows int64
    result = split(total, weights)
    assert list(result.amounts) == oracle(total, weights, list(range(len(weights))))[2]
