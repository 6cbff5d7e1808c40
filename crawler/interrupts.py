"""SIGINT and SIGTERM, handled the same way at any moment of a command.

Outside a crawl, a signal raises :class:`crawler.errors.Interrupted` where the program
is: open transactions roll back (every source's verdicts are one transaction, so a
source is stored whole or not at all), and the CLI's error boundary prints one line and
exits 130 or 143. Inside a crawl, raising from a signal handler would unwind through
the event loop's own code, so :func:`stopping` takes over: the first signal asks
the crawl to stop (the sources in flight finish and are stored), a second one stops
the loop at once; the exception is raised when the loop has returned.

Stdlib only and light: the entry point installs it before anything heavy is imported.
"""

from __future__ import annotations

import signal
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from types import FrameType
from typing import Any

from crawler.errors import Interrupted

SIGNALS = (signal.SIGINT, signal.SIGTERM)
_received: int | None = None


def received() -> int | None:
    """The first signal this process received, if any."""
    return _received


def _note(signum: int) -> None:
    global _received
    if _received is None:
        _received = signum


def _raise(signum: int, _frame: FrameType | None) -> None:
    _note(signum)
    raise Interrupted(signum)


def install() -> None:
    """Raise :class:`Interrupted` on SIGINT and SIGTERM (the CLI's entry point calls it)."""
    for signum in SIGNALS:
        signal.signal(signum, _raise)


def work_done() -> None:
    """After the command's work (stored, printed): a late signal is ignored, and the
    process ends with its own status a moment later.

    Not a handler of ours: Python's finalization (joining the extraction pool, the
    reactor's threads) puts every Python-level handler back to the default before it
    is through, and a Ctrl-C in that moment killed the process with no line and no
    status of ours (found by tests/test_interrupts.py). An ignored signal stays ignored.
    """
    for signum in SIGNALS:
        signal.signal(signum, signal.SIG_IGN)


@contextmanager
def stopping(stop: Callable[[], Any], kill: Callable[[], Any]) -> Iterator[None]:
    """While an event loop runs: the first signal calls ``stop``, the next ``kill``.

    Both are called from the signal handler and must only schedule work on the loop
    (``reactor.callFromThread``). On leaving, :class:`Interrupted` is raised if a
    signal came, and the handlers that were there before are back.
    """
    before = {signum: signal.getsignal(signum) for signum in SIGNALS}
    asked = []

    def handler(signum: int, _frame: FrameType | None) -> None:
        _note(signum)
        asked.append(signum)
        (stop if len(asked) == 1 else kill)()

    if _received is not None:  # a signal came before the loop could start
        raise Interrupted(_received)
    for signum in SIGNALS:
        signal.signal(signum, handler)
    try:
        yield
    finally:
        for signum, old in before.items():
            signal.signal(signum, old)
    if asked:
        raise Interrupted(asked[0])


@contextmanager
def deferred() -> Iterator[None]:
    """Hold SIGINT and SIGTERM back for a moment (they are delivered on leaving).

    Child processes started inside inherit the held mask: the extraction pool's
    processes never see a Ctrl-C meant for the crawl (which shuts them down itself),
    even while they are still importing, where it would print a traceback.
    """
    old = signal.pthread_sigmask(signal.SIG_BLOCK, SIGNALS)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, old)
