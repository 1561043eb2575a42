"""The Peppol BIS Billing 3.0 business rules that apply to costshare's documents, in the tests' own words.

Read from OpenPEPPOL's peppol-bis-invoice-3 (rules/sch/CEN-EN16931-UBL.sch, PEPPOL-EN16931-UBL.sch, the Danish
pattern in the latter). An access point runs the official Schematron (XSLT 2); these are the same assertions
for the elements costshare writes, written with lxml XPath. `broken(xml)` lists the ids of the rules a document
breaks. Nothing here calls costshare.
"""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal

from lxml import etree

NS = {
    "inv": "urn:oasis:names:specification:ubl:schema:xsd:Invoice-2",
    "cn": "urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2",
    "cac": "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2",
    "cbc": "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2",
}
SPECIFICATION = "urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0"
INVOICE_TYPES = {"71", "80", "82", "84", "102", "218", "219", "331", "380", "382", "383", "386", "388", "393", "395", "553", "575", "623",
                 "780", "817", "870", "875", "876", "877"}  # fmt: skip
CREDIT_NOTE_TYPES = {"81", "83", "261", "262", "296", "308", "325", "381", "396", "420", "456", "458", "532"}
DK_PAYMENT_MEANS = {"1", "10", "31", "42", "48", "49", "50", "58", "59", "93", "97"}
EAS = {"0002", "0007", "0009", "0037", "0060", "0088", "0096", "0097", "0106", "0130", "0135", "0142", "0151", "0183", "0184", "0188",
       "0190", "0191", "0192", "0193", "0195", "0196", "0198", "0199", "0200", "0201", "0202", "0204", "0208", "0209", "0210", "0211",
       "0212", "0213", "0215", "0216", "0218", "0221", "0230", "9910", "9913", "9914", "9915", "9918", "9919", "9920", "9922", "9923",
       "9924", "9925", "9926", "9927", "9928", "9929", "9930", "9931", "9932", "9933", "9934", "9935", "9936", "9937", "9938", "9939",
       "9940", "9941", "9942", "9943", "9944", "9945", "9946", "9947", "9948", "9949", "9950", "9951", "9952", "9953", "9957", "9959"}  # fmt: skip
CURRENCIES = {"DKK", "EUR", "SEK", "NOK"}


def gln_ok(number: str) -> bool:
    """GS1: weights 3 and 1 from the right of the body; the check digit makes the sum a multiple of 10."""
    if not re.fullmatch(r"[0-9]+", number):
        return False
    body, check = number[:-1], int(number[-1])
    total = sum(int(digit) * (3 if place % 2 == 0 else 1) for place, digit in enumerate(reversed(body)))
    return (10 - total % 10) % 10 == check


def amount(text: str | None) -> Decimal:
    return Decimal(text or "0")


def _line_total(line: etree._Element, charge: str) -> Decimal:
    """The line's allowances (charge 'false') or charges ('true') added up, to the hundredth half up as the rule rounds."""
    found = line.xpath(f"cac:AllowanceCharge[normalize-space(cbc:ChargeIndicator) = '{charge}']/cbc:Amount/text()", namespaces=NS)
    assert isinstance(found, list)
    return sum((Decimal(str(value)) for value in found), Decimal(0)).quantize(Decimal("0.01"), ROUND_HALF_UP)


def line_net_holds(line: etree._Element, quantity_name: str) -> bool:
    """PEPPOL-EN16931-R120: the line's net amount is its quantity (1 where none) times the price (0 where none) over the
    base quantity (1 where none or 0), plus the line's charges less its allowances, within 0,02 either way."""

    def value(path: str, default: str) -> Decimal:
        found = line.findtext(path, namespaces=NS)
        return Decimal(found) if found is not None else Decimal(default)

    base = value("cac:Price/cbc:BaseQuantity", "1") or Decimal(1)
    expected = value(quantity_name, "1") * (value("cac:Price/cbc:PriceAmount", "0") / base)
    expected += _line_total(line, "true") - _line_total(line, "false")
    return abs(value("cbc:LineExtensionAmount", "0") - expected) <= Decimal("0.02")


def broken(xml: bytes) -> list[str]:
    """The ids of the rules the document breaks, in the order checked."""
    root = etree.fromstring(xml)
    invoice = root.tag == f"{{{NS['inv']}}}Invoice"
    line_name, quantity_name = ("cac:InvoiceLine", "cbc:InvoicedQuantity") if invoice else ("cac:CreditNoteLine", "cbc:CreditedQuantity")
    found: list[str] = []

    def x(path: str, node: etree._Element = root) -> list[etree._Element]:
        hits = node.xpath(path, namespaces=NS)
        assert isinstance(hits, list)
        elements = [hit for hit in hits if isinstance(hit, etree._Element)]
        assert len(elements) == len(hits), f"{path} selects more than elements"
        return elements

    def one(path: str, node: etree._Element = root) -> str | None:
        hits = node.xpath(path, namespaces=NS)
        assert isinstance(hits, list)
        if not hits:
            return None
        hit = hits[0]
        if isinstance(hit, str):
            return hit
        assert isinstance(hit, etree._Element)
        return hit.text or ""

    def rule(rule_id: str, holds: bool) -> None:
        if not holds:
            found.append(rule_id)

    currency = one("cbc:DocumentCurrencyCode")
    supplier = "cac:AccountingSupplierParty/cac:Party"
    customer = "cac:AccountingCustomerParty/cac:Party"
    totals = "cac:LegalMonetaryTotal"
    lines = x(line_name)
    subtotals = x("cac:TaxTotal/cac:TaxSubtotal")

    # EN 16931 core (BR-01 … BR-16)
    rule("BR-01", bool(one("cbc:CustomizationID")))
    rule("BR-02", bool(one("cbc:ID")))
    rule("BR-03", bool(one("cbc:IssueDate")))
    rule("BR-04", bool(one("cbc:InvoiceTypeCode" if invoice else "cbc:CreditNoteTypeCode")))
    rule("BR-05", bool(currency))
    rule("BR-06", bool(one(f"{supplier}/cac:PartyLegalEntity/cbc:RegistrationName")))
    rule("BR-07", bool(one(f"{customer}/cac:PartyLegalEntity/cbc:RegistrationName")))
    rule("BR-08", bool(x(f"{supplier}/cac:PostalAddress")))
    rule("BR-09", bool(one(f"{supplier}/cac:PostalAddress/cac:Country/cbc:IdentificationCode")))
    rule("BR-10", bool(x(f"{customer}/cac:PostalAddress")))
    rule("BR-11", bool(one(f"{customer}/cac:PostalAddress/cac:Country/cbc:IdentificationCode")))
    for rule_id, name in (("BR-12", "LineExtensionAmount"), ("BR-13", "TaxExclusiveAmount"), ("BR-14", "TaxInclusiveAmount"),
                          ("BR-15", "PayableAmount")):  # fmt: skip
        rule(rule_id, one(f"{totals}/cbc:{name}") is not None)
    rule("BR-16", bool(lines))

    # totals (BR-CO-10 … BR-CO-18, BR-CO-25, BR-CO-26)
    line_sum = sum((amount(one("cbc:LineExtensionAmount", line)) for line in lines), Decimal(0))
    allowances, charges = amount(one(f"{totals}/cbc:AllowanceTotalAmount")), amount(one(f"{totals}/cbc:ChargeTotalAmount"))
    vat_total = amount(one("cac:TaxTotal/cbc:TaxAmount"))
    exclusive, inclusive = amount(one(f"{totals}/cbc:TaxExclusiveAmount")), amount(one(f"{totals}/cbc:TaxInclusiveAmount"))
    payable = amount(one(f"{totals}/cbc:PayableAmount"))
    rule("BR-CO-10", amount(one(f"{totals}/cbc:LineExtensionAmount")) == line_sum)
    rule("BR-CO-13", exclusive == line_sum - allowances + charges)
    rule("BR-CO-14", vat_total == sum((amount(one("cbc:TaxAmount", s)) for s in subtotals), Decimal(0)))
    rule("BR-CO-15", inclusive == exclusive + vat_total)
    rule("BR-CO-16", payable == inclusive - amount(one(f"{totals}/cbc:PrepaidAmount")) + amount(one(f"{totals}/cbc:PayableRoundingAmount")))
    rule("BR-CO-18", bool(subtotals))
    due = one("cbc:DueDate") if invoice else one("cac:PaymentMeans/cbc:PaymentDueDate")
    rule("BR-CO-25", payable <= 0 or bool(due) or bool(one("cac:PaymentTerms/cbc:Note")))
    rule("BR-CO-26", bool(x(f"{supplier}/cac:PartyIdentification/cbc:ID | {supplier}/cac:PartyLegalEntity/cbc:CompanyID"
                            f" | {supplier}/cac:PartyTaxScheme/cbc:CompanyID")))  # fmt: skip

    # decimals and dates (BR-DEC-*, UBL-DT-01, PEPPOL-EN16931-F001), periods (BR-29, BR-30)
    rule("UBL-DT-01", all(re.fullmatch(r"-?[0-9]+(\.[0-9]{1,2})?", node.text or "") for node in x("//*[@currencyID]")))
    rule("PEPPOL-EN16931-F001", all(re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", node.text or "")
                                    for node in x("//cbc:IssueDate | //cbc:DueDate | //cbc:StartDate | //cbc:EndDate")))  # fmt: skip
    start, end = one("cac:InvoicePeriod/cbc:StartDate"), one("cac:InvoicePeriod/cbc:EndDate")
    rule("BR-29", not (start and end) or end >= start)
    rule("BR-CO-19", not x("cac:InvoicePeriod") or bool(start or end))

    # lines (BR-21 … BR-27, BR-CO-04, PEPPOL-EN16931-R110/R111/R120/R121)
    for line in lines:
        rule("BR-21", bool(one("cbc:ID", line)))
        rule("BR-22", one(quantity_name, line) is not None)
        rule("BR-23", bool(one(f"{quantity_name}/@unitCode", line)))
        rule("BR-24", one("cbc:LineExtensionAmount", line) is not None)
        rule("BR-25", bool(one("cac:Item/cbc:Name", line)))
        rule("BR-26", one("cac:Price/cbc:PriceAmount", line) is not None)
        rule("BR-27", amount(one("cac:Price/cbc:PriceAmount", line)) >= 0)
        rule("BR-CO-04", bool(one("cac:Item/cac:ClassifiedTaxCategory/cbc:ID", line)))
        line_start, line_end = one("cac:InvoicePeriod/cbc:StartDate", line), one("cac:InvoicePeriod/cbc:EndDate", line)
        rule("BR-30", not (line_start and line_end) or line_end >= line_start)
        rule("PEPPOL-EN16931-R110", not (line_start and start) or line_start >= start)
        rule("PEPPOL-EN16931-R111", not (line_end and end) or line_end <= end)
        rule("PEPPOL-EN16931-R121", amount(one("cac:Price/cbc:BaseQuantity", line) or "1") > 0)
        rule("PEPPOL-EN16931-R120", line_net_holds(line, quantity_name))

    # VAT breakdown (BR-45 … BR-48, BR-CO-17), category O (BR-O-*) and S (BR-S-*)
    line_categories = [one("cac:Item/cac:ClassifiedTaxCategory/cbc:ID", line) for line in lines]
    for subtotal in subtotals:
        category = one("cac:TaxCategory/cbc:ID", subtotal)
        rule("BR-45", one("cbc:TaxableAmount", subtotal) is not None)
        rule("BR-46", one("cbc:TaxAmount", subtotal) is not None)
        rule("BR-47", bool(category))
        percent = one("cac:TaxCategory/cbc:Percent", subtotal)
        rule("BR-48", category == "O" or percent is not None)
        taxable, tax = amount(one("cbc:TaxableAmount", subtotal)), amount(one("cbc:TaxAmount", subtotal))
        if percent is not None:
            rule("BR-CO-17", tax == (taxable * amount(percent) / 100).quantize(Decimal("0.01"), ROUND_HALF_UP))
        reason = one("cac:TaxCategory/cbc:TaxExemptionReason", subtotal) or one("cac:TaxCategory/cbc:TaxExemptionReasonCode", subtotal)
        if one("cac:TaxCategory/cbc:TaxExemptionReasonCode", subtotal) == "VATEX-EU-O":
            rule("PEPPOL-EN16931-P0105", category == "O")
        same = sum((amount(one("cbc:LineExtensionAmount", line)) for line, c in zip(lines, line_categories, strict=True) if c == category),
                   Decimal(0))  # fmt: skip
        if category == "O":
            rule("BR-O-08", taxable == same)
            rule("BR-O-09", tax == 0)
            rule("BR-O-10", bool(reason))
            rule("BR-O-11", len(subtotals) == 1)
        if category == "S":
            rule("BR-S-08", taxable == same)
            rule("BR-S-09", tax == (taxable * amount(percent) / 100).quantize(Decimal("0.01"), ROUND_HALF_UP))
            rule("BR-S-10", not reason)
    vat_ids = x(f"{supplier}/cac:PartyTaxScheme[cac:TaxScheme/cbc:ID='VAT']/cbc:CompanyID | {customer}/cac:PartyTaxScheme/cbc:CompanyID")
    for line, category in zip(lines, line_categories, strict=True):
        line_percent = one("cac:Item/cac:ClassifiedTaxCategory/cbc:Percent", line)
        if category == "O":
            rule("BR-O-02", not vat_ids)
            rule("BR-O-05", line_percent is None)
        if category == "S":
            rule("BR-S-02", bool(vat_ids))
            rule("BR-S-05", line_percent is not None and amount(line_percent) > 0)
    if any(one("cac:TaxCategory/cbc:ID", s) == "O" for s in subtotals):
        rule("BR-O-12", all(category == "O" for category in line_categories))

    # parties, addresses and identifiers (BR-62, BR-63, PEPPOL-EN16931-R010/R020, CL008, COMMON-R040/R042)
    rule("PEPPOL-EN16931-R020", bool(one(f"{supplier}/cbc:EndpointID")))
    rule("PEPPOL-EN16931-R010", bool(one(f"{customer}/cbc:EndpointID")))
    rule("BR-62", bool(one(f"{supplier}/cbc:EndpointID/@schemeID")))
    rule("BR-63", bool(one(f"{customer}/cbc:EndpointID/@schemeID")))
    for node in x("//cbc:EndpointID"):
        rule("PEPPOL-EN16931-CL008", node.get("schemeID") in EAS)
    for node in x("//*[@schemeID='0088']"):
        rule("PEPPOL-COMMON-R040", gln_ok((node.text or "").strip()))
    for node in x("//*[@schemeID='0184']"):
        text = node.text or ""
        rule("PEPPOL-COMMON-R042", bool(re.fullmatch(r"[0-9]{8}|DK[0-9]{8}", text)))

    # Peppol document rules
    rule("PEPPOL-EN16931-R001", bool(one("cbc:ProfileID")))
    rule("PEPPOL-EN16931-R007", bool(re.fullmatch(r"urn:fdc:peppol\.eu:2017:poacc:billing:[0-9]{2}:1\.0", one("cbc:ProfileID") or "")))
    rule("PEPPOL-EN16931-R004", one("cbc:CustomizationID") == SPECIFICATION)
    rule("PEPPOL-EN16931-R002", len(x("cbc:Note")) <= 1)
    rule("PEPPOL-EN16931-R003", bool(one("cbc:BuyerReference") or one("cac:OrderReference/cbc:ID")))
    rule("PEPPOL-EN16931-R008", all(len(node) or (node.text or "").strip() for node in root.iter()))
    rule("PEPPOL-EN16931-R051", all(node.get("currencyID") == currency for node in x("//*[@currencyID]")))
    rule("PEPPOL-EN16931-R053", len(x("cac:TaxTotal[cac:TaxSubtotal]")) == 1)
    rule("PEPPOL-EN16931-CL007", currency in CURRENCIES)
    rule("PEPPOL-EN16931-P0100" if invoice else "PEPPOL-EN16931-P0101",
         (one("cbc:InvoiceTypeCode") in INVOICE_TYPES) if invoice else (one("cbc:CreditNoteTypeCode") in CREDIT_NOTE_TYPES))  # fmt: skip

    # payment (BR-49, BR-50, BR-61)
    for means in x("cac:PaymentMeans"):
        code = one("cbc:PaymentMeansCode", means)
        rule("BR-49", bool(code))
        rule("BR-50", not x("cac:PayeeFinancialAccount", means) or bool(one("cac:PayeeFinancialAccount/cbc:ID", means)))
        rule("BR-61", code not in {"30", "58"} or bool(one("cac:PayeeFinancialAccount/cbc:ID", means)))

    # Denmark (DK-R-*): the supplier is Danish, and so is the customer
    if one(f"{supplier}/cac:PostalAddress/cac:Country/cbc:IdentificationCode") == "DK":
        rule("DK-R-002", bool((one(f"{supplier}/cac:PartyLegalEntity/cbc:CompanyID") or "").strip()))
        company = x(f"{supplier}/cac:PartyLegalEntity/cbc:CompanyID")
        rule("DK-R-014", not company or company[0].get("schemeID") == "0184")
        rule("DK-R-016", invoice or payable >= 0)
        if one(f"{customer}/cac:PostalAddress/cac:Country/cbc:IdentificationCode") == "DK":
            for node in x(f"{supplier}/cac:PartyIdentification/cbc:ID | {customer}/cac:PartyIdentification/cbc:ID"):
                rule("DK-R-013", bool(node.get("schemeID")))
            for means in x("cac:PaymentMeans") if invoice else []:
                code = one("cbc:PaymentMeansCode", means) or ""
                payment_id = one("cbc:PaymentID", means) or ""
                account = one("cac:PayeeFinancialAccount/cbc:ID", means) or ""
                rule("DK-R-005", code in DK_PAYMENT_MEANS)
                rule(
                    "DK-R-006",
                    code not in {"31", "42"}
                    or bool(
                        account.strip() and (one("cac:PayeeFinancialAccount/cac:FinancialInstitutionBranch/cbc:ID", means) or "").strip()
                    ),
                )
                rule("DK-R-010", code != "93" or (payment_id[:3] in {"71#", "73#", "75#"} and len(account) == 8))
                rule("DK-R-011", code != "93" or payment_id[:3] not in {"71#", "75#"} or len(payment_id) in (18, 19))
    return found
