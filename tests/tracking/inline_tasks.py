"""Running the tasks that code sends after commit inline, as CVPlus does without Redis."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django.test import TestCase


@contextmanager
def tasks_inline() -> Iterator[None]:
    """Tasks sent after commit inside the block run when it ends, in this thread and this test's transaction
    (Celery's eager mode, which is what ``TASKS_RUN_INLINE`` turns on without a broker)."""
    from cvplus.celery import app

    eager, app.conf.task_always_eager = app.conf.task_always_eager, True
    try:
        with TestCase.captureOnCommitCallbacks(execute=True):
            yield
    finally:
        app.conf.task_always_eager = eager
