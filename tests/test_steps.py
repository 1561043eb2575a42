"""The allocation's steps one at a time, as properties: each kind of item's cost, who pays, the key years, the shares
and caps, the weights and the one rounded split. Every expectation is the rule written out here (months counted one
by one, Fraction arithmetic), never the product's own helpers."""

from __future__ import annotations

import math
from datetime import date
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from costshare.core.allocate import check_reconciled, payers_in, period_allocation, split_weights
from costshare.core.errors import AllocationError
from costshare.core.items import ItemCost, OneOffItem, RateItem, YearlyItem, item_costs
from costshare.core.key_years import KeyYear, key_years, population_gaps
from costshare.core.keys import ItemShare, share_item
from costshare.core.membership import Membership
from costshare.core.municipality import Municipality
from costshare.core.periods import Period

SETTINGS = settings(max_examples=80, deadline=None, derandomize=True)
UNITS = st.sampled_from([1, 100, 1000, 10000, 100000])


def half_up(value: Fraction, unit: int) -> int:
    return math.floor(value / unit + Fraction(1, 2)) * unit


@st.composite
def periods(draw) -> Period:
    first = draw(st.integers(1, 12))
    return Period(draw(st.integers(2020, 2030)), first, draw(st.integers(first, 12)))


@st.composite
def month_starts(draw) -> date | None:
    if draw(st.booleans()):
        return None
    return date(draw(st.integers(2019, 2031)), draw(st.integers(1, 12)), 1)


def months_counted(period: Period, start: date | None, end: date | None) -> int:
    """The months of the period on or after `start`'s month and on or before `end`'s, one by one."""
    inside = [(period.year, month) for month in range(period.first_month, period.last_month + 1)]
    return sum(1 for ym in inside if (start is None or ym >= (start.year, start.month)) and (end is None or ym <= (end.year, end.month)))


# --- the items' costs -------------------------------------------------------------------------------


@SETTINGS
@given(period=periods(), yearly=st.integers(0, 10**11), start=month_starts(), end=month_starts(), unit=UNITS)
def test_a_yearly_item_costs_its_months_in_the_period_rounded_once_half_up(period, yearly, start, end, unit):
    cost = YearlyItem("x", yearly, start=start, end=end).cost_in(period, unit)
    months = months_counted(period, start, end)
    if months == 0:
        assert cost is None
        return
    assert cost is not None
    assert (cost.months, cost.factor, cost.exact) == (months, Fraction(1), Fraction(yearly * months, 12))
    assert cost.cost == half_up(cost.exact, unit)


@SETTINGS
@given(period=periods(), amount=st.integers(0, 10**11), year=st.integers(2020, 2030), unit=UNITS)
def test_a_one_off_item_costs_its_whole_amount_in_its_own_year_only(period, amount, year, unit):
    cost = OneOffItem("x", amount, year).cost_in(period, unit)
    if year != period.year:
        assert cost is None
        return
    assert cost is not None
    assert (cost.months, cost.exact, cost.cost) == (None, amount, half_up(Fraction(amount), unit))


@SETTINGS
@given(period=periods(), start=month_starts(), end=month_starts(), unit=UNITS)
def test_a_rate_item_has_no_fixed_cost_only_its_months(period, start, end, unit):
    cost = RateItem("x", ((None, Fraction(800)),), start=start, end=end).cost_in(period, unit)
    months = months_counted(period, start, end)
    assert (cost is None) if months == 0 else (cost is not None and (cost.months, cost.exact, cost.cost) == (months, Fraction(0), 0))


@SETTINGS
@given(period=periods(), years=st.lists(st.integers(2020, 2030), min_size=1, max_size=8))
def test_the_years_costs_are_the_running_items_in_item_order(period, years):
    items = tuple(OneOffItem(f"item {index}", 1000, year) for index, year in enumerate(years))
    assert [cost.item.label for cost in item_costs(period, items, 100)] == [
        f"item {i}" for i, year in enumerate(years) if year == period.year
    ]


@st.composite
def rate_items(draw) -> RateItem:
    limits = sorted(draw(st.sets(st.integers(1, 10**6), max_size=4)))
    rates = draw(st.lists(st.fractions(0, 10**5, max_denominator=100), min_size=len(limits) + 1, max_size=len(limits) + 1))
    return RateItem(
        "x",
        tuple(zip([*limits, None], rates, strict=True)),
        base=draw(st.integers(0, 10**7)),
        cap=draw(st.none() | st.integers(0, 10**9)),
        max_inhabitants=draw(st.none() | st.integers(1, 2 * 10**6)),
    )


@SETTINGS
@given(item=rate_items(), population=st.integers(0, 3 * 10**6))
def test_inhabitants_go_through_the_rate_steps_in_order(item, population):
    counted, steps = item.counted_steps(population)
    assert counted == min(population, item.max_inhabitants or population)
    assert sum(count for count, _ in steps) == counted and all(count > 0 for count, _ in steps)
    below = 0
    for (count, rate), (up_to, step_rate) in zip(steps, item.steps, strict=False):  # the steps used are the first ones
        assert rate == step_rate
        width = counted - below if up_to is None else up_to - below
        assert count == min(width, counted - below)  # every step but the last one used is full
        below += count


@SETTINGS
@given(
    item=rate_items(),
    population=st.integers(0, 3 * 10**6),
    months=st.integers(1, 12),
    factor=st.fractions(1, 2, max_denominator=1000),
    unit=UNITS,
)
def test_a_members_rate_payment_is_its_rule_rounded_once_half_up(item, population, months, factor, unit):
    payment = item.payment(population, months, factor, unit)
    counted = min(population, item.max_inhabitants or population)
    part, below = Fraction(0), 0
    for up_to, rate in item.steps:
        taken = max(0, min(counted, counted if up_to is None else up_to) - below)
        part, below = part + taken * rate, below + taken
    yearly = item.base + (part if item.cap is None else min(part, item.cap))
    assert payment.exact == yearly * Fraction(months, 12) * factor
    assert payment.amount == half_up(payment.exact, unit)
    assert payment.cap == (item.cap if item.cap is not None and part > item.cap else None)


# --- who pays, and on which 1 January --------------------------------------------------------------

CODES = [f"{code:03d}" for code in range(101, 121)]


@SETTINGS
@given(
    period=periods(),
    chosen=st.lists(st.tuples(st.sampled_from(CODES), month_starts(), month_starts()), max_size=12),
    listed=st.booleans(),
)
def test_the_payers_are_each_member_paying_once_by_code(period, chosen, listed):
    rows = {code: Municipality(code, code, 1000) for code in reversed(CODES)}
    members = tuple(Membership(code, joins, leaves) for code, joins, leaves in chosen) if listed else None
    payers = payers_in(period, rows, members)
    codes = [member.code for member in payers]
    assert codes == sorted(set(codes))
    if members is None:
        assert codes == sorted(CODES) and all(member.months_in(period) == period.months for member in payers)
    else:
        assert set(codes) == {member.code for member in members if member.months_in(period) > 0}


@SETTINGS
@given(
    first=st.integers(2020, 2026),
    count=st.integers(1, 6),
    basis=st.sampled_from(["fixed", "previous", "latest", "yearly"]),
    key_year=st.integers(2018, 2030),
    data=st.sets(st.integers(2018, 2030), min_size=1),
    projecting=st.booleans(),
)
def test_each_budget_year_is_keyed_on_the_year_its_basis_asks_for_or_the_newest_instead(first, count, basis, key_year, data, projecting):
    budget = tuple(Period(year, 1, 12) for year in range(first, first + count))
    population = {year: {"101": Municipality("101", "A", 1000)} for year in data}
    keys = key_years(budget, basis, key_year, population, None, projecting)
    for period in budget:
        wanted = {"fixed": key_year, "previous": period.year - 1, "yearly": period.year, "latest": period.year}[basis]
        key = keys[period.year]
        assert key.wanted == wanted
        if projecting and wanted > max(data):
            assert key == KeyYear(max(data), wanted, projected=True)
        elif basis == "latest":
            assert key == KeyYear(max((y for y in data if y <= period.year), default=period.year), wanted)
        else:
            assert key == KeyYear(wanted, wanted)
    missing = sorted({key.year for key in keys.values()} - data)
    assert [gap.year for gap in population_gaps(population, budget, basis, key_year, None, projecting)] == missing


# --- shares, caps, weights and the one rounded split --------------------------------------------------


@SETTINGS
@given(
    cost=st.integers(0, 10**10),
    values=st.lists(st.integers(1, 10**6), min_size=1, max_size=12),
    months=st.data(),
    cap=st.none() | st.integers(1, 10**10),
)
def test_an_items_exact_shares_add_up_to_its_cost_and_nobody_passes_the_cap(cost, values, months, cap):
    codes = CODES[: len(values)]
    member_months = {code: months.draw(st.integers(1, 12)) for code in codes}
    weights = {"population": {code: Fraction(value) for code, value in zip(codes, values, strict=True)}}
    limit = None if cap is None else Fraction(cap)
    caps = None if limit is None else dict.fromkeys(codes, limit)  # the same cap for every member
    if limit is not None and limit * len(codes) < cost:
        with pytest.raises(AllocationError):
            share_item("x", cost, (("population", Fraction(100)),), caps, weights, member_months, 2024)
        return
    shares = share_item("x", cost, (("population", Fraction(100)),), caps, weights, member_months, 2024)
    assert sorted(shares) == codes
    assert sum(share.exact for share in shares.values()) == cost
    assert all(share.exact <= limit for share in shares.values()) if limit is not None else True
    free = [code for code in codes if shares[code].cap is None]
    for code in free:  # those below the cap share what is left in proportion to value × months
        total = sum(weights["population"][c] * member_months[c] for c in free)
        left = cost - sum(share.exact for share in shares.values() if share.cap is not None)
        assert shares[code].exact == left * weights["population"][code] * member_months[code] / total


@SETTINGS
@given(st.lists(st.fractions(0, 10**9, max_denominator=10**4), min_size=1, max_size=20).filter(lambda found: sum(found) > 0))
def test_the_whole_weights_of_a_keyed_year_are_in_proportion_to_the_exact_shares(exact):
    shares = {CODES[i]: (ItemShare("x", share),) for i, share in enumerate(exact)}
    key_weights, whole = split_weights([1] * len(exact), shares, 1)
    assert key_weights == exact
    assert all(isinstance(weight, int) for weight in whole)
    assert all(weight * sum(exact) == share * sum(whole) for weight, share in zip(whole, exact, strict=True))


@SETTINGS
@given(st.lists(st.integers(0, 10**9), min_size=1, max_size=20))
def test_a_year_by_population_is_weighed_by_population_times_months(population_months):
    assert split_weights(population_months, None, 1000) == ([Fraction(w) for w in population_months], population_months)
    shares = {CODES[i]: (ItemShare("x", Fraction(0)),) for i in range(len(population_months))}
    assert split_weights(population_months, shares, 0)[1] == [1] * len(population_months)  # nothing shared: equal parts


@SETTINGS
@given(
    yearly=st.integers(0, 10**10),
    populations=st.lists(st.integers(1, 10**6), min_size=1, max_size=15),
    months=st.data(),
    unit=UNITS,
    keyed=st.booleans(),
)
def test_a_years_split_adds_up_each_share_within_a_unit_of_its_quota(yearly, populations, months, unit, keyed):
    codes = CODES[: len(populations)]
    rows = {code: Municipality(code, code, people) for code, people in zip(codes, populations, strict=True)}
    leaves = {code: months.draw(st.integers(2, 13)) for code in codes}  # leaves on the first of that month (13: stays)
    members = tuple(Membership(code, leaves=date(2024, leaves[code], 1) if leaves[code] < 13 else None) for code in codes)
    item = YearlyItem(
        "x", yearly, key=(("equal", Fraction(40)), ("population", Fraction(60))) if keyed else (("population", Fraction(100)),)
    )
    period = period_allocation(Period(2024, 1, 12), (item,), unit, KeyYear(2023, 2023), rows, members, None, {})
    assert sum(share.amount for share in period.shares) == period.cost == half_up(Fraction(yearly), unit)
    assert sum(share.fraction for share in period.shares) == 1
    for share in period.shares:
        assert share.population_months == rows[share.code].population * (leaves[share.code] - 1)
        assert abs(share.amount - share.quota) < unit and share.amount % unit == 0
        if not keyed:
            assert share.key_weight == share.population_months
    if period.cost:
        total = sum(share.key_weight for share in period.shares)
        assert all(share.fraction == share.key_weight / total for share in period.shares)


def test_a_year_whose_amounts_do_not_add_up_is_refused():
    cost = ItemCost(YearlyItem("x", 1200), 12, Fraction(1), Fraction(1200), 1200)
    check_reconciled(2024, (), (ItemCost(YearlyItem("x", 0), 12, Fraction(1), Fraction(0), 0),))
    with pytest.raises(AllocationError) as caught:
        check_reconciled(2024, (), (cost,))
    assert dict(caught.value.problems[0].params) == {"year": 2024, "allocated": 0, "cost": 1200}
