"""The register as use cases: issuing a year's documents once, writing them again as issued, and checking it.

`issue_documents` holds the register's lock while it reads the register afresh, plans the documents again given it
(what it holds is never planned again: app/issuing.py), keeps each new document's bytes beside it and appends their rows (io/kept.py says in which order, so a run killed at
any moment leaves each document and its row together or neither). What was issued is never issued again, and
`reprint` gives it back from the kept copies, byte for byte, never recomputed.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from ..core.errors import ConfigError, CostShareError, DataError, ExportError, Problem, error, problem
from ..core.register import Issued
from ..io.config import display_path
from ..io.kept import (
    copies_folder,
    copy_problems,
    discard_pending,
    keep_pending,
    kept_copy,
    name_kept,
    register_lock,
    settle_pending,
    writing_in,
)
from ..io.lock import lock_file
from ..io.register import append_rows, read_register
from .billing import with_register
from .view import Document

if TYPE_CHECKING:
    from ..io.config import LoadedConfig
    from .billing import Issue
    from .pipeline import Computation

Render = Callable[["Issue"], Mapping[str, bytes]]  # the documents to issue → their files' bytes by file name


@dataclass(frozen=True)
class Issuing:
    """What one run of `invoices` issued: the documents and their bytes by file name (none: nothing new to issue)."""

    documents: tuple[Document, ...]
    files: Mapping[str, bytes]


def _register(config: LoadedConfig) -> Path:
    path = config.register_file
    if path is None:  # a year is invoiced only where the config bills its members
        raise ValueError("no register without billing")
    return path


def without_folder(config: LoadedConfig) -> Problem | None:
    """Where the register's folder does not exist: the problem that says so, at billing.register (costshare makes no
    folder the user did not make; `init` lays out the default's)."""
    path = config.register_file
    if path is None or path.parent.is_dir():
        return None
    where = ("billing", "register") if config.model.billing and config.model.billing.register_file else ("billing",)
    folder = display_path(path.parent)
    return problem("err_register_no_folder", config.display, config.location(where), "hint_register_no_folder",
                   subject="billing.register", register=config.register_display, folder=folder)  # fmt: skip


def without_prefix(config: LoadedConfig) -> Problem | None:
    """Where the config bills its members without a prefix for the numbers: the problem that says so (numbers must be
    unique per sender, and another agreement billed by the same sender would issue the same ones)."""
    billing = config.model.billing
    if billing is None or billing.prefix is not None:
        return None
    return problem("err_invoice_no_prefix", config.display, config.location(("billing",)), "hint_invoice_no_prefix", subject="billing")


def refuse_kept_folder(config: LoadedConfig, outdir: str) -> None:
    """OUTDIR may not be the folder the register keeps its documents in (or one inside it): costshare keeps them there
    itself, and a run writing there would issue documents it then cannot write out."""
    path = config.register_file
    if path is None:
        return
    kept, out = copies_folder(path).resolve(), Path(outdir).resolve()
    if out == kept or kept in out.parents:
        raise error(ExportError, "err_outdir_kept_folder", outdir, None, "hint_new_folder")


def to_issue(computation: Computation, make: Callable[[], Issue]) -> Issue:
    """The documents `make` gives to issue; refused with every reason at once where they cannot be issued, a missing
    prefix among them. A register that does not hold against its kept documents is refused first: what it says was
    issued is what the documents to issue are planned from."""
    refuse_broken_register(computation.config)
    refusal = without_prefix(computation.config)
    try:
        issue = make()
    except ConfigError as exc:
        raise ConfigError([*exc.problems, *([refusal] if refusal else [])]) from None
    if refusal is not None:
        raise ConfigError([refusal])
    return issue


def issued_row(document: Document, name: str, currency: str, data: bytes) -> Issued:
    """The register's row of `document`, issued as `data` to the member named `name`."""
    return Issued(document.number, document.kind, document.purpose, document.year, document.code, name, document.instalment,
                  document.start, document.end, document.issued, document.due, document.net, document.vat, currency,
                  document.references, hashlib.sha256(data).hexdigest())  # fmt: skip


def issue_documents(
    computation: Computation, on: date, plan: Callable[[Computation], Issue], render: Render, before: Callable[[], None]
) -> Issuing:
    """Issue what `plan` gives, planned again under the register's lock from the register as it stands then (another
    run may have issued meanwhile), on `on`: `before` (which may refuse) is called once there is something to issue,
    then the documents are rendered, kept beside the register and appended to it."""
    config = computation.config
    refusals = [found for found in (without_prefix(config), without_folder(config)) if found is not None]
    if refusals:
        raise ConfigError(refusals)
    path, display = _register(config), config.register_display
    folder = copies_folder(path)
    with register_lock(path, display), writing_in(folder):
        register = read_register(path, display)
        settle_pending(register, folder)
        broken = copy_problems(register, folder, display)
        if broken:
            raise DataError(broken)
        issue = plan(with_register(computation, register.rows, on))
        if not issue.documents:
            return Issuing((), {})
        before()
        files = dict(render(issue))
        buyers = issue.billed.buyers
        rows = [issued_row(d, buyers[d.code].name, issue.view.currency, files[d.file_name]) for d in issue.documents]
        keep_pending(folder, files)
        try:
            append_rows(path, register, rows)
        except CostShareError:  # not issued: the register is as it was, and so is the folder of copies
            discard_pending(folder, list(files))
            raise
        name_kept(folder, list(files))
    return Issuing(issue.documents, files)


def reprint(computation: Computation, year: int) -> dict[str, bytes]:
    """The documents issued for budget year `year`, by file name, as they were issued (each checked against its
    SHA-256 in the register); nothing issued for the year is an error."""
    config = computation.config
    if config.register_file is None:
        raise error(ConfigError, "err_reprint_no_billing", config.display, None, "hint_reprint_no_billing", year=year)
    path, display = config.register_file, config.register_display
    rows = [row for row in read_register(path, display).rows if row.year == year]
    if not rows:
        raise error(DataError, "err_reprint_none", display, None, "hint_reprint_none", year=year)
    folder = copies_folder(path)
    return {f"{row.number}.xml": kept_copy(folder, row) for row in rows}


def register_problems(config: LoadedConfig) -> list[Problem]:
    """What does not hold between the register and the copies kept beside it (its chain is checked on reading)."""
    path = config.register_file
    if path is None:
        return []
    register, folder = read_register(path, config.register_display), copies_folder(path)
    with writing_in(folder):  # a file where the folder of copies belongs: the one line that names it
        return copy_problems(register, folder, config.register_display)


def refuse_broken_register(config: LoadedConfig) -> None:
    """Refuse to go on from a register that does not hold against its kept documents (what validate names): what
    is issued, settled or handed to the debtor ledger is read from it."""
    broken = register_problems(config)
    if broken:
        raise DataError(broken)


def refuse_history(config: LoadedConfig | None, out: str) -> None:
    """An output file never replaces the agreement's history, --force or not: the register, the record of decided
    years, their locks, or a file among the kept copies (None: no agreement's files to keep); nor a file the
    config is made of or reads (itself, its population and weights files), which costshare did not write."""
    if out == "-" or config is None:
        return
    target = Path(out).resolve()
    if _is_history(config, target):
        raise error(ExportError, "err_output_is_history", out)
    if target in config.input_files or any(_same_file(target, read) for read in config.input_files):
        raise error(ExportError, "err_output_is_input", out)


def _is_history(config: LoadedConfig, target: Path) -> bool:
    """Whether `target` is the register, the record, one of their locks, or in the folder of kept copies."""
    records = [path for path in (config.register_file, config.record_file) if path is not None]
    if target in {*records, *(lock_file(path) for path in records)}:
        return True
    return config.register_file is not None and copies_folder(config.register_file).resolve() in target.parents


def _same_file(target: Path, read: Path) -> bool:
    """Whether two names are one file (a hard link): never true of a file that is not there."""
    try:
        return os.path.samefile(target, read)
    except OSError:
        return False


def write_output_beside_history(config: LoadedConfig | None, out: str, data: bytes, force: bool) -> None:
    """An output written as io/atomic.py writes it ('-': standard output), refused where it would replace the history."""
    from ..io.atomic import write_output

    refuse_history(config, out)
    write_output(out, data, force)
