"""`costshare init`: the shipped config and data, copied into a folder to edit, all or nothing.

Every target is checked before any is written (a file there without --force, a folder, a FIFO or a
link where a file belongs), so a refusal leaves the folder as it was.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from .core.errors import ExportError, Problem
from .io.atomic import write_output
from .io.config import shipped_folder
from .words.problems import problem

FILES = ("config/alliance.yaml", "data/population.csv", "data/decided.csv")


def _target_problem(path: Path, force: bool) -> Problem | None:
    """Why `path` cannot take a file init writes, or None when it can."""
    try:
        existing = os.lstat(path)
    except FileNotFoundError:
        return None
    except OSError as exc:
        return problem("err_cannot_write_here", str(path), reason=exc.strerror)
    if stat.S_ISDIR(existing.st_mode):
        return problem("err_target_folder", str(path))
    if not stat.S_ISREG(existing.st_mode):
        return problem("err_target_not_regular", str(path))
    return None if force else problem("err_file_exists", str(path), None, "hint_init_force")


def start_project(folder: Path, force: bool) -> tuple[Path, ...]:
    """Write the shipped config/alliance.yaml and data/ files into `folder`; the paths written, in order."""
    targets = tuple(folder / name for name in FILES)
    problems = [found for target in targets if (found := _target_problem(target, force)) is not None]
    if problems:
        raise ExportError(problems)
    shipped = shipped_folder()
    for name, target in zip(FILES, targets, strict=True):
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise ExportError([problem("err_cannot_write_here", str(target), reason=exc.strerror)]) from None
        write_output(str(target), (shipped / name).read_bytes(), force)
    return targets
