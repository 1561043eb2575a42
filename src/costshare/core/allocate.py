"""Budget periods × cost items × members → the frozen table of who pays what, in named steps.

For each budget year: the cost items, each by its own rule (core/items.py; rate items paid member by member,
core/rates.py) → the 1 January the year is keyed on (core/key_years.py) → each member's exact share: by its
key-year population × the months of the year it is a member, or by each item's own key → caps, round after
round (core/keys.py) → rounding: one largest-remainder split of the year's shared cost in whole units (ties: the
larger weight, then the lower code). A municipality that joins or leaves pays for its months only; a year whose
amounts do not add up to its cost raises an error.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from fractions import Fraction
from functools import cached_property

from .apportion import Apportionment, largest_remainder
from .errors import AllocationError, Problem
from .item_amounts import ItemAmounts, MemberRow, item_amounts
from .items import CostItem, ItemCost, RatePayment, SharedItem, is_shared, item_costs
from .key_years import Basis, KeyYear, PopulationGapError, PopulationTable, key_years, population_gaps
from .keys import ItemShare, KeyedItem, Sharing, key_values, whole_weights
from .membership import Membership, paying
from .money import exact_sum
from .municipality import Municipality
from .periods import Indexation, Period
from .rates import paid_costs, rate_payments
from .record import DecidedYear

# {name: {budget year: {code: value}}}: the figures of each weights file a key may name
KeyWeights = Mapping[str, Mapping[int, Mapping[str, Fraction]]]


@dataclass(frozen=True, slots=True)
class Share:
    """One municipality's part of one period. Money in minor units; `quota` is the exact, unrounded amount.

    Its two weights: `population_months`, its key-year population × its `months` of membership; and `key_weight`,
    what the year's split is in proportion to: population_months where every shared item goes by population alone,
    else its exact share (minor units) of the year's items by their own keys and caps. `fraction` is its part of
    the split: key_weight / all key weights (equal parts where these are all 0)."""

    code: str
    municipality: str
    population: int
    months: int
    population_months: int
    key_weight: Fraction
    fraction: Fraction
    quota: Fraction
    amount: int


@dataclass(frozen=True)
class PeriodAllocation:
    """One budget year: its items' costs, the population it was keyed on, every member's amount, and the split behind them.

    `split` counts in rounding units, position for position with `shares` (sorted by code)."""

    period: Period
    item_costs: tuple[ItemCost, ...]
    population_year: int
    population_total: int
    unit: int
    shares: tuple[Share, ...]
    split: Apportionment
    item_shares: Mapping[str, tuple[ItemShare, ...]] | None = None  # by code, per item, where an item has its own key or a cap
    rate_payments: Mapping[str, tuple[RatePayment, ...]] | None = None  # by code, per rate item, where there are any
    key_wanted: int | None = None  # the 1 January the basis asks for, where it is not in the file yet (provisional)
    price_year: int | None = None  # whose prices an indexed item is in: the year's own, or the last rate's (provisional)
    sharing: Sharing | None = None  # how the shared items are shared, where `item_shares` are given
    decided: DecidedYear | None = None  # the year as the record says it was decided; its amounts are then those

    @property
    def year(self) -> int:
        return self.period.year

    @property
    def projected(self) -> bool:
        """Provisional: computed on the figures known now, to be replaced by the year's own."""
        return self.key_wanted is not None or self.price_projected

    @property
    def price_projected(self) -> bool:
        """Priced at an earlier year's level because this year's P/L rate is not given yet."""
        return self.price_year is not None and self.price_year < self.year

    @property
    def cost(self) -> int:
        """The year's cost: its items' (a decided year's: the sum of its decided amounts)."""
        return self.decided.total if self.decided is not None else sum(item.cost for item in self.item_costs)

    @cached_property
    def item_amounts(self) -> ItemAmounts | None:
        """Each member's amount of each item in whole units, adding up to its amount and to each item's cost
        (core/item_amounts.py); None for a decided year, which holds its members' amounts only."""
        if self.decided is not None:
            return None
        shares, payments = self.item_shares, self.rate_payments or {}
        rows = [
            MemberRow(share.code, share.amount, weight, shares[share.code] if shares is not None else None, payments.get(share.code, ()))
            for share, weight in zip(self.shares, self.split.weights, strict=True)
        ]
        return item_amounts(self.year, self.item_costs, rows, self.unit)

    @cached_property
    def _positions(self) -> dict[str, int]:
        # looked up once per member by every document and check: a scan of the shares each time is members² a year
        return {share.code: position for position, share in enumerate(self.shares)}

    def has(self, code: str) -> bool:
        return code in self._positions

    def share_of(self, code: str) -> Share:
        return self.shares[self._positions[code]]

    def cost_share(self, code: str) -> Fraction:
        """The member's part of the year's cost: its exact amount (a decided year's: its amount) over the cost."""
        share = self.share_of(code)
        return (Fraction(share.amount) if self.decided else share.quota) / self.cost if self.cost else share.fraction

    @property
    def floor_total(self) -> int:
        """What the members got before leftover units, in minor units."""
        return self.split.floor_total * self.unit

    @property
    def leftover_units(self) -> int:
        """Units handed out by remainder after every member got the floor of its quota."""
        return self.split.leftover

    def remainder_of(self, code: str) -> Fraction:
        """The part of the quota below the floor, in minor units."""
        return self.split.remainder(self._positions[code]) * self.unit

    def remainder_rank(self, code: str) -> int:
        """1-based place of `code` in the queue for leftover units (largest remainder first)."""
        return self.split.rank(self._positions[code])

    @property
    def full_membership(self) -> bool:
        """Whether every member paid for every month of the period."""
        return all(share.months == self.period.months for share in self.shares)


@dataclass(frozen=True)
class Allocation:
    """The whole split: every budget period computed, rows sorted by code."""

    items: tuple[CostItem, ...]
    unit: int
    basis: Basis
    periods: tuple[PeriodAllocation, ...]
    indexation: Indexation | None = None

    @cached_property
    def codes(self) -> tuple[str, ...]:
        """Every municipality that pays in at least one period."""
        return tuple(sorted({share.code for period in self.periods for share in period.shares}))

    def name(self, code: str) -> str:
        """The municipality's name as of the latest population year it was keyed on."""
        for period in reversed(self.periods):
            if period.has(code):
                return period.share_of(code).municipality
        raise KeyError(code)

    @property
    def keyed_periods(self) -> tuple[PeriodAllocation, ...]:
        """The periods split by today's key (all but the decided ones), whose key years the documents name."""
        return tuple(period for period in self.periods if period.decided is None)

    def total_of(self, code: str, years: tuple[int, ...] | None = None) -> int:
        return sum(p.share_of(code).amount for p in self.periods if (years is None or p.year in years) and p.has(code))

    def total(self, years: tuple[int, ...] | None = None) -> int:
        return sum(p.cost for p in self.periods if years is None or p.year in years)

    def projected_years(self, years: tuple[int, ...] | None = None) -> tuple[int, ...]:
        """Which of `years` (None: all) are provisional, so a total over them holds provisional amounts."""
        return tuple(p.year for p in self.periods if (years is None or p.year in years) and p.projected)

    def same_key_every_year(self, periods: tuple[PeriodAllocation, ...] | None = None) -> bool:
        """Whether one population and share per member hold for all these periods: a fixed key year and
        the same members paying every month. Only then do tables show them as columns."""
        chosen = self.periods if periods is None else periods
        member_sets = {tuple(share.code for share in period.shares) for period in chosen}
        by_population = all(item.by_population for item in self.items)
        return by_population and self._fixed_key(chosen) and len(member_sets) == 1 and all(period.full_membership for period in chosen)

    def _fixed_key(self, periods: tuple[PeriodAllocation, ...]) -> bool:
        """Whether the periods are all keyed on the one key year of a fixed basis (a decided year is keyed on none)."""
        return self.basis == "fixed" and not any(period.decided for period in periods)

    @property
    def indexed(self) -> bool:
        return self.indexation is not None and any(item.indexed for item in self.items)


def allocate(
    periods: tuple[Period, ...],
    items: tuple[CostItem, ...],
    unit: int,
    population: PopulationTable,
    *,
    basis: Basis = "fixed",
    key_year: int | None = None,
    members: tuple[Membership, ...] | None = None,
    indexation: Indexation | None = None,
    projecting: bool = True,
    key_weights: KeyWeights | None = None,
) -> Allocation:
    """Split every period's cost among the members paying in it, by population × months, largest remainder, in whole units.

    An item with its own key or a cap (core/keys.py) is shared exactly by it; each member's exact shares of the
    year's items are then added and the year's cost split by largest remainder on those sums (ties: the larger
    exact share, then the lower code). `key_weights`: {name: {budget year: {code: value}}} for keys by a weights file.

    With `projecting` (the default), a year whose key figures or P/L rate are not known yet is computed on the
    newest ones known and marked as provisional; without it, such a year is a gap."""
    if indexation is not None and indexation.projecting != projecting:
        indexation = replace(indexation, projecting=projecting)
    keys = checked_key_years(population, periods, basis, key_year, members, projecting)
    results = tuple(
        period_allocation(
            period, items, unit, keys[period.year], population[keys[period.year].year], members, indexation, key_weights or {}
        )
        for period in periods
    )
    return Allocation(items=items, unit=unit, basis=basis, periods=results, indexation=indexation)


def checked_key_years(
    population: PopulationTable,
    periods: tuple[Period, ...],
    basis: Basis,
    key_year: int | None,
    members: tuple[Membership, ...] | None,
    projecting: bool,
) -> dict[int, KeyYear]:
    """The key year of every period, once the population data is known to have every figure the split needs."""
    gaps = population_gaps(population, periods, basis, key_year, members, projecting)
    if gaps:
        raise PopulationGapError(gaps)
    return key_years(periods, basis, key_year, population, members, projecting)


def period_allocation(
    period: Period,
    items: tuple[CostItem, ...],
    unit: int,
    key: KeyYear,
    rows: Mapping[str, Municipality],
    members: tuple[Membership, ...] | None,
    indexation: Indexation | None,
    key_weights: KeyWeights,
) -> PeriodAllocation:
    """One budget year, step by step: who pays, the items' costs, the members' exact shares, one rounded split."""
    payers = payers_in(period, rows, members)
    payer_rows = [rows[member.code] for member in payers]
    months = {member.code: member.months_in(period) for member in payers}
    costs, payments = year_costs(period, items, unit, indexation, payers, rows)
    shared = shared_items(costs)
    sharing = keyed_sharing(period, shared, payers, payer_rows, key_weights)
    item_shares = sharing.shares() if sharing is not None else None
    shared_cost = sum(cost.cost for cost, _ in shared)
    weights, whole = split_weights([row.population * months[row.code] for row in payer_rows], item_shares, shared_cost)
    split = ranked_split(shared_cost, unit, whole, list(months))
    shares = member_shares(payer_rows, months, weights, split, shared_cost, unit, payments)
    check_reconciled(period.year, shares, costs)
    return PeriodAllocation(
        period,
        costs,
        key.year,
        sum(row.population for row in payer_rows),
        unit,
        shares,
        split,
        item_shares,
        payments or None,
        key_wanted=key.wanted if key.projected else None,
        price_year=price_year(period, costs, indexation),
        sharing=sharing,
    )


def ranked_split(amount: int, unit: int, weights: Sequence[int], codes: Sequence[str]) -> Apportionment:
    """The one split of `amount` (minor units) in whole `unit`s by whole `weights`, position for position with
    `codes`: largest remainder, ties to the larger weight, then the lower code. A budget year and its settlement
    are both split here."""
    return largest_remainder(amount // unit, list(weights), tie_key=list(codes))


def payers_in(period: Period, rows: Mapping[str, Municipality], members: tuple[Membership, ...] | None) -> tuple[Membership, ...]:
    """Who pays in the period, each once and by code: the members paying in it, or (no member list) everyone in
    the key year's data for the whole period."""
    chosen = paying(members, period)
    by_code = {member.code: member for member in (chosen if chosen is not None else (Membership(code) for code in rows))}
    return tuple(by_code[code] for code in sorted(by_code))


def year_costs(
    period: Period,
    items: tuple[CostItem, ...],
    unit: int,
    indexation: Indexation | None,
    payers: tuple[Membership, ...],
    rows: Mapping[str, Municipality],
) -> tuple[tuple[ItemCost, ...], dict[str, tuple[RatePayment, ...]]]:
    """Every item's cost in the period, a rate item's being what its members pay, and those payments by member."""
    costs = item_costs(period, items, unit, indexation)
    payments = rate_payments(costs, period, payers, {member.code: rows[member.code].population for member in payers}, unit)
    return paid_costs(costs, payments), payments


def shared_items(costs: tuple[ItemCost, ...]) -> tuple[tuple[ItemCost, SharedItem], ...]:
    """The costs split among the members (all but those each member pays on its own, as a rate item), with their items."""
    return tuple((cost, cost.item) for cost in costs if is_shared(cost.item))


def keyed_sharing(
    period: Period,
    shared: tuple[tuple[ItemCost, SharedItem], ...],
    payers: tuple[Membership, ...],
    rows: Sequence[Municipality],
    key_weights: KeyWeights,
) -> Sharing | None:
    """How the shared items are shared among `payers` (`rows` their key-year figures, in the same order): each by its
    key, within each member's cap; None where every item goes by population alone (the year is then split by
    population × months)."""
    if all(item.by_population for _, item in shared):
        return None
    values = key_values(period.year, list(rows), key_weights, {base for _, item in shared for base, _ in item.key})
    items = tuple(KeyedItem(item.label, cost.cost, item.key, caps(item, period, payers), cost.exact) for cost, item in shared)
    return Sharing(period.year, items, values, {member.code: member.months_in(period) for member in payers})


def caps(item: SharedItem, period: Period, payers: tuple[Membership, ...]) -> dict[str, Fraction] | None:
    """The most each member pays of the item in the period, by code (None: the item has no cap)."""
    return None if item.cap is None else {member.code: cap for member in payers if (cap := item.cap_of(member, period)) is not None}


def split_weights(
    population_months: list[int], item_shares: Mapping[str, tuple[ItemShare, ...]] | None, shared_cost: int
) -> tuple[list[Fraction], list[int]]:
    """The members' key weights (in `population_months`' order) and the whole numbers in proportion to them that the
    split takes: population × months where every item goes by population; else each member's exact share of the
    items (equal whole weights where the year shares nothing)."""
    if item_shares is None:
        return [Fraction(weight) for weight in population_months], population_months
    exact = [exact_sum([share.exact for share in shares]) for shares in item_shares.values()]
    return exact, whole_weights(exact) if shared_cost else [1] * len(exact)


def member_shares(
    rows: Sequence[Municipality],
    months: Mapping[str, int],
    key_weights: Sequence[Fraction],
    split: Apportionment,
    shared_cost: int,
    unit: int,
    payments: Mapping[str, tuple[RatePayment, ...]],
) -> tuple[Share, ...]:
    """Each member's share: its part of the split (in whole units) plus what it pays of the rate items."""
    total = split.weight_sum
    return tuple(
        Share(
            code=row.code,
            municipality=row.name,
            population=row.population,
            months=months[row.code],
            population_months=row.population * months[row.code],
            key_weight=key_weight,
            fraction=Fraction(weight, total),
            quota=_quota(Fraction(shared_cost * weight, total), payments.get(row.code, ())),
            amount=units * unit + sum(p.amount for p in payments.get(row.code, ())),
        )
        for row, key_weight, weight, units in zip(rows, key_weights, split.weights, split.amounts, strict=True)
    )


def _quota(shared: Fraction, paid: tuple[RatePayment, ...]) -> Fraction:
    """A member's exact amount: its quota of the shared cost and what it pays of the rate items (added only where
    there are any: a Fraction addition per member and year is most of a large year's time)."""
    return shared + exact_sum([payment.exact for payment in paid]) if paid else shared


def check_reconciled(year: int, shares: tuple[Share, ...], costs: tuple[ItemCost, ...]) -> None:
    """The members' amounts add up to the year's cost, or the split is refused."""
    allocated, cost = sum(share.amount for share in shares), sum(cost.cost for cost in costs)
    if allocated != cost:
        raise AllocationError([Problem("err_unreconciled", params=(("year", year), ("allocated", allocated), ("cost", cost)))])


def price_year(period: Period, costs: tuple[ItemCost, ...], indexation: Indexation | None) -> int | None:
    """Whose prices the period's indexed items are in (None where it has none running)."""
    if indexation is None or not any(cost.item.indexed and cost.months for cost in costs):
        return None
    return indexation.price_year(period.year)
