"""Population on 1 January from Statistics Denmark's StatBank API (table FOLK1A). The only network code.

Returns the same shape as population.py: {year: {code: Municipality}}, plus the region rows
when a region is asked for, so the caller can check the members add up to it.
"""

from __future__ import annotations

import csv
import io
import json
import re
import threading
import zlib
from collections.abc import Iterable
from typing import Any

from ..core.errors import CostShareError, FetchError, InvalidValueError, Problem, error, problem
from ..core.municipality import Municipality
from ..limits import DEFAULT_TIMEOUT, MAX_REPLY_BYTES
from .datatext import one_line, shown
from .population import municipality_name
from .values import population_value

TABLE = "FOLK1A"

_AREA = re.compile(r"([0-9]{3})\s+(.+)")
_QUARTER_ONE = re.compile(r"([0-9]{4})K1")


def request_body(years: Iterable[int], areas: Iterable[str]) -> dict[str, Any]:
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


def download(api_url: str, body: dict[str, Any], timeout: float) -> str:
    """POST the request and return the reply's text; every failure becomes one FetchError line.

    `timeout` bounds the whole exchange, not each step: the request runs in a worker thread that
    is abandoned at the deadline, so a server that trickles a byte a second cannot hold it open."""
    outcome: dict[str, Any] = {}
    cancelled = threading.Event()

    def work() -> None:
        try:
            outcome["text"] = _exchange(api_url, body, timeout, cancelled)
        except FetchError as exc:
            outcome["error"] = exc

    worker = threading.Thread(target=work, name="statbank-download", daemon=True)
    worker.start()
    worker.join(timeout)
    if worker.is_alive():
        cancelled.set()
        raise _too_slow(api_url, timeout)
    if "error" in outcome:
        raise outcome["error"]
    return str(outcome["text"])


def _too_slow(api_url: str, timeout: float) -> CostShareError:
    return error(FetchError, "err_too_slow", api_url, None, "hint_too_slow", seconds=f"{timeout:g}")


def _exchange(api_url: str, body: dict[str, Any], timeout: float, cancelled: threading.Event) -> str:
    import httpx

    try:
        with httpx.stream("POST", api_url, json=body, timeout=timeout, headers={"Accept-Encoding": "gzip, deflate"}) as response:
            if response.status_code != 200:
                message = _server_message(_read_body(response, cancelled, api_url, _MAX_ERROR_BYTES))
                said = message or one_line(response.reason_phrase) or "–"
                raise error(FetchError, "err_server", api_url, status=response.status_code, message=said)
            data = _read_body(response, cancelled, api_url, MAX_REPLY_BYTES)
    except httpx.TimeoutException:
        raise _too_slow(api_url, timeout) from None
    except httpx.HTTPError as exc:
        detail = one_line(str(exc)) or type(exc).__name__
        raise error(FetchError, "err_unreachable", api_url, None, "hint_unreachable", detail=detail) from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise error(FetchError, "err_reply_not_utf8", api_url) from None


_MAX_ERROR_BYTES = 64 * 1024


def _read_body(response: Any, cancelled: threading.Event, api_url: str, limit: int) -> bytes:
    """The body, decompressed here with a bound on the output, so a small gzip bomb cannot grow in memory."""
    encoding = response.headers.get("Content-Encoding", "identity").strip().lower()
    if encoding not in ("identity", "gzip", "deflate", ""):
        raise error(FetchError, "err_reply_encoding", api_url, encoding=repr(one_line(encoding, 40)))
    inflater = zlib.decompressobj(47) if encoding in ("gzip", "deflate") else None  # 47: gzip or zlib header
    parts: list[bytes] = []
    size = 0
    for raw in response.iter_raw():
        if cancelled.is_set():
            raise error(FetchError, "err_reply_cancelled", api_url)
        pending = raw
        while pending:
            if inflater is None:
                piece, pending = pending, b""
            else:
                try:
                    piece = inflater.decompress(pending, limit + 1 - size)
                except zlib.error:
                    raise error(FetchError, "err_reply_compression", api_url) from None
                pending = inflater.unconsumed_tail
            size += len(piece)
            if size > limit:
                raise error(FetchError, "err_reply_large", api_url, None, "hint_api_url", size=f"{limit / 2**20:g}")
            parts.append(piece)
            if inflater is not None and not piece:
                break
    return b"".join(parts)


def _server_message(body: bytes) -> str:
    """The `message` of a StatBank error reply, as one line of printable text; empty when there is none."""
    try:
        message = json.loads(body.decode("utf-8", errors="replace")).get("message")
    except (ValueError, AttributeError):
        return ""
    return one_line(str(message)) if message else ""


def parse_reply(text: str, source: str) -> dict[int, dict[str, Municipality]]:
    """StatBank CSV (`;`, header OMRÅDE;…;TID;INDHOLD, areas as '340 Sorø', time as 2024K1) → {year: {code: row}}."""
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    header = [cell.strip().upper() for cell in rows[0]] if rows else []
    if not {"OMRÅDE", "TID", "INDHOLD"} <= set(header):
        if not text.strip():
            raise error(FetchError, "err_reply_empty", source)
        raise error(FetchError, "err_reply_not_csv", source, preview=repr(one_line(text.strip().splitlines()[0], 60)))
    table: dict[int, dict[str, Municipality]] = {}
    unpublished: dict[str, list[str]] = {}  # time → areas with '..', reported as one line per time
    found = (_take_row(row, line, header, source, table, unpublished) for line, row in enumerate(rows[1:], start=2))
    problems = [found_problem for found_problem in found if found_problem is not None]
    for time, areas in unpublished.items():
        problems.append(problem("err_reply_unpublished", source, None, "hint_not_published", time=time, areas=", ".join(areas)))
    if problems:
        raise FetchError(problems=problems)
    return table


def _take_row(
    row: list[str], line: int, header: list[str], source: str, table: dict[int, dict[str, Municipality]], unpublished: dict[str, list[str]]
) -> Problem | None:
    """One row of the reply into `table` (or, a figure not published yet, `unpublished`); its problem, where it has one."""
    if not any(cell.strip() for cell in row):
        return None
    if len(row) != len(header):
        return problem("err_field_count", source, str(line), expected=len(header), found=len(row))
    area, time, value = (row[header.index(column)].strip() for column in ("OMRÅDE", "TID", "INDHOLD"))
    area_match, time_match = _AREA.fullmatch(area), _QUARTER_ONE.fullmatch(time)
    if not area_match or not time_match:
        return problem("err_reply_area", source, str(line), area=shown(area), time=shown(time, 20))
    code, year = area_match.group(1), int(time_match.group(1))
    try:  # the rules of the population file itself, so what is fetched can always be loaded again
        name = municipality_name(area_match.group(2).strip())
    except InvalidValueError as refusal:
        return refusal.at(source, str(line), subject=code)
    if value == "..":
        unpublished.setdefault(time, []).append(f"{code} {name}")
        return None
    try:
        population = population_value(value)
    except InvalidValueError as refusal:
        return refusal.at(source, str(line), subject=f"{code} {name}")
    if code in table.get(year, {}):
        return problem("err_reply_duplicate", source, str(line), code=code, name=name, year=year)
    table.setdefault(year, {})[code] = Municipality(code, name, population)
    return None


def fetch_population(
    api_url: str, years: Iterable[int], areas: Iterable[str], timeout: float = DEFAULT_TIMEOUT
) -> dict[int, dict[str, Municipality]]:
    """Download and parse population on 1 January of `years` for `areas` (municipality and region codes)."""
    return parse_reply(download(api_url, request_body(years, areas), timeout), api_url)
