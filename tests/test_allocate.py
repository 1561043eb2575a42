"""The split itself: the Sorø decision reproduced, every period reconciled, and the rules for the data."""

import random
from datetime import date
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from costshare.core.allocate import allocate
from costshare.core.errors import DataError
from costshare.core.items import YearlyItem
from costshare.core.key_years import population_gaps
from costshare.core.membership import Membership
from costshare.core.municipality import Municipality
from costshare.core.periods import budget_periods
from costshare.words.problems import problem_line

from .conftest import CODES, REGION_2023

PERIODS = budget_periods(date(2023, 7, 1), date(2028, 6, 30))
GATE21 = (YearlyItem("KKR Sjællands årsværk (Gate21)", 73000000),)


def region(year=2023, populations=REGION_2023):
    return {year: {code: Municipality(code, f"M{code}", pop) for code, pop in zip(CODES, populations, strict=True)}}


def test_the_soro_decision_is_reproduced():
    result = allocate(PERIODS, GATE21, 100, region(), key_year=2023)
    soro = [p.share_of("340").amount for p in result.periods]
    assert soro == [1307500, 2615000, 2615000, 2615000, 2615000, 1307500]
    assert result.total_of("340") == 13075000


def test_every_period_adds_up_to_its_cost():
    result = allocate(PERIODS, GATE21, 100, region(), key_year=2023)
    assert [p.cost for p in result.periods] == [36500000, 73000000, 73000000, 73000000, 73000000, 36500000]
    for period in result.periods:
        assert sum(s.amount for s in period.shares) == period.cost
        assert period.population_total == 849857
    assert result.total() == 365000000


def test_half_year_is_split_not_halved():
    result = allocate(PERIODS, GATE21, 100, region(), key_year=2023)
    greve_half, greve_full = result.periods[0].share_of("253").amount, result.periods[1].share_of("253").amount
    assert (greve_half, greve_full) == (2212200, 4424300)  # not 4424300 / 2


def test_rows_are_by_code_and_exact_quota_is_kept():
    result = allocate(PERIODS, GATE21, 100, region(), key_year=2023)
    assert result.codes == tuple(CODES)
    soro = result.periods[1].share_of("340")
    assert soro.quota == Fraction(73000000 * 30444, 849857)
    assert soro.fraction == Fraction(30444, 849857)


def test_input_row_order_does_not_matter():
    shuffled_codes = list(zip(CODES, REGION_2023, strict=True))
    random.Random(7).shuffle(shuffled_codes)
    table = {2023: {code: Municipality(code, f"M{code}", pop) for code, pop in shuffled_codes}}
    assert allocate(PERIODS, GATE21, 100, table, key_year=2023) == allocate(PERIODS, GATE21, 100, region(), key_year=2023)


def test_members_subset_splits_among_them_only():
    result = allocate(PERIODS, GATE21, 100, region(), key_year=2023, members=(Membership("340"), Membership("330")))
    assert result.codes == ("330", "340")
    assert result.periods[1].population_total == 30444 + 79728
    assert sum(s.amount for s in result.periods[1].shares) == 73000000


def test_unit_1000_rounds_period_cost_and_shares_to_thousands():
    result = allocate(PERIODS, (YearlyItem("x", 73050000),), 100000, region(), key_year=2023)
    assert result.periods[0].cost == 36500000  # 365.250 kr. → 365.000 kr., half up at the thousand
    for period in result.periods:
        assert all(s.amount % 100000 == 0 for s in period.shares)
        assert sum(s.amount for s in period.shares) == period.cost


def test_missing_key_year_and_members_are_reported_together():
    gaps = population_gaps(region(), PERIODS, "fixed", 2022, None)
    assert [(g.kind, g.year, g.budget_years, g.available) for g in gaps] == [("year", 2022, tuple(range(2023, 2029)), (2023,))]
    gaps = population_gaps(region(), PERIODS, "fixed", 2023, (Membership("340"), Membership("999"), Membership("998")))
    assert [(g.kind, g.code, g.year) for g in gaps] == [("member", "999", 2023), ("member", "998", 2023)]
    with pytest.raises(DataError) as caught:
        allocate(PERIODS, GATE21, 100, region(), key_year=2022)
    # the core says no words: a kind and typed values, worded at the edge
    (problem,) = caught.value.problems
    assert (problem.key, dict(problem.params)) == (
        "err_gap_year_many",
        {"year": 2022, "budget_years": tuple(range(2023, 2029)), "available": (2023,)},
    )
    assert [problem_line(item, "en") for item in caught.value.problems] == [
        "no population figures for 1 January 2022, the key year of budget years 2023–2028 (years in file: 2023)"
    ]


def test_yearly_basis_uses_each_years_figures_and_names_missing_years():
    table = {year: region(year, [p + (year - 2023) * 10 for p in REGION_2023])[year] for year in range(2023, 2029)}
    result = allocate(PERIODS, GATE21, 100, table, basis="yearly")
    assert [p.population_year for p in result.periods] == list(range(2023, 2029))
    assert result.periods[2].population_total == 849857 + 2 * 170
    del table[2026]
    gaps = population_gaps(table, PERIODS, "yearly", None, None)
    assert [(g.kind, g.year, g.budget_years, g.available) for g in gaps] == [("year", 2026, (2026,), (2023, 2024, 2025, 2027, 2028))]


def test_yearly_basis_with_other_municipalities_in_a_later_year_is_a_gap():
    table = {year: dict(region(year)[year]) for year in range(2023, 2029)}
    del table[2025]["340"]
    (gap,) = population_gaps(table, PERIODS, "yearly", None, None)
    assert (gap.kind, gap.year, gap.first, gap.count, gap.first_count) == ("other_members", 2025, 2023, 16, 17)
    assert population_gaps(table, PERIODS, "yearly", None, (Membership("330"), Membership("253"))) == []


def test_remainder_rank_matches_who_got_a_unit():
    result = allocate(PERIODS, GATE21, 100, region(), key_year=2023)
    period = result.periods[1]
    assert period.leftover_units == 9
    population = dict(zip(CODES, REGION_2023, strict=True))
    exact = {code: Fraction(73000000 * population[code], sum(REGION_2023)) for code in population}  # 730.000 kr. in øre
    assert period.floor_total == sum(int(quota // 100) * 100 for quota in exact.values())
    for share in period.shares:
        rounded_up = share.amount > share.quota
        assert (period.remainder_rank(share.code) <= period.leftover_units) == rounded_up
        assert period.remainder_of(share.code) == share.quota - (share.amount if not rounded_up else share.amount - 100)


@settings(max_examples=50)
@given(
    st.lists(st.integers(1, 10**7), min_size=1, max_size=30),
    st.integers(0, 10**9),
    st.sampled_from([1, 100, 1000, 10000, 100000]),
)
def test_any_population_and_cost_reconciles(populations, yearly, unit):
    codes = [str(100 + i) for i in range(len(populations))]
    table = {2023: {c: Municipality(c, c, p) for c, p in zip(codes, populations, strict=True)}}
    result = allocate(PERIODS, (YearlyItem("x", yearly),), unit, table, key_year=2023)
    for period in result.periods:
        assert sum(s.amount for s in period.shares) == period.cost
        for share in period.shares:
            assert abs(share.amount - share.quota) < unit
