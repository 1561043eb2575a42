"""What every command shares: its options, its run, errors as `error:` lines, the config's reading.

Options and arguments name their help and metavar by catalog id; costshare.cli.spoken says them in the
language the app is built for. Only CostShareError is caught (one `error:` line per problem, exit 1); bad
flags are UsageError, typer.BadParameter in the run's language (exit 2); anything else is a bug and shows a
traceback.
"""

from __future__ import annotations

import functools
import inspect
import os
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from ..core.errors import CostShareError
from ..limits import MAX_YEAR, MIN_YEAR
from ..run import Run
from ..words import Lang, label, lang_code
from .streams import finish_stdout, is_output_failure, prepare_stdout, said_stdout_failed

if TYPE_CHECKING:
    from ..app.pipeline import Computation
    from ..documents.table import TextTable
    from ..formats.registry import Document
    from ..io.config import LoadedConfig

MAX_ERROR_LINES = 20

Words = Callable[[Lang], str]  # a message worded when it is shown, in the language asked then


def say(key: str, /, **values: object) -> Words:
    """A usage error's message, worded when it is shown: in the run's language (while options are parsed, and
    before the config is read) or in the language the config gives (inside `speaking`)."""
    return lambda lang: label(key, lang, **values)


class FormatsHelp(str):
    """The catalog id of a help text that lists the formats `document` is written in, as the registry has them:
    {formats} 'csv, json eller xlsx', {suffixes} '.csv, .json eller .xlsx', and {suffix_parts} '.csv-, .json- eller
    .xlsx', the first part of a compound word ('en .csv-, .json- eller .xlsx-fil')."""

    document: Document

    def __new__(cls, key: str, document: Document) -> FormatsHelp:
        made = super().__new__(cls, key)
        made.document = document
        return made

    def said(self, lang: Lang) -> str:
        """The help text in `lang`, with the formats listed."""
        from ..formats.registry import formats_of
        from ..words.display import choices_text, suffixes_text

        formats = formats_of(self.document)
        listed = {"formats": choices_text(formats, lang), "suffixes": suffixes_text(formats, lang)}
        return label(self, lang, suffix_parts=suffixes_text(formats, lang, compound=True), **listed)


def run_of(ctx: Any) -> Run:
    """The run a click context belongs to, made where the run began (costshare.launch, or the app's group)."""
    run = ctx.find_root().obj
    if not isinstance(run, Run):
        raise TypeError(f"a command context without its run: {run!r}")
    return run


class UsageError(typer.BadParameter):
    """A bad option or argument (exit code 2), said in the run's language, not click's English."""

    def __init__(self, message: Words, param_hint: Sequence[str] | str | None = None) -> None:
        super().__init__("", param_hint=param_hint)
        self.words = message

    def said_in(self, lang: Lang) -> UsageError:
        """The same error with its message said in `lang`, whatever the run speaks."""
        words = self.words
        said = UsageError(lambda _: words(lang), self.param_hint)
        said.param = self.param
        return said

    def format_message(self) -> str:
        lang = run_of(self.ctx).lang
        message = self.words(lang)
        hint = self.param_hint or (self.param.get_error_hint() if self.param is not None else None)
        if isinstance(hint, (list, tuple)):
            hint = " / ".join(hint)
        return label("usage_invalid_for", lang, hint=hint, message=message) if hint else label("usage_invalid", lang, message=message)


def _lang_option(value: str | None) -> str | None:
    if value is None:
        return None
    code = lang_code(value)
    if code is None:
        raise UsageError(say("usage_language", value=repr(value)))
    return code


def new_folder(value: str) -> str:
    """OUTDIR as given, once it names a folder costshare can write in place of: not standard output ('-'), not the
    folder the command runs in ('', '.', its full name) and not one above it ('..')."""
    if value == "-":
        raise UsageError(say("usage_outdir_stdout", folder=repr(value)))
    try:
        here, there = os.path.realpath(os.curdir), os.path.realpath(value)
    except OSError:  # no working folder any more: the writer says what it finds
        return value
    if there == here:
        raise UsageError(say("usage_outdir_here", folder=repr(value)))
    if os.path.commonpath([here, there]) == there:
        raise UsageError(say("usage_outdir_above", folder=repr(value)))
    return value


ConfigOption = Annotated[
    str | None,
    typer.Option(
        "--config",
        "-c",
        metavar="metavar_file",
        envvar="COSTSHARE_CONFIG",
        show_envvar=True,
        help="help_alliance_yaml_to_use_default_config_alli",
    ),
]
# --lang is accepted before the command (costshare --lang en table) and after it; COSTSHARE_LANG is read by
# the one rule (costshare.run), not by the option, so an option anywhere outranks the environment.
LangOption = Annotated[
    str | None,
    typer.Option("--lang", metavar="metavar_lang", callback=_lang_option, help="help_da_or_en_da_dk_works_too_default_costsha"),
]
MunicipalityArgument = Annotated[str, typer.Argument(metavar="metavar_municipality_arg", help="help_name_or_code_e_g_sor_soro_or_340")]
MunicipalitiesOption = Annotated[
    list[str] | None,
    typer.Option("--municipality", "-m", metavar="metavar_municipality", help="help_name_or_code_to_show_soro_finds_sor_repe"),
]
FinalOption = Annotated[
    bool, typer.Option("--final", metavar="metavar_flag", help="help_final")
]  # no provisional year shown: every figure must be known
ForceOption = Annotated[bool, typer.Option("--force", metavar="metavar_flag", help="help_overwrite_the_output_file_if_it_exists")]


class YearSpan(tuple[int, ...]):
    """The years one --year names: 2026, 2026-2028 (or 2026–2028, 2026..2028), or 2026,2028."""


def year_spans(first: int, last: int, outside: str) -> Callable[[str], YearSpan]:
    """The parser of a --year whose years lie from `first` to `last` (io.values.year_span); a year outside them is
    the usage error `outside` (with `value`/`years`, `first`, `last`)."""

    def parse(text: str) -> YearSpan:
        return parse_year_span(text, first, last, outside)

    return parse


def parse_year_span(text: str, first: int, last: int, outside: str) -> YearSpan:
    """One --year's years by io.values.year_span, its refusal a usage error (`outside` for a year out of bounds)."""
    from ..core.errors import InvalidValueError
    from ..io.values import year_span

    try:
        return YearSpan(year_span(text, first, last))
    except InvalidValueError as refusal:
        key = outside if refusal.key == "usage_year_bounds" else refusal.key
        params = {**refusal.params, "years": refusal.params["value"]}
        raise UsageError(say(key, **params), param_hint="--year") from None


def chosen_years(spans: list[YearSpan] | None) -> list[int] | None:
    """Every year the --year options name, each once, in order; None when none is given."""
    return sorted({year for span in spans for year in span}) if spans else None


def one_year(spans: list[YearSpan]) -> int:
    """The one budget year a command that makes one year's documents is given; several is a usage error."""
    years = chosen_years(spans) or []
    if len(years) != 1:
        raise UsageError(say("usage_one_year", years=year_runs(years)), param_hint="--year")
    return years[0]


def year_runs(years: list[int]) -> str:
    """Years in order, a run of three or more as first–last (2024, 2029–2199), so a wide span stays one short line."""
    runs: list[list[int]] = []
    for year in sorted(years):
        if runs and year == runs[-1][-1] + 1:
            runs[-1].append(year)
        else:
            runs.append([year])
    return ", ".join(f"{run[0]}–{run[-1]}" if len(run) > 2 else ", ".join(map(str, run)) for run in runs)


budget_year_spans = year_spans(MIN_YEAR, MAX_YEAR, "usage_year_bounds")  # every --year but population fetch's
YearOption = Annotated[
    list[YearSpan] | None,
    typer.Option("--year", "-y", metavar="metavar_year", parser=budget_year_spans, help="help_budget_year_to_show_repeat_for_several"),
]


def reports_errors(command: Callable[..., Any]) -> Callable[..., Any]:
    """`command(run, …)` as typer calls it: given the run it belongs to, and as `lang` its own --lang or else the one
    given before the command (the root's). Until the command has read a config (`reading`), a CostShareError and a
    standard output that fails are said in the rule's language without the config's locale."""

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        ctx = kwargs.pop("ctx")
        run = run_of(ctx)
        kwargs["lang"] = kwargs.get("lang") or ctx.find_root().params.get("lang")
        prepare_stdout()
        with reporting(run.language(kwargs["lang"])):
            return command(run, *args, **kwargs)

    # typer passes the context to the wrapper, which the command itself does not take; the run it is given, not parsed
    signature = inspect.signature(command, eval_str=True)
    _, *parameters = signature.parameters.values()
    context = inspect.Parameter("ctx", inspect.Parameter.KEYWORD_ONLY, annotation=typer.Context)
    wrapper.__signature__ = signature.replace(parameters=[*parameters, context])  # type: ignore[attr-defined]
    return wrapper


@contextmanager
def reporting(lang: Lang) -> Iterator[Lang]:
    """Inside: a CostShareError becomes its `error: …` lines in `lang` on standard error and exit code 1, and so does
    a standard output that fails (flushed on the way out, while costshare can still say so)."""
    try:
        yield lang
        finish_stdout()
    except CostShareError as exc:
        from ..words.problems import problem_line

        lines = [problem_line(item, lang) for item in exc.problems]
        word = label("error_word", lang)
        for line in lines[:MAX_ERROR_LINES]:
            print(f"{word}: {line}", file=sys.stderr)
        if len(lines) > MAX_ERROR_LINES:
            print(f"{word}: " + label("more_problems", lang, count=len(lines) - MAX_ERROR_LINES), file=sys.stderr)
        raise typer.Exit(1) from None
    except OSError as exc:
        if not is_output_failure(exc):
            raise
        said_stdout_failed(exc, lang)
        raise typer.Exit(1) from None


@contextmanager
def speaking(lang: Lang) -> Iterator[Lang]:
    """`reporting` in `lang`, and a usage error met inside said in `lang` too: a command's words once it knows the
    config's locale."""
    with reporting(lang):
        try:
            yield lang
        except UsageError as exc:
            raise exc.said_in(lang) from None


@contextmanager
def reading(run: Run, config_option: str | None, option: str | None, writes_record: bool = False) -> Iterator[tuple[LoadedConfig, Lang]]:
    """The config, and the language the command speaks from here on: the rule with the config's locale. Inside,
    errors speak it (`speaking`); a config that cannot be read is said in the language without it. `writes_record`:
    the command writes the record of decided years, so its not being written yet is no news."""
    from ..io.config import find_config, load_config

    config = load_config(find_config(config_option))
    with speaking(run.language(option, config.model.locale)) as lang:
        warn_about(config, lang, writes_record)
        yield config, lang


def warn_about(config: LoadedConfig, lang: Lang, writes_record: bool = False) -> None:
    """A `warning: …` line on standard error for each thing the config gives that nothing uses."""
    from ..app.checks import config_warnings
    from ..words.problems import problem_line

    for warning in config_warnings(config):
        if writes_record and warning.key == "warn_record_not_written":
            continue
        print(f"{label('warning_word', lang)}: {problem_line(warning, lang)}", file=sys.stderr)


@contextmanager
def loading(
    run: Run, config_option: str | None, option: str | None, years: list[YearSpan] | None = None, final: bool = False
) -> Iterator[tuple[Computation, Lang]]:
    """`reading`, then the population file and the split of the whole agreement, showing the budget years `years`
    selects (checked first; all when none); `final`: none of those years provisional."""
    from ..app.pipeline import compute_loaded

    with reading(run, config_option, option) as (config, lang):
        selection = budget_years(chosen_years(years), config)
        yield compute_loaded(config, None, final, today=run.today, selection=selection), lang


def budget_years(years: list[int] | None, config: LoadedConfig) -> tuple[int, ...] | None:
    """--year as budget years of the agreement, each once, in order; None when not given."""
    from ..io.values import not_budget_year

    if not years:
        return None
    known = [p.year for p in config.periods]
    unknown = [year for year in years if not_budget_year(year, known)]
    if unknown:
        raise UsageError(say("usage_not_budget_year", years=year_runs(unknown), first=known[0], last=known[-1]), param_hint="--year")
    return tuple(sorted(set(years)))


def resolve_codes(queries: list[str], loaded: Computation, param_hint: str) -> tuple[str, ...]:
    from ..core.errors import InvalidValueError
    from ..io.values import municipality_codes
    from ..words.problems import problem_line

    view = loaded.view
    try:
        return municipality_codes(queries, {code: view.name(code) for code in view.codes})
    except InvalidValueError as refusal:
        raise UsageError(functools.partial(problem_line, refusal.at(None, None)), param_hint=param_hint) from None


def print_wide(text_table: TextTable) -> None:
    """Print without squeezing: a table wider than the terminal runs past its edge rather than truncating a figure."""
    from rich.console import Console

    from ..formats.terminal import rich_table, table_width

    table = rich_table(text_table)
    console = Console(highlight=False)
    needed = table_width(table)
    if needed > console.width:
        console = Console(width=needed, highlight=False)
    console.print(table)


def save(out: str, data: bytes, force: bool, lang: Lang, config: LoadedConfig | None = None) -> None:
    """Write the output (atomically; '-' is standard output), never over `config`'s history, and say where it went."""
    from ..app.register import write_output_beside_history

    write_output_beside_history(config, out, data, force)
    if out != "-":
        print(label("wrote", lang, file=out), file=sys.stderr)


def said_kept(outdir: str, lang: Lang) -> Callable[[Path], None]:
    """What a command writing the folder `outdir` says, in `lang`, when Ctrl+C came once its new folder had taken the
    old one's place: where the old one was kept, whole."""
    return lambda kept: print(label("bundle_kept_interrupted", lang, folder=outdir, kept=kept), file=sys.stderr)


def output_format(out: str | None, given: str | None, document: Document, default: str | None, hint: str) -> str:
    """The format to write `document` in, one of those the registry lists for it: --format (`given`), else the
    suffix of `out`, by the one rule (formats.registry.choose_format); `default` where neither says; a PDF or XLSX
    is never written to a terminal."""
    from ..formats.registry import BINARY, FormatMismatchError, choose_format, formats_of
    from ..words.display import choices_text

    choices = formats_of(document)
    option = "--format" if given is not None else None  # where --format is not given, the name's suffix is at fault
    if given is not None and given not in choices:
        raise UsageError(
            lambda lang: label("usage_choice", lang, value=repr(given), choices=choices_text(choices, lang)), param_hint="--format"
        )
    try:
        # the default is for a name without a suffix: s.docx is not written as text
        chosen = choose_format(out, given, choices) or (default if not Path(out or "-").suffix or out == "-" else None)
    except FormatMismatchError as exc:
        raise UsageError(say("usage_suffix", out=repr(out), suffix=exc.suffix, format=exc.given), param_hint=option) from None
    if chosen is None:
        raise UsageError(say(hint, out=repr(out), formats=", ".join(choices)), param_hint=option)
    if chosen in BINARY and (out or "-") == "-" and sys.stdout is not None and sys.stdout.isatty():
        raise UsageError(say("usage_binary", format=chosen))
    return chosen
