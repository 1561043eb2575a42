"""Municipalities: codes are the key; names are for display and for finding a code.

A finance officer types `soro`, `Soroe` or `340` and means Sorø; lookup ignores case
and Danish letters (æ ø å written as ae/a, oe/o, aa/a).
"""

from __future__ import annotations

import difflib
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Municipality:
    """One row of population data: a municipality's code, name and population on 1 January."""

    code: str
    name: str
    population: int


def normalise_code(value: Any) -> str:
    """A municipality or region code as three digits: 340 → '340', 85 or '85' → '085'."""
    if isinstance(value, bool) or not isinstance(value, (int, str)):
        raise ValueError(f"expected a municipality code such as 340, got {value!r}")
    text = str(value)
    if not (text.isascii() and text.isdigit() and 1 <= len(text) <= 3):
        raise ValueError(f"expected a municipality code of 1–3 digits such as 340, got {value!r}")
    return text.zfill(3)


def _fold(text: str, danish: dict[str, str]) -> str:
    text = text.casefold().strip()
    for letter, spelling in danish.items():
        text = text.replace(letter, spelling)
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


_SHORT = {"æ": "ae", "ø": "o", "å": "a"}
_LONG = {"æ": "ae", "ø": "oe", "å": "aa"}


def name_keys(name: str) -> set[str]:
    """The spellings a user may type for `name`: 'Sorø' → {'soro', 'soroe', 'sorø'}."""
    return {_fold(name, _SHORT), _fold(name, _LONG), _fold(name, {})}


def find_code(query: str, names: dict[str, str]) -> str:
    """The code that `query` (a code or a name) means, given {code: name}.

    Raises LookupError with a suggestion when nothing, or more than one, matches."""
    text = query.strip()
    for suffix in (" kommune", " municipality"):  # "Sorø Kommune" means Sorø
        if text.casefold().endswith(suffix) and text[: -len(suffix)].strip():
            text = text[: -len(suffix)].strip()
    if text.isdigit():
        code = text.zfill(3)
        if code in names:
            return code
        raise LookupError(f"no municipality with code {text}")
    wanted = _fold(text, {})
    matches = sorted(code for code, name in names.items() if wanted in name_keys(name))
    if len(matches) == 1:
        return matches[0]
    if matches:
        raise LookupError(f"{query!r} matches more than one municipality: " + ", ".join(f"{names[c]} ({c})" for c in matches))
    by_key = {_fold(name, _SHORT): name for name in names.values()}
    close = difflib.get_close_matches(_fold(text, _SHORT), list(by_key), n=3)
    suggestion = f"; did you mean {' or '.join(by_key[c] for c in close)}?" if close else ""
    raise LookupError(f"no municipality named {query!r}{suggestion}")


def find_codes(queries: Iterable[str], names: dict[str, str]) -> tuple[str, ...]:
    """Codes for every query, in code order, each once."""
    return tuple(sorted({find_code(query, names) for query in queries}))
