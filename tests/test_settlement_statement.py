"""What a settlement document says it rests on: the statement it carries shows the year's actual cost, the member's
share of it, what the member was invoiced a conto, the difference and the settlement documents, the one it travels
with listed as issued; and a settlement is dated as every document is, never before what the register holds.

Expected figures are worked out here: the shares by the tests' own largest remainder (tests/oracles.py) on the
population file's figures, what was invoiced a conto from the a conto documents' own payable amounts. The PDF is
read back by pdftotext.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, date, datetime
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import pytest
from lxml import etree
from typer.testing import CliRunner

from costshare.cli import app
from costshare.run import Run

from .basis import PDFTOTEXT, attached_pdfs, pdf_layout, pdf_text
from .conftest import CODES, REGION_2023
from .oracles import hamilton
from .peppol_rules import NS
from .test_invoices import SENDER, billing, sent, with_decision

runner = CliRunner()
POPULATION = dict(zip(CODES, REGION_2023, strict=True))
needs_pdftotext = pytest.mark.skipif(PDFTOTEXT is None, reason="pdftotext (poppler-utils) is not installed; .ci/run installs it")
LABEL = "KKR Sjællands årsværk (Gate21)"


def shares(total: int) -> dict[str, int]:
    """Each member's share of `total` kroner by population, largest remainder in whole kroner."""
    weight = sum(POPULATION.values())
    return hamilton(total, {code: Fraction(total * people, weight) for code, people in POPULATION.items()}, 1)


def danish(amount: int) -> str:
    return f"{amount:,} kr.".replace(",", ".")


def english(amount: int) -> str:
    return f"{amount:,} DKK"


def with_sign(amount: int, shown: Callable[[int], str]) -> str:
    return ("+" if amount > 0 else "-" if amount < 0 else "") + shown(abs(amount))


def costshare(*args: str, today: date, lang: str = "da"):
    run = Run(lang, (), datetime(today.year, today.month, today.day, 12, tzinfo=UTC), today)  # type: ignore[arg-type]
    return runner.invoke(app, [*args, "-c", "alliance.yaml", "--lang", lang], obj=run)


def issued(*args: str, today: date, lang: str = "da") -> dict[str, bytes]:
    """Run `invoices OUTDIR …` on `today`; the documents it wrote, by number."""
    result = costshare("invoices", *args, today=today, lang=lang)
    assert result.exit_code == 0, result.output
    return {path.stem: path.read_bytes() for path in sorted(Path(args[0]).glob("*.xml"))}


def payable(xml: bytes) -> tuple[str, int]:
    """The member code of a document and what it bills it: positive for an invoice, negative for a credit note."""
    root = etree.fromstring(xml)
    amount = Decimal(root.findtext("cac:LegalMonetaryTotal/cbc:PayableAmount", namespaces=NS) or "")
    assert amount == int(amount)
    code = (root.findtext("cbc:ID", namespaces=NS) or "").split("-")[2]
    return code, int(amount) if root.tag.endswith("}Invoice") else -int(amount)


def net_by_member(files: dict[str, bytes]) -> dict[str, int]:
    found: dict[str, int] = {}
    for xml in files.values():
        code, amount = payable(xml)
        found[code] = found.get(code, 0) + amount
    return found


def statement(xml: bytes) -> bytes:
    (attributes, pdf), *others = attached_pdfs(xml)
    assert not others and attributes["mimeCode"] == "application/pdf"
    return pdf


def shown_rows(pdf: bytes, rows: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """The rows of `rows` (a label and its amount) that the statement does not show as a line of their own."""
    text = pdf_layout(pdf)
    return [(name, amount) for name, amount in rows if not re.search(rf"^\s*{re.escape(name)}\s+{re.escape(amount)}\s*$", text, re.M)]


@pytest.fixture
def billed(workspace):
    text = with_decision(workspace.config.read_text(encoding="utf-8")) + SENDER + billing()
    workspace.config.write_text(text + "actuals: {2024: 700000}\n", encoding="utf-8")
    return workspace


@needs_pdftotext
def test_a_settlement_documents_statement_shows_the_actual_cost_the_share_what_was_invoiced_and_the_document_issued(billed):
    aconto = issued("ud", "--year", "2024", "--date", "2024-01-02", today=date(2024, 1, 2))
    settled = issued("st", "--year", "2024", "--settlement", today=date(2025, 2, 3))  # no --date: the run's day
    invoiced, share = net_by_member(aconto), shares(700_000)
    assert invoiced == shares(730_000)  # the a conto invoices billed the budget
    differences = {code: share[code] - invoiced[code] for code in CODES}
    assert sorted(settled) == [f"KS-2024-{code}-99" for code in CODES if differences[code]]
    for number, xml in settled.items():
        assert sent(xml, name=number) == []
        root = etree.fromstring(xml)
        code, billed_now = payable(xml)
        difference = differences[code]
        assert billed_now == difference and root.findtext("cbc:IssueDate", namespaces=NS) == "2025-02-03"
        kind = "faktura" if difference > 0 else "kreditnota"
        pdf = statement(xml)
        assert shown_rows(pdf, [
            ("Faktisk udgift 2024", "700.000 kr."),
            ("Andel af faktisk udgift", danish(share[code])),
            ("Faktureret a conto (fakturaer fratrukket kreditnotaer)", danish(invoiced[code])),
            ("Efterregulering", with_sign(difference, danish)),
            (f"Efterreguleret med {kind} {number}", with_sign(difference, danish)),
        ]) == [], number  # fmt: skip
        said = " ".join(pdf_text(pdf).split())
        assert "Efterregulering af budgetår 2024" in said and "(planlagt)" not in said
        listed = said[said.index("E-fakturaer 2024 (udstedt): ") : said.index("Budgetår")]
        fact = f"{number} (kreditnota, {danish(-difference)})" if difference < 0 else f"{number} ({danish(difference)}, forfald"
        assert fact in listed and f"KS-2024-{code}-4 (" in listed, number


@needs_pdftotext
def test_each_items_actual_cost_and_every_settlement_document_of_a_corrected_year_are_shown(billed):
    """Two items, settled, then settled again on a corrected actual cost: the second document's statement shows both
    documents, which add up to the difference between the share and what was invoiced a conto; the register gives
    both back byte for byte."""
    billed.replace_in_config("    yearly: 730000\n", "    yearly: 730000\n  - label: Analyse\n    one_off: 150000\n    year: 2024\n")
    billed.replace_in_config("actuals: {2024: 700000}", f'actuals: {{2024: {{"{LABEL}": 733000, Analyse: 140000}}}}')
    aconto = issued("ud", "--year", "2024", "--date", "2024-01-02", today=date(2024, 1, 2), lang="en")
    first = issued("st", "--year", "2024", "--settlement", "--date", "2025-02-03", today=date(2025, 2, 3), lang="en")
    billed.replace_in_config("733000", "741000")
    second = issued("st2", "--year", "2024", "--settlement", "--date", "2025-03-03", today=date(2025, 3, 3), lang="en")
    invoiced, before, after = net_by_member(aconto), shares(873_000), shares(881_000)
    assert invoiced == shares(880_000)
    assert sorted(second) == [f"KS-2024-{code}-98" for code in CODES if after[code] != before[code]]
    for number, xml in second.items():
        code = number.split("-")[2]
        documents = [(f"KS-2024-{code}-99", before[code] - invoiced[code]), (number, after[code] - before[code])]
        rows = [
            (f"Actual cost, {LABEL}", "741,000 DKK"),
            ("Actual cost, Analyse", "140,000 DKK"),
            ("Actual cost 2024 in total", "881,000 DKK"),
            ("Share of actual cost", english(after[code])),
            ("Invoiced on account (invoices less credit notes)", english(invoiced[code])),
            ("Settlement", with_sign(after[code] - invoiced[code], english)),
        ]
        rows += [(f"Settled by {'invoice' if amount > 0 else 'credit note'} {found}", with_sign(amount, english))
                 for found, amount in documents if amount]  # fmt: skip
        assert shown_rows(statement(xml), rows) == [], number
        assert "Not settled yet" not in pdf_text(statement(xml))
    reprinted = issued("rp", "--year", "2024", "--reprint", today=date(2025, 4, 1), lang="en")
    assert reprinted == {**aconto, **first, **second}


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("en", "error: --date 2024-01-01 is before 2 January 2024, the last invoice date in the register (hint: issued documents "
               "are not dated back; give --date 2024-01-02 or later, or leave out --date for today)"),
        ("da", "fejl: --date 2024-01-01 ligger før 2. januar 2024, den seneste fakturadato i fakturaregistret (tip: udstedte "
               "dokumenter dateres ikke tilbage; angiv --date 2024-01-02 eller senere, eller udelad --date for dagens dato)"),
    ],
)  # fmt: skip
def test_a_settlement_is_never_dated_before_the_registers_last_issue_date(billed, lang, expected):
    issued("ud", "--year", "2024", "--date", "2024-01-02", today=date(2024, 1, 2))
    register = (billed.root / "register.csv").read_bytes()
    result = costshare("invoices", "st", "--year", "2024", "--settlement", "--date", "2024-01-01", today=date(2025, 2, 3), lang=lang)
    assert result.exit_code == 1 and result.stderr.splitlines() == [expected]
    assert not (billed.root / "st").exists() and (billed.root / "register.csv").read_bytes() == register
    on_the_day = issued("st", "--year", "2024", "--settlement", "--date", "2024-01-02", today=date(2025, 2, 3))
    assert on_the_day and all(etree.fromstring(xml).findtext("cbc:IssueDate", namespaces=NS) == "2024-01-02" for xml in on_the_day.values())


def test_a_statement_of_a_settled_year_names_a_difference_below_the_minimum_as_not_invoiced(workspace):
    text = with_decision(workspace.config.read_text(encoding="utf-8")) + SENDER + billing(extra="  minimum: 1500\n")
    workspace.config.write_text(text + "actuals: {2024: 700000}\n", encoding="utf-8")
    invoiced = net_by_member(issued("ud", "--year", "2024", "--date", "2024-01-02", today=date(2024, 1, 2)))
    share = shares(700_000)
    differences = {code: share[code] - invoiced[code] for code in CODES}
    below = sorted(code for code in CODES if 0 < abs(differences[code]) < 1500)
    settled = issued("st", "--year", "2024", "--settlement", today=date(2025, 2, 3))
    assert below and sorted(settled) == [f"KS-2024-{code}-99" for code in CODES if abs(differences[code]) >= 1500]
    for code in CODES:
        result = costshare("statement", code, "--year", "2024", today=date(2025, 2, 4))
        assert result.exit_code == 0, result.output
        lines = [" ".join(line.split()) for line in result.stdout.splitlines()]
        difference = with_sign(differences[code], danish)
        assert f"Efterregulering {difference}" in lines and f"Andel af faktisk udgift {danish(share[code])}" in lines
        unbilled = f"Ikke faktureret (under minimumsbeløbet 1.500 kr.) {difference}"
        billed_by = f"Efterreguleret med kreditnota KS-2024-{code}-99 {difference}"
        assert (unbilled in lines, billed_by in lines) == ((True, False) if code in below else (False, True)), code
