"""What a budget year is billed as: every member's a conto invoices, and after the year its settlement document.

Made from the View alone, so the UBL writer, the statements and the report name the same numbers, dates and
amounts. `refusals` says, with the config's lines, why a year cannot be invoiced yet.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING, Literal

from ..core.allocate import PeriodAllocation
from ..core.billing import Settlement, fik_payment_id, instalments, settle, vat_amount
from ..core.errors import ConfigError, Problem, problem

if TYPE_CHECKING:
    from .pipeline import Computation
    from .view import View

SETTLEMENT_NUMBER = 99  # a settlement document's place in its year's numbers, after every instalment (at most 12)


@dataclass(frozen=True)
class Document:
    """One invoice or credit note to one member: amounts in minor units, always positive (a credit note says
    'money back' by its kind, never by a sign)."""

    kind: Literal["invoice", "credit_note"]
    number: str
    code: str
    year: int
    issued: date
    due: date
    start: date  # the months the document covers
    end: date
    net: int
    vat: int
    instalment: int | None  # 1-based among the year's; None for the settlement
    instalments: int
    references: tuple[str, ...]  # the year's invoice numbers a settlement refers to
    payment_id: str | None  # the FI betalings-id (kortart 71), where the sender is paid by FI

    @property
    def gross(self) -> int:
        return self.net + self.vat

    @property
    def file_name(self) -> str:
        return f"{self.number}.xml"


def document_number(view: View, year: int, code: str, number: int) -> str:
    """'2026-340-1': budget year, member code and the document's place in the year (settlement: 99), after the
    config's prefix; the same config and year always give the same numbers."""
    prefix = f"{view.invoicing.prefix}-" if view.invoicing.prefix else ""
    return f"{prefix}{year}-{code}-{number}"


def period_of(view: View, year: int) -> PeriodAllocation:
    """The budget year `year` of the agreement, as allocated."""
    return next(period for period in view.allocation.periods if period.year == year)


def paying_months(view: View, period: PeriodAllocation, code: str) -> tuple[date, date]:
    """The first and last day of the months `code` pays for in the budget year."""
    membership = view.changes.get(code)
    start, end = period.period.start, period.period.end
    return membership.days_within(start, end) if membership is not None else (start, end)


def _payment_id(view: View, year: int, code: str, number: int) -> str | None:
    payment = view.sender.payment if view.sender is not None else None
    return fik_payment_id(year, code, number) if payment is not None and payment.creditor is not None else None


def invoice_documents(view: View, year: int) -> tuple[Document, ...]:
    """Every paying member's a conto invoices for `year`, by code then instalment. Each is issued on the first day it
    covers and due `payment_terms_days` later; a member's instalments add up to its amount for the year."""
    period = period_of(view, year)
    billing = view.invoicing
    terms = timedelta(days=billing.payment_terms_days)
    documents = []
    for share in period.shares:
        first, last = paying_months(view, period, share.code)
        for part in instalments(period.period, first, last, billing.instalments, share.amount, view.unit):
            if not part.amount:  # an amount smaller than its instalments: nothing to invoice in the later ones
                continue
            documents.append(
                Document("invoice", document_number(view, year, share.code, part.number), share.code, year, part.start,
                         part.start + terms, part.start, part.end, part.amount, vat_amount(part.amount, billing.vat_percent),
                         part.number, part.count, (), _payment_id(view, year, share.code, part.number))
            )  # fmt: skip
    return tuple(documents)


def settlement(view: View, year: int) -> Settlement:
    """The year's actual cost split afresh by the budget's own weights, set against each member's budget amount."""
    period = period_of(view, year)
    codes = tuple(share.code for share in period.shares)
    budgets = tuple(share.amount for share in period.shares)
    return settle(year, codes, period.split.weights, budgets, view.actuals[year], view.unit)


@dataclass(frozen=True)
class SettledYear:
    """A year's settlement with what it is made from and the documents it is billed by, for the writers."""

    view: View
    settlement: Settlement
    documents: tuple[Document, ...]


def settled_year(view: View, year: int) -> SettledYear:
    settled = settlement(view, year)
    return SettledYear(view, settled, settlement_documents(view, year, settled))


def settlement_documents(view: View, year: int, settled: Settlement | None = None) -> tuple[Document, ...]:
    """One document per member whose settlement (`settled`, or the year's) is not zero: an invoice when it pays more,
    a credit note when it gets money back; both refer to the year's invoices. Issued the day after the budget year ends."""
    period = period_of(view, year)
    issued = period.period.end + timedelta(days=1)
    due = issued + timedelta(days=view.invoicing.payment_terms_days)
    invoiced: dict[str, list[str]] = {}
    for document in invoice_documents(view, year):
        invoiced.setdefault(document.code, []).append(document.number)
    documents = []
    for member in (settled or settlement(view, year)).members:
        if member.difference == 0:
            continue
        net = abs(member.difference)
        first, last = paying_months(view, period, member.code)
        documents.append(
            Document("invoice" if member.difference > 0 else "credit_note", document_number(view, year, member.code, SETTLEMENT_NUMBER),
                     member.code, year, issued, due, first, last, net, vat_amount(net, view.invoicing.vat_percent), None, 0,
                     tuple(invoiced.get(member.code, ())), _payment_id(view, year, member.code, SETTLEMENT_NUMBER))
        )  # fmt: skip
    return tuple(documents)


def invoiceable(view: View, year: int) -> bool:
    """Whether the year's invoices can be made as the config stands (what statements and the report name)."""
    return not _gaps(view, year)


def _gaps(view: View, year: int, documents: bool = True) -> list[tuple[str, tuple[str, ...], dict[str, object]]]:
    """Why `year` cannot be invoiced (without `documents`: billed at all): (catalog id, config path, values), in the
    order a user fixes them."""
    period = period_of(view, year)
    gaps: list[tuple[str, tuple[str, ...], dict[str, object]]] = []
    if period.projected:
        gaps.append(("err_invoice_projected", (), {"year": year}))
    if not documents:
        return gaps
    sender = view.sender
    if sender is None:
        gaps.append(("err_invoice_no_sender", (), {}))
    else:
        if sender.cvr is None:
            gaps.append(("err_invoice_no_cvr", ("sender",), {}))
        if sender.payment is None:
            gaps.append(("err_invoice_no_payment", ("sender",), {}))
    codes = [share.code for share in period.shares]
    without_ean = [code for code in codes if view.billing.get(code) is None or view.billing[code].ean is None]
    if without_ean:
        gaps.append(("err_invoice_no_ean", ("billing",), {"members": _named(view, without_ean), "count": len(without_ean)}))
    unreferenced = [code for code in codes if code not in without_ean and not (view.billing[code].reference or view.billing[code].order)]
    if unreferenced:
        gaps.append(("err_invoice_no_reference", ("billing",), {"members": _named(view, unreferenced), "count": len(unreferenced)}))
    return gaps


def _named(view: View, codes: list[str]) -> str:
    return ", ".join(f"{view.name(code)} ({code})" for code in codes)


def refusals(computation: Computation, year: int, settling: bool, documents: bool = True) -> None:
    """Raise, with every reason and the config's lines, where `year` cannot be invoiced (or, `settling`, settled;
    without `documents`, only what the settlement's figures need)."""
    config, view = computation.config, computation.view
    found: list[Problem] = []
    if settling and year not in view.actuals:
        found.append(problem("err_no_actual", config.display, config.location(("actuals",)), "hint_actual", subject="actuals", year=year))
    for key, path, values in _gaps(view, year, documents):
        subject = ".".join(path) or None
        found.append(problem(key, config.display, config.location(path) if path else None, f"hint_{key.removeprefix('err_')}", subject,
                             **values))  # fmt: skip
    if settling and year in view.actuals and period_of(view, year).rate_payments:
        found.append(problem("err_settle_rates", config.display, config.location(("actuals", year)), subject=f"actuals.{year}", year=year))
    if found:
        raise ConfigError(found)
