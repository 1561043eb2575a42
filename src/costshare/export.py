"""CSV and JSON exports (XLSX in workbook.py) as bytes; safewrite.py writes them.

Numbers in files carry no thousands separators; the excel-da dialect uses a decimal comma,
`;`, a BOM and CRLF so Danish Excel opens it with numbers as numbers.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from .core.money import display_decimals, major, round_fraction, to_major
from .labels import Lang, label, period_label

if TYPE_CHECKING:
    from .compare import Comparison
    from .core.allocate import Allocation
    from .core.periods import CostItem
    from .pipeline import Computation

Layout = Literal["wide", "long"]

FORMATS: tuple[str, ...] = ("csv", "json", "xlsx")
SHARE_DECIMALS = 8
EXACT_DECIMALS = 6

# OWASP CSV injection: a spreadsheet treats text starting with these as a formula.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n")


def inert(text: str) -> str:
    """Text a spreadsheet will not run as a formula: a leading ' where it could start one."""
    return "'" + text if text.startswith(_FORMULA_STARTS) else text


@dataclass(frozen=True)
class CsvDialect:
    delimiter: str
    decimal: str
    bom: bool


DIALECTS: dict[str, CsvDialect] = {
    "excel-da": CsvDialect(delimiter=";", decimal=",", bom=True),
    "rfc4180": CsvDialect(delimiter=",", decimal=".", bom=False),
}


def amount_decimal(minor: int, unit: int) -> Decimal:
    """Minor units as currency, with øre only when the rounding unit is øre."""
    return major(minor, display_decimals(unit))


def _csv_cell(value: Any, dialect: CsvDialect) -> str:
    """Numbers with the dialect's decimal mark, dates as ISO 8601, text made inert."""
    if value is None:  # not a member that year
        return ""
    if isinstance(value, (int, Decimal)):
        return str(value).replace(".", dialect.decimal)
    if isinstance(value, date):
        return value.isoformat()
    return inert(str(value))


def wide_rows(allocation: Allocation, lang: Lang) -> tuple[list[str], list[list[Any]]]:
    """Header and rows, one per municipality plus a totals row: the layout people read."""
    unit = allocation.unit
    fixed = allocation.same_key_every_year()
    header = [label("code", lang), label("municipality", lang)]
    if fixed:
        header += [label("population", lang), label("share", lang)]
    header += [period_label(p.period, lang) for p in allocation.periods] + [label("total", lang)]
    rows: list[list[Any]] = []
    first = allocation.periods[0]
    for code in allocation.codes:
        row: list[Any] = [code, allocation.name(code)]
        if fixed:
            share = first.share_of(code)
            row += [share.population, round_fraction(share.fraction, SHARE_DECIMALS)]
        row += [amount_decimal(p.share_of(code).amount, unit) if p.has(code) else None for p in allocation.periods]
        rows.append(row + [amount_decimal(allocation.total_of(code), unit)])
    totals: list[Any] = ["", label("total", lang)]
    if fixed:
        totals += [first.population_total, Decimal(1)]
    totals += [amount_decimal(p.cost, unit) for p in allocation.periods]
    rows.append(totals + [amount_decimal(allocation.total(), unit)])
    return header, rows


def long_rows(allocation: Allocation, lang: Lang) -> tuple[list[str], list[list[Any]]]:
    """One row per budget year and municipality, with the period's dates: the layout pivot tables want."""
    keys = ("year", "start", "end", "months", "code", "municipality", "population_year", "population", "share", "amount")
    header = [label(key, lang) for key in keys]
    rows: list[list[Any]] = []
    for period in allocation.periods:
        for share in period.shares:
            rows.append(
                [
                    period.year,
                    period.period.start,
                    period.period.end,
                    period.period.months,
                    share.code,
                    share.municipality,
                    period.population_year,
                    share.population,
                    round_fraction(share.fraction, SHARE_DECIMALS),
                    amount_decimal(share.amount, allocation.unit),
                ]
            )
    return header, rows


def csv_bytes(allocation: Allocation, lang: Lang, dialect_name: str, layout: Layout) -> bytes:
    header, rows = (wide_rows if layout == "wide" else long_rows)(allocation, lang)
    return csv_table_bytes(header, rows, DIALECTS[dialect_name])


def csv_table_bytes(header: list[str], rows: list[list[Any]], dialect: CsvDialect) -> bytes:
    """A header and rows as CSV in `dialect`: numbers with its decimal mark, text made inert."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=dialect.delimiter, lineterminator="\r\n")
    writer.writerow([inert(cell) for cell in header])
    for row in rows:
        writer.writerow([_csv_cell(cell, dialect) for cell in row])
    text = buffer.getvalue()
    return (("\ufeff" + text) if dialect.bom else text).encode("utf-8")


def export_document(computation: Computation) -> dict[str, Any]:
    """The JSON export as plain data; money as Decimal in currency units."""
    allocation = computation.allocation
    unit = allocation.unit
    model = computation.config.model
    return {
        "generated_by": computation.generated_by,
        "config_sha256": computation.config.sha256,
        "population_sha256": computation.population_sha256,
        "alliance": model.alliance,
        "currency": model.currency,
        "rounding_unit": model.rounding.unit,
        "method": "largest_remainder",
        "population_basis": allocation.basis,
        "population_source": model.population.source,
        "agreement": {"start": model.agreement.start.isoformat(), "end": model.agreement.end.isoformat()},
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
                "population_total": p.population_total,
                "items": [
                    {
                        "label": c.item.label,
                        "kind": c.item.kind,
                        "factor": _factor(c.factor),
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
                        "weight": s.weight,
                        "share": round_fraction(s.fraction, SHARE_DECIMALS),
                        "exact": major(s.quota, EXACT_DECIMALS),
                        "amount": amount_decimal(s.amount, unit),
                    }
                    for s in p.shares
                ],
            }
            for p in allocation.periods
        ],
        "totals": [
            {"code": code, "municipality": allocation.name(code), "amount": amount_decimal(allocation.total_of(code), unit)}
            for code in allocation.codes
        ],
        "total": amount_decimal(allocation.total(), unit),
    }


FACTOR_DECIMALS = 10


def _factor(factor: Fraction) -> Decimal:
    """A P/L factor to 10 decimals, without trailing zeros (1.031, not 1.0310000000)."""
    rounded = round_fraction(factor, FACTOR_DECIMALS)
    return rounded.quantize(Decimal(1)) if rounded == rounded.to_integral_value() else rounded.normalize()


def _cost_item(item: CostItem) -> dict[str, Any]:
    if item.one_off is not None:
        return {"label": item.label, "kind": "one_off", "one_off": to_major(item.one_off).normalize(), "year": item.year}
    return {
        "label": item.label,
        "kind": "yearly",
        "yearly": to_major(item.yearly).normalize(),
        "indexed": item.indexed,
        "from": item.start.isoformat() if item.start else None,
        "to": item.end.isoformat() if item.end else None,
    }


def _indexation(allocation: Allocation) -> dict[str, Any] | None:
    indexation = allocation.indexation
    if indexation is None:
        return None
    rates = {str(year): round_fraction(rate, FACTOR_DECIMALS).normalize() for year, rate in sorted(indexation.rates.items())}
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


def json_bytes(computation: Computation) -> bytes:
    return ("".join(_json(export_document(computation))) + "\n").encode("utf-8")


def format_for(out: str, given: str | None, formats: tuple[str, ...] = FORMATS) -> str | None:
    """--format if given, else the output file's suffix when it is one of `formats`; None when neither says."""
    if given:
        return given
    suffix = Path(out).suffix.lower().lstrip(".")
    return suffix if suffix in formats else None


def comparison_rows(comparison: Comparison, lang: Lang) -> tuple[list[str], list[list[Any]]]:
    """The comparison for files: a row per municipality and budget year, and a totals row; empty where a side has no amount."""
    unit = comparison.unit
    header = [label(key, lang) for key in ("year", "code", "municipality", "compare_base", "compare_other", "compare_difference")]
    header.append(label("compare_difference_percent", lang))

    def money(minor: int | None) -> Decimal | None:
        return None if minor is None else amount_decimal(minor, unit)

    def percent(value: Fraction | None) -> Decimal | None:
        return None if value is None else round_fraction(value, 4)

    rows: list[list[Any]] = [
        [row.year, row.code, row.municipality, money(row.base), money(row.other), money(row.difference), percent(row.percent)]
        for row in comparison.rows
    ]
    totals = comparison.totals
    rows.append(["", "", label("total", lang), money(totals.base), money(totals.other), money(totals.difference), percent(totals.percent)])
    return header, rows


def comparison_csv(comparison: Comparison, lang: Lang) -> bytes:
    return csv_table_bytes(*comparison_rows(comparison, lang), DIALECTS["excel-da"])


def comparison_json(comparison: Comparison, base: Computation, other: Computation) -> bytes:
    unit = comparison.unit
    document = {
        "generated_by": base.generated_by,
        "base": {"config": base.config.display, "config_sha256": base.config.sha256, "population_sha256": base.population_sha256},
        "other": {"config": other.config.display, "config_sha256": other.config.sha256, "population_sha256": other.population_sha256},
        "differs_in": list(comparison.differs_in),
        "rows": [
            {
                "year": row.year,
                "code": row.code,
                "municipality": row.municipality,
                "base": None if row.base is None else amount_decimal(row.base, unit),
                "other": None if row.other is None else amount_decimal(row.other, unit),
                "difference": None if row.difference is None else amount_decimal(row.difference, unit),
                "difference_percent": None if row.percent is None else round_fraction(row.percent, 4),
            }
            for row in comparison.rows
        ],
        "totals": {"base": amount_decimal(comparison.total("base"), unit), "other": amount_decimal(comparison.total("other"), unit)},
    }
    return ("".join(_json(document)) + "\n").encode("utf-8")
