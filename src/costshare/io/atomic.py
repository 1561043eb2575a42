"""The one atomic writer, for files and folders: nothing is clobbered, half-written, left behind or lost.

- Only a regular file is ever replaced: a device, pipe, socket or link at the target is refused,
  even with --force.
- Without --force the target must not exist at the moment of writing: the finished temporary
  file is hard-linked to the target name, which fails if anything got there first (a check
  before writing would leave a window for another run).
- The data goes to a temporary file in the same folder, is flushed to disk, and only then takes
  the target's name, so a reader sees the old file or the new one, never a part.
- Several files (`init`) are all or nothing: every target is checked before any is written, all are
  staged, and if one cannot take its name the ones already placed are put back as they were.
- A new file gets the mode the umask allows; a replaced file keeps its mode.
- SIGINT or SIGTERM during the write undoes it before the process ends; once the last file has taken its
  name the write stands, and only the old files' backups are removed. A signal the process was started
  ignoring (a background job's SIGINT) stays ignored.
- A folder is written by io/folder.py with the same rules.
"""

from __future__ import annotations

import errno
import os
import shutil
import stat
import sys
import tempfile
from collections.abc import Iterable, Mapping
from contextlib import suppress
from pathlib import Path

from ..core.errors import ExportError, Problem, error
from .signals import signals_held, undone_on_signal

# Where a file system has no hard links, the name is claimed with an exclusive create instead.
_NO_HARD_LINKS = frozenset({errno.EPERM, errno.EOPNOTSUPP, errno.ENOTSUP, errno.ENOSYS, errno.EXDEV, errno.EMLINK})


def write_synced(handle: int, data: bytes, mode: int) -> None:
    """`data` into the open file `handle` (closed after), which gets `mode`, flushed to disk before it returns."""
    with os.fdopen(handle, "wb") as file:
        file.write(data)
        file.flush()
        os.fchmod(file.fileno(), mode)
        os.fsync(file.fileno())


def sync_folder(folder: Path) -> None:
    """Flush a folder's entries (its names: renames, new files) to disk, where the system allows it."""
    try:
        handle = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(handle)
    except OSError:
        pass
    finally:
        os.close(handle)


def sync_written(folder: Path, paths: Iterable[Path]) -> None:
    """Flush the files at `paths`, just written in `folder` without flushing each, and the folder's entries to disk:
    in one call where Linux's syncfs is there (one journal commit instead of one per file), else file by file."""
    if not _synced_file_system(folder):
        for path in paths:
            with open(path, "rb") as file:
                os.fsync(file.fileno())
    sync_folder(folder)


def _synced_file_system(folder: Path) -> bool:
    """Everything written on `folder`'s file system flushed to disk in one call; False where there is no syncfs."""
    if sys.platform != "linux":
        return False
    import ctypes

    syncfs = getattr(ctypes.CDLL(None, use_errno=True), "syncfs", None)
    if syncfs is None:
        return False
    handle = os.open(folder, os.O_RDONLY)
    try:
        if syncfs(handle) != 0:
            code = ctypes.get_errno()
            raise OSError(code, os.strerror(code), str(folder))
    finally:
        os.close(handle)
    return True


def current_umask() -> int:
    """The process's umask (reading it means setting it, so it is set straight back)."""
    umask = os.umask(0o022)
    os.umask(umask)
    return umask


def new_file_mode() -> int:
    """rw for whom the umask allows, as `open` would give a new file."""
    return 0o666 & ~current_umask()


def write_stdout(data: bytes) -> None:
    """The bytes to standard output, after any text already printed; a closed one is an OSError like a full one."""
    buffer = getattr(sys.stdout, "buffer", None)
    if buffer is None:
        raise OSError(errno.EBADF, "standard output is closed")
    sys.stdout.flush()
    rest = memoryview(data)
    while rest:  # an unbuffered stream may take part of the bytes (a file-size limit reached): write on, and fail there
        count = buffer.write(rest)
        if not count:
            raise OSError(errno.EAGAIN, os.strerror(errno.EAGAIN))
        rest = rest[count:]
    buffer.flush()


def what_is_at(out: str) -> os.stat_result | None:
    """What is at `out` (None: nothing), the link itself where it is one; a folder on the way that is not a folder,
    or a name too long for the file system, is an error naming it."""
    try:
        return os.lstat(out)
    except FileNotFoundError:
        return None
    except NotADirectoryError:
        raise error(ExportError, "err_not_folder", str(_not_a_folder(Path(out)))) from None
    except OSError as exc:
        if exc.errno == errno.ENAMETOOLONG:
            raise error(ExportError, "err_name_too_long", out, None, "hint_shorter_name") from None
        raise error(ExportError, "err_cannot_write_here", out, reason=exc.strerror) from None


def existing_target(out: str, force: bool, exists_hint: str = "hint_force") -> os.stat_result | None:
    """What is at `out` now (None: nothing), after refusing what costshare never replaces: a folder, a device,
    pipe, socket or link, and with `force` off any file at all (the refusal's hint is `exists_hint`)."""
    existing = what_is_at(out)
    if existing is None:
        return None
    if stat.S_ISDIR(existing.st_mode):
        raise error(ExportError, "err_target_folder", out)
    if not stat.S_ISREG(existing.st_mode):
        raise error(ExportError, "err_target_not_regular", out)
    if not force:
        raise error(ExportError, "err_file_exists", out, None, exists_hint)
    return existing


def _not_a_folder(path: Path) -> Path:
    """The first of `path`'s folders that is something else (a file, a pipe)."""
    for folder in reversed(path.parents):
        if os.path.lexists(folder) and not folder.is_dir():
            return folder
    return path.parent


def write_output(out: str, data: bytes, force: bool) -> None:
    """Write `data` to `out` ('-' is standard output): atomically, and never over anything without `force`."""
    if out == "-":
        write_stdout(data)
        return
    write_files({out: data}, force)


def write_files(files: Mapping[str, bytes], force: bool, exists_hint: str = "hint_force", make_folders: bool = False) -> None:
    """Write every file or none: each target checked first, all staged beside their targets, then each given its
    name; a failure or a signal puts back what was already placed. `make_folders`: create missing folders (and
    remove them again on failure)."""
    problems: list[Problem] = []
    existing: dict[str, os.stat_result | None] = {}
    for out in files:
        try:
            existing[out] = existing_target(out, force, exists_hint)
        except ExportError as exc:
            problems.extend(exc.problems)
    if problems:
        raise ExportError(list(dict.fromkeys(problems)))  # one line for a folder that several targets are under
    batch = _Batch(keep_backups=len(files) > 1)
    with undone_on_signal(batch.undo):
        try:
            for out, data in files.items():
                batch.stage(out, data, existing[out], make_folders)
            for out in files:
                batch.place(out, force)
        except BaseException:
            batch.undo()
            raise
        batch.finish()


class _Batch:
    """Files being written together: staged temporary files, then placed one by one, undoable until finished."""

    def __init__(self, keep_backups: bool) -> None:
        self.keep_backups = keep_backups  # one file needs none: there is nothing to put back after it
        self.folders: list[Path] = []  # created here, deepest last
        self.temps: dict[str, str] = {}
        self.placed: list[tuple[str, int, str | None]] = []  # target, its new inode, the old file's backup
        self.done = False  # every file has its name: from here the write stands, whatever comes

    def stage(self, out: str, data: bytes, existing: os.stat_result | None, make_folders: bool) -> None:
        folder = Path(out).parent
        if make_folders:
            self._make_folder(out, folder)
        elif not folder.is_dir():
            raise error(ExportError, "err_no_folder", out, folder=folder)
        mode = stat.S_IMODE(existing.st_mode) if existing is not None else new_file_mode()
        try:
            with signals_held():  # an undo must know every temporary file made
                handle, temp_name = tempfile.mkstemp(dir=folder, prefix=f".{Path(out).name[:64]}.", suffix=".tmp")
                self.temps[out] = temp_name
        except OSError as exc:
            raise error(ExportError, "err_cannot_write_in", out, folder=folder, reason=exc.strerror) from None
        try:
            write_synced(handle, data, mode)
        except OSError as exc:
            raise error(ExportError, "err_cannot_write_file", out, reason=exc.strerror) from None

    def _make_folder(self, out: str, folder: Path) -> None:
        missing = [f for f in (folder, *folder.parents) if not os.path.lexists(f)][::-1]
        for path in missing:
            try:
                with signals_held():
                    path.mkdir()
                    self.folders.append(path)
            except FileExistsError:
                continue
            except OSError as exc:
                raise error(ExportError, "err_cannot_write_here", out, reason=exc.strerror) from None
        if not folder.is_dir():
            raise error(ExportError, "err_not_folder", str(_not_a_folder(Path(out))))

    def place(self, out: str, force: bool) -> None:
        with signals_held():  # placed and recorded as one step, so an undo knows every file it must put back
            self._place(out, force)
            self.done = not self.temps  # the last file placed: a signal from here on ends the run, the write kept

    def _place(self, out: str, force: bool) -> None:
        temp_name = self.temps.pop(out)
        target = Path(out)
        inode = os.stat(temp_name).st_ino
        backup = None
        try:
            if force:
                if self.keep_backups and os.path.lexists(target):
                    backup = _backup(target)
                os.replace(temp_name, target)
            else:
                _link_exclusively(temp_name, target)
        except FileExistsError:
            Path(temp_name).unlink(missing_ok=True)
            raise error(ExportError, "err_file_exists", out, None, "hint_force") from None
        except OSError as exc:
            Path(temp_name).unlink(missing_ok=True)
            raise error(ExportError, "err_cannot_write_file", out, reason=exc.strerror) from None
        Path(temp_name).unlink(missing_ok=True)  # the hard link's other name
        self.placed.append((out, inode, backup))

    def undo(self) -> None:
        """Put back what was placed, remove what was staged and the folders made for it; once every file is
        placed, the write stands and only the old files' backups go (some may be gone already)."""
        if self.done:
            self.finish()
            return
        for temp_name in self.temps.values():
            Path(temp_name).unlink(missing_ok=True)
        self.temps.clear()
        for out, inode, backup in reversed(self.placed):
            try:
                if backup is not None:
                    os.replace(backup, out)
                elif os.lstat(out).st_ino == inode:  # still the file this run wrote
                    os.unlink(out)
            except OSError:
                pass
        self.placed.clear()
        for folder in reversed(self.folders):
            with suppress(OSError):
                folder.rmdir()
        self.folders.clear()

    def finish(self) -> None:
        """Remove the old files' backups (a signal meanwhile: the undo removes the rest)."""
        for _, _, backup in self.placed:
            if backup is not None:
                Path(backup).unlink(missing_ok=True)


def _backup(target: Path) -> str:
    """A second name for the file at `target`, to put it back with if a later file of the batch fails."""
    backup = str(target.with_name(f".{target.name[:64]}.{os.urandom(6).hex()}.old"))
    try:
        os.link(target, backup, follow_symlinks=False)
    except OSError as exc:
        if exc.errno not in _NO_HARD_LINKS:
            raise
        shutil.copy2(target, backup)
    return backup


def _link_exclusively(temp_name: str, target: Path) -> None:
    """Give the finished temporary file the target's name, failing with FileExistsError if it is taken."""
    try:
        os.link(temp_name, target, follow_symlinks=False)
    except FileExistsError:
        raise
    except OSError as exc:
        if exc.errno not in _NO_HARD_LINKS:
            raise
        mode = stat.S_IMODE(os.stat(temp_name).st_mode)
        os.close(os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode))  # claim the name, then fill it
        os.replace(temp_name, target)
