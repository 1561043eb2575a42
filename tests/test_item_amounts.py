"""Each member's amount of each cost item in a budget year (PeriodAllocation.item_amounts): whole units that add up to
the member's amount and to each item's cost, each within one unit of the member's exact share worked out here."""

import math
from datetime import date
from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st

from costshare.core.allocate import allocate
from costshare.core.decided_years import decided_period
from costshare.core.items import RateItem, YearlyItem
from costshare.core.municipality import Municipality
from costshare.core.periods import budget_periods
from costshare.core.record import DecidedYear

from .conftest import CODES, REGION_2023

YEAR_2026 = budget_periods(date(2026, 1, 1), date(2026, 12, 31))
EQUAL = (("equal", Fraction(100)),)
BLEND = (("equal", Fraction(30)), ("population", Fraction(70)))


def towns(*populations: int) -> dict[int, dict[str, Municipality]]:
    codes = ["101", "147", "151", "153"][: len(populations)]
    return {2025: {code: Municipality(code, f"M{code}", population) for code, population in zip(codes, populations, strict=True)}}


def test_three_members_two_items_worked_by_hand():
    # population 1, 1 and 2; items of 3 kr. and 5 kr., whole kroner: exact shares 0,75 / 0,75 / 1,50 kr. of the first
    # and 1,25 / 1,25 / 2,50 kr. of the second; each member's amount is 2, 2 and 4 kr. The first item's 3 kr.: floors
    # 0 + 0 + 1, its 2 kr. left to the parts of 0,75; the second's 5 kr.: floors 1 + 1 + 2, its 1 kr. left to the 0,50.
    items = (YearlyItem("Første", 300), YearlyItem("Anden", 500))
    period = allocate(YEAR_2026, items, 100, towns(1, 1, 2), key_year=2025).periods[0]
    amounts = period.item_amounts
    assert amounts is not None
    assert [cost.item.label for cost in amounts.costs] == ["Første", "Anden"]
    assert dict(amounts.by_member) == {"101": (100, 100), "147": (100, 100), "151": (100, 300)}
    assert [amount for _, amount in amounts.of("151")] == [100, 300]


def test_a_rate_item_is_what_each_member_pays_of_it():
    # 2 kr. per inhabitant, at most 500 kr.: 200 inhabitants pay 400 kr., 300 pay 500 kr. (the cap), whole kroner
    rate = RateItem("Kontingent", ((None, Fraction(200)),), cap=50000)
    items = (YearlyItem("Årsværk", 100000, key=EQUAL), rate)
    period = allocate(YEAR_2026, items, 100, towns(200, 300), key_year=2025).periods[0]
    assert period.item_amounts is not None
    assert dict(period.item_amounts.by_member) == {"101": (50000, 40000), "147": (50000, 50000)}


def test_a_decided_year_has_no_item_amounts():
    decided = DecidedYear(2026, {"101": 4424300, "147": 2615000}, {"101": "A", "147": "B"}, "KKR pkt. 4", False, date(2025, 10, 1))
    assert decided_period(YEAR_2026[0], decided, 100).item_amounts is None


@settings(max_examples=40, deadline=None)
@given(
    st.lists(st.integers(min_value=1, max_value=200_000), min_size=17, max_size=17),
    st.integers(min_value=1, max_value=900_000_00),
    st.integers(min_value=1, max_value=90_000_00),
    st.sampled_from([1, 100, 1000]),
)
def test_item_amounts_add_up_both_ways_and_stay_within_a_unit(populations, yearly, blended, unit):
    region = {2025: {code: Municipality(code, f"M{code}", population) for code, population in zip(CODES, populations, strict=True)}}
    items = (YearlyItem("Årsværk", yearly), YearlyItem("Bestyrelse", blended, key=BLEND))
    period = allocate(YEAR_2026, items, unit, region, key_year=2025).periods[0]
    amounts = period.item_amounts
    assert amounts is not None
    costs = [cost.cost for cost in amounts.costs]
    total = sum(populations)
    for code, population in zip(CODES, populations, strict=True):
        found = amounts.by_member[code]
        assert sum(found) == period.share_of(code).amount
        # exact shares written out: by population, and 30 % equally + 70 % by population
        exact = [Fraction(costs[0] * population, total), costs[1] * (Fraction(30, 100 * 17) + Fraction(70 * population, 100 * total))]
        for amount, share in zip(found, exact, strict=True):
            assert amount % unit == 0
            assert amount // unit in (math.floor(share / unit), math.ceil(share / unit))
    assert [sum(amounts.by_member[code][index] for code in CODES) for index in range(2)] == costs


def test_the_region_with_one_item_gives_each_member_its_amount():
    region = {2025: {code: Municipality(code, f"M{code}", population) for code, population in zip(CODES, REGION_2023, strict=True)}}
    period = allocate(YEAR_2026, (YearlyItem("Årsværk", 73000000),), 100, region, key_year=2025).periods[0]
    assert period.item_amounts is not None
    assert {code: amounts[0] for code, amounts in period.item_amounts.by_member.items()} == {
        share.code: share.amount for share in period.shares
    }
