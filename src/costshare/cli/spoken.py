"""The app in one language: the commands with their help, options' help and metavars said in it.

typer makes a command's help when the app is built, before any option is parsed, so the language is
chosen first (costshare.run: the command line, the environment and a glance at the config) and the app is
built for it. The commands name their words by catalog id; here they become the language's text.
"""

from __future__ import annotations

import copy
import functools
import inspect
import re
from collections.abc import Callable
from typing import Annotated, Any, get_args, get_origin

import typer
from typer.core import TyperCommand, TyperGroup
from typer.models import ParameterInfo

from ..run import Run
from ..words import Lang, label
from . import billing, commands, decide, population
from .base import FormatsHelp

# (name, the catalog id of its help, the command), in the order --help lists them.
Commands = tuple[tuple[str, str, Callable[..., Any]], ...]


class _SpokenWords:
    """typer's command classes with the words typer writes without gettext said in the app's language: the usage
    line's prefix, its [OPTIONS] and COMMAND [ARGS]..., and the --help option's text."""

    help_lang: Lang

    def format_usage(self, ctx: Any, formatter: Any) -> None:
        prefix = label("usage_prefix", self.help_lang) + " "
        formatter.write_usage(ctx.command_path, " ".join(self.collect_usage_pieces(ctx)), prefix=prefix)

    def collect_usage_pieces(self, ctx: Any) -> list[str]:
        said = {"[OPTIONS]": label("usage_options", self.help_lang), "COMMAND [ARGS]...": label("usage_command", self.help_lang)}
        return [said.get(piece, piece) for piece in super().collect_usage_pieces(ctx)]  # type: ignore[misc]

    def get_help_option(self, ctx: Any) -> Any:
        option = super().get_help_option(ctx)  # type: ignore[misc]
        if option is not None:
            option.help = label("help_help", self.help_lang)
            option.metavar = label("metavar_flag", self.help_lang)
        return option

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        try:
            return super().parse_args(ctx, args)  # type: ignore[misc, no-any-return]
        except Exception as error:
            said = said_parse_error(error, _lang_of(ctx, self.help_lang))
            if said is None:
                raise
            raise SaidParseError(said, ctx=ctx) from None


class SaidParseError(typer.BadParameter):
    """A usage error of click's parser (exit code 2) with its message said in the run's language."""

    def format_message(self) -> str:
        return self.message


def _lang_of(ctx: Any, built_in: Lang) -> Lang:
    """The language of the run the context belongs to; the app's own where it has none."""
    run = ctx.find_root().obj
    return run.lang if isinstance(run, Run) else built_in


def _quoted(text: str) -> str:
    """The first name click put in quotes in its English message ('KOMMUNE', '--year'), without its quotes."""
    found = re.search(r"'([^']*)'", text)
    return found.group(1) if found else text


def said_parse_error(error: Exception, lang: Lang) -> str | None:
    """The message of an error click's parser raises in English, said in `lang`; None for any other error.
    The bundled click words these without gettext; they are known here by their class and the names they carry."""
    kind = type(error).__name__
    english = str(getattr(error, "message", ""))
    if kind == "MissingParameter":
        param = getattr(error, "param", None)
        name = _quoted(error.format_message()) if hasattr(error, "format_message") else english
        missing = "usage_missing_option" if getattr(param, "param_type_name", "") == "option" else "usage_missing_argument"
        return label(missing, lang, name=name)
    if kind == "UsageError" and ". Did you mean " in english:
        said, _, names = english.partition(". Did you mean ")
        return f"{said}. {label('usage_did_you_mean', lang, names=names.rstrip('?'))}"
    if kind == "NoSuchOption":
        possibilities = sorted(getattr(error, "possibilities", None) or ())
        said = label("usage_no_such_option", lang, name=getattr(error, "option_name", english))
        return f"{said} {label('usage_did_you_mean', lang, names=', '.join(possibilities))}" if possibilities else said
    if kind == "BadOptionUsage" and "requires" in english:
        return label("usage_option_needs_value", lang, name=_quoted(english))
    if kind == "BadOptionUsage" and "does not take a value" in english:
        return label("usage_option_takes_no_value", lang, name=_quoted(english))
    if english.startswith("Got unexpected extra argument"):
        return label("usage_extra_arguments", lang, values=english.partition(") (")[2][:-1])
    return None


class SpokenCommand(_SpokenWords, TyperCommand):
    pass


class SpokenGroup(_SpokenWords, TyperGroup):
    def resolve_command(self, ctx: Any, args: list[str]) -> Any:
        try:
            return super().resolve_command(ctx, args)
        except Exception as error:
            said = said_parse_error(error, _lang_of(ctx, self.help_lang))
            if said is None:
                raise
            raise SaidParseError(said, ctx=ctx) from None

    def make_context(self, info_name: str | None, args: list[str], parent: Any = None, **extra: Any) -> Any:
        """The context of an invocation, holding its run: the one it was given (costshare.launch), or one begun
        here from the words it was invoked with, when the app is run in-process."""
        if parent is None and extra.get("obj") is None:
            import os

            from ..run import Run

            extra["obj"] = Run.start(args, os.environ)
        return super().make_context(info_name, args, parent, **extra)


def _classes(lang: Lang) -> tuple[type[SpokenGroup], type[SpokenCommand]]:
    """The group and command classes whose own words are said in `lang`."""

    class Group(SpokenGroup):
        help_lang = lang

    class Command(SpokenCommand):
        help_lang = lang

    return Group, Command


def _said(info: object, lang: Lang) -> object:
    """An option's or argument's typer info with its help and metavar (catalog ids) said in `lang`."""
    if not isinstance(info, ParameterInfo):
        return info
    said = copy.copy(info)
    said.help = info.help.said(lang) if isinstance(info.help, FormatsHelp) else label(info.help, lang) if info.help else info.help
    said.metavar = label(info.metavar, lang) if info.metavar else info.metavar
    return said


def in_language(command: Callable[..., Any], lang: Lang) -> Callable[..., Any]:
    """`command` as typer reads it, the help and metavar of each of its options and arguments said in `lang`."""

    @functools.wraps(command)
    def spoken(*args: Any, **kwargs: Any) -> Any:
        return command(*args, **kwargs)

    signature = inspect.signature(command, eval_str=True)
    parameters = []
    for parameter in signature.parameters.values():
        if get_origin(parameter.annotation) is Annotated:
            kind, *infos = get_args(parameter.annotation)
            said = tuple(_said(info, lang) for info in infos)
            parameter = parameter.replace(annotation=Annotated[(kind, *said)])
        parameters.append(parameter)
    spoken.__signature__ = signature.replace(parameters=parameters)  # type: ignore[attr-defined]
    return spoken


def _add(app: typer.Typer, entries: Commands, command_class: type[SpokenCommand], lang: Lang) -> None:
    for name, help_key, command in entries:
        app.command(name, cls=command_class, help=label(help_key, lang))(in_language(command, lang))


def build_app(lang: Lang) -> typer.Typer:
    """The costshare command line with its help in `lang`."""
    group, command_class = _classes(lang)
    app = typer.Typer(
        cls=group,
        name="costshare",
        help=label("help_split_a_shared_cost_among_municipalities", lang),
        no_args_is_help=True,
        add_completion=False,
        pretty_exceptions_enable=False,
    )
    app.callback()(in_language(commands.main, lang))
    _add(app, billing.COMMANDS, command_class, lang)
    _add(app, commands.COMMANDS, command_class, lang)
    _add(app, decide.COMMANDS, command_class, lang)
    population_app = typer.Typer(cls=group, help=label(population.HELP, lang), no_args_is_help=True)
    _add(population_app, population.COMMANDS, command_class, lang)
    app.add_typer(population_app, name="population")
    return app
