"""Checking fetched population figures and merging them into population.csv.

The merge keeps every other year's lines exactly as they were (bytes included) and writes the
new rows in the file's own dialect (delimiter, line ending, BOM), sorted by year and code.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

from .core.errors import FetchError, Problem
from .core.municipality import Municipality
from .messages import problem
from .population import PopulationFile, parse_population


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
    warnings: list[Problem] = []
    rows: dict[int, dict[str, Municipality]] = {}
    for year in years:
        reply = fetched.get(year, {})
        missing = [code for code in members if code not in reply]
        if missing:
            names = ", ".join(f"{code} {known_names[code]}" if code in known_names else code for code in missing)
            problems.append(problem("err_reply_missing", source, year=year, names=names))
            continue
        rows[year] = {code: reply[code] for code in sorted(members)}
        total = sum(row.population for row in rows[year].values())
        if region is not None:
            if region not in reply:
                problems.append(problem("err_reply_no_region", source, year=year, region=region))
            elif reply[region].population != total:
                problems.append(
                    problem("err_region_sum", source, None, "hint_region", total=total, year=year, region=region,
                            name=reply[region].name, population=reply[region].population)
                )  # fmt: skip
        for code, row in rows[year].items():
            if code in known_names and known_names[code] != row.name:
                warnings.append(problem("warn_renamed", code=code, new=repr(row.name), old=repr(known_names[code])))
    if problems:
        raise FetchError(problems=problems)
    return CheckedFetch(rows, tuple(dict.fromkeys(warnings)))


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
