"""`costshare population fetch` as a use case: ask StatBank for the members' figures, check them, and merge them
into population.csv.

The merge keeps every other year's lines exactly as they were (bytes included) and writes the
new rows in the file's own dialect (delimiter, line ending, BOM), sorted by year and code.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

from ..core.errors import FetchError, Problem, problem
from ..core.municipality import Municipality
from ..io.atomic import write_output
from ..io.config import LoadedConfig, resolved
from ..io.population import PopulationFile, latest_names, parse_population
from .pipeline import members as configured_members


@dataclass(frozen=True)
class CheckedFetch:
    """Fetched members' rows per year, and warnings worth showing (renamed municipalities)."""

    rows: dict[int, dict[str, Municipality]]
    warnings: tuple[Problem, ...]


def check_fetched(
    fetched: dict[int, dict[str, Municipality]],
    years: tuple[int, ...],
    members: tuple[str, ...],
    region: str | None,
    known_names: dict[str, str],
    source: str,
) -> CheckedFetch:
    """Every member exactly once per year, the members adding up to the region, names as before."""
    problems: list[Problem] = []
    rows: dict[int, dict[str, Municipality]] = {}
    for year in years:
        reply = fetched.get(year, {})
        missing = [code for code in members if code not in reply]
        if missing:
            problems.append(_missing_problem(missing, known_names, year, source))
            continue
        rows[year] = {code: reply[code] for code in sorted(members)}
        problems += _region_problems(reply, rows[year], year, region, source)
    if problems:
        raise FetchError(problems=problems)
    warnings = [warning for year_rows in rows.values() for warning in _renamed(year_rows, known_names)]
    return CheckedFetch(rows, tuple(dict.fromkeys(warnings)))


def _missing_problem(missing: list[str], known_names: dict[str, str], year: int, source: str) -> Problem:
    """Members the reply leaves out, each by code and the name it had."""
    names = ", ".join(f"{code} {known_names[code]}" if code in known_names else code for code in missing)
    return problem("err_reply_missing", source, year=year, names=names)


def _region_problems(
    reply: dict[str, Municipality], members: dict[str, Municipality], year: int, region: str | None, source: str
) -> list[Problem]:
    """The members add up to the region's own figure in the reply, where a region is configured."""
    if region is None:
        return []
    if region not in reply:
        return [problem("err_reply_no_region", source, year=year, region=region)]
    total = sum(row.population for row in members.values())
    if reply[region].population == total:
        return []
    return [problem("err_region_sum", source, None, "hint_region", total=total, year=year, region=region,
                    name=reply[region].name, population=reply[region].population)]  # fmt: skip


def _renamed(rows: dict[str, Municipality], known_names: dict[str, str]) -> list[Problem]:
    """A warning for each member whose name in the reply differs from its name in the population file."""
    return [
        problem("warn_renamed", code=code, new=repr(row.name), old=repr(known_names[code]))
        for code, row in rows.items()
        if code in known_names and known_names[code] != row.name
    ]


def merge_rows(existing: PopulationFile, new_rows: dict[int, dict[str, Municipality]], display: str) -> bytes:
    """The population file with `new_rows`' years replaced and every other line kept as written,
    in the file's own dialect (delimiter, line ending, BOM), sorted by year and code.

    The result is read back with the file's own reader before it is returned, so what is written
    is a file costshare loads."""
    kept = [(row.year, row.municipality.code, row.text) for row in existing.rows if row.year not in new_rows]
    for year, rows in new_rows.items():
        for code, row in rows.items():
            values = {"year": str(year), "code": code, "municipality": row.name, "population": str(row.population)}
            buffer = io.StringIO()
            csv.writer(buffer, delimiter=existing.delimiter, lineterminator="").writerow(
                [values.get(column, "") for column in existing.header]
            )
            kept.append((year, code, buffer.getvalue()))
    kept.sort(key=lambda entry: (entry[0], entry[1]))
    newline = existing.newline
    text = newline.join([existing.header_text, *(line for _, _, line in kept)]) + newline
    parse_population(text, display)
    return (("\ufeff" if existing.bom else "") + text).encode("utf-8")


@dataclass(frozen=True)
class Fetched:
    """What a fetch brought, checked: the members' rows per year, the region's name, warnings to show."""

    years: tuple[int, ...]
    members: tuple[str, ...]
    region: str | None
    region_names: dict[int, str]
    checked: CheckedFetch


def member_codes(config: LoadedConfig, table: dict[int, dict[str, Municipality]]) -> tuple[str, ...]:
    """The configured members' codes, in code order; without a member list, every municipality of the newest year."""
    resolved_members = configured_members(config, table)
    if resolved_members is not None:
        return tuple(sorted(member.code for member in resolved_members))
    return tuple(sorted(table[max(table)]))


def fetch_checked(config: LoadedConfig, population: PopulationFile, years: tuple[int, ...], api_url: str, timeout: float) -> Fetched:
    """The members' (and the region's) figures for `years` from StatBank, checked against the population file."""
    from ..io.statbank import fetch_population

    table = population.table
    members = member_codes(config, table)
    region = config.model.population.region
    areas = [*members, region] if region else list(members)
    fetched = fetch_population(api_url, years, areas, timeout)
    checked = check_fetched(fetched, years, members, region, latest_names(table), api_url)
    region_names = {year: fetched[year][region].name for year in years} if region else {}
    return Fetched(years, members, region, region_names, checked)


def save_fetched(config: LoadedConfig, population: PopulationFile, fetched: Fetched, out: str | None, force: bool) -> str:
    """Merge the fetched rows into the population file (or write the result to `out`); the file written, as shown."""
    target = out or str(config.population_file)
    is_own_file = out is None or resolved(Path(out)) == config.population_file
    write_output(target, merge_rows(population, fetched.checked.rows, target), force=force or is_own_file)
    return out or config.population_display
