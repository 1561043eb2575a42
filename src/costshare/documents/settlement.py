"""The year-end settlement (efterregulering): per member what the register says it was invoiced less credited, its
share of the actual cost and the difference, with a totals row whose difference is actual − invoiced; as a table on
screen with the lines under it, rows for a CSV file, a record for JSON and a sheet for a workbook; and one member's
settlement of a year as its statement shows it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from ..app.settled import MemberSettlement, member_settlements
from ..core.money import display_decimals
from ..words import Lang, label
from ..words.display import amount_decimal, format_money, signed
from .table import Justify, TextTable
from .workbook import TableSheet, Workbook

if TYPE_CHECKING:
    from ..app.invoicing import SettledYear
    from ..app.view import Document, View

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


@dataclass(frozen=True)
class SettlementSection:
    """A member's settlement of one budget year as its statement shows it: a heading, rows of a label and an amount
    (the actual cost, the member's share, what it was invoiced a conto, the difference and the documents that bill it)
    and a line that says how they are made."""

    title: str
    rows: list[tuple[str, str]]
    note: str


def statement_settlements(view: View, code: str, lang: Lang) -> list[SettlementSection]:
    """The member's settlement of each budget year shown that is settled, or that the run making the statement settles."""
    return [_section(view, settled, lang) for settled in member_settlements(view, code)]


def _section(view: View, settled: MemberSettlement, lang: Lang) -> SettlementSection:
    def money(minor: int) -> str:
        return format_money(minor, settled.unit, lang, view.currency)

    member, year = settled.member, settled.year
    rows = [(label("settled_actual", lang, year=year), money(settled.actual))]
    if len(settled.actuals) > 1:
        rows = [(label("settled_actual_item", lang, item=item), money(cost)) for item, cost in settled.actuals.items()]
        rows.append((label("settled_actual_total", lang, year=year), money(settled.actual)))
    rows += [
        (label("settle_actual", lang), money(member.actual)),
        (label("settled_billed", lang), money(member.billed)),
        (label("settle_difference", lang), signed(member.difference, money)),
    ]
    rows += [
        (label(f"settled_by_{document.kind}", lang, number=document.number), signed(document.net, money)) for document in settled.documents
    ]
    if settled.unsettled:
        below = abs(settled.unsettled) < settled.minimum
        said = label("settled_below_minimum", lang, minimum=money(settled.minimum)) if below else label("settled_not_yet", lang)
        rows.append((said, signed(settled.unsettled, money)))
    return SettlementSection(label("settled_title", lang, year=year), rows, label("settled_note", lang))
