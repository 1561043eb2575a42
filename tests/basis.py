"""What an e-invoice says it rests on, read back: the agreement's decision (BT-12) and the statement attached as a PDF
(BG-24), base64-decoded and read by pdftotext (poppler-utils). Nothing here calls costshare."""

from __future__ import annotations

import base64
import functools
import shutil
import subprocess

from lxml import etree

from .peppol_rules import NS

PDFTOTEXT = shutil.which("pdftotext")
ATTACHMENT = "cac:AdditionalDocumentReference/cac:Attachment/cbc:EmbeddedDocumentBinaryObject"


def agreement_reference(xml: bytes) -> str | None:
    """The contract the document refers to (cac:ContractDocumentReference/cbc:ID), if any."""
    found = etree.fromstring(xml).xpath("cac:ContractDocumentReference/cbc:ID/text()", namespaces=NS)
    assert isinstance(found, list)
    return str(found[0]) if found else None


def attached_pdfs(xml: bytes) -> list[tuple[dict[str, str], bytes]]:
    """Each embedded document's attributes (mimeCode, filename) and its bytes."""
    found = etree.fromstring(xml).xpath(ATTACHMENT, namespaces=NS)
    assert isinstance(found, list)
    return [({name: node.get(name) or "" for name in ("mimeCode", "filename")}, base64.b64decode(node.text or "", validate=True))
            for node in found if isinstance(node, etree._Element)]  # fmt: skip


@functools.cache
def pdf_text(pdf: bytes) -> str:
    """The text of a PDF, as pdftotext reads it (each distinct PDF read once)."""
    assert PDFTOTEXT is not None
    return subprocess.run([PDFTOTEXT, "-", "-"], input=pdf, capture_output=True, check=True, timeout=60).stdout.decode("utf-8")


@functools.cache
def pdf_layout(pdf: bytes) -> str:
    """The text of a PDF as pdftotext lays it out (-layout): a label and the amount beside it on one line."""
    assert PDFTOTEXT is not None
    run = subprocess.run([PDFTOTEXT, "-layout", "-", "-"], input=pdf, capture_output=True, check=True, timeout=60)
    return run.stdout.decode("utf-8")


def basis_missing(xml: bytes, reference: str | None) -> list[str]:
    """What the document lacks of its basis: the agreement reference `reference` (None: the config gives none, so the
    document must name none) and one statement PDF that reads back (its text, where pdftotext is installed)."""
    lacks = [] if agreement_reference(xml) == reference else [f"ContractDocumentReference {agreement_reference(xml)!r}"]
    pdfs = attached_pdfs(xml)
    if len(pdfs) != 1:
        return [*lacks, f"{len(pdfs)} attachments"]
    attributes, pdf = pdfs[0]
    if attributes.get("mimeCode") != "application/pdf" or not attributes.get("filename", "").endswith(".pdf"):
        lacks.append(f"attachment {attributes}")
    if not pdf.startswith(b"%PDF-") or (PDFTOTEXT is not None and not pdf_text(pdf).strip()):
        lacks.append("a PDF that reads back")
    return lacks
