"""Reading a user's text file: the bytes (for a checksum) and their UTF-8 text, or a one-line error.

Only a regular file of bounded size is read. It is opened without blocking and checked after
opening, so a FIFO, a device or a folder put where a file belongs is an error, never a hang,
and a file that grows while it is read is cut off at the bound, not read forever.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from .core.errors import CostShareError


def read_utf8(
    path: Path, display: str, error: type[CostShareError], what: str, missing_hint: str, save_hint: str, max_bytes: int
) -> tuple[bytes, str]:
    """The file's bytes and its text; a BOM is dropped. Anything else than a readable regular UTF-8 file raises `error`."""
    try:
        descriptor = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_BINARY", 0))
    except FileNotFoundError:
        raise error(f"{what} not found", file=display, hint=missing_hint) from None
    except OSError as exc:
        raise error(f"cannot read the {what}: {exc.strerror}", file=display) from None
    try:
        mode = os.fstat(descriptor).st_mode
        if not stat.S_ISREG(mode):
            kind = "a folder" if stat.S_ISDIR(mode) else "not a regular file (a device, pipe or socket)"
            raise error(f"the {what} is {kind}", file=display, hint="give the path of a file")
        chunks: list[bytes] = []
        size = 0
        while size <= max_bytes:
            chunk = os.read(descriptor, min(1 << 20, max_bytes + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
    except OSError as exc:
        raise error(f"cannot read the {what}: {exc.strerror}", file=display) from None
    finally:
        os.close(descriptor)
    if size > max_bytes:
        raise error(f"the {what} is larger than {max_bytes / 2**20:g} MiB", file=display, hint="is this the right file?")
    raw = b"".join(chunks)
    try:
        return raw, raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise error("not UTF-8 text", file=display, location=str(line), hint=save_hint) from None
