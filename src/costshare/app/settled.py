"""What a member's statement says of a budget year that is settled, or that the run making it settles: the year's
actual cost, the member's share of it, what it was invoiced less credited a conto, the difference, and the settlement
documents that bill the difference.

The figures are the settlement's own (`settlement` in app/invoicing.py, never worked out again here), set against the
year's a conto documents in the register, so that the settlement documents listed under them add up to the
difference: a first settlement's figures are those `settle` shows before it is issued, and a statement made after it
says the same of it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from ..core.register import Issued, Kind, is_settled
from ..core.settlement import SettledMember
from .invoicing import settlement
from .view import Document, View


@dataclass(frozen=True)
class Settling:
    """A settlement document as a statement names it: its kind, its number and its net amount as the member owes it
    (negative for a credit note, so that the documents add up to the difference)."""

    kind: Kind
    number: str
    net: int


@dataclass(frozen=True)
class MemberSettlement:
    """One member's settlement of one budget year, as its statement shows it; amounts in minor units."""

    year: int
    actuals: Mapping[str, int]  # each cost item's actual cost in the year, by label
    member: SettledMember  # its share of the actual cost against what it was invoiced less credited a conto
    documents: tuple[Settling, ...]  # its settlement documents of the year, the register's then the run's
    unit: int  # what the amounts are whole numbers of
    minimum: int  # a difference smaller than this is not invoiced

    @property
    def actual(self) -> int:
        """The year's actual cost."""
        return sum(self.actuals.values())

    @property
    def unsettled(self) -> int:
        """The part of the difference no settlement document bills: one below the minimum, or what an actual cost
        corrected since the settlement adds (settled by the next `invoices --settlement`)."""
        return self.member.difference - sum(document.net for document in self.documents)


def settling_years(view: View) -> tuple[int, ...]:
    """The budget years shown that are settled (the register holds a settlement document of them) or that the run
    settles, where the config gives their actual cost."""
    settling = {document.year for document in view.settling}
    return tuple(year for year in view.years if year in view.actuals and (year in settling or is_settled(view.issued, year)))


def _documents(view: View, year: int, code: str) -> tuple[Settling, ...]:
    """The member's settlement documents of budget year `year`: the register's, then those the run issues."""
    rows: list[Issued | Document] = [*(row for row in view.issued if row.purpose == "settlement"), *view.settling]
    return tuple(Settling(row.kind, row.number, row.net if row.kind == "invoice" else -row.net)
                 for row in rows if row.year == year and row.code == code)  # fmt: skip


def member_settlement(view: View, year: int, code: str) -> MemberSettlement | None:
    """The member's settlement of budget year `year` (None where the settlement names no such member)."""
    settled = settlement(view, year, ("aconto",))
    member = next((found for found in settled.members if found.code == code), None)
    if member is None:
        return None
    documents = _documents(view, year, code)
    unit = settled.unit if all(document.net % settled.unit == 0 for document in documents) else 1
    return MemberSettlement(year, view.actuals[year], member, documents, unit, settled.minimum)


def member_settlements(view: View, code: str) -> tuple[MemberSettlement, ...]:
    """The member's settlement of each budget year shown that is settled or that the run settles."""
    found = (member_settlement(view, year, code) for year in settling_years(view))
    return tuple(settled for settled in found if settled is not None)
