"""`costshare population show` and `population fetch`: the population file, and new figures from Statistics Denmark."""

from __future__ import annotations

import math
import sys
from typing import TYPE_CHECKING, Annotated

import typer

from ..limits import DEFAULT_API_URL, DEFAULT_TIMEOUT
from ..run import Run
from .base import (
    ConfigOption,
    ForceOption,
    LangOption,
    UsageError,
    YearOption,
    chosen_years,
    parse_year_span,
    print_wide,
    reading,
    reports_errors,
    run_of,
    say,
)

if TYPE_CHECKING:
    from ..app.fetch import Fetched
    from ..core.municipality import Municipality
    from ..io.config import LoadedConfig
    from ..io.population import PopulationFile
    from ..words import Lang

HELP = "help_show_the_population_figures_and_fetch_ne"  # the catalog id of `costshare population`'s help
FOLK1A_FIRST_YEAR = 2008  # FOLK1A's quarterly series starts in 2008


def _load_population_file(config: LoadedConfig) -> PopulationFile:
    from ..io.population import load_population

    return load_population(config.population_file, config.population_display)


@reports_errors
def population_show(run: Run, config: ConfigOption = None, year_spans: YearOption = None, lang: LangOption = None) -> None:
    """The population per year side by side, with the change from year to year and the total."""
    from ..app.fetch import member_codes
    from ..app.pipeline import members
    from ..documents.table import population_table
    from ..words import label

    with reading(run, config, lang) as (loaded_config, chosen):
        table = _load_population_file(loaded_config).table
        year = chosen_years(year_spans)
        missing = [y for y in year or () if y not in table]
        if missing:
            years_in_file = ", ".join(map(str, sorted(table)))
            raise UsageError(
                say("usage_no_figures", years=", ".join(map(str, missing)), file=loaded_config.population_display, available=years_in_file),
                param_hint="--year",
            )
        years = tuple(sorted(set(year))) if year else tuple(sorted(table))
        codes = (
            member_codes(loaded_config, table)
            if members(loaded_config, table) is not None
            else tuple(sorted({c for y in years for c in table[y]}))
        )
        print_wide(population_table(table, years, codes, chosen, label("population_title", chosen)))
        print(f"{label('population_file', chosen)}: {loaded_config.population_display}")


def _api_url(value: str) -> str:
    """An http(s) address with a host, in plain characters; anything else is a usage error before any network."""
    from urllib.parse import urlsplit

    from ..io.datatext import unsafe_character

    try:
        parts = urlsplit(value)
        host = parts.hostname
        parts.port  # noqa: B018 - a port that is not a number from 0 to 65535 raises ValueError here
    except ValueError:
        host = None
        parts = None
    if parts is None or parts.scheme not in ("http", "https") or not host or unsafe_character(value) or any(ch.isspace() for ch in value):
        raise UsageError(say("usage_api_url"))
    return value


def _fetch_years(ctx: typer.Context, texts: list[str]) -> list[int]:
    """Years Statistics Denmark can have: from 2008 to this year (the run's); checked before any request."""
    this_year = run_of(ctx).today.year
    spans = [parse_year_span(text, FOLK1A_FIRST_YEAR, this_year, "usage_fetch_years") for text in texts]
    return chosen_years(spans) or []


def _timeout(value: float) -> float:
    from ..limits import MAX_TIMEOUT

    if not math.isfinite(value) or not 0.1 <= value <= MAX_TIMEOUT:
        raise UsageError(say("usage_timeout", limit=f"{MAX_TIMEOUT:g}", value=value))
    return value


@reports_errors
def population_fetch(
    run: Run,
    year: Annotated[
        list[str],
        typer.Option(
            "--year",
            "-y",
            metavar="metavar_year",
            callback=_fetch_years,
            help="help_year_whose_1_january_figures_to_fetch_20",
        ),
    ],
    config: ConfigOption = None,
    out: Annotated[
        str | None, typer.Option("--out", "-o", metavar="metavar_file", help="help_write_the_updated_file_here_instead_of_o")
    ] = None,
    api_url: Annotated[
        str, typer.Option("--api-url", metavar="metavar_url", callback=_api_url, help="help_statbank_api_data_endpoint")
    ] = DEFAULT_API_URL,
    timeout: Annotated[
        float,
        typer.Option("--timeout", metavar="metavar_seconds", callback=_timeout, help="help_seconds_the_whole_fetch_may_take_0_1_to"),
    ] = DEFAULT_TIMEOUT,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", metavar="metavar_flag", help="help_show_the_change_against_the_year_before")
    ] = False,
    force: ForceOption = False,
    lang: LangOption = None,
) -> None:
    """Fetch population on 1 January from Statistics Denmark (FOLK1A), check it, and merge it into the population file."""
    from rich.console import Console

    from ..app.fetch import fetch_checked, save_fetched
    from ..words import label
    from ..words.problems import problem_line

    years = tuple(int(text) for text in year)  # _fetch_years has made them years
    with reading(run, config, lang) as (loaded_config, chosen):
        population = _load_population_file(loaded_config)
        with Console(stderr=True).status(label("fetching", chosen)):
            fetched = fetch_checked(loaded_config, population, years, api_url, timeout)
        for warning in fetched.checked.warnings:
            print(f"{label('warning_word', chosen)}: {problem_line(warning, chosen)}", file=sys.stderr)
        if dry_run:
            _show_fetched(population.table, fetched, years, chosen)
            print(f"{label('source', chosen)}: {api_url}")
            print(label("dry_run", chosen), file=sys.stderr)
            return
        written = save_fetched(loaded_config, population, fetched, out, force)
        _say_fetched(fetched, years, chosen)
        print(label("wrote", chosen, file=written), file=sys.stderr)


def _show_fetched(table: dict[int, dict[str, Municipality]], fetched: Fetched, years: tuple[int, ...], chosen: Lang) -> None:
    """Each fetched year beside the year before it in the file (a dry run)."""
    from ..documents.table import population_table
    from ..words import label

    for fetched_year in years:
        earlier = [y for y in table if y < fetched_year]
        side_by_side = {**({max(earlier): table[max(earlier)]} if earlier else {}), fetched_year: fetched.checked.rows[fetched_year]}
        title = label("population_title", chosen)
        print_wide(population_table(side_by_side, tuple(sorted(side_by_side)), fetched.members, chosen, title))


def _say_fetched(fetched: Fetched, years: tuple[int, ...], chosen: Lang) -> None:
    """One line per fetched year: members, inhabitants and the region they add up to."""
    from ..words import label
    from ..words.display import format_count

    region = fetched.region
    for fetched_year in years:
        total = sum(row.population for row in fetched.checked.rows[fetched_year].values())
        check = label("fetched_region", chosen, region=region, name=fetched.region_names[fetched_year]) if region else ""
        inhabitants = format_count(total, chosen)
        print(
            label("fetched_year", chosen, year=fetched_year, count=len(fetched.members), inhabitants=inhabitants, check=check),
            file=sys.stderr,
        )


# The commands of `costshare population` in the order --help lists them: (name, the catalog id of its help, the command).
COMMANDS = (
    ("show", "cmd_population_show", population_show),
    ("fetch", "cmd_population_fetch", population_fetch),
)
