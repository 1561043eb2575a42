"""The agreement's record of decided years: per budget year the councils decided, each paying member's amount.

A decided year is history: the pipeline takes its amounts as they stand and today's key, P/L rates and costs
govern only the years not decided. The year's cost as decided is the sum of its amounts (the record is the truth).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date


@dataclass(frozen=True)
class DecidedYear:
    """One decided budget year: each member's amount in minor units (by code, in code order), its name as recorded,
    the reference to the decision, whether it was decided on figures not yet published, and the day it was decided."""

    year: int
    amounts: Mapping[str, int]
    names: Mapping[str, str]
    reference: str
    provisional: bool
    decided_on: date
    line: int | None = field(default=None, compare=False)  # the year's first line in the record, where it was read

    @property
    def total(self) -> int:
        """The year's cost as decided: the sum of its amounts."""
        return sum(self.amounts.values())

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(sorted(self.amounts))


# budget year → the year as decided
Record = Mapping[int, DecidedYear]


def missing_members(decided: DecidedYear, payers: tuple[str, ...]) -> tuple[str, ...]:
    """The paying members the decided year has no amount for, in code order."""
    return tuple(sorted(set(payers) - set(decided.amounts)))


def strangers(decided: DecidedYear, payers: tuple[str, ...]) -> tuple[str, ...]:
    """The codes the decided year has an amount for that do not pay in it, in code order."""
    return tuple(sorted(set(decided.amounts) - set(payers)))
