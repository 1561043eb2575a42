"""The secretariat's yearly run: every file for every member, computed once, written all at once.

The bundle is written into a temporary folder beside OUTDIR and renamed into place at the end,
so a failure (or Ctrl+C) leaves no partial bundle, and an existing bundle is replaced only with
--force. SHA256SUMS lists every file in the format `sha256sum -c` reads.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import tempfile
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from .core.errors import ExportError
from .messages import error
from .safewrite import current_umask, removed_on_signal

if TYPE_CHECKING:
    from .labels import Lang
    from .pipeline import Computation

CHECKSUMS = "SHA256SUMS"


def file_name(code: str, name: str) -> str:
    """'340-Sorø': the code, then the name with anything a file system might refuse replaced by '_'."""
    return f"{code}-{re.sub(r'[^0-9A-Za-zÆØÅæøåÄÖÜäöüÉéÈèÁáÍíÓóÚú .-]+', '_', name).strip(' .') or code}"


def bundle_files(computation: Computation, lang: Lang, generated_at: datetime, progress: Callable[[str], None]) -> dict[str, bytes]:
    """Every file of the bundle by its path inside OUTDIR, SHA256SUMS last."""
    from .export import csv_bytes, json_bytes
    from .report import report_html
    from .statement import render_statement, statement_parts
    from .workbook import xlsx_bytes

    allocation = computation.allocation
    files: dict[str, bytes] = {}
    progress("budget.xlsx")
    files["budget.xlsx"] = xlsx_bytes(computation, lang, generated_at)
    files["budget.csv"] = csv_bytes(allocation, lang, "excel-da", "wide")
    files["budget.json"] = json_bytes(computation)
    progress("report.html")
    files["report.html"] = report_html(computation, lang)
    for code in allocation.codes:
        stem = f"statements/{file_name(code, allocation.name(code))}"
        progress(stem)
        parts = statement_parts(computation, code, lang)
        files[f"{stem}.pdf"] = render_statement(parts, "pdf", computation.generated_by)
        files[f"{stem}.md"] = render_statement(parts, "md", computation.generated_by)
    files[CHECKSUMS] = "".join(f"{hashlib.sha256(data).hexdigest()}  {path}\n" for path, data in sorted(files.items())).encode("utf-8")
    return files


def write_bundle(outdir: str, files: dict[str, bytes], force: bool) -> None:
    """Write the files into a new folder beside `outdir`, then give it `outdir`'s name in one rename."""
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
            for path, data in files.items():
                destination = Path(staging, path)
                destination.parent.mkdir(exist_ok=True)
                destination.write_bytes(data)
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
