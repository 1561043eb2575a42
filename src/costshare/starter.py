"""`costshare init`: the shipped config and data, copied into a folder to edit, all or nothing.

Every target is checked before any is written (a file there without --force, a folder, a FIFO or a
link where a file belongs), so a refusal leaves the folder as it was.
"""

from __future__ import annotations

from pathlib import Path

from .core.errors import ExportError, Problem
from .io.atomic import existing_target, write_output
from .io.config import shipped_folder
from .words.problems import problem

FILES = ("config/alliance.yaml", "data/population.csv", "data/decided.csv")


def start_project(folder: Path, force: bool) -> tuple[Path, ...]:
    """Write the shipped config/alliance.yaml and data/ files into `folder`; the paths written, in order."""
    targets = tuple(folder / name for name in FILES)
    problems: list[Problem] = []
    for target in targets:  # every target first, so a refusal writes nothing
        try:
            existing_target(str(target), force, "hint_init_force")
        except ExportError as exc:
            problems.extend(exc.problems)
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
