"""`costshare decide`: a budget year's computed amounts appended to the agreement's record, once approved; and
what today's config would give for a year decided.

The record is history: a year decided is never decided again and no row is rewritten. A year computed on figures
not published yet (provisional) is decided only when the user says it is provisional, and the record says so.
"""

from __future__ import annotations

from datetime import date

from ..core.allocate import PeriodAllocation
from ..core.errors import ConfigError, CostShareError, DataError, Day, Problem, error
from ..core.record import DecidedYear
from ..io.config import LoadedConfig, display_path
from ..io.record import append_record, decided_lock, read_record
from .pipeline import compute_loaded


def decide(config: LoadedConfig, year: int, reference: str, provisional: bool, today: date) -> tuple[DecidedYear, str]:
    """Append `year` as computed today to the config's record (written anew where there is none yet); the year as
    decided and the record's name as the user reads it."""
    path = config.record_file
    if path is None:
        raise error(ConfigError, "err_decide_no_record", config.display, None, "hint_decide_record_key")
    display = display_path(path)
    with decided_lock(path, display):  # another decide appends only after this one, from what it wrote
        read = read_record(path, display, config.unit)
        if (earlier := read.years.get(year)) is not None:
            raise error(DataError, "err_decide_already" if earlier.reference else "err_decide_already_unnamed", display, None,
                        year=year, reference=earlier.reference, decided_on=Day.fromordinal(earlier.decided_on.toordinal()))  # fmt: skip
        period = compute_loaded(config, (year,), today=today).view.period(year)
        if period.projected and not provisional:
            raise error(DataError, "err_decide_projected", config.display, None, "hint_decide_provisional", year=year)
        amounts = {share.code: share.amount for share in period.shares}
        names = {share.code: share.municipality for share in period.shares}
        decided = DecidedYear(year, amounts, names, reference, period.projected, today)
        append_record(path, display, read, decided)
    return decided, display


def recomputed(config: LoadedConfig, years: tuple[int, ...], today: date) -> dict[int, PeriodAllocation | tuple[Problem, ...]]:
    """Each of the decided `years` as today's config would give it, or the problems that keep it from doing so (no
    population figures for the year's key, a P/L rate missing)."""
    found: dict[int, PeriodAllocation | tuple[Problem, ...]] = {}
    for year in years:
        try:
            found[year] = compute_loaded(config, (year,), today=today, with_record=False).view.period(year)
        except CostShareError as exc:
            found[year] = tuple(exc.problems)
    return found
