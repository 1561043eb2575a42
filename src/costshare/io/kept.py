"""Every issued document's bytes, kept beside the register, and the lock that lets one run at a time issue.

The copies are in a folder beside the register named by its stem (data/register.csv: data/register/), each named by
its number as issued ('KA-2026-340-1.xml'). A run writes the copies first under a pending name ('.pending-…'), flushed
to disk, then appends their rows to the register in one step, then gives each copy its own name. A run killed at any
moment leaves a pending copy without a row (removed by the next run: it was never issued) or a row whose copy is still
pending (named by the next run); a copy under its own name always has its row. Nothing here replaces a kept copy.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import tempfile
from collections.abc import Iterator, Mapping
from pathlib import Path

from ..core.errors import DataError, ExportError, Problem, error, problem
from ..core.register import Issued
from ..limits import MAX_KEPT_BYTES
from .atomic import new_file_mode, sync_folder, sync_written
from .kept_document import disagreement
from .lock import LOCK_WAIT, record_lock
from .register import Register
from .textfile import read_regular

PENDING = ".pending-"
SUFFIX = ".xml"


def copies_folder(register: Path) -> Path:
    """Where the register's documents are kept: beside it, named by its stem (register.csv: register/)."""
    return register.with_name(register.stem if register.suffix else f"{register.name}.d")


@contextlib.contextmanager
def register_lock(register: Path, display: str, wait: float = LOCK_WAIT) -> Iterator[None]:
    """Hold the register's lock (io/lock.py) inside the block; another run holding it is waited for `wait` seconds,
    then refused."""
    with record_lock(register, display, "err_register_cannot_lock", "err_register_busy", "hint_register_busy", wait):
        yield


def _names(folder: Path) -> list[str]:
    try:
        return sorted(os.listdir(folder))
    except FileNotFoundError:
        return []


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _kept_bytes(path: Path) -> bytes | None:
    """The bytes of a kept copy (None: there is none), read as a bounded regular file: a pipe, a device or a folder
    put in its place is an error naming it, never a hang."""
    try:
        return read_regular(path, str(path), DataError, "word_kept_copy", MAX_KEPT_BYTES)
    except FileNotFoundError:
        return None


def _row_problem(row: Issued, line: int, folder: Path, names: set[str], display: str) -> Problem | None:
    """What does not hold between a row and its kept copy: none kept, one that is not the document issued (its
    SHA-256), or a row that does not say what its document says (a row edited by hand, its hash recomputed)."""
    name = f"{row.number}{SUFFIX}"
    found = next((f for f in (name, f"{PENDING}{name}") if f in names), None)
    data = _kept_bytes(folder / found) if found is not None else None
    if data is None:
        return problem("err_register_copy_missing", display, str(line), "hint_register_row", file_name=name)
    if _digest(data) != row.sha256:
        return problem("err_kept_copy_changed", str(folder / name), None, "hint_register_row", number=row.number)
    if (field := disagreement(row, data)) is not None:
        return problem("err_register_row_not_document", display, str(line), "hint_register_row", file_name=name, field=field)
    return None


def copy_problems(register: Register, folder: Path, display: str) -> list[Problem]:
    """What does not hold between the register's rows and the copies kept beside it: a row whose copy is missing or
    is not the document it records, a copy under its own name without a row (a row removed by hand)."""
    names = set(_names(folder))
    numbers = register.numbers
    found = (_row_problem(row, line, folder, names, display) for line, row in enumerate(register.rows, 2))
    problems = [found_problem for found_problem in found if found_problem is not None]
    strays = sorted(name for name in names if name.endswith(SUFFIX) and not name.startswith(".") and name[: -len(SUFFIX)] not in numbers)
    return problems + [problem("err_register_copy_without_row", str(folder / name), None, "hint_register_row") for name in strays]


def _take_name(folder: Path, pending: str, name: str) -> None:
    """The pending copy under its own name (never over a copy there), then the pending name gone."""
    try:
        os.link(folder / pending, folder / name)
    except FileExistsError:
        pass  # named already by a run that ended before it removed the pending name
    except OSError:  # a file system without hard links: the run holds the lock, so the free name stays free
        if not os.path.lexists(folder / name):
            os.rename(folder / pending, folder / name)
            return
        raise
    os.unlink(folder / pending)


@contextlib.contextmanager
def writing_in(folder: Path) -> Iterator[None]:
    """An OSError inside (a full disk, a folder without write permission) as the error that names the folder."""
    try:
        yield
    except OSError as exc:
        raise error(ExportError, "err_cannot_write_file", str(exc.filename or folder), reason=exc.strerror) from None


def settle_pending(register: Register, folder: Path) -> None:
    """Under the lock, what an earlier run left: a pending copy whose row is in the register takes its own name; one
    without (never issued) is removed, and so is a temporary file."""
    rows = {row.number: row for row in register.rows}
    changed = False
    for name in _names(folder):
        if name.startswith(PENDING) and name.endswith(SUFFIX):
            row = rows.get(name[len(PENDING) : -len(SUFFIX)])
            if row is not None and _digest(_kept_bytes(folder / name) or b"") == row.sha256:
                _take_name(folder, name, name[len(PENDING) :])
            else:
                os.unlink(folder / name)
            changed = True
        elif name.startswith(".tmp-"):
            os.unlink(folder / name)
            changed = True
    if changed:
        sync_folder(folder)


def keep_pending(folder: Path, files: Mapping[str, bytes]) -> None:
    """Each file (by its name) kept under its pending name, on disk with the folder's entries before it returns. A
    file that cannot be written (a full disk, a folder without write permission) is an error naming it, and nothing
    this call wrote is left behind."""
    folder.mkdir(exist_ok=True)
    mode = new_file_mode()
    kept: list[str] = []
    try:
        for name in files:
            _keep_one(folder, name, files[name], mode)
            kept.append(name)
        sync_written(folder, [folder / f"{PENDING}{name}" for name in kept])
    except OSError as exc:
        discard_pending(folder, kept)
        failed = next((name for name in files if name not in kept), next(iter(files)))
        raise error(ExportError, "err_cannot_write_in", str(folder / failed), folder=folder, reason=exc.strerror) from None


def _keep_one(folder: Path, name: str, data: bytes, mode: int) -> None:
    """One file under its pending name, by way of a temporary file removed if it cannot be written."""
    handle, temp = tempfile.mkstemp(dir=folder, prefix=".tmp-")
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(data)
            os.fchmod(file.fileno(), mode)
        os.replace(temp, folder / f"{PENDING}{name}")
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise


def discard_pending(folder: Path, names: list[str]) -> None:
    """The pending copies of documents that were not issued after all (their rows could not be appended) removed."""
    for name in names:
        with contextlib.suppress(OSError):
            os.unlink(folder / f"{PENDING}{name}")


def name_kept(folder: Path, names: list[str]) -> None:
    """The pending copies of documents now in the register, under their own names."""
    for name in names:
        _take_name(folder, f"{PENDING}{name}", name)
    sync_folder(folder)


def kept_copy(folder: Path, row: Issued) -> bytes:
    """The document `row` was issued as, from its kept copy (or its pending one), checked against its SHA-256."""
    for name in (f"{row.number}{SUFFIX}", f"{PENDING}{row.number}{SUFFIX}"):
        data = _kept_bytes(folder / name)
        if data is None:
            continue
        if _digest(data) != row.sha256:
            raise error(DataError, "err_kept_copy_changed", str(folder / name), None, "hint_register_row", number=row.number)
        return data
    raise error(DataError, "err_kept_copy_missing", str(folder / f"{row.number}{SUFFIX}"), None, "hint_register_row", number=row.number)
