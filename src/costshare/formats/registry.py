"""Which writer makes which file: the one registry {document: {format: writer}}, and the one rule that picks a
format from --format and the output file's suffix for every command that writes a file.

The registry is the one list of the formats a document is written in: a command accepts those formats, its help
lists them, and the suffix rule knows them. A writer makes the document (documents/) and writes it in its format
(this folder); both are imported when called, so a command loads only the libraries its format needs (openpyxl,
reportlab).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from ..words import Lang

if TYPE_CHECKING:
    from ..app.compare import Comparison
    from ..app.invoicing import SettledYear
    from ..app.view import View
    from ..documents.invoices import Invoice
    from ..documents.statement import StatementParts

Layout = Literal["wide", "long"]
Document = Literal["split", "report", "statement", "comparison", "settlement", "invoice", "debtors"]


@dataclass(frozen=True)
class Options:
    """How a document is made: language, time of generation (only the workbook records it), CSV dialect and
    layout, the municipality a statement is for, and the day statements and the report name (`day`: the run's
    today or the --date given; None: the day of `generated_at`)."""

    lang: Lang
    generated_at: datetime
    dialect: str = "excel-da"
    layout: Layout = "wide"
    code: str = ""
    day: date | None = None

    @property
    def named_day(self) -> date:
        """The day a statement or the report names."""
        return self.day if self.day is not None else self.generated_at.date()


def _csv(view: View, options: Options) -> bytes:
    from ..documents.workbook import long_rows, wide_rows
    from .csv import DIALECTS, csv_table_bytes

    return csv_table_bytes(*(wide_rows if options.layout == "wide" else long_rows)(view, options.lang), DIALECTS[options.dialect])


def _json(view: View, options: Options) -> bytes:
    from ..documents.export import export_document
    from .json import json_bytes

    return json_bytes(export_document(view))


def _xlsx(view: View, options: Options) -> bytes:
    from ..documents.workbook import split_workbook
    from .xlsx import workbook_bytes

    return workbook_bytes(split_workbook(view, options.lang, options.generated_at))


def _html(view: View, options: Options) -> bytes:
    from ..documents.report import report
    from .html import report_html

    return report_html(report(view, options.lang, options.named_day))


def statement_files(view: View, options: Options, formats: tuple[str, ...]) -> dict[str, bytes]:
    """The statement for `options.code` in each of `formats`, by format: what it says gathered once for all of them."""
    from ..documents.statement import statement_parts

    parts = statement_parts(view, options.code, options.lang, options.named_day)
    return {fmt: STATEMENT_OF_PARTS[fmt](parts, view) for fmt in formats}


def _statement_txt(view: View, options: Options) -> bytes:
    return statement_files(view, options, ("txt",))["txt"]


def _statement_md(view: View, options: Options) -> bytes:
    return statement_files(view, options, ("md",))["md"]


def _statement_pdf(view: View, options: Options) -> bytes:
    return statement_files(view, options, ("pdf",))["pdf"]


def _txt_of(parts: StatementParts, view: View) -> bytes:
    from .txt import statement_txt

    return statement_txt(parts)


def _md_of(parts: StatementParts, view: View) -> bytes:
    from .md import statement_md

    return statement_md(parts)


def _pdf_of(parts: StatementParts, view: View) -> bytes:
    from .pdf import statement_pdf

    return statement_pdf(parts, view.sources.generated_by)


def _comparison_csv(comparison: Comparison, options: Options) -> bytes:
    from ..documents.comparison import comparison_rows
    from .csv import DIALECTS, csv_table_bytes

    return csv_table_bytes(*comparison_rows(comparison, options.lang), DIALECTS["excel-da"])


def _comparison_json(comparison: Comparison, options: Options) -> bytes:
    from ..documents.comparison import comparison_record
    from .json import json_bytes

    return json_bytes(comparison_record(comparison))


def _comparison_xlsx(comparison: Comparison, options: Options) -> bytes:
    from ..documents.comparison import comparison_workbook
    from .xlsx import workbook_bytes

    return workbook_bytes(comparison_workbook(comparison, options.lang, options.generated_at))


def _settlement_csv(settled: SettledYear, options: Options) -> bytes:
    from ..documents.settlement import settlement_rows
    from .csv import DIALECTS, csv_table_bytes

    return csv_table_bytes(*settlement_rows(settled, options.lang), DIALECTS["excel-da"])


def _settlement_json(settled: SettledYear, options: Options) -> bytes:
    from ..documents.settlement import settlement_record
    from .json import json_bytes

    return json_bytes(settlement_record(settled))


def _settlement_xlsx(settled: SettledYear, options: Options) -> bytes:
    from ..documents.settlement import settlement_workbook
    from .xlsx import workbook_bytes

    return workbook_bytes(settlement_workbook(settled, options.lang, options.generated_at))


def _debtors_csv(view: View, options: Options) -> bytes:
    from ..documents.register import debtor_rows
    from .csv import DIALECTS, csv_table_bytes

    return csv_table_bytes(*debtor_rows(view, options.lang), DIALECTS["excel-da"])


def _debtors_xlsx(view: View, options: Options) -> bytes:
    from ..documents.register import debtor_workbook
    from .xlsx import workbook_bytes

    return workbook_bytes(debtor_workbook(view, options.lang, options.generated_at))


def _invoice_ubl(invoice: Invoice) -> bytes:
    from .ubl import invoice_xml

    return invoice_xml(invoice)


# The split (`export`, and the bundle's budget files); report.html (the bundle's); one member's statement; the
# what-if comparison; a year's settlement; an e-invoice; the register's debtor list. Each table's order is the order a command's help lists its
# formats in.
SPLIT: dict[str, Callable[[View, Options], bytes]] = {"csv": _csv, "json": _json, "xlsx": _xlsx}
REPORT: dict[str, Callable[[View, Options], bytes]] = {"html": _html}
STATEMENT: dict[str, Callable[[View, Options], bytes]] = {"txt": _statement_txt, "md": _statement_md, "pdf": _statement_pdf}
# A statement's writers from what it says, for a statement written in more than one format (the bundle's PDF and Markdown).
STATEMENT_OF_PARTS: dict[str, Callable[[StatementParts, View], bytes]] = {"txt": _txt_of, "md": _md_of, "pdf": _pdf_of}
COMPARISON: dict[str, Callable[[Comparison, Options], bytes]] = {"csv": _comparison_csv, "json": _comparison_json, "xlsx": _comparison_xlsx}
SETTLEMENT: dict[str, Callable[[SettledYear, Options], bytes]] = {
    "csv": _settlement_csv,
    "json": _settlement_json,
    "xlsx": _settlement_xlsx,
}
INVOICE: dict[str, Callable[[Invoice], bytes]] = {"ubl": _invoice_ubl}
DEBTORS: dict[str, Callable[[View, Options], bytes]] = {"csv": _debtors_csv, "xlsx": _debtors_xlsx}  # the register's debtor list
REGISTRY: dict[Document, Mapping[str, Callable[..., bytes]]] = {
    "split": SPLIT,
    "report": REPORT,
    "statement": STATEMENT,
    "comparison": COMPARISON,
    "settlement": SETTLEMENT,
    "invoice": INVOICE,
    "debtors": DEBTORS,
}
BINARY = frozenset({"xlsx", "pdf"})  # never written to a terminal
# The suffixes of the files a command writes in the format its user chooses (an e-invoice's file is named by its number).
KNOWN = frozenset(fmt for document, writers in REGISTRY.items() if document != "invoice" for fmt in writers)


def formats_of(document: Document) -> tuple[str, ...]:
    """The formats `document` is written in: the formats its command accepts, in the order its help lists them."""
    return tuple(REGISTRY[document])


class FormatMismatchError(ValueError):
    """--format names one format and the output file's suffix another."""

    def __init__(self, suffix: str, given: str) -> None:
        super().__init__(suffix, given)
        self.suffix, self.given = suffix, given


def choose_format(out: str | None, given: str | None, choices: tuple[str, ...]) -> str | None:
    """The format to write `out` in: --format when given, else its suffix when one of `choices`; None when
    neither says. A suffix costshare knows that contradicts --format (out.json --format csv) is refused."""
    suffix = Path(out).suffix.lower().lstrip(".") if out and out != "-" else ""
    if given:
        if suffix in KNOWN and suffix != given:
            raise FormatMismatchError(suffix, given)
        return given
    return suffix if suffix in choices else None
