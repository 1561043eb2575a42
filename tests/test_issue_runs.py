"""Issuing a budget year in runs: dated --date and due on a Danish bank day, the instalments up to --until, nothing
issued twice, a change after issuing carried by what is issued later; and the statements, the report and the
workbook tell the documents issued from those still planned."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from lxml import etree
from typer.testing import CliRunner

from costshare.app.bankdays import closed_days
from costshare.app.billing import with_register, year_invoices
from costshare.app.pipeline import compute_loaded
from costshare.app.view import Document
from costshare.cli import app
from costshare.core.errors import IssueError
from costshare.core.issuing import due_date
from costshare.core.register import Issued
from costshare.io.config import load_config
from costshare.run import Run
from costshare.words.problems import problem_line

from .conftest import CODES, REGION_2023, usage_line
from .peppol_rules import NS
from .test_invoices import SENDER, billing, hamilton, sent, text, with_decision

runner = CliRunner()
POPULATION = dict(zip(CODES, REGION_2023, strict=True))


@pytest.fixture
def billed(workspace):
    workspace.config.write_text(with_decision(workspace.config.read_text(encoding="utf-8")) + SENDER + billing(), encoding="utf-8")
    return workspace


def on_day(today: date, lang: str = "en") -> Run:
    return Run(lang, (), datetime(today.year, today.month, today.day, 12, tzinfo=UTC), today)  # type: ignore[arg-type]


def computed(workspace, today: date, rows: tuple[Issued, ...] = ()):
    computation = compute_loaded(load_config(workspace.config), today=today)
    return with_register(computation, rows, today) if rows else computation


def kept(documents: tuple[Document, ...], view) -> tuple[Issued, ...]:
    """The documents as the register keeps them once issued."""
    return tuple(Issued(d.number, d.kind, d.purpose, d.year, d.code, view.name(d.code), d.instalment, d.start, d.end, d.issued, d.due,
                        d.net, d.vat, view.currency, d.references, "0" * 64) for d in documents)  # fmt: skip


# --- bank days -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("issued", "first", "due"),
    [
        (date(2026, 11, 24), date(2026, 10, 1), date(2026, 12, 28)),  # juleaftensdag, 1. juledag, a Saturday, 2. juledag a Sunday
        (date(2027, 2, 23), date(2027, 1, 1), date(2027, 3, 30)),  # skærtorsdag 25 March, langfredag, Easter, 2. påskedag 29 March
        (date(2026, 4, 14), date(2026, 4, 1), date(2026, 5, 18)),  # Kristi himmelfartsdag 14 May and the Friday after
        (date(2026, 5, 6), date(2026, 4, 1), date(2026, 6, 8)),  # grundlovsdag, Friday 5 June 2026
        (date(2026, 12, 1), date(2026, 10, 1), date(2026, 12, 31) + (date(2027, 1, 4) - date(2026, 12, 31))),  # nytår
        (date(2025, 12, 1), date(2026, 4, 1), date(2026, 4, 1)),  # a Wednesday: due the day the quarter begins
    ],
)
def test_a_document_falls_due_on_the_next_danish_bank_day(issued, first, due):
    closed = closed_days(range(2025, 2029))
    assert due_date(issued, 30, first, closed) == due


def test_1_may_is_a_bank_day():
    assert date(2026, 5, 1) not in closed_days([2026])


# --- runs ------------------------------------------------------------------------------------------------


def test_the_first_quarter_on_5_january_and_the_rest_after_a_raise_in_april_add_up_to_the_new_amount(billed):
    first = year_invoices(computed(billed, date(2026, 1, 5)), 2026, date(2026, 1, 5), date(2026, 3, 31))
    assert {d.instalment for d in first.documents} == {1} and len(first.documents) == 17
    assert {(d.issued, d.due) for d in first.documents} == {(date(2026, 1, 5), date(2026, 2, 4))}
    rows = kept(first.documents, first.view)
    billed.replace_in_config("yearly: 730000", "yearly: 800000")
    later = computed(billed, date(2026, 4, 2), rows)
    second = year_invoices(later, 2026, date(2026, 4, 2))
    assert not {d.number for d in second.documents} & {row.number for row in rows}
    assert {d.instalment for d in second.documents} == {2, 3, 4}
    # 2 April + 30 days is Saturday 2 May: due Monday 4 May; the later quarters on the day they begin
    assert {(d.instalment, d.due) for d in second.documents} == {(2, date(2026, 5, 4)), (3, date(2026, 7, 1)), (4, date(2026, 10, 1))}
    new = hamilton(800_000, POPULATION)
    for code in CODES:
        assert sum(row.net for row in rows if row.code == code) + sum(d.net for d in second.documents if d.code == code) == new[code] * 100
    assert (
        year_invoices(with_register(later, rows + kept(second.documents, later.view), date(2026, 4, 2)), 2026, date(2026, 4, 2)).documents
        == ()
    )


def test_an_amount_below_what_was_invoiced_is_a_valid_credit_note_referring_to_the_invoices(billed):
    from costshare.formats.bundle import invoice_files

    first = year_invoices(computed(billed, date(2026, 1, 5)), 2026, date(2026, 1, 5), date(2026, 6, 30))
    rows = kept(first.documents, first.view)
    billed.replace_in_config("yearly: 730000", "yearly: 100000")
    issue = year_invoices(computed(billed, date(2026, 7, 1), rows), 2026, date(2026, 7, 1))
    credit = next(d for d in issue.documents if d.code == "340")
    invoiced = sum(row.net for row in rows if row.code == "340")
    assert (credit.kind, credit.number, credit.net) == (
        "credit_note",
        "KS-2026-340-50",
        invoiced - hamilton(100_000, POPULATION)["340"] * 100,
    )
    assert credit.references == ("KS-2026-340-1", "KS-2026-340-2")
    assert len(issue.documents) == 17  # a credit note each, and no instalment: the two to come carry nothing
    xml = invoice_files(issue.view, issue.billed, (credit,), "en")["KS-2026-340-50.xml"]
    assert sent(xml) == []
    root = etree.fromstring(xml)
    assert root.xpath("cac:BillingReference/cac:InvoiceDocumentReference/cbc:ID/text()", namespaces=NS) == [
        "KS-2026-340-1",
        "KS-2026-340-2",
    ]
    assert text(root, "cbc:Note") == "Adjustment of the on-account payments for budget year 2026"


def test_a_date_before_the_registers_last_issue_date_is_refused_with_both_dates(billed):
    first = year_invoices(computed(billed, date(2026, 4, 2)), 2026, date(2026, 4, 2), date(2026, 6, 30))
    later = computed(billed, date(2026, 4, 1), kept(first.documents, first.view))
    with pytest.raises(IssueError) as raised:
        year_invoices(later, 2026, date(2026, 4, 1))
    assert [problem_line(item, "en") for item in raised.value.problems] == [
        "--date 2026-04-01 is before 2 April 2026, the last invoice date in the register (hint: issued documents are not dated back; "
        "give --date 2026-04-02 or later, or leave out --date for today)"
    ]


def invoke(*args: str, today: date = date(2026, 1, 5)):
    return runner.invoke(app, [*args, "-c", "alliance.yaml", "--lang", "en"], obj=on_day(today), catch_exceptions=False)


def test_until_issues_the_instalments_that_begin_by_it_dated_today(billed):
    result = invoke("invoices", "ud", "--year", "2026", "--until", "2026-04-01")
    assert result.exit_code == 0, result.output
    names = sorted(path.name for path in (billed.root / "ud").glob("KS-2026-340-*.xml"))
    assert names == ["KS-2026-340-1.xml", "KS-2026-340-2.xml"]
    assert {text(etree.fromstring(p.read_bytes()), "cbc:IssueDate") for p in (billed.root / "ud").glob("*.xml")} == {"2026-01-05"}


def test_a_run_with_nothing_new_to_issue_says_so_and_writes_nothing(billed):
    billed.replace_in_config("yearly: 730000", "yearly: 0")
    result = invoke("invoices", "ud", "--year", "2026", "--until", "2026-06-30")
    assert result.exit_code == 0 and not (billed.root / "ud").exists()
    assert result.stdout.strip() == "Nothing new to issue for budget year 2026 up to 30 June 2026; nothing written."


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (
            ["--until", "2027-01-01"],
            "error: --until 2027-01-01 is outside budget year 2026, which runs from 1 January 2026 to 31 December 2026",
        ),
        (["--year", "2023", "--until", "2023-03-01"], None),
    ],
)
def test_until_outside_the_budget_year_is_refused_naming_it(billed, args, expected):
    year = [] if "--year" in args else ["--year", "2026"]
    result = invoke("invoices", "ud", *year, *args)
    assert result.exit_code == 1 and not (billed.root / "ud").exists()
    said = expected or "error: --until 2023-03-01 is outside budget year 2023, which runs from 1 July 2023 to 31 December 2023"
    assert result.stderr.strip() == said


@pytest.mark.parametrize("given", ["5.1.2026", "2026-1-5", "2026-02-30", "２０２６-01-05", "i dag"])
def test_a_date_not_written_yyyy_mm_dd_is_a_usage_error_naming_the_option(billed, given):
    result = invoke("invoices", "ud", "--year", "2026", "--date", given)
    assert result.exit_code == 2
    assert usage_line(result.output) == f"Invalid value for --date: {given!r} is not a date (write it as YYYY-MM-DD, e.g. 2026-01-05)"


# --- what the documents say was issued -------------------------------------------------------------------


def test_the_statement_report_and_workbook_tell_the_issued_from_the_planned(billed):
    from costshare.documents.report import invoices_grid
    from costshare.documents.statement import statement_parts
    from costshare.documents.workbook import invoices_sheet

    first = year_invoices(computed(billed, date(2026, 1, 5)), 2026, date(2026, 1, 5), date(2026, 3, 31))
    computation = computed(billed, date(2026, 2, 1), kept(first.documents, first.view))
    view = computation.view
    facts = dict(statement_parts(view, "340", "da", date(2026, 2, 1)).facts)
    assert facts["E-fakturaer 2026 (udstedt)"] == "KS-2026-340-1 (6.538 kr., forfald 4. februar 2026)"
    assert facts["E-fakturaer 2026 (planlagt)"] == (
        "KS-2026-340-2 (6.538 kr., forfald 1. april 2026); KS-2026-340-3 (6.537 kr., forfald 1. juli 2026); "
        "KS-2026-340-4 (6.537 kr., forfald 1. oktober 2026)"
    )
    assert "E-fakturaer 2025 (udstedt)" not in facts and "E-fakturaer 2025 (planlagt)" in facts
    grid = invoices_grid(view, "en")
    assert grid is not None
    soro_2026 = [row for row in grid.rows if row[:2] == ["Sorø", "2026"]]
    assert [row[2] for row in soro_2026] == ["issued", "planned"] and soro_2026[0][3].startswith("KS-2026-340-1 ")
    sheet = invoices_sheet(view, "en")
    assert sheet is not None
    statuses = {(row[3], row[7] is not None, row[10]) for row in sheet.rows if row[0] == "340" and row[2] == 2026}
    assert statuses == {("KS-2026-340-1", True, "issued"), ("KS-2026-340-2", False, "planned"), ("KS-2026-340-3", False, "planned"),
                        ("KS-2026-340-4", False, "planned")}  # fmt: skip


def test_without_a_register_every_document_is_planned_and_none_issued(billed):
    from costshare.documents.workbook import invoices_sheet

    sheet = invoices_sheet(computed(billed, date(2026, 2, 1)).view, "da")
    assert sheet is not None and {row[10] for row in sheet.rows} == {"planlagt"} and {row[7] for row in sheet.rows} == {None}
