"""The commands from figure to money: `invoices` writes a year's Peppol e-invoices, `settle` shows its settlement."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from ..run import Run
from .base import (
    ConfigOption,
    ForceOption,
    FormatsHelp,
    LangOption,
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

# one budget year: given several (--year 2026 --year 2027, or 2026-2027), the command refuses them (one_year)
BillingYearOption = Annotated[
    list[YearSpan], typer.Option("--year", "-y", metavar="metavar_year", parser=budget_year_spans, help="help_billing_year")
]


@reports_errors
def invoices(
    run: Run,
    outdir: Annotated[
        str, typer.Argument(metavar="metavar_outdir", callback=new_folder, help="help_a_new_or_empty_folder_for_the_invoices")
    ],
    years: BillingYearOption,
    config: ConfigOption = None,
    settlement: Annotated[bool, typer.Option("--settlement", metavar="metavar_flag", help="help_settlement")] = False,
    lang: LangOption = None,
    force: ForceOption = False,
) -> None:
    """A budget year's a conto invoices (or, with --settlement, its settlement) as Peppol BIS Billing 3.0 files."""
    from ..app.billing import settlement_invoices, year_invoices
    from ..documents.settlement import settlement_notes
    from ..formats.bundle import invoice_files
    from ..io.folder import write_folder
    from ..words import label

    year = one_year(years)
    with loading(run, config, lang) as (loaded, chosen):
        budget_years([year], loaded.config)  # a year outside the agreement is a usage error
        issue = settlement_invoices(loaded, year) if settlement else year_invoices(loaded, year)
        for line in settlement_notes(issue.settled, chosen) if issue.settled is not None else ():
            print(line, file=sys.stderr)
        if not issue.documents:
            print(label("invoices_none", chosen, year=year))
            return
        files = invoice_files(issue.view, issue.billed, issue.documents, chosen)
        written = write_folder(outdir, files, force, said_kept(outdir, chosen))
        key = "invoices_wrote_settlement" if settlement else "invoices_wrote"
        print(label(key, chosen, count=len(issue.documents), folder=outdir, year=year), file=sys.stderr)
        if written.kept is not None:
            print(label("bundle_kept", chosen, folder=written.kept), file=sys.stderr)


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
    from ..documents.settlement import settlement_lines, settlement_table
    from ..formats.registry import SETTLEMENT, Options

    year = one_year(years)
    chosen_format = output_format(out, None, "settlement", None, "usage_out_format") if out else None
    with loading(run, config, lang) as (loaded, chosen):
        budget_years([year], loaded.config)  # a year outside the agreement is a usage error
        settled = settled_year(loaded, year)
        print_wide(settlement_table(settled, chosen))
        for line in settlement_lines(settled, chosen):
            print(line)
        if out and chosen_format:
            save(out, SETTLEMENT[chosen_format](settled, Options(chosen, run.now)), force, chosen)


# The commands in the order --help lists them: (name, the catalog id of its help, the command).
COMMANDS = (
    ("invoices", "cmd_invoices", invoices),
    ("settle", "cmd_settle", settle),
)
