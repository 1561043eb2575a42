"""`costshare init`: the shipped config and data, copied into a folder to edit, all or nothing.

Every target is checked before any is written (a file there without --force, a folder, a FIFO or a
link where a file belongs), and the files are written together: a refusal or a failure half-way
leaves the folder as it was (io/atomic.write_files).
"""

from __future__ import annotations

from pathlib import Path

from ..io.atomic import write_files
from ..io.config import shipped_folder

FILES = ("config/alliance.yaml", "data/population.csv", "data/decided.csv")


def start_project(folder: Path, force: bool) -> tuple[Path, ...]:
    """Write the shipped config/alliance.yaml and data/ files into `folder`; the paths written, in order."""
    targets = tuple(folder / name for name in FILES)
    shipped = shipped_folder()
    write_files({str(target): (shipped / name).read_bytes() for name, target in zip(FILES, targets, strict=True)}, force,
                "hint_init_force", make_folders=True)  # fmt: skip
    return targets
