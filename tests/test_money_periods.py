from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from costshare.core.items import YearlyItem, item_costs
from costshare.core.money import decimals_of, round_half_up, to_major, to_minor
from costshare.core.periods import Period, budget_periods


def test_to_minor_is_exact_and_refuses_fractions_of_an_ore():
    assert to_minor(Decimal("730000")) == 73000000
    assert to_minor(Decimal("1234.50")) == 123450
    assert to_minor(Decimal("0.01")) == 1
    with pytest.raises(ValueError, match="is not a whole number of øre"):
        to_minor(Decimal("0.001"))
    assert to_major(2615000) == Decimal("26150.00")


def test_decimals_of_counts_what_was_written():
    assert decimals_of(Decimal("730.000")) == 3
    assert decimals_of(Decimal("730000")) == 0
    assert decimals_of(Decimal("1E+3")) == 0


def test_round_half_up():
    assert round_half_up(5, 2, 1) == 3  # 2.5 → 3
    assert round_half_up(7, 3, 1) == 2  # 2.33 → 2
    assert round_half_up(150, 1, 100) == 200  # 1.5 units of 100 → 2 units
    assert round_half_up(149, 1, 100) == 100


@given(st.integers(0, 10**12), st.integers(1, 10**6), st.sampled_from([1, 100, 1000, 10000, 100000]))
def test_round_half_up_is_nearest_multiple(numerator, denominator, unit):
    rounded = round_half_up(numerator, denominator, unit)
    assert rounded % unit == 0
    assert abs(rounded * denominator - numerator) * 2 <= unit * denominator


def test_the_agreement_is_six_budget_years_with_half_years_at_each_end():
    periods = budget_periods(date(2023, 7, 1), date(2028, 6, 30))
    assert [(p.year, p.months) for p in periods] == [(2023, 6), (2024, 12), (2025, 12), (2026, 12), (2027, 12), (2028, 6)]
    assert periods[0].start == date(2023, 7, 1) and periods[0].end == date(2023, 12, 31)
    assert periods[-1].start == date(2028, 1, 1) and periods[-1].end == date(2028, 6, 30)
    assert sum(p.months for p in periods) == 60


def test_an_agreement_inside_one_year():
    assert budget_periods(date(2024, 3, 1), date(2024, 3, 31)) == (Period(2024, 3, 3),)
    assert budget_periods(date(2024, 2, 1), date(2024, 2, 29))[0].end == date(2024, 2, 29)


@pytest.mark.parametrize(
    ("start", "end"), [(date(2023, 7, 2), date(2028, 6, 30)), (date(2023, 7, 1), date(2028, 6, 29)), (date(2024, 1, 1), date(2023, 12, 31))]
)
def test_agreement_off_month_boundaries_is_refused(start, end):
    with pytest.raises(ValueError, match="does not run from a month's first to a month's last day"):
        budget_periods(start, end)


def test_an_items_cost_is_rounded_once_half_up_to_the_unit():
    def cost(yearly: int, months: int, unit: int) -> int:
        (item,) = item_costs(Period(2024, 1, months), (YearlyItem("x", yearly),), unit)
        return item.cost

    assert cost(73000000, 6, 100) == 36500000
    # 1000.01 kr. × 7/12 = 583.3391… kr. → 583 kr. with unit 1 kr.
    assert cost(100001, 7, 100) == 58300
    # 10 kr. × 3/12 = 2,50 kr. → 3 kr. (half up)
    assert cost(1000, 3, 100) == 300
    items = (YearlyItem("a", 1000), YearlyItem("b", 1000))
    assert [c.cost for c in item_costs(Period(2024, 10, 12), items, 100)] == [300, 300]
