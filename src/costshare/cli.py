"""The costshare command line: parse options → load → compute → render or export. No arithmetic here.

Only CostShareError is caught (one `error:` line per problem, exit 1); bad flags are
typer.BadParameter (exit 2); anything else is a bug and shows a traceback.
"""

import functools
import math
import os
import sys
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from typer.core import TyperCommand, TyperGroup

from . import __version__
from .core.errors import CostShareError
from .labels import label, lang_code, startup_lang
from .limits import DEFAULT_API_URL, DEFAULT_TIMEOUT
from .streams import finish_stdout, is_output_failure, prepare_stdout, silence_stdout

if TYPE_CHECKING:
    from .config import LoadedConfig
    from .labels import Lang
    from .pipeline import Computation

MAX_ERROR_LINES = 20
# Help texts are made when the commands are defined, before options are parsed: their language comes from
# the command line and the environment (labels.startup_lang); a command's output follows --lang as parsed.
HELP_LANG = startup_lang(sys.argv[1:], os.environ)


def h(key: str) -> str:
    """A help text in HELP_LANG."""
    return label(key, HELP_LANG)


def say(key: str, **values: object) -> str:
    """A message in the language this invocation speaks; while options are still being parsed, the language
    the command line and environment ask for now (as for help texts, but read at this moment)."""
    from .messages import spoken_or_none

    return label(key, spoken_or_none() or startup_lang(sys.argv[1:], os.environ), **values)


class UsageError(typer.BadParameter):
    """A bad option or argument (exit code 2), said in the run's language, not click's English."""

    def format_message(self) -> str:
        hint = self.param_hint or (self.param.get_error_hint() if self.param is not None else None)
        if isinstance(hint, (list, tuple)):
            hint = " / ".join(hint)
        return say("usage_invalid_for", hint=hint, message=self.message) if hint else say("usage_invalid", message=self.message)


class _SpokenWords:
    """typer's command classes with the two words typer writes without gettext said in HELP_LANG:
    the usage line's prefix and the --help option's text."""

    def format_usage(self, ctx: Any, formatter: Any) -> None:
        formatter.write_usage(ctx.command_path, " ".join(self.collect_usage_pieces(ctx)), prefix=h("usage_prefix") + " ")  # type: ignore[attr-defined]

    def get_help_option(self, ctx: Any) -> Any:
        option = super().get_help_option(ctx)  # type: ignore[misc]
        if option is not None:
            option.help = h("help_help")
            option.metavar = h("metavar_flag")
        return option


class SpokenCommand(_SpokenWords, TyperCommand):
    pass


class SpokenGroup(_SpokenWords, TyperGroup):
    pass


app = typer.Typer(
    cls=SpokenGroup,
    name="costshare",
    help=h("help_split_a_shared_cost_among_municipalities"),
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


class FormatChoice(StrEnum):
    csv = "csv"
    json = "json"
    xlsx = "xlsx"


class StatementFormatChoice(StrEnum):
    txt = "txt"
    md = "md"
    pdf = "pdf"


class DialectChoice(StrEnum):
    excel_da = "excel-da"
    rfc4180 = "rfc4180"


class LayoutChoice(StrEnum):
    wide = "wide"
    long = "long"


ConfigOption = Annotated[
    str | None,
    typer.Option(
        "--config",
        "-c",
        metavar=h("metavar_file"),
        envvar="COSTSHARE_CONFIG",
        show_envvar=True,
        help=h("help_alliance_yaml_to_use_default_config_alli"),
    ),
]


def _lang_option(value: str | None) -> str | None:
    if value is None:
        return None
    code = lang_code(value)
    if code is None:
        raise UsageError(say("usage_language", value=repr(value)))
    return code


LangOption = Annotated[
    str | None,
    typer.Option(
        "--lang",
        metavar=h("metavar_lang"),
        envvar="COSTSHARE_LANG",
        show_envvar=True,
        callback=_lang_option,
        help=h("help_da_or_en_da_dk_works_too_default_costsha"),
    ),
]
MunicipalityArgument = Annotated[
    str, typer.Argument(metavar=h("metavar_municipality_arg"), help=h("help_name_or_code_e_g_sor_soro_or_340"))
]
MunicipalitiesOption = Annotated[
    list[str] | None,
    typer.Option("--municipality", "-m", metavar=h("metavar_municipality"), help=h("help_name_or_code_to_show_soro_finds_sor_repe")),
]
ForceOption = Annotated[bool, typer.Option("--force", metavar=h("metavar_flag"), help=h("help_overwrite_the_output_file_if_it_exists"))]
YearOption = Annotated[
    list[int] | None, typer.Option("--year", "-y", metavar=h("metavar_year"), help=h("help_budget_year_to_show_repeat_for_several"))
]


def reports_errors(command):
    """Turn CostShareError, and a standard output that fails, into `error: …` lines on stderr and exit code 1,
    in the language of this invocation (--lang or COSTSHARE_LANG; else the config's locale once it is read)."""

    @functools.wraps(command)
    def wrapper(*args, **kwargs):
        from .messages import problem_line, speaking, spoken

        prepare_stdout()
        with speaking(kwargs.get("lang")):
            try:
                result = command(*args, **kwargs)
                finish_stdout()
                return result
            except CostShareError as exc:
                language = spoken()
                lines = [problem_line(item, language) for item in exc.problems]
                word = label("error_word", language)
                for line in lines[:MAX_ERROR_LINES]:
                    print(f"{word}: {line}", file=sys.stderr)
                if len(lines) > MAX_ERROR_LINES:
                    print(f"{word}: " + label("more_problems", language, count=len(lines) - MAX_ERROR_LINES), file=sys.stderr)
                raise typer.Exit(1) from None
            except OSError as exc:
                if not is_output_failure(exc):
                    raise
                silence_stdout()
                language = spoken()
                print(f"{label('error_word', language)}: {label('err_stdout', language, reason=exc.strerror or exc)}", file=sys.stderr)
                raise typer.Exit(1) from None

    return wrapper


def load(config_option: str | None, years: list[int] | None = None) -> "Computation":
    """The config, the population file and the split; with `years`, of those budget years only (checked first)."""
    from .config import find_config, load_config
    from .labels import lang_code
    from .messages import speak, spoken_or_none
    from .pipeline import compute_loaded

    config = load_config(find_config(config_option))
    if spoken_or_none() is None and config.model.locale:  # no --lang: errors from here on speak the config's language
        speak(lang_code(config.model.locale) or "da")
    return compute_loaded(config, resolve_years(years, config))


def resolve_lang(option: str | None, config: "LoadedConfig | None") -> "Lang":
    """--lang (or COSTSHARE_LANG, which typer reads into it), else the config's locale, else the system's, else Danish.
    Messages from here on speak it too."""
    from .labels import lang_code, system_lang
    from .messages import speak

    for choice in (option, config.model.locale if config is not None else None):
        code = lang_code(choice) if choice else None
        if code is not None:
            speak(code)
            return code
    language = system_lang()
    speak(language)
    return language


def resolve_years(years: list[int] | None, config: "LoadedConfig") -> tuple[int, ...] | None:
    if not years:
        return None
    known = [p.year for p in config.periods]
    unknown = [year for year in years if year not in known]
    if unknown:
        raise UsageError(
            say("usage_not_budget_year", years=", ".join(map(str, unknown)), first=known[0], last=known[-1]), param_hint="--year"
        )
    return tuple(sorted(set(years)))


def resolve_codes(queries: list[str], loaded: "Computation", param_hint: str) -> tuple[str, ...]:
    from .core.municipality import NoSuchMunicipalityError, find_codes
    from .messages import municipality_text, spoken

    allocation = loaded.allocation
    names = {code: allocation.name(code) for code in allocation.codes}
    try:
        return find_codes(queries, names)
    except NoSuchMunicipalityError as exc:
        raise UsageError(municipality_text(exc, spoken()), param_hint=param_hint) from None


def print_wide(table) -> None:
    """Print without squeezing: a table wider than the terminal runs past its edge rather than truncating a figure."""
    from rich.console import Console

    from .render import table_width

    console = Console(highlight=False)
    needed = table_width(table)
    if needed > console.width:
        console = Console(width=needed, highlight=False)
    console.print(table)


def save(out: str, data: bytes, force: bool) -> None:
    """Write the output (atomically; '-' is standard output) and say where it went."""
    from .safewrite import write_output

    write_output(out, data, force)
    if out != "-":
        print(say("wrote", file=out), file=sys.stderr)


def version_callback(value: bool) -> None:
    if value:
        print(f"costshare {__version__}")
        raise typer.Exit()


@app.callback()
def main(
    version: Annotated[
        bool,
        typer.Option(
            "--version", metavar=h("metavar_flag"), callback=version_callback, is_eager=True, help=h("help_show_the_version_and_exit")
        ),
    ] = False,
) -> None:
    """Split a shared cost among municipalities by population, exactly, per budget year."""


@app.command(cls=SpokenCommand, help=h("cmd_init"))
@reports_errors
def init(
    folder: Annotated[str, typer.Argument(metavar=h("metavar_folder"), help=h("help_where_to_write_config_and_data_default_t"))] = ".",
    force: ForceOption = False,
    lang: LangOption = None,
) -> None:
    """Write an editable config/alliance.yaml and data/ files (the shipped ones, commented in Danish) to start from."""
    from .config import packaged_config
    from .labels import label
    from .safewrite import write_output

    language = resolve_lang(lang, None)
    shipped = packaged_config().parent.parent
    files = ("config/alliance.yaml", "data/population.csv", "data/decided.csv")
    target = Path(folder)
    existing = [name for name in files if (target / name).exists()]
    if existing and not force:
        raise CostShareError("file exists", file=str(target / existing[0]), hint="pass --force to overwrite the files init writes")
    for name in files:
        (target / name).parent.mkdir(parents=True, exist_ok=True)
        write_output(str(target / name), (shipped / name).read_bytes(), force)
    print(label("init_wrote", language, files=", ".join(str(target / name) for name in files)))
    print(label("init_next", language))
    if folder != ".":
        print(f"  cd {folder}")
    for command in ("costshare validate", "costshare table", "costshare check data/decided.csv", "costshare bundle ud"):
        print(f"  {command}")


@app.command(cls=SpokenCommand, help=h("cmd_table"))
@reports_errors
def table(
    config: ConfigOption = None,
    year: YearOption = None,
    municipality: MunicipalitiesOption = None,
    lang: LangOption = None,
) -> None:
    """Show every municipality's amount per budget year, with totals."""
    from rich.console import Console

    from .render import allocation_table, fitting_tables, footer_lines

    loaded = load(config, year)
    language = resolve_lang(lang, loaded.config)
    codes = resolve_codes(municipality, loaded, "--municipality") if municipality else None
    console = Console(highlight=False)
    if console.is_terminal:  # a person reading: fit the terminal; a pipe or file gets the whole table unchanged
        for table in fitting_tables(loaded.allocation, loaded.config, codes, language, console.width):
            console.print(table)
    else:
        print_wide(allocation_table(loaded.allocation, loaded.config, None, codes, language))
    for line in footer_lines(loaded.allocation, loaded.config, language):
        print(line)


@app.command(cls=SpokenCommand, help=h("cmd_export"))
@reports_errors
def export(
    out: Annotated[str, typer.Argument(metavar=h("metavar_out"), help=h("help_output_file_csv_json_or_xlsx_or_for_stan"))],
    config: ConfigOption = None,
    format: Annotated[
        FormatChoice | None,
        typer.Option("--format", "-f", metavar=h("metavar_format"), help=h("help_csv_json_or_xlsx_default_from_out_s_suff")),
    ] = None,
    dialect: Annotated[
        DialectChoice, typer.Option("--dialect", metavar=h("metavar_dialect"), help=h("help_csv_dialect_excel_da_and_decimal_comma_o"))
    ] = DialectChoice.excel_da,
    layout: Annotated[
        LayoutChoice, typer.Option("--layout", metavar=h("metavar_layout"), help=h("help_csv_layout_wide_a_column_per_year_or_lon"))
    ] = LayoutChoice.wide,
    lang: LangOption = None,
    force: ForceOption = False,
) -> None:
    """Write the split for spreadsheets (XLSX, CSV) or other programs (JSON)."""
    from .export import FORMATS, csv_bytes, format_for, json_bytes

    chosen = format_for(out, format.value if format else None)
    if chosen is None:
        if out != "-":
            raise UsageError(say("usage_format", out=repr(out), formats=", ".join(FORMATS)), param_hint="--format")
        chosen = "csv"
    if chosen == "xlsx":
        refuse_binary_to_terminal(out, "xlsx")
    loaded = load(config)
    if chosen == "json":
        data = json_bytes(loaded)
    elif chosen == "xlsx":
        from .workbook import xlsx_bytes

        data = xlsx_bytes(loaded, resolve_lang(lang, loaded.config), datetime.now(UTC))
    else:
        data = csv_bytes(loaded.allocation, resolve_lang(lang, loaded.config), dialect.value, layout.value)
    save(out, data, force)


@app.command(cls=SpokenCommand, help=h("cmd_explain"))
@reports_errors
def explain(
    municipality: MunicipalityArgument,
    config: ConfigOption = None,
    year: YearOption = None,
    lang: LangOption = None,
) -> None:
    """Show how one municipality's amount is calculated, step by step."""
    from .render import explain_lines

    loaded = load(config, year)
    (code,) = resolve_codes([municipality], loaded, "MUNICIPALITY")
    for line in explain_lines(loaded.allocation, loaded.config, code, None, resolve_lang(lang, loaded.config)):
        print(line)


population_app = typer.Typer(cls=SpokenGroup, help=h("help_show_the_population_figures_and_fetch_ne"), no_args_is_help=True)
app.add_typer(population_app, name="population")


def member_codes(config: "LoadedConfig", table) -> tuple[str, ...] | None:
    """The configured members' codes, in code order; None when every municipality in the data is a member."""
    from .pipeline import members

    resolved = members(config, table)
    return tuple(sorted(member.code for member in resolved)) if resolved is not None else None


def _load_population_file(config_option: str | None):
    from .config import find_config, load_config
    from .population import load_population

    config = load_config(find_config(config_option))
    return config, load_population(config.population_file, config.population_display)


@population_app.command("show", cls=SpokenCommand, help=h("cmd_population_show"))
@reports_errors
def population_show(config: ConfigOption = None, year: YearOption = None, lang: LangOption = None) -> None:
    """The population per year side by side, with the change from year to year and the total."""
    from .labels import label
    from .render import population_table

    loaded_config, population = _load_population_file(config)
    table = population.table
    language = resolve_lang(lang, loaded_config)
    missing = [y for y in year or () if y not in table]
    if missing:
        years_in_file = ", ".join(map(str, sorted(table)))
        raise UsageError(
            say("usage_no_figures", years=", ".join(map(str, missing)), file=loaded_config.population_display, available=years_in_file),
            param_hint="--year",
        )
    years = tuple(sorted(set(year))) if year else tuple(sorted(table))
    codes = member_codes(loaded_config, table) or tuple(sorted({code for y in years for code in table[y]}))
    print_wide(population_table(table, years, codes, language, label("population_title", language)))
    print(f"{label('population_file', language)}: {loaded_config.population_display}")


def _api_url(value: str) -> str:
    """An http(s) address with a host, in plain characters; anything else is a usage error before any network."""
    from urllib.parse import urlsplit

    from .datatext import unsafe_character

    try:
        parts = urlsplit(value)
        host = parts.hostname
    except ValueError:
        host = None
        parts = None
    if parts is None or parts.scheme not in ("http", "https") or not host or unsafe_character(value) or any(ch.isspace() for ch in value):
        raise UsageError(say("usage_api_url"))
    return value


FOLK1A_FIRST_YEAR = 2008  # FOLK1A's quarterly series starts in 2008


def _fetch_years(values: list[int]) -> list[int]:
    """Years Statistics Denmark can have: from 2008 to this year; checked before any request."""
    from datetime import date

    this_year = date.today().year
    wrong = [year for year in values if not FOLK1A_FIRST_YEAR <= year <= this_year]
    if wrong:
        raise UsageError(say("usage_fetch_years", years=", ".join(map(str, wrong)), first=FOLK1A_FIRST_YEAR, last=this_year))
    return values


def _timeout(value: float) -> float:
    from .limits import MAX_TIMEOUT

    if not math.isfinite(value) or not 0.1 <= value <= MAX_TIMEOUT:
        raise UsageError(say("usage_timeout", limit=f"{MAX_TIMEOUT:g}", value=value))
    return value


@population_app.command("fetch", cls=SpokenCommand, help=h("cmd_population_fetch"))
@reports_errors
def population_fetch(
    year: Annotated[
        list[int],
        typer.Option(
            "--year", "-y", metavar=h("metavar_year"), callback=_fetch_years, help=h("help_year_whose_1_january_figures_to_fetch_20")
        ),
    ],
    config: ConfigOption = None,
    out: Annotated[
        str | None, typer.Option("--out", "-o", metavar=h("metavar_file"), help=h("help_write_the_updated_file_here_instead_of_o"))
    ] = None,
    api_url: Annotated[
        str, typer.Option("--api-url", metavar=h("metavar_url"), callback=_api_url, help=h("help_statbank_api_data_endpoint"))
    ] = DEFAULT_API_URL,
    timeout: Annotated[
        float,
        typer.Option("--timeout", metavar=h("metavar_seconds"), callback=_timeout, help=h("help_seconds_the_whole_fetch_may_take_0_1_to")),
    ] = DEFAULT_TIMEOUT,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", metavar=h("metavar_flag"), help=h("help_show_the_change_against_the_year_before"))
    ] = False,
    force: ForceOption = False,
    lang: LangOption = None,
) -> None:
    """Fetch population on 1 January from Statistics Denmark (FOLK1A), check it, and merge it into the population file."""
    from rich.console import Console

    from .config import resolved
    from .labels import label
    from .messages import problem_line
    from .population import latest_names
    from .population_update import check_fetched, merge_rows
    from .render import format_count, population_table
    from .safewrite import write_output
    from .statbank import fetch_population

    loaded_config, population = _load_population_file(config)
    table = population.table
    language = resolve_lang(lang, loaded_config)
    years = tuple(sorted(set(year)))
    latest = table[max(table)]
    members = member_codes(loaded_config, table) or tuple(sorted(latest))
    region = loaded_config.model.population.region
    known_names = latest_names(table)
    areas = [*members, region] if region else list(members)
    with Console(stderr=True).status(label("fetching", language)):
        fetched = fetch_population(api_url, years, areas, timeout)
    checked = check_fetched(fetched, years, members, region, known_names, api_url)
    for warning in checked.warnings:
        print(f"{label('warning_word', language)}: {problem_line(warning, language)}", file=sys.stderr)
    if dry_run:
        for fetched_year in years:
            earlier = [y for y in table if y < fetched_year]
            compare = {**({max(earlier): table[max(earlier)]} if earlier else {}), fetched_year: checked.rows[fetched_year]}
            print_wide(population_table(compare, tuple(sorted(compare)), members, language, label("population_title", language)))
        print(f"{label('source', language)}: {api_url}")
        print(label("dry_run", language), file=sys.stderr)
        return
    target = out or str(loaded_config.population_file)
    is_own_file = out is None or resolved(Path(out)) == loaded_config.population_file
    data = merge_rows(population, checked.rows, target)
    write_output(target, data, force=force or is_own_file)
    for fetched_year in years:
        total = sum(row.population for row in checked.rows[fetched_year].values())
        check = label("fetched_region", language, region=region, name=fetched[fetched_year][region].name) if region else ""
        count, inhabitants = len(members), format_count(total, language)
        print(label("fetched_year", language, year=fetched_year, count=count, inhabitants=inhabitants, check=check), file=sys.stderr)
    print(label("wrote", language, file=out or loaded_config.population_display), file=sys.stderr)


@app.command(cls=SpokenCommand, help=h("cmd_statement"))
@reports_errors
def statement(
    municipality: MunicipalityArgument,
    config: ConfigOption = None,
    out: Annotated[
        str | None, typer.Option("--out", "-o", metavar=h("metavar_file"), help=h("help_write_to_this_file_instead_of_the_screen"))
    ] = None,
    format: Annotated[
        StatementFormatChoice | None,
        typer.Option("--format", "-f", metavar=h("metavar_format"), help=h("help_txt_md_or_pdf_default_from_out_s_suffix")),
    ] = None,
    lang: LangOption = None,
    force: ForceOption = False,
) -> None:
    """A one-page statement of one municipality's amounts over the whole agreement."""
    from .export import format_for
    from .statement import statement_bytes

    suffix = format_for(out, None, tuple(StatementFormatChoice)) if out else None
    chosen = format.value if format else (suffix or "txt")
    if suffix and suffix != chosen:
        raise UsageError(say("usage_suffix", out=repr(out), suffix=suffix, format=chosen), param_hint="--out")
    if chosen == "pdf":
        refuse_binary_to_terminal(out or "-", "pdf")
    loaded = load(config)
    (code,) = resolve_codes([municipality], loaded, "MUNICIPALITY")
    save(out or "-", statement_bytes(loaded, code, resolve_lang(lang, loaded.config), chosen), force)


def refuse_binary_to_terminal(out: str, fmt: str) -> None:
    """A PDF or XLSX written to a terminal is noise and can upset it: ask for a file instead."""
    if out == "-" and sys.stdout is not None and sys.stdout.isatty():
        raise UsageError(say("usage_binary", format=fmt))


@app.command(cls=SpokenCommand, help=h("cmd_compare"))
@reports_errors
def compare(
    other: Annotated[str, typer.Argument(metavar=h("metavar_other"), help=h("help_the_other_alliance_yaml_e_g_with_a_membe"))],
    config: ConfigOption = None,
    year: YearOption = None,
    municipality: MunicipalitiesOption = None,
    out: Annotated[
        str | None, typer.Option("--out", "-o", metavar=h("metavar_file"), help=h("help_also_write_the_comparison_to_a_csv_json"))
    ] = None,
    lang: LangOption = None,
    force: ForceOption = False,
) -> None:
    """What-if: each municipality's amount per budget year under this config and OTHER, and the difference."""
    from .compare import compare as run_compare
    from .config import load_config
    from .export import FORMATS, comparison_csv, comparison_json, format_for
    from .labels import label
    from .pipeline import compute_loaded
    from .render import comparison_lines, comparison_table

    chosen = format_for(out, None) if out else None
    if out and chosen is None:
        raise UsageError(say("usage_out_format", out=repr(out), formats=", ".join(FORMATS)), param_hint="--out")
    base = load(config, year)
    other_config = load_config(Path(other))
    other_years = tuple(p.year for p in other_config.periods if not year or p.year in year)
    alternative = compute_loaded(other_config, other_years)
    language = resolve_lang(lang, base.config)
    codes = resolve_codes(municipality, base, "--municipality") if municipality else None
    comparison = run_compare(base, alternative, codes)
    title = label("compare_title", language, base=base.config.model.alliance, other=alternative.config.display)
    print_wide(comparison_table(comparison, language, base.config.model.currency, title))
    for line in comparison_lines(comparison, base.config.display, alternative.config.display, language):
        print(line)
    if out:
        if chosen == "json":
            data = comparison_json(comparison, base, alternative)
        elif chosen == "xlsx":
            from .workbook import comparison_xlsx

            data = comparison_xlsx(comparison, language, base.generated_by, datetime.now(UTC))
        else:
            data = comparison_csv(comparison, language)
        save(out, data, force)


@app.command(cls=SpokenCommand, help=h("cmd_bundle"))
@reports_errors
def bundle(
    outdir: Annotated[str, typer.Argument(metavar=h("metavar_outdir"), help=h("help_a_new_or_empty_folder_for_the_bundle"))],
    config: ConfigOption = None,
    year: YearOption = None,
    lang: LangOption = None,
    force: ForceOption = False,
) -> None:
    """Everything the secretariat sends: budget.xlsx/.csv/.json, report.html, a PDF and a Markdown statement per member, SHA256SUMS."""
    from .bundle import bundle_files, write_bundle
    from .labels import label

    loaded = load(config, year)
    language = resolve_lang(lang, loaded.config)
    if sys.stderr is not None and sys.stderr.isatty():  # progress for a person watching; nothing to import otherwise
        from rich.console import Console

        with Console(stderr=True).status(label("bundle_working", language)) as status:
            files = bundle_files(
                loaded, language, datetime.now(UTC), lambda name: status.update(f"{label('bundle_working', language)} {name}")
            )
    else:
        files = bundle_files(loaded, language, datetime.now(UTC), lambda name: None)
    write_bundle(outdir, files, force)
    print(label("bundle_wrote", language, count=len(files), folder=outdir), file=sys.stderr)


@app.command(cls=SpokenCommand, help=h("cmd_check"))
@reports_errors
def check(
    decided: Annotated[str, typer.Argument(metavar=h("metavar_decided"), help=h("help_csv_of_decided_figures_year_code_amount"))],
    config: ConfigOption = None,
    lang: LangOption = None,
) -> None:
    """Check figures the councils have decided against the computed split; exit 1 if any differ."""
    from .decided import check_decided, load_decided
    from .labels import label
    from .render import check_lines

    loaded = load(config)
    language = resolve_lang(lang, loaded.config)
    checked = check_decided(loaded.allocation, load_decided(Path(decided), decided), decided)
    for line in check_lines(checked, loaded.allocation, loaded.config, language):
        print(line)
    differ = sum(not row.matches for row in checked)
    if differ:
        print(label("check_some_differ", language, differ=differ, count=len(checked)))
        finish_stdout()
        raise typer.Exit(1)
    print(label("check_all_match", language, count=len(checked)))


@app.command(cls=SpokenCommand, help=h("cmd_validate"))
@reports_errors
def validate(config: ConfigOption = None, lang: LangOption = None) -> None:
    """Check the config and population data, and summarise what they add up to."""
    from .render import validate_summary

    loaded = load(config)
    print(validate_summary(loaded.allocation, loaded.config, resolve_lang(lang, loaded.config)))
