"""The year-end settlement (efterregulering): per member what it was billed, its share of the actual cost and the
difference, with a totals row whose difference is actual − budget; as a table on screen, rows for a CSV file, a
record for JSON and a sheet for a workbook."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from ..core.money import display_decimals
from ..words import Lang, label
from ..words.display import amount_decimal, format_money, signed
from .table import Justify, TextTable
from .workbook import TableSheet, Workbook

if TYPE_CHECKING:
    from ..app.view import Document, View
    from ..core.billing import Settlement


def _documents(documents: tuple[Document, ...]) -> dict[str, Document]:
    return {document.code: document for document in documents}


def settlement_rows(view: View, settlement: Settlement, documents: tuple[Document, ...], lang: Lang) -> tuple[list[str], list[list[Any]]]:
    """Header and typed rows (amounts as Decimal kroner), the totals row last."""
    unit = view.unit
    header = [
        label(key, lang) for key in ("municipality", "code", "settle_budget", "settle_actual", "settle_difference", "settle_document")
    ]
    by_code = _documents(documents)
    rows: list[list[Any]] = []
    for member in settlement.members:
        document = by_code.get(member.code)
        kind = label(f"settle_kind_{document.kind}", lang, number=document.number) if document else ""
        rows.append([view.name(member.code), member.code, amount_decimal(member.budget, unit), amount_decimal(member.actual, unit),
                     amount_decimal(member.difference, unit), kind])  # fmt: skip
    rows.append([label("total", lang), "", amount_decimal(settlement.budget, unit), amount_decimal(settlement.actual, unit),
                 amount_decimal(settlement.difference, unit), ""])  # fmt: skip
    return header, rows


def settlement_table(view: View, settlement: Settlement, documents: tuple[Document, ...], lang: Lang) -> TextTable:
    unit, currency = view.unit, view.currency

    def money(minor: int) -> str:
        return format_money(minor, unit, lang, currency)

    title = label("settle_title", lang, alliance=view.alliance, year=settlement.year)
    columns: list[tuple[str, Justify]] = [(label("municipality", lang), "left"), (label("code", lang), "left"),
                                      (label("settle_budget", lang), "right"), (label("settle_actual", lang), "right"),
                                      (label("settle_difference", lang), "right"), (label("settle_document", lang), "left")]  # fmt: skip
    _, typed = settlement_rows(view, settlement, documents, lang)
    rows = [[row[0], row[1], money(member.budget), money(member.actual), signed(member.difference, money), row[5]]
            for row, member in zip(typed, settlement.members, strict=False)]  # fmt: skip
    totals = [label("total", lang), "", money(settlement.budget), money(settlement.actual), signed(settlement.difference, money), ""]
    return TextTable(title, columns, rows, totals)


def settlement_lines(view: View, settlement: Settlement, lang: Lang) -> list[str]:
    """What the settlement rests on, in one or two sentences under the table."""

    def money(minor: int) -> str:
        return format_money(minor, view.unit, lang, view.currency)

    return [label("settle_basis", lang, year=settlement.year, actual=money(settlement.actual), budget=money(settlement.budget),
                  difference=signed(settlement.difference, money))]  # fmt: skip


def settlement_record(view: View, settlement: Settlement, documents: tuple[Document, ...]) -> dict[str, Any]:
    """The settlement for other programs: amounts in currency units, and each member's document by kind and number."""
    unit = view.unit
    by_code = _documents(documents)
    return {
        "generated_by": view.sources.generated_by,
        "alliance": view.alliance,
        "currency": view.currency,
        "year": settlement.year,
        "budget": amount_decimal(settlement.budget, unit),
        "actual": amount_decimal(settlement.actual, unit),
        "difference": amount_decimal(settlement.difference, unit),
        "members": [
            {
                "code": member.code,
                "municipality": view.name(member.code),
                "budget": amount_decimal(member.budget, unit),
                "actual": amount_decimal(member.actual, unit),
                "difference": amount_decimal(member.difference, unit),
                "document": {"kind": by_code[member.code].kind, "number": by_code[member.code].number} if member.code in by_code else None,
            }
            for member in settlement.members
        ],
    }


def settlement_workbook(
    view: View, settlement: Settlement, documents: tuple[Document, ...], lang: Lang, generated_at: datetime
) -> Workbook:
    """The settlement as one sheet, amounts as numbers."""
    header, rows = settlement_rows(view, settlement, documents, lang)
    title = label("settle_sheet", lang, year=settlement.year)
    sheet = TableSheet(title, header, rows, ["plain", "plain", "amount", "amount", "amount", "plain"], totals=True, fixed_columns=2)
    return Workbook(view.sources.generated_by, generated_at, display_decimals(view.unit), [sheet])
