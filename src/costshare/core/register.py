"""The register of issued documents, as figures: what was issued to whom for which budget year, and what a member has
been invoiced less credited for a year. What was issued is history: billing reads it and never recomputes it.

io/register.py reads and appends the file (its rows chained by hashes); this module only holds what a row says.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Literal

Kind = Literal["invoice", "credit_note"]
Purpose = Literal["aconto", "settlement"]  # an a conto document of the budget, or one settling the actual cost


@dataclass(frozen=True)
class Issued:
    """One issued document, as the register keeps it: amounts in minor units, always positive (a credit note says
    'money back' by its kind, never by a sign)."""

    number: str
    kind: Kind
    purpose: Purpose
    year: int  # the budget year
    code: str  # the member's code
    name: str  # the member's name as the document gave it
    instalment: int | None  # 1-based among the year's a conto instalments; None for a credit note or a settlement
    start: date  # the months the document covers
    end: date
    issued: date
    due: date
    net: int
    vat: int
    currency: str
    references: tuple[str, ...]  # the numbers of the documents it refers to
    sha256: str  # of the document's bytes as issued

    @property
    def gross(self) -> int:
        return self.net + self.vat

    @property
    def signed_net(self) -> int:
        """The net as the member owes it: positive for an invoice, negative for a credit note."""
        return self.net if self.kind == "invoice" else -self.net


def net_invoiced(rows: Iterable[Issued], year: int, purposes: tuple[Purpose, ...] = ("aconto", "settlement")) -> dict[str, int]:
    """Per member code: what it has been invoiced less credited for budget year `year` (by the documents of
    `purposes`), a member with no document left out."""
    totals: dict[str, int] = {}
    for row in rows:
        if row.year == year and row.purpose in purposes:
            totals[row.code] = totals.get(row.code, 0) + row.signed_net
    return totals


def is_settled(rows: Iterable[Issued], year: int) -> bool:
    """Whether budget year `year` is settled: a settlement document of it was issued. A settled year's a conto is
    closed: nothing more is invoiced a conto for it."""
    return any(row.year == year and row.purpose == "settlement" for row in rows)


def issued_numbers(rows: Iterable[Issued]) -> frozenset[str]:
    """Every number the register has issued: a number is issued once, whatever it would hold."""
    return frozenset(row.number for row in rows)
