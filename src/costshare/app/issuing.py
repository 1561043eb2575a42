"""A budget year's a conto documents as issued on a day: what the register already holds is never issued again, and
what is issued now carries every change since (core.issuing), dated on the day of issue and due on a Danish bank day.

The pipeline plans each year once into the View (issued today, up to the year's end: what the statements call
planned); `costshare invoices` issues the year again on its --date up to its --until.
"""

from __future__ import annotations

from datetime import date
from functools import partial

from ..core.allocate import PeriodAllocation
from ..core.billing import fik_payment_id, instalments, vat_amount
from ..core.issuing import MemberYear, ToIssue, due_date, to_issue
from ..core.register import is_settled, issued_numbers
from .bankdays import closed_days
from .view import Document, Invoicing, View


def document_number(invoicing: Invoicing, year: int, code: str, number: int) -> str:
    """'2026-340-1': budget year, member code and the document's place in the year (instalments from 1, adjustments
    from 50, the settlement 99), after the config's prefix; the same config and year always give the same numbers."""
    prefix = f"{invoicing.prefix}-" if invoicing.prefix else ""
    return f"{prefix}{year}-{code}-{number}"


def paying_months(view: View, period: PeriodAllocation, code: str) -> tuple[date, date]:
    """The first and last day of the months `code` pays for in the budget year."""
    membership = view.changes.get(code)
    start, end = period.period.start, period.period.end
    return membership.days_within(start, end) if membership is not None else (start, end)


def payment_id(view: View, year: int, code: str, number: int) -> str | None:
    """The FI betalings-id of a document, where the sender is paid by FI."""
    payment = view.sender.payment if view.sender is not None else None
    return fik_payment_id(year, code, number) if payment is not None and payment.creditor is not None else None


def member_year(view: View, invoicing: Invoicing, period: PeriodAllocation, code: str) -> MemberYear:
    """The member's year as it stands: its amount (nothing where it no longer pays) and its instalments."""
    if not period.has(code):
        return MemberYear(code, period.year, 0, (), view.unit)
    amount = period.share_of(code).amount
    first, last = paying_months(view, period, code)
    return MemberYear(
        code, period.year, amount, instalments(period.period, first, last, invoicing.instalments, amount, view.unit), view.unit
    )


def _document(view: View, invoicing: Invoicing, year: int, code: str, found: ToIssue, on: date, closed: frozenset[date]) -> Document:
    due = due_date(on, invoicing.payment_terms_days, found.start, closed)
    return Document(found.kind, found.number, code, year, on, due, found.start, found.end, found.net,
                    vat_amount(found.net, invoicing.vat_percent), found.instalment, found.count, found.references,
                    payment_id(view, year, code, found.place), ordinal=found.ordinal)  # fmt: skip


def year_documents(view: View, invoicing: Invoicing, period: PeriodAllocation, on: date, until: date) -> dict[str, tuple[Document, ...]]:
    """Every member's a conto documents to issue for the year on `on`, up to the instalments that begin by `until`,
    given what the View's register holds; by code, in code order, a member with none left out."""
    year = period.year
    if is_settled(view.issued, year):
        return {}  # a settled year's a conto is closed: a change after it is settled by a corrected actual cost
    issued = [row for row in view.issued if row.year == year and row.purpose == "aconto"]
    taken = issued_numbers(view.issued)
    codes = sorted({share.code for share in period.shares} | {row.code for row in issued})
    closed = closed_days(range(min(on.year, year), max(on.year, year) + 2))
    found: dict[str, tuple[Document, ...]] = {}
    for code in codes:
        member = member_year(view, invoicing, period, code)
        number_of = partial(document_number, invoicing, year, code)
        documents = tuple(
            _document(view, invoicing, year, code, item, on, closed) for item in to_issue(member, issued, until, number_of, taken)
        )
        if documents:
            found[code] = documents
    return found
