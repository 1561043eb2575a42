"""Which characters text may hold: the one rule for names, labels and notes from the data, and for showing
any other text (a file name given on the command line) so that what is printed is what is there.

Refused: control characters (escape sequences, line breaks), surrogates, Unicode non-characters (U+FFFF
cuts an XLSX short), line and paragraph separators, the bidirectional controls that can make text read
differently from what it holds, and invisible characters (zero-width spaces and joiners, soft hyphens,
tag characters, variation selectors, fillers, spaces other than the plain one) that would let two names
look the same and differ.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

# What a spreadsheet runs as a formula at the start of a cell (OWASP CSV injection): costshare's CSV writes such
# text with a leading ' (inert), and reads it back without it.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n")

_BIDI_CONTROLS = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


# Invisible, yet not in a format category: the combining grapheme joiner, Hangul and Khmer fillers, the braille blank.
_INVISIBLE = frozenset("\u034f\u115f\u1160\u17b4\u17b5\u2800\u3164\uffa0")


def _is_invisible(character: str, category: str) -> bool:
    code_point = ord(character)
    return (
        category in ("Cf", "Cn", "Co")  # format (zero-width, soft hyphen, tags), unassigned, private use
        or (category == "Zs" and character != " ")
        or character in _INVISIBLE
        or 0xFE00 <= code_point <= 0xFE0F  # variation selectors
        or 0xE0100 <= code_point <= 0xE01EF
    )


def _is_noncharacter(code_point: int) -> bool:
    return 0xFDD0 <= code_point <= 0xFDEF or (code_point & 0xFFFE) == 0xFFFE


# The refused characters Python counts as printable (every other one is in a category isprintable() refuses: a
# control, format, surrogate, private, unassigned or separator character other than the plain space).
_PRINTABLE_REFUSED = re.compile(f"[{''.join(sorted(_INVISIBLE))}\ufe00-\ufe0f\U000e0100-\U000e01ef]")


def unsafe_character(text: str) -> tuple[str, dict[str, Any]] | None:
    """The first character `text` may not hold, as a catalog id and its values; None when there is none."""
    if text.isprintable() and _PRINTABLE_REFUSED.search(text) is None:
        return None  # the common case, in one pass in C: a population file holds a name on each of its rows
    for position, character in enumerate(text, start=1):
        category = unicodedata.category(character)
        if category in ("Cc", "Cs", "Zl", "Zp") or _is_noncharacter(ord(character)) or character in _BIDI_CONTROLS:
            key = "err_text_control" if category == "Cc" else "err_text_not_plain"
            return key, {"codepoint": f"{ord(character):04X}", "position": position}
        if _is_invisible(character, category):
            return "err_text_invisible", {"codepoint": f"{ord(character):04X}", "position": position}
    return None


def visible(text: str) -> str:
    """`text` with every character the rule refuses written as its escape (\\x1b, \\u200b), the rest as it is."""
    if unsafe_character(text) is None:
        return text
    return "".join(ch if unsafe_character(ch) is None else ch.encode("unicode_escape").decode("ascii") for ch in text)
