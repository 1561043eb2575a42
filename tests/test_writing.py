"""Nothing written is lost or half-written, and every failure to write is one line: a full or size-limited
standard output (help and --version included), a full temporary folder under an XLSX file, Ctrl+C while
`bundle --force` clears the old folder, and a folder argument that names no new folder.

The limits are real: /dev/full, a file-size limit set on the child process (RLIMIT_FSIZE, as `ulimit -f`),
and real signals sent to a real process.
"""

from __future__ import annotations

import errno
import hashlib
import io
import os
import resource
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import IO, Any

import pytest
from typer.testing import CliRunner

from costshare.cli import build_app

from .conftest import usage_line
from .test_invoices import SENDER

runner = CliRunner()
SCRIPT = str(Path(sys.executable).with_name("costshare"))
FULL = "/dev/full"
needs_dev_full = pytest.mark.skipif(not Path(FULL).exists(), reason="this system has no /dev/full")


@pytest.fixture(autouse=True)
def english_messages(monkeypatch: pytest.MonkeyPatch) -> None:
    """These tests hold the exact English wording."""
    monkeypatch.setenv("COSTSHARE_LANG", "en")


def limited_to(size: int) -> Callable[[], None]:
    """For preexec_fn: the child may write no file larger than `size` bytes, as under `ulimit -f`."""
    return lambda: resource.setrlimit(resource.RLIMIT_FSIZE, (size, size))


def costshare(args: Sequence[str], cwd: Path, stdout: int | IO[Any] | None = subprocess.PIPE, limit: int | None = None, **env: str):
    """The installed command, run in `cwd`, its standard error as text. A child under a file-size limit is not
    measured for coverage: coverage could not save its data there, and would add its own traceback to stderr."""
    inherited = {name: value for name, value in os.environ.items() if limit is None or not name.startswith("COVERAGE_")}
    return subprocess.run(
        [SCRIPT, *args], cwd=cwd, stdout=stdout, stderr=subprocess.PIPE, timeout=120, env={**inherited, **env},
        preexec_fn=limited_to(limit) if limit is not None else None,
    )  # fmt: skip


def one_error_line(stderr: bytes) -> str:
    """The one line a failure says, checked to be the only one."""
    text = stderr.decode("utf-8")
    assert "Traceback" not in text and "Exception ignored" not in text, text
    (line,) = text.splitlines()
    assert line.startswith("error: "), text
    return line


# --- standard output -----------------------------------------------------------------------------------


@pytest.mark.parametrize("unbuffered", ["1", ""], ids=["PYTHONUNBUFFERED", "buffered"])
def test_json_to_a_size_limited_standard_output_is_one_line_and_exit_1(workspace, unbuffered):
    """Under `ulimit -f 8` the JSON export (32 KB) once ended with exit code 0 after its first 8 KB."""
    complete = costshare(["export", "-", "--format", "json", "-c", "alliance.yaml"], workspace.root)
    assert complete.returncode == 0 and len(complete.stdout) > 8192  # the limit cuts it: there is more than fits
    with open(workspace.root / "out.json", "wb") as out:
        result = costshare(
            ["export", "-", "--format", "json", "-c", "alliance.yaml"], workspace.root, out, 8192, PYTHONUNBUFFERED=unbuffered
        )
    assert one_error_line(result.stderr) == "error: cannot write to standard output: File too large"
    assert result.returncode == 1


@needs_dev_full
@pytest.mark.parametrize("limit", [None, 8192], ids=["dev-full", "ulimit-f-8"])
def test_xlsx_to_a_failing_standard_output_is_one_line_and_exit_1(workspace, limit):
    with open(FULL if limit is None else workspace.root / "out.xlsx", "wb") as out:
        result = costshare(["export", "-", "--format", "xlsx", "-c", "alliance.yaml"], workspace.root, out, limit, PYTHONUNBUFFERED="1")
    assert result.returncode == 1
    assert one_error_line(result.stderr).startswith(("error: cannot write to standard output: ", "error: cannot make the XLSX file"))


@needs_dev_full
@pytest.mark.parametrize(
    "args", [["--help"], ["table", "--help"], ["--version"], [], ["population"]], ids=["help", "table-help", "version", "bare", "group"]
)
def test_help_and_version_to_a_full_standard_output_are_one_line_and_exit_1(tmp_path, args):
    """typer prints these outside any command; they once ended in a traceback (OSError: No space left on device)."""
    with open(FULL, "wb") as full:
        result = costshare(args, tmp_path, full)
    assert one_error_line(result.stderr) == "error: cannot write to standard output: No space left on device"
    assert result.returncode == 1


def test_help_and_version_that_fit_still_end_as_typer_ends_them(tmp_path):
    version = costshare(["--version"], tmp_path)
    assert (version.returncode, version.stdout, version.stderr) == (0, b"costshare " + version.stdout.split()[-1] + b"\n", b"")
    bare = costshare([], tmp_path)
    assert bare.returncode == 2 and bare.stdout.split()[:3] == [b"Usage:", b"costshare", b"[OPTIONS]"] and bare.stderr == b""


class Trickle(io.RawIOBase):
    """A stream that takes at most `step` bytes a write and refuses more than `room` in all, as a file under a
    size limit does: the first write past the room gets what fits, the next fails."""

    def __init__(self, step: int, room: int) -> None:
        self.step, self.room, self.taken = step, room, bytearray()

    def writable(self) -> bool:
        return True

    def write(self, data) -> int:
        if len(self.taken) >= self.room:
            raise OSError(errno.EFBIG, os.strerror(errno.EFBIG))
        part = bytes(data[: min(self.step, self.room - len(self.taken))])
        self.taken += part
        return len(part)


def test_bytes_to_standard_output_are_written_whole_or_the_write_fails(monkeypatch):
    """A raw stream may take part of a write; the rest is written on, and a stream that takes no more fails."""
    from costshare.io.atomic import write_stdout

    data = bytes(range(256)) * 40
    roomy = Trickle(step=1000, room=len(data))
    monkeypatch.setattr(sys, "stdout", io.TextIOWrapper(roomy, write_through=True))  # type: ignore[type-var]
    write_stdout(data)
    assert bytes(roomy.taken) == data
    tight = Trickle(step=1000, room=4096)
    monkeypatch.setattr(sys, "stdout", io.TextIOWrapper(tight, write_through=True))  # type: ignore[type-var]
    with pytest.raises(OSError, match="File too large") as failure:
        write_stdout(data)
    assert failure.value.errno == errno.EFBIG and bytes(tight.taken) == data[:4096]


# --- XLSX through a full temporary folder ---------------------------------------------------------------

SENDER_AND_BILLING = (
    SENDER
    + """billing:
  payment_terms_days: 30
actuals: {2024: 742000}
"""
)


@pytest.mark.slow
@pytest.mark.parametrize(
    ("args", "written"),
    [
        (["export", "e.xlsx"], "e.xlsx"),
        (["bundle", "ud"], "ud"),
        (["settle", "--year", "2024", "--out", "s.xlsx"], "s.xlsx"),
    ],
    ids=["export", "bundle", "settle"],
)  # fmt: skip
def test_an_xlsx_file_that_does_not_fit_the_temporary_folder_is_one_line_and_leaves_nothing(workspace, tmp_path_factory, args, written):
    """openpyxl writes each sheet to a temporary file through lxml; under a file-size limit (or on a full disk)
    that once ended in lxml.etree.SerialisationError: IO_EFBIG (IO_ENOSPC)."""
    workspace.config.write_text(workspace.config.read_text(encoding="utf-8") + SENDER_AND_BILLING, encoding="utf-8")
    temporary = tmp_path_factory.mktemp("tmp")
    before = sorted(path.name for path in workspace.root.iterdir())
    result = costshare([*args, "-c", "alliance.yaml"], workspace.root, subprocess.DEVNULL, 4096, TMPDIR=str(temporary))
    line = one_error_line(result.stderr)
    assert line == (
        f"error: cannot make the XLSX file in the temporary folder {temporary}: File too large "
        "(hint: free some space there, or set TMPDIR to a folder with room)"
    )
    assert result.returncode == 1
    assert sorted(path.name for path in workspace.root.iterdir()) == before and not (workspace.root / written).exists()
    assert list(temporary.iterdir()) == []


def test_the_xlsx_failure_names_the_temporary_folder_in_danish(workspace, tmp_path_factory):
    temporary = tmp_path_factory.mktemp("tmp")
    command = [SCRIPT, "export", "e.xlsx", "-c", "alliance.yaml"]
    uncovered = {name: value for name, value in os.environ.items() if not name.startswith("COVERAGE_")}  # as in costshare()
    env = {**uncovered, "TMPDIR": str(temporary), "COSTSHARE_LANG": "da"}
    result = subprocess.run(command, cwd=workspace.root, capture_output=True, env=env, timeout=120, preexec_fn=limited_to(4096))
    assert one_error_line(result.stderr.replace(b"fejl: ", b"error: ")) == (
        f"error: kan ikke lave XLSX-filen i den midlertidige mappe {temporary}: File too large "
        "(tip: frigør plads dér, eller sæt TMPDIR til en mappe med plads)"
    )


# --- Ctrl+C while the old bundle is cleared -------------------------------------------------------------

OLD_FILES = 10000


def old_bundle(folder: Path) -> dict[str, bytes]:
    """A bundle folder as costshare leaves one, with many files so clearing it takes a while: a marker and
    SHA256SUMS listing every file (computed here), each file small."""
    files = {".costshare-bundle": b"written by costshare\n"} | {
        f"old-{number:05d}.txt": f"{number}\n".encode() for number in range(OLD_FILES)
    }
    folder.mkdir()
    for name, data in files.items():
        (folder / name).write_bytes(data)
    sums = "".join(f"{hashlib.sha256(data).hexdigest()}  {name}\n" for name, data in sorted(files.items()))
    (folder / "SHA256SUMS").write_text(sums, encoding="utf-8")
    return files | {"SHA256SUMS": sums.encode()}


def contents(folder: Path) -> dict[str, bytes]:
    return {path.relative_to(folder).as_posix(): path.read_bytes() for path in folder.rglob("*") if path.is_file()}


def whole_new_bundle(folder: Path) -> bool:
    """Every file the folder's SHA256SUMS lists is there with its checksum, and nothing else, and it is not the old one."""
    lines = (folder / "SHA256SUMS").read_text(encoding="utf-8").splitlines()
    listed = {path: digest for digest, path in (line.split("  ", 1) for line in lines)}
    on_disk = contents(folder)
    return (
        set(on_disk) - {"SHA256SUMS"} == set(listed)
        and all(hashlib.sha256(on_disk[path]).hexdigest() == digest for path, digest in listed.items())
        and "budget.json" in listed
    )


def old_files_go(root: Path, run: subprocess.Popen[bytes]) -> bool:
    """Wait, polling, until a file of the old bundle has gone (True), or the run has ended (False). The old bundle
    is first in `ud`, then, once the two folders have changed places, in a hidden folder beside it."""
    watched = [".costshare-bundle", "old-00000.txt", f"old-{OLD_FILES - 1:05d}.txt"]  # the first and last listed
    while run.poll() is None and (root / "ud" / "old-00000.txt").exists():
        time.sleep(0.0002)
    old = [hidden for hidden in root.glob(".ud.*") if (hidden / "SHA256SUMS").exists()]  # the folders changed places
    while run.poll() is None and old:
        if any(not (old[0] / name).exists() for name in watched):
            return True
        time.sleep(0.0001)
    return False


def the_promise_holds(root: Path, old: dict[str, bytes], stderr: str) -> None:
    """The old bundle whole in `ud`; or the new one whole in `ud` and the old one either gone or whole under the
    kept name that a line names."""
    assert "Traceback" not in stderr, stderr
    assert [path.name for path in root.iterdir() if path.name.startswith(".ud")] == []
    kept = sorted(root.glob("ud.kept-*"))
    if contents(root / "ud") == old:
        assert kept == []
        return
    assert whole_new_bundle(root / "ud")
    if kept:
        (folder,) = kept
        assert contents(folder) == old
        assert f"the earlier folder was kept in {folder.name}" in stderr


@pytest.mark.slow
@pytest.mark.parametrize("attempt", range(3))
def test_ctrl_c_while_the_old_bundle_is_cleared_leaves_it_whole_or_gone_never_part(workspace, attempt):
    """SIGINT the moment a file of the old folder disappears: it once left ud.kept-… with part of the old files,
    no SHA256SUMS, no marker and no message."""
    old = old_bundle(workspace.root / "ud")
    run = subprocess.Popen([SCRIPT, "bundle", "ud", "-c", "alliance.yaml", "--force"], cwd=workspace.root, stderr=subprocess.PIPE)
    assert old_files_go(workspace.root, run), "the run ended before the old folder was cleared"
    run.send_signal(signal.SIGINT)
    _, stderr = run.communicate(timeout=120)
    assert run.returncode in (0, 130, -signal.SIGINT)  # done, or ended by Ctrl+C (typer says 130 for it)
    the_promise_holds(workspace.root, old, stderr.decode("utf-8"))


@pytest.mark.slow
def test_ctrl_c_the_moment_the_folders_change_places_leaves_the_old_one_whole_or_gone(workspace):
    """Before the clearing has begun, Ctrl+C keeps the old bundle whole under a name a line gives; once it has begun,
    the clearing ends first."""
    old = old_bundle(workspace.root / "ud")
    run = subprocess.Popen([SCRIPT, "bundle", "ud", "-c", "alliance.yaml", "--force"], cwd=workspace.root, stderr=subprocess.PIPE)
    while run.poll() is None and (workspace.root / "ud" / "old-00000.txt").exists():
        time.sleep(0.0002)
    run.send_signal(signal.SIGINT)
    _, stderr = run.communicate(timeout=120)
    the_promise_holds(workspace.root, old, stderr.decode("utf-8"))


def test_a_held_signal_waits_for_the_end_of_the_block_in_a_process_with_another_thread():
    """The system hands a signal the main thread blocks to another thread (a library's, as in a bundle run), and
    Python then runs the handler in the main thread anyway: blocking it there once let Ctrl+C into the clearing."""
    program = (
        "import signal, sys, threading, time\n"
        "threading.Thread(target=time.sleep, args=(60,), daemon=True).start()\n"
        "from costshare.io.signals import signals_held\n"
        "ended = []\n"
        "signal.signal(signal.SIGINT, lambda signum, frame: print('after' if ended else 'inside', flush=True))\n"
        "with signals_held():\n"
        "    print('holding', flush=True)\n"
        "    sys.stdin.readline()\n"
        "    time.sleep(0.2)\n"
        "    ended.append(True)\n"
        "print('ended', flush=True)\n"
    )
    run = subprocess.Popen([sys.executable, "-c", program], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    assert run.stdout is not None and run.stdout.readline() == "holding\n"
    run.send_signal(signal.SIGINT)
    time.sleep(0.2)
    out, _ = run.communicate("go\n", timeout=60)
    assert (run.returncode, out) == (0, "after\nended\n")


# --- a folder argument that names no new folder ---------------------------------------------------------


@pytest.mark.parametrize("command", [["bundle"], ["invoices", "--year", "2026"]], ids=["bundle", "invoices"])
@pytest.mark.parametrize(
    ("outdir", "expected"),
    [
        (".", "'.' is the folder you are in; give the name of a new or empty folder"),
        ("", "'' is the folder you are in; give the name of a new or empty folder"),
        ("./", "'./' is the folder you are in; give the name of a new or empty folder"),
        ("-", "a folder cannot be written to standard output ('-'); give the name of a new or empty folder"),
        ("..", "'..' is a folder above the one you are in; give the name of a new or empty folder"),
    ],
    ids=["dot", "empty", "dot-slash", "dash", "dot-dot"],
)  # fmt: skip
def test_a_folder_argument_that_names_no_new_folder_is_refused_before_anything_is_written(tmp_path, monkeypatch, command, outdir, expected):
    """`invoices .` and `invoices ''` once said 'Device or resource busy' (the second naming no folder), and
    `invoices -` made a folder named '-'."""
    here = tmp_path / "empty"
    here.mkdir()
    monkeypatch.chdir(here)
    result = runner.invoke(build_app("en"), [*command, outdir, "--lang", "en"])
    assert result.exit_code == 2, result.output
    assert usage_line(result.output) == f"Invalid value for 'OUTDIR': {expected}"
    assert list(tmp_path.iterdir()) == [here] and list(here.iterdir()) == []


def test_the_working_folder_by_its_full_name_is_refused_too(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(build_app("en"), ["bundle", str(tmp_path), "--lang", "en"])
    assert result.exit_code == 2
    assert (
        usage_line(result.output)
        == f"Invalid value for 'OUTDIR': '{tmp_path}' is the folder you are in; give the name of a new or empty folder"
    )
    assert list(tmp_path.iterdir()) == []


def test_a_folder_argument_is_refused_in_danish_too(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(build_app("da"), ["invoices", ".", "--year", "2026", "--lang", "da"])
    assert result.exit_code == 2
    assert usage_line(result.output) == "Ugyldig værdi for 'MAPPE': '.' er den mappe, du står i; angiv navnet på en ny eller tom mappe"
