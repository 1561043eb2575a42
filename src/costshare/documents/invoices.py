"""An e-invoice or credit note as what it says: who sends it to whom, for which months and items, how much, and how
to pay; formats/ubl.py writes it as Peppol BIS Billing 3.0 (UBL 2.1) for NemHandel.

The supplier is addressed by its EAN where it gives one, else by its CVR, and the buyer by its EAN. A contribution is outside the scope of VAT, with the reason
said, unless the config says standard rate.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from ..words import label
from ..words.display import format_long_date, format_money

if TYPE_CHECKING:
    from ..app.view import Document, Invoiceable, View
    from ..words import Lang

_POSTCODE = re.compile(r"([0-9]{4})\s+(.+)")


@dataclass(frozen=True)
class Address:
    """A Danish postal address: street and additional street, any further lines, postcode and city."""

    streets: tuple[str, ...]
    more: str | None = None
    postcode: str | None = None
    city: str | None = None


@dataclass(frozen=True)
class Supplier:
    """The sender: its CVR, the name shown and its legal name (the owner of the CVR), its address, whether it charges
    VAT, whom to ask (an e-mail address or a name), and the EAN it receives on (None: it receives on its CVR)."""

    cvr: str
    name: str
    address: Address
    charges_vat: bool
    contact: str | None
    legal_name: str
    ean: str | None = None


@dataclass(frozen=True)
class Customer:
    """The member: its EAN, the name it is invoiced by, and its CVR where given."""

    ean: str
    name: str
    cvr: str | None = None


@dataclass(frozen=True)
class Payment:
    """How to pay: with an FI-kort (kortart 71) to a creditor number, or by bank transfer to a registration and
    account number; the payment id is the FI betalings-id, or the invoice's number on a transfer."""

    payment_id: str
    creditor: str | None
    registration: str
    account: str


@dataclass(frozen=True)
class Vat:
    """The VAT category, its rate where one applies, and the reason a contribution is outside the scope of VAT."""

    category: str
    percent: str | None
    exemption: str | None


@dataclass(frozen=True)
class Attachment:
    """A document the e-invoice carries: the member's statement for the year, as a PDF."""

    identifier: str
    description: str
    file_name: str
    content: bytes


@dataclass(frozen=True)
class Invoice:
    """One invoice or credit note to one member, amounts in minor units and always positive."""

    file_name: str
    credit_note: bool
    number: str
    issued: date
    due: date
    note: str
    currency: str
    accounting_cost: str | None  # the member's kontostreng, by which it books the document
    buyer_reference: str | None
    start: date
    end: date
    order: str | None
    references: tuple[str, ...]
    supplier: Supplier
    customer: Customer
    payment: Payment | None  # None on a credit note: nothing to pay
    terms: str
    vat: Vat
    net: int
    vat_amount: int
    gross: int
    item_name: str
    description: str
    contract: str | None = None  # the agreement's decision or contract (BT-12)
    attachment: Attachment | None = None  # the member's statement for the year


def address(lines: tuple[str, ...]) -> Address:
    """A postal address from the config's lines: a last line '4180 Sorø' gives postcode and city; the first lines
    street, additional street and one more line (the rest, joined)."""
    lines = tuple(lines)
    place = _POSTCODE.fullmatch(lines[-1]) if lines else None
    street = lines[:-1] if place else lines
    more = ", ".join(street[2:]) if len(street) > 2 else None
    return Address(street[:2], more, place[1] if place else None, place[2] if place else None)


def _texts(view: View, document: Document, lang: Lang) -> tuple[str, str, str]:
    """The document's note, the line's item name and its description."""
    period = view.period(document.year)
    items = ", ".join(dict.fromkeys(cost.item.label for cost in period.item_costs if cost.cost))  # the items the year pays for
    name = label("invoice_item_name", lang, alliance=view.alliance, year=document.year)
    span = label("invoice_span", lang, start=format_long_date(document.start, lang), end=format_long_date(document.end, lang))
    if document.instalment is not None:
        number = document.ordinal if document.ordinal is not None else document.instalment
        note = label("invoice_note_instalment", lang, number=number, count=document.instalments, year=document.year)
    elif document.purpose == "aconto":
        note = label("invoice_note_adjustment", lang, year=document.year)
    else:
        actual = sum(view.actuals[document.year].values())
        unit = view.unit if actual % view.unit == 0 else 1
        note = label("invoice_note_settlement", lang, year=document.year, actual=format_money(actual, unit, lang, view.currency))
    return note, name, f"{items}. {note} ({span})."


def statement_attachment(view: View, document: Document, lang: Lang, pdf: bytes) -> Attachment:
    """The member's statement for the document's budget year, `pdf`, as the e-invoice names it."""
    stem = label("attachment_stem", lang, year=document.year, code=document.code)
    title = label("statement_title", lang, name=view.name(document.code), code=document.code)
    return Attachment(stem, label("attachment_description", lang, title=title, year=document.year), f"{stem}.pdf", pdf)


def invoice(view: View, billed: Invoiceable, document: Document, lang: Lang, statement: bytes | None = None) -> Invoice:
    """What `document` of the invoiceable year `billed` says, in `lang`, with the member's statement for the year
    (`statement`, a PDF) attached where given."""
    is_invoice = document.kind == "invoice"
    seller, buyer, billing = billed.seller, billed.buyers[document.code], billed.invoicing
    note, item_name, description = _texts(view, document, lang)
    supplier = Supplier(seller.cvr, seller.name, address(seller.address), billing.vat_category == "S", seller.contact,
                        seller.legal_name, seller.ean)  # fmt: skip
    payment = None
    if is_invoice:
        paid = seller.payment
        if paid.creditor is not None:
            payment = Payment(str(document.payment_id), paid.creditor, "", "")
        else:
            payment = Payment(document.number, None, paid.registration or "", paid.account or "")
    exemption = (billing.vat_reason or label("vat_outside_reason", lang)) if billing.vat_category == "O" else None
    vat = Vat(billing.vat_category, None if billing.vat_percent is None else str(billing.vat_percent), exemption)
    terms = label("invoice_terms", lang, days=billing.payment_terms_days) if is_invoice else label("credit_note_terms", lang)
    return Invoice(
        file_name=document.file_name,
        credit_note=not is_invoice,
        number=document.number,
        issued=document.issued,
        due=document.due,
        note=note,
        currency=view.currency,
        accounting_cost=buyer.account,
        buyer_reference=buyer.reference,
        start=document.start,
        end=document.end,
        order=buyer.order,
        references=document.references,
        supplier=supplier,
        customer=Customer(buyer.ean, buyer.name, buyer.cvr),
        payment=payment,
        terms=terms,
        vat=vat,
        net=document.net,
        vat_amount=document.vat,
        gross=document.gross,
        item_name=item_name,
        description=description,
        contract=view.agreement.reference,
        attachment=statement_attachment(view, document, lang, statement) if statement is not None else None,
    )
