"""The register of issued documents as the secretariat reads it: per budget year and member the year's amount, what
its a conto documents have invoiced and credited, and what is still to invoice; and the debtor list, every issued
document one row, for the host's debtor ledger. Made from the View alone (its `issued` is the register)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from ..core.money import to_major
from ..core.register import is_settled
from ..words import Lang, label
from ..words.display import format_money, signed
from .table import Justify, TextTable
from .workbook import Kind, TableSheet, Workbook

if TYPE_CHECKING:
    from ..app.view import View


@dataclass(frozen=True)
class Standing:
    """A member's budget year as the register stands: its amount, what its a conto documents invoiced and credited,
    and what its settlement documents settled (plus: invoiced; minus: credited)."""

    code: str
    name: str
    amount: int
    invoiced: int
    credited: int
    settled: int = 0
    closed: bool = False  # the year is settled: its a conto is closed, nothing more is invoiced a conto

    @property
    def outstanding(self) -> int:
        """Still to invoice: the amount less what is invoiced, plus what is credited; nothing once the year is settled."""
        return 0 if self.closed else self.amount - self.invoiced + self.credited


def register_years(view: View, chosen: tuple[int, ...] | None) -> tuple[int, ...]:
    """The budget years to show: those chosen, or every year the register holds a document for."""
    if chosen is not None:
        return chosen
    return tuple(sorted({row.year for row in view.issued} & {period.year for period in view.allocation.periods}))


def standings(view: View, year: int) -> list[Standing]:
    """Every member that pays in the year or was sent a document for it, in code order."""
    period = view.period(year)
    invoiced: dict[str, int] = {}
    credited: dict[str, int] = {}
    settled: dict[str, int] = {}
    names = {code: view.name(code) for code in view.codes}
    for row in view.issued:
        if row.year != year:
            continue
        if row.purpose == "settlement":
            settled[row.code] = settled.get(row.code, 0) + row.signed_net
        else:
            totals = invoiced if row.kind == "invoice" else credited
            totals[row.code] = totals.get(row.code, 0) + row.net
        names.setdefault(row.code, row.name)
    codes = sorted({share.code for share in period.shares} | set(invoiced) | set(credited) | set(settled))
    amounts = {share.code: share.amount for share in period.shares}
    closed = is_settled(view.issued, year)
    return [Standing(code, names[code], amounts.get(code, 0), invoiced.get(code, 0), credited.get(code, 0), settled.get(code, 0),
                     closed) for code in codes]  # fmt: skip


def register_table(view: View, year: int, lang: Lang) -> TextTable:
    """One budget year's standings as a table on screen, with a totals row; with øre where a document has them."""
    found = standings(view, year)
    ore = any((s.invoiced % 100 or s.credited % 100 or s.settled % 100) for s in found)
    settling = any(s.settled for s in found)  # the settlement's column, once the year is settled

    def money(minor: int) -> str:
        return format_money(minor, view.unit, lang, view.currency, 2 if ore else None)

    title = label("register_title", lang, alliance=view.alliance, year=year)
    columns: list[tuple[str, Justify]] = [(label("municipality", lang), "left"), (label("code", lang), "left")]
    columns += [
        (label(key, lang), "right") for key in ("register_amount", "register_invoiced", "register_credited", "register_outstanding")
    ]
    names = ["amount", "invoiced", "credited", "outstanding", *(["settled"] if settling else [])]
    if settling:
        columns.append((label("register_settled", lang), "right"))

    def shown(name: str, minor: int) -> str:  # the settlement signed: plus, the member paid more; minus, it got money back
        return signed(minor, money) if name == "settled" else money(minor)

    rows = [[s.name, s.code, *(shown(name, getattr(s, name)) for name in names)] for s in found]
    sums = [sum(getattr(s, name) for s in found) for name in names]
    return TextTable(
        title, columns, rows, [label("total", lang), "", *(shown(name, total) for name, total in zip(names, sums, strict=True))]
    )


DEBTOR_COLUMNS = ("register_number", "register_kind", "budget_year", "code", "municipality", "register_instalment",
                  "register_start", "register_end", "register_issued", "register_due", "register_net", "register_vat",
                  "register_gross", "register_currency", "register_references")  # fmt: skip
PLAIN: Kind = "plain"
AMOUNT: Kind = "amount"
DEBTOR_KINDS: list[Kind] = [PLAIN] * 10 + [AMOUNT] * 3 + [PLAIN] * 2


def debtor_rows(view: View, lang: Lang) -> tuple[list[str], list[list[Any]]]:
    """Every issued document, one row each in the order they were issued: amounts as Decimal kroner, dates as dates."""
    header = [label(key, lang) for key in DEBTOR_COLUMNS]
    rows: list[list[Any]] = [
        [row.number, label(f"register_kind_{row.kind}", lang), row.year, row.code, row.name, row.instalment, row.start, row.end,
         row.issued, row.due, to_major(row.net), to_major(row.vat), to_major(row.gross), row.currency, " ".join(row.references)]
        for row in view.issued
    ]  # fmt: skip
    return header, rows


def debtor_workbook(view: View, lang: Lang, generated_at: datetime) -> Workbook:
    """The debtor list as one sheet, amounts as numbers with øre."""
    header, rows = debtor_rows(view, lang)
    sheet = TableSheet(label("register_debtor_sheet", lang), header, rows, DEBTOR_KINDS, totals=False, fixed_columns=1, filtered=True)
    return Workbook(view.sources.generated_by, generated_at, 2, [sheet])
