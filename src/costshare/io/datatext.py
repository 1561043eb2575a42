"""The one rule for text that comes from the data: names, labels, notes, sources, server messages.

Such text ends up in a terminal, CSV, XLSX, JSON, Markdown, PDF and HTML. It is refused at the
edge if it holds anything that would make one of those outputs misbehave or lie: control
characters (escape sequences, line breaks), Unicode non-characters (U+FFFF cuts an XLSX short),
line and paragraph separators, and the bidirectional controls that can make text read
differently from what it holds.
"""

from __future__ import annotations

import unicodedata
from typing import Any

from ..limits import MAX_TEXT_LENGTH
from ..words.problems import InvalidValueError

_BIDI_CONTROLS = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def _is_noncharacter(code_point: int) -> bool:
    return 0xFDD0 <= code_point <= 0xFDEF or (code_point & 0xFFFE) == 0xFFFE


def unsafe_character(text: str) -> tuple[str, dict[str, Any]] | None:
    """The first character `text` may not hold, as a catalog id and its values; None when there is none."""
    for position, character in enumerate(text, start=1):
        category = unicodedata.category(character)
        if category in ("Cc", "Cs", "Zl", "Zp") or _is_noncharacter(ord(character)) or character in _BIDI_CONTROLS:
            key = "err_text_control" if category == "Cc" else "err_text_not_plain"
            return key, {"codepoint": f"{ord(character):04X}", "position": position}
    return None


def text_problem(text: str, max_length: int = MAX_TEXT_LENGTH) -> InvalidValueError | None:
    """Why `text` cannot be used as a name, label, note or source, or None when it can."""
    if len(text) > max_length:
        return InvalidValueError("err_text_too_long", length=len(text), limit=max_length)
    found = unsafe_character(text)
    return InvalidValueError(found[0], **found[1]) if found else None


def shown(value: object, max_length: int = 40) -> str:
    """A user's value inside a message: quoted if text (escapes visible), cut short so it cannot flood a line."""
    text = repr(value) if isinstance(value, str) else str(value)
    return text if len(text) <= max_length else text[: max_length - 1] + "…"


def one_line(text: str, max_length: int = 200) -> str:
    """Untrusted text (a server's message) as one line of printable text, cut to `max_length`."""
    cleaned = "".join(" " if unsafe_character(ch) or ch.isspace() else ch for ch in text)
    single = " ".join(cleaned.split())
    return single if len(single) <= max_length else single[: max_length - 1] + "…"
