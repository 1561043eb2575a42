"""The agreement's record attacked as a careless or hostile user would: a register edited by hand with its hashes
recomputed, kept copies replaced by links, pipes and devices, names that are no text, a lock file that is not a file,
two runs of decide at once, a record of decided years whose rows of a year disagree or whose lines end in CR, an
output folder that is where the documents are kept, and a disk that fills while documents are issued.

Each asserts the house's promise: one error line naming the file and row, exit 1, no hang, nothing written or
left half-written. Hashes are recomputed here by the documented rule (docs/invoicing.md), never by program code.
"""

from __future__ import annotations

import csv
import fcntl
import hashlib
import io
import json
import os
import resource
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from .test_invoices import SENDER, billing
from .test_register import HEADER, ROW_HINT, run

START = "0" * 64
NOT_HOLD = "this row does not hold: it, or a row before it, was changed, removed or moved since costshare wrote it"


@pytest.fixture
def billed(workspace):
    workspace.config.write_text(workspace.config.read_text(encoding="utf-8") + SENDER + billing(), encoding="utf-8")
    return workspace


def rehashed(root: Path, change: Callable[[list[list[str]]], None]) -> None:
    """The register with `change` made to its rows and every hash recomputed, as a user who read docs/invoicing.md
    could: the chain then holds."""
    path = root / "register.csv"
    with path.open(encoding="utf-8", newline="") as handle:
        header, *rows = list(csv.reader(handle))
    assert header == HEADER
    change(rows)
    head, buffer = START, io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    for row in rows:
        head = hashlib.sha256(json.dumps([head, *row[:-1]], ensure_ascii=False, separators=(",", ":")).encode("utf-8")).hexdigest()
        writer.writerow([*row[:-1], head])
    path.write_text(buffer.getvalue(), encoding="utf-8")


def first_quarter(root: Path) -> None:
    result = run("invoices", "ud", "--year", "2026", "--date", "2026-01-05", "--until", "2026-03-31")
    assert result.exit_code == 0, result.output
    assert len((root / "register.csv").read_text(encoding="utf-8").splitlines()) == 18


def refused_everywhere(root: Path) -> str:
    """validate's one line, which invoices says too, issuing nothing."""
    register = (root / "register.csv").read_bytes()
    validated = run("validate")
    assert validated.exit_code == 1
    issued = run("invoices", "ud2", "--year", "2026", "--date", "2026-04-01")
    assert issued.exit_code == 1 and issued.output == validated.output
    assert (root / "register.csv").read_bytes() == register and not (root / "ud2").exists()
    assert [name for name in os.listdir(root / "register") if name.startswith(".")] == []
    lines = str(validated.output).strip().splitlines()
    assert len(lines) == 1
    return lines[0]


def process(root: Path, *args: str, limit: int | None = None) -> subprocess.CompletedProcess[str]:
    """costshare as its own process (a hang is a failed test, not a stuck one), optionally under `ulimit -f`."""
    inherited = {name: value for name, value in os.environ.items() if limit is None or not name.startswith("COVERAGE_")}
    return subprocess.run(
        [sys.executable, "-m", "costshare", *args, "-c", "alliance.yaml", "--lang", "en"], cwd=root, capture_output=True,
        text=True, timeout=60, env=inherited,
        preexec_fn=(lambda: resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))) if limit is not None else None,
    )  # fmt: skip


# --- a register edited by hand, its hashes recomputed ---------------------------------------------------------------


def test_an_amount_changed_with_the_hashes_recomputed_is_named_where_the_row_leaves_its_document(billed):
    first_quarter(billed.root)

    def change(rows: list[list[str]]) -> None:
        assert rows[0][11:14] == ["11061.00", "0.00", "11061.00"]  # Greve's first quarter, a quarter of 44.243 kr.
        rows[0][11], rows[0][13] = "11062.00", "11062.00"

    rehashed(billed.root, change)
    line = (
        "error: register.csv:2: this row does not say what its kept document KS-2026-253-1.xml says (TaxExclusiveAmount): "
        f"the row was changed after costshare wrote it {ROW_HINT}"
    )
    assert refused_everywhere(billed.root) == line
    settled = run("settle", "--year", "2026")  # a settlement is never set against a register that does not hold
    assert settled.exit_code == 1 and settled.output.strip() == line


def test_a_row_for_a_member_the_agreement_does_not_have_is_named_at_its_row(billed):
    first_quarter(billed.root)

    def change(rows: list[list[str]]) -> None:
        stranger = list(rows[0])
        stranger[0], stranger[4] = "KS-2026-999-1", "999"
        rows.append(stranger)

    rehashed(billed.root, change)
    copies = billed.root / "register"
    (copies / "KS-2026-999-1.xml").write_bytes((copies / "KS-2026-253-1.xml").read_bytes())
    assert refused_everywhere(billed.root) == (
        "error: register.csv:19: this row does not say what its kept document KS-2026-999-1.xml says (ID): "
        f"the row was changed after costshare wrote it {ROW_HINT}"
    )


@pytest.mark.parametrize(
    ("column", "value"),
    [
        (5, "\x1b[31mGreve\x1b]0;title\x07"),  # a terminal escape in a name
        (5, "Gre\x00ve"),
        (5, '=HYPERLINK("http://x","y")\u202e'),  # a direction override: the name would not read as it is
        (5, "G" * 501),
        (6, "\u0663"),  # ARABIC-INDIC DIGIT THREE: a digit to int(), not to the register
        (3, "0000"),
        (9, "2199-12-31"),  # issued after it falls due
        (9, "20260105"),
    ],
    ids=["escape", "nul", "bidi", "long", "digit", "year-0", "issued-after-due", "basic-date"],
)
def test_a_field_costshare_never_writes_is_named_at_its_row_even_with_the_chain_recomputed(billed, column, value):
    first_quarter(billed.root)

    def change(rows: list[list[str]]) -> None:
        rows[3][column] = value

    rehashed(billed.root, change)
    assert refused_everywhere(billed.root) == f"error: register.csv:5: {NOT_HOLD} {ROW_HINT}"
    result = run("register", "--out", "debtors.xlsx")
    assert result.exit_code == 1 and not (billed.root / "debtors.xlsx").exists()


# --- kept copies that are not the documents issued ----------------------------------------------------------------


def test_a_kept_copy_changed_is_found_by_validate_and_invoices_issues_nothing(billed):
    first_quarter(billed.root)
    kept = billed.root / "register" / "KS-2026-340-1.xml"
    kept.write_bytes(kept.read_bytes().replace(b"6538.00", b"6000.00"))
    assert refused_everywhere(billed.root) == (
        f"error: {kept}: the kept copy of KS-2026-340-1 is not the document issued: its SHA-256 differs from the register's {ROW_HINT}"
    )


def test_a_kept_copy_replaced_by_a_link_to_another_file_is_never_reprinted(billed):
    first_quarter(billed.root)
    kept = billed.root / "register" / "KS-2026-253-1.xml"
    kept.unlink()
    kept.symlink_to(billed.root / "population.csv")
    assert refused_everywhere(billed.root).startswith(f"error: {kept}: the kept copy of KS-2026-253-1 is not the document issued")
    result = run("invoices", "again", "--year", "2026", "--reprint")
    assert result.exit_code == 1 and not (billed.root / "again").exists()


def special(kind: str, path: Path) -> None:
    path.unlink()
    if kind == "fifo":
        os.mkfifo(path)
    elif kind == "folder":
        path.mkdir()
    else:
        path.symlink_to(kind)


@pytest.mark.parametrize("kind", ["fifo", "/dev/zero", "/dev/urandom", "folder"])
def test_a_kept_copy_that_is_no_file_is_one_line_never_a_hang(billed, kind):
    first_quarter(billed.root)
    kept = billed.root / "register" / "KS-2026-253-1.xml"
    special(kind, kept)
    for args in (["validate"], ["invoices", "again", "--year", "2026", "--reprint"], ["invoices", "ud2", "--year", "2026"]):
        result = process(billed.root, *args)
        assert result.returncode == 1, args
        assert result.stderr.strip().startswith(f"error: {kept}: the kept copy is "), result.stderr
        assert len(result.stderr.strip().splitlines()) == 1
    assert not (billed.root / "again").exists() and not (billed.root / "ud2").exists()


def test_output_into_the_folder_of_kept_copies_is_refused_before_anything_is_issued(billed):
    for outdir in ("register", "register/2026"):
        result = run("invoices", outdir, "--year", "2026")
        assert result.exit_code == 1
        assert result.output.strip() == (
            f"error: {outdir}: is the folder the register keeps its issued documents in; costshare writes there itself "
            "(hint: give the name of a new or empty folder)"
        )
    assert not (billed.root / "register.csv").exists() and not (billed.root / "register").exists()


# --- the lock -----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["link", "dangling link", "fifo"])
def test_a_lock_file_that_is_not_a_file_is_refused_and_nothing_elsewhere_is_touched(billed, kind, tmp_path_factory):
    first_quarter(billed.root)
    elsewhere = tmp_path_factory.mktemp("elsewhere")
    lock = billed.root / "register.csv.lock"
    lock.unlink()
    if kind == "fifo":
        os.mkfifo(lock)
    else:
        target = elsewhere / "other.txt"
        if kind == "link":
            target.write_text("someone's file\n", encoding="utf-8")
        lock.symlink_to(target)
    register = (billed.root / "register.csv").read_bytes()
    result = process(billed.root, "invoices", "ud2", "--year", "2026", "--date", "2026-04-01")
    assert result.returncode == 1
    assert result.stderr.strip() == (
        "error: register.csv: the lock file register.csv.lock is not a regular file (a link, pipe, device or folder); "
        "nothing was written (hint: remove it; costshare makes the lock file itself)"
    )
    assert (billed.root / "register.csv").read_bytes() == register and not (billed.root / "ud2").exists()
    assert [path.read_text(encoding="utf-8") for path in elsewhere.iterdir()] == (["someone's file\n"] if kind == "link" else [])


# --- a full disk --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("limit", "failing"),
    [(3000, "register/KS-2026-253-2.xml"), (10_000, "register.csv")],  # a copy (4,7 kB) fails, or the register's append
    ids=["copies", "register"],
)
def test_a_disk_that_fills_while_documents_are_issued_leaves_nothing_behind(billed, limit, failing):
    # documents of a few kilobytes, without the statement (about 17 kB), so that the register outgrows any one copy
    billed.replace_in_config("  prefix: KS\n", "  prefix: KS\n  attach_statement: false\n")
    first_quarter(billed.root)
    register = (billed.root / "register.csv").read_bytes()
    kept = sorted(os.listdir(billed.root / "register"))
    assert max(len((billed.root / "register" / name).read_bytes()) for name in kept) < 10_000 < 4 * len(register)
    result = process(billed.root, "invoices", "ud2", "--year", "2026", "--date", "2026-04-01", limit=limit)
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"error: {billed.root / failing}: cannot write") and "File too large" in lines[0]
    assert (billed.root / "register.csv").read_bytes() == register
    assert sorted(os.listdir(billed.root / "register")) == kept and not (billed.root / "ud2").exists()
    assert run("invoices", "ud2", "--year", "2026", "--date", "2026-04-01").exit_code == 0  # and the next run issues


# --- the record of decided years ----------------------------------------------------------------------------------


@pytest.fixture
def recorded(workspace):
    workspace.config.write_text(workspace.config.read_text(encoding="utf-8") + "decided: vedtaget.csv\n", encoding="utf-8")
    assert run("decide", "--year", "2023", "--reference", "KKR 1").exit_code == 0
    return workspace


def test_rows_of_one_year_that_disagree_on_the_decision_are_named_at_the_row(recorded):
    path = recorded.root / "vedtaget.csv"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    assert lines[3].startswith("2023,265,") and ",KKR 1,no," in lines[3]
    lines[3] = lines[3].replace(",KKR 1,no,", ",KKR 1,yes,")  # one member's row marked provisional
    path.write_text("".join(lines), encoding="utf-8")
    result = run("table")
    assert result.exit_code == 1
    assert result.output.strip() == (
        "error: vedtaget.csv:4: this row of budget year 2023 gives another reference, provisional mark or decision date "
        "than the year's first row (line 2) (hint: a year is decided once: every row of the year has the same reference, "
        "provisional and decided_on)"
    )


@pytest.mark.parametrize("ending", [b"\r", b"\r\n"], ids=["CR", "CRLF"])
def test_a_year_decided_in_a_record_saved_with_other_line_endings_is_appended_with_its_endings(recorded, ending):
    path = recorded.root / "vedtaget.csv"
    old = path.read_bytes().replace(b"\n", ending)
    path.write_bytes(old)
    assert run("decide", "--year", "2024", "--reference", "KKR 2").exit_code == 0
    data = path.read_bytes()
    assert data.startswith(old) and data.count(ending) == 1 + 17 + 17
    assert b"\n" not in data if ending == b"\r" else data.count(b"\n") == data.count(b"\r\n")
    validated = run("validate")
    assert validated.exit_code == 0 and "Decided budget years: 2023 and 2024;" in validated.output


def test_decide_while_another_decide_holds_the_record_waits_then_refuses_and_writes_nothing(recorded):
    path = recorded.root / "vedtaget.csv"
    before = path.read_bytes()
    with open(recorded.root / "vedtaget.csv.lock", "a") as held:
        fcntl.flock(held, fcntl.LOCK_EX)
        result = process(recorded.root, "decide", "--year", "2024", "--reference", "KKR 2")
    assert result.returncode == 1
    assert result.stderr.strip() == (
        "error: vedtaget.csv: another costshare run is writing to the record of decided years; nothing was written "
        "(hint: run decide again when the other run has finished)"
    )
    assert path.read_bytes() == before


def test_two_decides_started_together_for_two_years_both_stand(recorded):
    def started(year: str) -> subprocess.Popen[str]:
        return subprocess.Popen([sys.executable, "-m", "costshare", "decide", "--year", year, "--reference", f"KKR {year}",
                                 "-c", "alliance.yaml", "--lang", "en"], cwd=recorded.root, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True)  # fmt: skip

    runs = [started(year) for year in ("2024", "2025", "2026")]
    assert [process.wait(timeout=120) for process in runs] == [0, 0, 0]
    years = [line.split(",")[0] for line in (recorded.root / "vedtaget.csv").read_text(encoding="utf-8").splitlines()[1:]]
    assert sorted(set(years)) == ["2023", "2024", "2025", "2026"] and len(years) == 4 * 17


# --- dates on the command line ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("9999-12-31", "9999-12-31 is outside the years 1900–2199"),
        ("0001-01-01", "0001-01-01 is outside the years 1900–2199"),
        ("2026-02-30", "'2026-02-30' is not a date (write it as YYYY-MM-DD, e.g. 2026-01-05)"),
    ],
)
def test_a_day_outside_the_years_costshare_handles_is_called_that_not_a_non_date(billed, given, expected):
    from .conftest import usage_line

    result = run("invoices", "ud", "--year", "2026", "--date", given)
    assert result.exit_code == 2
    assert usage_line(result.output) == f"Invalid value for --date: {expected}"
    assert not (billed.root / "register.csv").exists()


def test_a_reference_a_spreadsheet_would_run_as_a_formula_is_refused_before_anything_is_written(recorded):
    from .conftest import usage_line

    before = (recorded.root / "vedtaget.csv").read_bytes()
    for reference in ('=HYPERLINK("http://example.com","KKR")', "+4", "@SUM(A1)", "-1"):
        result = run("decide", "--year", "2024", "--reference", reference)
        assert result.exit_code == 2
        assert usage_line(result.output) == (
            f"Invalid value for --reference: a reference cannot begin with {reference[0]}: a spreadsheet opening the record "
            "would run it as a formula"
        )
    assert (recorded.root / "vedtaget.csv").read_bytes() == before
    assert run("decide", "--year", "2024", "--reference", "KKR Sjælland 15. oktober 2026, pkt. 4 (= indstillingen)").exit_code == 0


def test_a_record_in_a_folder_that_does_not_exist_is_named_by_its_folder(recorded):
    recorded.replace_in_config("decided: vedtaget.csv", "decided: nowhere/vedtaget.csv")
    result = run("decide", "--year", "2024", "--reference", "KKR 2")
    assert result.exit_code == 1
    assert result.output.strip().splitlines()[-1] == f"error: nowhere/vedtaget.csv: folder {recorded.root / 'nowhere'} does not exist"
    assert not (recorded.root / "nowhere").exists()


def test_a_kept_copy_that_declares_entities_is_never_expanded(billed):
    """A copy swapped for an entity bomb, its SHA-256 and the chain recomputed to match: refused unread, at once."""
    first_quarter(billed.root)
    entities = "".join(f'<!ENTITY e{n} "{f"&e{n - 1};" * 10}">' for n in range(1, 12))
    bomb = f'<?xml version="1.0"?><!DOCTYPE Invoice [<!ENTITY e0 "ha">{entities}]><Invoice>&e11;</Invoice>'.encode()
    (billed.root / "register" / "KS-2026-253-1.xml").write_bytes(bomb)

    def change(rows: list[list[str]]) -> None:
        rows[0][16] = hashlib.sha256(bomb).hexdigest()

    rehashed(billed.root, change)
    result = process(billed.root, "validate")
    assert result.returncode == 1
    assert result.stderr.strip() == (
        "error: register.csv:2: this row does not say what its kept document KS-2026-253-1.xml says (document): "
        f"the row was changed after costshare wrote it {ROW_HINT}"
    )


def test_a_year_outside_the_agreement_in_the_record_is_named_at_its_line(recorded):
    path = recorded.root / "vedtaget.csv"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    path.write_text("".join([*lines, lines[1].replace("2023,", "2030,", 1)]), encoding="utf-8")
    result = run("table")
    assert result.exit_code == 1
    assert result.output.strip() == (
        "error: vedtaget.csv:19: 2030 is not a budget year of the agreement (2023–2028) (hint: a decided year must be one of "
        "the agreement's budget years)"
    )


# --- an output over the history -----------------------------------------------------------------------------------


def test_no_output_replaces_the_register_the_record_or_a_kept_copy_force_or_not(billed):
    billed.config.write_text(billed.config.read_text(encoding="utf-8") + "decided: vedtaget.csv\n", encoding="utf-8")
    first_quarter(billed.root)
    assert run("decide", "--year", "2023", "--reference", "KKR 1").exit_code == 0
    history = {name: (billed.root / name).read_bytes() for name in ("register.csv", "vedtaget.csv", "register/KS-2026-253-1.xml")}
    attempts = [
        ["register", "--out", "register.csv"],
        ["export", "vedtaget.csv"],
        ["export", "register.csv.lock", "--format", "csv"],
        ["statement", "340", "--out", "register/KS-2026-253-1.xml", "--format", "txt"],
        ["compare", "alliance.yaml", "--out", "vedtaget.csv"],
    ]
    for args in attempts:
        result = run(*args, "--force")
        out = args[args.index("--out") + 1] if "--out" in args else args[1]
        assert result.exit_code == 1, args
        assert result.output.strip().splitlines()[-1] == (
            f"error: {out}: is the agreement's history (the register, the record of decided years, their lock or a kept "
            "document); an output never replaces it, --force or not"
        )
    assert {name: (billed.root / name).read_bytes() for name in history} == history
    assert run("validate").exit_code == 0


def test_no_output_replaces_the_config_or_a_file_it_reads_force_or_not(billed):
    """The config, its population figures and its weights files were not written by costshare: --force never
    replaces them, by their own name, through a symbolic link or by a hard link."""
    (billed.root / "timer.csv").write_text("year,code,value\n", encoding="utf-8")
    billed.config.write_text(billed.config.read_text(encoding="utf-8") + "weights:\n  timer: timer.csv\n", encoding="utf-8")
    (billed.root / "link.csv").symlink_to("population.csv")
    os.link(billed.root / "population.csv", billed.root / "hard.csv")
    inputs = {name: (billed.root / name).read_bytes() for name in ("alliance.yaml", "population.csv", "timer.csv")}
    attempts = [
        ["export", "population.csv"],
        ["export", "link.csv"],
        ["export", "hard.csv"],
        ["export", "timer.csv"],
        ["export", "alliance.yaml", "--format", "json"],
        ["register", "--out", "population.csv"],
        ["statement", "340", "--out", "alliance.yaml", "--format", "txt"],
        ["compare", "alliance.yaml", "--out", "population.csv"],
    ]
    for args in attempts:
        result = run(*args, "--force")
        out = args[args.index("--out") + 1] if "--out" in args else args[1]
        assert (result.exit_code, result.output.strip().splitlines()[-1]) == (
            1,
            f"error: {out}: is one of the files the config is made of or reads (the config itself, the population figures or a "
            "weights file); an output never replaces it, --force or not",
        ), args
    assert {name: (billed.root / name).read_bytes() for name in inputs} == inputs
