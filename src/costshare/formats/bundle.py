"""Folders of files: the secretariat's yearly bundle (every file for every member, made from one View) and a year's
e-invoices.

io/folder.write_folder writes a folder at once (a failure or Ctrl+C leaves no partial folder) and adds
SHA256SUMS, which lists every file in the format `sha256sum -c` reads.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable
from datetime import date, datetime
from typing import TYPE_CHECKING

from .registry import INVOICE, REPORT, SPLIT, Options, statement_files

if TYPE_CHECKING:
    from ..app.view import Document, Invoiceable, View
    from ..words import Lang


NAME_IN_FILE_NAME = 60  # characters of the name: with the code and suffix, well inside any file system's limit


def file_name(code: str, name: str) -> str:
    """'340-Sorø': the code, then the name (its first NAME_IN_FILE_NAME characters) with anything a file system
    might refuse replaced by '_'. The code keeps two members' file names apart however their names begin."""
    safe = re.sub(r"[^0-9A-Za-zÆØÅæøåÄÖÜäöüÉéÈèÁáÍíÓóÚú .-]+", "_", name[:NAME_IN_FILE_NAME]).strip(" .")
    return f"{code}-{safe or code}"


def bundle_files(view: View, lang: Lang, generated_at: datetime, day: date, progress: Callable[[str], None]) -> dict[str, bytes]:
    """Every file of the bundle by its path inside OUTDIR (the folder writer adds SHA256SUMS); the statements and the
    report name `day`."""
    options = Options(lang, generated_at, day=day)
    files: dict[str, bytes] = {}
    for name, writer in (
        ("budget.xlsx", SPLIT["xlsx"]),
        ("budget.csv", SPLIT["csv"]),
        ("budget.json", SPLIT["json"]),
        ("report.html", REPORT["html"]),
    ):
        progress(name)
        files[name] = writer(view, options)
    for code in view.codes:
        stem = f"statements/{file_name(code, view.name(code))}"
        progress(stem)
        written = statement_files(view, Options(lang, generated_at, code=code, day=day), ("pdf", "md"))
        files.update({f"{stem}.{fmt}": content for fmt, content in written.items()})
    return files


def invoice_files(view: View, billed: Invoiceable, documents: tuple[Document, ...], lang: Lang) -> dict[str, bytes]:
    """Every e-invoice or credit note of the invoiceable year `billed` by its file name, '2026-340-1.xml', each with
    the member's statement for the year attached (unless the config leaves it out), which lists these documents as
    issued (they are, once the statement is read) and, for settlement documents, the settlement they bill."""
    from ..documents.invoices import invoice

    attach = billed.invoicing.attach_statement
    statements: dict[tuple[str, int, date], bytes] = {}  # one per member, year and issue date, however many instalments
    files = {}
    issuing = dataclasses.replace(view, issuing=documents)
    for document in documents:
        key = (document.code, document.year, document.issued)
        if attach and key not in statements:
            statements[key] = year_statement_pdf(issuing, *key, lang)
        files[document.file_name] = INVOICE["ubl"](invoice(view, billed, document, lang, statements.get(key)))
    return files


def year_statement_pdf(view: View, code: str, year: int, day: date, lang: Lang) -> bytes:
    """The member's statement of budget year `year` as a PDF dated `day`: the same bytes for the same View and day."""
    of_year = dataclasses.replace(view, selection=(year,))
    made = datetime(day.year, day.month, day.day)
    return statement_files(of_year, Options(lang, made, code=code, day=day), ("pdf",))["pdf"]
