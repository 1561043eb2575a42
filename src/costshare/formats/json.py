"""JSON files: stable English keys, sorted; amounts written digit for digit from exact decimals, never through float.

The export is the View's figures as they are (export_document); other documents come as plain data.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any, assert_never

from ..core.items import BY_POPULATION, OneOffItem, RateItem, YearlyItem
from ..core.money import major, to_major
from ..words.display import EXACT_DECIMALS, amount_decimal, factor_decimal, share_decimal

if TYPE_CHECKING:
    from ..app.view import View
    from ..core.allocate import Allocation, PeriodAllocation
    from ..core.items import CostItem


def export_document(view: View) -> dict[str, Any]:
    """The JSON export as plain data; money as Decimal in currency units."""
    allocation = view.allocation
    unit = allocation.unit
    return {
        "generated_by": view.sources.generated_by,
        "config_sha256": view.sources.config_sha256,
        "population_sha256": view.sources.population_sha256,
        "alliance": view.alliance,
        "currency": view.currency,
        "rounding_unit": view.rounding_unit,
        "method": "largest_remainder",
        "population_basis": allocation.basis,
        "population_source": view.sources.population_source,
        "agreement": {"start": view.agreement.start.isoformat(), "end": view.agreement.end.isoformat()},
        "price_level": "current" if allocation.indexed else "fixed",
        "indexation": _indexation(allocation),
        "costs": [_cost_item(item) for item in allocation.items],
        "periods": [
            {
                "year": p.year,
                "start": p.period.start.isoformat(),
                "end": p.period.end.isoformat(),
                "months": p.period.months,
                "cost": amount_decimal(p.cost, unit),
                "population_year": p.population_year,
                "population_year_wanted": p.key_wanted,
                "population_total": p.population_total,
                "price_year": p.price_year,
                "projected": p.projected,
                "items": [
                    {
                        "label": c.item.label,
                        "kind": c.item.kind,
                        "factor": factor_decimal(c.factor),
                        "months": c.months,
                        "cost": amount_decimal(c.cost, unit),
                    }
                    for c in p.item_costs
                ],
                "allocations": [
                    {
                        "code": s.code,
                        "municipality": s.municipality,
                        "population": s.population,
                        "months": s.months,
                        "weight": s.population_months,
                        "share": share_decimal(s.fraction),
                        "exact": major(s.quota, EXACT_DECIMALS),
                        "amount": amount_decimal(s.amount, unit),
                    }
                    | _item_parts(p, s.code)
                    for s in p.shares
                ],
            }
            for p in view.periods
        ],
        "totals": [
            {
                "code": code,
                "municipality": allocation.name(code),
                "amount": amount_decimal(allocation.total_of(code), unit),
                "years_amount": amount_decimal(allocation.total_of(code, view.years), unit),
            }
            for code in allocation.codes
        ],
        "total": amount_decimal(allocation.total(), unit),  # the whole agreement's, whatever years are shown
        "years": list(view.years),
        "years_total": amount_decimal(allocation.total(view.years), unit),
    }


def _cost_item(item: CostItem) -> dict[str, Any]:
    """An item as the config gives it, with its key and cap where it has its own."""
    match item:
        case YearlyItem():
            return {"label": item.label, "kind": item.kind, "yearly": to_major(item.yearly).normalize(), "indexed": item.indexed,
                    "from": _day(item.start), "to": _day(item.end)} | _key(item)  # fmt: skip
        case OneOffItem():
            return {"label": item.label, "kind": item.kind, "one_off": to_major(item.amount).normalize(), "year": item.year} | _key(item)
        case RateItem():
            return {
                "label": item.label,
                "kind": item.kind,
                "steps": [{"up_to": up_to, "rate": major(rate, EXACT_DECIMALS)} for up_to, rate in item.steps],
                "base": to_major(item.base),
                "max_inhabitants": item.max_inhabitants,
                "indexed": item.indexed,
                "from": _day(item.start),
                "to": _day(item.end),
                # a rate item is paid by each member's own inhabitants; `key` is the default every item has written
                "key": {base: factor_decimal(percent) for base, percent in BY_POPULATION},
                "cap": to_major(item.cap) if item.cap is not None else None,
            }
        case _:
            assert_never(item)


def _day(day: date | None) -> str | None:
    return day.isoformat() if day else None


def _key(item: YearlyItem | OneOffItem) -> dict[str, Any]:
    """An item's key and cap, where it has its own (an item split by population alone says nothing new)."""
    if item.by_population:
        return {}
    return {
        "key": {base: factor_decimal(percent) for base, percent in item.key},
        "cap": to_major(item.cap) if item.cap is not None else None,
    }


def _item_parts(period: PeriodAllocation, code: str) -> dict[str, Any]:
    """A member's exact share of each item and the key parts behind it, where items have their own keys, and what it
    pays of each rate item."""
    rates = {}
    if period.rate_payments is not None:
        rates = {"rates": [{"label": p.label, "counted": p.counted, "exact": major(p.exact, EXACT_DECIMALS), "amount": amount_decimal(p.amount, period.unit)}
                           for p in period.rate_payments[code]]}  # fmt: skip
    if period.item_shares is None:
        return rates
    return rates | {
        "items": [
            {
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
            for share in period.item_shares[code]
        ]
    }


def _indexation(allocation: Allocation) -> dict[str, Any] | None:
    indexation = allocation.indexation
    if indexation is None:
        return None
    rates = {str(year): factor_decimal(rate) for year, rate in sorted(indexation.rates.items())}
    return {"base_year": indexation.base_year, "rates": rates}


def _json(value: Any, indent: str = "") -> Iterable[str]:
    """JSON text with sorted keys; Decimal written digit for digit, so no amount passes through float."""
    inner = indent + "  "
    if isinstance(value, dict):
        if not value:
            yield "{}"
            return
        yield "{\n"
        for index, key in enumerate(sorted(value)):
            yield f"{inner}{json.dumps(key, ensure_ascii=False)}: "
            yield from _json(value[key], inner)
            yield ",\n" if index < len(value) - 1 else "\n"
        yield indent + "}"
    elif isinstance(value, list):
        if not value:
            yield "[]"
            return
        yield "[\n"
        for index, item in enumerate(value):
            yield inner
            yield from _json(item, inner)
            yield ",\n" if index < len(value) - 1 else "\n"
        yield indent + "]"
    elif isinstance(value, Decimal):
        yield format(value, "f")
    elif value is None or isinstance(value, (bool, int, str)):
        yield json.dumps(value, ensure_ascii=False)
    else:
        raise TypeError(f"cannot write {type(value).__name__} as JSON")


def json_bytes(document: Any) -> bytes:
    """A document's plain data (dicts, lists, Decimals, text, numbers) as UTF-8 JSON with sorted keys."""
    return ("".join(_json(document)) + "\n").encode("utf-8")
