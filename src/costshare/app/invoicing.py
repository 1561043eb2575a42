"""What a budget year is billed as: every member's a conto invoices or why the year cannot be invoiced yet, and after
the year its settlement documents.

The pipeline makes every year's billing once into the View (`billed_years`), so the UBL writer, the statements and
the report name the same numbers, dates and amounts, and a refusal carries the config's lines.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING

from ..core.allocate import PeriodAllocation, actual_weights
from ..core.billing import Settlement, settle, vat_amount
from ..core.errors import Problem, problem
from .issuing import document_number, paying_months, payment_id, year_documents
from .view import Buyer, Document, Invoiceable, Invoicing, Refused, Seller, Sender, View

if TYPE_CHECKING:
    from ..io.config import LoadedConfig

SETTLEMENT_NUMBER = 99  # a settlement document's place in its year's numbers, after every instalment and adjustment


def _refusal(config: LoadedConfig, key: str, path: tuple[str, ...] = (), **values: object) -> Problem:
    """Why a year cannot be invoiced, at the config's line for `path` (none: the config as a whole)."""
    where = config.location(path) if path else None
    return problem(key, config.display, where, f"hint_{key.removeprefix('err_')}", ".".join(path) or None, **values)


def _seller(config: LoadedConfig, sender: Sender | None) -> Seller | list[Problem]:
    """The sender as an e-invoice names it, or what it lacks."""
    if sender is None:
        return [_refusal(config, "err_invoice_no_sender")]
    cvr, payment = sender.cvr, sender.payment
    if cvr is not None and payment is not None:
        return Seller(sender.name, sender.address, cvr, sender.contact, payment)
    lacks = (("err_invoice_no_cvr", cvr), ("err_invoice_no_payment", payment))
    return [_refusal(config, key, ("sender",)) for key, given in lacks if given is None]


def _named(view: View, codes: list[str]) -> str:
    return ", ".join(f"{view.name(code)} ({code})" for code in codes)


def _buyers(config: LoadedConfig, view: View, codes: list[str]) -> dict[str, Buyer] | list[Problem]:
    """Every paying member as an e-invoice names it, or which members lack an EAN and which a reference or order."""
    buyers: dict[str, Buyer] = {}
    without_ean: list[str] = []
    unreferenced: list[str] = []
    for code in codes:
        details = view.billing.get(code)
        if details is None or details.ean is None:
            without_ean.append(code)
        elif not (details.reference or details.order):
            unreferenced.append(code)
        else:
            buyers[code] = Buyer(details.ean, details.name or view.name(code), details.reference, details.order)
    lacks = (("err_invoice_no_ean", without_ean), ("err_invoice_no_reference", unreferenced))
    problems = [_refusal(config, key, ("billing",), members=_named(view, found), count=len(found)) for key, found in lacks if found]
    return problems or buyers


def estimate(config: LoadedConfig, period: PeriodAllocation) -> tuple[Problem, ...]:
    """An overslag is neither invoiced nor settled: the refusal that says so (none for a year whose figures are known)."""
    return (_refusal(config, "err_invoice_projected", year=period.year),) if period.projected else ()


def billed_year(config: LoadedConfig, view: View, invoicing: Invoicing, period: PeriodAllocation, on: date) -> Invoiceable | Refused:
    """The year's invoices as issued on `on` up to its end (what is still planned, given the register), or every reason
    it cannot be invoiced, in the order a user fixes them."""
    projected = estimate(config, period)
    seller = _seller(config, view.sender)
    issued = {row.code for row in view.issued if row.year == period.year and row.purpose == "aconto"}
    buyers = _buyers(config, view, sorted({share.code for share in period.shares} | issued))
    if projected or isinstance(seller, list) or isinstance(buyers, list):
        missing = (seller if isinstance(seller, list) else []) + (buyers if isinstance(buyers, list) else [])
        return Refused(period.year, (*projected, *missing))
    return Invoiceable(period.year, invoicing, seller, buyers, year_documents(view, invoicing, period, on, period.period.end))


def invoicing_of(view: View) -> Invoicing:
    """How the view's documents are numbered, dated and taxed: as the config says, or by default where it bills no one
    (a settlement's documents are still numbered)."""
    return view.invoicing or Invoicing()


def billed_years(config: LoadedConfig, view: View, on: date) -> dict[int, Invoiceable | Refused]:
    """Every budget year of the agreement as billed: what is still to issue, were it issued on `on`."""
    invoicing = invoicing_of(view)
    return {period.year: billed_year(config, view, invoicing, period, on) for period in view.allocation.periods}


def settlement(view: View, year: int) -> Settlement:
    """The year's actual cost split afresh by the budget's own key and caps, set against each member's budget amount."""
    period, actual = view.period(year), view.actuals[year]
    codes = tuple(share.code for share in period.shares)
    budgets = tuple(share.amount for share in period.shares)
    return settle(year, codes, actual_weights(period, actual), budgets, actual, view.unit)


@dataclass(frozen=True)
class SettledYear:
    """A year's settlement with what it is made from and the documents it is billed by, for the writers."""

    view: View
    settlement: Settlement
    documents: tuple[Document, ...]


def settlement_documents(view: View, settled: Settlement, invoiced: Mapping[str, tuple[Document, ...]]) -> tuple[Document, ...]:
    """One document per member whose settlement is not zero: an invoice when it pays more, a credit note when it gets
    money back; both refer to the member's `invoiced` invoices of the year. Issued the day after the budget year ends."""
    period, invoicing = view.period(settled.year), invoicing_of(view)
    issued = period.period.end + timedelta(days=1)
    due = issued + timedelta(days=invoicing.payment_terms_days)
    documents = []
    for member in settled.members:
        if member.difference == 0:
            continue
        net, number = abs(member.difference), SETTLEMENT_NUMBER
        first, last = paying_months(view, period, member.code)
        references = tuple(document.number for document in invoiced.get(member.code, ()))
        documents.append(
            Document("invoice" if member.difference > 0 else "credit_note", document_number(invoicing, settled.year, member.code, number),
                     member.code, settled.year, issued, due, first, last, net, vat_amount(net, invoicing.vat_percent), None, 0,
                     references, payment_id(view, settled.year, member.code, number), "settlement")
        )  # fmt: skip
    return tuple(documents)
