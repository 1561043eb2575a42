"""population.csv → {year: {code: Municipality}}; every check on the data happens here.

Accepts UTF-8 with or without BOM, CRLF, and `;` or `,` between fields, because the
file is often saved from Danish Excel.
"""

from __future__ import annotations

import codecs
import hashlib
import io
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from .errors import DataError, Problem
from .municipality import Municipality, normalise_code
from .textfile import read_utf8

COLUMNS = ("year", "code", "municipality", "population")
_DANISH_THOUSANDS = re.compile(r"\d{1,3}([.\s]\d{3})+")


def read_population_file(path: Path, display: str) -> tuple[bytes, str]:
    """The file's bytes (for its checksum) and text; missing, empty or non-UTF-8 files are DataError."""
    raw, text = read_utf8(
        path, display, DataError, "population file",
        "check population.file in the config; it is relative to the config file", "save the file as CSV UTF-8",
    )
    if not text.strip():
        raise DataError("the population file is empty", file=display, hint=f"expected a header {','.join(COLUMNS)}")
    return raw, text


def sniff_delimiter(header: str) -> str:
    """';' when the header uses it (Danish Excel), else ','."""
    return ";" if header.count(";") > header.count(",") else ","


class _RowError(ValueError):
    def __init__(self, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.hint = hint


def _population(text: str) -> int:
    if text.isascii() and text.isdigit():
        value = int(text)
        if value <= 0:
            raise _RowError(f"population must be positive, got {text}")
        return value
    if text.startswith("-") and text[1:].isdigit():
        raise _RowError(f"population must be positive, got {text}")
    if _DANISH_THOUSANDS.fullmatch(text):
        digits = re.sub(r"[.\s]", "", text)
        raise _RowError(f"population {text!r} is not a whole number", f"write {digits} without thousands separators")
    raise _RowError(f"population {text!r} is not a whole number")


def _year(text: str) -> int:
    if text.isascii() and text.isdigit() and len(text) == 4:
        return int(text)
    raise _RowError(f"year {text!r} is not a four-digit year")


def parse_population(text: str, display: str) -> dict[int, dict[str, Municipality]]:
    """Parse and check population CSV text, collecting every problem before failing."""
    import pandas as pd

    header = text.splitlines()[0]
    try:
        frame = pd.read_csv(
            io.StringIO(text), sep=sniff_delimiter(header), dtype=str, keep_default_na=False, skip_blank_lines=False
        )
    except pd.errors.ParserError as exc:
        found = re.search(r"Expected (\d+) fields in line (\d+), saw (\d+)", str(exc))
        if found:
            expected, line, saw = found.groups()
            raise DataError(f"expected {expected} fields, found {saw}", file=display, location=line) from None
        raise DataError(f"not a readable CSV file: {exc}", file=display) from None
    frame.columns = [str(column).strip().lower() for column in frame.columns]
    missing = [column for column in COLUMNS if column not in frame.columns]
    if missing:
        raise DataError(
            f"missing column(s) {', '.join(missing)}", file=display, location="1",
            hint=f"the header must be {','.join(COLUMNS)}",
        )
    problems: list[Problem] = []
    table: dict[int, dict[str, Municipality]] = {}
    first_line: dict[tuple[int, str], int] = {}
    for index, row in enumerate(frame[list(COLUMNS)].itertuples(index=False, name=None)):
        line = index + 2
        cells = [str(cell).strip() for cell in row]
        if not any(cells):
            continue
        year_text, code_text, name, population_text = cells
        try:
            year = _year(year_text)
            code = normalise_code(code_text)
            if not name:
                raise ValueError("municipality name is empty")
            if any(unicodedata.category(ch) == "Cc" for ch in name):
                raise ValueError("municipality name contains a control character")
            population = _population(population_text)
        except ValueError as exc:
            problems.append(Problem(str(exc), display, str(line), getattr(exc, "hint", None)))
            continue
        if (year, code) in first_line:
            problems.append(
                Problem(f"municipality {code} appears again for {year} (first on line {first_line[(year, code)]})", display, str(line))
            )
            continue
        first_line[(year, code)] = line
        table.setdefault(year, {})[code] = Municipality(code, name, population)
    if problems:
        raise DataError(problems=problems)
    if not table:
        raise DataError("the population file has a header but no rows", file=display)
    return table


@dataclass(frozen=True)
class PopulationFile:
    """The checked population table, the SHA-256 of the file it came from, and its text (for merging)."""

    table: dict[int, dict[str, Municipality]]
    sha256: str
    text: str
    bom: bool


def load_population(path: Path, display: str) -> PopulationFile:
    """Read and check the population file."""
    raw, text = read_population_file(path, display)
    return PopulationFile(parse_population(text, display), hashlib.sha256(raw).hexdigest(), text, raw.startswith(codecs.BOM_UTF8))
