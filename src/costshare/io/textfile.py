"""Reading a user's text file: the bytes (for a checksum) and their UTF-8 text (or, for a file a spreadsheet
saved, UTF-8 or Windows-1252), or a one-line error.

Only a regular file of bounded size is read. It is opened without blocking and checked after
opening, so a FIFO, a device or a folder put where a file belongs is an error, never a hang,
and a file that grows while it is read is cut off at the bound, not read forever.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from ..core.errors import CostShareError, error


def read_utf8(
    path: Path,
    display: str,
    kind: type[CostShareError],
    what: str,
    missing_hint: str,
    save_hint: str,
    max_bytes: int,
    **hint_values: object,
) -> tuple[bytes, str]:
    """The file's bytes and its text; a BOM is dropped. Anything else than a readable regular UTF-8 file raises `error`."""
    raw = read_file(path, display, kind, what, missing_hint, max_bytes, **hint_values)
    try:
        return raw, raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise error(kind, "err_not_utf8", display, str(line), save_hint) from None


def read_file(
    path: Path, display: str, kind: type[CostShareError], what: str, missing_hint: str, max_bytes: int, **hint_values: object
) -> bytes:
    """The bytes of a readable regular file of at most `max_bytes`; anything else raises `error` (one line)."""
    try:
        return read_regular(path, display, kind, what, max_bytes)
    except FileNotFoundError:
        raise error(kind, "err_file_not_found", display, None, missing_hint, what_word=what, **hint_values) from None


def spreadsheet_text(raw: bytes, display: str, kind: type[CostShareError], save_hint: str) -> str:
    """The text of a file a spreadsheet saved: UTF-8 (a BOM dropped) where the bytes are UTF-8, else Windows-1252
    (what Danish Excel saves as "CSV (semikolonsepareret)"). Danish letters in Windows-1252 are never valid UTF-8,
    so trying UTF-8 strictly first tells the two apart; bytes that are neither are an error at their line."""
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return raw.decode("cp1252")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise error(kind, "err_not_text", display, str(line), save_hint) from None


def read_regular(path: Path, display: str, kind: type[CostShareError], what: str, max_bytes: int) -> bytes:
    """The bytes of the regular file at `path`, at most `max_bytes`; FileNotFoundError where there is none, and a
    one-line `error` where it cannot be read, is no regular file (a FIFO is never waited on) or is too large."""
    try:
        descriptor = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_BINARY", 0))
    except FileNotFoundError:
        raise
    except OSError as exc:
        raise error(kind, "err_cannot_read", display, what_word=what, reason=exc.strerror) from None
    try:
        raw = _regular_bytes(descriptor, display, kind, what, max_bytes)
    except OSError as exc:
        raise error(kind, "err_cannot_read", display, what_word=what, reason=exc.strerror) from None
    finally:
        os.close(descriptor)
    if len(raw) > max_bytes:
        raise error(kind, "err_too_large", display, None, "hint_right_file", what_word=what, size=f"{max_bytes / 2**20:g}")
    return raw


def _regular_bytes(descriptor: int, display: str, kind: type[CostShareError], what: str, max_bytes: int) -> bytes:
    """At most `max_bytes` + 1 bytes of an open regular file (one more than allowed tells it is too large)."""
    mode = os.fstat(descriptor).st_mode
    if not stat.S_ISREG(mode):
        key = "err_is_folder" if stat.S_ISDIR(mode) else "err_not_regular_read"
        raise error(kind, key, display, None, "hint_give_file", what_word=what)
    chunks: list[bytes] = []
    size = 0
    while size <= max_bytes:
        chunk = os.read(descriptor, min(1 << 20, max_bytes + 1 - size))
        if not chunk:
            break
        chunks.append(chunk)
        size += len(chunk)
    return b"".join(chunks)
