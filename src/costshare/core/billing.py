"""From a member's amount to what it is billed: a conto instalments, VAT and FI payment ids.

Pure and in minor units. The instalments of a year cover the months the member pays, each billed in proportion to its
months, and add up exactly to the member's amount for it (the year-end settlement is core/settlement.py's).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from fractions import Fraction

from .apportion import largest_remainder
from .money import round_half_up
from .periods import Period, month_index

INSTALMENT_COUNTS = (1, 2, 4, 12)


def instalment_amounts(amount: int, count: int, unit: int) -> tuple[int, ...]:
    """`amount` in `count` equal parts of whole units; the units left over go one each to the earliest parts, so
    they differ by at most one unit and add up to `amount` exactly (anything finer than a unit goes to the first)."""
    if count < 1:
        raise ValueError("count must be positive")
    return amounts_by_months(amount, (1,) * count, unit)


def amounts_by_months(amount: int, months: Sequence[int], unit: int) -> tuple[int, ...]:
    """`amount` over instalments covering `months` months each, in proportion to their months, in whole units by
    largest remainder (ties to the longer instalment, then the earlier), so they add up to `amount` exactly; anything
    finer than a unit goes to the first."""
    if not months or unit < 1 or amount < 0 or min(months) < 1:
        raise ValueError("months and unit must be positive and amount not negative")
    units, finer = divmod(amount, unit)
    parts = [part * unit for part in largest_remainder(units, list(months), tie_key=range(len(months))).amounts]
    parts[0] += finer
    return tuple(parts)


def _month_end(year: int, month: int) -> date:
    return (date(year + month // 12, month % 12 + 1, 1)) - timedelta(days=1)


@dataclass(frozen=True)
class Instalment:
    """One a conto invoice of a member's year: its place among the year's, the months it covers, its amount."""

    number: int  # 1-based among the member's instalments of the year
    count: int  # how many the member has that year
    start: date
    end: date
    amount: int

    @property
    def months(self) -> int:
        """The months it covers."""
        return _months(self.start, self.end)


def _months(start: date, end: date) -> int:
    return month_index(end) - month_index(start) + 1


def instalments(period: Period, first: date, last: date, per_year: int, amount: int, unit: int) -> tuple[Instalment, ...]:
    """The member's instalments of a budget year it pays from `first` to `last` (month starts/ends within `period`):
    the year in `per_year` equal runs of months, those the member pays in, each cut to its paying months and billed
    in proportion to them."""
    if per_year not in INSTALMENT_COUNTS:
        raise ValueError(f"instalments per year must be one of {INSTALMENT_COUNTS}")
    months = 12 // per_year
    paying_from, paying_to = max(first, period.start), min(last, period.end)
    spans = []
    for index in range(per_year):
        start = max(date(period.year, index * months + 1, 1), paying_from)
        end = min(_month_end(period.year, (index + 1) * months), paying_to)
        if start <= end:
            spans.append((start, end))
    amounts = amounts_by_months(amount, [_months(start, end) for start, end in spans], unit)
    return tuple(
        Instalment(number, len(spans), start, end, part) for number, ((start, end), part) in enumerate(zip(spans, amounts, strict=True), 1)
    )


def vat_amount(net: int, percent: Decimal | None) -> int:
    """The VAT on `net` minor units at `percent` (None: no VAT), rounded half up to the minor unit, as EN 16931 asks."""
    if percent is None:
        return 0
    rate = Fraction(percent) / 100
    return round_half_up(net * rate.numerator, rate.denominator, 1)


def luhn_digit(digits: str) -> str:
    """The modulus-10 check digit FI-indbetalingskort put after a betalings-id (weights 2, 1, … from the right)."""
    total = 0
    for place, digit in enumerate(reversed(digits)):
        product = int(digit) * (2 if place % 2 == 0 else 1)
        total += product // 10 + product % 10
    return str((10 - total % 10) % 10)


def fik_payment_id(year: int, code: str, number: int) -> str:
    """A 15-digit betalings-id for kortart 71 (check digit last): the budget year, the member's code and the document's
    number, so a payment names what it pays."""
    body = f"{year:04d}{int(code):04d}{number:02d}".rjust(14, "0")
    return body + luhn_digit(body)
