"""The one place where amounts change representation: Decimal currency ↔ integer minor units,
and how many decimals an amount is shown with.

Amounts live as int øre (1/100 of a krone) from parsing to output, so no arithmetic on the
money path can lose a fraction of an øre. Every output (tables, explain, statements, CSV,
JSON, XLSX) turns minor units into currency through `major` and `display_decimals`.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from decimal import Decimal
from fractions import Fraction

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
    return major(minor, 2)


def display_decimals(unit: int) -> int:
    """Decimals an amount is shown with: øre only when the rounding unit is finer than a krone."""
    return 2 if unit < MINOR_PER_MAJOR else 0


def round_fraction(value: Fraction | int, places: int) -> Decimal:
    """An exact number as a Decimal with `places` decimals, halves rounded up (away from zero)."""
    value = Fraction(value)
    scaled = value * 10**places
    whole, rest = divmod(abs(scaled.numerator), scaled.denominator)
    if 2 * rest >= scaled.denominator:
        whole += 1
    # made from its digits and exponent, which no decimal context rounds or refuses however many digits it has;
    # the places show on zero too: Decimal('0.00')
    return Decimal(f"{-whole if value < 0 else whole}E-{places}")


def major(minor: int | Fraction, places: int) -> Decimal:
    """Minor units as currency with `places` decimals, half up: (2615000, 0) → Decimal('26150')."""
    return round_fraction(Fraction(minor, MINOR_PER_MAJOR), places)


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


def exact_sum(fractions: Sequence[Fraction]) -> Fraction:
    """The exact sum of `fractions`, over their least common denominator at once: one division instead of one per
    addition, which is what a member's share of many items, or of many parts, costs to add up."""
    if len(fractions) == 1:
        return fractions[0]
    denominator = math.lcm(*(fraction.denominator for fraction in fractions))
    return Fraction(sum(fraction.numerator * (denominator // fraction.denominator) for fraction in fractions), denominator)


def exact_products(pairs: Sequence[tuple[int, Fraction]]) -> Fraction:
    """Σ count × rate over `pairs`, exactly, over the rates' least common denominator at once."""
    denominator = math.lcm(*(rate.denominator for _, rate in pairs))
    return Fraction(sum(count * rate.numerator * (denominator // rate.denominator) for count, rate in pairs), denominator)
