"""Who is a member when: a municipality that joins or leaves during the agreement pays for its months only."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from .periods import Period, months_within


@dataclass(frozen=True)
class Membership:
    """A member and the months it pays: from `joins` (first day of a month) until before `leaves`."""

    code: str
    joins: date | None = None
    leaves: date | None = None

    def days_within(self, start: date, end: date) -> tuple[date, date]:
        """The first and last day it is a member between `start` and `end`."""
        first = max(start, self.joins) if self.joins is not None else start
        last = min(end, self.leaves - timedelta(days=1)) if self.leaves is not None else end
        return first, last

    def months_in(self, period: Period, start: date | None = None, end: date | None = None) -> int:
        """Months of `period` it is a member (and, given an item's span from `start` to `end`, the item runs too)."""
        if self.joins is None and self.leaves is None and start is None and end is None:
            return period.months  # a member all through, of an item all through: asked for every member, every year
        last = None
        if self.leaves is not None:  # the month before the one it leaves in
            last = date(self.leaves.year - (self.leaves.month == 1), (self.leaves.month - 2) % 12 + 1, 1)
        first = max(filter(None, (self.joins, start)), default=None)
        last = min(filter(None, (last, end)), default=None)
        return months_within(period, first, last)


def paying(members: tuple[Membership, ...] | None, period: Period) -> tuple[Membership, ...] | None:
    """The members paying in the period, in the order given; None where there is no member list (everyone pays)."""
    return None if members is None else tuple(m for m in members if m.months_in(period) > 0)
