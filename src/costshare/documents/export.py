"""What the JSON export says: the View's figures as they are, as plain data (dicts, lists, Decimals, text and
numbers) under stable English keys; formats/json.py writes it. Money is Decimal in currency units.
"""

from __future__ import annotations

from fractions import Fraction
from typing import TYPE_CHECKING, Any

from ..core.items import is_shared
from ..core.keys import POPULATION
from ..core.money import major
from ..words.display import EXACT_DECIMALS, amount_decimal, factor_decimal, share_decimal
from .items import broken_down, item_record

if TYPE_CHECKING:
    from ..app.view import View
    from ..core.allocate import Allocation, PeriodAllocation, Share
    from ..core.items import ItemCost
    from ..core.keys import ItemShare


def export_document(view: View) -> dict[str, Any]:
    """The JSON export: where the figures come from, the agreement and its items, each budget year shown, and the totals."""
    allocation = view.allocation
    unit = allocation.unit
    sources = view.sources
    return {
        "generated_by": sources.generated_by,
        "config_sha256": sources.config_sha256,
        "population_sha256": sources.population_sha256,
        "alliance": view.alliance,
        "currency": view.currency,
        "rounding_unit": view.rounding_unit,
        "method": "largest_remainder",
        "population_basis": allocation.basis,
        "population_source": sources.population_source,
        "agreement": {"start": view.agreement.start.isoformat(), "end": view.agreement.end.isoformat()},
        "price_level": "current" if allocation.indexed else "fixed",
        "indexation": _indexation(allocation),
        "costs": [item_record(item) for item in allocation.items],
        "periods": [period_record(period, bool(broken_down(view))) for period in view.periods],
        "totals": _totals(view),
        "total": amount_decimal(allocation.total(), unit),  # the whole agreement's, whatever years are shown
        "years": list(view.years),
        "years_total": amount_decimal(allocation.total(view.years), unit),
    }


def period_record(period: PeriodAllocation, by_item: bool) -> dict[str, Any]:
    """One budget year: its span, cost and key year, each item's cost in it, and each member's share (`by_item`: with
    its amount of each item, also where every item goes by population)."""
    return {
        "year": period.year,
        "start": period.period.start.isoformat(),
        "end": period.period.end.isoformat(),
        "months": period.period.months,
        "cost": amount_decimal(period.cost, period.unit),
        "population_year": period.population_year,
        "population_year_wanted": period.key_wanted,
        "population_total": period.population_total,
        "price_year": period.price_year,
        "projected": period.projected,
        "decided": _decided(period),
        "items": [_item_cost(cost, period.unit) for cost in period.item_costs],
        "allocations": [_share(share, period.unit) | _item_parts(period, share.code, by_item) for share in period.shares],
    }


def _decided(period: PeriodAllocation) -> dict[str, Any] | None:
    """A decided year's decision as the record gives it (null for a year computed from today's config)."""
    decided = period.decided
    if decided is None:
        return None
    return {"reference": decided.reference, "provisional": decided.provisional, "decided_on": decided.decided_on.isoformat()}


def _item_cost(cost: ItemCost, unit: int) -> dict[str, Any]:
    return {
        "label": cost.item.label,
        "kind": cost.item.kind,
        "factor": factor_decimal(cost.factor),
        "months": cost.months,
        "cost": amount_decimal(cost.cost, unit),
    }


def _share(share: Share, unit: int) -> dict[str, Any]:
    return {
        "code": share.code,
        "municipality": share.municipality,
        "population": share.population,
        "months": share.months,
        "weight": share.population_months,
        "share": share_decimal(share.fraction),
        "exact": major(share.quota, EXACT_DECIMALS),
        "amount": amount_decimal(share.amount, unit),
    }


def _item_parts(period: PeriodAllocation, code: str, by_item: bool) -> dict[str, Any]:
    """A member's exact share of each shared item and its amount of it (whole units: the member's amounts of its items
    add up to its amount, and each item's over the members to its cost), with the key parts behind the share, where
    the items have their own keys or `by_item`; and what it pays of each rate item."""
    parts: dict[str, Any] = {}
    if period.rate_payments is not None:
        parts["rates"] = [
            {
                "label": p.label,
                "counted": p.counted,
                "exact": major(p.exact, EXACT_DECIMALS),
                "amount": amount_decimal(p.amount, period.unit),
            }
            for p in period.rate_payments[code]
        ]
    if period.item_shares is None and not by_item:
        return parts
    amounts = period.item_amounts
    if amounts is None:  # a decided year holds its members' amounts only
        return parts
    shared = [cost.item for cost in amounts.costs if is_shared(cost.item)]
    if period.item_shares is not None:
        records = [_item_share(share) for share in period.item_shares[code]]
    else:  # every item by population: the member's share of each is its part of the year's split
        population = period.share_of(code).population
        records = [_by_population(item.label, amounts.exact_of(code, item) or Fraction(0), population) for item in shared]
    parts["items"] = [
        record | {"amount": amount_decimal(amounts.amount(code, item) or 0, period.unit)}
        for record, item in zip(records, shared, strict=True)
    ]
    return parts


def _by_population(label: str, exact: Fraction, population: int) -> dict[str, Any]:
    """A member's exact share of an item split by population alone, as _item_share() gives one: its key in one part."""
    part = {
        "key": POPULATION,
        "percent": factor_decimal(Fraction(100)),
        "value": factor_decimal(Fraction(population)),
        "exact": major(exact, EXACT_DECIMALS),
    }
    return {"label": label, "exact": major(exact, EXACT_DECIMALS), "capped": False, "parts": [part]}


def _item_share(share: ItemShare) -> dict[str, Any]:
    """A member's exact share of one item by its key, part by part, and whether its cap held it back."""
    return {
        "label": share.label,
        "exact": major(share.exact, EXACT_DECIMALS),
        "capped": share.cap is not None,
        "parts": [
            {
                "key": part.base,
                "percent": factor_decimal(part.percent),
                "value": factor_decimal(part.value),
                "exact": major(part.exact, EXACT_DECIMALS),
            }
            for part in share.parts
        ],
    }


def _totals(view: View) -> list[dict[str, Any]]:
    """Each member's total: the whole agreement's and the years shown."""
    allocation = view.allocation
    return [
        {
            "code": code,
            "municipality": allocation.name(code),
            "amount": amount_decimal(allocation.total_of(code), allocation.unit),
            "years_amount": amount_decimal(allocation.total_of(code, view.years), allocation.unit),
        }
        for code in allocation.codes
    ]


def _indexation(allocation: Allocation) -> dict[str, Any] | None:
    indexation = allocation.indexation
    if indexation is None:
        return None
    rates = {str(year): factor_decimal(rate) for year, rate in sorted(indexation.rates.items())}
    return {"base_year": indexation.base_year, "rates": rates}
