"""The year-end settlement (efterregulering): a finished budget year's actual cost split by the budget's own rules and
set against what each member was invoiced less credited for the year.

The actual cost is split as the budget was: each shared item's actual cost by the item's key, within each member's
cap (the cap × the months it pays of the item / 12), the members' exact shares of every item added and the year's
total split once by largest remainder (core/allocate.py's `ranked_split`), in whole rounding units where the actual
cost is a whole number of them, else to the øre. What a member was billed is history (the register of issued
documents), never a recomputed budget, so a corrected actual cost later settles only the difference, and a year
settled with the same actual cost again settles nothing. Pure and in minor units.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction

from .allocate import PeriodAllocation, ranked_split
from .keys import whole_weights
from .money import exact_sum


@dataclass(frozen=True)
class SettledMember:
    """One member's settlement: what it was invoiced less credited for the year, its share of the actual cost, and the
    difference (positive: it pays more; negative: it gets money back)."""

    code: str
    billed: int
    actual: int

    @property
    def difference(self) -> int:
        return self.actual - self.billed


@dataclass(frozen=True)
class Settlement:
    """A budget year's settlement, every member by code: those paying in the year and any other the register billed
    for it. A difference smaller than `minimum` (in size) is not invoiced; `unit` is what the amounts are whole
    numbers of (the rounding unit, or one øre where the actual cost or a billed amount is finer)."""

    year: int
    billed: int
    actual: int
    members: tuple[SettledMember, ...]
    unit: int
    minimum: int = 0

    @property
    def difference(self) -> int:
        return self.actual - self.billed

    @property
    def invoiced(self) -> tuple[SettledMember, ...]:
        """The members whose difference is invoiced (or credited): not zero and not below the minimum."""
        return tuple(member for member in self.members if member.difference and abs(member.difference) >= self.minimum)

    @property
    def below_minimum(self) -> tuple[SettledMember, ...]:
        """The members whose difference is not zero but below the minimum: not invoiced."""
        return tuple(member for member in self.members if member.difference and abs(member.difference) < self.minimum)


def actual_weights(period: PeriodAllocation, actuals: Mapping[str, int]) -> list[int]:
    """The whole weights the year's actual cost is split by, position for position with `period.shares`: the budget's
    own population × months where every shared item goes by population alone; else each member's exact share of each
    item's actual cost (`actuals`, by the item's label) by the item's key within the member's cap, added (equal
    weights where nothing is shared). An actual cost beyond every member's cap is an AllocationError."""
    if period.sharing is None:
        return list(period.split.weights)
    sharing = period.sharing
    shares = sharing.shares(tuple(Fraction(actuals.get(item.label, 0)) for item in sharing.items))
    exact = [exact_sum([share.exact for share in shares[member.code]]) for member in period.shares]
    return whole_weights(exact) if any(exact) else [1] * len(exact)


def settle(
    year: int, codes: Sequence[str], weights: Sequence[int], billed: Mapping[str, int], actual: int, unit: int, minimum: int = 0
) -> Settlement:
    """Split `actual` among `codes` (the members paying in the year) by `weights` and set each member's share against
    `billed` (what it was invoiced less credited for the year, by code; a member it names that does not pay in the
    year has a share of 0). The differences add up to actual − billed exactly."""
    split_unit = unit if actual % unit == 0 else 1
    split = ranked_split(actual, split_unit, weights, codes)
    shares = {code: count * split_unit for code, count in zip(codes, split.amounts, strict=True)}
    members = tuple(SettledMember(code, billed.get(code, 0), shares.get(code, 0)) for code in sorted({*codes, *billed}))
    whole = split_unit == unit and all(member.billed % unit == 0 for member in members)
    return Settlement(year, sum(billed.values()), actual, members, unit if whole else 1, minimum)
