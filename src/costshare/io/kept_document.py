"""What a kept e-invoice says of itself, read back so a register row is held to the document it records.

The chain of hashes finds a row changed by hand, unless its hash was recomputed too; the document kept beside the
register was not changed with it, so a row must say what its document says: the number, kind, dates, period, buyer's
name, amounts, currency and the documents it refers to, as the UBL file (Peppol BIS Billing 3.0) gives them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..core.register import Issued

if TYPE_CHECKING:
    from lxml import etree

_UBL = "urn:oasis:names:specification:ubl:schema:xsd:"
_NS = {"cbc": f"{_UBL}CommonBasicComponents-2", "cac": f"{_UBL}CommonAggregateComponents-2"}
_KINDS = {f"{{{_UBL}Invoice-2}}Invoice": "invoice", f"{{{_UBL}CreditNote-2}}CreditNote": "credit_note"}


def _kroner(minor: int) -> str:
    return f"{minor // 100}.{minor % 100:02d}"


def _said(row: Issued) -> dict[str, str | None]:
    """What the row says, by the path of the element the document says it in."""
    return {
        "cbc:ID": row.number,
        "cbc:IssueDate": row.issued.isoformat(),
        "cbc:DocumentCurrencyCode": row.currency,
        "cac:InvoicePeriod/cbc:StartDate": row.start.isoformat(),
        "cac:InvoicePeriod/cbc:EndDate": row.end.isoformat(),
        "cac:AccountingCustomerParty/cac:Party/cac:PartyName/cbc:Name": row.name,
        "cac:LegalMonetaryTotal/cbc:TaxExclusiveAmount": _kroner(row.net),
        "cac:LegalMonetaryTotal/cbc:PayableAmount": _kroner(row.gross),
        "cac:TaxTotal/cbc:TaxAmount": _kroner(row.vat),
        "cbc:DueDate": row.due.isoformat() if row.kind == "invoice" else None,  # a credit note has no due date
    }


def disagreement(row: Issued, data: bytes) -> str | None:
    """The first thing `row` says that its document `data` does not (an element's name), or None where they agree.
    A document that is no e-invoice at all, or declares entities, disagrees in everything ('document')."""
    if b"<!DOCTYPE" in data or b"<!ENTITY" in data:
        return "document"
    root = _parsed(data)
    if root is None:
        return "document"
    if _KINDS.get(root.tag) != row.kind:
        return "kind"
    for path, value in _said(row).items():
        if value is not None and root.findtext(path, namespaces=_NS) != value:
            return path.rsplit(":", 1)[-1]
    references = [element.text or "" for element in root.findall("cac:BillingReference/cac:InvoiceDocumentReference/cbc:ID", _NS)]
    return None if sorted(references) == sorted(row.references) else "BillingReference"


def _parsed(data: bytes) -> etree._Element | None:
    """The document's root element (lxml: a register of 10.000 documents is read in well under a second), entities
    never resolved and nothing fetched; None where it is no XML."""
    from lxml import etree

    try:
        return etree.fromstring(data, etree.XMLParser(resolve_entities=False, no_network=True))
    except etree.XMLSyntaxError:
        return None
