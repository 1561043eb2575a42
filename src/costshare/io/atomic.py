"""The one atomic writer, for files and folders: nothing is clobbered, half-written or left behind.

- Only a regular file is ever replaced: a device, pipe, socket or link at the target is refused,
  even with --force.
- Without --force the target must not exist at the moment of writing: the finished temporary
  file is hard-linked to the target name, which fails if anything got there first (a check
  before writing would leave a window for another run).
- The data goes to a temporary file in the same folder, is flushed to disk, and only then takes
  the target's name, so a reader sees the old file or the new one, never a part.
- A new file gets the mode the umask allows; a replaced file keeps its mode.
- SIGINT or SIGTERM during the write removes the temporary file before the process ends; a signal the
  process was started ignoring (a background job's SIGINT) stays ignored.
- A folder (the bundle) is written the same way: into a new folder beside the target, every file
  flushed to disk, then renamed into place in one step.
"""

from __future__ import annotations

import errno
import os
import shutil
import signal
import stat
import sys
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import FrameType

from ..core.errors import ExportError
from ..words.problems import error

# Where a file system has no hard links, the name is claimed with an exclusive create instead.
_NO_HARD_LINKS = frozenset({errno.EPERM, errno.EOPNOTSUPP, errno.ENOTSUP, errno.ENOSYS, errno.EXDEV, errno.EMLINK})


class _Interrupted(BaseException):
    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


@contextmanager
def removed_on_signal(temp_name: str) -> Iterator[None]:
    """Remove `temp_name` (a file or a folder) if SIGINT or SIGTERM arrives inside the block, then end as that signal would."""
    if threading.current_thread() is not threading.main_thread():  # signal handlers are the main thread's
        yield
        return

    def interrupt(signum: int, frame: FrameType | None) -> None:
        raise _Interrupted(signum)

    # a signal the process inherited as ignored stays ignored: catching it would make it end the write
    caught = [signum for signum in (signal.SIGINT, signal.SIGTERM) if signal.getsignal(signum) is not signal.SIG_IGN]
    previous = {signum: signal.signal(signum, interrupt) for signum in caught}
    try:
        yield
    except _Interrupted as stop:
        if Path(temp_name).is_dir():
            shutil.rmtree(temp_name, ignore_errors=True)
        else:
            Path(temp_name).unlink(missing_ok=True)
        for signum, handler in previous.items():
            signal.signal(signum, handler)
        signal.raise_signal(stop.signum)
        raise  # only reached if the restored handler returns
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)


def current_umask() -> int:
    """The process's umask (reading it means setting it, so it is set straight back)."""
    umask = os.umask(0o022)
    os.umask(umask)
    return umask


def _new_file_mode() -> int:
    """rw for whom the umask allows, as `open` would give a new file."""
    return 0o666 & ~current_umask()


def write_stdout(data: bytes) -> None:
    """The bytes to standard output, after any text already printed; a closed one is an OSError like a full one."""
    buffer = getattr(sys.stdout, "buffer", None)
    if buffer is None:
        raise OSError(errno.EBADF, "standard output is closed")
    sys.stdout.flush()
    buffer.write(data)
    buffer.flush()


def existing_target(out: str, force: bool, exists_hint: str = "hint_force") -> os.stat_result | None:
    """What is at `out` now (None: nothing), after refusing what costshare never replaces: a folder, a device,
    pipe, socket or link, and with `force` off any file at all (the refusal's hint is `exists_hint`)."""
    try:
        existing = os.lstat(out)
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise error(ExportError, "err_cannot_write_here", out, reason=exc.strerror) from None
    if stat.S_ISDIR(existing.st_mode):
        raise error(ExportError, "err_target_folder", out)
    if not stat.S_ISREG(existing.st_mode):
        raise error(ExportError, "err_target_not_regular", out)
    if not force:
        raise error(ExportError, "err_file_exists", out, None, exists_hint)
    return existing


def write_output(out: str, data: bytes, force: bool) -> None:
    """Write `data` to `out` ('-' is standard output): atomically, and never over anything without `force`."""
    if out == "-":
        write_stdout(data)
        return
    target = Path(out)
    existing = existing_target(out, force)
    folder = target.parent
    if not folder.is_dir():
        raise error(ExportError, "err_no_folder", out, folder=folder)
    mode = stat.S_IMODE(existing.st_mode) if existing is not None else _new_file_mode()
    try:
        handle, temp_name = tempfile.mkstemp(dir=folder, prefix=f".{target.name}.", suffix=".tmp")
    except OSError as exc:
        raise error(ExportError, "err_cannot_write_in", out, folder=folder, reason=exc.strerror) from None
    with removed_on_signal(temp_name):
        try:
            with os.fdopen(handle, "wb") as temp:
                temp.write(data)
                temp.flush()
                os.fchmod(temp.fileno(), mode)
                os.fsync(temp.fileno())
            if force:
                os.replace(temp_name, target)
            else:
                _link_exclusively(temp_name, target, mode)
        except FileExistsError:
            raise error(ExportError, "err_file_exists", out, None, "hint_force") from None
        except OSError as exc:
            raise error(ExportError, "err_cannot_write_file", out, reason=exc.strerror) from None
        finally:
            Path(temp_name).unlink(missing_ok=True)


def _link_exclusively(temp_name: str, target: Path, mode: int) -> None:
    """Give the finished temporary file the target's name, failing with FileExistsError if it is taken."""
    try:
        os.link(temp_name, target, follow_symlinks=False)
    except FileExistsError:
        raise
    except OSError as exc:
        if exc.errno not in _NO_HARD_LINKS:
            raise
        os.close(os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode))  # claim the name, then fill it
        os.replace(temp_name, target)


def write_folder(outdir: str, files: dict[str, bytes], force: bool) -> None:
    """Write `files` (paths inside the folder → bytes) into a new folder beside `outdir`, each flushed to disk,
    then give it `outdir`'s name in one rename; an existing non-empty folder is replaced only with `force`."""
    target = Path(outdir)
    if target.is_symlink() or (target.exists() and not target.is_dir()):
        raise error(ExportError, "err_not_folder", outdir, None, "hint_new_folder")
    if target.is_dir() and any(target.iterdir()) and not force:
        raise error(ExportError, "err_folder_not_empty", outdir, None, "hint_force_bundle")
    parent = target.parent
    if not parent.is_dir():
        raise error(ExportError, "err_no_folder", outdir, folder=parent)
    try:
        staging = tempfile.mkdtemp(dir=parent, prefix=f".{target.name}.")
    except OSError as exc:
        raise error(ExportError, "err_cannot_write_in", outdir, folder=parent, reason=exc.strerror) from None
    old = f"{staging}.old"
    with removed_on_signal(staging):
        try:
            os.chmod(staging, 0o777 & ~current_umask())  # mkdtemp makes it 0700; a bundle is shared
            mode = _new_file_mode()
            for path, data in files.items():
                destination = Path(staging, path)
                destination.parent.mkdir(exist_ok=True)
                with open(destination, "wb") as handle:
                    handle.write(data)
                    handle.flush()
                    os.fchmod(handle.fileno(), mode)
                    os.fsync(handle.fileno())
            if target.is_dir() and any(target.iterdir()):  # --force: the old bundle steps aside, then goes
                os.rename(target, old)
            os.rename(staging, target)
        except OSError as exc:
            if Path(old).exists() and not target.exists():
                os.rename(old, target)  # put the old bundle back
            raise error(ExportError, "err_cannot_write_bundle", outdir, reason=exc.strerror) from None
        finally:
            shutil.rmtree(staging, ignore_errors=True)
            shutil.rmtree(old, ignore_errors=True)
