"""What an e-invoice rests on, carried with it: the agreement's decision as the contract referred to (BT-12) and the
member's statement for the budget year embedded as a PDF; and every document sent in the agreement's language.

The PDF is taken out of the XML, base64-decoded and read by pdftotext (poppler-utils); the amounts it must name come
from the tests' own largest-remainder split.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from lxml import etree
from typer.testing import CliRunner

from costshare.cli import app
from costshare.formats.bundle import invoice_files

from . import settling
from .basis import PDFTOTEXT, agreement_reference, attached_pdfs, basis_missing, pdf_text
from .conftest import CODES, REGION_2023
from .peppol_rules import NS
from .test_invoices import AGREEMENT_REFERENCE, SENDER, billing, hamilton, sent, settle_config, text, valid, with_decision

runner = CliRunner()
POPULATION = dict(zip(CODES, REGION_2023, strict=True))
needs_pdftotext = pytest.mark.skipif(PDFTOTEXT is None, reason="pdftotext (poppler-utils) is not installed; .ci/run installs it")


@pytest.fixture
def billed(workspace):
    workspace.config.write_text(with_decision(workspace.config.read_text(encoding="utf-8")) + SENDER + billing(), encoding="utf-8")
    return workspace


def kroner(amount: int) -> str:
    """26150 → '26.150 kr.', as a Danish document writes a whole amount."""
    return f"{amount:,} kr.".replace(",", ".")


def statement_of(xml: bytes) -> str:
    """The text of the one statement the document carries."""
    (attributes, pdf), *others = attached_pdfs(xml)
    assert not others and attributes["mimeCode"] == "application/pdf"
    return pdf_text(pdf)


def issue(*args: str) -> dict[str, bytes]:
    result = runner.invoke(app, ["invoices", "ud", "--year", "2026", "-c", "alliance.yaml", *args], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return {path.name: path.read_bytes() for path in sorted(Path("ud").glob("*.xml"))}


@needs_pdftotext
def test_every_invoice_of_the_year_names_the_decision_and_carries_the_members_statement_with_its_amount(billed):
    files = issue("--lang", "da")
    assert len(files) == 68
    yearly = hamilton(730_000, POPULATION)
    for name, xml in files.items():
        assert sent(xml) == [], name
        code = name.split("-")[2]
        assert agreement_reference(xml) == AGREEMENT_REFERENCE
        said = statement_of(xml)
        assert f"(kommunekode {code})" in said and kroner(yearly[code]) in said, name
        root = etree.fromstring(xml)
        attachment = root.xpath("cac:AdditionalDocumentReference/cac:Attachment/cbc:EmbeddedDocumentBinaryObject/@filename", namespaces=NS)
        assert attachment == [f"opgørelse-2026-{code}.pdf"]
    assert "Opgørelse for Sorø (kommunekode 340)" in statement_of(files["KS-2026-340-1.xml"])


@needs_pdftotext
def test_settlement_invoices_and_credit_notes_carry_the_decision_and_the_statement(billed):
    settle_config(billed, "{2024: 742000, 2025: 721000}")
    budget = hamilton(730_000, POPULATION)
    kinds = set()
    for year in (2024, 2025):
        found = settling.issue(settling.billed_as_planned(billed.config, year), year)
        for name, xml in invoice_files(found.view, found.billed, found.documents, "da").items():
            assert sent(xml) == [], name
            kinds.add(etree.fromstring(xml).tag.rsplit("}", 1)[1])
            code = name.split("-")[2]
            said = statement_of(xml)
            assert f"(kommunekode {code})" in said and kroner(budget[code]) in said and str(year) in said
    assert kinds == {"Invoice", "CreditNote"}


@needs_pdftotext
def test_the_statement_is_dated_the_day_of_issue_and_made_once_for_a_members_instalments(billed):
    files = issue("--lang", "da", "--date", "2025-12-01")
    said = statement_of(files["KS-2026-340-1.xml"])
    assert "1. december 2025" in said
    pdfs = [attached_pdfs(files[f"KS-2026-340-{n}.xml"])[0][1] for n in range(1, 5)]
    assert len(set(pdfs)) == 1  # the member's four instalments carry the same statement, byte for byte


def test_attach_statement_false_leaves_the_pdf_out_and_keeps_the_decision(billed):
    billed.replace_in_config("  prefix: KS\n", "  prefix: KS\n  attach_statement: false\n")
    files = issue("--lang", "da")
    for name, xml in files.items():
        assert valid(xml) == [] and basis_missing(xml, AGREEMENT_REFERENCE) == ["0 attachments"], name
        assert agreement_reference(xml) == AGREEMENT_REFERENCE
        assert b"AdditionalDocumentReference" not in xml


def test_a_config_without_a_decision_names_none(billed):
    billed.replace_in_config("  reference: Sorø Kommune, Økonomiudvalget 6. september 2023, pkt. 7\n", "")
    xml = issue("--lang", "da")["KS-2026-340-1.xml"]
    assert sent(xml, None) == [] and b"ContractDocumentReference" not in xml


@pytest.mark.parametrize("english", [["--lang", "en"], ["env"]])
def test_the_invoices_speak_the_configs_locale_whatever_the_run_speaks(billed, monkeypatch, english):
    billed.replace_in_config("alliance: Sjællands Klimaalliance", "alliance: Sjællands Klimaalliance\nlocale: da_DK")
    if english == ["env"]:
        monkeypatch.setenv("COSTSHARE_LANG", "en")
        english = []
    result = runner.invoke(app, ["invoices", "ud", "--year", "2026", "-c", "alliance.yaml", *english], catch_exceptions=False)
    assert result.exit_code == 0
    assert result.stderr.strip() == "issued 68 e-invoices for budget year 2026, recorded in the register, and wrote them to ud"
    xml = (billed.root / "ud" / "KS-2026-340-1.xml").read_bytes()
    root = etree.fromstring(xml)
    assert text(root, "cbc:Note") == "Acontobetaling, rate 1 af 4 for budgetår 2026"
    assert text(root, "cac:PaymentTerms/cbc:Note") == "Netto 30 dage"
    assert text(root, "cac:AdditionalDocumentReference/cbc:ID") == "opgørelse-2026-340"
    if PDFTOTEXT is not None:
        said = statement_of(xml)
        assert "Opgørelse for Sorø (kommunekode 340)" in said and "Statement" not in said


def test_without_a_locale_the_invoices_speak_the_runs_language(billed):
    xml = issue("--lang", "en")["KS-2026-340-1.xml"]
    assert text(etree.fromstring(xml), "cbc:Note") == "On-account payment, instalment 1 of 4 for budget year 2026"
    if PDFTOTEXT is not None:
        assert "Statement for Sorø (municipality code 340)" in statement_of(xml)


@needs_pdftotext
def test_the_statement_an_invoice_carries_lists_the_documents_issued_with_it_as_issued(billed):
    """Issued up to 31 March: the first quarter's invoice is issued with its statement, which says so, and lists the
    quarters still to come as planned."""
    files = issue("--lang", "da", "--date", "2025-12-01", "--until", "2026-03-31")
    assert sorted(name for name in files if "-340-" in name) == ["KS-2026-340-1.xml"]
    said = " ".join(statement_of(files["KS-2026-340-1.xml"]).split())
    issued, planned = said.index("E-fakturaer 2026 (udstedt)"), said.index("E-fakturaer 2026 (planlagt)")
    assert issued < said.index("KS-2026-340-1 (") < planned < said.index("KS-2026-340-2 (")
    assert "KS-2026-340-1 (" not in said[planned:]
