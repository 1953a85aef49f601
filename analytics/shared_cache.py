"""A value computed once and kept in the shared cache (Redis) for a while, for the dashboards' heavier reads (the
staff page's latency and error rates, the seeker's figures and comparison). The cache is a help, never a need: when
it is down the value is computed afresh and not kept, and a failed write is logged."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TypeVar

from django.core.cache import cache

from billing.redis_client import REDIS_ERRORS

T = TypeVar("T")

logger = logging.getLogger(__name__)


def cached_or_computed(
    key: str, compute: Callable[[], T], *, timeout: int, keep: Callable[[T], bool] = lambda _value: True
) -> T:
    """`compute()` kept under `key` for `timeout` seconds when `keep` says so (a failed answer is not kept)."""
    try:
        found = cache.get(key)
    except REDIS_ERRORS:
        return compute()
    if found is not None:
        return found
    value = compute()
    if not keep(value):
        return value
    try:
        cache.set(key, value, timeout=timeout)
    except REDIS_ERRORS:
        logger.warning("Could not cache %s; the next load computes it again", key)
    return value
