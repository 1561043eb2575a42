"""The commands: parse options → one use-case call → one writer. No arithmetic, no formats decided here."""

from __future__ import annotations

import dataclasses
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from ..run import Run
from ..version import __version__
from .base import (
    ConfigOption,
    FinalOption,
    ForceOption,
    FormatsHelp,
    LangOption,
    MunicipalitiesOption,
    MunicipalityArgument,
    YearOption,
    loading,
    new_folder,
    output_format,
    print_wide,
    reports_errors,
    resolve_codes,
    said_kept,
    save,
    warn_about,
)
from .dates import DocumentDateOption
from .streams import finish_stdout


class DialectChoice(StrEnum):
    excel_da = "excel-da"
    rfc4180 = "rfc4180"


class LayoutChoice(StrEnum):
    wide = "wide"
    long = "long"


def version_callback(value: bool) -> None:
    if value:
        print(f"costshare {__version__}")
        raise typer.Exit()


def main(
    version: Annotated[
        bool,
        typer.Option("--version", metavar="metavar_flag", callback=version_callback, is_eager=True, help="help_show_the_version_and_exit"),
    ] = False,
    lang: LangOption = None,
) -> None:
    """Split a shared cost among municipalities by population, exactly, per budget year."""


@reports_errors
def init(
    run: Run,
    folder: Annotated[str, typer.Argument(metavar="metavar_folder", help="help_where_to_write_config_and_data_default_t")] = ".",
    force: ForceOption = False,
    lang: LangOption = None,
) -> None:
    """Write an editable config/alliance.yaml and data/ files (the shipped ones, commented in Danish) to start from."""
    from ..app.starter import start_project
    from ..words import label

    chosen = run.language(lang)
    written = start_project(Path(folder), force)
    print(label("init_wrote", chosen, files=", ".join(str(path) for path in written)))
    print(label("init_next", chosen))
    if folder != ".":
        print(f"  cd {shell_word(folder)}")
    for command in ("costshare validate", "costshare table", "costshare check data/decided.csv", "costshare bundle ud"):
        print(f"  {command}")


@reports_errors
def table(
    run: Run,
    config: ConfigOption = None,
    year: YearOption = None,
    municipality: MunicipalitiesOption = None,
    lang: LangOption = None,
    final: FinalOption = False,
    items: Annotated[bool, typer.Option("--items", metavar="metavar_flag", help="help_table_items")] = False,
) -> None:
    """Show every municipality's amount per budget year, with totals."""
    from rich.console import Console

    from ..documents.facts import footer_lines
    from ..documents.table import allocation_table
    from ..formats.terminal import fitting_tables

    with loading(run, config, lang, year, final) as (loaded, chosen):
        codes = resolve_codes(municipality, loaded, "--municipality") if municipality else None
        console = Console(highlight=False)
        if console.is_terminal:  # a person reading: fit the terminal; a pipe or file gets the whole table unchanged
            for piece in fitting_tables(loaded.view, codes, chosen, console.width, items):
                console.print(piece)
        else:
            print_wide(allocation_table(loaded.view, None, codes, chosen, items=items))
        for line in footer_lines(loaded.view, chosen, run.today):
            print(line)


@reports_errors
def export(
    run: Run,
    out: Annotated[str, typer.Argument(metavar="metavar_out", help=FormatsHelp("help_export_out", "split"))],
    config: ConfigOption = None,
    year: YearOption = None,
    final: FinalOption = False,
    format: Annotated[
        str | None, typer.Option("--format", "-f", metavar="metavar_format", help=FormatsHelp("help_export_format", "split"))
    ] = None,
    dialect: Annotated[
        DialectChoice, typer.Option("--dialect", metavar="metavar_dialect", help="help_csv_dialect_excel_da_and_decimal_comma_o")
    ] = DialectChoice.excel_da,
    layout: Annotated[
        LayoutChoice, typer.Option("--layout", metavar="metavar_layout", help="help_csv_layout_wide_a_column_per_year_or_lon")
    ] = LayoutChoice.wide,
    lang: LangOption = None,
    force: ForceOption = False,
) -> None:
    """Write the split for spreadsheets (XLSX, CSV) or other programs (JSON)."""
    from ..formats.registry import SPLIT, Options

    chosen = output_format(out, format, "split", "csv" if out == "-" else None, "usage_format")
    with loading(run, config, lang, year, final) as (loaded, spoken):
        options = Options(spoken, run.now, dialect.value, layout.value)
        save(out, SPLIT[chosen](loaded.view, options), force, spoken, loaded.config)


def shell_word(text: str) -> str:
    """`text` as one word of a command to copy into this system's shell, quoted where it needs to be; a character
    text may not hold is written as its escape inside $'…' (bash, zsh), never printed as it is."""
    import shlex
    import subprocess

    from ..core.text import unsafe_character, visible

    if unsafe_character(text) is None:
        return subprocess.list2cmdline([text]) if sys.platform == "win32" else shlex.quote(text)
    return "$'" + visible(text.replace("\\", "\\\\").replace("'", "\\'")) + "'"


@reports_errors
def explain(
    run: Run,
    municipality: MunicipalityArgument,
    config: ConfigOption = None,
    year: YearOption = None,
    lang: LangOption = None,
    final: FinalOption = False,
) -> None:
    """Show how one municipality's amount is calculated, step by step."""
    from ..app.decide import recomputed
    from ..documents.explanation import explain_lines

    with loading(run, config, lang, year, final) as (loaded, chosen):
        (code,) = resolve_codes([municipality], loaded, "MUNICIPALITY")
        decided = tuple(period.year for period in loaded.view.periods if period.decided is not None)
        view = dataclasses.replace(loaded.view, recomputed=recomputed(loaded.config, decided, run.today)) if decided else loaded.view
        for line in explain_lines(view, code, chosen):
            print(line)


@reports_errors
def statement(
    run: Run,
    municipality: MunicipalityArgument,
    config: ConfigOption = None,
    year: YearOption = None,
    final: FinalOption = False,
    out: Annotated[
        str | None, typer.Option("--out", "-o", metavar="metavar_file", help="help_write_to_this_file_instead_of_the_screen")
    ] = None,
    format: Annotated[
        str | None, typer.Option("--format", "-f", metavar="metavar_format", help=FormatsHelp("help_statement_format", "statement"))
    ] = None,
    lang: LangOption = None,
    force: ForceOption = False,
    day: DocumentDateOption = None,
) -> None:
    """A one-page statement of one municipality's amounts over the whole agreement."""
    from ..formats.registry import STATEMENT, Options

    chosen = output_format(out, format, "statement", "txt", "usage_format")
    run = run.on(day)
    with loading(run, config, lang, year, final) as (loaded, spoken):
        (code,) = resolve_codes([municipality], loaded, "MUNICIPALITY")
        options = Options(spoken, run.now, code=code, day=run.today)
        save(out or "-", STATEMENT[chosen](loaded.view, options), force, spoken, loaded.config)


@reports_errors
def compare(
    run: Run,
    other: Annotated[str, typer.Argument(metavar="metavar_other", help="help_the_other_alliance_yaml_e_g_with_a_membe")],
    config: ConfigOption = None,
    final: FinalOption = False,
    year: YearOption = None,
    municipality: MunicipalitiesOption = None,
    out: Annotated[
        str | None, typer.Option("--out", "-o", metavar="metavar_file", help=FormatsHelp("help_compare_out", "comparison"))
    ] = None,
    lang: LangOption = None,
    force: ForceOption = False,
) -> None:
    """What-if: each municipality's amount per budget year under this config and OTHER, and the difference."""
    from ..app.compare import compare as run_compare
    from ..app.pipeline import compute_loaded
    from ..documents.comparison import comparison_lines, comparison_table
    from ..formats.registry import COMPARISON, Options
    from ..io.config import load_config

    chosen = output_format(out, None, "comparison", None, "usage_out_format") if out else None
    with loading(run, config, lang, year, final) as (base, spoken):
        other_config = load_config(Path(other))
        warn_about(other_config, spoken)
        alternative = compute_loaded(other_config, None, final, today=run.today, selection=base.view.selection)
        codes = resolve_codes(municipality, base, "--municipality") if municipality else None
        comparison = run_compare(base, alternative, codes, base.view.years if year else None)  # a year one side lacks shows "–" there
        print_wide(comparison_table(comparison, spoken))
        for line in comparison_lines(comparison, spoken):
            print(line)
        if out and chosen:
            save(out, COMPARISON[chosen](comparison, Options(spoken, run.now)), force, spoken, base.config)


@reports_errors
def bundle(
    run: Run,
    outdir: Annotated[str, typer.Argument(metavar="metavar_outdir", callback=new_folder, help="help_a_new_or_empty_folder_for_the_bundle")],
    config: ConfigOption = None,
    final: FinalOption = False,
    year: YearOption = None,
    lang: LangOption = None,
    force: ForceOption = False,
    day: DocumentDateOption = None,
) -> None:
    """Everything the secretariat sends: budget.xlsx/.csv/.json, report.html, a PDF and a Markdown statement per member, SHA256SUMS."""
    from ..formats.bundle import bundle_files
    from ..io.folder import write_folder
    from ..words import label

    run = run.on(day)
    with loading(run, config, lang, year, final) as (loaded, chosen):
        if sys.stderr is not None and sys.stderr.isatty():  # progress for a person watching; nothing to import otherwise
            from rich.console import Console

            working = label("bundle_working", chosen)
            with Console(stderr=True).status(working) as status:
                files = bundle_files(loaded.view, chosen, run.now, run.today, lambda name: status.update(f"{working} {name}"))
        else:
            files = bundle_files(loaded.view, chosen, run.now, run.today, lambda name: None)
        written = write_folder(outdir, files, force, said_kept(outdir, chosen))
        print(label("bundle_wrote", chosen, count=written.count, folder=outdir), file=sys.stderr)
        if written.kept is not None:
            print(label("bundle_kept", chosen, folder=written.kept), file=sys.stderr)


@reports_errors
def check(
    run: Run,
    decided: Annotated[str, typer.Argument(metavar="metavar_decided", help="help_csv_of_decided_figures_year_code_amount")],
    config: ConfigOption = None,
    year: YearOption = None,
    final: FinalOption = False,
    differences: Annotated[bool, typer.Option("--differences", metavar="metavar_flag", help="help_differences")] = False,
    lang: LangOption = None,
) -> None:
    """Check figures the councils have decided against the computed split; exit 1 if any differ."""
    from ..app.checks import check_decided
    from ..documents.summary import check_lines
    from ..io.decided import load_decided
    from ..words import label
    from ..words.problems import problem_line

    with loading(run, config, lang, year, final) as (loaded, chosen):
        figures = load_decided(Path(decided), decided)
        for warning in figures.repeated:
            print(f"{label('warning_word', chosen)}: {problem_line(warning, chosen)}", file=sys.stderr)
        shown = loaded.view.years
        checked = check_decided(loaded.allocation, [row for row in figures.rows if not year or row.year in shown], decided)
        for line in check_lines(checked, loaded.view, chosen, differences):
            print(line)
        if not all(row.matches for row in checked):
            finish_stdout()
            raise typer.Exit(1)


@reports_errors
def validate(run: Run, config: ConfigOption = None, year: YearOption = None, lang: LangOption = None, final: FinalOption = False) -> None:
    """Check the config and population data, and summarise what they add up to."""
    from ..app.register import register_problems, without_prefix
    from ..core.errors import DataError
    from ..documents.facts import decided_lines, key_lines, projection_lines
    from ..documents.summary import validate_summary
    from ..words import label
    from ..words.problems import problem_line

    with loading(run, config, lang, year, final) as (loaded, chosen):
        problems = register_problems(loaded.config)  # the register's chain is checked as it is read, its copies here
        if problems:
            raise DataError(problems)
        print(validate_summary(loaded.view, chosen))
        facts = [
            *key_lines(loaded.view, chosen),
            *decided_lines(loaded.view, chosen),
            *projection_lines(loaded.view, chosen, run.today),
        ]
        for line in facts:
            print(line)
        if loaded.view.issued:
            print(label("validate_register", chosen, count=len(loaded.view.issued), register=loaded.config.register_display))
        prefix = without_prefix(loaded.config)
        if prefix is not None:
            print(f"{label('warning_word', chosen)}: {problem_line(prefix, chosen)}", file=sys.stderr)


# The commands in the order --help lists them: (name, the catalog id of its help, the command).
COMMANDS = (
    ("init", "cmd_init", init),
    ("table", "cmd_table", table),
    ("export", "cmd_export", export),
    ("explain", "cmd_explain", explain),
    ("statement", "cmd_statement", statement),
    ("compare", "cmd_compare", compare),
    ("bundle", "cmd_bundle", bundle),
    ("check", "cmd_check", check),
    ("validate", "cmd_validate", validate),
)
