"""Peppol BIS Billing 3.0 documents (UBL 2.1 Invoice and CreditNote) as a Danish public receiver takes them via NemHandel.

The supplier is named by its CVR (scheme 0184), the buyer by its EAN (scheme 0088). Contributions are outside the
scope of VAT (category O, exemption reason VATEX-EU-O) unless the config says standard rate. Elements come in the
order the UBL 2.1 schema requires; amounts have two decimals; the bytes depend only on the View and the document.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from ..core.money import to_major
from ..words import label
from ..words.display import format_long_date, format_money

if TYPE_CHECKING:
    from ..app.view import Document, Invoiceable, Invoicing, View
    from ..words import Lang

CUSTOMIZATION = "urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0"
PROFILE = "urn:fdc:peppol.eu:2017:poacc:billing:01:1.0"
NS = {
    "Invoice": "urn:oasis:names:specification:ubl:schema:xsd:Invoice-2",
    "CreditNote": "urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2",
    "cac": "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2",
    "cbc": "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2",
}
CVR_SCHEME = "0184"
GLN_SCHEME = "0088"
BANK_TRANSFER = "42"  # payment to a bank account (Danish registration and account number)
FIK = "93"  # FI-indbetalingskort
FIK_CARD = "71"  # kortart 71: with a betalings-id
_POSTCODE = re.compile(r"([0-9]{4})\s+(.+)")


class _Builder:
    """Elements in the cac/cbc namespaces, appended in the order they are made."""

    def __init__(self, root: str) -> None:
        from lxml import etree

        self.etree = etree
        namespaces: dict[str | None, str] = {None: NS[root], "cac": NS["cac"], "cbc": NS["cbc"]}
        self.root = etree.Element(f"{{{NS[root]}}}{root}", nsmap=namespaces)  # type: ignore[arg-type]  # None: the default namespace

    def add(self, parent: Any, name: str, text: str | None = None, **attributes: str) -> Any:
        prefix, _, local = name.partition(":")
        element = self.etree.SubElement(parent, f"{{{NS[prefix]}}}{local}", attributes)
        if text is not None:
            element.text = text
        return element

    def money(self, parent: Any, name: str, minor: int, currency: str) -> Any:
        return self.add(parent, name, str(to_major(minor)), currencyID=currency)

    def bytes(self) -> bytes:
        body = bytes(self.etree.tostring(self.root, encoding="UTF-8", pretty_print=True))
        return b'<?xml version="1.0" encoding="UTF-8"?>\n' + body


def _address(builder: _Builder, party: Any, lines: tuple[str, ...]) -> None:
    """A postal address from the config's lines: a last line '4180 Sorø' gives postcode and city; the first lines
    street, additional street and one more line; the country is Denmark."""
    address = builder.add(party, "cac:PostalAddress")
    lines = tuple(lines)
    place = _POSTCODE.fullmatch(lines[-1]) if lines else None
    street = lines[:-1] if place else lines
    for name, text in zip(("cbc:StreetName", "cbc:AdditionalStreetName"), street, strict=False):
        builder.add(address, name, text)
    if place:
        builder.add(address, "cbc:CityName", place[2])
        builder.add(address, "cbc:PostalZone", place[1])
    if len(street) > 2:
        builder.add(builder.add(address, "cac:AddressLine"), "cbc:Line", ", ".join(street[2:]))
    builder.add(builder.add(address, "cac:Country"), "cbc:IdentificationCode", "DK")


def _tax_category(builder: _Builder, parent: Any, billing: Invoicing, lang: Lang, breakdown: bool) -> None:
    category = builder.add(parent, "cac:TaxCategory" if breakdown else "cac:ClassifiedTaxCategory")
    builder.add(category, "cbc:ID", billing.vat_category)
    if billing.vat_percent is not None:
        builder.add(category, "cbc:Percent", str(billing.vat_percent))
    if breakdown and billing.vat_category == "O":
        builder.add(category, "cbc:TaxExemptionReasonCode", "VATEX-EU-O")
        builder.add(category, "cbc:TaxExemptionReason", billing.vat_reason or label("vat_outside_reason", lang))
    builder.add(builder.add(category, "cac:TaxScheme"), "cbc:ID", "VAT")


def _texts(view: View, document: Document, lang: Lang) -> tuple[str, str, str]:
    """The document's note, the line's item name and its description."""
    period = view.period(document.year)
    items = ", ".join(dict.fromkeys(cost.item.label for cost in period.item_costs if cost.cost))  # the items the year pays for
    name = label("invoice_item_name", lang, alliance=view.alliance, year=document.year)
    span = label("invoice_span", lang, start=format_long_date(document.start, lang), end=format_long_date(document.end, lang))
    if document.instalment is not None:
        note = label("invoice_note_instalment", lang, number=document.instalment, count=document.instalments, year=document.year)
    else:
        actual, budget = view.actuals[document.year], period.cost
        note = label("invoice_note_settlement", lang, year=document.year, actual=format_money(actual, view.unit, lang, view.currency),
                     budget=format_money(budget, view.unit, lang, view.currency))  # fmt: skip
    return note, name, f"{items}. {note} ({span})."


def document_xml(view: View, billed: Invoiceable, document: Document, lang: Lang) -> bytes:
    """One Peppol BIS Billing 3.0 Invoice or CreditNote for `document` of the invoiceable year `billed`, as UTF-8 bytes."""
    invoice = document.kind == "invoice"
    builder = _Builder("Invoice" if invoice else "CreditNote")
    root, add, currency = builder.root, builder.add, view.currency
    sender, details, billing = billed.seller, billed.buyers[document.code], billed.invoicing
    note, item_name, description = _texts(view, document, lang)
    add(root, "cbc:CustomizationID", CUSTOMIZATION)
    add(root, "cbc:ProfileID", PROFILE)
    add(root, "cbc:ID", document.number)
    add(root, "cbc:IssueDate", document.issued.isoformat())
    if invoice:
        add(root, "cbc:DueDate", document.due.isoformat())
        add(root, "cbc:InvoiceTypeCode", "380")
    else:
        add(root, "cbc:CreditNoteTypeCode", "381")
    add(root, "cbc:Note", note)
    add(root, "cbc:DocumentCurrencyCode", currency)
    if details.reference:
        add(root, "cbc:BuyerReference", details.reference)
    period = add(root, "cac:InvoicePeriod")
    add(period, "cbc:StartDate", document.start.isoformat())
    add(period, "cbc:EndDate", document.end.isoformat())
    if details.order:
        add(add(root, "cac:OrderReference"), "cbc:ID", details.order)
    for number in document.references:
        add(add(add(root, "cac:BillingReference"), "cac:InvoiceDocumentReference"), "cbc:ID", number)

    supplier = add(add(root, "cac:AccountingSupplierParty"), "cac:Party")
    add(supplier, "cbc:EndpointID", sender.cvr, schemeID=CVR_SCHEME)
    add(add(supplier, "cac:PartyName"), "cbc:Name", sender.name)
    _address(builder, supplier, sender.address)
    if billing.vat_category == "S":
        scheme = add(supplier, "cac:PartyTaxScheme")
        add(scheme, "cbc:CompanyID", f"DK{sender.cvr}")
        add(add(scheme, "cac:TaxScheme"), "cbc:ID", "VAT")
    legal = add(supplier, "cac:PartyLegalEntity")
    add(legal, "cbc:RegistrationName", sender.name)
    add(legal, "cbc:CompanyID", sender.cvr, schemeID=CVR_SCHEME)
    if sender.contact:
        add(add(supplier, "cac:Contact"), "cbc:ElectronicMail" if "@" in sender.contact else "cbc:Name", sender.contact)

    customer = add(add(root, "cac:AccountingCustomerParty"), "cac:Party")
    add(customer, "cbc:EndpointID", details.ean, schemeID=GLN_SCHEME)
    add(add(customer, "cac:PartyName"), "cbc:Name", details.name)
    _address(builder, customer, ())
    add(add(customer, "cac:PartyLegalEntity"), "cbc:RegistrationName", details.name)

    if invoice:
        means = add(root, "cac:PaymentMeans")
        payment = sender.payment
        if payment.creditor is not None:
            add(means, "cbc:PaymentMeansCode", FIK)
            add(means, "cbc:PaymentID", f"{FIK_CARD}#{document.payment_id}")
            add(add(means, "cac:PayeeFinancialAccount"), "cbc:ID", payment.creditor)
        else:
            add(means, "cbc:PaymentMeansCode", BANK_TRANSFER)
            add(means, "cbc:PaymentID", document.number)
            account = add(means, "cac:PayeeFinancialAccount")
            add(account, "cbc:ID", payment.account or "")
            add(add(account, "cac:FinancialInstitutionBranch"), "cbc:ID", payment.registration or "")
    terms = label("invoice_terms", lang, days=billing.payment_terms_days) if invoice else label("credit_note_terms", lang)
    add(add(root, "cac:PaymentTerms"), "cbc:Note", terms)

    tax = add(root, "cac:TaxTotal")
    builder.money(tax, "cbc:TaxAmount", document.vat, currency)
    subtotal = add(tax, "cac:TaxSubtotal")
    builder.money(subtotal, "cbc:TaxableAmount", document.net, currency)
    builder.money(subtotal, "cbc:TaxAmount", document.vat, currency)
    _tax_category(builder, subtotal, billing, lang, breakdown=True)
    totals = add(root, "cac:LegalMonetaryTotal")
    for name, amount in (("LineExtensionAmount", document.net), ("TaxExclusiveAmount", document.net),
                         ("TaxInclusiveAmount", document.gross), ("PayableAmount", document.gross)):  # fmt: skip
        builder.money(totals, f"cbc:{name}", amount, currency)

    line = add(root, "cac:InvoiceLine" if invoice else "cac:CreditNoteLine")
    add(line, "cbc:ID", "1")
    add(line, "cbc:InvoicedQuantity" if invoice else "cbc:CreditedQuantity", "1", unitCode="C62")
    builder.money(line, "cbc:LineExtensionAmount", document.net, currency)
    line_period = add(line, "cac:InvoicePeriod")
    add(line_period, "cbc:StartDate", document.start.isoformat())
    add(line_period, "cbc:EndDate", document.end.isoformat())
    item = add(line, "cac:Item")
    add(item, "cbc:Description", description)
    add(item, "cbc:Name", item_name)
    _tax_category(builder, item, billing, lang, breakdown=False)
    builder.money(add(line, "cac:Price"), "cbc:PriceAmount", document.net, currency)
    return builder.bytes()


def invoice_files(view: View, billed: Invoiceable, documents: tuple[Document, ...], lang: Lang) -> dict[str, bytes]:
    """Every document of the invoiceable year `billed` by its file name, '2026-340-1.xml'."""
    return {document.file_name: document_xml(view, billed, document, lang) for document in documents}
