"""What a budget year is billed as: every member's a conto invoices or why the year cannot be invoiced yet, and after
the year its settlement documents.

The pipeline makes every year's billing once into the View (`billed_years`), so the UBL writer, the statements and
the report name the same numbers, dates and amounts, and a refusal carries the config's lines.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from ..core.allocate import PeriodAllocation
from ..core.billing import INSTALMENT_COUNTS, vat_amount
from ..core.errors import Problem, problem
from ..core.issuing import due_date
from ..core.official_names import official_name
from ..core.register import Purpose, issued_numbers, net_invoiced
from ..core.settlement import Settlement, actual_weights, settle
from .bankdays import closed_days
from .issuing import document_number, paying_months, payment_id, year_documents
from .view import Buyer, Document, Invoiceable, Invoicing, Refused, Seller, Sender, View

if TYPE_CHECKING:
    from ..io.config import LoadedConfig

SETTLEMENT_NUMBER = 99  # a settlement document's place in its year's numbers, after every instalment and adjustment; a later one's below


def _refusal(config: LoadedConfig, key: str, path: tuple[str, ...] = (), **values: object) -> Problem:
    """Why a year cannot be invoiced, at the config's line for `path` (none: the config as a whole)."""
    where = config.location(path) if path else None
    hint = f"hint_{key.removeprefix('err_').removesuffix('_one')}"  # one member or several: the same hint
    return problem(key, config.display, where, hint, ".".join(path) or None, **values)


def _seller(config: LoadedConfig, sender: Sender | None) -> Seller | list[Problem]:
    """The sender as an e-invoice names it, or what it lacks."""
    if sender is None:
        return [_refusal(config, "err_invoice_no_sender")]
    cvr, payment = sender.cvr, sender.payment
    if cvr is not None and payment is not None:
        return Seller(sender.name, sender.address, cvr, sender.contact, payment, sender.legal_name or sender.name, sender.ean)
    lacks = (("err_invoice_no_cvr", cvr), ("err_invoice_no_payment", payment))
    return [_refusal(config, key, ("sender",)) for key, given in lacks if given is None]


def member_name(view: View, code: str) -> str:
    """A member's name: as the data names it, or, for one that pays in no budget year now, as the register did."""
    if code in view.allocation.codes:
        return view.name(code)
    return next(row.name for row in reversed(view.issued) if row.code == code)


def _named(view: View, codes: list[str]) -> str:
    return ", ".join(f"{member_name(view, code)} ({code})" for code in codes)


def _buyer(view: View, code: str, year: int) -> Buyer | str:
    """The member as an e-invoice of budget year `year` names it (by its official name unless the config gives one),
    or the catalog id of what it lacks: an EAN, or a reference or the year's order number."""
    details = view.billing.get(code)
    if details is None or details.ean is None:
        return "err_invoice_no_ean"
    order = details.order_in(year)
    if not (details.reference or order):
        return "err_invoice_no_reference"
    name = details.name or official_name(code) or view.name(code)
    return Buyer(details.ean, name, details.reference, order, details.account, details.cvr)


def buyers(config: LoadedConfig, view: View, codes: list[str], year: int) -> dict[str, Buyer] | list[Problem]:
    """Every paying member as an e-invoice of budget year `year` names it, or which members lack an EAN and which a
    reference or the year's order number (each kind in one line)."""
    found: dict[str, Buyer] = {}
    lacking: dict[str, list[str]] = {"err_invoice_no_ean": [], "err_invoice_no_reference": []}
    for code in codes:
        buyer = _buyer(view, code, year)
        if isinstance(buyer, Buyer):
            found[code] = buyer
        else:
            lacking[buyer].append(code)
    problems = [
        _refusal(config, key + ("_one" if len(codes) == 1 else ""), ("billing",), members=_named(view, codes), count=len(codes), year=year)
        for key, codes in lacking.items()
        if codes
    ]
    return problems or found


def estimate(config: LoadedConfig, period: PeriodAllocation) -> tuple[Problem, ...]:
    """A provisional year is neither invoiced nor settled: the refusal that says so (none for a year whose figures are known)."""
    return (_refusal(config, "err_invoice_projected", year=period.year),) if period.projected else ()


def _before_first_year(config: LoadedConfig, invoicing: Invoicing, year: int) -> tuple[Problem, ...]:
    """A year before `billing.first_year` was invoiced outside costshare: the refusal that says so (none from it on)."""
    first = invoicing.first_year
    if first is None or year >= first:
        return ()
    return (_refusal(config, "err_invoice_before_first", ("billing", "first_year"), year=year, first=first),)


def billed_year(config: LoadedConfig, view: View, invoicing: Invoicing, period: PeriodAllocation, on: date) -> Invoiceable | Refused:
    """The year's invoices as issued on `on` up to its end (what is still planned, given the register), or every reason
    it cannot be invoiced, in the order a user fixes them."""
    before = _before_first_year(config, invoicing, period.year)
    if before:
        return Refused(period.year, before)
    projected = estimate(config, period)
    parties = _parties(config, view, period)
    if projected or isinstance(parties, list):
        return Refused(period.year, (*projected, *(parties if isinstance(parties, list) else [])))
    seller, named = parties
    return Invoiceable(period.year, invoicing, seller, named, year_documents(view, invoicing, period, on, period.period.end))


def _parties(config: LoadedConfig, view: View, period: PeriodAllocation) -> tuple[Seller, dict[str, Buyer]] | list[Problem]:
    """Who the year's documents are from and to (the paying members and those the register billed for the year), or
    what they lack."""
    seller = _seller(config, view.sender)
    issued = {row.code for row in view.issued if row.year == period.year and row.purpose == "aconto"}
    named = buyers(config, view, sorted({share.code for share in period.shares} | issued), period.year)
    if isinstance(seller, list) or isinstance(named, list):
        return (seller if isinstance(seller, list) else []) + (named if isinstance(named, list) else [])
    return seller, named


def invoicing_of(view: View) -> Invoicing:
    """How the view's documents are numbered, dated and taxed: as the config says, or by default where it bills no one
    (a settlement's documents are still numbered)."""
    return view.invoicing or Invoicing()


class YearsBilled(Mapping[int, Invoiceable | Refused]):
    """Every budget year of the agreement as billed, each worked out the first time a document asks for it: a
    command that shows no invoice (`table`, `explain`) never plans one, nor reads the bank holidays for due dates."""

    def __init__(self, config: LoadedConfig, view: View, on: date) -> None:
        self.config, self.view, self.on = config, view, on
        self.periods = {period.year: period for period in view.allocation.periods}
        self.made: dict[int, Invoiceable | Refused] = {}

    def __getitem__(self, year: int) -> Invoiceable | Refused:
        if year not in self.made:
            self.made[year] = billed_year(self.config, self.view, invoicing_of(self.view), self.periods[year], self.on)
        return self.made[year]

    def __iter__(self) -> Iterator[int]:
        return iter(self.periods)

    def __len__(self) -> int:
        return len(self.periods)


def billed_years(config: LoadedConfig, view: View, on: date) -> YearsBilled:
    """Every budget year of the agreement as billed: what is still to issue, were it issued on `on`."""
    return YearsBilled(config, view, on)


def settlement(view: View, year: int, purposes: tuple[Purpose, ...] = ("aconto", "settlement")) -> Settlement:
    """The year's actual cost split by the budget's own rules, set against what the register says each member was
    invoiced less credited for the year (by the documents of `purposes`: a conto and earlier settlement documents;
    never a recomputed budget)."""
    period, actuals = view.period(year), view.actuals[year]
    codes = [share.code for share in period.shares]
    minimum = view.invoicing.minimum if view.invoicing is not None else 0
    billed = net_invoiced(view.issued, year, purposes)
    return settle(year, codes, actual_weights(period, actuals), billed, sum(actuals.values()), view.unit, minimum)


@dataclass(frozen=True)
class SettledYear:
    """A year's settlement with what it is made from and the documents it is billed by, for the writers."""

    view: View
    settlement: Settlement
    documents: tuple[Document, ...]
    names: Mapping[str, str]  # every settled member's name, by code

    @property
    def nothing_issued(self) -> bool:
        """Whether the register holds no document of the year: each member's whole share is still to invoice."""
        return not any(row.year == self.settlement.year for row in self.view.issued)


def member_names(view: View, settled: Settlement) -> dict[str, str]:
    """Each settled member's name, by code."""
    return {member.code: member_name(view, member.code) for member in settled.members}


def _settlement_number(invoicing: Invoicing, year: int, code: str, taken: frozenset[str]) -> int:
    """A settlement document's place in its year: 99, or the next below it that the register has not issued (a
    corrected actual cost settles again), always above every instalment's."""
    free = (n for n in range(SETTLEMENT_NUMBER, max(INSTALMENT_COUNTS), -1) if document_number(invoicing, year, code, n) not in taken)
    return next(free)


def _settles(view: View, year: int, code: str) -> tuple[str, ...]:
    """The numbers a member's settlement document refers to: its earlier settlement documents of the year where it
    has any, else its a conto documents."""
    rows = [row for row in view.issued if row.year == year and row.code == code]
    earlier = [row.number for row in rows if row.purpose == "settlement"]
    return tuple(earlier or [row.number for row in rows])


def _months(view: View, period: PeriodAllocation, code: str) -> tuple[date, date]:
    """The months a member's settlement covers: those it pays for in the year, or, where it pays for none now, those
    its issued documents of the year covered."""
    if period.has(code):
        return paying_months(view, period, code)
    rows = [row for row in view.issued if row.year == period.year and row.code == code]
    return min(row.start for row in rows), max(row.end for row in rows)


def settlement_documents(view: View, settled: Settlement, day: date) -> tuple[Document, ...]:
    """One document per member whose difference is invoiced: an invoice when it pays more, a credit note when it gets
    money back, each referring to what it settles, issued on `day` and due the payment terms later on a bank day."""
    period, invoicing = view.period(settled.year), invoicing_of(view)
    due = due_date(day, invoicing.payment_terms_days, day, closed_days(range(day.year, day.year + 3)))
    taken = issued_numbers(view.issued)
    documents = []
    for member in settled.invoiced:
        net, number = abs(member.difference), _settlement_number(invoicing, settled.year, member.code, taken)
        first, last = _months(view, period, member.code)
        documents.append(
            Document("invoice" if member.difference > 0 else "credit_note", document_number(invoicing, settled.year, member.code, number),
                     member.code, settled.year, day, due, first, last, net, vat_amount(net, invoicing.vat_percent), None, 0,
                     _settles(view, settled.year, member.code), payment_id(view, settled.year, member.code, number), "settlement")
        )  # fmt: skip
    return tuple(documents)
