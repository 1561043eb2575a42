"""Reading a user's text file: the bytes (for a checksum) and their UTF-8 text, or a one-line error."""

from __future__ import annotations

from pathlib import Path

from .core.errors import CostShareError


def read_utf8(path: Path, display: str, error: type[CostShareError], what: str, missing_hint: str, save_hint: str) -> tuple[bytes, str]:
    """The file's bytes and its text; a BOM is dropped. Missing, unreadable or non-UTF-8 files raise `error`."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise error(f"{what} not found", file=display, hint=missing_hint) from None
    except OSError as exc:
        raise error(f"cannot read the {what}: {exc.strerror}", file=display) from None
    try:
        return raw, raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise error("not UTF-8 text", file=display, location=str(line), hint=save_hint) from None
