"""The commands from figure to money: `invoices` writes a year's Peppol e-invoices, `settle` shows its settlement."""

from __future__ import annotations

import sys
from collections.abc import Mapping
from datetime import date
from typing import TYPE_CHECKING, Annotated

import typer

from ..run import Run, agreement_language
from ..words import Lang
from .base import (
    ConfigOption,
    ForceOption,
    FormatsHelp,
    LangOption,
    YearOption,
    YearSpan,
    budget_year_spans,
    budget_years,
    loading,
    new_folder,
    one_year,
    output_format,
    print_wide,
    reports_errors,
    said_kept,
    save,
)
from .dates import day_of

if TYPE_CHECKING:
    from ..app.billing import Issue
    from ..app.pipeline import Computation

# one budget year: given several (--year 2026 --year 2027, or 2026-2027), the command refuses them (one_year)
BillingYearOption = Annotated[
    list[YearSpan], typer.Option("--year", "-y", metavar="metavar_year", parser=budget_year_spans, help="help_billing_year")
]


IssueDateOption = Annotated[date | None, typer.Option("--date", metavar="metavar_date", parser=day_of("--date"), help="help_issue_date")]
UntilOption = Annotated[date | None, typer.Option("--until", metavar="metavar_date", parser=day_of("--until"), help="help_until")]


@reports_errors
def invoices(
    run: Run,
    outdir: Annotated[
        str, typer.Argument(metavar="metavar_outdir", callback=new_folder, help="help_a_new_or_empty_folder_for_the_invoices")
    ],
    years: BillingYearOption,
    config: ConfigOption = None,
    settlement: Annotated[bool, typer.Option("--settlement", metavar="metavar_flag", help="help_settlement")] = False,
    issue_date: IssueDateOption = None,
    until: UntilOption = None,
    reprint: Annotated[bool, typer.Option("--reprint", metavar="metavar_flag", help="help_reprint")] = False,
    lang: LangOption = None,
    force: ForceOption = False,
) -> None:
    """A budget year's a conto invoices (or, with --settlement, its settlement) as Peppol BIS Billing 3.0 files, dated
    --date (today when not given), each issued once and kept in the register; --reprint writes the year's issued
    documents again."""
    from ..app.billing import settlement_invoices, year_invoices
    from ..app.register import issue_documents, refuse_kept_folder, to_issue
    from ..documents.settlement import settlement_notes
    from ..formats.bundle import invoice_files
    from ..io.folder import check_folder
    from ..words import label

    year = one_year(years)
    with loading(run, config, lang) as (loaded, chosen):
        budget_years([year], loaded.config)  # a year outside the agreement is a usage error
        refuse_kept_folder(loaded.config, outdir)
        if reprint:
            _reprint(loaded, year, outdir, force, chosen)
            return
        on = issue_date or run.today

        def planned(computation: Computation) -> Issue:
            return settlement_invoices(computation, year, on) if settlement else year_invoices(computation, year, on, until)

        issue = to_issue(loaded, lambda: planned(loaded))
        for line in settlement_notes(issue.settled, chosen) if issue.settled is not None else ():
            print(line, file=sys.stderr)
        issuing = None
        sent_in = agreement_language(loaded.config.model.locale, chosen)  # the e-invoices speak the agreement's language
        if issue.documents:  # planned as the register stood when read; issued as it stands under its lock
            issuing = issue_documents(loaded, on, planned, lambda fresh: invoice_files(fresh.view, fresh.billed, fresh.documents, sent_in),
                                      lambda: check_folder(outdir, force))  # fmt: skip
        if issuing is None or not issuing.documents:
            print(_nothing_new(loaded, year, settlement, until, chosen))
            return
        _write_issued(outdir, issuing.files, force, chosen)
        key = "invoices_wrote_settlement" if settlement else "invoices_wrote"
        print(label(key, chosen, count=len(issuing.documents), folder=outdir, year=year), file=sys.stderr)


def _nothing_new(loaded: Computation, year: int, settlement: bool, until: date | None, lang: Lang) -> str:
    """What a run with nothing to issue says: no settlement, or nothing new up to --until (the year's end)."""
    from ..words import label
    from ..words.display import format_long_date

    if settlement:
        return label("invoices_none", lang, year=year)
    last = until or loaded.view.period(year).period.end
    return label("invoices_nothing_new", lang, year=year, until=format_long_date(last, lang))


def _write_issued(outdir: str, files: Mapping[str, bytes], force: bool, lang: Lang) -> None:
    """The issued documents into OUTDIR (they are kept beside the register whatever happens here)."""
    from ..io.folder import write_folder
    from ..words import label

    written = write_folder(outdir, files, force, said_kept(outdir, lang))
    if written.kept is not None:
        print(label("bundle_kept", lang, folder=written.kept), file=sys.stderr)


def _reprint(loaded: Computation, year: int, outdir: str, force: bool, lang: Lang) -> None:
    from ..app.register import reprint
    from ..io.folder import check_folder
    from ..words import label

    files = reprint(loaded, year)
    check_folder(outdir, force)
    _write_issued(outdir, files, force, lang)
    print(label("invoices_reprinted", lang, count=len(files), folder=outdir, year=year), file=sys.stderr)


@reports_errors
def settle(
    run: Run,
    years: BillingYearOption,
    config: ConfigOption = None,
    out: Annotated[
        str | None, typer.Option("--out", "-o", metavar="metavar_file", help=FormatsHelp("help_settle_out", "settlement"))
    ] = None,
    lang: LangOption = None,
    force: ForceOption = False,
) -> None:
    """A finished budget year's settlement: what each member was invoiced, its share of the actual cost, the difference."""
    from ..app.billing import settled_year
    from ..app.register import refuse_broken_register
    from ..documents.settlement import settlement_lines, settlement_table
    from ..formats.registry import SETTLEMENT, Options

    year = one_year(years)
    chosen_format = output_format(out, None, "settlement", None, "usage_out_format") if out else None
    with loading(run, config, lang) as (loaded, chosen):
        budget_years([year], loaded.config)  # a year outside the agreement is a usage error
        refuse_broken_register(loaded.config)
        settled = settled_year(loaded, year, run.today)
        print_wide(settlement_table(settled, chosen))
        for line in settlement_lines(settled, chosen):
            print(line)
        if out and chosen_format:
            save(out, SETTLEMENT[chosen_format](settled, Options(chosen, run.now)), force, chosen, loaded.config)


@reports_errors
def register(
    run: Run,
    years: YearOption = None,
    config: ConfigOption = None,
    out: Annotated[
        str | None, typer.Option("--out", "-o", metavar="metavar_file", help=FormatsHelp("help_register_out", "debtors"))
    ] = None,
    lang: LangOption = None,
    force: ForceOption = False,
) -> None:
    """The register of issued documents: per member and budget year the amount, what is invoiced, credited and still
    to invoice; --out writes the debtor list, every issued document one row."""
    from ..documents.register import register_table, register_years
    from ..formats.registry import DEBTORS, Options
    from ..words import label

    chosen_format = output_format(out, None, "debtors", None, "usage_out_format") if out else None
    with loading(run, config, lang, years) as (loaded, chosen):
        view = loaded.view
        if loaded.config.register_file is None:
            print(label("register_no_billing", chosen))
        elif not view.issued:
            print(label("register_empty", chosen, register=loaded.config.register_display))
        shown = register_years(view, view.selection)
        for year in shown:
            print_wide(register_table(view, year, chosen))
        if out and chosen_format:
            save(out, DEBTORS[chosen_format](view, Options(chosen, run.now)), force, chosen, loaded.config)


# The commands in the order --help lists them: (name, the catalog id of its help, the command).
COMMANDS = (
    ("invoices", "cmd_invoices", invoices),
    ("settle", "cmd_settle", settle),
    ("register", "cmd_register", register),
)
