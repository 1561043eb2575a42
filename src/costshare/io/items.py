"""The config's cost items as the core takes them: keys and rates in exact minor units, and the checks on keys
that need the whole config (a key names a known base, a blend adds up to 100)."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from fractions import Fraction

from ..core.errors import Problem
from ..core.items import CostItem, Key, OneOffItem, RateItem, YearlyItem
from ..core.money import MINOR_PER_MAJOR, to_minor
from .schema import AllianceConfig, CostItemModel
from .yamlsource import YamlDocument


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
    return tuple((base, Fraction(percent)) for base, percent in item.bases())


def key_problems(doc: YamlDocument, file: str, config: AllianceConfig, at: Callable[..., Problem]) -> list[Problem]:
    """Each item's key names known bases (population, equal, a `weights` name) with percents adding up to 100."""
    problems = []
    known = {"population", "equal", *config.weights}
    for name in config.weights:
        if name in ("population", "equal"):
            problems.append(at(doc, file, ("weights", name), "err_weights_reserved", name=name))
    for index, item in enumerate(config.costs):
        bases = item.bases()
        where = ("costs", index, "key")
        for base, _ in bases:
            if base not in known:
                problems.append(at(doc, file, where, "err_key_unknown", "hint_key_unknown", name=base, known=tuple(sorted(known))))
        total = sum(percent for _, percent in bases)
        if total != 100:
            problems.append(at(doc, file, where, "err_blend_sum", total=total))
    return problems
