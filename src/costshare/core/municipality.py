"""Municipalities: codes are the key; names are for display and for finding a code.

A finance officer types `soro`, `Soroe` or `340` and means Sorø; lookup ignores case
and Danish letters (æ ø å written as ae/a, oe/o, aa/a).
"""

from __future__ import annotations

import difflib
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any


class NoSuchMunicipalityError(LookupError):
    """A name or code that matches no municipality, or several: `kind` and `values` say which, for the edge to word.

    kind: no_code (values: code), ambiguous (query, found), no_name_close (query, names: a tuple to choose from), no_name (query)."""

    def __init__(self, kind: str, **values: object) -> None:
        super().__init__(kind, values)
        self.kind, self.values = kind, values


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


def spellings(names: Mapping[str, str]) -> dict[str, tuple[str, ...]]:
    """Every spelling a user may type for a name (name_keys) → the codes of the municipalities so named, in code
    order: made once, so looking up many names costs one pass over `names`, not one per name."""
    found: dict[str, list[str]] = {}
    for code in sorted(names):
        for key in name_keys(names[code]):
            found.setdefault(key, []).append(code)
    return {key: tuple(codes) for key, codes in found.items()}


def find_code(query: str, names: Mapping[str, str], spelled: Mapping[str, tuple[str, ...]] | None = None) -> str:
    """The code that `query` (a code or a name) means, given {code: name} (and its `spellings`, where made already).

    Raises LookupError with a suggestion when nothing, or more than one, matches."""
    text = without_suffix(query.strip())
    if text.isdigit():
        code = text.zfill(3)
        if code in names:
            return code
        raise NoSuchMunicipalityError("no_code", code=text)
    wanted = _fold(text, {})
    matches = list((spellings(names) if spelled is None else spelled).get(wanted, ()))
    if len(matches) == 1:
        return matches[0]
    if matches:
        raise NoSuchMunicipalityError("ambiguous", query=repr(query), found=", ".join(f"{names[c]} ({c})" for c in matches))
    raise no_name(query, text, names)


def without_suffix(text: str) -> str:
    """A name with " Kommune" or " municipality" after it means the name alone: "Sorø Kommune" is Sorø."""
    for suffix in (" kommune", " municipality"):
        if text.casefold().endswith(suffix) and text[: -len(suffix)].strip():
            text = text[: -len(suffix)].strip()
    return text


def no_name(query: str, text: str, names: Mapping[str, str]) -> NoSuchMunicipalityError:
    """No municipality is called `text`: the error, naming up to three close names where there are any."""
    by_key = {_fold(name, _SHORT): name for name in names.values()}
    close = difflib.get_close_matches(_fold(text, _SHORT), list(by_key), n=3)
    if close:
        return NoSuchMunicipalityError("no_name_close", query=repr(query), names=tuple(by_key[c] for c in close))
    return NoSuchMunicipalityError("no_name", query=repr(query))


def find_codes(queries: Iterable[str], names: Mapping[str, str]) -> tuple[str, ...]:
    """Codes for every query, in code order, each once."""
    return tuple(sorted({find_code(query, names) for query in queries}))
