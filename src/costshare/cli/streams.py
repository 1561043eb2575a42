"""Standard output that cannot turn into a traceback: closed, full, a broken pipe, or a terminal
whose encoding has no æ, ø and å.

The CLI calls `prepare_stdout` before a command and `finish_stdout` after it; an OSError that
`is_output_failure` recognises becomes one `error:` line and exit code 1 (`said_stdout_failed`).
"""

from __future__ import annotations

import codecs
import errno
import io
import os
import sys
import unicodedata
from typing import TYPE_CHECKING

from ..words import Lang, label

if TYPE_CHECKING:
    import typer

    from ..run import Run

# Failures of the stream itself, not of a file costshare reads (those are CostShareErrors already).
_OUTPUT_ERRNOS = frozenset({errno.EPIPE, errno.ENOSPC, errno.EDQUOT, errno.EIO, errno.EBADF, errno.EFBIG})

# Danish letters and the typography costshare prints, spelled in ASCII for a terminal that cannot show them.
_ASCII = {"æ": "ae", "ø": "oe", "å": "aa", "Æ": "Ae", "Ø": "Oe", "Å": "Aa", "–": "-", "—": "-", "×": "x", "…": "...", "·": "-", "÷": "/"}
_FALLBACK = "costshare-ascii"


def _spell_in_ascii(error: UnicodeError) -> tuple[str, int]:
    if not isinstance(error, UnicodeEncodeError):
        raise error
    text = error.object[error.start : error.end]
    spelled = []
    for character in text:
        if character in _ASCII:
            spelled.append(_ASCII[character])
            continue
        bare = "".join(c for c in unicodedata.normalize("NFKD", character) if not unicodedata.combining(c))
        spelled.append(bare if bare.isascii() and bare.isprintable() else "?")
    return "".join(spelled), error.end


class _ClosedStream(io.TextIOBase):
    """Stands in for a standard output that was closed before costshare started."""

    def write(self, text: str) -> int:
        raise OSError(errno.EBADF, "standard output is closed")


def prepare_stdout() -> None:
    """Make stdout writable for every text costshare prints, or make writing to it fail cleanly."""
    if sys.stdout is None:
        sys.stdout = _ClosedStream()
        return
    _write_whole()
    encoding = getattr(sys.stdout, "encoding", None) or "ascii"
    try:
        "æøå–│".encode(encoding)
    except UnicodeEncodeError:
        try:
            codecs.lookup_error(_FALLBACK)
        except LookupError:
            codecs.register_error(_FALLBACK, _spell_in_ascii)
        if isinstance(sys.stdout, io.TextIOWrapper):
            sys.stdout.reconfigure(errors=_FALLBACK)
    except LookupError:  # an encoding name Python does not know: leave the stream as it is
        pass


def _write_whole() -> None:
    """Put a buffer under an unbuffered stdout (python -u, PYTHONUNBUFFERED): its text layer passes each piece to
    one raw write and ignores a short count, so a file-size limit would cut the output without a word. A buffer
    writes the rest or raises; line buffering keeps the output coming line by line."""
    if not isinstance(sys.stdout, io.TextIOWrapper) or not isinstance(sys.stdout.buffer, io.FileIO):
        return
    sys.stdout.flush()
    raw = io.FileIO(sys.stdout.fileno(), "wb", closefd=False)  # its own, so the stream it stands in for stays open
    stream = sys.stdout
    sys.stdout = io.TextIOWrapper(
        io.BufferedWriter(raw), encoding=stream.encoding, errors=stream.errors, line_buffering=True, write_through=True
    )


def finish_stdout() -> None:
    """Flush now, so a full disk or a closed pipe is reported while costshare can still say so."""
    if sys.stdout is not None:
        sys.stdout.flush()


def is_output_failure(error: OSError) -> bool:
    return error.errno in _OUTPUT_ERRNOS


def silence_stdout() -> None:
    """After a failure, point stdout at the null device, so the interpreter's last flush stays quiet."""
    try:
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, sys.stdout.fileno())
        os.close(null)
    except (OSError, ValueError, AttributeError, io.UnsupportedOperation):
        sys.stdout = _ClosedStream()


def said_stdout_failed(failure: OSError, lang: Lang) -> None:
    """Say in `lang` on standard error that standard output failed, and quieten it for the interpreter's last flush;
    a broken pipe by the exit code alone: its reader stopped reading (`costshare table | head`), as the user asked."""
    silence_stdout()
    if failure.errno == errno.EPIPE:
        return
    print(f"{label('error_word', lang)}: {label('err_stdout', lang, reason=failure.strerror or failure)}", file=sys.stderr)


def run_app(app: typer.Typer, run: Run) -> None:
    """Run `app` as the command `run` began; its help and --version, which typer prints outside any command, are
    flushed before it ends too, so a standard output that fails is one `error:` line and exit code 1 there as well."""
    prepare_stdout()
    try:
        try:
            app(obj=run)
        except SystemExit:  # how typer ends, whatever it did
            finish_stdout()
            raise
    except OSError as exc:
        if not is_output_failure(exc):
            raise
        said_stdout_failed(exc, run.lang)
        raise SystemExit(1) from None
