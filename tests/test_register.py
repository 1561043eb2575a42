"""The register of issued documents: every document `invoices` issues is recorded once, chained by hash and kept
beside it; a run again issues nothing already issued; --reprint gives the same bytes; a register edited by hand is
named at its row; numbers are unique per sender; one run at a time.

The chain is recomputed here from its documented rule (docs/invoicing.md), and amounts come from the e-invoices
themselves and the tests' own Hamilton split, never from the program's register code.
"""

from __future__ import annotations

import csv
import fcntl
import hashlib
import io
import json
import os
import subprocess
import sys
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree
from openpyxl import load_workbook
from typer.testing import CliRunner

from costshare.cli import app
from costshare.core.register import Issued, Kind, Purpose

from .conftest import CODES
from .test_invoices import POPULATION, SENDER, billing, hamilton, text

runner = CliRunner()
START = "0" * 64
HEADER = ["number", "kind", "purpose", "year", "code", "name", "instalment", "start", "end", "issued", "due", "net", "vat", "gross",
          "currency", "references", "sha256", "hash"]  # fmt: skip


@pytest.fixture
def billed(workspace):
    workspace.config.write_text(workspace.config.read_text(encoding="utf-8") + SENDER + billing(), encoding="utf-8")
    return workspace


def run(*args: str):
    return runner.invoke(app, [*args, "-c", "alliance.yaml", "--lang", "en"])


def rows_of(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        found = list(csv.reader(handle))
    assert found[0] == HEADER
    return found[1:]


def chain(rows: list[list[str]]) -> list[str]:
    """Each row's hash by the documented rule: SHA-256 of the JSON list [previous hash, the row's other fields]."""
    head, hashes = START, []
    for fields in rows:
        head = hashlib.sha256(json.dumps([head, *fields[:-1]], ensure_ascii=False, separators=(",", ":")).encode("utf-8")).hexdigest()
        hashes.append(head)
    return hashes


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


# --- recorded once, kept, never issued twice -------------------------------------------------------------------


def test_every_issued_document_is_a_row_chained_to_the_one_before_and_kept_beside_the_register(billed):
    result = run("invoices", "ud", "--year", "2026")
    assert result.exit_code == 0, result.output
    rows = rows_of(billed.root / "register.csv")
    assert len(rows) == 68
    assert [row[-1] for row in rows] == chain(rows)
    yearly = hamilton(730_000, POPULATION)
    invoiced: dict[str, int] = {}
    for row in rows:
        number, kind, purpose, year, code, _name, instalment, start, end, issued, due, net, vat, gross, currency, refs, sha = row[:-1]
        xml = (billed.root / "ud" / f"{number}.xml").read_bytes()
        assert sha == digest(xml) == digest((billed.root / "register" / f"{number}.xml").read_bytes())
        root = etree.fromstring(xml)
        assert text(root, "cbc:ID") == number == f"KS-2026-{code}-{instalment}"
        assert (kind, purpose, year, currency, refs) == ("invoice", "aconto", "2026", "DKK", "")
        assert (text(root, "cbc:IssueDate"), text(root, "cbc:DueDate")) == (issued, due)
        assert (text(root, "cac:InvoicePeriod/cbc:StartDate"), text(root, "cac:InvoicePeriod/cbc:EndDate")) == (start, end)
        assert Decimal(net) == Decimal(gross) == Decimal(text(root, "cac:LegalMonetaryTotal/cbc:PayableAmount")) and vat == "0.00"
        invoiced[code] = invoiced.get(code, 0) + int(Decimal(net))
    assert invoiced == yearly  # each member's instalments add up to its share of 730.000 kr.
    assert sorted(path.name for path in (billed.root / "register").iterdir()) == sorted(f"{row[0]}.xml" for row in rows)


def test_a_second_run_issues_nothing_says_so_and_changes_nothing(billed):
    assert run("invoices", "ud", "--year", "2026").exit_code == 0
    register = (billed.root / "register.csv").read_bytes()
    result = run("invoices", "ud2", "--year", "2026")
    assert result.exit_code == 0
    assert result.output.strip() == "Nothing new to issue for budget year 2026 up to 31 December 2026; nothing written."
    assert (billed.root / "register.csv").read_bytes() == register and not (billed.root / "ud2").exists()


def test_a_change_after_issuing_issues_new_numbers_and_never_an_issued_one_again(billed):
    assert run("invoices", "ud", "--year", "2026").exit_code == 0
    register = (billed.root / "register.csv").read_bytes()
    first = {row[0]: row[-2] for row in rows_of(billed.root / "register.csv")}
    billed.replace_in_config("yearly: 730000", "yearly: 800000")  # the year's amounts change after issuing
    assert run("invoices", "ud2", "--year", "2026").exit_code == 0
    assert (billed.root / "register.csv").read_bytes().startswith(register)  # the rows issued stay as they were
    rows = rows_of(billed.root / "register.csv")
    later = [row[0] for row in rows[len(first) :]]
    assert later and not set(later) & set(first) and len(set(later)) == len(later)
    assert {path.stem for path in (billed.root / "ud2").glob("*.xml")} == set(later)
    assert all(digest((billed.root / "register" / f"{number}.xml").read_bytes()) == sha for number, sha in first.items())


def test_a_run_for_another_year_appends_after_the_first_and_the_chain_runs_on(billed):
    assert run("invoices", "a", "--year", "2026").exit_code == 0
    first = (billed.root / "register.csv").read_bytes()
    assert run("invoices", "b", "--year", "2027").exit_code == 0
    data = (billed.root / "register.csv").read_bytes()
    assert data.startswith(first)  # appended: the rows before are the same bytes
    rows = rows_of(billed.root / "register.csv")
    assert len(rows) == 136 and [row[-1] for row in rows] == chain(rows)
    assert {row[3] for row in rows[68:]} == {"2027"}


def test_reprint_writes_the_years_issued_documents_again_byte_for_byte(billed):
    assert run("invoices", "ud", "--year", "2026").exit_code == 0
    billed.replace_in_config("yearly: 730000", "yearly: 800000")  # what the config computes now does not matter
    result = run("invoices", "again", "--year", "2026", "--reprint")
    assert result.exit_code == 0, result.output
    assert result.output.strip() == "wrote the issued documents of budget year 2026 (68) again in again, as they were issued"
    assert {p.name: p.read_bytes() for p in (billed.root / "ud").iterdir()} == {
        p.name: p.read_bytes() for p in (billed.root / "again").iterdir()
    }


def test_reprint_refuses_a_kept_copy_that_is_not_the_document_issued(billed):
    assert run("invoices", "ud", "--year", "2026").exit_code == 0
    kept = billed.root / "register" / "KS-2026-340-2.xml"
    kept.write_bytes(kept.read_bytes().replace(b"6538.00", b"6000.00"))
    result = run("invoices", "again", "--year", "2026", "--reprint")
    assert result.exit_code == 1
    assert result.output.strip() == (
        f"error: {kept}: the kept copy of KS-2026-340-2 is not the document issued: its SHA-256 differs from the register's "
        "(hint: issued documents are history and the register is never edited manually; restore it and its kept copies from "
        "your backup)"
    )
    assert not (billed.root / "again").exists()


def test_reprint_of_a_year_with_nothing_issued_is_refused(billed):
    result = run("invoices", "again", "--year", "2026", "--reprint")
    assert result.exit_code == 1
    assert result.output.strip() == (
        "error: register.csv: no document is issued for budget year 2026 (hint: costshare invoices OUTDIR --year 2026 issues them)"
    )


def test_a_settlement_is_recorded_as_settlement_documents_referring_to_the_years_invoices(billed):
    assert run("invoices", "ud", "--year", "2024").exit_code == 0
    billed.replace_in_config("notes:", "actuals:\n  2024: 800000\nnotes:")
    assert run("invoices", "eft", "--year", "2024", "--settlement").exit_code == 0
    rows = rows_of(billed.root / "register.csv")
    settled = [row for row in rows if row[2] == "settlement"]
    assert len(settled) == 17 and all(row[0].endswith("-99") and row[6] == "" for row in settled)
    assert settled[0][15] == " ".join(f"KS-2024-253-{n}" for n in range(1, 5))
    assert run("invoices", "eft2", "--year", "2024", "--settlement").output.startswith("No settlement for budget year 2024")


# --- a number unique per sender ----------------------------------------------------------------------------------


def test_without_a_prefix_invoices_refuses_validate_warns_and_statements_still_work(billed):
    billed.replace_in_config("  prefix: KS\n", "")
    result = run("invoices", "ud", "--year", "2026")
    assert result.exit_code == 1
    hint = ("(hint: add prefix: under billing, letters or digits that tell this agreement's invoices from the sender's others, "
            "e.g. the alliance's initials)")  # fmt: skip
    line = "alliance.yaml:24: billing: no prefix for the invoice numbers: invoices issues nothing without one, as a number must be unique for the sender"
    assert result.output.strip() == f"error: {line} {hint}"
    assert not (billed.root / "ud").exists() and not (billed.root / "register.csv").exists()
    validated = run("validate")
    assert validated.exit_code == 0 and f"warning: {line} {hint}" in validated.output
    assert run("statement", "Sorø", "--year", "2026").exit_code == 0
    assert run("bundle", "samlet").exit_code == 0 and (billed.root / "samlet" / "report.html").exists()


def test_the_register_refuses_a_number_it_holds_already(tmp_path):
    from costshare.core.errors import ExportError
    from costshare.io.register import EMPTY, append_rows, read_register

    day = date(2026, 1, 1)
    row = Issued("KS-2026-340-1", "invoice", "aconto", 2026, "340", "Sorø", 1, day, day, day, day, 100, 0, "DKK", (), "a" * 64)
    path = tmp_path / "register.csv"
    register = append_rows(path, EMPTY, [row])
    with pytest.raises(ExportError) as refused:
        append_rows(path, read_register(path, "register.csv"), [Issued(**{**row.__dict__, "net": 200, "sha256": "b" * 64})])
    assert [problem.key for problem in refused.value.problems] == ["err_register_number_issued"]
    assert path.read_bytes() == register.data


# --- a register edited by hand -----------------------------------------------------------------------------------


def edited(billed, change) -> str:
    """Issue 2026, let `change` edit the register's lines, and return the line validate and invoices name."""
    assert run("invoices", "ud", "--year", "2026").exit_code == 0
    path = billed.root / "register.csv"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    path.write_text("".join(change(lines)), encoding="utf-8")
    validated = run("validate")
    assert validated.exit_code == 1
    before = sorted(os.listdir(billed.root / "register"))
    issued = run("invoices", "ud2027", "--year", "2027")
    assert issued.exit_code == 1 and issued.output == validated.output
    assert not (billed.root / "ud2027").exists() and sorted(os.listdir(billed.root / "register")) == before
    return str(validated.output).strip()


ROW_HINT = ("(hint: issued documents are history and the register is never edited manually; restore it and its kept copies "
            "from your backup)")  # fmt: skip
NOT_HOLD = "this row does not hold: it, or a row before it, was changed, removed or moved since costshare wrote it"


def test_an_amount_changed_by_hand_is_named_at_its_row(billed):
    def change(lines):
        assert ",11061.00,0.00,11061.00," in lines[2]  # Greve's second instalment: a quarter of 44.243 kr., rounded up
        lines[2] = lines[2].replace(",11061.00,0.00,11061.00,", ",11000.00,0.00,11000.00,")
        return lines

    assert edited(billed, change) == f"error: register.csv:3: {NOT_HOLD} {ROW_HINT}"


def test_two_rows_moved_are_named_at_the_first(billed):
    assert edited(billed, lambda lines: [*lines[:3], lines[4], lines[3], *lines[5:]]) == f"error: register.csv:4: {NOT_HOLD} {ROW_HINT}"


def test_a_row_removed_in_the_middle_is_named_where_the_chain_breaks(billed):
    assert edited(billed, lambda lines: [*lines[:10], *lines[11:]]) == f"error: register.csv:11: {NOT_HOLD} {ROW_HINT}"


def test_the_last_row_removed_leaves_its_kept_copy_without_a_row(billed):
    message = edited(billed, lambda lines: lines[:-1])
    kept = billed.root / "register" / "KS-2026-390-4.xml"
    assert message == (f"error: {kept}: a kept copy of an issued document without its row in the register: a row was removed {ROW_HINT}")


def test_a_kept_copy_removed_is_named_at_its_row(billed):
    assert run("invoices", "ud", "--year", "2026").exit_code == 0
    (billed.root / "register" / "KS-2026-253-3.xml").unlink()
    result = run("validate")
    assert result.exit_code == 1
    assert result.output.strip() == f"error: register.csv:4: the kept copy KS-2026-253-3.xml of this row's document is missing {ROW_HINT}"


def test_a_header_that_is_not_the_registers_is_named_at_line_1(billed):
    (billed.root / "register.csv").write_text("nummer,beløb\nKS-1,100\n", encoding="utf-8")
    result = run("validate")
    assert result.exit_code == 1
    assert result.output.strip() == (
        "error: register.csv:1: is not a register costshare wrote: its first line is not the register's header "
        "(hint: only costshare invoices writes the register; restore it from your backup)"
    )


def test_validate_says_the_register_holds(billed):
    assert run("invoices", "ud", "--year", "2026").exit_code == 0
    result = run("validate")
    assert result.exit_code == 0
    assert "Register: register.csv, 68 issued documents; its chain holds and every document is kept." in result.output


# --- one run at a time -------------------------------------------------------------------------------------------


def test_a_second_run_while_one_holds_the_lock_waits_then_refuses_and_issues_nothing(billed):
    with open(billed.root / "register.csv.lock", "a") as held:
        fcntl.flock(held, fcntl.LOCK_EX)
        result = subprocess.run([sys.executable, "-m", "costshare", "invoices", "ud", "--year", "2026", "-c", "alliance.yaml",
                                 "--lang", "en"], cwd=billed.root, capture_output=True, text=True, timeout=120)  # fmt: skip
    assert result.returncode == 1
    assert result.stderr.strip() == (
        "error: register.csv: another costshare run is issuing documents in this register; nothing was issued "
        "(hint: run the command again when the other run has finished)"
    )
    assert not (billed.root / "register.csv").exists() and not (billed.root / "ud").exists()


# --- costshare register ------------------------------------------------------------------------------------------


def written_register(root: Path, rows: list[list[str]]) -> None:
    """A register of `rows` (without their hashes), chained by the documented rule."""
    hashes = chain([[*row, ""] for row in rows])
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(HEADER)
    writer.writerows([*row, head] for row, head in zip(rows, hashes, strict=True))
    (root / "register.csv").write_text(buffer.getvalue(), encoding="utf-8")


def document(number: str, kind: str, code: str, instalment: str, net: str, refs: str = "") -> list[str]:
    return [number, kind, "aconto", "2026", code, "Sorø Kommune", instalment, "2026-01-01", "2026-03-31", "2026-01-05", "2026-02-04",
            net, "0.00", net, "DKK", refs, "c" * 64]  # fmt: skip


def test_register_shows_each_members_amount_invoiced_credited_and_still_to_invoice(billed):
    written_register(billed.root, [document("KS-2026-340-1", "invoice", "340", "1", "6538.00"),
                                   document("KS-2026-340-2", "invoice", "340", "2", "6538.00"),
                                   document("KS-2026-340-K1", "credit_note", "340", "", "1000.50", "KS-2026-340-2")])  # fmt: skip
    result = runner.invoke(app, ["register", "-c", "alliance.yaml", "--lang", "en"], catch_exceptions=False)
    assert result.exit_code == 0
    lines = [" ".join(line.replace("│", " ").split()) for line in result.output.splitlines()]
    sorø = 26_150  # Sorø's share of 730.000 kr. (hamilton(730_000, POPULATION)["340"])
    assert hamilton(730_000, POPULATION)["340"] == sorø
    still = sorø - 6538 - 6538 + Decimal("1000.50")
    assert still == Decimal("14074.50")
    assert "Sorø 340 26,150.00 DKK 13,076.00 DKK 1,000.50 DKK 14,074.50 DKK" in lines  # øre shown, as a document has them
    assert "Total 730,000.00 DKK 13,076.00 DKK 1,000.50 DKK 717,924.50 DKK" in lines  # 730.000 − 13.076 + 1.000,50
    assert sum(1 for line in lines if line.startswith(("Greve 253", "Vordingborg 390"))) == 2  # every paying member, none invoiced


def test_register_writes_the_debtor_list_as_csv_and_xlsx(billed):
    written_register(billed.root, [document("KS-2026-340-1", "invoice", "340", "1", "6538.00"),
                                   document("KS-2026-340-K1", "credit_note", "340", "", "1000.50", "KS-2026-340-1")])  # fmt: skip
    assert runner.invoke(app, ["register", "-c", "alliance.yaml", "--out", "debitorer.csv"], catch_exceptions=False).exit_code == 0
    data = (billed.root / "debitorer.csv").read_bytes().decode("utf-8-sig")
    found = list(csv.reader(io.StringIO(data), delimiter=";"))
    assert found[0][:5] == ["Nummer", "Type", "Budgetår", "Kode", "Kommune"]
    assert found[1] == ["KS-2026-340-1", "Faktura", "2026", "340", "Sorø Kommune", "1", "2026-01-01", "2026-03-31", "2026-01-05",
                        "2026-02-04", "6538,00", "0,00", "6538,00", "DKK", ""]  # fmt: skip
    assert found[2][:2] == ["KS-2026-340-K1", "Kreditnota"] and found[2][10] == "1000,50" and found[2][14] == "KS-2026-340-1"
    assert len(found) == 3
    assert runner.invoke(app, ["register", "-c", "alliance.yaml", "--out", "debitorer.xlsx"], catch_exceptions=False).exit_code == 0
    sheet = load_workbook(billed.root / "debitorer.xlsx").active
    assert sheet is not None
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    header = values.index(next(row for row in values if row[0] == "Nummer"))
    assert values[header + 1][0] == "KS-2026-340-1" and values[header + 1][10] == 6538
    assert values[header + 2][10] == Decimal("1000.50") or values[header + 2][10] == 1000.5


def test_register_without_documents_says_so(billed):
    result = runner.invoke(app, ["register", "-c", "alliance.yaml", "--lang", "en"], catch_exceptions=False)
    assert result.exit_code == 0 and result.output.strip() == "The register register.csv holds no issued documents."


def test_copies_kept_and_rows_appended_by_a_run_that_ended_before_naming_them_are_named_by_the_next(billed):
    """The moment between the rows taking their place and the copies their names (a kill there is rare, so it is made
    here by the same steps a run takes): the rows hold, the copies reprint, and the next run that issues names them."""
    from costshare.io.kept import keep_pending
    from costshare.io.register import EMPTY, append_rows

    assert run("invoices", "ud", "--year", "2026").exit_code == 0
    rows = rows_of(billed.root / "register.csv")
    (billed.root / "register.csv").unlink()
    kept = billed.root / "register"
    copies = {name: (kept / name).read_bytes() for name in sorted(os.listdir(kept))}
    for name in copies:
        (kept / name).unlink()
    issued = [Issued(r[0], "invoice", "aconto", 2026, r[4], r[5], int(r[6]), date.fromisoformat(r[7]), date.fromisoformat(r[8]),
                     date.fromisoformat(r[9]), date.fromisoformat(r[10]), int(Decimal(r[11]) * 100), 0, "DKK", (), r[16])
              for r in rows]  # fmt: skip
    keep_pending(kept, copies)
    append_rows(billed.root / "register.csv", EMPTY, issued)
    assert all(name.startswith(".pending-") for name in os.listdir(kept))
    assert run("validate").exit_code == 0  # a row whose copy is still pending holds
    result = run("invoices", "ud2", "--year", "2026")
    assert result.exit_code == 0 and result.output.startswith("Nothing new to issue for budget year 2026")
    assert run("invoices", "again", "--year", "2026", "--reprint").exit_code == 0  # reprinted from the pending copies
    assert {p.name: p.read_bytes() for p in (billed.root / "again").iterdir()} == {
        p.name: p.read_bytes() for p in (billed.root / "ud").iterdir()
    }
    assert run("invoices", "ud2027", "--year", "2027").exit_code == 0  # the next run that issues names them first
    assert {name: (kept / name).read_bytes() for name in sorted(os.listdir(kept)) if "-2026-" in name} == copies


def test_a_folder_invoices_cannot_write_is_refused_before_anything_is_issued(billed):
    (billed.root / "ud").mkdir()
    (billed.root / "ud" / "notes.txt").write_text("mine", encoding="utf-8")
    for force in ([], ["--force"]):
        result = run("invoices", "ud", "--year", "2026", *force)
        assert result.exit_code == 1 and result.output.startswith("error: ud: ")
    assert not (billed.root / "register.csv").exists() and not (billed.root / "register").exists()
    assert os.listdir(billed.root / "ud") == ["notes.txt"]


def test_a_file_where_the_kept_copies_belong_is_one_error_line_and_nothing_is_issued(billed):
    (billed.root / "register").write_text("not a folder", encoding="utf-8")
    result = run("invoices", "ud", "--year", "2026")
    assert result.exit_code == 1
    assert result.output.strip() == f"error: {billed.root / 'register'}: cannot write the file: Not a directory"
    assert not (billed.root / "register.csv").exists() and not (billed.root / "ud").exists()


def test_two_runs_started_together_issue_each_number_once(billed):
    def started(outdir: str) -> subprocess.Popen[str]:
        return subprocess.Popen([sys.executable, "-m", "costshare", "invoices", outdir, "--year", "2026", "-c", "alliance.yaml",
                                 "--lang", "en"], cwd=billed.root, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)  # fmt: skip

    first, second = started("a"), started("b")
    outcomes = sorted((process.wait(timeout=120), process.communicate()[0]) for process in (first, second))
    rows = rows_of(billed.root / "register.csv")
    assert len(rows) == len({row[0] for row in rows}) == 68 and [row[-1] for row in rows] == chain(rows)
    issued = [folder for folder in ("a", "b") if (billed.root / folder).exists()]
    assert len(issued) == 1 and len(list((billed.root / issued[0]).glob("*.xml"))) == 68
    assert outcomes[0][0] == 0 and outcomes[1][0] == 0  # the second waited for the first, and found nothing new to issue
    assert any(output.startswith("Nothing new to issue for budget year 2026") for _, output in outcomes)


def test_a_folder_where_the_register_belongs_is_one_error_line_for_every_command(billed):
    (billed.root / "register.csv").mkdir()
    for command in (["validate"], ["table"], ["invoices", "ud", "--year", "2026"]):
        result = run(*command)
        assert result.exit_code == 1
        assert result.output.strip() == "error: register.csv: the register is a folder (hint: give the path of a file)"


def test_register_without_billing_says_there_is_none(workspace):
    result = runner.invoke(app, ["register", "-c", "alliance.yaml", "--lang", "en"], catch_exceptions=False)
    assert result.exit_code == 0 and result.output.strip() == "The config bills no one: there is no register."


# --- the chain, as a property --------------------------------------------------------------------------------------

names = st.text(alphabet=st.sampled_from("abcæøå ,\"'-ÆØÅSorø"), min_size=1, max_size=12).filter(lambda name: name.strip() != "")


KINDS: list[Kind] = ["invoice", "credit_note"]
PURPOSES: list[Purpose] = ["aconto", "settlement"]


@st.composite
def issued_rows(draw: st.DrawFn) -> list[Issued]:
    count = draw(st.integers(1, 12))
    rows = []
    for index in range(count):
        day = date(2026, draw(st.integers(1, 12)), 1)
        kind = draw(st.sampled_from(KINDS))
        rows.append(Issued(f"KS-2026-{index:03d}-{draw(st.integers(1, 12))}", kind, draw(st.sampled_from(PURPOSES)),
                           2026, draw(st.sampled_from(CODES)), draw(names), draw(st.none() | st.integers(1, 12)), day, day, day,
                           day, draw(st.integers(0, 10**9)), draw(st.integers(0, 10**8)), "DKK",
                           tuple(f"KS-2026-{n:03d}-1" for n in range(draw(st.integers(0, 2)))), f"{index:064x}"))  # fmt: skip
    return rows


@settings(max_examples=60)
@given(rows=issued_rows(), cut=st.integers(0, 12), data=st.data())
def test_rows_appended_in_runs_read_back_as_written_and_any_field_changed_is_named_at_its_line(rows, cut, data):
    import tempfile

    from costshare.core.errors import DataError
    from costshare.io.register import EMPTY, append_rows, read_register

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "register.csv"
        register = append_rows(path, EMPTY, rows[:cut])
        append_rows(path, read_register(path, "register.csv"), rows[cut:])
        assert read_register(path, "register.csv").rows == tuple(rows)
        written = rows_of(path)
        assert [row[-1] for row in written] == chain(written) and register.rows == tuple(rows[:cut])
        index = data.draw(st.integers(0, len(written) - 1))
        field = data.draw(st.integers(0, len(HEADER) - 2))
        changed = [list(row) for row in written]
        changed[index][field] = data.draw(st.sampled_from(["X", "0", "1.00", "2026-02-01", "", "invoice"]).filter(
            lambda value: value != written[index][field]))  # fmt: skip
        buffer = io.StringIO()
        csv.writer(buffer, lineterminator="\n").writerows([HEADER, *changed])
        path.write_text(buffer.getvalue(), encoding="utf-8")
        with pytest.raises(DataError) as broken:
            read_register(path, "register.csv")
        assert [(problem.key, problem.location) for problem in broken.value.problems] == [("err_register_row", str(index + 2))]


def test_a_prefix_missing_is_said_with_every_other_reason_the_year_cannot_be_invoiced(billed):
    billed.replace_in_config("  prefix: KS\n", "")
    billed.replace_in_config('      reference: "Økonomi 340"\n', "")
    result = run("invoices", "ud", "--year", "2026")
    assert result.exit_code == 1
    lines = result.output.strip().splitlines()
    assert len(lines) == 2 and "Sorø (340)" in lines[0] and "no prefix for the invoice numbers" in lines[1]
