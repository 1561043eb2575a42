"""Oracles the tests work expected figures out with, independently of costshare's code: exact shares as Fractions,
then largest remainder in whole units."""

from __future__ import annotations

import math
from fractions import Fraction


def hamilton(total: int, exact: dict[str, Fraction], unit: int) -> dict[str, int]:
    """Largest remainder in whole `unit`s: floors, then one each by remainder, ties to the larger share, then lower code."""
    amounts = {code: math.floor(share / unit) for code, share in exact.items()}
    queue = sorted(exact, key=lambda code: (-(exact[code] / unit - amounts[code]), -exact[code], code))
    for code in queue[: total // unit - sum(amounts.values())]:
        amounts[code] += 1
    return {code: amount * unit for code, amount in amounts.items()}
