"""SIGINT and SIGTERM around a write: undone when one arrives inside the block (`undone_on_signal`), or held until
the block has ended (`signals_held`), so a write ends with the old files or the new, whole (io/atomic.py, io/folder.py).
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from types import FrameType, TracebackType
from typing import Any

_Handler = Callable[[int, FrameType | None], Any] | int | signal.Handlers | None


class _Interrupted(BaseException):
    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


def undone_on_signal(undo: Callable[[], None]) -> AbstractContextManager[None]:
    """Call `undo` if SIGINT or SIGTERM arrives inside the block, then end as that signal would."""
    return _UndoneOnSignal(undo)


class _UndoneOnSignal:
    """SIGINT and SIGTERM during the block: stop it, undo, then let the signal end the process as it would have.

    Python runs a signal handler between two steps of whatever code is running, so a handler that raises can
    raise anywhere, also in the few steps that enter or leave the block, where no `except` could catch it. So the
    handler raises only inside the block, once, and the edges are guarded: the handlers go in and come out with
    the signals held, and a signal that comes while __enter__ or __exit__ runs (Python code, so the handler may
    run there) is only noted, and let through once the block has ended, the write done or undone. The handler
    runs even while the main thread holds the signal if another thread took it: then it sends the signal back to
    the main thread, where it waits until let go. A signal the process was started ignoring (a background job's
    SIGINT) stays ignored."""

    def __init__(self, undo: Callable[[], None]) -> None:
        self.undo = undo
        self.previous: dict[int, _Handler] = {}  # the handlers to put back
        self.mask: set[int | signal.Signals] = set()  # the signals held before the block
        self.armed = False  # the handler may raise: inside the block, until it has raised once
        self.received: int | None = None  # the first signal that came, to be let through at the end

    def interrupt(self, signum: int, frame: FrameType | None) -> None:
        if signum in _signal_mask():  # held here, but another thread took it (numpy's have): it comes back when let go
            signal.pthread_kill(threading.get_ident(), signum)
            return
        if self.received is None:
            self.received = signum
        if self.armed and not _at_the_edge(frame):
            self.armed = False  # a second signal waits for the undo
            raise _Interrupted(signum)

    def __enter__(self) -> None:
        if threading.current_thread() is not threading.main_thread():  # signal handlers are the main thread's
            return
        self.mask = _signal_mask()  # only reads it: a signal coming here still has the old handler
        try:
            _hold_signals()
            for signum in _SIGNALS:  # an inherited SIG_IGN stays: catching it would make it end the write
                handler = signal.getsignal(signum)
                if handler is not signal.SIG_IGN:
                    self.previous[signum] = handler  # noted before it is replaced, so that it is put back whatever comes
                    signal.signal(signum, self.interrupt)
            self.armed = True
            _set_signal_mask(self.mask)  # one that came meanwhile is noted, and let through at the end
        except BaseException:
            _let_go(self.previous, self.mask)
            raise

    def __exit__(self, kind: type[BaseException] | None, value: BaseException | None, traceback: TracebackType | None) -> None:
        if not self.previous:
            return
        _hold_signals()  # nothing comes between the undo and the handlers going back
        self.armed = False
        try:
            if kind is not None and issubclass(kind, _Interrupted):
                self.undo()
        finally:
            _let_go(self.previous, self.mask)  # a signal that came during the undo goes to its own handler now
        if self.received is not None:
            signal.raise_signal(self.received)  # the process ends as it would have; if the handler returns, so does this


_EDGES = frozenset({_UndoneOnSignal.__enter__.__code__, _UndoneOnSignal.__exit__.__code__})
_SIGNALS = (signal.SIGINT, signal.SIGTERM)


def _at_the_edge(frame: FrameType | None) -> bool:
    """Whether the code running is entering or leaving an undone_on_signal block (or calls made from there)."""
    while frame is not None:
        if frame.f_code in _EDGES:
            return True
        frame = frame.f_back
    return False


def _let_go(previous: dict[int, _Handler], mask: set[int | signal.Signals]) -> None:
    """Put back the handlers and the mask. A handler back in place may run at once (another thread took its signal)
    and raise before the rest is back: the rest then goes back all the same, and the exception is raised after."""
    raised: BaseException | None = None
    while True:
        try:
            for signum, handler in previous.items():
                signal.signal(signum, handler)
            _set_signal_mask(mask)
        except BaseException as exc:
            raised = raised or exc
            continue
        break
    if raised is not None:
        raise raised


def _signal_mask() -> set[int | signal.Signals]:
    """The signals held now (none where the system cannot hold signals)."""
    return signal.pthread_sigmask(signal.SIG_BLOCK, ()) if hasattr(signal, "pthread_sigmask") else set()


def _hold_signals() -> None:
    if hasattr(signal, "pthread_sigmask"):
        signal.pthread_sigmask(signal.SIG_BLOCK, _SIGNALS)


def _set_signal_mask(mask: set[int | signal.Signals]) -> None:
    if hasattr(signal, "pthread_sigmask"):
        signal.pthread_sigmask(signal.SIG_SETMASK, mask)


@contextmanager
def signals_held() -> Iterator[None]:
    """SIGINT and SIGTERM wait until the block has ended: for steps that must not be parted (make a temporary
    file and record its name; two renames; remove a folder's files). They are held where Python handles them, in
    the main thread: blocking them there would not do, since the system hands a signal the main thread blocks to
    another thread of the process (a library's), and Python then handles it in the main thread all the same."""
    if threading.current_thread() is not threading.main_thread():  # signal handlers are the main thread's
        yield
        return
    arrived: list[int] = []

    def hold(signum: int, frame: FrameType | None) -> None:
        arrived.append(signum)

    # an ignored signal stays ignored; one whose handler is not Python's to set is left to it
    held = [signum for signum in (signal.SIGINT, signal.SIGTERM) if signal.getsignal(signum) not in (signal.SIG_IGN, None)]
    previous = {signum: signal.signal(signum, hold) for signum in held}
    try:
        yield
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)
        for arrival in dict.fromkeys(arrived):  # each as it would have come, now that the block has ended
            signal.raise_signal(arrival)
