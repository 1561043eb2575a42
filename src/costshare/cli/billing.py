"""The commands from figure to money: `invoices` writes a year's Peppol e-invoices, `settle` shows its settlement."""

from __future__ import annotations

import sys
from datetime import UTC, datetime
from typing import Annotated

import typer

from .base import (
    ConfigOption,
    ForceOption,
    LangOption,
    SpokenCommand,
    YearSpan,
    app,
    budget_year_spans,
    budget_years,
    h,
    language,
    load,
    one_year,
    output_format,
    print_wide,
    reports_errors,
    save,
)

# one budget year: given several (--year 2026 --year 2027, or 2026-2027), the command refuses them (one_year)
BillingYearOption = Annotated[
    list[YearSpan], typer.Option("--year", "-y", metavar=h("metavar_year"), parser=budget_year_spans, help=h("help_billing_year"))
]


@app.command(cls=SpokenCommand, help=h("cmd_invoices"))
@reports_errors
def invoices(
    outdir: Annotated[str, typer.Argument(metavar=h("metavar_outdir"), help=h("help_a_new_or_empty_folder_for_the_invoices"))],
    years: BillingYearOption,
    config: ConfigOption = None,
    settlement: Annotated[bool, typer.Option("--settlement", metavar=h("metavar_flag"), help=h("help_settlement"))] = False,
    lang: LangOption = None,
    force: ForceOption = False,
) -> None:
    """A budget year's a conto invoices (or, with --settlement, its settlement) as Peppol BIS Billing 3.0 files."""
    from ..app.invoicing import invoice_documents, refusals, settlement_documents
    from ..io.folder import write_folder
    from ..outputs.ubl import invoice_files
    from ..words import label

    year = one_year(years)
    loaded = load(config)
    budget_years([year], loaded.config)  # a year outside the agreement is a usage error
    chosen = language(lang, loaded.config)
    refusals(loaded, year, settlement)
    documents = settlement_documents(loaded.view, year) if settlement else invoice_documents(loaded.view, year)
    if not documents:
        print(label("invoices_none", chosen, year=year))
        return
    written = write_folder(outdir, invoice_files(loaded.view, documents, chosen), force)
    key = "invoices_wrote_settlement" if settlement else "invoices_wrote"
    print(label(key, chosen, count=len(documents), folder=outdir, year=year), file=sys.stderr)
    if written.kept is not None:
        print(label("bundle_kept", chosen, folder=written.kept), file=sys.stderr)


@app.command(cls=SpokenCommand, help=h("cmd_settle"))
@reports_errors
def settle(
    years: BillingYearOption,
    config: ConfigOption = None,
    out: Annotated[
        str | None, typer.Option("--out", "-o", metavar=h("metavar_file"), help=h("help_also_write_the_settlement_to_a_csv_json"))
    ] = None,
    lang: LangOption = None,
    force: ForceOption = False,
) -> None:
    """A finished budget year's settlement: each member's budget amount, its share of the actual cost, the difference."""
    from ..app.invoicing import refusals, settled_year
    from ..outputs.registry import SETTLEMENT, Options
    from ..outputs.settlement import settlement_lines, settlement_table

    year = one_year(years)
    choices = ("csv", "json", "xlsx")
    chosen_format = output_format(out, None, choices, None, "usage_out_format") if out else None
    loaded = load(config)
    budget_years([year], loaded.config)  # a year outside the agreement is a usage error
    chosen = language(lang, loaded.config)
    refusals(loaded, year, settling=True, documents=False)
    settled = settled_year(loaded.view, year)
    print_wide(settlement_table(loaded.view, settled.settlement, settled.documents, chosen))
    for line in settlement_lines(loaded.view, settled.settlement, chosen):
        print(line)
    if out and chosen_format:
        save(out, SETTLEMENT[chosen_format](settled, Options(chosen, datetime.now(UTC))), force)
