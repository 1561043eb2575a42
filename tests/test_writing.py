"""Nothing written is lost or half-written, and every failure to write is one line: a full or size-limited
standard output (help and --version included), a full temporary folder under an XLSX file, Ctrl+C while
`bundle --force` clears the old folder, and a folder argument that names no new folder.

The limits are real: /dev/full, a file-size limit set on the child process (RLIMIT_FSIZE, as `ulimit -f`),
and real signals sent to a real process.
"""

from __future__ import annotations

import errno
import io
import os
import resource
import subprocess
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import IO, Any

import pytest
from typer.testing import CliRunner

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
    """The installed command, run in `cwd`, its standard error as text."""
    return subprocess.run(
        [SCRIPT, *args], cwd=cwd, stdout=stdout, stderr=subprocess.PIPE, timeout=120, env={**os.environ, **env},
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

SENDER_AND_BILLING = """
sender:
  name: KKR Sjælland
  address: [Alléen 15, 4180 Sorø]
  cvr: "12345674"
  contact: sekretariat@example.dk
  bank: {registration: "1234", account: "0012345678"}
billing:
  payment_terms_days: 30
actuals: {2024: 742000}
"""


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
    env = {**os.environ, "TMPDIR": str(temporary), "COSTSHARE_LANG": "da"}
    result = subprocess.run(command, cwd=workspace.root, capture_output=True, env=env, timeout=120, preexec_fn=limited_to(4096))
    assert one_error_line(result.stderr.replace(b"fejl: ", b"error: ")) == (
        f"error: kan ikke lave XLSX-filen i den midlertidige mappe {temporary}: File too large "
        "(tip: frigør plads dér, eller sæt TMPDIR til en mappe med plads)"
    )
