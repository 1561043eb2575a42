"""The year-end settlement (efterregulering): per member what the register says it was invoiced less credited, its
share of the actual cost and the difference, with a totals row whose difference is actual − invoiced; as a table on
screen with the lines under it, rows for a CSV file, a record for JSON and a sheet for a workbook."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from ..core.money import display_decimals
from ..words import Lang, label
from ..words.display import amount_decimal, format_money, signed
from .table import Justify, TextTable
from .workbook import TableSheet, Workbook

if TYPE_CHECKING:
    from ..app.invoicing import SettledYear
    from ..app.view import Document

_COLUMNS = ("municipality", "code", "settle_billed", "settle_actual", "settle_difference", "settle_document")


def _documents(documents: tuple[Document, ...]) -> dict[str, Document]:
    return {document.code: document for document in documents}


def settlement_rows(settled: SettledYear, lang: Lang) -> tuple[list[str], list[list[Any]]]:
    """Header and typed rows (amounts as Decimal kroner), the totals row last."""
    settlement, unit = settled.settlement, settled.settlement.unit
    by_code = _documents(settled.documents)
    rows: list[list[Any]] = []
    for member in settlement.members:
        document = by_code.get(member.code)
        kind = label(f"settle_kind_{document.kind}", lang, number=document.number) if document else ""
        rows.append([settled.names[member.code], member.code, amount_decimal(member.billed, unit), amount_decimal(member.actual, unit),
                     amount_decimal(member.difference, unit), kind])  # fmt: skip
    rows.append([label("total", lang), "", amount_decimal(settlement.billed, unit), amount_decimal(settlement.actual, unit),
                 amount_decimal(settlement.difference, unit), ""])  # fmt: skip
    return [label(key, lang) for key in _COLUMNS], rows


def settlement_table(settled: SettledYear, lang: Lang) -> TextTable:
    settlement, view = settled.settlement, settled.view

    def money(minor: int) -> str:
        return format_money(minor, settlement.unit, lang, view.currency)

    title = label("settle_title", lang, alliance=view.alliance, year=settlement.year)
    justify: tuple[Justify, ...] = ("left", "left", "right", "right", "right", "left")
    columns = [(label(key, lang), side) for key, side in zip(_COLUMNS, justify, strict=True)]
    _, typed = settlement_rows(settled, lang)
    rows = [[row[0], row[1], money(member.billed), money(member.actual), signed(member.difference, money), row[5]]
            for row, member in zip(typed, settlement.members, strict=False)]  # fmt: skip
    totals = [label("total", lang), "", money(settlement.billed), money(settlement.actual), signed(settlement.difference, money), ""]
    return TextTable(title, columns, rows, totals)


def settlement_lines(settled: SettledYear, lang: Lang) -> list[str]:
    """What the settlement rests on, under the table: how the actual cost is split and set against what was invoiced,
    then the notes (`settlement_notes`)."""
    settlement, view = settled.settlement, settled.view

    def money(minor: int) -> str:
        return format_money(minor, settlement.unit, lang, view.currency)

    lines = [label("settle_basis", lang, year=settlement.year, actual=money(settlement.actual), billed=money(settlement.billed),
                   difference=signed(settlement.difference, money))]  # fmt: skip
    return lines + settlement_notes(settled, lang)


def settlement_notes(settled: SettledYear, lang: Lang) -> list[str]:
    """What `settle` and `invoices --settlement` both say of a settlement: that nothing is invoiced yet, where the
    register holds no document of the year; and the differences below the minimum, which are not invoiced."""
    settlement = settled.settlement

    def money(minor: int) -> str:
        return format_money(minor, settlement.unit, lang, settled.view.currency)

    lines = [label("settle_nothing_issued", lang, year=settlement.year)] if settled.nothing_issued else []
    below = settlement.below_minimum
    if below:
        members = ", ".join(f"{settled.names[m.code]} ({m.code}) {signed(m.difference, money)}" for m in below)
        total = signed(sum(m.difference for m in below), money)
        lines.append(label("settle_below_minimum", lang, minimum=money(settlement.minimum), members=members, total=total))
    return lines


def settlement_record(settled: SettledYear) -> dict[str, Any]:
    """The settlement for other programs: amounts in currency units, and each member's document by kind and number
    (None where its difference is nothing or below the minimum)."""
    settlement, view = settled.settlement, settled.view
    unit = settlement.unit
    by_code = _documents(settled.documents)
    below = {member.code for member in settlement.below_minimum}
    return {
        "generated_by": view.sources.generated_by,
        "alliance": view.alliance,
        "currency": view.currency,
        "year": settlement.year,
        "billed": amount_decimal(settlement.billed, unit),
        "actual": amount_decimal(settlement.actual, unit),
        "difference": amount_decimal(settlement.difference, unit),
        "minimum": amount_decimal(settlement.minimum, unit),
        "members": [
            {
                "code": member.code,
                "municipality": settled.names[member.code],
                "billed": amount_decimal(member.billed, unit),
                "actual": amount_decimal(member.actual, unit),
                "difference": amount_decimal(member.difference, unit),
                "below_minimum": member.code in below,
                "document": {"kind": by_code[member.code].kind, "number": by_code[member.code].number} if member.code in by_code else None,
            }
            for member in settlement.members
        ],
    }


def settlement_workbook(settled: SettledYear, lang: Lang, generated_at: datetime) -> Workbook:
    """The settlement as one sheet, amounts as numbers."""
    header, rows = settlement_rows(settled, lang)
    title = label("settle_sheet", lang, year=settled.settlement.year)
    sheet = TableSheet(title, header, rows, ["plain", "plain", "amount", "amount", "amount", "plain"], totals=True, fixed_columns=2)
    return Workbook(settled.view.sources.generated_by, generated_at, display_decimals(settled.settlement.unit), [sheet])
