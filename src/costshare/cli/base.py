"""What every command shares: the app, its options, the one choice of language, errors as `error:` lines, loading.

Only CostShareError is caught (one `error:` line per problem, exit 1); bad flags are UsageError,
typer.BadParameter in the run's language (exit 2); anything else is a bug and shows a traceback.
"""

from __future__ import annotations

import dataclasses
import functools
import os
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Annotated, Any, TypeVar

import typer
from typer.core import TyperCommand, TyperGroup

from ..core.errors import CostShareError
from ..limits import MAX_YEAR, MIN_YEAR
from ..words import Lang, choose_language, label, lang_code, startup_lang
from .streams import finish_stdout, is_output_failure, prepare_stdout, silence_stdout

if TYPE_CHECKING:
    from rich.table import Table

    from ..app.pipeline import Computation
    from ..io.config import LoadedConfig

MAX_ERROR_LINES = 20
# Help texts are made when the commands are defined, before options are parsed: their language comes from
# the command line, the environment and a glance at the config (words.startup_lang); a command's output
# follows the same rule once the config is read (language()).
HELP_LANG = startup_lang(sys.argv[1:], os.environ)


def h(key: str) -> str:
    """A help text in HELP_LANG."""
    return label(key, HELP_LANG)


def say(key: str, **values: object) -> str:
    """A message in the language this invocation speaks; while options are still being parsed, the language
    the command line and environment ask for now (as for help texts, but read at this moment)."""
    from ..words.problems import spoken_or_none

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


def _lang_option(value: str | None) -> str | None:
    if value is None:
        return None
    code = lang_code(value)
    if code is None:
        raise UsageError(say("usage_language", value=repr(value)))
    return code


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
# --lang is accepted before the command (costshare --lang en table) and after it; COSTSHARE_LANG is read by
# choose_language, the one rule, not by the option, so an option anywhere outranks the environment.
LangOption = Annotated[
    str | None,
    typer.Option("--lang", metavar=h("metavar_lang"), callback=_lang_option, help=h("help_da_or_en_da_dk_works_too_default_costsha")),
]
MunicipalityArgument = Annotated[
    str, typer.Argument(metavar=h("metavar_municipality_arg"), help=h("help_name_or_code_e_g_sor_soro_or_340"))
]
MunicipalitiesOption = Annotated[
    list[str] | None,
    typer.Option("--municipality", "-m", metavar=h("metavar_municipality"), help=h("help_name_or_code_to_show_soro_finds_sor_repe")),
]
FinalOption = Annotated[
    bool, typer.Option("--final", metavar=h("metavar_flag"), help=h("help_final"))
]  # no overslag: every figure must be known
ForceOption = Annotated[bool, typer.Option("--force", metavar=h("metavar_flag"), help=h("help_overwrite_the_output_file_if_it_exists"))]


class YearSpan(tuple[int, ...]):
    """The years one --year names: 2026, 2026-2028 (or 2026–2028, 2026..2028), or 2026,2028."""


def year_spans(first: int, last: int, outside: str) -> Callable[[str], YearSpan]:
    """The parser of a --year whose years lie from `first` to `last` (io.values.year_span); a year outside them is
    the usage error `outside` (with `value`/`years`, `first`, `last`)."""

    def parse(text: str) -> YearSpan:
        from ..core.errors import InvalidValueError
        from ..io.values import year_span

        try:
            return YearSpan(year_span(text, first, last))
        except InvalidValueError as refusal:
            key = outside if refusal.key == "usage_year_bounds" else refusal.key
            params = {**refusal.params, "years": refusal.params["value"]}
            raise UsageError(say(key, **params), param_hint="--year") from None

    return parse


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
    typer.Option(
        "--year", "-y", metavar=h("metavar_year"), parser=budget_year_spans, help=h("help_budget_year_to_show_repeat_for_several")
    ),
]

F = TypeVar("F", bound=Callable[..., Any])


def reports_errors(command: F) -> F:
    """Turn CostShareError, and a standard output that fails, into `error: …` lines on stderr and exit code 1,
    in the language of this invocation. The command's `lang` is its own --lang, else the one given before the
    command (the root's); until a config is read, messages speak that or the environment's choice."""

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        from ..words.problems import problem_line, speaking, spoken

        ctx = kwargs.pop("ctx")
        kwargs["lang"] = kwargs.get("lang") or ctx.find_root().params.get("lang")
        prepare_stdout()
        with speaking(kwargs["lang"] or lang_code(os.environ.get("COSTSHARE_LANG", ""))):
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

    # typer passes the context to the wrapper, which the command itself does not take
    import inspect

    signature = inspect.signature(command, eval_str=True)
    context = inspect.Parameter("ctx", inspect.Parameter.KEYWORD_ONLY, annotation=typer.Context)
    wrapper.__signature__ = signature.replace(parameters=[*signature.parameters.values(), context])  # type: ignore[attr-defined]
    return wrapper  # type: ignore[return-value]


def language(option: str | None, config: LoadedConfig | None) -> Lang:
    """The run's language by the one rule (words.choose_language), with the config's locale once it is read;
    messages from here on speak it too."""
    from ..words.problems import speak

    chosen = choose_language(option, os.environ, config.model.locale if config is not None else None)
    speak(chosen)
    return chosen


def load(config_option: str | None, years: list[YearSpan] | None = None, final: bool = False) -> Computation:
    """The config, the population file and the split of the whole agreement, showing the budget years `years`
    selects (checked first; all when none); `final`: no overslag."""
    from ..app.pipeline import compute_loaded
    from ..io.config import find_config, load_config
    from ..words.problems import speak, spoken_or_none

    config = load_config(find_config(config_option))
    if spoken_or_none() is None and config.model.locale:  # no --lang: errors from here on speak the config's language
        speak(lang_code(config.model.locale) or "da")
    selection = budget_years(chosen_years(years), config)
    loaded = compute_loaded(config, None, final)
    return dataclasses.replace(loaded, view=dataclasses.replace(loaded.view, selection=selection))


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
    from ..words.problems import problem_line, spoken

    view = loaded.view
    try:
        return municipality_codes(queries, {code: view.name(code) for code in view.codes})
    except InvalidValueError as refusal:
        raise UsageError(problem_line(refusal.at(None, None), spoken()), param_hint=param_hint) from None


def print_wide(table: Table) -> None:
    """Print without squeezing: a table wider than the terminal runs past its edge rather than truncating a figure."""
    from rich.console import Console

    from ..outputs.table import table_width

    console = Console(highlight=False)
    needed = table_width(table)
    if needed > console.width:
        console = Console(width=needed, highlight=False)
    console.print(table)


def save(out: str, data: bytes, force: bool) -> None:
    """Write the output (atomically; '-' is standard output) and say where it went."""
    from ..io.atomic import write_output

    write_output(out, data, force)
    if out != "-":
        print(say("wrote", file=out), file=sys.stderr)


def output_format(out: str | None, given: str | None, choices: tuple[str, ...], default: str | None, hint: str) -> str:
    """The format to write in, by the one rule (outputs.registry.choose_format); `default` where neither
    --format nor the suffix says; a PDF or XLSX is never written to a terminal."""
    from ..outputs.registry import BINARY, FormatMismatchError, choose_format

    try:
        chosen = choose_format(out, given, choices) or default
    except FormatMismatchError as exc:
        raise UsageError(say("usage_suffix", out=repr(out), suffix=exc.suffix, format=exc.given), param_hint="--format") from None
    if chosen is None:
        raise UsageError(say(hint, out=repr(out), formats=", ".join(choices)), param_hint="--format")
    if chosen in BINARY and (out or "-") == "-" and sys.stdout is not None and sys.stdout.isatty():
        raise UsageError(say("usage_binary", format=chosen))
    return chosen
