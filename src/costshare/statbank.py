"""Population on 1 January from Statistics Denmark's StatBank API (table FOLK1A). The only network code.

Returns the same shape as population.py: {year: {code: Municipality}}, plus the region rows
when a region is asked for, so the caller can check the members add up to it.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable

from .core.errors import FetchError, Problem
from .core.municipality import Municipality

DEFAULT_API_URL = "https://api.statbank.dk/v1/data"
DEFAULT_TIMEOUT = 30.0
TABLE = "FOLK1A"

_AREA = re.compile(r"(\d{3})\s+(.+)")
_QUARTER_ONE = re.compile(r"(\d{4})K1")


def request_body(years: Iterable[int], areas: Iterable[str]) -> dict:
    """The POST body asking FOLK1A for the total population of `areas` in the first quarter of `years`."""
    return {
        "table": TABLE,
        "format": "CSV",
        "lang": "da",
        "valuePresentation": "CodeAndValue",
        "variables": [
            {"code": "OMRÅDE", "values": list(areas)},
            {"code": "KØN", "values": ["TOT"]},
            {"code": "ALDER", "values": ["IALT"]},
            {"code": "CIVILSTAND", "values": ["TOT"]},
            {"code": "Tid", "values": [f"{year}K1" for year in years]},
        ],
    }


def download(api_url: str, body: dict, timeout: float) -> str:
    """POST the request and return the reply's text; every failure becomes one FetchError line."""
    import httpx

    try:
        response = httpx.post(api_url, json=body, timeout=timeout)
    except httpx.TimeoutException:
        raise FetchError(
            f"no answer within {timeout:g} seconds", file=api_url, hint="try again later, or allow more time with --timeout"
        ) from None
    except httpx.HTTPError as exc:
        raise FetchError(
            f"cannot reach Statistics Denmark: {exc}", file=api_url, hint="check the network connection and --api-url"
        ) from None
    if response.status_code != 200:
        raise FetchError(f"Statistics Denmark answered {response.status_code}: {_server_message(response)}", file=api_url)
    try:
        return response.content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise FetchError("the reply is not UTF-8 text", file=api_url) from None


def _server_message(response) -> str:
    try:
        message = response.json().get("message")
    except (ValueError, AttributeError):
        message = None
    return str(message) if message else (response.reason_phrase or "no message")


def parse_reply(text: str, source: str) -> dict[int, dict[str, Municipality]]:
    """StatBank CSV (`;`, header OMRÅDE;…;TID;INDHOLD, areas as '340 Sorø', time as 2024K1) → {year: {code: row}}."""
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    header = [cell.strip().upper() for cell in rows[0]] if rows else []
    if not {"OMRÅDE", "TID", "INDHOLD"} <= set(header):
        preview = text.strip().splitlines()[0][:60] if text.strip() else "an empty reply"
        raise FetchError(f"the reply is not StatBank CSV with OMRÅDE, TID and INDHOLD columns (it starts: {preview!r})", file=source)
    area_at, time_at, value_at = header.index("OMRÅDE"), header.index("TID"), header.index("INDHOLD")
    table: dict[int, dict[str, Municipality]] = {}
    problems: list[Problem] = []
    unpublished: dict[str, list[str]] = {}  # time → areas with '..', reported as one line per time
    for line, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(header):
            problems.append(Problem(f"reply line {line}: expected {len(header)} fields, found {len(row)}", source))
            continue
        area, time, value = row[area_at].strip(), row[time_at].strip(), row[value_at].strip()
        area_match, time_match = _AREA.fullmatch(area), _QUARTER_ONE.fullmatch(time)
        if not area_match or not time_match:
            problems.append(Problem(f"reply line {line}: unexpected area {area!r} or time {time!r}", source))
            continue
        code, name = area_match.groups()
        year = int(time_match.group(1))
        if value == "..":
            unpublished.setdefault(time, []).append(f"{code} {name}")
            continue
        if not (value.isascii() and value.isdigit()) or int(value) <= 0:
            problems.append(Problem(f"reply line {line}: population {value!r} for {code} {name} is not a positive whole number", source))
            continue
        if code in table.get(year, {}):
            problems.append(Problem(f"{code} {name} appears more than once for {year} in the reply", source))
            continue
        table.setdefault(year, {})[code] = Municipality(code, name.strip(), int(value))
    for time, areas in unpublished.items():
        problems.append(
            Problem(
                f"Statistics Denmark has no figure ('..') in {time} for {', '.join(areas)}",
                source,
                hint="the figures may not be published yet",
            )
        )
    if problems:
        raise FetchError(problems=problems)
    return table


def fetch_population(
    api_url: str, years: Iterable[int], areas: Iterable[str], timeout: float = DEFAULT_TIMEOUT
) -> dict[int, dict[str, Municipality]]:
    """Download and parse population on 1 January of `years` for `areas` (municipality and region codes)."""
    return parse_reply(download(api_url, request_body(years, areas), timeout), api_url)
