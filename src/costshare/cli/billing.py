"""The commands from figure to money: `invoices` writes a year's Peppol e-invoices, `settle` shows its settlement."""

from __future__ import annotations

import sys
from collections.abc import Callable
from datetime import date
from typing import Annotated

import typer

from ..run import Run
from .base import (
    ConfigOption,
    ForceOption,
    FormatsHelp,
    LangOption,
    UsageError,
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
    say,
)

# one budget year: given several (--year 2026 --year 2027, or 2026-2027), the command refuses them (one_year)
BillingYearOption = Annotated[
    list[YearSpan], typer.Option("--year", "-y", metavar="metavar_year", parser=budget_year_spans, help="help_billing_year")
]


def day_of(option: str) -> Callable[[str], date]:
    """The parser of a date option (io.values.iso_date), its refusal a usage error naming `option`."""

    def parse(text: str) -> date:
        from ..core.errors import InvalidValueError
        from ..io.values import iso_date

        try:
            return iso_date(text)
        except InvalidValueError as refusal:
            raise UsageError(say(refusal.key, **refusal.params), param_hint=option) from None

    return parse


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
    lang: LangOption = None,
    force: ForceOption = False,
) -> None:
    """A budget year's a conto invoices (or, with --settlement, its settlement) as Peppol BIS Billing 3.0 files, dated
    --date (today when not given)."""
    from ..app.billing import settlement_invoices, year_invoices
    from ..documents.settlement import settlement_notes
    from ..formats.bundle import invoice_files
    from ..io.folder import write_folder
    from ..words import label
    from ..words.display import format_long_date

    year = one_year(years)
    with loading(run, config, lang) as (loaded, chosen):
        budget_years([year], loaded.config)  # a year outside the agreement is a usage error
        on = issue_date or run.today
        issue = settlement_invoices(loaded, year, issue_date) if settlement else year_invoices(loaded, year, on, until)
        for line in settlement_notes(issue.settled, chosen) if issue.settled is not None else ():
            print(line, file=sys.stderr)
        if not issue.documents:
            last = until or loaded.view.period(year).period.end
            said = (
                label("invoices_none", chosen, year=year)
                if settlement
                else label("invoices_nothing_new", chosen, year=year, until=format_long_date(last, chosen))
            )
            print(said)
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
