"""The lock that lets one run at a time append to a record (the register of issued documents, the record of decided
years): an exclusive flock on a file beside it, named by it with '.lock' added.

The lock file is opened without following a link and without waiting on a pipe, and must be a regular file: a link,
pipe, device or folder put in its place is refused, so taking the lock never creates or touches a file elsewhere.
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
import time
from collections.abc import Iterator
from pathlib import Path

from ..core.errors import ExportError, error
from .atomic import new_file_mode

LOCK_WAIT = 5.0  # seconds a run waits for another to finish before it refuses


def lock_file(record: Path) -> Path:
    return record.with_name(f"{record.name}.lock")


def _opened(path: Path, display: str, cannot_key: str) -> int:
    """The lock file, open for writing (made where there is none); anything but a regular file is refused."""
    flags = os.O_RDWR | os.O_CREAT | os.O_NONBLOCK | getattr(os, "O_NOFOLLOW", 0)
    try:
        handle = os.open(path, flags, new_file_mode())
    except FileNotFoundError:
        raise error(ExportError, "err_no_folder", display, folder=path.parent) from None
    except OSError as exc:
        if exc.errno == errno.ELOOP:  # a link, not followed
            raise _not_a_file(path, display) from None
        raise error(ExportError, cannot_key, display, reason=exc.strerror) from None
    if not stat.S_ISREG(os.fstat(handle).st_mode):
        os.close(handle)
        raise _not_a_file(path, display)
    return handle


def _not_a_file(path: Path, display: str) -> ExportError:
    return error(ExportError, "err_lock_not_file", display, None, "hint_lock_not_file", lock=path.name)


@contextlib.contextmanager
def record_lock(record: Path, display: str, cannot_key: str, busy_key: str, busy_hint: str, wait: float = LOCK_WAIT) -> Iterator[None]:
    """Hold the record's lock inside the block; another run holding it is waited for `wait` seconds, then refused
    (`busy_key`). `cannot_key`: the refusal where the lock cannot be taken at all."""
    import fcntl

    handle = _opened(lock_file(record), display, cannot_key)
    try:
        deadline = time.monotonic() + wait
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise error(ExportError, busy_key, display, None, busy_hint) from None
                time.sleep(0.05)
        yield
    finally:
        os.close(handle)  # closing the file lets the lock go
