"""A bound on waiting for code that must finish in linear time, for tests of hostile input.

``waiting_bound(seconds)`` fails the test when the block is still running after ``seconds``. It is not a speed
assertion: the bounds are set 10 or more times below what the replaced super-linear code needed on the same input, and
far above what linear code needs on a loaded machine, so the test fails only on a return of super-linear work. It
interrupts pure-Python loops and the ``re`` module alike (the regex engine checks for signals while it runs).
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager


class WaitingBoundExceeded(AssertionError):
    pass


@contextmanager
def waiting_bound(seconds: float, what: str) -> Iterator[None]:
    if threading.current_thread() is not threading.main_thread():
        raise RuntimeError("waiting_bound needs the main thread (it uses SIGALRM)")

    def expired(signum: int, frame: object) -> None:
        raise WaitingBoundExceeded(f"{what} was still running after {seconds:g} s (a bound on waiting, not a timing)")

    previous = signal.signal(signal.SIGALRM, expired)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
