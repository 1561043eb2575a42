"""The bundle folder, written so that nothing costshare did not write is ever lost.

The bundle goes into a new folder beside the target, every file flushed to disk, and is then renamed
into place in one step. The rename itself replaces only an empty folder, so a file that appears in the
target meanwhile, or a second run that got there first, makes it fail instead of being deleted. With
--force only a folder costshare wrote is replaced: it carries MARKER and SHA256SUMS, and every file in it
is one SHA256SUMS lists, unchanged; a folder holding e-invoices (issued documents) is never replaced. The old and the new folder change places in one step (renameat2's
RENAME_EXCHANGE), so an interruption leaves one of the two, and the old one is then removed file by
file, only what SHA256SUMS lists. Its files are checked first, and removed with SIGINT and SIGTERM held,
so the old folder is never left in part: Ctrl+C before the removal keeps it whole under a visible name
(said through `kept_aside`), and Ctrl+C during it waits for its end.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import os
import shutil
import stat
import sys
import tempfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

from ..core.errors import ExportError, error
from .atomic import current_umask, new_file_mode, sync_folder, sync_written, what_is_at
from .signals import signals_held, undone_on_signal

MARKER = ".costshare-bundle"
CHECKSUMS = "SHA256SUMS"
MARKER_TEXT = (
    "Skrevet af costshare (bundle eller invoices). Med --force erstattes mappen kun, så længe hver fil i den er, som SHA256SUMS angiver.\n"
    "Written by costshare (bundle or invoices). --force replaces this folder only while every file in it is as SHA256SUMS lists.\n"
)
_MAX_CHECKSUMS = 1 << 20  # a SHA256SUMS larger than this was not written by costshare


def checksums(files: Mapping[str, bytes]) -> bytes:
    """SHA256SUMS for `files`, in the format `sha256sum -c` reads, sorted by path."""
    return "".join(f"{hashlib.sha256(data).hexdigest()}  {path}\n" for path, data in sorted(files.items())).encode("utf-8")


@dataclass(frozen=True)
class Written:
    count: int  # files written, MARKER and SHA256SUMS included
    kept: Path | None  # where an old bundle was kept because a file had appeared in it while it was being replaced


def write_folder(outdir: str, files: Mapping[str, bytes], force: bool, kept_aside: Callable[[Path], None] = lambda kept: None) -> Written:
    """Write `files` (paths inside the folder → bytes), MARKER and SHA256SUMS into a new folder beside `outdir`, each
    flushed to disk, then put it in `outdir`'s place in one step. An existing non-empty folder is replaced only with
    `force` and only if costshare wrote it. `kept_aside` is told where the old folder was kept whole when SIGINT or
    SIGTERM came after the new one took its place, before the process ends."""
    target, parent = Path(outdir), Path(outdir).parent
    replacing = _replacing(target, outdir, force)
    written = {MARKER: MARKER_TEXT.encode("utf-8"), **files}
    written[CHECKSUMS] = checksums(written)
    staging: list[Path] = []  # the new folder beside the target, once made; emptied when nothing is left to undo
    swapped = False  # once the folders have changed places, the staging name holds the old bundle

    def undo() -> None:
        for folder in staging:
            if swapped:  # the new bundle is in place: the old one is set aside whole, in one step, not removed in part
                kept_aside(_set_aside(folder, target))
            else:
                shutil.rmtree(folder, ignore_errors=True)
        staging.clear()  # done: a second call (the signal's, after the failure's) finds nothing left to undo

    with undone_on_signal(undo):
        with signals_held():  # an undo must know the folder it made
            staging.append(_new_folder_beside(target, outdir))
        try:
            _fill(staging[0], written)
            if replacing:
                with signals_held():
                    _exchange(staging[0], target)
                    swapped = True
            else:
                os.rename(staging[0], target)  # over an empty folder only: one that filled meanwhile makes it fail
                staging.clear()
            sync_folder(parent)
        except OSError as exc:
            undo()
            if exc.errno in (errno.ENOTEMPTY, errno.EEXIST):
                raise error(ExportError, "err_folder_not_empty", outdir, None, "hint_new_folder") from None
            raise error(ExportError, "err_cannot_write_bundle", outdir, reason=exc.strerror) from None
        except BaseException:
            undo()
            raise
        if not swapped:
            return Written(len(written), None)
        unchanged = _unchanged(staging[0])  # reads every file: a signal here keeps the old bundle whole
        with signals_held():  # removed as one step: a signal waits for its end
            kept = _remove_bundle(staging[0], target, unchanged)
            staging.clear()
        return Written(len(written), kept)


def _replacing(target: Path, outdir: str, force: bool) -> bool:
    """Whether the bundle replaces a folder there: only a folder costshare wrote, unchanged, and only with `force`.
    A new or empty folder is written in place; anything else there is refused."""
    there = what_is_at(outdir)
    if there is not None and not stat.S_ISDIR(there.st_mode):  # a file, or a link even to a folder
        raise error(ExportError, "err_not_folder", outdir, None, "hint_new_folder")
    replacing = there is not None and _has_entries(target, outdir)
    if replacing and holds_documents(target):
        raise error(ExportError, "err_folder_holds_issued", outdir, None, "hint_folder_holds_issued")
    if replacing:
        listed = _listed(target)
        if listed is None:
            raise error(ExportError, "err_folder_not_ours", outdir, None, "hint_new_folder")
        if not force:
            raise error(ExportError, "err_folder_not_empty", outdir, None, "hint_force_bundle")
        stranger = _stranger(target, listed)
        if stranger is not None:
            raise error(ExportError, "err_bundle_changed", outdir, None, "hint_bundle_changed", found=stranger)
    if not target.parent.is_dir():
        raise error(ExportError, "err_no_folder", outdir, folder=target.parent)
    return replacing


def holds_documents(folder: Path) -> bool:
    """Whether `folder` holds an e-invoice or credit note (an .xml file): issued documents, never deleted or replaced."""
    try:
        with os.scandir(folder) as entries:
            return any(entry.name.lower().endswith(".xml") for entry in entries)
    except OSError:
        return False


def check_folder(outdir: str, force: bool) -> None:
    """Refuse now what `write_folder` would refuse (a folder holding issued documents, `--force` or not; a folder
    costshare did not write; a non-empty one without `force`), so that nothing is issued for a folder it cannot write."""
    _replacing(Path(outdir), outdir, force)


def _new_folder_beside(target: Path, outdir: str) -> Path:
    """A new, empty, hidden folder beside `target`, for the bundle to be written in."""
    try:
        return Path(tempfile.mkdtemp(dir=target.parent, prefix=f".{target.name[:64]}."))
    except OSError as exc:
        raise error(ExportError, "err_cannot_write_in", outdir, folder=target.parent, reason=exc.strerror) from None


def _has_entries(folder: Path, outdir: str) -> bool:
    try:
        with os.scandir(folder) as entries:
            return any(True for _ in entries)
    except OSError as exc:
        raise error(ExportError, "err_cannot_write_here", outdir, reason=exc.strerror) from None


def _fill(staging: Path, files: Mapping[str, bytes]) -> None:
    """Every file written in the staging folder, then all of them flushed to disk at once."""
    mode = new_file_mode()
    written = []
    for path, data in files.items():
        destination = staging / path
        destination.parent.mkdir(exist_ok=True)
        with os.fdopen(os.open(destination, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode), "wb") as file:
            file.write(data)
            os.fchmod(file.fileno(), mode)
        written.append(destination)
    sync_written(staging, written)
    for subfolder in {destination.parent for destination in written} - {staging}:
        sync_folder(subfolder)
    os.chmod(staging, 0o777 & ~current_umask())  # mkdtemp makes it 0700; a bundle is shared


def _listed(folder: Path) -> dict[str, str] | None:
    """The folder's SHA256SUMS as {path: digest}, or None where it has no MARKER or no SHA256SUMS costshare could have written."""
    try:
        if not stat.S_ISREG(os.lstat(folder / MARKER).st_mode):
            return None
        info = os.lstat(folder / CHECKSUMS)
        if not stat.S_ISREG(info.st_mode) or info.st_size > _MAX_CHECKSUMS:
            return None
        text = (folder / CHECKSUMS).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None
    listed = {}
    for line in text.splitlines():
        digest, separator, path = line.partition("  ")
        if not separator or len(digest) != 64 or path in listed or ".." in Path(path).parts or Path(path).is_absolute():
            return None
        listed[path] = digest
    return listed if MARKER in listed else None


def _digest(path: Path) -> str | None:
    try:
        with open(path, "rb") as handle:
            return hashlib.file_digest(handle, "sha256").hexdigest()
    except OSError:
        return None


def _stranger(folder: Path, listed: Mapping[str, str]) -> str | None:
    """The first thing in a bundle folder that costshare did not write, or changed since (a path inside it); None: none."""
    for root, folders, names in os.walk(folder):
        inside = Path(root).relative_to(folder)
        for name in sorted(names) + [f for f in sorted(folders) if os.path.islink(Path(root, f))]:
            relative = (inside / name).as_posix()
            path = Path(root, name)
            if relative == CHECKSUMS:
                continue
            if relative not in listed or not stat.S_ISREG(os.lstat(path).st_mode) or _digest(path) != listed[relative]:
                return relative
        if not names and not folders and root != str(folder):
            return inside.as_posix()
    return None


def _unchanged(folder: Path) -> list[Path]:
    """The files of a bundle costshare wrote that are as its SHA256SUMS lists them (the ones it may remove)."""
    unchanged = []
    listed = _listed(folder) or {}
    for relative in sorted(listed, key=lambda path: path == MARKER):  # the marker last: a removal cut short can be taken up again
        path, digest = folder / relative, listed[relative]
        if os.path.isfile(path) and not os.path.islink(path) and _digest(path) == digest:
            unchanged.append(path)
    return unchanged


def _remove_bundle(folder: Path, target: Path, unchanged: list[Path]) -> Path | None:
    """Remove a bundle costshare wrote: its `unchanged` files, SHA256SUMS, then its folders; a folder something else
    got into is kept beside `target` under a visible name, which is returned."""
    for path in unchanged:
        path.unlink(missing_ok=True)
    (folder / CHECKSUMS).unlink(missing_ok=True)
    for root, _, _ in sorted(os.walk(folder, topdown=False), key=lambda entry: -len(entry[0])):
        with contextlib.suppress(OSError):
            os.rmdir(root)
    return _set_aside(folder, target) if os.path.lexists(folder) else None


def _set_aside(folder: Path, target: Path) -> Path:
    """`folder` renamed beside `target` under a visible name, in one step; where it cannot be, where it is."""
    kept = target.with_name(f"{target.name}.kept-{os.urandom(3).hex()}")
    try:
        os.rename(folder, kept)
    except OSError:
        return folder
    return kept


def _exchange(new: Path, old: Path) -> None:
    """`new` and `old` change names in one step; where the system cannot, in two renames no signal comes between."""
    if sys.platform == "linux":
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = getattr(libc, "renameat2", None)
        if renameat2 is not None:
            at_fdcwd, rename_exchange = -100, 2
            if renameat2(at_fdcwd, os.fsencode(new), at_fdcwd, os.fsencode(old), rename_exchange) == 0:
                return
            code = ctypes.get_errno()
            if code not in (errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP):
                raise OSError(code, os.strerror(code), str(old))
    aside = new.with_name(new.name + ".old")  # the caller holds SIGINT and SIGTERM, so no signal parts these renames
    os.rename(old, aside)
    try:
        os.rename(new, old)
    except OSError:
        os.rename(aside, old)
        raise
    os.rename(aside, new)
