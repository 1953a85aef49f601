"""A value each process keeps for a few seconds (the running experiments, the feature flags): read once per TTL so a
page asking costs no query, forgotten at once in the process that changes it (a save signal calls `clear`), and
seen by the other processes within the TTL."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Generic, TypeVar

from django.conf import settings

T = TypeVar("T")


class ProcessCache(Generic[T]):
    def __init__(self, load: Callable[[], T], *, ttl_setting: str) -> None:
        self._load = load
        self._ttl_setting = ttl_setting
        self._lock = threading.Lock()
        self._kept: tuple[float, T] | None = None

    def get(self) -> T:
        now = time.monotonic()
        kept = self._kept
        if kept is not None and kept[0] > now:
            return kept[1]
        value = self._load()
        ttl = float(getattr(settings, self._ttl_setting))
        if ttl > 0:
            with self._lock:
                self._kept = (now + ttl, value)
        return value

    def clear(self, **_signal_kwargs: object) -> None:
        with self._lock:
            self._kept = None
