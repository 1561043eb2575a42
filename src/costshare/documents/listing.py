"""The e-invoices of the budget years shown, as the statements, the report and the workbook list them: those issued
(the register's, as it keeps them, and those the run is issuing, in the statement each of them carries) and those still
planned (what `costshare invoices` would issue today for the rest of the year), each marked as one or the other. A
document that was not issued is never listed as issued.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Literal

from ..words import Lang, label
from ..words.display import format_long_date, format_money

if TYPE_CHECKING:
    from ..app.view import View


@dataclass(frozen=True)
class Listed:
    """One e-invoice or credit note to one member for one budget year, issued or planned; gross in minor units."""

    code: str
    year: int
    number: str
    kind: Literal["invoice", "credit_note"]
    start: date
    end: date
    issued: date | None  # None: planned, not issued
    due: date
    gross: int

    @property
    def planned(self) -> bool:
        return self.issued is None


def listed(view: View, code: str | None = None) -> list[Listed]:
    """Every document of the budget years shown (to one member: `code`), by member and year: the issued ones in the
    order they were issued, then the planned ones. A statement asks for its member's alone, so the bundle's
    statements together read each document once, not once per member."""
    years = set(view.years)
    found = [Listed(row.code, row.year, row.number, row.kind, row.start, row.end, row.issued, row.due, row.gross)
             for row in view.issued if row.year in years and code in (None, row.code)]  # fmt: skip
    found += [Listed(document.code, document.year, document.number, document.kind, document.start, document.end, document.issued,
                     document.due, document.gross)
              for document in view.settling if document.year in years and code in (None, document.code)]  # fmt: skip
    settling = {document.year for document in view.settling}  # a year settled has no a conto document planned
    issuing = {document.number for document in view.issuing}
    for billed in view.invoiceable:
        if billed.year in settling:
            continue
        documents = billed.invoices if code is None else billed.of(code)
        found += [Listed(document.code, document.year, document.number, document.kind, document.start, document.end,
                         document.issued if document.number in issuing else None, document.due, document.gross)
                  for document in documents]  # fmt: skip
    rank = {code: index for index, code in enumerate(view.codes)}
    return sorted(found, key=lambda item: (rank.get(item.code, len(rank)), item.code, item.year, item.planned))


def _fact(view: View, item: Listed, lang: Lang) -> str:
    """'2026-340-1 (6.538 kr., forfald 2. januar 2026)'; a credit note: '2026-340-50 (kreditnota, 3.076 kr.)'."""
    # an amount with VAT need not be whole units: its øre are shown, never rounded away
    money = format_money(item.gross, view.unit, lang, view.currency, 2 if item.gross % view.unit else None)
    if item.kind == "credit_note":
        return label("credit_note_fact", lang, number=item.number, amount=money)
    return label("invoice_fact", lang, number=item.number, amount=money, due=format_long_date(item.due, lang))


def grouped(view: View, lang: Lang, code: str | None = None) -> list[tuple[str, int, bool, str]]:
    """(code, year, planned, the documents in words) for each member (or `code` alone), year and issued-or-planned."""
    groups: dict[tuple[str, int, bool], list[str]] = {}
    for item in listed(view, code):
        groups.setdefault((item.code, item.year, item.planned), []).append(_fact(view, item, lang))
    return [(member, year, planned, "; ".join(facts)) for (member, year, planned), facts in groups.items()]


def status_word(planned: bool, lang: Lang) -> str:
    """'planlagt' or 'udstedt'."""
    return label("word_planned" if planned else "word_issued", lang)


def invoice_facts(view: View, code: str, lang: Lang) -> list[tuple[str, str]]:
    """("E-fakturaer 2026 (udstedt)", "2026-340-1 (6.538 kr., forfald 2. januar 2026); …") for a statement's facts, the
    issued before the planned for each year."""
    return [(label("invoices_of_year", lang, year=year, status=status_word(planned, lang)), said)
            for _, year, planned, said in grouped(view, lang, code)]  # fmt: skip
