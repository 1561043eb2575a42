"""UBL 2.1: an e-invoice or credit note (documents/invoices.py) as a Peppol BIS Billing 3.0 Invoice or CreditNote,
the way a Danish public receiver takes it via NemHandel.

The supplier's endpoint is its EAN (scheme 0088) where it has one, else its CVR (scheme 0184); the buyer's is its EAN.
Each party's legal entity is its registered name and CVR (scheme 0184; the buyer's where given). Elements come in the order
the UBL 2.1 schema requires; amounts have two decimals; the bytes depend only on the document. The agreement's
decision is the contract referred to (BT-12), and the member's statement for the year is embedded as a PDF (BG-24).
"""

from __future__ import annotations

import base64
from typing import TYPE_CHECKING, Any

from ..core.money import to_major

if TYPE_CHECKING:
    from ..documents.invoices import Address, Attachment, Invoice, Vat

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
OUTSIDE_SCOPE = "VATEX-EU-O"  # the exemption reason code of VAT category O
PDF = "application/pdf"  # an attachment's MIME type (BR-CL-24 lists the types a receiver takes)


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


def _address(builder: _Builder, party: Any, address: Address | None) -> None:
    """A postal address (None: the country alone); the country is Denmark."""
    element = builder.add(party, "cac:PostalAddress")
    if address is not None:
        for name, text in zip(("cbc:StreetName", "cbc:AdditionalStreetName"), address.streets, strict=False):
            builder.add(element, name, text)
        if address.city is not None and address.postcode is not None:
            builder.add(element, "cbc:CityName", address.city)
            builder.add(element, "cbc:PostalZone", address.postcode)
        if address.more is not None:
            builder.add(builder.add(element, "cac:AddressLine"), "cbc:Line", address.more)
    builder.add(builder.add(element, "cac:Country"), "cbc:IdentificationCode", "DK")


def _tax_category(builder: _Builder, parent: Any, vat: Vat, breakdown: bool) -> None:
    category = builder.add(parent, "cac:TaxCategory" if breakdown else "cac:ClassifiedTaxCategory")
    builder.add(category, "cbc:ID", vat.category)
    if vat.percent is not None:
        builder.add(category, "cbc:Percent", vat.percent)
    if breakdown and vat.exemption is not None:
        builder.add(category, "cbc:TaxExemptionReasonCode", OUTSIDE_SCOPE)
        builder.add(category, "cbc:TaxExemptionReason", vat.exemption)
    builder.add(builder.add(category, "cac:TaxScheme"), "cbc:ID", "VAT")


def _header(builder: _Builder, invoice: Invoice) -> None:
    """Number, dates, note, currency, the buyer's kontostreng and reference, the months covered, the order, the
    invoices referred to, the agreement's decision and the statement attached."""
    root, add = builder.root, builder.add
    add(root, "cbc:CustomizationID", CUSTOMIZATION)
    add(root, "cbc:ProfileID", PROFILE)
    add(root, "cbc:ID", invoice.number)
    add(root, "cbc:IssueDate", invoice.issued.isoformat())
    if not invoice.credit_note:
        add(root, "cbc:DueDate", invoice.due.isoformat())
        add(root, "cbc:InvoiceTypeCode", "380")
    else:
        add(root, "cbc:CreditNoteTypeCode", "381")
    add(root, "cbc:Note", invoice.note)
    add(root, "cbc:DocumentCurrencyCode", invoice.currency)
    if invoice.accounting_cost:
        add(root, "cbc:AccountingCost", invoice.accounting_cost)
    if invoice.buyer_reference:
        add(root, "cbc:BuyerReference", invoice.buyer_reference)
    period = add(root, "cac:InvoicePeriod")
    add(period, "cbc:StartDate", invoice.start.isoformat())
    add(period, "cbc:EndDate", invoice.end.isoformat())
    if invoice.order:
        add(add(root, "cac:OrderReference"), "cbc:ID", invoice.order)
    for number in invoice.references:
        add(add(add(root, "cac:BillingReference"), "cac:InvoiceDocumentReference"), "cbc:ID", number)
    if invoice.contract:
        add(add(root, "cac:ContractDocumentReference"), "cbc:ID", invoice.contract)
    if invoice.attachment is not None:
        _attachment(builder, invoice.attachment)


def _attachment(builder: _Builder, attachment: Attachment) -> None:
    """A supporting document (BG-24) embedded whole: its id, what it is, and its bytes in base64."""
    reference = builder.add(builder.root, "cac:AdditionalDocumentReference")
    builder.add(reference, "cbc:ID", attachment.identifier)
    builder.add(reference, "cbc:DocumentDescription", attachment.description)
    content = base64.b64encode(attachment.content).decode("ascii")
    builder.add(builder.add(reference, "cac:Attachment"), "cbc:EmbeddedDocumentBinaryObject", content, mimeCode=PDF,
                filename=attachment.file_name)  # fmt: skip


def _parties(builder: _Builder, invoice: Invoice) -> None:
    root, add = builder.root, builder.add
    sender = invoice.supplier
    supplier = add(add(root, "cac:AccountingSupplierParty"), "cac:Party")
    if sender.ean is not None:
        add(supplier, "cbc:EndpointID", sender.ean, schemeID=GLN_SCHEME)
    else:
        add(supplier, "cbc:EndpointID", sender.cvr, schemeID=CVR_SCHEME)
    add(add(supplier, "cac:PartyName"), "cbc:Name", sender.name)
    _address(builder, supplier, sender.address)
    if sender.charges_vat:
        scheme = add(supplier, "cac:PartyTaxScheme")
        add(scheme, "cbc:CompanyID", f"DK{sender.cvr}")
        add(add(scheme, "cac:TaxScheme"), "cbc:ID", "VAT")
    legal = add(supplier, "cac:PartyLegalEntity")
    add(legal, "cbc:RegistrationName", sender.legal_name)
    add(legal, "cbc:CompanyID", sender.cvr, schemeID=CVR_SCHEME)
    if sender.contact:
        add(add(supplier, "cac:Contact"), "cbc:ElectronicMail" if "@" in sender.contact else "cbc:Name", sender.contact)

    customer = add(add(root, "cac:AccountingCustomerParty"), "cac:Party")
    add(customer, "cbc:EndpointID", invoice.customer.ean, schemeID=GLN_SCHEME)
    add(add(customer, "cac:PartyName"), "cbc:Name", invoice.customer.name)
    _address(builder, customer, None)
    customer_legal = add(customer, "cac:PartyLegalEntity")
    add(customer_legal, "cbc:RegistrationName", invoice.customer.name)
    if invoice.customer.cvr is not None:
        add(customer_legal, "cbc:CompanyID", invoice.customer.cvr, schemeID=CVR_SCHEME)


def _payment(builder: _Builder, invoice: Invoice) -> None:
    """How to pay (an invoice only), and the terms."""
    root, add = builder.root, builder.add
    payment = invoice.payment
    if payment is not None:
        means = add(root, "cac:PaymentMeans")
        if payment.creditor is not None:
            add(means, "cbc:PaymentMeansCode", FIK)
            add(means, "cbc:PaymentID", f"{FIK_CARD}#{payment.payment_id}")
            add(add(means, "cac:PayeeFinancialAccount"), "cbc:ID", payment.creditor)
        else:
            add(means, "cbc:PaymentMeansCode", BANK_TRANSFER)
            add(means, "cbc:PaymentID", payment.payment_id)
            account = add(means, "cac:PayeeFinancialAccount")
            add(account, "cbc:ID", payment.account)
            add(add(account, "cac:FinancialInstitutionBranch"), "cbc:ID", payment.registration)
    add(add(root, "cac:PaymentTerms"), "cbc:Note", invoice.terms)


def _amounts(builder: _Builder, invoice: Invoice) -> None:
    """The VAT, the totals and the one line."""
    root, add, currency = builder.root, builder.add, invoice.currency
    tax = add(root, "cac:TaxTotal")
    builder.money(tax, "cbc:TaxAmount", invoice.vat_amount, currency)
    subtotal = add(tax, "cac:TaxSubtotal")
    builder.money(subtotal, "cbc:TaxableAmount", invoice.net, currency)
    builder.money(subtotal, "cbc:TaxAmount", invoice.vat_amount, currency)
    _tax_category(builder, subtotal, invoice.vat, breakdown=True)
    totals = add(root, "cac:LegalMonetaryTotal")
    for name, amount in (("LineExtensionAmount", invoice.net), ("TaxExclusiveAmount", invoice.net),
                         ("TaxInclusiveAmount", invoice.gross), ("PayableAmount", invoice.gross)):  # fmt: skip
        builder.money(totals, f"cbc:{name}", amount, currency)

    line = add(root, "cac:CreditNoteLine" if invoice.credit_note else "cac:InvoiceLine")
    add(line, "cbc:ID", "1")
    add(line, "cbc:CreditedQuantity" if invoice.credit_note else "cbc:InvoicedQuantity", "1", unitCode="C62")
    builder.money(line, "cbc:LineExtensionAmount", invoice.net, currency)
    line_period = add(line, "cac:InvoicePeriod")
    add(line_period, "cbc:StartDate", invoice.start.isoformat())
    add(line_period, "cbc:EndDate", invoice.end.isoformat())
    item = add(line, "cac:Item")
    add(item, "cbc:Description", invoice.description)
    add(item, "cbc:Name", invoice.item_name)
    _tax_category(builder, item, invoice.vat, breakdown=False)
    builder.money(add(line, "cac:Price"), "cbc:PriceAmount", invoice.net, currency)


def invoice_xml(invoice: Invoice) -> bytes:
    """One Peppol BIS Billing 3.0 Invoice or CreditNote, as UTF-8 bytes."""
    builder = _Builder("CreditNote" if invoice.credit_note else "Invoice")
    _header(builder, invoice)
    _parties(builder, invoice)
    _payment(builder, invoice)
    _amounts(builder, invoice)
    return builder.bytes()
