"""Text that comes from the data (names, labels, notes, sources, server messages), held to core/text's rule.

Such text ends up in a terminal, CSV, XLSX, JSON, Markdown, PDF and HTML, so it is refused at the
edge if it holds any character that rule does not allow.
"""

from __future__ import annotations

from ..core.errors import InvalidValueError
from ..core.text import unsafe_character
from ..limits import MAX_TEXT_LENGTH


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


__all__ = ["one_line", "shown", "text_problem", "unsafe_character"]
