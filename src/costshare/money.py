"""The one place where amounts change representation: Decimal currency ↔ integer minor units.

Amounts live as int øre (1/100 of a krone) from parsing to output, so no arithmetic on
the money path can lose a fraction of an øre.
"""

from __future__ import annotations

from decimal import Decimal

MINOR_PER_MAJOR = 100
ROUNDING_UNITS = (Decimal("0.01"), Decimal("1"), Decimal("10"), Decimal("100"), Decimal("1000"))


def to_minor(amount: Decimal) -> int:
    """Exact minor units of a currency amount; refuses anything finer than one øre."""
    minor = amount * MINOR_PER_MAJOR
    if not amount.is_finite() or minor != minor.to_integral_value():
        raise ValueError(f"{amount} is not a whole number of øre")
    return int(minor)


def to_major(minor: int) -> Decimal:
    """Minor units back to currency with two decimals, e.g. 2615000 → Decimal('26150.00')."""
    return Decimal(minor).scaleb(-2)


def decimals_of(amount: Decimal) -> int:
    """How many decimals the amount was written with: Decimal('730.000') → 3."""
    exponent = amount.as_tuple().exponent
    return max(0, -exponent) if isinstance(exponent, int) else 0


def round_half_up(numerator: int, denominator: int, unit: int) -> int:
    """The multiple of `unit` nearest to numerator/denominator, halves rounded up (away from zero for
    the non-negative amounts costshare handles)."""
    if denominator <= 0 or unit <= 0:
        raise ValueError("denominator and unit must be positive")
    units, remainder = divmod(numerator, denominator * unit)
    if 2 * remainder >= denominator * unit:
        units += 1
    return units * unit
