"""A signal at any moment of a write: the old files or the new ones, whole, and the run then ends as the signal asks.

CPython runs a Python signal handler at set points only: where a Python function starts, where a built-in
function has returned, and inside the few built-ins that look for signals themselves (pthread_sigmask, among
others); not where a generator is closed. SignalAt stands for a SIGINT or SIGTERM that arrives just before the
n-th of the first two kinds of point (sys.setprofile reports each), and the tests walk n over every such point of
one write, calling the handler there as CPython would, with the frame that is running. That includes points where
the main thread holds the signal: costshare's process has other threads (numpy starts some), the kernel hands a
signal the main thread holds to one of those, and Python then runs the handler in the main thread all the same.
The test's own handlers stand for what the process had before the write (the CLI's: end the process): they raise
Ended, so a run must end in Ended and in nothing else.
"""

from __future__ import annotations

import dis
import gc
import os
import shutil
import signal
import sys
import time
from collections.abc import Callable, Iterator
from functools import partial
from pathlib import Path
from types import FrameType
from typing import Any

import pytest

from costshare.io.atomic import write_files
from costshare.io.folder import CHECKSUMS, MARKER, MARKER_TEXT, checksums, write_folder
from costshare.io.signals import undone_on_signal

HELD = (signal.SIGINT, signal.SIGTERM)
RESUME = dis.opmap["RESUME"]


class Ended(BaseException):
    """The run ended as the signal asks (raised by the handlers that were there before the write)."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


def end(signum: int, frame: FrameType | None) -> None:
    raise Ended(signum)


@pytest.fixture
def ending_handlers() -> Iterator[None]:
    """SIGINT and SIGTERM end the run with Ended, as they end the CLI; afterwards the test process's own handlers
    are back, and a signal still waiting is dropped rather than let through to them."""
    before = {signum: signal.signal(signum, end) for signum in HELD}
    try:
        yield
    finally:
        for signum in HELD:
            signal.signal(signum, signal.SIG_IGN)
        signal.pthread_sigmask(signal.SIG_UNBLOCK, HELD)  # a signal still waiting comes now, to SIG_IGN
        for signum, handler in before.items():
            signal.signal(signum, handler)


def starting(frame: FrameType) -> bool:
    """Whether the frame is at its first instruction (not a generator going on, or being closed)."""
    code = frame.f_code.co_code
    return code[frame.f_lasti] == RESUME and code[frame.f_lasti + 1] == 0


class SignalAt:
    """A profile function that delivers `signum` at the `moment`-th point where CPython would run a handler."""

    def __init__(self, moment: int, signum: int) -> None:
        self.moment, self.signum = moment, signum
        self.points = 0
        self.sent = False

    def __call__(self, frame: FrameType, event: str, arg: Any) -> None:
        if event != "c_return" and not (event == "call" and starting(frame)):  # a built-in returned; a function starts
            return
        self.points += 1
        if self.points != self.moment:
            return
        self.sent = True
        handler = signal.getsignal(self.signum)
        assert callable(handler)
        handler(self.signum, frame)


def run_with(profile: SignalAt, write: Callable[[], object]) -> str:
    """Run `write` with `profile` on: "done", or "ended" where the signal ended it (any other exception fails).
    The garbage collector is off meanwhile: a collection runs the callbacks other libraries put in gc.callbacks
    (hypothesis times its own), whose calls the profile would count as the write's, and an exception raised in one
    is swallowed, so whether a moment fell there would hang on when the collector happened to run."""
    collecting = gc.isenabled()
    gc.disable()
    sys.setprofile(profile)
    try:
        write()
    except Ended:
        return "ended"
    finally:
        sys.setprofile(None)
        if collecting:
            gc.enable()
    return "done"


def points_in(write: Callable[[], object]) -> int:
    """How many points the write has where a handler could run (the second time: the first also imports)."""
    for _ in range(2):
        counter = SignalAt(0, signal.SIGTERM)
        assert run_with(counter, write) == "done"
    return counter.points


def folder_state(folder: Path) -> dict[str, bytes]:
    return {path.relative_to(folder).as_posix(): path.read_bytes() for path in sorted(folder.rglob("*")) if path.is_file()}


def bundle(run: int) -> dict[str, bytes]:
    """The files of one run's bundle (each run's differ from the last's), as write_folder is given them."""
    return {"budget.csv": f"run {run}\n".encode(), "statements/340.md": f"Sorø, run {run}\n".encode() * 50}


def as_written(files: dict[str, bytes]) -> dict[str, bytes]:
    """What a bundle folder holds once `files` are written to it, worked out here: the files, MARKER and SHA256SUMS."""
    written = {MARKER: MARKER_TEXT.encode("utf-8"), **files}
    return {**written, CHECKSUMS: checksums(written)}


def assert_let_go() -> None:
    """The write has put back what it changed about signals: the handlers there before, nothing held."""
    assert all(signal.getsignal(signum) is end for signum in HELD)
    assert not set(HELD) & signal.pthread_sigmask(signal.SIG_BLOCK, [])


@pytest.mark.usefixtures("ending_handlers")
def test_a_signal_at_any_moment_of_a_forced_bundle_leaves_the_old_or_the_new_whole(tmp_path):
    target = tmp_path / "ud"
    write_folder(str(target), bundle(0), force=False)
    moments = points_in(lambda: write_folder(str(target), bundle(1), force=True))
    assert moments > 100  # the profile sees the write's steps
    endings = {"done": 0, "ended": 0}
    for moment in range(1, moments + 20):
        old, new = folder_state(target), as_written(bundle(moment + 1))
        signum = HELD[moment % 2]
        profile = SignalAt(moment, signum)
        outcome = run_with(profile, partial(write_folder, str(target), bundle(moment + 1), force=True))
        endings[outcome] += 1
        assert outcome == ("ended" if profile.sent else "done"), moment  # a signal is never lost
        assert folder_state(target) in (old, new), moment
        beside = [path for path in tmp_path.iterdir() if path.name != "ud"]  # no staging folder, no old bundle in part
        kept = [path for path in beside if path.name.startswith("ud.kept-")]
        assert beside == kept and len(kept) <= 1, moment
        for path in kept:  # a signal before the old bundle's removal keeps it whole under a visible name
            assert folder_state(path) == old, moment
            shutil.rmtree(path)
        assert_let_go()
    assert endings["ended"] >= moments - 5 and endings["done"] >= 1


def project_files(folder: Path) -> dict[str, bytes]:
    return {str(folder / "config" / "alliance.yaml"): b"alliance: A\n", str(folder / "data" / "decided.csv"): b"year\n"}


@pytest.mark.usefixtures("ending_handlers")
def test_a_signal_at_any_moment_of_a_batch_leaves_all_files_or_none(tmp_path):
    """`init`'s three files are written together: a signal leaves all of them or none, and no folder made for them."""
    moments = points_in(lambda: write_files(project_files(tmp_path / f"p{time.monotonic_ns()}"), False, make_folders=True))
    for moment in range(1, moments + 20):
        folder = tmp_path / f"p{moment}"
        profile = SignalAt(moment, HELD[moment % 2])
        outcome = run_with(profile, partial(write_files, project_files(folder), False, make_folders=True))
        assert outcome == ("ended" if profile.sent else "done"), moment
        assert (folder_state(folder) if folder.exists() else None) in (
            None,
            {"config/alliance.yaml": b"alliance: A\n", "data/decided.csv": b"year\n"},
        )
        assert_let_go()


def signalled_write(undo: Callable[[], None], then: int | None = None) -> None:
    """A write that SIGTERM interrupts; `then`: a second signal while the first is on its way out of it."""
    with undone_on_signal(undo):
        try:
            os.kill(os.getpid(), signal.SIGTERM)
            time.sleep(5)  # the handler runs in here, at once
        finally:
            if then is not None:
                os.kill(os.getpid(), then)
                time.sleep(0.01)  # where the handler runs again


@pytest.mark.usefixtures("ending_handlers")
def test_a_second_signal_during_the_undo_waits_for_it(tmp_path):
    """Ctrl+C pressed again while the first signal's undo runs: the undo still runs to its end."""
    temp = tmp_path / ".out.csv.tmp"
    temp.write_bytes(b"half")
    steps: list[str] = []

    def undo() -> None:
        steps.append("undo begins")
        os.kill(os.getpid(), signal.SIGINT)
        time.sleep(0.01)  # where a handler would run
        temp.unlink()
        steps.append("undo ends")

    with pytest.raises(Ended):
        signalled_write(undo)
    assert steps == ["undo begins", "undo ends"] and not temp.exists()
    assert_let_go()


@pytest.mark.usefixtures("ending_handlers")
def test_a_second_signal_while_the_first_is_on_its_way_out_is_not_a_second_interruption():
    undone: list[int] = []
    with pytest.raises(Ended) as ended:
        signalled_write(lambda: undone.append(1), then=signal.SIGINT)
    assert undone == [1] and ended.value.signum == signal.SIGTERM  # the run ends as the first signal asks
    assert_let_go()


def signal_self(signum: int) -> None:
    os.kill(os.getpid(), signum)
    time.sleep(5)


@pytest.mark.usefixtures("ending_handlers")
def test_a_signal_after_the_block_is_the_previous_handlers_and_undoes_nothing():
    undone: list[int] = []
    with undone_on_signal(lambda: undone.append(1)):
        pass
    with pytest.raises(Ended):
        signal_self(signal.SIGTERM)
    assert undone == []
    assert_let_go()


def forced_files(folder: Path, run: int, count: int) -> dict[str, bytes]:
    """`count` files in `folder` as one forced write gives them (each run's differ from the last's)."""
    return {str(folder / f"f{index}.csv"): f"run {run}, file {index}\n".encode() * 40 for index in range(count)}


@pytest.mark.usefixtures("ending_handlers")
@pytest.mark.parametrize("count", [1, 3])
def test_a_signal_at_any_moment_of_a_forced_write_leaves_the_old_files_or_the_new(tmp_path, count):
    """`export out.csv --force` (one file) and a batch over files already there: a signal leaves every file as it
    was or every file new; never a file gone, never some old and some new, and nothing beside them."""
    folder = tmp_path / "out"
    folder.mkdir()
    write_files(forced_files(folder, 0, count), False)
    moments = points_in(lambda: write_files(forced_files(folder, time.monotonic_ns(), count), True))
    for moment in range(1, moments + 20):
        old = folder_state(folder)
        new = {Path(name).name: data for name, data in forced_files(folder, moment, count).items()}
        profile = SignalAt(moment, HELD[moment % 2])
        outcome = run_with(profile, partial(write_files, forced_files(folder, moment, count), True))
        assert outcome == ("ended" if profile.sent else "done"), moment
        assert folder_state(folder) in (old, new), moment
        assert sorted(path.name for path in folder.iterdir()) == sorted(new), moment  # no backup or temporary file left
        assert_let_go()
