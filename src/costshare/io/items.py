"""The config's cost items as the core takes them: one class per kind, keys and rates in exact minor units."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

from ..core.items import CostItem, Key, OneOffItem, RateItem, YearlyItem
from ..core.keys import POPULATION
from ..core.money import MINOR_PER_MAJOR, to_minor
from .schema import CostItemModel


def cost_item(item: CostItemModel) -> CostItem:
    """The item in minor units, as the kind the config gives: `per_inhabitant`, `yearly` or `one_off` (the schema
    lets exactly one through)."""
    if item.per_inhabitant is not None:
        return rate_item(item)
    if item.yearly is not None:
        return YearlyItem(item.label, to_minor(item.yearly), item.indexed, item.from_, item.to, item_key(item), _cap(item))
    if item.one_off is None or item.year is None:
        raise ValueError(f"cost item {item.label!r} is neither yearly, one-off nor per inhabitant")
    return OneOffItem(item.label, to_minor(item.one_off), item.year, item_key(item), _cap(item))


def rate_item(item: CostItemModel) -> RateItem:
    """A per-inhabitant item in minor units: its steps (one open step for a flat rate), base, cap and count."""
    given = item.per_inhabitant
    steps = [(None, given)] if isinstance(given, Decimal) else [(step.up_to, step.rate) for step in given or ()]
    return RateItem(
        item.label,
        steps=tuple((up_to, Fraction(rate) * MINOR_PER_MAJOR) for up_to, rate in steps),
        base=to_minor(item.base) if item.base is not None else 0,
        cap=_cap(item),
        max_inhabitants=item.max_inhabitants,
        indexed=item.indexed,
        start=item.from_,
        end=item.to,
    )


def _cap(item: CostItemModel) -> int | None:
    return to_minor(item.cap) if item.cap is not None else None


def item_key(item: CostItemModel) -> Key:
    return tuple((base, Fraction(percent)) for base, percent in item_bases(item))


def item_bases(item: CostItemModel) -> tuple[tuple[str, Decimal], ...]:
    """The key as written, as (base, percent) pairs: population 100 unless the item says otherwise."""
    if item.key is None:
        return ((POPULATION, Decimal(100)),)
    if isinstance(item.key, str):
        return ((item.key, Decimal(100)),)
    return tuple(item.key.blend.items())
