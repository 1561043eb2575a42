"""`costshare decide`: a budget year's computed amounts into the agreement's record of decided years."""

from __future__ import annotations

import functools
from typing import Annotated

import typer

from ..run import Run
from .base import ConfigOption, LangOption, UsageError, YearSpan, budget_year_spans, budget_years, one_year, reading, reports_errors

# one budget year: given several (--year 2026 --year 2027, or 2026-2027), the command refuses them (one_year)
DecideYearOption = Annotated[
    list[YearSpan], typer.Option("--year", "-y", metavar="metavar_year", parser=budget_year_spans, help="help_decide_year")
]


@reports_errors
def decide(
    run: Run,
    years: DecideYearOption,
    reference: Annotated[str, typer.Option("--reference", metavar="metavar_text", help="help_decide_reference")] = "",
    provisional: Annotated[bool, typer.Option("--provisional", metavar="metavar_flag", help="help_decide_provisional")] = False,
    config: ConfigOption = None,
    lang: LangOption = None,
) -> None:
    """Write a budget year's computed amounts to the record of decided years, once approved."""
    from ..app.decide import decide as decide_year
    from ..io.record import reference_problem
    from ..words import label
    from ..words.display import format_money
    from ..words.problems import problem_line

    year = one_year(years)
    if (refusal := reference_problem(reference)) is not None:
        raise UsageError(functools.partial(problem_line, refusal.at(None, None)), param_hint="--reference")
    with reading(run, config, lang, writes_record=True) as (loaded, chosen):
        budget_years([year], loaded)  # a year outside the agreement is a usage error
        decided, file = decide_year(loaded, year, reference, provisional, run.today)
        total = format_money(decided.total, loaded.unit, chosen, loaded.model.currency)
        said = label("decide_provisional", chosen) if decided.provisional else ""
        print(label("decide_wrote", chosen, year=year, file=file, count=len(decided.amounts), total=total, provisional=said))


COMMANDS = (("decide", "cmd_decide", decide),)
