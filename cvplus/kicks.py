"""One background thread per process for "kicks": small after-commit steps (set a Redis flag, publish one Celery
message) that wake a worker without the request paying for them. The webhook outbox (portal/webhook_outbox.py) and the
event rollups (analytics/kick.py) use it.

A process that exits with kicks pending loses at most those kicks: what they were about is committed, and each user
of this thread has a periodic sweep. Created on first use, and again in a forked child (threads do not fork).
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

from django.db import transaction

_kicker: ThreadPoolExecutor | None = None
_kicker_pid: int | None = None
_kicker_lock = threading.Lock()


def kick_thread() -> ThreadPoolExecutor:
    global _kicker, _kicker_pid
    with _kicker_lock:
        if _kicker is None or _kicker_pid != os.getpid():
            _kicker, _kicker_pid = ThreadPoolExecutor(max_workers=1, thread_name_prefix="kick"), os.getpid()
        return _kicker


def kick_after_commit(step: Callable[..., object], *args: object) -> None:
    """Runs ``step(*args)`` on the kick thread once the current transaction commits (at once outside one)."""
    transaction.on_commit(lambda: kick_thread().submit(step, *args))


def kicks_wait(timeout_s: float = 10.0) -> None:
    """Returns once every kick submitted so far has run (the thread takes them in order): for tests and benches."""
    kick_thread().submit(lambda: None).result(timeout=timeout_s)
