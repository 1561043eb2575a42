"""The agreement's record in a run: which budget years are decided, checked against the config's members.

A year in the record is decided: its amounts are the record's, whatever today's key, P/L rates and costs say,
and only the years not in it are computed (pipeline.py). A decided year names every member paying in it, and
only those; a year outside the agreement is not decided by a record of it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from ..core.allocate import PeriodAllocation
from ..core.decided_years import decided_period
from ..core.errors import DataError, Problem, problem
from ..core.membership import Membership, paying
from ..core.periods import Period
from ..core.record import DecidedYear, Record, missing_members, strangers
from ..io.config import LoadedConfig, display_path
from ..io.record import RecordFile, read_record


def record_of(config: LoadedConfig) -> RecordFile:
    """The config's record of decided years as read (empty where the config names none or it is not written yet)."""
    path = config.record_file
    return read_record(path, display_path(path), config.unit) if path is not None else RecordFile({}, None)


def decided_periods(
    config: LoadedConfig,
    record: Record,
    periods: tuple[Period, ...],
    membership: tuple[Membership, ...] | None,
    everyone: Mapping[str, str],
) -> tuple[PeriodAllocation, ...]:
    """The `periods` the record decides, as allocated; every problem of the record against the config at once.
    `everyone`: every municipality in the population file, code → name (who pays where the config lists no members)."""
    path = config.record_file
    display = display_path(path) if path is not None else config.display
    by_year = {period.year: period for period in config.periods}
    problems = [problem("err_record_not_budget_year", display, _line(decided), "hint_record_years", year=year,
                        first=config.periods[0].year, last=config.periods[-1].year)
                for year, decided in record.items() if year not in by_year]  # fmt: skip
    for year, decided in record.items():
        if year in by_year:
            problems += _member_problems(decided, display, _payers(by_year[year], membership, tuple(everyone)), everyone)
    if problems:
        raise DataError(problems)
    return tuple(decided_period(period, record[period.year], config.unit) for period in periods if period.year in record)


def _payers(period: Period, membership: tuple[Membership, ...] | None, everyone: tuple[str, ...]) -> tuple[str, ...]:
    """The codes of the members paying in `period` (`everyone` where the config lists no members)."""
    payers = paying(membership, period)
    return tuple(member.code for member in payers) if payers is not None else everyone


def _member_problems(decided: DecidedYear, display: str, codes: tuple[str, ...], names: Mapping[str, str]) -> list[Problem]:
    """A decided year's missing members and those it names that do not pay in it, each by name and code."""

    def named(found: Iterable[str]) -> str:
        return ", ".join(f"{names[code]} ({code})" if code in names else code for code in found)

    problems = []
    if missing := missing_members(decided, codes):
        problems.append(problem("err_record_missing", display, None, "hint_record_missing", year=decided.year, codes=named(missing)))
    if unknown := strangers(decided, codes):
        problems.append(problem("err_record_stranger", display, None, "hint_record_stranger", year=decided.year, codes=named(unknown)))
    return problems


def _line(decided: DecidedYear) -> str | None:
    """Where the record says the year: its first row's line (None for a year not read from a file)."""
    return str(decided.line) if decided.line is not None else None
